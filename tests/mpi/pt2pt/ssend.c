/* pt2pt/ssend: synchronous sends complete only once the matching receive has started.
 *  - MPI_Issend to the right neighbour, which posts its receive only after it gets a "go"
 *    message from us: until we send "go", MPI_Test must keep saying false (certain, not
 *    timing: the receive cannot have been posted yet). Every size, 0 bytes included.
 *  - Blocking MPI_Ssend between pairs: the receiver sleeps 200 ms after hearing from the
 *    sender before it posts the receive, so the sender's MPI_Ssend lasts at least that
 *    long (a lower bound only, so a slow machine cannot make it fail). */
#include "../common.h"

#define TAG_GO 900
#define DELAY_MS 200

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    size_t maxn = tm_sizes[TM_NSIZES - 1];
    unsigned char *sbuf = tm_malloc(maxn), *rbuf = tm_malloc(maxn);

    for (size_t k = 0; k < TM_NSIZES; k++) {
        size_t n = tm_sizes[k];
        MPI_Request s = MPI_REQUEST_NULL;
        MPI_Status st;
        int flag = 0;
        tm_fill(sbuf, n, (unsigned)(tm_rank + k));
        TM_CHECK_RC(MPI_Issend(sbuf, (int)n, MPI_BYTE, right, 1, MPI_COMM_WORLD, &s), "MPI_Issend");
        /* Poll for a while: the receiver has not posted (it waits for our go). */
        double t0 = MPI_Wtime();
        int polls = 0;
        while (MPI_Wtime() - t0 < 0.02 || polls < 100) {
            MPI_Test(&s, &flag, MPI_STATUS_IGNORE);
            polls++;
            if (flag) {
                break;
            }
        }
        TM_CHECK(!flag, "MPI_Issend of %zu bytes completed before the receive was posted", n);
        flag = 1;
        MPI_Request_get_status(s, &flag, MPI_STATUS_IGNORE);
        TM_CHECK(!flag, "MPI_Request_get_status says an unmatched Issend (%zu B) is complete", n);
        /* Go: our right neighbour may now post; we post ours once the left says go. */
        int go_out = 1, go_in = 0;
        MPI_Request g;
        MPI_Isend(&go_out, 1, MPI_INT, right, TAG_GO, MPI_COMM_WORLD, &g);
        MPI_Recv(&go_in, 1, MPI_INT, left, TAG_GO, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        memset(rbuf, 0, n);
        MPI_Recv(rbuf, (int)n, MPI_BYTE, left, 1, MPI_COMM_WORLD, &st);
        TM_CHECK_BUF(rbuf, n, (unsigned)(left + k), "Issend message of %zu bytes", n);
        TM_CHECK_RC(MPI_Wait(&s, MPI_STATUS_IGNORE), "MPI_Wait (Issend)");
        MPI_Wait(&g, MPI_STATUS_IGNORE);
    }

    /* Blocking Ssend in pairs (0-1, 2-3, ...); an odd rank out sits this one out. */
    int partner = tm_rank ^ 1;
    if (partner < tm_size) {
        static const size_t sizes[] = {0, 65536 + 3};
        for (int i = 0; i < 2; i++) {
            size_t n = sizes[i];
            if (tm_rank < partner) {
                int hello = 1;
                tm_fill(sbuf, n, 40 + i);
                double t0 = MPI_Wtime();
                MPI_Send(&hello, 1, MPI_INT, partner, 2, MPI_COMM_WORLD);
                TM_CHECK_RC(MPI_Ssend(sbuf, (int)n, MPI_BYTE, partner, 3, MPI_COMM_WORLD), "MPI_Ssend");
                double dt = MPI_Wtime() - t0;
                TM_CHECK(dt >= DELAY_MS * 0.9e-3,
                         "MPI_Ssend of %zu bytes returned after %.3f s, before the receiver "
                         "(sleeping %d ms) posted its receive",
                         n, dt, DELAY_MS);
            } else {
                int hello = 0;
                MPI_Recv(&hello, 1, MPI_INT, partner, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                tm_sleep_ms(DELAY_MS);
                memset(rbuf, 0, n);
                MPI_Recv(rbuf, (int)n, MPI_BYTE, partner, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                TM_CHECK_BUF(rbuf, n, 40 + i, "Ssend message of %zu bytes", n);
            }
        }
    }

    free(sbuf);
    free(rbuf);
    return tm_finish();
}
