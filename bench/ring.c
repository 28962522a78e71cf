/* ring: an int token passed around all ranks, 0 -> 1 -> ... -> N-1 -> 0.
 *
 * Every hop wakes a different process, so with more ranks than cores the time per
 * hop shows how a blocked rank waits: an MPI that sleeps until its message arrives
 * runs 8 ranks on 2 cores nearly as fast as 2 ranks; one that busy-polls makes every
 * hop wait for the scheduler to take the CPU away from spinning neighbours.
 *
 * Rank 0 decides how long the run lasts and the others just forward the token, so
 * no rank needs to know the lap count in advance: by default rank 0 keeps going
 * until the timed laps have taken -t seconds (1 s), which bounds the run time even
 * when hops are slow; -n fixes the number of laps instead. The token counts hops
 * (each rank adds one) and rank 0 checks it every lap; the value -1 tells every rank
 * to stop after passing it on. Warm-up laps (untimed) come first, up to 100 laps
 * or 0.1 s, whichever ends first.
 *
 *   ring [-n laps] [-t seconds]
 *   output: a comment line, then "ranks laps hops time_s us_per_hop".
 */
#define _POSIX_C_SOURCE 200809L
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAG_TOKEN 20

int main(int argc, char **argv)
{
    long laps_opt = 0;
    double seconds = 1.0;
    int rank, nranks, bad = 0;

    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);

    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "-n") && a + 1 < argc) {
            laps_opt = atol(argv[++a]);
            bad |= laps_opt <= 0;
        } else if (!strcmp(argv[a], "-t") && a + 1 < argc) {
            seconds = atof(argv[++a]);
            bad |= !(seconds > 0.0);
        } else {
            bad = 1;
        }
    }
    if (bad || nranks < 2) {
        if (rank == 0) {
            if (nranks < 2)
                fprintf(stderr, "ring: needs at least 2 ranks (got %d)\n", nranks);
            fprintf(stderr, "usage: %s [-n laps] [-t seconds]\n"
                            "  -n  timed laps (default: as many as fit in -t)\n"
                            "  -t  target time of the timed laps, default 1 s\n", argv[0]);
        }
        MPI_Finalize();
        return 2;
    }

    int next = (rank + 1) % nranks, prev = (rank + nranks - 1) % nranks;
    int token;

    if (rank != 0) {
        /* Forward until the stop token has been passed on. */
        do {
            MPI_Recv(&token, 1, MPI_INT, prev, TAG_TOKEN, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (token >= 0)
                token++;
            MPI_Send(&token, 1, MPI_INT, next, TAG_TOKEN, MPI_COMM_WORLD);
        } while (token >= 0);
        MPI_Finalize();
        return 0;
    }

    /* Rank 0: one lap sends hop count 0 and must get nranks - 1 back. */
    double start = MPI_Wtime(), t0 = start, elapsed = 0.0;
    long laps = 0, warmup = 0;
    int timing = 0;
    for (;;) {
        double now = MPI_Wtime();
        if (!timing && (warmup == 100 || now - start >= 0.1)) {
            timing = 1;
            t0 = now;
        }
        if (timing) {
            elapsed = now - t0;
            if (laps_opt ? laps == laps_opt : elapsed >= seconds)
                break;
        }
        token = 0;
        MPI_Send(&token, 1, MPI_INT, next, TAG_TOKEN, MPI_COMM_WORLD);
        MPI_Recv(&token, 1, MPI_INT, prev, TAG_TOKEN, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (token != nranks - 1) {
            fprintf(stderr, "ring: token came back as %d, expected %d\n", token, nranks - 1);
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        if (timing)
            laps++;
        else
            warmup++;
    }

    token = -1;
    MPI_Send(&token, 1, MPI_INT, next, TAG_TOKEN, MPI_COMM_WORLD);
    MPI_Recv(&token, 1, MPI_INT, prev, TAG_TOKEN, MPI_COMM_WORLD, MPI_STATUS_IGNORE);

    long hops = laps * nranks;
    printf("# ring: token around %d ranks, %ld warm-up laps\n", nranks, warmup);
    printf("# %-6s %10s %12s %10s %12s\n", "ranks", "laps", "hops", "time_s", "us_per_hop");
    printf("%-8d %10ld %12ld %10.3f %12.3f\n", nranks, laps, hops, elapsed,
           hops ? elapsed * 1e6 / (double)hops : 0.0);
    fflush(stdout);
    MPI_Finalize();
    return 0;
}
