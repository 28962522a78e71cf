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
    BOTH(Add_error_class) BOTH(Add_error_code) BOTH(Add_error_string)
    BOTH(Remove_error_class) BOTH(Remove_error_code) BOTH(Remove_error_string)
    BOTH(Comm_create_errhandler) BOTH(Comm_call_errhandler)
    BOTH(Group_size) BOTH(Group_rank) BOTH(Group_translate_ranks) BOTH(Group_compare)
    BOTH(Group_union) BOTH(Group_intersection) BOTH(Group_difference) BOTH(Group_incl)
    BOTH(Group_excl) BOTH(Group_range_incl) BOTH(Group_range_excl) BOTH(Group_free)
    BOTH(Comm_group) BOTH(Comm_remote_group) BOTH(Comm_remote_size) BOTH(Comm_test_inter)
    BOTH(Comm_dup_with_info) BOTH(Comm_idup) BOTH(Comm_idup_with_info) BOTH(Comm_split)
    BOTH(Comm_split_type) BOTH(Comm_create) BOTH(Comm_create_group) BOTH(Intercomm_create)
    BOTH(Intercomm_merge) BOTH(Comm_set_info) BOTH(Comm_get_info) BOTH(Comm_set_name)
    BOTH(Comm_get_name)
    BOTH(Comm_create_keyval) BOTH(Comm_free_keyval) BOTH(Comm_set_attr) BOTH(Comm_get_attr)
    BOTH(Comm_delete_attr) BOTH(Type_create_keyval) BOTH(Type_free_keyval)
    BOTH(Type_set_attr) BOTH(Type_get_attr) BOTH(Type_delete_attr) BOTH(Keyval_create)
    BOTH(Keyval_free) BOTH(Attr_put) BOTH(Attr_get) BOTH(Attr_delete)
    BOTH(Info_create) BOTH(Info_create_env) BOTH(Info_set) BOTH(Info_delete) BOTH(Info_get)
    BOTH(Info_get_string) BOTH(Info_get_valuelen) BOTH(Info_get_nkeys) BOTH(Info_get_nthkey)
    BOTH(Info_dup) BOTH(Info_free)
    BOTH(Cart_create) BOTH(Cart_get) BOTH(Cart_rank) BOTH(Cart_coords) BOTH(Cart_shift)
    BOTH(Cart_sub) BOTH(Cart_map) BOTH(Cartdim_get) BOTH(Dims_create) BOTH(Graph_create)
    BOTH(Graph_get) BOTH(Graph_neighbors) BOTH(Graph_neighbors_count) BOTH(Graph_map)
    BOTH(Graphdims_get) BOTH(Dist_graph_create) BOTH(Dist_graph_create_adjacent)
    BOTH(Dist_graph_neighbors) BOTH(Dist_graph_neighbors_count) BOTH(Topo_test)
    BOTH(Neighbor_allgather) BOTH(Neighbor_allgatherv) BOTH(Neighbor_alltoall)
    BOTH(Neighbor_alltoallv) BOTH(Neighbor_alltoallw)
    BOTH(Comm_toint) BOTH(Comm_fromint) BOTH(Group_toint) BOTH(Group_fromint)
    BOTH(Info_toint) BOTH(Info_fromint) BOTH(Errhandler_toint) BOTH(Errhandler_fromint)
    BOTH(Type_toint) BOTH(Type_fromint) BOTH(Request_toint) BOTH(Request_fromint)
    BOTH(Get_count) BOTH(Get_elements) BOTH(Type_size) BOTH(Type_get_extent)
    BOTH(Type_contiguous) BOTH(Type_vector) BOTH(Type_commit) BOTH(Type_free)
    BOTH(Type_size_c) BOTH(Type_size_x) BOTH(Type_get_extent_c) BOTH(Type_get_extent_x)
    BOTH(Type_get_true_extent) BOTH(Type_get_true_extent_c) BOTH(Type_get_true_extent_x)
    BOTH(Get_elements_c) BOTH(Get_elements_x) BOTH(Type_contiguous_c) BOTH(Type_vector_c)
    BOTH(Type_create_hvector) BOTH(Type_create_hvector_c) BOTH(Type_indexed)
    BOTH(Type_indexed_c) BOTH(Type_create_hindexed) BOTH(Type_create_hindexed_c)
    BOTH(Type_create_indexed_block) BOTH(Type_create_indexed_block_c)
    BOTH(Type_create_hindexed_block) BOTH(Type_create_hindexed_block_c)
    BOTH(Type_create_struct) BOTH(Type_create_struct_c) BOTH(Type_create_subarray)
    BOTH(Type_create_subarray_c) BOTH(Type_create_darray) BOTH(Type_create_darray_c)
    BOTH(Type_create_resized) BOTH(Type_create_resized_c) BOTH(Type_dup)
    BOTH(Type_create_f90_integer) BOTH(Type_create_f90_real) BOTH(Type_create_f90_complex)
    BOTH(Type_match_size) BOTH(Type_get_envelope) BOTH(Type_get_envelope_c)
    BOTH(Type_get_contents) BOTH(Type_get_contents_c) BOTH(Type_set_name)
    BOTH(Type_get_name) BOTH(Get_address) BOTH(Aint_add) BOTH(Aint_diff) BOTH(Pack)
    BOTH(Pack_c) BOTH(Unpack) BOTH(Unpack_c) BOTH(Pack_size) BOTH(Pack_size_c)
    BOTH(Pack_external) BOTH(Pack_external_c) BOTH(Unpack_external) BOTH(Unpack_external_c)
    BOTH(Pack_external_size) BOTH(Pack_external_size_c)
    BOTH(Send) BOTH(Recv) BOTH(Ssend) BOTH(Rsend) BOTH(Sendrecv) BOTH(Sendrecv_replace)
    BOTH(Probe) BOTH(Iprobe) BOTH(Isend) BOTH(Irecv) BOTH(Issend) BOTH(Irsend)
    BOTH(Wait) BOTH(Test) BOTH(Waitany) BOTH(Testany) BOTH(Waitall) BOTH(Testall)
    BOTH(Waitsome) BOTH(Testsome) BOTH(Request_free) BOTH(Request_get_status)
    BOTH(Bsend) BOTH(Ibsend) BOTH(Buffer_attach) BOTH(Buffer_detach)
    BOTH(Mprobe) BOTH(Improbe) BOTH(Mrecv) BOTH(Imrecv)
    BOTH(Send_init) BOTH(Bsend_init) BOTH(Ssend_init) BOTH(Rsend_init) BOTH(Recv_init)
    BOTH(Start) BOTH(Startall) BOTH(Cancel) BOTH(Test_cancelled)
    BOTH(Grequest_start) BOTH(Grequest_complete) BOTH(Status_set_elements)
    BOTH(Status_set_elements_x) BOTH(Status_set_cancelled)
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
    BOTH(Reduce_local) BOTH(Reduce_local_c)
};

int main(void)
{
    size_t missing = 0;
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        missing += functions[i] == NULL;
    printf("%zu functions, %zu null\n", sizeof functions / sizeof functions[0], missing);
    return missing != 0;
}
