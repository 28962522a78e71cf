/* pt2pt/blocking: MPI_Send, MPI_Ssend and MPI_Rsend matched by MPI_Recv around a ring, at
 * every protocol size (0 B .. 1 MiB+1); content, status source/tag and MPI_Get_count are
 * checked. MPI_Rsend is only called once the receiver said its receive is posted (a
 * handshake message), as the standard requires. Blocking sends go even-ranks-first so the
 * ring cannot deadlock; a single rank talks to itself through a pre-posted receive. */
#include "../common.h"

enum { MODE_SEND, MODE_SSEND, MODE_RSEND, NMODES };
static const char *mode_name[] = {"MPI_Send", "MPI_Ssend", "MPI_Rsend"};

#define TAG_READY 900

static int do_send(int mode, const void *buf, int n, int dest, int tag)
{
    switch (mode) {
    case MODE_SEND: return MPI_Send(buf, n, MPI_BYTE, dest, tag, MPI_COMM_WORLD);
    case MODE_SSEND: return MPI_Ssend(buf, n, MPI_BYTE, dest, tag, MPI_COMM_WORLD);
    default: return MPI_Rsend(buf, n, MPI_BYTE, dest, tag, MPI_COMM_WORLD);
    }
}

static void check_recv(const MPI_Status *st, const unsigned char *rbuf, size_t n, int src, int tag,
                       unsigned seed, const char *what)
{
    int count = -1;
    MPI_Get_count(st, MPI_BYTE, &count);
    TM_CHECK(st->MPI_SOURCE == src && st->MPI_TAG == tag && count == (int)n,
             "%s: status source %d tag %d count %d, expected %d/%d/%zu", what, st->MPI_SOURCE,
             st->MPI_TAG, count, src, tag, n);
    TM_CHECK_BUF(rbuf, n, seed, "%s", what);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    size_t maxn = tm_sizes[TM_NSIZES - 1];
    unsigned char *sbuf = tm_malloc(maxn), *rbuf = tm_malloc(maxn + 16);
    char what[128];

    for (int mode = 0; mode < NMODES; mode++) {
        for (size_t k = 0; k < TM_NSIZES; k++) {
            size_t n = tm_sizes[k];
            int tag = (int)(mode * 100 + k);
            unsigned sseed = (unsigned)(tm_rank * 31 + mode * 7 + k);
            unsigned rseed = (unsigned)(left * 31 + mode * 7 + k);
            snprintf(what, sizeof what, "%s of %zu bytes from %d", mode_name[mode], n, left);
            tm_fill(sbuf, n, sseed);
            memset(rbuf, 0, n + 16);
            MPI_Status st;

            if (mode == MODE_RSEND || tm_size == 1) {
                /* Post the receive, tell the sender, then send once our right neighbour
                 * has told us its receive is posted. */
                MPI_Request rreq, hreq;
                int dummy = 0;
                MPI_Irecv(rbuf, (int)maxn, MPI_BYTE, left, tag, MPI_COMM_WORLD, &rreq);
                MPI_Isend(&dummy, 0, MPI_INT, left, TAG_READY, MPI_COMM_WORLD, &hreq);
                MPI_Recv(&dummy, 0, MPI_INT, right, TAG_READY, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                TM_CHECK_RC(do_send(mode, sbuf, (int)n, right, tag), mode_name[mode]);
                TM_CHECK_RC(MPI_Wait(&rreq, &st), "MPI_Wait (receive)");
                MPI_Wait(&hreq, MPI_STATUS_IGNORE);
            } else if (tm_rank % 2 == 0) {
                TM_CHECK_RC(do_send(mode, sbuf, (int)n, right, tag), mode_name[mode]);
                TM_CHECK_RC(MPI_Recv(rbuf, (int)maxn, MPI_BYTE, left, tag, MPI_COMM_WORLD, &st),
                            "MPI_Recv");
            } else {
                TM_CHECK_RC(MPI_Recv(rbuf, (int)maxn, MPI_BYTE, left, tag, MPI_COMM_WORLD, &st),
                            "MPI_Recv");
                TM_CHECK_RC(do_send(mode, sbuf, (int)n, right, tag), mode_name[mode]);
            }
            check_recv(&st, rbuf, n, left, tag, rseed, what);
            /* Nothing beyond the message was written. */
            for (size_t i = n; i < n + 16; i++) {
                if (rbuf[i] != 0) {
                    TM_CHECK(0, "%s: byte %zu past the message written", what, i);
                    break;
                }
            }
        }
    }

    /* Wildcard tag and the largest tag every implementation allows (32767). */
    {
        int out = tm_rank, in = -1;
        MPI_Status st;
        MPI_Request r;
        MPI_Irecv(&in, 1, MPI_INT, left, MPI_ANY_TAG, MPI_COMM_WORLD, &r);
        MPI_Send(&out, 1, MPI_INT, right, 32767, MPI_COMM_WORLD);
        MPI_Wait(&r, &st);
        TM_CHECK(in == left && st.MPI_TAG == 32767 && st.MPI_SOURCE == left,
                 "tag 32767 message: got %d tag %d source %d", in, st.MPI_TAG, st.MPI_SOURCE);
    }

    free(sbuf);
    free(rbuf);
    return tm_finish();
}
