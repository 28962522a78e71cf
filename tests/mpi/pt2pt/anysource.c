/* pt2pt/anysource: each rank in turn is the root and receives ROUNDS messages from every
 * other rank with MPI_ANY_SOURCE / MPI_ANY_TAG (and with one of the two wildcards). The
 * status names the real source and tag, and messages from one source arrive in the order
 * sent (non-overtaking holds through wildcards). Some messages are large enough for
 * rendezvous. A single rank sends to itself. */
#include "../common.h"

#define ROUNDS 12
#define BIG (65536 + 3)

static size_t size_of(int k)
{
    return (k % 5 == 4) ? BIG : (size_t)(8 + k);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    unsigned char *rbuf = tm_malloc(BIG);
    unsigned char *sbuf[ROUNDS];
    for (int k = 0; k < ROUNDS; k++) {
        sbuf[k] = tm_malloc(size_of(k));
    }
    int nsenders = tm_size > 1 ? tm_size - 1 : 1;

    for (int root = 0; root < tm_size; root++) {
        for (int mode = 0; mode < 3; mode++) { /* 0: both wildcards, 1: ANY_SOURCE, 2: ANY_TAG */
            MPI_Request sreq[ROUNDS];
            int nsend = 0;
            if (tm_rank != root || tm_size == 1) {
                for (int k = 0; k < ROUNDS; k++) {
                    int tag = mode == 1 ? 7 : tm_rank * 100 + k;
                    tm_fill(sbuf[k], size_of(k), (unsigned)(tm_rank * 1000 + k + mode));
                    MPI_Isend(sbuf[k], (int)size_of(k), MPI_BYTE, root, tag, MPI_COMM_WORLD,
                              &sreq[nsend++]);
                }
            }
            if (tm_rank == root) {
                int *next = calloc((size_t)tm_size, sizeof(int)); /* next round per source */
                for (int i = 0; i < nsenders * ROUNDS; i++) {
                    MPI_Status st;
                    int src_arg = MPI_ANY_SOURCE, tag_arg = MPI_ANY_TAG;
                    if (mode == 1) {
                        tag_arg = 7;
                    } else if (mode == 2) {
                        /* ANY_TAG from a specific source: walk the sources in turn. */
                        src_arg = tm_size == 1 ? 0 : (root + 1 + i % nsenders) % tm_size;
                    }
                    memset(rbuf, 0, BIG);
                    TM_CHECK_RC(MPI_Recv(rbuf, BIG, MPI_BYTE, src_arg, tag_arg, MPI_COMM_WORLD, &st),
                                "MPI_Recv (wildcard)");
                    int src = st.MPI_SOURCE;
                    if (src < 0 || src >= tm_size || (src == root && tm_size > 1)) {
                        TM_CHECK(0, "mode %d: wildcard receive got source %d", mode, src);
                        break;
                    }
                    int k = next[src]++;
                    int count = -1;
                    MPI_Get_count(&st, MPI_BYTE, &count);
                    int want_tag = mode == 1 ? 7 : src * 100 + k;
                    TM_CHECK(k < ROUNDS && st.MPI_TAG == want_tag && count == (int)size_of(k),
                             "mode %d: message %d from %d has tag %d count %d, expected tag %d "
                             "count %zu (out of order?)",
                             mode, k, src, st.MPI_TAG, count, want_tag, size_of(k));
                    if (mode == 2) {
                        TM_CHECK(src == src_arg, "ANY_TAG receive from %d got source %d", src_arg,
                                 src);
                    }
                    if (k < ROUNDS) {
                        TM_CHECK_BUF(rbuf, size_of(k), (unsigned)(src * 1000 + k + mode),
                                     "mode %d: message %d from %d", mode, k, src);
                    }
                }
                free(next);
            }
            MPI_Waitall(nsend, sreq, MPI_STATUSES_IGNORE);
            tm_barrier();
        }
    }

    for (int k = 0; k < ROUNDS; k++) {
        free(sbuf[k]);
    }
    free(rbuf);
    return tm_finish();
}
