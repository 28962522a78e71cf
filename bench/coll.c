/* coll.c - collective latency benchmark (standard MPI, runs with any MPI).
 *
 *   coll [-t seconds] [-w warmup] TEST...
 *
 * TEST is NAME or NAME:SIZE (bytes, K/M/G suffixes): barrier, bcast:SIZE, allreduce:SIZE
 * (MPI_DOUBLE sums; 8 = one double), alltoall:SIZE (bytes per peer), allgather:SIZE,
 * reduce:SIZE, or loop:N (N allreduce of one double, each followed by a barrier, timed as
 * one block: the CI-style "many tiny collectives on an oversubscribed machine" case).
 * Default: barrier bcast:1M allreduce:8 allreduce:64K allreduce:1M alltoall:1K loop:1000.
 *
 * Each test runs warm-up iterations, then as many timed iterations as fit in the time
 * budget (rank 0 decides from a first estimate so every rank runs the same count). Prints
 * "name size avg_us iters": the average time per call, the maximum over ranks. loop prints
 * its total seconds in the avg_us column's place as "loop N total_s 1". Results are
 * checked once per test; a wrong result aborts.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int rank, size;
static double budget = 0.5;
static int warmup = 20;

static size_t parse_size(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    switch (*end) {
    case 'k': case 'K': v *= 1024; break;
    case 'm': case 'M': v *= 1024 * 1024; break;
    case 'g': case 'G': v *= 1024.0 * 1024 * 1024; break;
    }
    return (size_t)v;
}

static void fail(const char *what)
{
    fprintf(stderr, "coll: rank %d: wrong result in %s\n", rank, what);
    MPI_Abort(MPI_COMM_WORLD, 1);
}

struct bufs {
    char *a, *b;
    size_t bytes;
};

/* One call of the test; check != 0: verify the result. */
static void run_once(const char *name, struct bufs *B, int check)
{
    size_t n = B->bytes;
    if (!strcmp(name, "barrier")) {
        MPI_Barrier(MPI_COMM_WORLD);
    } else if (!strcmp(name, "bcast")) {
        if (check && rank == 0)
            memset(B->a, 7, n);
        MPI_Bcast(B->a, (int)n, MPI_BYTE, 0, MPI_COMM_WORLD);
        if (check && n && (B->a[0] != 7 || B->a[n - 1] != 7))
            fail(name);
    } else if (!strcmp(name, "allreduce") || !strcmp(name, "reduce")) {
        size_t cnt = n / sizeof(double);
        double *x = (double *)B->a, *y = (double *)B->b;
        if (check)
            for (size_t i = 0; i < cnt; i++)
                x[i] = rank + 1;
        if (name[0] == 'a')
            MPI_Allreduce(x, y, (int)cnt, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
        else
            MPI_Reduce(x, y, (int)cnt, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
        double want = (double)size * (size + 1) / 2;
        if (check && cnt && (name[0] == 'a' || rank == 0) &&
            (y[0] != want || y[cnt - 1] != want))
            fail(name);
    } else if (!strcmp(name, "alltoall") || !strcmp(name, "allgather")) {
        if (check)
            for (int p = 0; p < size; p++)
                memset(B->a + (size_t)p * n, rank + p, n);
        if (name[3] == 't')
            MPI_Alltoall(B->a, (int)n, MPI_BYTE, B->b, (int)n, MPI_BYTE, MPI_COMM_WORLD);
        else
            MPI_Allgather(B->a, (int)n, MPI_BYTE, B->b, (int)n, MPI_BYTE, MPI_COMM_WORLD);
        if (check && n)
            for (int p = 0; p < size; p++)
                if (B->b[(size_t)p * n] != (char)(name[3] == 't' ? p + rank : p))
                    fail(name);
    }
}

static void bench(const char *spec)
{
    char name[64];
    size_t bytes = 0;
    const char *colon = strchr(spec, ':');
    size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
    if (len >= sizeof name)
        len = sizeof name - 1;
    memcpy(name, spec, len);
    name[len] = 0;
    if (colon)
        bytes = parse_size(colon + 1);

    if (!strcmp(name, "loop")) {
        int n = colon ? (int)bytes : 1000;
        double x = rank, y;
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        for (int i = 0; i < n; i++) {
            MPI_Allreduce(&x, &y, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
            MPI_Barrier(MPI_COMM_WORLD);
        }
        double t = MPI_Wtime() - t0, tmax;
        if (y != (double)size * (size - 1) / 2)
            fail("loop");
        MPI_Reduce(&t, &tmax, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
        if (rank == 0)
            printf("loop %-10d %12.6f %8d\n", n, tmax, 1);
        return;
    }
    struct bufs B;
    size_t per = bytes * ((!strcmp(name, "alltoall") || !strcmp(name, "allgather")) ? size : 1);
    B.bytes = bytes;
    B.a = malloc(per ? per : 1);
    B.b = malloc(per ? per : 1);
    if (!B.a || !B.b) {
        fprintf(stderr, "coll: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    memset(B.a, 0, per);
    memset(B.b, 0, per);
    run_once(name, &B, 1);
    for (int i = 0; i < warmup; i++)
        run_once(name, &B, 0);
    /* estimate, then agree on an iteration count that fits the budget */
    MPI_Barrier(MPI_COMM_WORLD);
    int est = 10;
    double t0 = MPI_Wtime();
    for (int i = 0; i < est; i++)
        run_once(name, &B, 0);
    double t1 = MPI_Wtime() - t0;
    int iters = t1 > 0 ? (int)(budget / (t1 / est)) : 100000;
    if (iters < 10)
        iters = 10;
    if (iters > 1000000)
        iters = 1000000;
    MPI_Bcast(&iters, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Barrier(MPI_COMM_WORLD);
    t0 = MPI_Wtime();
    for (int i = 0; i < iters; i++)
        run_once(name, &B, 0);
    double avg = (MPI_Wtime() - t0) / iters * 1e6, amax;
    run_once(name, &B, 1);
    MPI_Reduce(&avg, &amax, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank == 0)
        printf("%-10s %-10zu %12.3f %8d\n", name, bytes, amax, iters);
    free(B.a);
    free(B.b);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int opt;
    while ((opt = getopt(argc, argv, "t:w:")) != -1) {
        switch (opt) {
        case 't': budget = atof(optarg); break;
        case 'w': warmup = atoi(optarg); break;
        default:
            if (rank == 0)
                fprintf(stderr, "usage: coll [-t seconds] [-w warmup] TEST...\n");
            MPI_Finalize();
            return 2;
        }
    }
    static const char *defaults[] = {"barrier", "bcast:1M", "allreduce:8", "allreduce:64K",
                                     "allreduce:1M", "alltoall:1K", "loop:1000"};
    if (rank == 0)
        printf("# coll: %d ranks; name size avg_us iters (loop: N total_s 1)\n", size);
    if (optind < argc)
        for (int i = optind; i < argc; i++)
            bench(argv[i]);
    else
        for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
            bench(defaults[i]);
    MPI_Finalize();
    return 0;
}
