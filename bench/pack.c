/* pack: datatype engine throughput, against memcpy of the same bytes.
 *
 * Rank 0 (alone or not) times, for each data size:
 *   vector      MPI_Pack of vector(n, 1, 2, MPI_DOUBLE): 8-byte blocks, stride 16 bytes
 *   vector_un   MPI_Unpack into the same layout
 *   face_x      MPI_Pack of the z = 5 face of an m x m x 16 array of doubles (C order):
 *               m*m blocks of 8 bytes, 128 bytes apart: the hardest face
 *   face_y      the y = 5 face of an m x 16 x m array: m blocks of 8m bytes
 *   memcpy      memcpy of the same number of bytes (the reference for all of them)
 * and prints each as GB/s (10^9 bytes of data per second) and as a fraction of memcpy.
 * With 2 or more ranks, ranks 0 and 1 then time a ping-pong of a vector(n, 1, 2, DOUBLE)
 * message (non-contiguous on both sides) and of the same bytes contiguous.
 *
 *   pack [-s size[,size...]] [-t seconds]      sizes of data in bytes (K/M suffixes)
 *   output: "# kind bytes GB/s frac_of_memcpy", then one line per measurement;
 *           "vecpp bytes us_per_msg GB/s" and "contpp ..." for the ping-pong.
 * Each figure is the best of 5 runs of at least seconds/5 each (default 0.5 s per figure).
 */
#define _POSIX_C_SOURCE 200809L
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIZES 16

static double budget = 0.5;

static long parse_size(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v <= 0)
        return -1;
    if (*end == 'k' || *end == 'K')
        v <<= 10, end++;
    else if (*end == 'm' || *end == 'M')
        v <<= 20, end++;
    return *end ? -1 : v;
}

enum op { OP_MEMCPY, OP_PACK, OP_UNPACK };

struct job {
    enum op op;
    MPI_Datatype type;
    char *user;       /* buffer origin for the type */
    char *packed;
    size_t bytes;
};

static void run_once(const struct job *j)
{
    int pos = 0;
    switch (j->op) {
    case OP_MEMCPY:
        memcpy(j->packed, j->user, j->bytes);
        break;
    case OP_PACK:
        MPI_Pack(j->user, 1, j->type, j->packed, (int)j->bytes, &pos, MPI_COMM_SELF);
        break;
    case OP_UNPACK:
        MPI_Unpack(j->packed, (int)j->bytes, &pos, j->user, 1, j->type, MPI_COMM_SELF);
        break;
    }
}

/* Best seconds per operation over 5 runs. */
static double time_job(const struct job *j)
{
    double best = 1e30;
    for (int rep = 0; rep < 5; rep++) {
        long iters = 0;
        double t0 = MPI_Wtime(), t;
        do {
            run_once(j);
            iters++;
            t = MPI_Wtime() - t0;
        } while (t < budget / 5);
        if (t / (double)iters < best)
            best = t / (double)iters;
    }
    return best;
}

static void report(const char *kind, size_t bytes, double s, double ref)
{
    printf("%-10s %10zu %8.2f %6.3f\n", kind, bytes, (double)bytes / s / 1e9, ref / s);
    fflush(stdout);
}

static void bench_pack(size_t bytes)
{
    size_t n = bytes / 8;
    double *vec = malloc(2 * n * sizeof *vec);
    char *packed = malloc(bytes), *src = malloc(bytes);
    for (size_t i = 0; i < 2 * n; i++)
        vec[i] = (double)i;
    memset(packed, 1, bytes);
    memset(src, 2, bytes);
    struct job mc = {OP_MEMCPY, MPI_DATATYPE_NULL, src, packed, bytes};
    double ref = time_job(&mc);
    report("memcpy", bytes, ref, ref);

    MPI_Datatype v;
    MPI_Type_vector((int)n, 1, 2, MPI_DOUBLE, &v);
    MPI_Type_commit(&v);
    struct job jp = {OP_PACK, v, (char *)vec, packed, bytes};
    report("vector", bytes, time_job(&jp), ref);
    for (size_t i = 0; i < n; i++)
        if (((double *)packed)[i] != (double)(2 * i)) {
            fprintf(stderr, "pack: vector packed wrong at %zu\n", i);
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
    struct job ju = {OP_UNPACK, v, (char *)vec, packed, bytes};
    report("vector_un", bytes, time_job(&ju), ref);
    MPI_Type_free(&v);
    free(vec);

    /* faces of an m x m x 16 array of doubles (m*m*8 ~ bytes): x = const is m*m blocks of
     * 8 bytes 128 bytes apart, y = const (of an m x 16 x m array) m blocks of 8m bytes */
    int m = 2;
    while ((size_t)(m + 1) * (size_t)(m + 1) <= n)
        m++;
    size_t cube = (size_t)m * m * 16;
    double *a = malloc(cube * sizeof *a);
    if (a) {
        for (size_t i = 0; i < cube; i++)
            a[i] = (double)i;
        size_t fb = (size_t)m * m * 8;
        struct job fm = {OP_MEMCPY, MPI_DATATYPE_NULL, src, packed, fb};
        double fref = time_job(&fm);
        int sx3[3] = {m, m, 16}, fx[3] = {m, m, 1}, stx[3] = {0, 0, 5};
        int sy3[3] = {m, 16, m}, fy[3] = {m, 1, m}, sty[3] = {0, 5, 0};
        MPI_Datatype tx, ty;
        MPI_Type_create_subarray(3, sx3, fx, stx, MPI_ORDER_C, MPI_DOUBLE, &tx);
        MPI_Type_create_subarray(3, sy3, fy, sty, MPI_ORDER_C, MPI_DOUBLE, &ty);
        MPI_Type_commit(&tx);
        MPI_Type_commit(&ty);
        struct job jx = {OP_PACK, tx, (char *)a, packed, fb};
        struct job jy = {OP_PACK, ty, (char *)a, packed, fb};
        report("face_x", fb, time_job(&jx), fref);
        for (size_t i = 0; i < (size_t)m * m; i++)
            if (((double *)packed)[i] != (double)(i * 16 + 5)) {
                fprintf(stderr, "pack: face_x packed wrong at %zu\n", i);
                MPI_Abort(MPI_COMM_WORLD, 1);
            }
        report("face_y", fb, time_job(&jy), fref);
        MPI_Type_free(&tx);
        MPI_Type_free(&ty);
        free(a);
    }
    free(packed);
    free(src);
}

/* Ping-pong between ranks 0 and 1 of `bytes` of data, with a vector layout or contiguous. */
static void bench_pingpong(size_t bytes, int rank, int vector)
{
    size_t n = bytes / 8;
    double *buf = calloc(2 * n, sizeof *buf);
    MPI_Datatype t;
    int count;
    if (vector) {
        MPI_Type_vector((int)n, 1, 2, MPI_DOUBLE, &t);
        MPI_Type_commit(&t);
        count = 1;
    } else {
        t = MPI_DOUBLE;
        count = (int)n;
    }
    long iters = (long)(2e9 / (double)bytes);
    if (iters < 20)
        iters = 20;
    if (iters > 2000)
        iters = 2000;
    double best = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = MPI_Wtime();
        for (long i = 0; i < iters; i++) {
            if (rank == 0) {
                MPI_Send(buf, count, t, 1, 1, MPI_COMM_WORLD);
                MPI_Recv(buf, count, t, 1, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            } else {
                MPI_Recv(buf, count, t, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(buf, count, t, 0, 2, MPI_COMM_WORLD);
            }
        }
        double dt = (MPI_Wtime() - t0) / (2.0 * (double)iters);
        if (dt < best)
            best = dt;
    }
    if (rank == 0) {
        printf("%-10s %10zu %8.2f %8.2f\n", vector ? "vecpp" : "contpp", bytes, best * 1e6,
               (double)bytes / best / 1e9);
        fflush(stdout);
    }
    if (vector)
        MPI_Type_free(&t);
    free(buf);
}

int main(int argc, char **argv)
{
    long sizes[MAX_SIZES] = {1 << 20, 8 << 20};
    int nsizes = 2, rank, size, bad = 0;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "-s") && a + 1 < argc) {
            nsizes = 0;
            for (char *tok = strtok(argv[++a], ","); tok; tok = strtok(NULL, ",")) {
                long v = parse_size(tok);
                if (v < 16 || v > (1L << 30) || nsizes == MAX_SIZES)
                    bad = 1;
                else
                    sizes[nsizes++] = v;
            }
        } else if (!strcmp(argv[a], "-t") && a + 1 < argc) {
            budget = atof(argv[++a]);
            if (budget <= 0)
                bad = 1;
        } else {
            bad = 1;
        }
    }
    if (bad) {
        if (rank == 0)
            fprintf(stderr, "usage: %s [-s size[,size...]] [-t seconds]\n", argv[0]);
        MPI_Finalize();
        return 2;
    }
    if (rank == 0) {
        printf("# pack: datatype pack/unpack throughput vs memcpy of the same bytes\n");
        printf("# %-8s %10s %8s %6s\n", "kind", "bytes", "GB/s", "frac");
        for (int k = 0; k < nsizes; k++)
            bench_pack((size_t)sizes[k]);
    }
    if (size >= 2 && rank < 2) {
        if (rank == 0)
            printf("# ping-pong, half round trip: %-8s %10s %8s %8s\n", "kind", "bytes", "us",
                   "GB/s");
        for (int k = 0; k < nsizes; k++) {
            bench_pingpong((size_t)sizes[k], rank, 1);
            bench_pingpong((size_t)sizes[k], rank, 0);
        }
    }
    MPI_Finalize();
    return 0;
}
