/* errors/fatal_rank: under the default error handler (MPI_ERRORS_ARE_FATAL) an invalid
 * destination rank in MPI_Send must end the whole job with a non-zero status, and the
 * message must name the call. Registered through expect.cmake, which checks the exit
 * status, the output, and that the job ended well before its timeout. The other ranks
 * wait in MPI_Recv for a release that only comes if the error wrongly returned. This
 * program's own output never names the call, so only the library's message can match. */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    int rank, size, v = 1;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        printf("rank 0: sending to an invalid rank\n");
        fflush(stdout);
        int rc = MPI_Send(&v, 1, MPI_INT, size, 0, MPI_COMM_WORLD);
        /* Only reached when the error handler did not end the job. */
        fprintf(stderr, "NOT-ABORTED: the invalid send returned %d\n", rc);
        for (int r = 1; r < size; r++) {
            MPI_Send(&v, 1, MPI_INT, r, 99, MPI_COMM_WORLD);
        }
    } else {
        MPI_Recv(&v, 1, MPI_INT, 0, 99, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    MPI_Finalize();
    return 0;
}
