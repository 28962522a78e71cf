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
    BOTH(Barrier) BOTH(Bcast) BOTH(Bcast_c) BOTH(Gather) BOTH(Gather_c) BOTH(Gatherv)
    BOTH(Gatherv_c) BOTH(Scatter) BOTH(Scatter_c) BOTH(Scatterv) BOTH(Scatterv_c)
    BOTH(Allgather) BOTH(Allgather_c) BOTH(Allgatherv) BOTH(Allgatherv_c) BOTH(Alltoall)
    BOTH(Alltoall_c) BOTH(Alltoallv) BOTH(Alltoallv_c) BOTH(Alltoallw) BOTH(Alltoallw_c)
    BOTH(Reduce) BOTH(Reduce_c) BOTH(Allreduce) BOTH(Allreduce_c) BOTH(Reduce_scatter)
    BOTH(Reduce_scatter_c) BOTH(Reduce_scatter_block) BOTH(Reduce_scatter_block_c) BOTH(Scan)
    BOTH(Scan_c) BOTH(Exscan) BOTH(Exscan_c) BOTH(Ibarrier) BOTH(Ibcast) BOTH(Ibcast_c)
    BOTH(Igather) BOTH(Igather_c) BOTH(Igatherv) BOTH(Igatherv_c) BOTH(Iscatter)
    BOTH(Iscatter_c) BOTH(Iscatterv) BOTH(Iscatterv_c) BOTH(Iallgather) BOTH(Iallgather_c)
    BOTH(Iallgatherv) BOTH(Iallgatherv_c) BOTH(Ialltoall) BOTH(Ialltoall_c) BOTH(Ialltoallv)
    BOTH(Ialltoallv_c) BOTH(Ialltoallw) BOTH(Ialltoallw_c) BOTH(Ireduce) BOTH(Ireduce_c)
    BOTH(Iallreduce) BOTH(Iallreduce_c) BOTH(Ireduce_scatter) BOTH(Ireduce_scatter_c)
    BOTH(Ireduce_scatter_block) BOTH(Ireduce_scatter_block_c) BOTH(Iscan) BOTH(Iscan_c)
    BOTH(Iexscan) BOTH(Iexscan_c) BOTH(Barrier_init) BOTH(Bcast_init) BOTH(Bcast_init_c)
    BOTH(Gather_init) BOTH(Gather_init_c) BOTH(Gatherv_init) BOTH(Gatherv_init_c)
    BOTH(Scatter_init) BOTH(Scatter_init_c) BOTH(Scatterv_init) BOTH(Scatterv_init_c)
    BOTH(Allgather_init) BOTH(Allgather_init_c) BOTH(Allgatherv_init) BOTH(Allgatherv_init_c)
    BOTH(Alltoall_init) BOTH(Alltoall_init_c) BOTH(Alltoallv_init) BOTH(Alltoallv_init_c)
    BOTH(Alltoallw_init) BOTH(Alltoallw_init_c) BOTH(Reduce_init) BOTH(Reduce_init_c)
    BOTH(Allreduce_init) BOTH(Allreduce_init_c) BOTH(Reduce_scatter_init)
    BOTH(Reduce_scatter_init_c) BOTH(Reduce_scatter_block_init)
    BOTH(Reduce_scatter_block_init_c) BOTH(Scan_init) BOTH(Scan_init_c) BOTH(Exscan_init)
    BOTH(Exscan_init_c) BOTH(Op_create) BOTH(Op_create_c) BOTH(Op_free) BOTH(Op_commutative)
    BOTH(Reduce_local) BOTH(Reduce_local_c) BOTH(Start) BOTH(Startall)
};

int main(void)
{
    size_t missing = 0;
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        missing += functions[i] == NULL;
    printf("%zu functions, %zu null\n", sizeof functions / sizeof functions[0], missing);
    return missing != 0;
}
