/*
 * constants.c - the module's integer constants, with mpi4py 3.1's names and our mpi.h's
 * values (the MPI 5.0 ABI's, so they differ from Open MPI's: code must use the names).
 *
 * Only what liblitempi implements is exported: no window, file, port or data
 * representation constants (MODE_*, LOCK_*, WIN_*, SEEK_*, DISP_CUR, MAX_PORT_NAME,
 * MAX_DATAREP_STRING), as those classes do not exist. A few names mpi4py added after 3.1
 * are here because the library has them: the hardware split types (COMM_TYPE_HW_*,
 * COMM_TYPE_RESOURCE_GUIDED) and the MPI-4 error classes (ERR_PROC_ABORTED, ...).
 */
#include "pympi.h"

#include <stdint.h>

#define C(name) {#name, MPI_##name}

static const struct {
    const char *name;
    long value;
} constants[] = {
    /* wildcards and sentinels */
    C(SUCCESS), C(ANY_SOURCE), C(ANY_TAG), C(PROC_NULL), C(ROOT), C(UNDEFINED),
    C(KEYVAL_INVALID), C(BSEND_OVERHEAD),
    /* versions */
    C(VERSION), C(SUBVERSION),
    /* thread levels */
    C(THREAD_SINGLE), C(THREAD_FUNNELED), C(THREAD_SERIALIZED), C(THREAD_MULTIPLE),
    /* comparison results */
    C(IDENT), C(CONGRUENT), C(SIMILAR), C(UNEQUAL),
    /* topologies */
    C(CART), C(GRAPH), C(DIST_GRAPH),
    /* communicator split types */
    C(COMM_TYPE_SHARED), C(COMM_TYPE_HW_UNGUIDED), C(COMM_TYPE_HW_GUIDED),
    C(COMM_TYPE_RESOURCE_GUIDED),
    /* predefined communicator attribute keys */
    C(TAG_UB), C(HOST), C(IO), C(WTIME_IS_GLOBAL), C(UNIVERSE_SIZE), C(APPNUM),
    C(LASTUSEDCODE),
    /* string lengths */
    C(MAX_PROCESSOR_NAME), C(MAX_ERROR_STRING), C(MAX_INFO_KEY), C(MAX_INFO_VAL),
    C(MAX_OBJECT_NAME), C(MAX_LIBRARY_VERSION_STRING),
    /* datatype constructors and decoding */
    C(ORDER_C), C(ORDER_FORTRAN), {"ORDER_F", MPI_ORDER_FORTRAN},
    C(DISTRIBUTE_NONE), C(DISTRIBUTE_BLOCK), C(DISTRIBUTE_CYCLIC), C(DISTRIBUTE_DFLT_DARG),
    C(TYPECLASS_INTEGER), C(TYPECLASS_REAL), C(TYPECLASS_COMPLEX),
    C(COMBINER_NAMED), C(COMBINER_DUP), C(COMBINER_CONTIGUOUS), C(COMBINER_VECTOR),
    C(COMBINER_HVECTOR), C(COMBINER_INDEXED), C(COMBINER_HINDEXED),
    C(COMBINER_INDEXED_BLOCK), C(COMBINER_HINDEXED_BLOCK), C(COMBINER_STRUCT),
    C(COMBINER_SUBARRAY), C(COMBINER_DARRAY), C(COMBINER_F90_REAL),
    C(COMBINER_F90_COMPLEX), C(COMBINER_F90_INTEGER), C(COMBINER_RESIZED),
    /* error classes */
    C(ERR_BUFFER), C(ERR_COUNT), C(ERR_TYPE), C(ERR_TAG), C(ERR_COMM), C(ERR_RANK),
    C(ERR_REQUEST), C(ERR_ROOT), C(ERR_GROUP), C(ERR_OP), C(ERR_TOPOLOGY), C(ERR_DIMS),
    C(ERR_ARG), C(ERR_UNKNOWN), C(ERR_TRUNCATE), C(ERR_OTHER), C(ERR_INTERN),
    C(ERR_PENDING), C(ERR_IN_STATUS), C(ERR_ACCESS), C(ERR_AMODE), C(ERR_ASSERT),
    C(ERR_BAD_FILE), C(ERR_BASE), C(ERR_CONVERSION), C(ERR_DISP), C(ERR_DUP_DATAREP),
    C(ERR_FILE_EXISTS), C(ERR_FILE_IN_USE), C(ERR_FILE), C(ERR_INFO_KEY),
    C(ERR_INFO_NOKEY), C(ERR_INFO_VALUE), C(ERR_INFO), C(ERR_IO), C(ERR_KEYVAL),
    C(ERR_LOCKTYPE), C(ERR_NAME), C(ERR_NO_MEM), C(ERR_NOT_SAME), C(ERR_NO_SPACE),
    C(ERR_NO_SUCH_FILE), C(ERR_PORT), C(ERR_QUOTA), C(ERR_READ_ONLY), C(ERR_RMA_ATTACH),
    C(ERR_RMA_CONFLICT), C(ERR_RMA_RANGE), C(ERR_RMA_SHARED), C(ERR_RMA_SYNC),
    C(ERR_RMA_FLAVOR), C(ERR_SERVICE), C(ERR_SIZE), C(ERR_SPAWN),
    C(ERR_UNSUPPORTED_DATAREP), C(ERR_UNSUPPORTED_OPERATION), C(ERR_WIN),
    C(ERR_PROC_ABORTED), C(ERR_VALUE_TOO_LARGE), C(ERR_SESSION), C(ERR_ERRHANDLER),
    C(ERR_LASTCODE),
};

int pympi_init_constants(PyObject *m)
{
    for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++)
        if (PyModule_AddIntConstant(m, constants[i].name, constants[i].value) < 0)
            return -1;
    /* mpi4py 3.1 exposes the weight sentinels as the integers of their pointer values;
     * Create_dist_graph* compare against these. */
    if (PyModule_AddIntConstant(m, "UNWEIGHTED", (long)(intptr_t)MPI_UNWEIGHTED) < 0 ||
        PyModule_AddIntConstant(m, "WEIGHTS_EMPTY", (long)(intptr_t)MPI_WEIGHTS_EMPTY) < 0)
        return -1;
    return 0;
}
