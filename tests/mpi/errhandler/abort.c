/* errhandler/abort: MPI_ERRORS_ABORT on a communicator of part of the job. MPI says it
 * aborts the processes of that communicator; LiteMPI ends the whole job and says so. Rank 0
 * (alone in its part) raises an error; the job must end non-zero within seconds, naming
 * MPI_ERRORS_ABORT, while the other ranks wait in a receive that never completes. */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, v = 0;
    MPI_Comm part;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_split(MPI_COMM_WORLD, rank == 0, 0, &part);
    MPI_Comm_set_errhandler(part, MPI_ERRORS_ABORT);
    if (rank == 0)
        MPI_Send(&v, 1, MPI_INT, 99, 0, part);    /* invalid rank: aborts */
    else
        MPI_Recv(&v, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    printf("NOT-ABORTED\n");
    MPI_Finalize();
    return 0;
}
