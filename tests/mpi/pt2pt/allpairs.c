/* pt2pt/allpairs: every rank exchanges a message with every rank (itself included) using
 * MPI_Irecv/MPI_Isend, for a small, a medium and a rendezvous size, completed with
 * MPI_Waitall, MPI_Waitany and MPI_Waitsome in turn. */
#include "../common.h"

static unsigned seed_of(int src, int dst, int round)
{
    return (unsigned)(src * 131 + dst * 17 + round * 7);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    static const size_t sizes[] = {16, 4096, 262144 + 5};
    int n = tm_size;
    unsigned char **sbuf = calloc((size_t)n, sizeof *sbuf), **rbuf = calloc((size_t)n, sizeof *rbuf);
    MPI_Request *req = tm_malloc(2 * (size_t)n * sizeof *req);
    MPI_Status *st = tm_malloc(2 * (size_t)n * sizeof *st);
    int *idx = tm_malloc(2 * (size_t)n * sizeof *idx);

    for (int round = 0; round < 3; round++) {
        size_t len = sizes[round];
        for (int p = 0; p < n; p++) {
            sbuf[p] = tm_malloc(len);
            rbuf[p] = tm_malloc(len);
            memset(rbuf[p], 0, len);
            tm_fill(sbuf[p], len, seed_of(tm_rank, p, round));
        }
        /* Receives first from everyone, then sends starting with the next rank (so not
         * everybody hits rank 0 at once). */
        for (int p = 0; p < n; p++) {
            MPI_Irecv(rbuf[p], (int)len, MPI_BYTE, p, round, MPI_COMM_WORLD, &req[p]);
        }
        for (int i = 0; i < n; i++) {
            int p = (tm_rank + 1 + i) % n;
            MPI_Isend(sbuf[p], (int)len, MPI_BYTE, p, round, MPI_COMM_WORLD, &req[n + p]);
        }
        if (round == 0) {
            TM_CHECK_RC(MPI_Waitall(2 * n, req, st), "MPI_Waitall");
            for (int p = 0; p < n; p++) {
                TM_CHECK(st[p].MPI_SOURCE == p && st[p].MPI_TAG == round,
                         "status of the receive from %d: source %d tag %d", p, st[p].MPI_SOURCE,
                         st[p].MPI_TAG);
            }
        } else if (round == 1) {
            for (int c = 0; c < 2 * n; c++) {
                int i = -1;
                MPI_Status s;
                TM_CHECK_RC(MPI_Waitany(2 * n, req, &i, &s), "MPI_Waitany");
                TM_CHECK(i >= 0 && i < 2 * n, "Waitany index %d", i);
                if (i >= 0 && i < n) {
                    TM_CHECK(s.MPI_SOURCE == i, "Waitany: receive %d has source %d", i, s.MPI_SOURCE);
                }
            }
        } else {
            int done = 0;
            while (done < 2 * n) {
                int out = -1;
                TM_CHECK_RC(MPI_Waitsome(2 * n, req, &out, idx, st), "MPI_Waitsome");
                if (out <= 0 || out == MPI_UNDEFINED) {
                    TM_CHECK(0, "Waitsome outcount %d with %d requests left", out, 2 * n - done);
                    break;
                }
                for (int c = 0; c < out; c++) {
                    if (idx[c] < n) {
                        TM_CHECK(st[c].MPI_SOURCE == idx[c], "Waitsome: receive %d has source %d",
                                 idx[c], st[c].MPI_SOURCE);
                    }
                }
                done += out;
            }
        }
        for (int p = 0; p < n; p++) {
            TM_CHECK_BUF(rbuf[p], len, seed_of(p, tm_rank, round), "round %d: %zu bytes from %d",
                         round, len, p);
            free(sbuf[p]);
            free(rbuf[p]);
        }
    }

    free(sbuf);
    free(rbuf);
    free(req);
    free(st);
    free(idx);
    return tm_finish();
}
