/* cpi: computes pi by the midpoint rule; each rank integrates a slice and rank 0 adds the
 * partial sums it receives (point-to-point only). */
#include <math.h>
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    const long n = 10000000;
    int rank, size;

    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    double t0 = MPI_Wtime();

    double h = 1.0 / (double)n, sum = 0.0;
    for (long i = rank; i < n; i += size) {
        double x = h * ((double)i + 0.5);
        sum += 4.0 / (1.0 + x * x);
    }
    double mine = h * sum;

    if (rank == 0) {
        double pi = mine;
        for (int r = 1; r < size; r++) {
            double part;
            MPI_Recv(&part, 1, MPI_DOUBLE, MPI_ANY_SOURCE, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            pi += part;
        }
        printf("pi is approximately %.16f, error %.2e, %d ranks, %.3f s\n", pi,
               fabs(pi - 3.141592653589793), size, MPI_Wtime() - t0);
    } else {
        MPI_Send(&mine, 1, MPI_DOUBLE, 0, 0, MPI_COMM_WORLD);
    }
    MPI_Finalize();
    return 0;
}
