/* pt2pt/order: non-overtaking. Each rank sends its right neighbour a stream of messages
 * whose sizes cycle through every protocol boundary (0 B, 1 B, 7 B, 4 KiB, 64 KiB+3,
 * 1 MiB+1), all in flight at once, and the receiver checks they match in send order:
 *  - same tag, receives posted before the sends (expected queue),
 *  - same tag, receives posted after the sends arrived (unexpected queue),
 *  - two interleaved tags received tag B first, then tag A (order within each tag),
 *  - MPI_ANY_TAG receives see the send order across tags.
 * Sizes are recovered from MPI_Get_count, content from a per-message pattern. */
#include "../common.h"

#define CYCLES 2
#define NMSG ((int)(CYCLES * TM_NSIZES))
#define TAG_GO 900

static int right, left;
static unsigned char *sbuf[NMSG], *rbuf[NMSG];

static size_t msg_size(int i)
{
    return tm_sizes[i % TM_NSIZES];
}

static void handshake(void)
{
    int d_out = 0, d_in = 0;
    MPI_Request h;
    MPI_Isend(&d_out, 1, MPI_INT, left, TAG_GO, MPI_COMM_WORLD, &h);
    MPI_Recv(&d_in, 1, MPI_INT, right, TAG_GO, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Wait(&h, MPI_STATUS_IGNORE);
}

/* Sends all messages; tag_of(i) chooses each message's tag. */
static void send_all(MPI_Request *sreq, int phase, int two_tags)
{
    for (int i = 0; i < NMSG; i++) {
        tm_fill(sbuf[i], msg_size(i), (unsigned)(tm_rank * 997 + phase * 101 + i));
        int tag = two_tags ? (i % 2 ? 2 : 1) : 1;
        MPI_Isend(sbuf[i], (int)msg_size(i), MPI_BYTE, right, tag, MPI_COMM_WORLD, &sreq[i]);
    }
}

static void check(int i, const MPI_Status *st, int phase, int want_tag, const char *what)
{
    int count = -1;
    MPI_Get_count(st, MPI_BYTE, &count);
    TM_CHECK(count == (int)msg_size(i) && st->MPI_TAG == want_tag && st->MPI_SOURCE == left,
             "%s: message %d has count %d tag %d source %d, expected %zu/%d/%d (overtaken?)", what,
             i, count, st->MPI_TAG, st->MPI_SOURCE, msg_size(i), want_tag, left);
    if (count == (int)msg_size(i)) {
        TM_CHECK_BUF(rbuf[i], msg_size(i), (unsigned)(left * 997 + phase * 101 + i), "%s: message %d",
                     what, i);
    }
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    right = (tm_rank + 1) % tm_size;
    left = (tm_rank + tm_size - 1) % tm_size;
    size_t maxn = tm_sizes[TM_NSIZES - 1];
    for (int i = 0; i < NMSG; i++) {
        sbuf[i] = tm_malloc(msg_size(i));
        rbuf[i] = tm_malloc(maxn); /* every receive could take the largest message */
    }
    MPI_Request sreq[NMSG], rreq[NMSG];
    MPI_Status st[NMSG];

    /* Phase 0: same tag, receives pre-posted. */
    for (int i = 0; i < NMSG; i++) {
        MPI_Irecv(rbuf[i], (int)maxn, MPI_BYTE, left, 1, MPI_COMM_WORLD, &rreq[i]);
    }
    handshake();
    send_all(sreq, 0, 0);
    MPI_Waitall(NMSG, rreq, st);
    for (int i = 0; i < NMSG; i++) {
        check(i, &st[i], 0, 1, "pre-posted");
    }
    MPI_Waitall(NMSG, sreq, MPI_STATUSES_IGNORE);
    tm_barrier();

    /* Phase 1: same tag, sends first; the receiver first takes a marker message sent after
     * them (so the stream has most likely arrived unexpected) before posting receives. */
    send_all(sreq, 1, 0);
    {
        int marker = 5, m_in = 0;
        MPI_Request mr;
        MPI_Isend(&marker, 1, MPI_INT, right, 3, MPI_COMM_WORLD, &mr);
        MPI_Recv(&m_in, 1, MPI_INT, left, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Wait(&mr, MPI_STATUS_IGNORE);
    }
    for (int i = 0; i < NMSG; i++) {
        MPI_Recv(rbuf[i], (int)maxn, MPI_BYTE, left, 1, MPI_COMM_WORLD, &st[i]);
        check(i, &st[i], 1, 1, "unexpected");
    }
    MPI_Waitall(NMSG, sreq, MPI_STATUSES_IGNORE);
    tm_barrier();

    /* Phase 2: odd messages tag 2, even tag 1; receive all of tag 2 first. */
    send_all(sreq, 2, 1);
    for (int pass = 0; pass < 2; pass++) {
        int tag = pass == 0 ? 2 : 1;
        for (int i = (tag == 2 ? 1 : 0); i < NMSG; i += 2) {
            MPI_Recv(rbuf[i], (int)maxn, MPI_BYTE, left, tag, MPI_COMM_WORLD, &st[i]);
            check(i, &st[i], 2, tag, "two tags");
        }
    }
    MPI_Waitall(NMSG, sreq, MPI_STATUSES_IGNORE);
    tm_barrier();

    /* Phase 3: two tags, received with MPI_ANY_TAG: send order across tags. */
    send_all(sreq, 3, 1);
    for (int i = 0; i < NMSG; i++) {
        MPI_Recv(rbuf[i], (int)maxn, MPI_BYTE, left, MPI_ANY_TAG, MPI_COMM_WORLD, &st[i]);
        check(i, &st[i], 3, i % 2 ? 2 : 1, "ANY_TAG");
    }
    MPI_Waitall(NMSG, sreq, MPI_STATUSES_IGNORE);

    /* Phase 4: blocking sends mixed with nonblocking ones in one stream (Send, Isend,
     * Ssend-free so a ring cannot block), received with Irecv in order. */
    for (int i = 0; i < NMSG; i++) {
        MPI_Irecv(rbuf[i], (int)maxn, MPI_BYTE, left, 4, MPI_COMM_WORLD, &rreq[i]);
    }
    handshake(); /* all receives are posted everywhere: blocking sends cannot deadlock */
    for (int i = 0; i < NMSG; i++) {
        tm_fill(sbuf[i], msg_size(i), (unsigned)(tm_rank * 997 + 4 * 101 + i));
        if (i % 2) {
            MPI_Send(sbuf[i], (int)msg_size(i), MPI_BYTE, right, 4, MPI_COMM_WORLD);
            sreq[i] = MPI_REQUEST_NULL;
        } else {
            MPI_Isend(sbuf[i], (int)msg_size(i), MPI_BYTE, right, 4, MPI_COMM_WORLD, &sreq[i]);
        }
    }
    MPI_Waitall(NMSG, rreq, st);
    for (int i = 0; i < NMSG; i++) {
        check(i, &st[i], 4, 4, "Send/Isend mix");
    }
    MPI_Waitall(NMSG, sreq, MPI_STATUSES_IGNORE);

    for (int i = 0; i < NMSG; i++) {
        free(sbuf[i]);
        free(rbuf[i]);
    }
    return tm_finish();
}
