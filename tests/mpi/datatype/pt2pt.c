/* datatype/pt2pt: derived types on the wire between ranks. A strided vector sent is
 * received contiguous and vice versa (the gaps of a receive vector keep their values),
 * vector to vector with different strides, negative strides, nested types, small and
 * large (pipelined, non-contiguous rendezvous) sizes, and a type freed while the send
 * using it is still pending. */
#include "../common.h"

static int right, left;

static int val(int rank, long i)
{
    return (int)(rank * 10000000 + i);
}

static void exchange(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, int rcount,
                     MPI_Datatype rtype, const char *what)
{
    MPI_Request r[2];
    MPI_Irecv(rbuf, rcount, rtype, left, 1, MPI_COMM_WORLD, &r[0]);
    MPI_Isend(sbuf, scount, stype, right, 1, MPI_COMM_WORLD, &r[1]);
    TM_CHECK_RC(MPI_Waitall(2, r, MPI_STATUSES_IGNORE), what);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    right = (tm_rank + 1) % tm_size;
    left = (tm_rank + tm_size - 1) % tm_size;
    static const int counts[] = {1, 7, 300001}; /* ints per direction: tiny, small, >1 MiB */

    for (int ci = 0; ci < 3; ci++) {
        int n = counts[ci];
        int *strided = tm_malloc(2 * (size_t)n * sizeof(int));
        int *contig = tm_malloc((size_t)n * sizeof(int));
        MPI_Datatype every_other; /* n ints, one every two */
        MPI_Type_vector(n, 1, 2, MPI_INT, &every_other);
        MPI_Type_commit(&every_other);

        /* vector -> contiguous */
        for (long i = 0; i < 2L * n; i++) {
            strided[i] = val(tm_rank, i);
        }
        memset(contig, 0, (size_t)n * sizeof(int));
        exchange(strided, 1, every_other, contig, n, MPI_INT, "vector -> contiguous");
        for (long i = 0; i < n; i++) {
            if (contig[i] != val(left, 2 * i)) {
                TM_CHECK(0, "vector->contiguous (n=%d): int %ld is %d, expected %d", n, i, contig[i],
                         val(left, 2 * i));
                break;
            }
        }

        /* contiguous -> vector: the odd slots (gaps) keep their -1. */
        for (long i = 0; i < n; i++) {
            contig[i] = val(tm_rank, i);
        }
        for (long i = 0; i < 2L * n; i++) {
            strided[i] = -1;
        }
        exchange(contig, n, MPI_INT, strided, 1, every_other, "contiguous -> vector");
        for (long i = 0; i < 2L * n; i++) {
            int want = (i % 2) ? -1 : val(left, i / 2);
            if (strided[i] != want) {
                TM_CHECK(0, "contiguous->vector (n=%d): int %ld is %d, expected %d", n, i, strided[i],
                         want);
                break;
            }
        }

        /* vector(stride 2) -> vector(stride 3, blocks of 1) and the count in recv units. */
        {
            int *s3 = tm_malloc(3 * (size_t)n * sizeof(int));
            MPI_Datatype every_third;
            MPI_Type_vector(n, 1, 3, MPI_INT, &every_third);
            MPI_Type_commit(&every_third);
            for (long i = 0; i < 2L * n; i++) {
                strided[i] = val(tm_rank, i);
            }
            for (long i = 0; i < 3L * n; i++) {
                s3[i] = -2;
            }
            MPI_Request r[2];
            MPI_Status st;
            MPI_Irecv(s3, 1, every_third, left, 2, MPI_COMM_WORLD, &r[0]);
            MPI_Isend(strided, 1, every_other, right, 2, MPI_COMM_WORLD, &r[1]);
            MPI_Wait(&r[0], &st);
            MPI_Wait(&r[1], MPI_STATUS_IGNORE);
            int count = -1, elems = -1;
            MPI_Get_count(&st, every_third, &count);
            MPI_Get_elements(&st, every_third, &elems);
            TM_CHECK(count == 1 && elems == n, "vector->vector (n=%d): count %d elements %d", n,
                     count, elems);
            for (long i = 0; i < 3L * n; i++) {
                int want = (i % 3) ? -2 : val(left, 2 * (i / 3));
                if (s3[i] != want) {
                    TM_CHECK(0, "vector->vector (n=%d): int %ld is %d, expected %d", n, i, s3[i],
                             want);
                    break;
                }
            }
            MPI_Type_free(&every_third);
            free(s3);
        }

        /* Negative stride: the vector walks backwards from the middle of the buffer. */
        {
            MPI_Datatype back;
            MPI_Type_vector(n, 1, -1, MPI_INT, &back);
            MPI_Type_commit(&back);
            for (long i = 0; i < n; i++) {
                contig[i] = val(tm_rank, i);
            }
            int *rb = tm_malloc((size_t)n * sizeof(int));
            /* Start at the last int: element j is contig[n-1-j]. */
            exchange(contig + n - 1, 1, back, rb, n, MPI_INT, "negative stride");
            for (long j = 0; j < n; j++) {
                if (rb[j] != val(left, n - 1 - j)) {
                    TM_CHECK(0, "negative stride (n=%d): int %ld is %d, expected %d", n, j, rb[j],
                             val(left, n - 1 - j));
                    break;
                }
            }
            MPI_Type_free(&back);
            free(rb);
        }

        /* Type freed while a send using it is pending. */
        {
            MPI_Datatype tmp;
            MPI_Type_vector(n, 1, 2, MPI_INT, &tmp);
            MPI_Type_commit(&tmp);
            for (long i = 0; i < 2L * n; i++) {
                strided[i] = val(tm_rank, i) + 1;
            }
            MPI_Request r[2];
            MPI_Irecv(contig, n, MPI_INT, left, 3, MPI_COMM_WORLD, &r[0]);
            MPI_Isend(strided, 1, tmp, right, 3, MPI_COMM_WORLD, &r[1]);
            TM_CHECK_RC(MPI_Type_free(&tmp), "MPI_Type_free with a pending send");
            TM_CHECK(tmp == MPI_DATATYPE_NULL, "Type_free did not set MPI_DATATYPE_NULL");
            TM_CHECK_RC(MPI_Waitall(2, r, MPI_STATUSES_IGNORE), "Waitall after Type_free");
            for (long i = 0; i < n; i++) {
                if (contig[i] != val(left, 2 * i) + 1) {
                    TM_CHECK(0, "send with a freed type (n=%d): int %ld is %d", n, i, contig[i]);
                    break;
                }
            }
        }

        MPI_Type_free(&every_other);
        free(strided);
        free(contig);
    }

    /* Nested: contiguous(3) of vector(2 blocks of 2 doubles, stride 5), as both send and
     * receive type, against a plain double receive. */
    {
        MPI_Datatype vd, cvd;
        MPI_Type_vector(2, 2, 5, MPI_DOUBLE, &vd); /* extent 7 doubles */
        MPI_Type_contiguous(3, vd, &cvd);          /* 12 doubles of data over 21 */
        MPI_Type_commit(&cvd);
        double sb[21], rb[21], flat[12];
        for (int i = 0; i < 21; i++) {
            sb[i] = tm_rank * 100 + i;
            rb[i] = -1;
        }
        exchange(sb, 1, cvd, flat, 12, MPI_DOUBLE, "nested -> doubles");
        static const int pick[12] = {0, 1, 5, 6, 7, 8, 12, 13, 14, 15, 19, 20};
        for (int i = 0; i < 12; i++) {
            TM_CHECK(flat[i] == left * 100 + pick[i], "nested -> doubles: %d is %g, expected %d", i,
                     flat[i], left * 100 + pick[i]);
        }
        exchange(sb, 1, cvd, rb, 1, cvd, "nested -> nested");
        for (int i = 0, p = 0; i < 21; i++) {
            int data = p < 12 && pick[p] == i;
            double want = data ? left * 100 + i : -1;
            p += data;
            TM_CHECK(rb[i] == want, "nested -> nested: double %d is %g, expected %g", i, rb[i], want);
        }
        MPI_Type_free(&vd);
        MPI_Type_free(&cvd);
    }

    return tm_finish();
}
