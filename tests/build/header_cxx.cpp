// header_cxx.cpp - mpi.h must be clean C++: compiled by mpicxx with -Wall -Wextra -pedantic
// -Werror, it declares the C functions with C linkage and the handle types stay distinct.
#include <mpi.h>

#include <type_traits>

static_assert(!std::is_same<MPI_Comm, MPI_Group>::value, "handle types must be distinct");
static_assert(sizeof(MPI_Status) == 32, "MPI_Status is 8 ints");
static_assert(std::is_same<MPI_Aint, intptr_t>::value, "MPI_Aint is intptr_t");
static_assert(std::is_same<MPI_Count, int64_t>::value, "MPI_Count is int64_t");

int main(int argc, char **argv)
{
    int rank = -1;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Datatype t = MPI_INT;
    MPI_Status st;
    st.MPI_SOURCE = MPI_ANY_SOURCE;
    (void)t;
    (void)st;
    MPI_Finalize();
    return rank < 0;
}
