/* errclass.c - the table of predefined MPI error classes: name and human sentence.
 *
 * The X-macro keeps each class's constant, name and sentence on one line, and the
 * static assertion below keeps the table in step with mpi.h: the index of an entry is the
 * class's value, so a lookup is one bounds check and one array read.
 */
#include <mpi.h>

#include "core/errclass.h"

#define LM_ERRCLASS_LIST(X)                                                              \
    X(MPI_SUCCESS, "no error")                                                           \
    X(MPI_ERR_BUFFER, "invalid buffer pointer")                                          \
    X(MPI_ERR_COUNT, "invalid count argument")                                           \
    X(MPI_ERR_TYPE, "invalid datatype")                                                  \
    X(MPI_ERR_TAG, "invalid tag")                                                        \
    X(MPI_ERR_COMM, "invalid communicator")                                              \
    X(MPI_ERR_RANK, "invalid rank")                                                      \
    X(MPI_ERR_REQUEST, "invalid request")                                                \
    X(MPI_ERR_ROOT, "invalid root")                                                      \
    X(MPI_ERR_GROUP, "invalid group")                                                    \
    X(MPI_ERR_OP, "invalid reduction operation")                                         \
    X(MPI_ERR_TOPOLOGY, "invalid topology")                                              \
    X(MPI_ERR_DIMS, "invalid dimension argument")                                        \
    X(MPI_ERR_ARG, "invalid argument")                                                   \
    X(MPI_ERR_UNKNOWN, "unknown error")                                                  \
    X(MPI_ERR_TRUNCATE, "message truncated: receive buffer too small")                   \
    X(MPI_ERR_OTHER, "other error")                                                      \
    X(MPI_ERR_INTERN, "internal error in the MPI library")                               \
    X(MPI_ERR_PENDING, "request still pending")                                          \
    X(MPI_ERR_IN_STATUS, "error code is in the status")                                  \
    X(MPI_ERR_ACCESS, "permission denied")                                               \
    X(MPI_ERR_AMODE, "invalid file access mode")                                         \
    X(MPI_ERR_ASSERT, "invalid assertion argument")                                      \
    X(MPI_ERR_BAD_FILE, "invalid file name")                                             \
    X(MPI_ERR_BASE, "invalid base address")                                              \
    X(MPI_ERR_CONVERSION, "data conversion failed")                                      \
    X(MPI_ERR_DISP, "invalid displacement")                                              \
    X(MPI_ERR_DUP_DATAREP, "data representation already registered")                    \
    X(MPI_ERR_FILE_EXISTS, "file already exists")                                        \
    X(MPI_ERR_FILE_IN_USE, "file in use by another process")                             \
    X(MPI_ERR_FILE, "invalid file handle")                                               \
    X(MPI_ERR_INFO_KEY, "info key too long or empty")                                    \
    X(MPI_ERR_INFO_NOKEY, "info key not defined")                                        \
    X(MPI_ERR_INFO_VALUE, "info value too long or empty")                                \
    X(MPI_ERR_INFO, "invalid info object")                                               \
    X(MPI_ERR_IO, "I/O error")                                                           \
    X(MPI_ERR_KEYVAL, "invalid attribute key")                                           \
    X(MPI_ERR_LOCKTYPE, "invalid lock type")                                             \
    X(MPI_ERR_NAME, "service name not published")                                        \
    X(MPI_ERR_NO_MEM, "out of memory")                                                   \
    X(MPI_ERR_NOT_SAME, "argument not the same on all processes")                        \
    X(MPI_ERR_NO_SPACE, "not enough space on the file system")                           \
    X(MPI_ERR_NO_SUCH_FILE, "file does not exist")                                       \
    X(MPI_ERR_PORT, "invalid port name")                                                 \
    X(MPI_ERR_QUOTA, "file system quota exceeded")                                       \
    X(MPI_ERR_READ_ONLY, "file is read-only")                                            \
    X(MPI_ERR_RMA_ATTACH, "memory cannot be attached to the window")                     \
    X(MPI_ERR_RMA_CONFLICT, "conflicting accesses to a window")                          \
    X(MPI_ERR_RMA_RANGE, "target memory outside the window")                             \
    X(MPI_ERR_RMA_SHARED, "memory cannot be shared")                                     \
    X(MPI_ERR_RMA_SYNC, "wrong RMA synchronization")                                     \
    X(MPI_ERR_SERVICE, "invalid service name")                                           \
    X(MPI_ERR_SIZE, "invalid size argument")                                             \
    X(MPI_ERR_SPAWN, "error spawning processes")                                         \
    X(MPI_ERR_UNSUPPORTED_DATAREP, "unsupported data representation")                    \
    X(MPI_ERR_UNSUPPORTED_OPERATION, "unsupported operation")                            \
    X(MPI_ERR_WIN, "invalid window")                                                     \
    X(MPI_ERR_RMA_FLAVOR, "wrong window flavor for this operation")                      \
    X(MPI_ERR_PROC_ABORTED, "operation involves a process that aborted")                 \
    X(MPI_ERR_VALUE_TOO_LARGE, "value too large for the output argument")                \
    X(MPI_ERR_SESSION, "invalid session")                                                \
    X(MPI_ERR_ERRHANDLER, "invalid error handler")                                       \
    X(MPI_ERR_ABI, "ABI mismatch or ABI query failed")

struct lm_errclass_entry {
    const char *name;
    const char *string;
};

/* Designated initializers place each entry at its class's value. */
#define LM_ERRCLASS_ENTRY(cls, str) [cls] = {#cls, str},
static const struct lm_errclass_entry lm_errclass_table[] = {
    LM_ERRCLASS_LIST(LM_ERRCLASS_ENTRY)
};
#undef LM_ERRCLASS_ENTRY

_Static_assert(sizeof lm_errclass_table / sizeof lm_errclass_table[0] == LM_ERRCLASS_LAST + 1,
               "error-class table must cover 0..MPI_ERR_ABI");
_Static_assert(MPI_ERR_ABI == LM_ERRCLASS_LAST, "LM_ERRCLASS_LAST must be MPI_ERR_ABI");

static const struct lm_errclass_entry *lm_errclass_lookup(int cls)
{
    if (cls < 0 || cls > LM_ERRCLASS_LAST)
        return 0;
    /* A gap in the list would leave a zeroed entry: treat it as unknown. */
    return lm_errclass_table[cls].name ? &lm_errclass_table[cls] : 0;
}

const char *lm_errclass_name(int cls)
{
    const struct lm_errclass_entry *e = lm_errclass_lookup(cls);
    return e ? e->name : 0;
}

const char *lm_errclass_string(int cls)
{
    const struct lm_errclass_entry *e = lm_errclass_lookup(cls);
    return e ? e->string : 0;
}
