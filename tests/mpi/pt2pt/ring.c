/* pt2pt/ring: a token travels around the ring several times (blocking Recv then Send,
 * started by rank 0), growing at each hop and checked at each hop; then every rank sends
 * both ways at once with Isend/Irecv (left and right neighbours, all sizes). */
#include "../common.h"

#define LAPS 3

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    size_t maxn = 200000;
    unsigned char *buf = tm_malloc(maxn), *buf2 = tm_malloc(maxn);

    /* Token ring: hop h carries h*1000+1 bytes, pattern seeded by h. */
    int hops = LAPS * tm_size;
    for (int h = 0; h < hops; h++) {
        int from = h % tm_size, to = (h + 1) % tm_size;
        size_t n = (size_t)h * 1000 + 1;
        if (n > maxn) {
            n = maxn;
        }
        if (tm_size == 1) {
            MPI_Request r;
            tm_fill(buf, n, (unsigned)h);
            MPI_Isend(buf, (int)n, MPI_BYTE, 0, h, MPI_COMM_WORLD, &r);
            MPI_Recv(buf2, (int)maxn, MPI_BYTE, 0, h, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Wait(&r, MPI_STATUS_IGNORE);
            TM_CHECK_BUF(buf2, n, (unsigned)h, "token hop %d", h);
            continue;
        }
        if (tm_rank == from) {
            tm_fill(buf, n, (unsigned)h);
            TM_CHECK_RC(MPI_Send(buf, (int)n, MPI_BYTE, to, h, MPI_COMM_WORLD), "MPI_Send (token)");
        } else if (tm_rank == to) {
            MPI_Status st;
            int count = -1;
            TM_CHECK_RC(MPI_Recv(buf2, (int)maxn, MPI_BYTE, from, MPI_ANY_TAG, MPI_COMM_WORLD, &st),
                        "MPI_Recv (token)");
            MPI_Get_count(&st, MPI_BYTE, &count);
            TM_CHECK(st.MPI_TAG == h && count == (int)n, "token hop %d: tag %d count %d", h,
                     st.MPI_TAG, count);
            TM_CHECK_BUF(buf2, n, (unsigned)h, "token hop %d", h);
        }
    }

    /* Both directions at once. */
    for (size_t k = 0; k < TM_NSIZES; k++) {
        size_t n = tm_sizes[k];
        unsigned char *s = tm_malloc(n), *rl = tm_malloc(n), *rr = tm_malloc(n);
        MPI_Request q[4];
        MPI_Status st[4];
        tm_fill(s, n, (unsigned)(tm_rank * 10 + k));
        MPI_Irecv(rl, (int)n, MPI_BYTE, left, 1, MPI_COMM_WORLD, &q[0]);
        MPI_Irecv(rr, (int)n, MPI_BYTE, right, 2, MPI_COMM_WORLD, &q[1]);
        MPI_Isend(s, (int)n, MPI_BYTE, right, 1, MPI_COMM_WORLD, &q[2]);
        MPI_Isend(s, (int)n, MPI_BYTE, left, 2, MPI_COMM_WORLD, &q[3]);
        TM_CHECK_RC(MPI_Waitall(4, q, st), "MPI_Waitall (bidirectional)");
        TM_CHECK_BUF(rl, n, (unsigned)(left * 10 + k), "%zu bytes from the left", n);
        TM_CHECK_BUF(rr, n, (unsigned)(right * 10 + k), "%zu bytes from the right", n);
        free(s);
        free(rl);
        free(rr);
    }

    free(buf);
    free(buf2);
    return tm_finish();
}
