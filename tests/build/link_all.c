/* link_all.c - every function mpi.h declares must be defined by liblitempi.
 *
 * Built with the strictest warnings (-std=c11 -pedantic -Werror) through build/bin/mpicc and
 * linked against the shared library: a prototype without a definition, under either its
 * MPI_ or its PMPI_ name, is an undefined reference here. Nothing is run. When a function is
 * added to mpi.h, add it to the list below.
 */
#include <mpi.h>
#include <stdio.h>

typedef void (*any_fn)(void);

#define BOTH(f) (any_fn)MPI_##f, (any_fn)PMPI_##f,

static const any_fn functions[] = {
    BOTH(Init) BOTH(Init_thread) BOTH(Finalize) BOTH(Initialized) BOTH(Finalized)
    BOTH(Query_thread) BOTH(Is_thread_main) BOTH(Abort) BOTH(Get_version)
    BOTH(Get_library_version) BOTH(Abi_get_version) BOTH(Get_processor_name) BOTH(Wtime)
    BOTH(Wtick) BOTH(Error_string) BOTH(Error_class) BOTH(Errhandler_free)
    BOTH(Comm_size) BOTH(Comm_rank) BOTH(Comm_dup) BOTH(Comm_free) BOTH(Comm_compare)
    BOTH(Comm_set_errhandler) BOTH(Comm_get_errhandler)
    BOTH(Get_count) BOTH(Get_elements) BOTH(Type_size) BOTH(Type_get_extent)
    BOTH(Type_contiguous) BOTH(Type_vector) BOTH(Type_commit) BOTH(Type_free)
    BOTH(Send) BOTH(Recv) BOTH(Ssend) BOTH(Rsend) BOTH(Sendrecv) BOTH(Sendrecv_replace)
    BOTH(Probe) BOTH(Iprobe) BOTH(Isend) BOTH(Irecv) BOTH(Issend) BOTH(Irsend)
    BOTH(Wait) BOTH(Test) BOTH(Waitany) BOTH(Testany) BOTH(Waitall) BOTH(Testall)
    BOTH(Waitsome) BOTH(Testsome) BOTH(Request_free) BOTH(Request_get_status)
    BOTH(Barrier) BOTH(Bcast) BOTH(Gather) BOTH(Gatherv) BOTH(Scatter) BOTH(Scatterv)
    BOTH(Allgather) BOTH(Allgatherv) BOTH(Alltoall) BOTH(Alltoallv) BOTH(Alltoallw)
    BOTH(Reduce) BOTH(Allreduce) BOTH(Reduce_scatter) BOTH(Reduce_scatter_block) BOTH(Scan)
    BOTH(Exscan) BOTH(Ibarrier) BOTH(Ibcast) BOTH(Igather) BOTH(Igatherv) BOTH(Iscatter)
    BOTH(Iscatterv) BOTH(Iallgather) BOTH(Iallgatherv) BOTH(Ialltoall) BOTH(Ialltoallv)
    BOTH(Ialltoallw) BOTH(Ireduce) BOTH(Iallreduce) BOTH(Ireduce_scatter)
    BOTH(Ireduce_scatter_block) BOTH(Iscan) BOTH(Iexscan) BOTH(Barrier_init) BOTH(Bcast_init)
    BOTH(Gather_init) BOTH(Gatherv_init) BOTH(Scatter_init) BOTH(Scatterv_init)
    BOTH(Allgather_init) BOTH(Allgatherv_init) BOTH(Alltoall_init) BOTH(Alltoallv_init)
    BOTH(Alltoallw_init) BOTH(Reduce_init) BOTH(Allreduce_init) BOTH(Reduce_scatter_init)
    BOTH(Reduce_scatter_block_init) BOTH(Scan_init) BOTH(Exscan_init) BOTH(Op_create)
    BOTH(Op_create_c) BOTH(Op_free) BOTH(Op_commutative) BOTH(Reduce_local) BOTH(Start)
    BOTH(Startall)
};

int main(void)
{
    size_t missing = 0;
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        missing += functions[i] == NULL;
    printf("%zu functions, %zu null\n", sizeof functions / sizeof functions[0], missing);
    return missing != 0;
}
