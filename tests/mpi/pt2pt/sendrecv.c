/* pt2pt/sendrecv: MPI_Sendrecv around a ring (send and receive sizes differ, all protocol
 * sizes), with itself, and MPI_Sendrecv_replace with contiguous data and with a vector
 * type (only the vector's elements change, the gaps stay as they were). */
#include "../common.h"

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    size_t maxn = tm_sizes[TM_NSIZES - 1];
    unsigned char *sbuf = tm_malloc(maxn), *rbuf = tm_malloc(maxn);
    MPI_Status st;
    int count;

    /* Sendrecv: what rank r sends in step k has size tm_sizes[(r + k) % N]. */
    for (size_t k = 0; k < TM_NSIZES; k++) {
        size_t sn = tm_sizes[(tm_rank + k) % TM_NSIZES], rn = tm_sizes[(left + k) % TM_NSIZES];
        tm_fill(sbuf, sn, (unsigned)(tm_rank + 10 * k));
        memset(rbuf, 0, maxn);
        TM_CHECK_RC(MPI_Sendrecv(sbuf, (int)sn, MPI_BYTE, right, (int)k, rbuf, (int)maxn, MPI_BYTE,
                                 left, (int)k, MPI_COMM_WORLD, &st),
                    "MPI_Sendrecv");
        MPI_Get_count(&st, MPI_BYTE, &count);
        TM_CHECK(st.MPI_SOURCE == left && st.MPI_TAG == (int)k && count == (int)rn,
                 "Sendrecv step %zu: status %d/%d count %d, expected %d/%zu/%zu", k, st.MPI_SOURCE,
                 st.MPI_TAG, count, left, k, rn);
        TM_CHECK_BUF(rbuf, rn, (unsigned)(left + 10 * k), "Sendrecv step %zu from %d", k, left);
    }

    /* Sendrecv with itself, and with different send and receive tags. */
    for (size_t k = 0; k < TM_NSIZES; k++) {
        size_t n = tm_sizes[k];
        tm_fill(sbuf, n, (unsigned)(77 + k));
        memset(rbuf, 0, n);
        TM_CHECK_RC(MPI_Sendrecv(sbuf, (int)n, MPI_BYTE, tm_rank, 5, rbuf, (int)n, MPI_BYTE,
                                 tm_rank, 5, MPI_COMM_WORLD, &st),
                    "MPI_Sendrecv with self");
        TM_CHECK_BUF(rbuf, n, (unsigned)(77 + k), "Sendrecv with self, %zu bytes", n);
    }
    {
        int out = tm_rank, in = -1;
        TM_CHECK_RC(MPI_Sendrecv(&out, 1, MPI_INT, right, 1000 + tm_rank, &in, 1, MPI_INT, left,
                                 1000 + left, MPI_COMM_WORLD, &st),
                    "MPI_Sendrecv (tags differ)");
        TM_CHECK(in == left && st.MPI_TAG == 1000 + left, "Sendrecv tags: got %d tag %d", in,
                 st.MPI_TAG);
    }

    /* Sendrecv_replace, contiguous, every size. */
    for (size_t k = 0; k < TM_NSIZES; k++) {
        size_t n = tm_sizes[k];
        tm_fill(sbuf, n, (unsigned)(tm_rank * 3 + k));
        TM_CHECK_RC(MPI_Sendrecv_replace(sbuf, (int)n, MPI_BYTE, right, 7, left, 7, MPI_COMM_WORLD,
                                         &st),
                    "MPI_Sendrecv_replace");
        MPI_Get_count(&st, MPI_BYTE, &count);
        TM_CHECK(st.MPI_SOURCE == left && count == (int)n, "Sendrecv_replace: source %d count %d",
                 st.MPI_SOURCE, count);
        TM_CHECK_BUF(sbuf, n, (unsigned)(left * 3 + k), "Sendrecv_replace %zu bytes from %d", n,
                     left);
    }

    /* Sendrecv_replace with a vector: `reps` vectors of NBLK blocks of 2 ints, stride 3,
     * so every third int is a gap that must keep its value. Small and rendezvous sizes. */
    {
        MPI_Datatype vec;
        enum { NBLK = 4 };
        MPI_Type_vector(NBLK, 2, 3, MPI_INT, &vec);
        MPI_Type_commit(&vec);
        MPI_Aint lb, extent;
        MPI_Type_get_extent(vec, &lb, &extent);
        int ints_per_vec = (int)(extent / (MPI_Aint)sizeof(int)); /* (NBLK-1)*3 + 2 = 11 */
        static const int reps_list[] = {1, 3, 40000};
        for (size_t r = 0; r < 3; r++) {
            int reps = reps_list[r];
            size_t nint = (size_t)reps * (size_t)ints_per_vec;
            int *buf = tm_malloc(nint * sizeof(int));
            for (size_t i = 0; i < nint; i++) {
                buf[i] = (int)(tm_rank * 1000000 + i);
            }
            TM_CHECK_RC(MPI_Sendrecv_replace(buf, reps, vec, right, 8, left, 8, MPI_COMM_WORLD,
                                             &st),
                        "MPI_Sendrecv_replace (vector)");
            MPI_Get_count(&st, vec, &count);
            TM_CHECK(count == reps, "Sendrecv_replace vector: Get_count %d, expected %d", count,
                     reps);
            int bad = 0;
            for (size_t i = 0; i < nint && bad < 5; i++) {
                /* Position within a vector: block j covers ints 3j, 3j+1; 3j+2 is a gap. The
                 * tail of each vector (ints_per_vec) ends with a block, so the gap test is
                 * on the index within the vector. */
                size_t in_vec = i % (size_t)ints_per_vec;
                int is_gap = (in_vec % 3) == 2;
                int want = is_gap ? (int)(tm_rank * 1000000 + i) : (int)(left * 1000000 + i);
                if (buf[i] != want) {
                    TM_CHECK(0, "Sendrecv_replace vector x%d: int %zu is %d, expected %d (%s)", reps,
                             i, buf[i], want, is_gap ? "gap" : "data");
                    bad++;
                }
            }
            free(buf);
        }
        MPI_Type_free(&vec);
    }

    free(sbuf);
    free(rbuf);
    return tm_finish();
}
