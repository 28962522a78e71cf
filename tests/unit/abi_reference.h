/* abi_reference.h - the MPI 5.0 standard ABI's constant values, restated as literals.
 *
 * Deliberately does not include mpi.h: the numbers here are typed in independently from the
 * MPI Forum's reference header (mpi-forum/mpi-abi-stubs, mpi.h), so test_abi_constants.c
 * can compare them with what our include/mpi.h actually expands to. Each entry is
 * ABI_X(name, value, C type the constant must have); the type is only a token here and is
 * resolved in the test, after mpi.h.
 */
#ifndef LM_TEST_ABI_REFERENCE_H
#define LM_TEST_ABI_REFERENCE_H

/* Integer constants (enumerators or macros of type int). */
#define ABI_REF_INTS(ABI_X)                                                              \
    /* versions */                                                                       \
    ABI_X(MPI_VERSION, 5, int)                                                           \
    ABI_X(MPI_SUBVERSION, 0, int)                                                        \
    ABI_X(MPI_ABI_VERSION, 1, int)                                                       \
    ABI_X(MPI_ABI_SUBVERSION, 0, int)                                                    \
    /* Fortran status indices */                                                         \
    ABI_X(MPI_F_STATUS_SIZE, 8, int)                                                     \
    ABI_X(MPI_F_SOURCE, 0, int)                                                          \
    ABI_X(MPI_F_TAG, 1, int)                                                             \
    ABI_X(MPI_F_ERROR, 2, int)                                                           \
    /* error classes */                                                                  \
    ABI_X(MPI_SUCCESS, 0, int)                                                           \
    ABI_X(MPI_ERR_BUFFER, 1, int)                                                        \
    ABI_X(MPI_ERR_COUNT, 2, int)                                                         \
    ABI_X(MPI_ERR_TYPE, 3, int)                                                          \
    ABI_X(MPI_ERR_TAG, 4, int)                                                           \
    ABI_X(MPI_ERR_COMM, 5, int)                                                          \
    ABI_X(MPI_ERR_RANK, 6, int)                                                          \
    ABI_X(MPI_ERR_REQUEST, 7, int)                                                       \
    ABI_X(MPI_ERR_ROOT, 8, int)                                                          \
    ABI_X(MPI_ERR_GROUP, 9, int)                                                         \
    ABI_X(MPI_ERR_OP, 10, int)                                                           \
    ABI_X(MPI_ERR_TOPOLOGY, 11, int)                                                     \
    ABI_X(MPI_ERR_DIMS, 12, int)                                                         \
    ABI_X(MPI_ERR_ARG, 13, int)                                                          \
    ABI_X(MPI_ERR_UNKNOWN, 14, int)                                                      \
    ABI_X(MPI_ERR_TRUNCATE, 15, int)                                                     \
    ABI_X(MPI_ERR_OTHER, 16, int)                                                        \
    ABI_X(MPI_ERR_INTERN, 17, int)                                                       \
    ABI_X(MPI_ERR_PENDING, 18, int)                                                      \
    ABI_X(MPI_ERR_IN_STATUS, 19, int)                                                    \
    ABI_X(MPI_ERR_ACCESS, 20, int)                                                       \
    ABI_X(MPI_ERR_AMODE, 21, int)                                                        \
    ABI_X(MPI_ERR_ASSERT, 22, int)                                                       \
    ABI_X(MPI_ERR_BAD_FILE, 23, int)                                                     \
    ABI_X(MPI_ERR_BASE, 24, int)                                                         \
    ABI_X(MPI_ERR_CONVERSION, 25, int)                                                   \
    ABI_X(MPI_ERR_DISP, 26, int)                                                         \
    ABI_X(MPI_ERR_DUP_DATAREP, 27, int)                                                  \
    ABI_X(MPI_ERR_FILE_EXISTS, 28, int)                                                  \
    ABI_X(MPI_ERR_FILE_IN_USE, 29, int)                                                  \
    ABI_X(MPI_ERR_FILE, 30, int)                                                         \
    ABI_X(MPI_ERR_INFO_KEY, 31, int)                                                     \
    ABI_X(MPI_ERR_INFO_NOKEY, 32, int)                                                   \
    ABI_X(MPI_ERR_INFO_VALUE, 33, int)                                                   \
    ABI_X(MPI_ERR_INFO, 34, int)                                                         \
    ABI_X(MPI_ERR_IO, 35, int)                                                           \
    ABI_X(MPI_ERR_KEYVAL, 36, int)                                                       \
    ABI_X(MPI_ERR_LOCKTYPE, 37, int)                                                     \
    ABI_X(MPI_ERR_NAME, 38, int)                                                         \
    ABI_X(MPI_ERR_NO_MEM, 39, int)                                                       \
    ABI_X(MPI_ERR_NOT_SAME, 40, int)                                                     \
    ABI_X(MPI_ERR_NO_SPACE, 41, int)                                                     \
    ABI_X(MPI_ERR_NO_SUCH_FILE, 42, int)                                                 \
    ABI_X(MPI_ERR_PORT, 43, int)                                                         \
    ABI_X(MPI_ERR_QUOTA, 44, int)                                                        \
    ABI_X(MPI_ERR_READ_ONLY, 45, int)                                                    \
    ABI_X(MPI_ERR_RMA_ATTACH, 46, int)                                                   \
    ABI_X(MPI_ERR_RMA_CONFLICT, 47, int)                                                 \
    ABI_X(MPI_ERR_RMA_RANGE, 48, int)                                                    \
    ABI_X(MPI_ERR_RMA_SHARED, 49, int)                                                   \
    ABI_X(MPI_ERR_RMA_SYNC, 50, int)                                                     \
    ABI_X(MPI_ERR_SERVICE, 51, int)                                                      \
    ABI_X(MPI_ERR_SIZE, 52, int)                                                         \
    ABI_X(MPI_ERR_SPAWN, 53, int)                                                        \
    ABI_X(MPI_ERR_UNSUPPORTED_DATAREP, 54, int)                                          \
    ABI_X(MPI_ERR_UNSUPPORTED_OPERATION, 55, int)                                        \
    ABI_X(MPI_ERR_WIN, 56, int)                                                          \
    ABI_X(MPI_ERR_RMA_FLAVOR, 57, int)                                                   \
    ABI_X(MPI_ERR_PROC_ABORTED, 58, int)                                                 \
    ABI_X(MPI_ERR_VALUE_TOO_LARGE, 59, int)                                              \
    ABI_X(MPI_ERR_SESSION, 60, int)                                                      \
    ABI_X(MPI_ERR_ERRHANDLER, 61, int)                                                   \
    ABI_X(MPI_ERR_ABI, 62, int)                                                          \
    ABI_X(MPI_T_ERR_CANNOT_INIT, 1001, int)                                              \
    ABI_X(MPI_T_ERR_NOT_ACCESSIBLE, 1002, int)                                           \
    ABI_X(MPI_T_ERR_NOT_INITIALIZED, 1003, int)                                          \
    ABI_X(MPI_T_ERR_NOT_SUPPORTED, 1004, int)                                            \
    ABI_X(MPI_T_ERR_MEMORY, 1005, int)                                                   \
    ABI_X(MPI_T_ERR_INVALID, 1006, int)                                                  \
    ABI_X(MPI_T_ERR_INVALID_INDEX, 1007, int)                                            \
    ABI_X(MPI_T_ERR_INVALID_ITEM, 1008, int)                                             \
    ABI_X(MPI_T_ERR_INVALID_SESSION, 1009, int)                                          \
    ABI_X(MPI_T_ERR_INVALID_HANDLE, 1010, int)                                           \
    ABI_X(MPI_T_ERR_INVALID_NAME, 1011, int)                                             \
    ABI_X(MPI_T_ERR_OUT_OF_HANDLES, 1012, int)                                           \
    ABI_X(MPI_T_ERR_OUT_OF_SESSIONS, 1013, int)                                          \
    ABI_X(MPI_T_ERR_CVAR_SET_NOT_NOW, 1014, int)                                         \
    ABI_X(MPI_T_ERR_CVAR_SET_NEVER, 1015, int)                                           \
    ABI_X(MPI_T_ERR_PVAR_NO_WRITE, 1016, int)                                            \
    ABI_X(MPI_T_ERR_PVAR_NO_STARTSTOP, 1017, int)                                        \
    ABI_X(MPI_T_ERR_PVAR_NO_ATOMIC, 1018, int)                                           \
    ABI_X(MPI_ERR_LASTCODE, 16383, int)                                                  \
    /* string limits and buffer overhead */                                              \
    ABI_X(MPI_MAX_DATAREP_STRING, 128, int)                                              \
    ABI_X(MPI_MAX_ERROR_STRING, 512, int)                                                \
    ABI_X(MPI_MAX_INFO_KEY, 256, int)                                                    \
    ABI_X(MPI_MAX_INFO_VAL, 1024, int)                                                   \
    ABI_X(MPI_MAX_LIBRARY_VERSION_STRING, 8192, int)                                     \
    ABI_X(MPI_MAX_OBJECT_NAME, 128, int)                                                 \
    ABI_X(MPI_MAX_PORT_NAME, 1024, int)                                                  \
    ABI_X(MPI_MAX_PROCESSOR_NAME, 256, int)                                              \
    ABI_X(MPI_MAX_STRINGTAG_LEN, 1024, int)                                              \
    ABI_X(MPI_MAX_PSET_NAME_LEN, 1024, int)                                              \
    ABI_X(MPI_BSEND_OVERHEAD, 512, int)                                                  \
    /* mode bits */                                                                      \
    ABI_X(MPI_MODE_APPEND, 1, int)                                                       \
    ABI_X(MPI_MODE_CREATE, 2, int)                                                       \
    ABI_X(MPI_MODE_DELETE_ON_CLOSE, 4, int)                                              \
    ABI_X(MPI_MODE_EXCL, 8, int)                                                         \
    ABI_X(MPI_MODE_RDONLY, 16, int)                                                      \
    ABI_X(MPI_MODE_RDWR, 32, int)                                                        \
    ABI_X(MPI_MODE_SEQUENTIAL, 64, int)                                                  \
    ABI_X(MPI_MODE_UNIQUE_OPEN, 128, int)                                                \
    ABI_X(MPI_MODE_WRONLY, 256, int)                                                     \
    ABI_X(MPI_MODE_NOCHECK, 1024, int)                                                   \
    ABI_X(MPI_MODE_NOPRECEDE, 2048, int)                                                 \
    ABI_X(MPI_MODE_NOPUT, 4096, int)                                                     \
    ABI_X(MPI_MODE_NOSTORE, 8192, int)                                                   \
    ABI_X(MPI_MODE_NOSUCCEED, 16384, int)                                                \
    /* wildcards and sentinels */                                                        \
    ABI_X(MPI_ANY_SOURCE, -1, int)                                                       \
    ABI_X(MPI_ANY_TAG, -2, int)                                                          \
    ABI_X(MPI_PROC_NULL, -3, int)                                                        \
    ABI_X(MPI_ROOT, -4, int)                                                             \
    ABI_X(MPI_UNDEFINED, -32766, int)                                                    \
    /* thread levels */                                                                  \
    ABI_X(MPI_THREAD_SINGLE, 0, int)                                                     \
    ABI_X(MPI_THREAD_FUNNELED, 1024, int)                                                \
    ABI_X(MPI_THREAD_SERIALIZED, 2048, int)                                              \
    ABI_X(MPI_THREAD_MULTIPLE, 4096, int)                                                \
    /* array order and distribution */                                                   \
    ABI_X(MPI_ORDER_C, 12, int)                                                          \
    ABI_X(MPI_ORDER_FORTRAN, 15, int)                                                    \
    ABI_X(MPI_DISTRIBUTE_NONE, 16, int)                                                  \
    ABI_X(MPI_DISTRIBUTE_BLOCK, 17, int)                                                 \
    ABI_X(MPI_DISTRIBUTE_CYCLIC, 18, int)                                                \
    ABI_X(MPI_DISTRIBUTE_DFLT_DARG, 19, int)                                             \
    /* combiners */                                                                      \
    ABI_X(MPI_COMBINER_NAMED, 101, int)                                                  \
    ABI_X(MPI_COMBINER_DUP, 102, int)                                                    \
    ABI_X(MPI_COMBINER_CONTIGUOUS, 103, int)                                             \
    ABI_X(MPI_COMBINER_VECTOR, 104, int)                                                 \
    ABI_X(MPI_COMBINER_HVECTOR, 105, int)                                                \
    ABI_X(MPI_COMBINER_INDEXED, 106, int)                                                \
    ABI_X(MPI_COMBINER_HINDEXED, 107, int)                                               \
    ABI_X(MPI_COMBINER_INDEXED_BLOCK, 108, int)                                          \
    ABI_X(MPI_COMBINER_HINDEXED_BLOCK, 109, int)                                         \
    ABI_X(MPI_COMBINER_STRUCT, 110, int)                                                 \
    ABI_X(MPI_COMBINER_SUBARRAY, 111, int)                                               \
    ABI_X(MPI_COMBINER_DARRAY, 112, int)                                                 \
    ABI_X(MPI_COMBINER_F90_INTEGER, 113, int)                                            \
    ABI_X(MPI_COMBINER_F90_REAL, 114, int)                                               \
    ABI_X(MPI_COMBINER_F90_COMPLEX, 115, int)                                            \
    ABI_X(MPI_COMBINER_RESIZED, 116, int)                                                \
    ABI_X(MPI_COMBINER_VALUE_INDEX, 117, int)                                            \
    /* type classes */                                                                   \
    ABI_X(MPIX_TYPECLASS_LOGICAL, 191, int)                                              \
    ABI_X(MPI_TYPECLASS_INTEGER, 192, int)                                               \
    ABI_X(MPI_TYPECLASS_REAL, 193, int)                                                  \
    ABI_X(MPI_TYPECLASS_COMPLEX, 194, int)                                               \
    /* comparisons, topologies, split types */                                           \
    ABI_X(MPI_IDENT, 201, int)                                                           \
    ABI_X(MPI_CONGRUENT, 202, int)                                                       \
    ABI_X(MPI_SIMILAR, 203, int)                                                         \
    ABI_X(MPI_UNEQUAL, 204, int)                                                         \
    ABI_X(MPI_CART, 211, int)                                                            \
    ABI_X(MPI_GRAPH, 212, int)                                                           \
    ABI_X(MPI_DIST_GRAPH, 213, int)                                                      \
    ABI_X(MPI_COMM_TYPE_SHARED, 221, int)                                                \
    ABI_X(MPI_COMM_TYPE_HW_UNGUIDED, 222, int)                                           \
    ABI_X(MPI_COMM_TYPE_HW_GUIDED, 223, int)                                             \
    ABI_X(MPI_COMM_TYPE_RESOURCE_GUIDED, 224, int)                                       \
    /* RMA */                                                                            \
    ABI_X(MPI_LOCK_EXCLUSIVE, 301, int)                                                  \
    ABI_X(MPI_LOCK_SHARED, 302, int)                                                     \
    ABI_X(MPI_WIN_FLAVOR_CREATE, 311, int)                                               \
    ABI_X(MPI_WIN_FLAVOR_ALLOCATE, 312, int)                                             \
    ABI_X(MPI_WIN_FLAVOR_DYNAMIC, 313, int)                                              \
    ABI_X(MPI_WIN_FLAVOR_SHARED, 314, int)                                               \
    ABI_X(MPI_WIN_UNIFIED, 321, int)                                                     \
    ABI_X(MPI_WIN_SEPARATE, 322, int)                                                    \
    /* file seek */                                                                      \
    ABI_X(MPI_SEEK_SET, 401, int)                                                        \
    ABI_X(MPI_SEEK_CUR, 402, int)                                                        \
    ABI_X(MPI_SEEK_END, 403, int)                                                        \
    /* attribute keys */                                                                 \
    ABI_X(MPI_KEYVAL_INVALID, 0, int)                                                    \
    ABI_X(MPI_TAG_UB, 501, int)                                                          \
    ABI_X(MPI_IO, 502, int)                                                              \
    ABI_X(MPI_HOST, 503, int)                                                            \
    ABI_X(MPI_WTIME_IS_GLOBAL, 504, int)                                                 \
    ABI_X(MPI_UNIVERSE_SIZE, 505, int)                                                   \
    ABI_X(MPI_APPNUM, 506, int)                                                          \
    ABI_X(MPI_LASTUSEDCODE, 507, int)                                                    \
    ABI_X(MPI_WIN_BASE, 601, int)                                                        \
    ABI_X(MPI_WIN_DISP_UNIT, 602, int)                                                   \
    ABI_X(MPI_WIN_SIZE, 603, int)                                                        \
    ABI_X(MPI_WIN_CREATE_FLAVOR, 604, int)                                               \
    ABI_X(MPI_WIN_MODEL, 605, int)                                                       \
    /* MPI_T */                                                                          \
    ABI_X(MPI_T_VERBOSITY_USER_BASIC, 0x09, int)                                         \
    ABI_X(MPI_T_VERBOSITY_USER_DETAIL, 0x0a, int)                                        \
    ABI_X(MPI_T_VERBOSITY_USER_ALL, 0x0c, int)                                           \
    ABI_X(MPI_T_VERBOSITY_TUNER_BASIC, 0x11, int)                                        \
    ABI_X(MPI_T_VERBOSITY_TUNER_DETAIL, 0x12, int)                                       \
    ABI_X(MPI_T_VERBOSITY_TUNER_ALL, 0x14, int)                                          \
    ABI_X(MPI_T_VERBOSITY_MPIDEV_BASIC, 0x21, int)                                       \
    ABI_X(MPI_T_VERBOSITY_MPIDEV_DETAIL, 0x22, int)                                      \
    ABI_X(MPI_T_VERBOSITY_MPIDEV_ALL, 0x24, int)                                         \
    ABI_X(MPI_T_BIND_NO_OBJECT, 1, int)                                                  \
    ABI_X(MPI_T_BIND_MPI_COMM, 2, int)                                                   \
    ABI_X(MPI_T_BIND_MPI_DATATYPE, 3, int)                                               \
    ABI_X(MPI_T_BIND_MPI_ERRHANDLER, 4, int)                                             \
    ABI_X(MPI_T_BIND_MPI_FILE, 5, int)                                                   \
    ABI_X(MPI_T_BIND_MPI_GROUP, 6, int)                                                  \
    ABI_X(MPI_T_BIND_MPI_OP, 7, int)                                                     \
    ABI_X(MPI_T_BIND_MPI_REQUEST, 8, int)                                                \
    ABI_X(MPI_T_BIND_MPI_WIN, 9, int)                                                    \
    ABI_X(MPI_T_BIND_MPI_MESSAGE, 10, int)                                               \
    ABI_X(MPI_T_BIND_MPI_INFO, 11, int)                                                  \
    ABI_X(MPI_T_BIND_MPI_SESSION, 12, int)                                               \
    ABI_X(MPI_T_SCOPE_CONSTANT, 1, int)                                                  \
    ABI_X(MPI_T_SCOPE_READONLY, 2, int)                                                  \
    ABI_X(MPI_T_SCOPE_LOCAL, 3, int)                                                     \
    ABI_X(MPI_T_SCOPE_GROUP, 4, int)                                                     \
    ABI_X(MPI_T_SCOPE_GROUP_EQ, 5, int)                                                  \
    ABI_X(MPI_T_SCOPE_ALL, 6, int)                                                       \
    ABI_X(MPI_T_SCOPE_ALL_EQ, 7, int)                                                    \
    ABI_X(MPI_T_PVAR_CLASS_STATE, 1, int)                                                \
    ABI_X(MPI_T_PVAR_CLASS_LEVEL, 2, int)                                                \
    ABI_X(MPI_T_PVAR_CLASS_SIZE, 3, int)                                                 \
    ABI_X(MPI_T_PVAR_CLASS_PERCENTAGE, 4, int)                                           \
    ABI_X(MPI_T_PVAR_CLASS_HIGHWATERMARK, 5, int)                                        \
    ABI_X(MPI_T_PVAR_CLASS_LOWWATERMARK, 6, int)                                         \
    ABI_X(MPI_T_PVAR_CLASS_COUNTER, 7, int)                                              \
    ABI_X(MPI_T_PVAR_CLASS_AGGREGATE, 8, int)                                            \
    ABI_X(MPI_T_PVAR_CLASS_TIMER, 9, int)                                                \
    ABI_X(MPI_T_PVAR_CLASS_GENERIC, 10, int)

/* Enumerators of the MPI_T enum types (in C an enumerator has type int). */
#define ABI_REF_T_ENUMS(ABI_X)                                                           \
    ABI_X(MPI_T_CB_REQUIRE_NONE, 0x00, int)                                              \
    ABI_X(MPI_T_CB_REQUIRE_MPI_RESTRICTED, 0x03, int)                                    \
    ABI_X(MPI_T_CB_REQUIRE_THREAD_SAFE, 0x0f, int)                                       \
    ABI_X(MPI_T_CB_REQUIRE_ASYNC_SIGNAL_SAFE, 0x3f, int)                                 \
    ABI_X(MPI_T_SOURCE_ORDERED, 1, int)                                                  \
    ABI_X(MPI_T_SOURCE_UNORDERED, 2, int)

/* Predefined handles: small integers cast to the handle type. */
#define ABI_REF_HANDLES(ABI_X)                                                           \
    ABI_X(MPI_OP_NULL, 0x020, MPI_Op)                                                    \
    ABI_X(MPI_SUM, 0x021, MPI_Op)                                                        \
    ABI_X(MPI_MIN, 0x022, MPI_Op)                                                        \
    ABI_X(MPI_MAX, 0x023, MPI_Op)                                                        \
    ABI_X(MPI_PROD, 0x024, MPI_Op)                                                       \
    ABI_X(MPI_BAND, 0x028, MPI_Op)                                                       \
    ABI_X(MPI_BOR, 0x029, MPI_Op)                                                        \
    ABI_X(MPI_BXOR, 0x02a, MPI_Op)                                                       \
    ABI_X(MPI_LAND, 0x030, MPI_Op)                                                       \
    ABI_X(MPI_LOR, 0x031, MPI_Op)                                                        \
    ABI_X(MPI_LXOR, 0x032, MPI_Op)                                                       \
    ABI_X(MPI_MINLOC, 0x038, MPI_Op)                                                     \
    ABI_X(MPI_MAXLOC, 0x039, MPI_Op)                                                     \
    ABI_X(MPI_REPLACE, 0x03c, MPI_Op)                                                    \
    ABI_X(MPI_NO_OP, 0x03d, MPI_Op)                                                      \
    ABI_X(MPI_COMM_NULL, 0x100, MPI_Comm)                                                \
    ABI_X(MPI_COMM_WORLD, 0x101, MPI_Comm)                                               \
    ABI_X(MPI_COMM_SELF, 0x102, MPI_Comm)                                                \
    ABI_X(MPI_GROUP_NULL, 0x108, MPI_Group)                                              \
    ABI_X(MPI_GROUP_EMPTY, 0x109, MPI_Group)                                             \
    ABI_X(MPI_WIN_NULL, 0x110, MPI_Win)                                                  \
    ABI_X(MPI_FILE_NULL, 0x118, MPI_File)                                                \
    ABI_X(MPI_SESSION_NULL, 0x120, MPI_Session)                                          \
    ABI_X(MPI_MESSAGE_NULL, 0x128, MPI_Message)                                          \
    ABI_X(MPI_MESSAGE_NO_PROC, 0x129, MPI_Message)                                       \
    ABI_X(MPI_INFO_NULL, 0x130, MPI_Info)                                                \
    ABI_X(MPI_INFO_ENV, 0x131, MPI_Info)                                                 \
    ABI_X(MPI_ERRHANDLER_NULL, 0x140, MPI_Errhandler)                                    \
    ABI_X(MPI_ERRORS_ARE_FATAL, 0x141, MPI_Errhandler)                                   \
    ABI_X(MPI_ERRORS_RETURN, 0x142, MPI_Errhandler)                                      \
    ABI_X(MPI_ERRORS_ABORT, 0x143, MPI_Errhandler)                                       \
    ABI_X(MPI_REQUEST_NULL, 0x180, MPI_Request)                                          \
    ABI_X(MPI_DATATYPE_NULL, 0x200, MPI_Datatype)                                        \
    ABI_X(MPI_AINT, 0x201, MPI_Datatype)                                                 \
    ABI_X(MPI_COUNT, 0x202, MPI_Datatype)                                                \
    ABI_X(MPI_OFFSET, 0x203, MPI_Datatype)                                               \
    ABI_X(MPI_PACKED, 0x207, MPI_Datatype)                                               \
    ABI_X(MPI_SHORT, 0x208, MPI_Datatype)                                                \
    ABI_X(MPI_INT, 0x209, MPI_Datatype)                                                  \
    ABI_X(MPI_LONG, 0x20a, MPI_Datatype)                                                 \
    ABI_X(MPI_LONG_LONG, 0x20b, MPI_Datatype)                                            \
    ABI_X(MPI_LONG_LONG_INT, 0x20b, MPI_Datatype)                                        \
    ABI_X(MPI_UNSIGNED_SHORT, 0x20c, MPI_Datatype)                                       \
    ABI_X(MPI_UNSIGNED, 0x20d, MPI_Datatype)                                             \
    ABI_X(MPI_UNSIGNED_LONG, 0x20e, MPI_Datatype)                                        \
    ABI_X(MPI_UNSIGNED_LONG_LONG, 0x20f, MPI_Datatype)                                   \
    ABI_X(MPI_FLOAT, 0x210, MPI_Datatype)                                                \
    ABI_X(MPI_C_FLOAT_COMPLEX, 0x212, MPI_Datatype)                                      \
    ABI_X(MPI_C_COMPLEX, 0x212, MPI_Datatype)                                            \
    ABI_X(MPI_CXX_FLOAT_COMPLEX, 0x213, MPI_Datatype)                                    \
    ABI_X(MPI_DOUBLE, 0x214, MPI_Datatype)                                               \
    ABI_X(MPI_C_DOUBLE_COMPLEX, 0x216, MPI_Datatype)                                     \
    ABI_X(MPI_CXX_DOUBLE_COMPLEX, 0x217, MPI_Datatype)                                   \
    ABI_X(MPI_LOGICAL, 0x218, MPI_Datatype)                                              \
    ABI_X(MPI_INTEGER, 0x219, MPI_Datatype)                                              \
    ABI_X(MPI_REAL, 0x21a, MPI_Datatype)                                                 \
    ABI_X(MPI_COMPLEX, 0x21b, MPI_Datatype)                                              \
    ABI_X(MPI_DOUBLE_PRECISION, 0x21c, MPI_Datatype)                                     \
    ABI_X(MPI_DOUBLE_COMPLEX, 0x21d, MPI_Datatype)                                       \
    ABI_X(MPI_CHARACTER, 0x21e, MPI_Datatype)                                            \
    ABI_X(MPI_LONG_DOUBLE, 0x220, MPI_Datatype)                                          \
    ABI_X(MPI_C_LONG_DOUBLE_COMPLEX, 0x224, MPI_Datatype)                                \
    ABI_X(MPI_CXX_LONG_DOUBLE_COMPLEX, 0x225, MPI_Datatype)                              \
    ABI_X(MPI_FLOAT_INT, 0x228, MPI_Datatype)                                            \
    ABI_X(MPI_DOUBLE_INT, 0x229, MPI_Datatype)                                           \
    ABI_X(MPI_LONG_INT, 0x22a, MPI_Datatype)                                             \
    ABI_X(MPI_2INT, 0x22b, MPI_Datatype)                                                 \
    ABI_X(MPI_SHORT_INT, 0x22c, MPI_Datatype)                                            \
    ABI_X(MPI_LONG_DOUBLE_INT, 0x22d, MPI_Datatype)                                      \
    ABI_X(MPI_2REAL, 0x230, MPI_Datatype)                                                \
    ABI_X(MPI_2DOUBLE_PRECISION, 0x231, MPI_Datatype)                                    \
    ABI_X(MPI_2INTEGER, 0x232, MPI_Datatype)                                             \
    ABI_X(MPI_C_BOOL, 0x238, MPI_Datatype)                                               \
    ABI_X(MPI_CXX_BOOL, 0x239, MPI_Datatype)                                             \
    ABI_X(MPI_WCHAR, 0x23c, MPI_Datatype)                                                \
    ABI_X(MPI_INT8_T, 0x240, MPI_Datatype)                                               \
    ABI_X(MPI_UINT8_T, 0x241, MPI_Datatype)                                              \
    ABI_X(MPI_CHAR, 0x243, MPI_Datatype)                                                 \
    ABI_X(MPI_SIGNED_CHAR, 0x244, MPI_Datatype)                                          \
    ABI_X(MPI_UNSIGNED_CHAR, 0x245, MPI_Datatype)                                        \
    ABI_X(MPI_BYTE, 0x247, MPI_Datatype)                                                 \
    ABI_X(MPI_INT16_T, 0x248, MPI_Datatype)                                              \
    ABI_X(MPI_UINT16_T, 0x249, MPI_Datatype)                                             \
    ABI_X(MPI_INT32_T, 0x250, MPI_Datatype)                                              \
    ABI_X(MPI_UINT32_T, 0x251, MPI_Datatype)                                             \
    ABI_X(MPI_INT64_T, 0x258, MPI_Datatype)                                              \
    ABI_X(MPI_UINT64_T, 0x259, MPI_Datatype)                                             \
    ABI_X(MPI_LOGICAL1, 0x2c0, MPI_Datatype)                                             \
    ABI_X(MPI_INTEGER1, 0x2c1, MPI_Datatype)                                             \
    ABI_X(MPI_LOGICAL2, 0x2c8, MPI_Datatype)                                             \
    ABI_X(MPI_INTEGER2, 0x2c9, MPI_Datatype)                                             \
    ABI_X(MPI_REAL2, 0x2ca, MPI_Datatype)                                                \
    ABI_X(MPI_LOGICAL4, 0x2d0, MPI_Datatype)                                             \
    ABI_X(MPI_INTEGER4, 0x2d1, MPI_Datatype)                                             \
    ABI_X(MPI_REAL4, 0x2d2, MPI_Datatype)                                                \
    ABI_X(MPI_COMPLEX4, 0x2d3, MPI_Datatype)                                             \
    ABI_X(MPI_LOGICAL8, 0x2d8, MPI_Datatype)                                             \
    ABI_X(MPI_INTEGER8, 0x2d9, MPI_Datatype)                                             \
    ABI_X(MPI_REAL8, 0x2da, MPI_Datatype)                                                \
    ABI_X(MPI_COMPLEX8, 0x2db, MPI_Datatype)                                             \
    ABI_X(MPI_LOGICAL16, 0x2e0, MPI_Datatype)                                            \
    ABI_X(MPI_INTEGER16, 0x2e1, MPI_Datatype)                                            \
    ABI_X(MPI_REAL16, 0x2e2, MPI_Datatype)                                               \
    ABI_X(MPI_COMPLEX16, 0x2e3, MPI_Datatype)                                            \
    ABI_X(MPI_COMPLEX32, 0x2eb, MPI_Datatype)                                            \
    ABI_X(MPI_T_ENUM_NULL, 0, MPI_T_enum)                                                \
    ABI_X(MPI_T_CVAR_HANDLE_NULL, 0, MPI_T_cvar_handle)                                  \
    ABI_X(MPI_T_PVAR_SESSION_NULL, 0, MPI_T_pvar_session)                                \
    ABI_X(MPI_T_PVAR_HANDLE_NULL, 0, MPI_T_pvar_handle)                                  \
    ABI_X(MPI_T_PVAR_ALL_HANDLES, 1, MPI_T_pvar_handle)

/* Pointer sentinels, the file-offset sentinel and predefined-callback sentinels. */
#define ABI_REF_SENTINELS(ABI_X)                                                         \
    ABI_X(MPI_BOTTOM, 0, void *)                                                         \
    ABI_X(MPI_IN_PLACE, 1, void *)                                                       \
    ABI_X(MPI_BUFFER_AUTOMATIC, 2, void *)                                               \
    ABI_X(MPI_STATUS_IGNORE, 0, MPI_Status *)                                            \
    ABI_X(MPI_STATUSES_IGNORE, 0, MPI_Status *)                                          \
    ABI_X(MPI_ERRCODES_IGNORE, 0, int *)                                                 \
    ABI_X(MPI_ARGV_NULL, 0, char **)                                                     \
    ABI_X(MPI_ARGVS_NULL, 0, char ***)                                                   \
    ABI_X(MPI_UNWEIGHTED, 10, int *)                                                     \
    ABI_X(MPI_WEIGHTS_EMPTY, 11, int *)                                                  \
    ABI_X(MPI_DISPLACEMENT_CURRENT, -1, MPI_Offset)                                      \
    ABI_X(MPI_NULL_COPY_FN, 0, MPI_Copy_function *)                                      \
    ABI_X(MPI_DUP_FN, 1, MPI_Copy_function *)                                            \
    ABI_X(MPI_NULL_DELETE_FN, 0, MPI_Delete_function *)                                  \
    ABI_X(MPI_COMM_NULL_COPY_FN, 0, MPI_Comm_copy_attr_function *)                       \
    ABI_X(MPI_COMM_DUP_FN, 1, MPI_Comm_copy_attr_function *)                             \
    ABI_X(MPI_COMM_NULL_DELETE_FN, 0, MPI_Comm_delete_attr_function *)                   \
    ABI_X(MPI_TYPE_NULL_COPY_FN, 0, MPI_Type_copy_attr_function *)                       \
    ABI_X(MPI_TYPE_DUP_FN, 1, MPI_Type_copy_attr_function *)                             \
    ABI_X(MPI_TYPE_NULL_DELETE_FN, 0, MPI_Type_delete_attr_function *)                   \
    ABI_X(MPI_WIN_NULL_COPY_FN, 0, MPI_Win_copy_attr_function *)                         \
    ABI_X(MPI_WIN_DUP_FN, 1, MPI_Win_copy_attr_function *)                               \
    ABI_X(MPI_WIN_NULL_DELETE_FN, 0, MPI_Win_delete_attr_function *)                     \
    ABI_X(MPI_CONVERSION_FN_NULL, 0, MPI_Datarep_conversion_function *)                  \
    ABI_X(MPI_CONVERSION_FN_NULL_C, 0, MPI_Datarep_conversion_function_c *)

/* Type layouts: sizes in bytes on an LP64 platform (the only one we build for). */
#define ABI_REF_STATUS_SIZE 32
#define ABI_REF_STATUS_SOURCE_OFFSET 0
#define ABI_REF_STATUS_TAG_OFFSET 4
#define ABI_REF_STATUS_ERROR_OFFSET 8
#define ABI_REF_STATUS_INTERNAL_OFFSET 12
#define ABI_REF_STATUS_INTERNAL_INTS 5
#define ABI_REF_OFFSET_SIZE 8
#define ABI_REF_COUNT_SIZE 8

#endif /* LM_TEST_ABI_REFERENCE_H */
