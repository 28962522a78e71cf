/* idle: how much CPU a rank burns while it waits in a blocking MPI_Recv.
 *
 * Rank 1 blocks in MPI_Recv for -t seconds (default 10) while rank 0 sleeps outside
 * MPI and then sends. Rank 1 reports its own CPU time during the wait (getrusage
 * RUSAGE_SELF, user + system, all threads of the process, so progress threads count
 * too) as a percentage of the wall time. A busy-polling MPI shows ~100 %; one that
 * sleeps until the message arrives shows well under 1 %.
 *
 * A first exchange before the measured wait makes sure the two ranks are connected,
 * so lazy connection setup is not counted. Ranks beyond the first two only take
 * part in MPI_Finalize.
 *
 *   idle [-t seconds]
 *   output: a comment line, then "wait_s user_s sys_s cpu_pct" (from rank 1, printed
 *   by rank 0).
 */
#define _POSIX_C_SOURCE 200809L
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <sys/resource.h>

#define TAG_HELLO 30
#define TAG_WAKE 31
#define TAG_REPORT 32

static double tv_seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

static void sleep_seconds(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

int main(int argc, char **argv)
{
    double seconds = 10.0;
    int rank, nranks, bad = 0, dummy = 0;

    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);

    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "-t") && a + 1 < argc) {
            seconds = atof(argv[++a]);
            bad |= !(seconds > 0.0);
        } else {
            bad = 1;
        }
    }
    if (bad || nranks < 2) {
        if (rank == 0) {
            if (nranks < 2)
                fprintf(stderr, "idle: needs at least 2 ranks (got %d)\n", nranks);
            fprintf(stderr, "usage: %s [-t seconds]  (default 10)\n", argv[0]);
        }
        MPI_Finalize();
        return 2;
    }

    if (rank == 0) {
        double report[4];
        MPI_Send(&dummy, 1, MPI_INT, 1, TAG_HELLO, MPI_COMM_WORLD);
        MPI_Recv(&dummy, 1, MPI_INT, 1, TAG_HELLO, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        sleep_seconds(seconds);
        MPI_Send(&dummy, 1, MPI_INT, 1, TAG_WAKE, MPI_COMM_WORLD);
        MPI_Recv(report, 4, MPI_DOUBLE, 1, TAG_REPORT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        printf("# idle: rank 1 blocked in MPI_Recv while rank 0 slept %.1f s (%d ranks)\n",
               seconds, nranks);
        printf("# %-8s %10s %10s %10s\n", "wait_s", "user_s", "sys_s", "cpu_pct");
        printf("%-10.3f %10.4f %10.4f %10.3f\n", report[0], report[1], report[2], report[3]);
        fflush(stdout);
    } else if (rank == 1) {
        struct rusage r0, r1;
        double report[4];
        MPI_Recv(&dummy, 1, MPI_INT, 0, TAG_HELLO, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Send(&dummy, 1, MPI_INT, 0, TAG_HELLO, MPI_COMM_WORLD);
        getrusage(RUSAGE_SELF, &r0);
        double t0 = MPI_Wtime();
        MPI_Recv(&dummy, 1, MPI_INT, 0, TAG_WAKE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        double wall = MPI_Wtime() - t0;
        getrusage(RUSAGE_SELF, &r1);
        double user = tv_seconds(r1.ru_utime) - tv_seconds(r0.ru_utime);
        double sys = tv_seconds(r1.ru_stime) - tv_seconds(r0.ru_stime);
        report[0] = wall;
        report[1] = user;
        report[2] = sys;
        report[3] = wall > 0.0 ? 100.0 * (user + sys) / wall : 0.0;
        MPI_Send(report, 4, MPI_DOUBLE, 0, TAG_REPORT, MPI_COMM_WORLD);
    }

    MPI_Finalize();
    return 0;
}
