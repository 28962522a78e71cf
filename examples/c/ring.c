/* ring: a token travels around all ranks; each rank adds its rank number and reports the
 * value it saw. With more ranks than cores, waiting ranks sleep instead of spinning. */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    int rank, size, token = 0;
    const int laps = 3;

    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int next = (rank + 1) % size, prev = (rank + size - 1) % size;

    for (int lap = 0; lap < laps; lap++) {
        if (rank == 0) {
            token += rank;
            MPI_Send(&token, 1, MPI_INT, next, lap, MPI_COMM_WORLD);
            MPI_Recv(&token, 1, MPI_INT, prev, lap, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else {
            MPI_Recv(&token, 1, MPI_INT, prev, lap, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            token += rank;
            MPI_Send(&token, 1, MPI_INT, next, lap, MPI_COMM_WORLD);
        }
        printf("lap %d: rank %d saw token %d\n", lap, rank, token);
    }
    if (rank == 0)
        printf("token after %d laps: %d (expected %d)\n", laps, token,
               laps * size * (size - 1) / 2);
    MPI_Finalize();
    return 0;
}
