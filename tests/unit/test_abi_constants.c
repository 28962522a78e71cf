/* test_abi_constants.c - include/mpi.h against the MPI 5.0 standard ABI.
 *
 * abi_reference.h restates every standard constant as a literal without including mpi.h;
 * here each name is expanded through our mpi.h and compared with that literal, and its C
 * type is checked with _Generic. Type layouts (MPI_Status, MPI_Aint, ...) and the
 * prototypes of the functions we declare are checked too, the prototypes at compile time
 * only (nothing here needs the library to work). The error-class table in
 * src/core/errclass.c is checked against the same reference names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mpi.h>

#include "abi_reference.h"
#include "core/errclass.h"

/* ---------------------------------------------------------------------------------- */
/* Constant values and types                                                           */
/* ---------------------------------------------------------------------------------- */

struct abi_check {
    const char *name;
    long long ours;    /* what our mpi.h expands to */
    long long ref;     /* the standard's value */
    int type_ok;       /* the expansion has the C type the standard gives it */
};

/* Integers and pointers alike go through intptr_t, so a handle compares as its address. */
#define ABI_OURS(x) ((long long)(intptr_t)(x))
#define ABI_ENTRY(name, value, type) \
    {#name, ABI_OURS(name), (long long)(value), _Generic((name), type: 1, default: 0)},

static int check_table(const struct abi_check *t, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].ours != t[i].ref) {
            print_error("%s = %lld (0x%llx), the standard says %lld (0x%llx)\n", t[i].name,
                        t[i].ours, t[i].ours, t[i].ref, t[i].ref);
            bad++;
        }
        if (!t[i].type_ok) {
            print_error("%s does not have the standard's C type\n", t[i].name);
            bad++;
        }
    }
    return bad;
}

static void test_integer_constants(void **state)
{
    (void)state;
    const struct abi_check t[] = {ABI_REF_INTS(ABI_ENTRY) ABI_REF_T_ENUMS(ABI_ENTRY)};
    assert_int_equal(check_table(t, sizeof t / sizeof t[0]), 0);
}

static void test_predefined_handles(void **state)
{
    (void)state;
    const struct abi_check t[] = {ABI_REF_HANDLES(ABI_ENTRY)};
    assert_int_equal(check_table(t, sizeof t / sizeof t[0]), 0);

    /* Every predefined MPI handle sits in the never-mapped page, and no MPI (non-MPI_T)
     * handle, null ones included, is zero. */
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        assert_true(t[i].ours >= 0 && t[i].ours < 0x1000);
        if (strncmp(t[i].name, "MPI_T_", 6) != 0 && t[i].ours == 0)
            fail_msg("%s is zero", t[i].name);
    }
}

static void test_sentinels(void **state)
{
    (void)state;
    const struct abi_check t[] = {ABI_REF_SENTINELS(ABI_ENTRY)};
    assert_int_equal(check_table(t, sizeof t / sizeof t[0]), 0);
}

static void test_ordering_and_bits(void **state)
{
    (void)state;
    /* Thread levels are ordered so "provided >= required" works. */
    assert_true(MPI_THREAD_SINGLE < MPI_THREAD_FUNNELED);
    assert_true(MPI_THREAD_FUNNELED < MPI_THREAD_SERIALIZED);
    assert_true(MPI_THREAD_SERIALIZED < MPI_THREAD_MULTIPLE);

    /* Mode bits are distinct powers of two. */
    const int modes[] = {MPI_MODE_APPEND,     MPI_MODE_CREATE,      MPI_MODE_DELETE_ON_CLOSE,
                         MPI_MODE_EXCL,       MPI_MODE_RDONLY,      MPI_MODE_RDWR,
                         MPI_MODE_SEQUENTIAL, MPI_MODE_UNIQUE_OPEN, MPI_MODE_WRONLY,
                         MPI_MODE_NOCHECK,    MPI_MODE_NOPRECEDE,   MPI_MODE_NOPUT,
                         MPI_MODE_NOSTORE,    MPI_MODE_NOSUCCEED};
    int seen = 0;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        assert_true(modes[i] > 0 && (modes[i] & (modes[i] - 1)) == 0);
        assert_int_equal(seen & modes[i], 0);
        seen |= modes[i];
    }

    /* Wildcards and rank sentinels never collide with a rank. */
    assert_true(MPI_ANY_SOURCE < 0 && MPI_PROC_NULL < 0 && MPI_ROOT < 0);
    assert_true(MPI_ANY_TAG < 0 && MPI_UNDEFINED < 0);
}

/* ---------------------------------------------------------------------------------- */
/* Type layouts                                                                        */
/* ---------------------------------------------------------------------------------- */

static void test_status_layout(void **state)
{
    (void)state;
    MPI_Status st;
    assert_int_equal(sizeof(MPI_Status), ABI_REF_STATUS_SIZE);
    assert_int_equal(offsetof(MPI_Status, MPI_SOURCE), ABI_REF_STATUS_SOURCE_OFFSET);
    assert_int_equal(offsetof(MPI_Status, MPI_TAG), ABI_REF_STATUS_TAG_OFFSET);
    assert_int_equal(offsetof(MPI_Status, MPI_ERROR), ABI_REF_STATUS_ERROR_OFFSET);
    assert_int_equal(offsetof(MPI_Status, MPI_internal), ABI_REF_STATUS_INTERNAL_OFFSET);
    assert_int_equal(sizeof st.MPI_internal, ABI_REF_STATUS_INTERNAL_INTS * sizeof(int));
    assert_true(_Generic(st.MPI_SOURCE, int: 1, default: 0));
    assert_true(_Generic(st.MPI_internal[0], int: 1, default: 0));
    /* The Fortran view is the same ints. */
    assert_int_equal(MPI_F_STATUS_SIZE * sizeof(int), sizeof(MPI_Status));
}

static void test_integer_types(void **state)
{
    (void)state;
    assert_true(_Generic((MPI_Aint)0, intptr_t: 1, default: 0));
    assert_true(_Generic((MPI_Offset)0, int64_t: 1, default: 0));
    assert_true(_Generic((MPI_Count)0, int64_t: 1, default: 0));
    assert_int_equal(sizeof(MPI_Aint), sizeof(void *));
    assert_int_equal(sizeof(MPI_Offset), ABI_REF_OFFSET_SIZE);
    assert_int_equal(sizeof(MPI_Count), ABI_REF_COUNT_SIZE);
    assert_true((MPI_Aint)-1 < 0 && (MPI_Offset)-1 < 0 && (MPI_Count)-1 < 0);
}

static void test_handle_types(void **state)
{
    (void)state;
    assert_int_equal(sizeof(MPI_Comm), sizeof(void *));
    assert_int_equal(sizeof(MPI_Group), sizeof(void *));
    assert_int_equal(sizeof(MPI_Datatype), sizeof(void *));
    assert_int_equal(sizeof(MPI_Op), sizeof(void *));
    assert_int_equal(sizeof(MPI_Request), sizeof(void *));
    assert_int_equal(sizeof(MPI_Info), sizeof(void *));
    assert_int_equal(sizeof(MPI_Errhandler), sizeof(void *));
    assert_int_equal(sizeof(MPI_Win), sizeof(void *));
    assert_int_equal(sizeof(MPI_File), sizeof(void *));
    assert_int_equal(sizeof(MPI_Session), sizeof(void *));
    assert_int_equal(sizeof(MPI_Message), sizeof(void *));

    /* Pointers to distinct incomplete structs: the struct tags are the standard's. */
    assert_true(_Generic((MPI_Comm)0, struct MPI_ABI_Comm *: 1, default: 0));
    assert_true(_Generic((MPI_Group)0, struct MPI_ABI_Group *: 1, default: 0));
    assert_true(_Generic((MPI_Datatype)0, struct MPI_ABI_Datatype *: 1, default: 0));
    assert_true(_Generic((MPI_Op)0, struct MPI_ABI_Op *: 1, default: 0));
    assert_true(_Generic((MPI_Request)0, struct MPI_ABI_Request *: 1, default: 0));
    assert_true(_Generic((MPI_Info)0, struct MPI_ABI_Info *: 1, default: 0));
    assert_true(_Generic((MPI_Errhandler)0, struct MPI_ABI_Errhandler *: 1, default: 0));
    assert_true(_Generic((MPI_Win)0, struct MPI_ABI_Win *: 1, default: 0));
    assert_true(_Generic((MPI_File)0, struct MPI_ABI_File *: 1, default: 0));
    assert_true(_Generic((MPI_Session)0, struct MPI_ABI_Session *: 1, default: 0));
    assert_true(_Generic((MPI_Message)0, struct MPI_ABI_Message *: 1, default: 0));
    /* ... and therefore not interchangeable. */
    assert_false(_Generic((MPI_Comm)0, MPI_Group: 1, default: 0));
}

/* Fixed-size datatypes (0x240..0x2ff) carry log2(size) in bits 3..5. */
static void test_fixed_size_datatype_encoding(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        MPI_Datatype type;
        size_t size;
    } t[] = {
        {"MPI_INT8_T", MPI_INT8_T, sizeof(int8_t)},
        {"MPI_UINT8_T", MPI_UINT8_T, sizeof(uint8_t)},
        {"MPI_CHAR", MPI_CHAR, sizeof(char)},
        {"MPI_SIGNED_CHAR", MPI_SIGNED_CHAR, sizeof(signed char)},
        {"MPI_UNSIGNED_CHAR", MPI_UNSIGNED_CHAR, sizeof(unsigned char)},
        {"MPI_BYTE", MPI_BYTE, 1},
        {"MPI_INT16_T", MPI_INT16_T, sizeof(int16_t)},
        {"MPI_UINT16_T", MPI_UINT16_T, sizeof(uint16_t)},
        {"MPI_INT32_T", MPI_INT32_T, sizeof(int32_t)},
        {"MPI_UINT32_T", MPI_UINT32_T, sizeof(uint32_t)},
        {"MPI_INT64_T", MPI_INT64_T, sizeof(int64_t)},
        {"MPI_UINT64_T", MPI_UINT64_T, sizeof(uint64_t)},
        {"MPI_INTEGER1", MPI_INTEGER1, 1},
        {"MPI_INTEGER2", MPI_INTEGER2, 2},
        {"MPI_REAL2", MPI_REAL2, 2},
        {"MPI_INTEGER4", MPI_INTEGER4, 4},
        {"MPI_REAL4", MPI_REAL4, 4},
        {"MPI_COMPLEX4", MPI_COMPLEX4, 4},
        {"MPI_INTEGER8", MPI_INTEGER8, 8},
        {"MPI_REAL8", MPI_REAL8, 8},
        {"MPI_COMPLEX8", MPI_COMPLEX8, 8},
        {"MPI_INTEGER16", MPI_INTEGER16, 16},
        {"MPI_REAL16", MPI_REAL16, 16},
        {"MPI_COMPLEX16", MPI_COMPLEX16, 16},
        {"MPI_COMPLEX32", MPI_COMPLEX32, 32},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uintptr_t h = (uintptr_t)t[i].type;
        if (h < 0x240 || h > 0x2ff || ((size_t)1 << ((h >> 3) & 7)) != t[i].size)
            fail_msg("%s = 0x%lx does not encode size %zu", t[i].name, (unsigned long)h,
                     t[i].size);
    }
}

/* ---------------------------------------------------------------------------------- */
/* Function prototypes: checked at compile time, so nothing has to link               */
/* ---------------------------------------------------------------------------------- */

/* _Generic does not evaluate (or reference) the function, it only compares types. */
#define ABI_SIG(fn, type)                                                               \
    _Static_assert(_Generic(&MPI_##fn, type: 1, default: 0), "MPI_" #fn " signature");  \
    _Static_assert(_Generic(&PMPI_##fn, type: 1, default: 0), "PMPI_" #fn " signature");

ABI_SIG(Init, int (*)(int *, char ***))
ABI_SIG(Init_thread, int (*)(int *, char ***, int, int *))
ABI_SIG(Finalize, int (*)(void))
ABI_SIG(Initialized, int (*)(int *))
ABI_SIG(Finalized, int (*)(int *))
ABI_SIG(Query_thread, int (*)(int *))
ABI_SIG(Is_thread_main, int (*)(int *))
ABI_SIG(Abort, int (*)(MPI_Comm, int))
ABI_SIG(Get_version, int (*)(int *, int *))
ABI_SIG(Get_library_version, int (*)(char *, int *))
ABI_SIG(Abi_get_version, int (*)(int *, int *))
ABI_SIG(Get_processor_name, int (*)(char *, int *))
ABI_SIG(Wtime, double (*)(void))
ABI_SIG(Wtick, double (*)(void))
ABI_SIG(Error_string, int (*)(int, char *, int *))
ABI_SIG(Error_class, int (*)(int, int *))
ABI_SIG(Errhandler_free, int (*)(MPI_Errhandler *))
ABI_SIG(Comm_size, int (*)(MPI_Comm, int *))
ABI_SIG(Comm_rank, int (*)(MPI_Comm, int *))
ABI_SIG(Comm_dup, int (*)(MPI_Comm, MPI_Comm *))
ABI_SIG(Comm_free, int (*)(MPI_Comm *))
ABI_SIG(Comm_compare, int (*)(MPI_Comm, MPI_Comm, int *))
ABI_SIG(Comm_set_errhandler, int (*)(MPI_Comm, MPI_Errhandler))
ABI_SIG(Comm_get_errhandler, int (*)(MPI_Comm, MPI_Errhandler *))
ABI_SIG(Add_error_class, int (*)(int *))
ABI_SIG(Add_error_code, int (*)(int, int *))
ABI_SIG(Add_error_string, int (*)(int, const char *))
ABI_SIG(Remove_error_class, int (*)(int))
ABI_SIG(Remove_error_code, int (*)(int))
ABI_SIG(Remove_error_string, int (*)(int))
ABI_SIG(Comm_create_errhandler, int (*)(MPI_Comm_errhandler_function *, MPI_Errhandler *))
ABI_SIG(Comm_call_errhandler, int (*)(MPI_Comm, int))
ABI_SIG(Group_size, int (*)(MPI_Group, int *))
ABI_SIG(Group_rank, int (*)(MPI_Group, int *))
ABI_SIG(Group_translate_ranks, int (*)(MPI_Group, int, const int *, MPI_Group, int *))
ABI_SIG(Group_compare, int (*)(MPI_Group, MPI_Group, int *))
ABI_SIG(Group_union, int (*)(MPI_Group, MPI_Group, MPI_Group *))
ABI_SIG(Group_intersection, int (*)(MPI_Group, MPI_Group, MPI_Group *))
ABI_SIG(Group_difference, int (*)(MPI_Group, MPI_Group, MPI_Group *))
ABI_SIG(Group_incl, int (*)(MPI_Group, int, const int *, MPI_Group *))
ABI_SIG(Group_excl, int (*)(MPI_Group, int, const int *, MPI_Group *))
ABI_SIG(Group_range_incl, int (*)(MPI_Group, int, int (*)[3], MPI_Group *))
ABI_SIG(Group_range_excl, int (*)(MPI_Group, int, int (*)[3], MPI_Group *))
ABI_SIG(Group_free, int (*)(MPI_Group *))
ABI_SIG(Comm_group, int (*)(MPI_Comm, MPI_Group *))
ABI_SIG(Comm_remote_group, int (*)(MPI_Comm, MPI_Group *))
ABI_SIG(Comm_remote_size, int (*)(MPI_Comm, int *))
ABI_SIG(Comm_test_inter, int (*)(MPI_Comm, int *))
ABI_SIG(Comm_dup_with_info, int (*)(MPI_Comm, MPI_Info, MPI_Comm *))
ABI_SIG(Comm_idup, int (*)(MPI_Comm, MPI_Comm *, MPI_Request *))
ABI_SIG(Comm_idup_with_info, int (*)(MPI_Comm, MPI_Info, MPI_Comm *, MPI_Request *))
ABI_SIG(Comm_split, int (*)(MPI_Comm, int, int, MPI_Comm *))
ABI_SIG(Comm_split_type, int (*)(MPI_Comm, int, int, MPI_Info, MPI_Comm *))
ABI_SIG(Comm_create, int (*)(MPI_Comm, MPI_Group, MPI_Comm *))
ABI_SIG(Comm_create_group, int (*)(MPI_Comm, MPI_Group, int, MPI_Comm *))
ABI_SIG(Intercomm_create, int (*)(MPI_Comm, int, MPI_Comm, int, int, MPI_Comm *))
ABI_SIG(Intercomm_merge, int (*)(MPI_Comm, int, MPI_Comm *))
ABI_SIG(Comm_set_info, int (*)(MPI_Comm, MPI_Info))
ABI_SIG(Comm_get_info, int (*)(MPI_Comm, MPI_Info *))
ABI_SIG(Comm_set_name, int (*)(MPI_Comm, const char *))
ABI_SIG(Comm_get_name, int (*)(MPI_Comm, char *, int *))
ABI_SIG(Comm_create_keyval, int (*)(MPI_Comm_copy_attr_function *,
                                    MPI_Comm_delete_attr_function *, int *, void *))
ABI_SIG(Comm_free_keyval, int (*)(int *))
ABI_SIG(Comm_set_attr, int (*)(MPI_Comm, int, void *))
ABI_SIG(Comm_get_attr, int (*)(MPI_Comm, int, void *, int *))
ABI_SIG(Comm_delete_attr, int (*)(MPI_Comm, int))
ABI_SIG(Type_create_keyval, int (*)(MPI_Type_copy_attr_function *,
                                    MPI_Type_delete_attr_function *, int *, void *))
ABI_SIG(Type_free_keyval, int (*)(int *))
ABI_SIG(Type_set_attr, int (*)(MPI_Datatype, int, void *))
ABI_SIG(Type_get_attr, int (*)(MPI_Datatype, int, void *, int *))
ABI_SIG(Type_delete_attr, int (*)(MPI_Datatype, int))
ABI_SIG(Keyval_create, int (*)(MPI_Copy_function *, MPI_Delete_function *, int *, void *))
ABI_SIG(Keyval_free, int (*)(int *))
ABI_SIG(Attr_put, int (*)(MPI_Comm, int, void *))
ABI_SIG(Attr_get, int (*)(MPI_Comm, int, void *, int *))
ABI_SIG(Attr_delete, int (*)(MPI_Comm, int))
ABI_SIG(Info_create, int (*)(MPI_Info *))
ABI_SIG(Info_create_env, int (*)(int, char **, MPI_Info *))
ABI_SIG(Info_set, int (*)(MPI_Info, const char *, const char *))
ABI_SIG(Info_delete, int (*)(MPI_Info, const char *))
ABI_SIG(Info_get, int (*)(MPI_Info, const char *, int, char *, int *))
ABI_SIG(Info_get_string, int (*)(MPI_Info, const char *, int *, char *, int *))
ABI_SIG(Info_get_valuelen, int (*)(MPI_Info, const char *, int *, int *))
ABI_SIG(Info_get_nkeys, int (*)(MPI_Info, int *))
ABI_SIG(Info_get_nthkey, int (*)(MPI_Info, int, char *))
ABI_SIG(Info_dup, int (*)(MPI_Info, MPI_Info *))
ABI_SIG(Info_free, int (*)(MPI_Info *))
ABI_SIG(Cart_create, int (*)(MPI_Comm, int, const int *, const int *, int, MPI_Comm *))
ABI_SIG(Cart_get, int (*)(MPI_Comm, int, int *, int *, int *))
ABI_SIG(Cart_rank, int (*)(MPI_Comm, const int *, int *))
ABI_SIG(Cart_coords, int (*)(MPI_Comm, int, int, int *))
ABI_SIG(Cart_shift, int (*)(MPI_Comm, int, int, int *, int *))
ABI_SIG(Cart_sub, int (*)(MPI_Comm, const int *, MPI_Comm *))
ABI_SIG(Cart_map, int (*)(MPI_Comm, int, const int *, const int *, int *))
ABI_SIG(Cartdim_get, int (*)(MPI_Comm, int *))
ABI_SIG(Dims_create, int (*)(int, int, int *))
ABI_SIG(Graph_create, int (*)(MPI_Comm, int, const int *, const int *, int, MPI_Comm *))
ABI_SIG(Graph_get, int (*)(MPI_Comm, int, int, int *, int *))
ABI_SIG(Graph_neighbors, int (*)(MPI_Comm, int, int, int *))
ABI_SIG(Graph_neighbors_count, int (*)(MPI_Comm, int, int *))
ABI_SIG(Graph_map, int (*)(MPI_Comm, int, const int *, const int *, int *))
ABI_SIG(Graphdims_get, int (*)(MPI_Comm, int *, int *))
ABI_SIG(Dist_graph_create, int (*)(MPI_Comm, int, const int *, const int *, const int *,
                                   const int *, MPI_Info, int, MPI_Comm *))
ABI_SIG(Dist_graph_create_adjacent, int (*)(MPI_Comm, int, const int *, const int *, int,
                                            const int *, const int *, MPI_Info, int,
                                            MPI_Comm *))
ABI_SIG(Dist_graph_neighbors, int (*)(MPI_Comm, int, int *, int *, int, int *, int *))
ABI_SIG(Dist_graph_neighbors_count, int (*)(MPI_Comm, int *, int *, int *))
ABI_SIG(Topo_test, int (*)(MPI_Comm, int *))
ABI_SIG(Neighbor_allgather, int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype,
                                    MPI_Comm))
ABI_SIG(Neighbor_allgatherv, int (*)(const void *, int, MPI_Datatype, void *, const int *,
                                     const int *, MPI_Datatype, MPI_Comm))
ABI_SIG(Neighbor_alltoall, int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype,
                                   MPI_Comm))
ABI_SIG(Neighbor_alltoallv, int (*)(const void *, const int *, const int *, MPI_Datatype,
                                    void *, const int *, const int *, MPI_Datatype, MPI_Comm))
ABI_SIG(Neighbor_alltoallw, int (*)(const void *, const int *, const MPI_Aint *,
                                    const MPI_Datatype *, void *, const int *,
                                    const MPI_Aint *, const MPI_Datatype *, MPI_Comm))
ABI_SIG(Neighbor_allgather_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype,
                MPI_Comm))
ABI_SIG(Ineighbor_allgather,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, MPI_Comm,
                MPI_Request *))
ABI_SIG(Ineighbor_allgather_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype,
                MPI_Comm, MPI_Request *))
ABI_SIG(Neighbor_allgather_init,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, MPI_Comm,
                MPI_Info, MPI_Request *))
ABI_SIG(Neighbor_allgather_init_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype,
                MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Neighbor_allgatherv_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, const MPI_Count *,
                const MPI_Aint *, MPI_Datatype, MPI_Comm))
ABI_SIG(Ineighbor_allgatherv,
        int (*)(const void *, int, MPI_Datatype, void *, const int *, const int *,
                MPI_Datatype, MPI_Comm, MPI_Request *))
ABI_SIG(Ineighbor_allgatherv_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, const MPI_Count *,
                const MPI_Aint *, MPI_Datatype, MPI_Comm, MPI_Request *))
ABI_SIG(Neighbor_allgatherv_init,
        int (*)(const void *, int, MPI_Datatype, void *, const int *, const int *,
                MPI_Datatype, MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Neighbor_allgatherv_init_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, const MPI_Count *,
                const MPI_Aint *, MPI_Datatype, MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Neighbor_alltoall_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype,
                MPI_Comm))
ABI_SIG(Ineighbor_alltoall,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, MPI_Comm,
                MPI_Request *))
ABI_SIG(Ineighbor_alltoall_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype,
                MPI_Comm, MPI_Request *))
ABI_SIG(Neighbor_alltoall_init,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, MPI_Comm,
                MPI_Info, MPI_Request *))
ABI_SIG(Neighbor_alltoall_init_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype,
                MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Neighbor_alltoallv_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, MPI_Datatype, void *,
                const MPI_Count *, const MPI_Aint *, MPI_Datatype, MPI_Comm))
ABI_SIG(Ineighbor_alltoallv,
        int (*)(const void *, const int *, const int *, MPI_Datatype, void *, const int *,
                const int *, MPI_Datatype, MPI_Comm, MPI_Request *))
ABI_SIG(Ineighbor_alltoallv_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, MPI_Datatype, void *,
                const MPI_Count *, const MPI_Aint *, MPI_Datatype, MPI_Comm, MPI_Request *))
ABI_SIG(Neighbor_alltoallv_init,
        int (*)(const void *, const int *, const int *, MPI_Datatype, void *, const int *,
                const int *, MPI_Datatype, MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Neighbor_alltoallv_init_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, MPI_Datatype, void *,
                const MPI_Count *, const MPI_Aint *, MPI_Datatype, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Neighbor_alltoallw_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, const MPI_Datatype *,
                void *, const MPI_Count *, const MPI_Aint *, const MPI_Datatype *,
                MPI_Comm))
ABI_SIG(Ineighbor_alltoallw,
        int (*)(const void *, const int *, const MPI_Aint *, const MPI_Datatype *, void *,
                const int *, const MPI_Aint *, const MPI_Datatype *, MPI_Comm,
                MPI_Request *))
ABI_SIG(Ineighbor_alltoallw_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, const MPI_Datatype *,
                void *, const MPI_Count *, const MPI_Aint *, const MPI_Datatype *, MPI_Comm,
                MPI_Request *))
ABI_SIG(Neighbor_alltoallw_init,
        int (*)(const void *, const int *, const MPI_Aint *, const MPI_Datatype *, void *,
                const int *, const MPI_Aint *, const MPI_Datatype *, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Neighbor_alltoallw_init_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, const MPI_Datatype *,
                void *, const MPI_Count *, const MPI_Aint *, const MPI_Datatype *, MPI_Comm,
                MPI_Info, MPI_Request *))
ABI_SIG(Comm_toint, int (*)(MPI_Comm))
ABI_SIG(Comm_fromint, MPI_Comm (*)(int))
ABI_SIG(Group_toint, int (*)(MPI_Group))
ABI_SIG(Group_fromint, MPI_Group (*)(int))
ABI_SIG(Info_toint, int (*)(MPI_Info))
ABI_SIG(Info_fromint, MPI_Info (*)(int))
ABI_SIG(Errhandler_toint, int (*)(MPI_Errhandler))
ABI_SIG(Errhandler_fromint, MPI_Errhandler (*)(int))
ABI_SIG(Type_toint, int (*)(MPI_Datatype))
ABI_SIG(Type_fromint, MPI_Datatype (*)(int))
ABI_SIG(Request_toint, int (*)(MPI_Request))
ABI_SIG(Request_fromint, MPI_Request (*)(int))
ABI_SIG(Get_count, int (*)(const MPI_Status *, MPI_Datatype, int *))
ABI_SIG(Get_elements, int (*)(const MPI_Status *, MPI_Datatype, int *))
ABI_SIG(Type_size, int (*)(MPI_Datatype, int *))
ABI_SIG(Type_get_extent, int (*)(MPI_Datatype, MPI_Aint *, MPI_Aint *))
ABI_SIG(Type_contiguous, int (*)(int, MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_vector, int (*)(int, int, int, MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_commit, int (*)(MPI_Datatype *))
ABI_SIG(Type_free, int (*)(MPI_Datatype *))
ABI_SIG(Type_size_c, int (*)(MPI_Datatype, MPI_Count *))
ABI_SIG(Type_size_x, int (*)(MPI_Datatype, MPI_Count *))
ABI_SIG(Type_get_extent_c, int (*)(MPI_Datatype, MPI_Count *, MPI_Count *))
ABI_SIG(Type_get_extent_x, int (*)(MPI_Datatype, MPI_Count *, MPI_Count *))
ABI_SIG(Type_get_true_extent, int (*)(MPI_Datatype, MPI_Aint *, MPI_Aint *))
ABI_SIG(Type_get_true_extent_c, int (*)(MPI_Datatype, MPI_Count *, MPI_Count *))
ABI_SIG(Type_get_true_extent_x, int (*)(MPI_Datatype, MPI_Count *, MPI_Count *))
ABI_SIG(Get_elements_c, int (*)(const MPI_Status *, MPI_Datatype, MPI_Count *))
ABI_SIG(Get_elements_x, int (*)(const MPI_Status *, MPI_Datatype, MPI_Count *))
ABI_SIG(Type_contiguous_c, int (*)(MPI_Count, MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_vector_c, int (*)(MPI_Count, MPI_Count, MPI_Count, MPI_Datatype,
        MPI_Datatype *))
ABI_SIG(Type_create_hvector, int (*)(int, int, MPI_Aint, MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_create_hvector_c, int (*)(MPI_Count, MPI_Count, MPI_Count, MPI_Datatype,
        MPI_Datatype *))
ABI_SIG(Type_indexed, int (*)(int, const int *, const int *, MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_indexed_c, int (*)(MPI_Count, const MPI_Count *, const MPI_Count *,
        MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_create_hindexed, int (*)(int, const int *, const MPI_Aint *, MPI_Datatype,
        MPI_Datatype *))
ABI_SIG(Type_create_hindexed_c, int (*)(MPI_Count, const MPI_Count *, const MPI_Count *,
        MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_create_indexed_block, int (*)(int, int, const int *, MPI_Datatype,
        MPI_Datatype *))
ABI_SIG(Type_create_indexed_block_c, int (*)(MPI_Count, MPI_Count, const MPI_Count *,
        MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_create_hindexed_block, int (*)(int, int, const MPI_Aint *, MPI_Datatype,
        MPI_Datatype *))
ABI_SIG(Type_create_hindexed_block_c, int (*)(MPI_Count, MPI_Count, const MPI_Count *,
        MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_create_struct, int (*)(int, const int *, const MPI_Aint *,
        const MPI_Datatype *, MPI_Datatype *))
ABI_SIG(Type_create_struct_c, int (*)(MPI_Count, const MPI_Count *, const MPI_Count *,
        const MPI_Datatype *, MPI_Datatype *))
ABI_SIG(Type_create_subarray, int (*)(int, const int *, const int *, const int *, int,
        MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_create_subarray_c, int (*)(int, const MPI_Count *, const MPI_Count *,
        const MPI_Count *, int, MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_create_darray, int (*)(int, int, int, const int *, const int *, const int *,
        const int *, int, MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_create_darray_c, int (*)(int, int, int, const MPI_Count *, const int *,
        const int *, const int *, int, MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_create_resized, int (*)(MPI_Datatype, MPI_Aint, MPI_Aint, MPI_Datatype *))
ABI_SIG(Type_create_resized_c, int (*)(MPI_Datatype, MPI_Count, MPI_Count, MPI_Datatype *))
ABI_SIG(Type_dup, int (*)(MPI_Datatype, MPI_Datatype *))
ABI_SIG(Type_create_f90_integer, int (*)(int, MPI_Datatype *))
ABI_SIG(Type_create_f90_real, int (*)(int, int, MPI_Datatype *))
ABI_SIG(Type_create_f90_complex, int (*)(int, int, MPI_Datatype *))
ABI_SIG(Type_match_size, int (*)(int, int, MPI_Datatype *))
ABI_SIG(Type_get_envelope, int (*)(MPI_Datatype, int *, int *, int *, int *))
ABI_SIG(Type_get_envelope_c, int (*)(MPI_Datatype, MPI_Count *, MPI_Count *, MPI_Count *,
        MPI_Count *, int *))
ABI_SIG(Type_get_contents, int (*)(MPI_Datatype, int, int, int, int *, MPI_Aint *,
        MPI_Datatype *))
ABI_SIG(Type_get_contents_c, int (*)(MPI_Datatype, MPI_Count, MPI_Count, MPI_Count,
        MPI_Count, int *, MPI_Aint *, MPI_Count *, MPI_Datatype *))
ABI_SIG(Type_set_name, int (*)(MPI_Datatype, const char *))
ABI_SIG(Type_get_name, int (*)(MPI_Datatype, char *, int *))
ABI_SIG(Get_address, int (*)(const void *, MPI_Aint *))
ABI_SIG(Aint_add, MPI_Aint (*)(MPI_Aint, MPI_Aint))
ABI_SIG(Aint_diff, MPI_Aint (*)(MPI_Aint, MPI_Aint))
ABI_SIG(Pack, int (*)(const void *, int, MPI_Datatype, void *, int, int *, MPI_Comm))
ABI_SIG(Pack_c, int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count,
        MPI_Count *, MPI_Comm))
ABI_SIG(Unpack, int (*)(const void *, int, int *, void *, int, MPI_Datatype, MPI_Comm))
ABI_SIG(Unpack_c, int (*)(const void *, MPI_Count, MPI_Count *, void *, MPI_Count,
        MPI_Datatype, MPI_Comm))
ABI_SIG(Pack_size, int (*)(int, MPI_Datatype, MPI_Comm, int *))
ABI_SIG(Pack_size_c, int (*)(MPI_Count, MPI_Datatype, MPI_Comm, MPI_Count *))
ABI_SIG(Pack_external, int (*)(const char *, const void *, int, MPI_Datatype, void *,
        MPI_Aint, MPI_Aint *))
ABI_SIG(Pack_external_c, int (*)(const char *, const void *, MPI_Count, MPI_Datatype,
        void *, MPI_Count, MPI_Count *))
ABI_SIG(Unpack_external, int (*)(const char *, const void *, MPI_Aint, MPI_Aint *, void *,
        int, MPI_Datatype))
ABI_SIG(Unpack_external_c, int (*)(const char *, const void *, MPI_Count, MPI_Count *,
        void *, MPI_Count, MPI_Datatype))
ABI_SIG(Pack_external_size, int (*)(const char *, int, MPI_Datatype, MPI_Aint *))
ABI_SIG(Pack_external_size_c, int (*)(const char *, MPI_Count, MPI_Datatype, MPI_Count *))
ABI_SIG(Send, int (*)(const void *, int, MPI_Datatype, int, int, MPI_Comm))
ABI_SIG(Ssend, int (*)(const void *, int, MPI_Datatype, int, int, MPI_Comm))
ABI_SIG(Rsend, int (*)(const void *, int, MPI_Datatype, int, int, MPI_Comm))
ABI_SIG(Recv, int (*)(void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Status *))
ABI_SIG(Isend, int (*)(const void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request *))
ABI_SIG(Issend, int (*)(const void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request *))
ABI_SIG(Irsend, int (*)(const void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request *))
ABI_SIG(Irecv, int (*)(void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request *))
ABI_SIG(Sendrecv, int (*)(const void *, int, MPI_Datatype, int, int, void *, int,
                          MPI_Datatype, int, int, MPI_Comm, MPI_Status *))
ABI_SIG(Sendrecv_replace,
        int (*)(void *, int, MPI_Datatype, int, int, int, int, MPI_Comm, MPI_Status *))
ABI_SIG(Probe, int (*)(int, int, MPI_Comm, MPI_Status *))
ABI_SIG(Iprobe, int (*)(int, int, MPI_Comm, int *, MPI_Status *))
ABI_SIG(Wait, int (*)(MPI_Request *, MPI_Status *))
ABI_SIG(Test, int (*)(MPI_Request *, int *, MPI_Status *))
ABI_SIG(Waitany, int (*)(int, MPI_Request *, int *, MPI_Status *))
ABI_SIG(Testany, int (*)(int, MPI_Request *, int *, int *, MPI_Status *))
ABI_SIG(Waitall, int (*)(int, MPI_Request *, MPI_Status *))
ABI_SIG(Testall, int (*)(int, MPI_Request *, int *, MPI_Status *))
ABI_SIG(Waitsome, int (*)(int, MPI_Request *, int *, int *, MPI_Status *))
ABI_SIG(Testsome, int (*)(int, MPI_Request *, int *, int *, MPI_Status *))
ABI_SIG(Request_free, int (*)(MPI_Request *))
ABI_SIG(Request_get_status, int (*)(MPI_Request, int *, MPI_Status *))
ABI_SIG(Bsend, int (*)(const void *, int, MPI_Datatype, int, int, MPI_Comm))
ABI_SIG(Ibsend, int (*)(const void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request *))
ABI_SIG(Buffer_attach, int (*)(void *, int))
ABI_SIG(Buffer_detach, int (*)(void *, int *))
ABI_SIG(Mprobe, int (*)(int, int, MPI_Comm, MPI_Message *, MPI_Status *))
ABI_SIG(Improbe, int (*)(int, int, MPI_Comm, int *, MPI_Message *, MPI_Status *))
ABI_SIG(Mrecv, int (*)(void *, int, MPI_Datatype, MPI_Message *, MPI_Status *))
ABI_SIG(Imrecv, int (*)(void *, int, MPI_Datatype, MPI_Message *, MPI_Request *))
ABI_SIG(Send_init, int (*)(const void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request *))
ABI_SIG(Bsend_init, int (*)(const void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request *))
ABI_SIG(Ssend_init, int (*)(const void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request *))
ABI_SIG(Rsend_init, int (*)(const void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request *))
ABI_SIG(Recv_init, int (*)(void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request *))
ABI_SIG(Start, int (*)(MPI_Request *))
ABI_SIG(Startall, int (*)(int, MPI_Request *))
ABI_SIG(Cancel, int (*)(MPI_Request *))
ABI_SIG(Test_cancelled, int (*)(const MPI_Status *, int *))
ABI_SIG(Grequest_start, int (*)(MPI_Grequest_query_function *, MPI_Grequest_free_function *,
                                MPI_Grequest_cancel_function *, void *, MPI_Request *))
ABI_SIG(Grequest_complete, int (*)(MPI_Request))
ABI_SIG(Status_set_elements, int (*)(MPI_Status *, MPI_Datatype, int))
ABI_SIG(Status_set_elements_x, int (*)(MPI_Status *, MPI_Datatype, MPI_Count))
ABI_SIG(Status_set_cancelled, int (*)(MPI_Status *, int))
ABI_SIG(Barrier, int (*)(MPI_Comm))
ABI_SIG(Bcast, int (*)(void *, int, MPI_Datatype, int, MPI_Comm))
ABI_SIG(Bcast_c, int (*)(void *, MPI_Count, MPI_Datatype, int, MPI_Comm))
ABI_SIG(Gather,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, int, MPI_Comm))
ABI_SIG(Gather_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype, int,
                MPI_Comm))
ABI_SIG(Gatherv,
        int (*)(const void *, int, MPI_Datatype, void *, const int *, const int *,
                MPI_Datatype, int, MPI_Comm))
ABI_SIG(Gatherv_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, const MPI_Count *,
                const MPI_Aint *, MPI_Datatype, int, MPI_Comm))
ABI_SIG(Scatter,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, int, MPI_Comm))
ABI_SIG(Scatter_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype, int,
                MPI_Comm))
ABI_SIG(Scatterv,
        int (*)(const void *, const int *, const int *, MPI_Datatype, void *, int,
                MPI_Datatype, int, MPI_Comm))
ABI_SIG(Scatterv_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, MPI_Datatype, void *,
                MPI_Count, MPI_Datatype, int, MPI_Comm))
ABI_SIG(Allgather,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, MPI_Comm))
ABI_SIG(Allgather_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype,
                MPI_Comm))
ABI_SIG(Allgatherv,
        int (*)(const void *, int, MPI_Datatype, void *, const int *, const int *,
                MPI_Datatype, MPI_Comm))
ABI_SIG(Allgatherv_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, const MPI_Count *,
                const MPI_Aint *, MPI_Datatype, MPI_Comm))
ABI_SIG(Alltoall,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, MPI_Comm))
ABI_SIG(Alltoall_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype,
                MPI_Comm))
ABI_SIG(Alltoallv,
        int (*)(const void *, const int *, const int *, MPI_Datatype, void *, const int *,
                const int *, MPI_Datatype, MPI_Comm))
ABI_SIG(Alltoallv_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, MPI_Datatype, void *,
                const MPI_Count *, const MPI_Aint *, MPI_Datatype, MPI_Comm))
ABI_SIG(Alltoallw,
        int (*)(const void *, const int *, const int *, const MPI_Datatype *, void *,
                const int *, const int *, const MPI_Datatype *, MPI_Comm))
ABI_SIG(Alltoallw_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, const MPI_Datatype *,
                void *, const MPI_Count *, const MPI_Aint *, const MPI_Datatype *, MPI_Comm))
ABI_SIG(Reduce, int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, int, MPI_Comm))
ABI_SIG(Reduce_c,
        int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, int, MPI_Comm))
ABI_SIG(Allreduce, int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm))
ABI_SIG(Allreduce_c, int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, MPI_Comm))
ABI_SIG(Reduce_scatter,
        int (*)(const void *, void *, const int *, MPI_Datatype, MPI_Op, MPI_Comm))
ABI_SIG(Reduce_scatter_c,
        int (*)(const void *, void *, const MPI_Count *, MPI_Datatype, MPI_Op, MPI_Comm))
ABI_SIG(Reduce_scatter_block,
        int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm))
ABI_SIG(Reduce_scatter_block_c,
        int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, MPI_Comm))
ABI_SIG(Scan, int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm))
ABI_SIG(Scan_c, int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, MPI_Comm))
ABI_SIG(Exscan, int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm))
ABI_SIG(Exscan_c, int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, MPI_Comm))
ABI_SIG(Ibarrier, int (*)(MPI_Comm, MPI_Request *))
ABI_SIG(Ibcast, int (*)(void *, int, MPI_Datatype, int, MPI_Comm, MPI_Request *))
ABI_SIG(Ibcast_c, int (*)(void *, MPI_Count, MPI_Datatype, int, MPI_Comm, MPI_Request *))
ABI_SIG(Igather,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, int, MPI_Comm,
                MPI_Request *))
ABI_SIG(Igather_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype, int,
                MPI_Comm, MPI_Request *))
ABI_SIG(Igatherv,
        int (*)(const void *, int, MPI_Datatype, void *, const int *, const int *,
                MPI_Datatype, int, MPI_Comm, MPI_Request *))
ABI_SIG(Igatherv_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, const MPI_Count *,
                const MPI_Aint *, MPI_Datatype, int, MPI_Comm, MPI_Request *))
ABI_SIG(Iscatter,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, int, MPI_Comm,
                MPI_Request *))
ABI_SIG(Iscatter_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype, int,
                MPI_Comm, MPI_Request *))
ABI_SIG(Iscatterv,
        int (*)(const void *, const int *, const int *, MPI_Datatype, void *, int,
                MPI_Datatype, int, MPI_Comm, MPI_Request *))
ABI_SIG(Iscatterv_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, MPI_Datatype, void *,
                MPI_Count, MPI_Datatype, int, MPI_Comm, MPI_Request *))
ABI_SIG(Iallgather,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, MPI_Comm,
                MPI_Request *))
ABI_SIG(Iallgather_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype,
                MPI_Comm, MPI_Request *))
ABI_SIG(Iallgatherv,
        int (*)(const void *, int, MPI_Datatype, void *, const int *, const int *,
                MPI_Datatype, MPI_Comm, MPI_Request *))
ABI_SIG(Iallgatherv_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, const MPI_Count *,
                const MPI_Aint *, MPI_Datatype, MPI_Comm, MPI_Request *))
ABI_SIG(Ialltoall,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, MPI_Comm,
                MPI_Request *))
ABI_SIG(Ialltoall_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype,
                MPI_Comm, MPI_Request *))
ABI_SIG(Ialltoallv,
        int (*)(const void *, const int *, const int *, MPI_Datatype, void *, const int *,
                const int *, MPI_Datatype, MPI_Comm, MPI_Request *))
ABI_SIG(Ialltoallv_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, MPI_Datatype, void *,
                const MPI_Count *, const MPI_Aint *, MPI_Datatype, MPI_Comm, MPI_Request *))
ABI_SIG(Ialltoallw,
        int (*)(const void *, const int *, const int *, const MPI_Datatype *, void *,
                const int *, const int *, const MPI_Datatype *, MPI_Comm, MPI_Request *))
ABI_SIG(Ialltoallw_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, const MPI_Datatype *,
                void *, const MPI_Count *, const MPI_Aint *, const MPI_Datatype *, MPI_Comm,
                MPI_Request *))
ABI_SIG(Ireduce,
        int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, int, MPI_Comm, MPI_Request *))
ABI_SIG(Ireduce_c,
        int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, int, MPI_Comm,
                MPI_Request *))
ABI_SIG(Iallreduce,
        int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Request *))
ABI_SIG(Iallreduce_c,
        int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, MPI_Comm,
                MPI_Request *))
ABI_SIG(Ireduce_scatter,
        int (*)(const void *, void *, const int *, MPI_Datatype, MPI_Op, MPI_Comm,
                MPI_Request *))
ABI_SIG(Ireduce_scatter_c,
        int (*)(const void *, void *, const MPI_Count *, MPI_Datatype, MPI_Op, MPI_Comm,
                MPI_Request *))
ABI_SIG(Ireduce_scatter_block,
        int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Request *))
ABI_SIG(Ireduce_scatter_block_c,
        int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, MPI_Comm,
                MPI_Request *))
ABI_SIG(Iscan,
        int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Request *))
ABI_SIG(Iscan_c,
        int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, MPI_Comm,
                MPI_Request *))
ABI_SIG(Iexscan,
        int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Request *))
ABI_SIG(Iexscan_c,
        int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, MPI_Comm,
                MPI_Request *))
ABI_SIG(Barrier_init, int (*)(MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Bcast_init, int (*)(void *, int, MPI_Datatype, int, MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Bcast_init_c,
        int (*)(void *, MPI_Count, MPI_Datatype, int, MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Gather_init,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, int, MPI_Comm,
                MPI_Info, MPI_Request *))
ABI_SIG(Gather_init_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype, int,
                MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Gatherv_init,
        int (*)(const void *, int, MPI_Datatype, void *, const int *, const int *,
                MPI_Datatype, int, MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Gatherv_init_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, const MPI_Count *,
                const MPI_Aint *, MPI_Datatype, int, MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Scatter_init,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, int, MPI_Comm,
                MPI_Info, MPI_Request *))
ABI_SIG(Scatter_init_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype, int,
                MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Scatterv_init,
        int (*)(const void *, const int *, const int *, MPI_Datatype, void *, int,
                MPI_Datatype, int, MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Scatterv_init_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, MPI_Datatype, void *,
                MPI_Count, MPI_Datatype, int, MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Allgather_init,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Allgather_init_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype,
                MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Allgatherv_init,
        int (*)(const void *, int, MPI_Datatype, void *, const int *, const int *,
                MPI_Datatype, MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Allgatherv_init_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, const MPI_Count *,
                const MPI_Aint *, MPI_Datatype, MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Alltoall_init,
        int (*)(const void *, int, MPI_Datatype, void *, int, MPI_Datatype, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Alltoall_init_c,
        int (*)(const void *, MPI_Count, MPI_Datatype, void *, MPI_Count, MPI_Datatype,
                MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Alltoallv_init,
        int (*)(const void *, const int *, const int *, MPI_Datatype, void *, const int *,
                const int *, MPI_Datatype, MPI_Comm, MPI_Info, MPI_Request *))
ABI_SIG(Alltoallv_init_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, MPI_Datatype, void *,
                const MPI_Count *, const MPI_Aint *, MPI_Datatype, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Alltoallw_init,
        int (*)(const void *, const int *, const int *, const MPI_Datatype *, void *,
                const int *, const int *, const MPI_Datatype *, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Alltoallw_init_c,
        int (*)(const void *, const MPI_Count *, const MPI_Aint *, const MPI_Datatype *,
                void *, const MPI_Count *, const MPI_Aint *, const MPI_Datatype *, MPI_Comm,
                MPI_Info, MPI_Request *))
ABI_SIG(Reduce_init,
        int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, int, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Reduce_init_c,
        int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, int, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Allreduce_init,
        int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Allreduce_init_c,
        int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Reduce_scatter_init,
        int (*)(const void *, void *, const int *, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Reduce_scatter_init_c,
        int (*)(const void *, void *, const MPI_Count *, MPI_Datatype, MPI_Op, MPI_Comm,
                MPI_Info, MPI_Request *))
ABI_SIG(Reduce_scatter_block_init,
        int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Reduce_scatter_block_init_c,
        int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Scan_init,
        int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Scan_init_c,
        int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Exscan_init,
        int (*)(const void *, void *, int, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Exscan_init_c,
        int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op, MPI_Comm, MPI_Info,
                MPI_Request *))
ABI_SIG(Op_create, int (*)(MPI_User_function *, int, MPI_Op *))
ABI_SIG(Op_create_c, int (*)(MPI_User_function_c *, int, MPI_Op *))
ABI_SIG(Op_free, int (*)(MPI_Op *))
ABI_SIG(Op_commutative, int (*)(MPI_Op, int *))
ABI_SIG(Reduce_local, int (*)(const void *, void *, int, MPI_Datatype, MPI_Op))
ABI_SIG(Reduce_local_c, int (*)(const void *, void *, MPI_Count, MPI_Datatype, MPI_Op))

/* Callback types: the standard's parameter lists. */
_Static_assert(_Generic((MPI_User_function *)0,
                        void (*)(void *, void *, int *, MPI_Datatype *): 1, default: 0),
               "MPI_User_function");
_Static_assert(_Generic((MPI_User_function_c *)0,
                        void (*)(void *, void *, MPI_Count *, MPI_Datatype *): 1, default: 0),
               "MPI_User_function_c");
_Static_assert(_Generic((MPI_Comm_copy_attr_function *)0,
                        int (*)(MPI_Comm, int, void *, void *, void *, int *): 1, default: 0),
               "MPI_Comm_copy_attr_function");
_Static_assert(_Generic((MPI_Comm_delete_attr_function *)0,
                        int (*)(MPI_Comm, int, void *, void *): 1, default: 0),
               "MPI_Comm_delete_attr_function");
_Static_assert(_Generic((MPI_Type_copy_attr_function *)0,
                        int (*)(MPI_Datatype, int, void *, void *, void *, int *): 1,
                        default: 0),
               "MPI_Type_copy_attr_function");
_Static_assert(_Generic((MPI_Win_delete_attr_function *)0,
                        int (*)(MPI_Win, int, void *, void *): 1, default: 0),
               "MPI_Win_delete_attr_function");
_Static_assert(_Generic((MPI_Comm_errhandler_function *)0,
                        void (*)(MPI_Comm *, int *, ...): 1, default: 0),
               "MPI_Comm_errhandler_function");
_Static_assert(_Generic((MPI_Grequest_query_function *)0,
                        int (*)(void *, MPI_Status *): 1, default: 0),
               "MPI_Grequest_query_function");
_Static_assert(_Generic((MPI_Datarep_conversion_function_c *)0,
                        int (*)(void *, MPI_Datatype, MPI_Count, void *, MPI_Offset, void *): 1,
                        default: 0),
               "MPI_Datarep_conversion_function_c");

/* ---------------------------------------------------------------------------------- */
/* The error-class table (src/core/errclass.c)                                         */
/* ---------------------------------------------------------------------------------- */

static void test_errclass_table(void **state)
{
    (void)state;
    /* Every reference entry named MPI_SUCCESS or MPI_ERR_* below MPI_ERR_LASTCODE is a
     * predefined class: the table must give back exactly that name and some sentence. */
    const struct abi_check t[] = {ABI_REF_INTS(ABI_ENTRY)};
    int classes = 0;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int is_class = strcmp(t[i].name, "MPI_SUCCESS") == 0 ||
                       (strncmp(t[i].name, "MPI_ERR_", 8) == 0 &&
                        strcmp(t[i].name, "MPI_ERR_LASTCODE") != 0);
        if (!is_class)
            continue;
        classes++;
        const char *name = lm_errclass_name((int)t[i].ref);
        const char *text = lm_errclass_string((int)t[i].ref);
        if (name == NULL || strcmp(name, t[i].name) != 0)
            fail_msg("class %lld: name %s, expected %s", t[i].ref, name ? name : "(null)",
                     t[i].name);
        if (text == NULL || text[0] == '\0')
            fail_msg("class %s has no description", t[i].name);
    }
    assert_int_equal(classes, 63); /* 0..62, no gaps */
    assert_string_equal(lm_errclass_string(MPI_ERR_TRUNCATE),
                        "message truncated: receive buffer too small");

    /* Outside the predefined range: NULL, not a crash. */
    assert_null(lm_errclass_name(-1));
    assert_null(lm_errclass_string(-1));
    assert_null(lm_errclass_name(MPI_ERR_ABI + 1));
    assert_null(lm_errclass_string(MPI_ERR_ABI + 1));
    assert_null(lm_errclass_name(MPI_T_ERR_CANNOT_INIT));
    assert_null(lm_errclass_name(MPI_ERR_LASTCODE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integer_constants),
        cmocka_unit_test(test_predefined_handles),
        cmocka_unit_test(test_sentinels),
        cmocka_unit_test(test_ordering_and_bits),
        cmocka_unit_test(test_status_layout),
        cmocka_unit_test(test_integer_types),
        cmocka_unit_test(test_handle_types),
        cmocka_unit_test(test_fixed_size_datatype_encoding),
        cmocka_unit_test(test_errclass_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
