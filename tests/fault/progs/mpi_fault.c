/* mpi_fault MODE: a standard MPI program whose rank 1 fails while every other rank is
 * blocked inside MPI, for the launcher's failure tests (tests/fault/run_fault.py):
 *
 *   hello       every rank prints "rank R of S pid P" and finalizes (the good path)
 *   segv        rank 1 dies of SIGSEGV          (others wait in MPI_Recv from rank 1)
 *   exit3       rank 1 calls exit(3)             (same)
 *   abort7      rank 1 calls MPI_Abort(MPI_COMM_WORLD, 7)
 *   nofinalize  rank 1 returns 0 without MPI_Finalize
 *   hang        every rank waits in MPI_Recv for a message nobody sends (for --timeout)
 *
 * Each rank prints "rank R of S pid P" after MPI_Init so the test can check the pid the
 * launcher names and that every rank is gone afterwards.
 */
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "hello";
    int rank, size, buf = 0;

    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    printf("rank %d of %d pid %ld\n", rank, size, (long)getpid());
    fflush(stdout);

    if (strcmp(mode, "hello") == 0) {
        MPI_Finalize();
        return 0;
    }
    if (strcmp(mode, "hang") == 0) {
        MPI_Recv(&buf, 1, MPI_INT, (rank + 1) % size, 99, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Finalize();
        return 0;
    }
    if (strcmp(mode, "late") == 0) {
        /* rank 1 computes (sleeps) outside MPI while the others wait for it */
        if (rank == 1) {
            usleep(2500000);
            for (int r = 0; r < size; r++)
                if (r != 1)
                    MPI_Send(&buf, 1, MPI_INT, r, 5, MPI_COMM_WORLD);
        } else {
            MPI_Recv(&buf, 1, MPI_INT, 1, 5, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
        MPI_Finalize();
        return 0;
    }
    if (rank != 1) {
        /* Blocked in MPI until the launcher ends the job. */
        MPI_Recv(&buf, 1, MPI_INT, 1, 42, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Finalize();
        return 0;
    }
    usleep(100000); /* let the others block first */
    if (strcmp(mode, "segv") == 0)
        raise(SIGSEGV);
    if (strcmp(mode, "exit3") == 0)
        exit(3);
    if (strcmp(mode, "abort7") == 0)
        MPI_Abort(MPI_COMM_WORLD, 7);
    if (strcmp(mode, "nofinalize") == 0)
        return 0;
    fprintf(stderr, "mpi_fault: unknown mode '%s'\n", mode);
    MPI_Abort(MPI_COMM_WORLD, 2);
    return 2;
}
