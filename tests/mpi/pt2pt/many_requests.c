/* pt2pt/many_requests: deep queues.
 *  - 1000 receives posted (distinct tags) before any message leaves; the sender sends in
 *    the reverse tag order; every receive gets its own message.
 *  - 1000 receives posted with one tag: the n-th message fills the n-th receive.
 *  - 1000 unexpected messages (sent before any receive is posted), then received in
 *    reverse tag order, then a second batch received with MPI_ANY_TAG in send order.
 *  - 20 unexpected rendezvous-size messages received in reverse order. */
#include "../common.h"

#define NREQ 1000
#define NBIG 20
#define BIG (65536 + 3)
#define TAG_GO 30000

static int right, left;

static void handshake(void)
{
    int o = 0, i = 0;
    MPI_Request h;
    MPI_Isend(&o, 1, MPI_INT, left, TAG_GO, MPI_COMM_WORLD, &h);
    MPI_Recv(&i, 1, MPI_INT, right, TAG_GO, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Wait(&h, MPI_STATUS_IGNORE);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    right = (tm_rank + 1) % tm_size;
    left = (tm_rank + tm_size - 1) % tm_size;
    static MPI_Request rreq[NREQ], sreq[NREQ];
    static MPI_Status st[NREQ];
    static int in[NREQ][2], out[NREQ][2];

    /* Pre-posted, distinct tags, sent in reverse. */
    for (int i = 0; i < NREQ; i++) {
        in[i][0] = in[i][1] = -1;
        MPI_Irecv(in[i], 2, MPI_INT, left, i, MPI_COMM_WORLD, &rreq[i]);
    }
    handshake();
    for (int i = NREQ - 1; i >= 0; i--) {
        out[i][0] = tm_rank;
        out[i][1] = i;
        MPI_Isend(out[i], 2, MPI_INT, right, i, MPI_COMM_WORLD, &sreq[i]);
    }
    TM_CHECK_RC(MPI_Waitall(NREQ, rreq, st), "MPI_Waitall (1000 pre-posted)");
    for (int i = 0; i < NREQ; i++) {
        TM_CHECK(in[i][0] == left && in[i][1] == i && st[i].MPI_TAG == i,
                 "pre-posted receive %d got (%d,%d) tag %d", i, in[i][0], in[i][1], st[i].MPI_TAG);
    }
    MPI_Waitall(NREQ, sreq, MPI_STATUSES_IGNORE);
    tm_barrier();

    /* Pre-posted, one tag: matching in posting order. */
    for (int i = 0; i < NREQ; i++) {
        in[i][0] = in[i][1] = -1;
        MPI_Irecv(in[i], 2, MPI_INT, left, 7, MPI_COMM_WORLD, &rreq[i]);
    }
    handshake();
    for (int i = 0; i < NREQ; i++) {
        out[i][0] = tm_rank;
        out[i][1] = i;
        MPI_Isend(out[i], 2, MPI_INT, right, 7, MPI_COMM_WORLD, &sreq[i]);
    }
    MPI_Waitall(NREQ, rreq, st);
    for (int i = 0; i < NREQ; i++) {
        TM_CHECK(in[i][0] == left && in[i][1] == i, "same-tag receive %d got message (%d,%d)", i,
                 in[i][0], in[i][1]);
    }
    MPI_Waitall(NREQ, sreq, MPI_STATUSES_IGNORE);
    tm_barrier();

    /* Unexpected: everything sent first; a marker sent last tells the receiver the stream
     * is on its way; receives then go in reverse tag order. */
    for (int i = 0; i < NREQ; i++) {
        out[i][0] = tm_rank;
        out[i][1] = i;
        MPI_Isend(out[i], 2, MPI_INT, right, i, MPI_COMM_WORLD, &sreq[i]);
    }
    handshake();
    for (int i = NREQ - 1; i >= 0; i--) {
        int v[2] = {-1, -1};
        MPI_Status s;
        MPI_Recv(v, 2, MPI_INT, left, i, MPI_COMM_WORLD, &s);
        TM_CHECK(v[0] == left && v[1] == i && s.MPI_TAG == i, "unexpected message %d: (%d,%d) tag %d",
                 i, v[0], v[1], s.MPI_TAG);
    }
    MPI_Waitall(NREQ, sreq, MPI_STATUSES_IGNORE);

    /* Unexpected, received with MPI_ANY_TAG: send order. */
    for (int i = 0; i < NREQ; i++) {
        MPI_Isend(out[i], 2, MPI_INT, right, i % 17, MPI_COMM_WORLD, &sreq[i]);
    }
    handshake();
    for (int i = 0; i < NREQ; i++) {
        int v[2] = {-1, -1};
        MPI_Status s;
        MPI_Recv(v, 2, MPI_INT, left, MPI_ANY_TAG, MPI_COMM_WORLD, &s);
        TM_CHECK(v[1] == i && s.MPI_TAG == i % 17, "ANY_TAG receive %d got message %d tag %d", i,
                 v[1], s.MPI_TAG);
    }
    MPI_Waitall(NREQ, sreq, MPI_STATUSES_IGNORE);
    tm_barrier();

    /* Unexpected rendezvous-size messages, received in reverse. */
    {
        unsigned char *sb = tm_malloc((size_t)NBIG * BIG), *rb = tm_malloc(BIG);
        for (int i = 0; i < NBIG; i++) {
            tm_fill(sb + (size_t)i * BIG, BIG, (unsigned)(tm_rank * 50 + i));
            MPI_Isend(sb + (size_t)i * BIG, BIG, MPI_BYTE, right, 100 + i, MPI_COMM_WORLD, &sreq[i]);
        }
        handshake();
        for (int i = NBIG - 1; i >= 0; i--) {
            memset(rb, 0, BIG);
            MPI_Recv(rb, BIG, MPI_BYTE, left, 100 + i, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            TM_CHECK_BUF(rb, BIG, (unsigned)(left * 50 + i), "unexpected large message %d", i);
        }
        MPI_Waitall(NBIG, sreq, MPI_STATUSES_IGNORE);
        free(sb);
        free(rb);
    }

    return tm_finish();
}
