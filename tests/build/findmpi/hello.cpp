// hello.cpp - the C API used from C++ through FindMPI's MPI::MPI_CXX target.
#include <mpi.h>

#include <cstdio>

int main(int argc, char **argv)
{
    int rank = 0, size = 0;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    std::printf("rank %d of %d\n", rank, size);
    MPI_Finalize();
    return 0;
}
