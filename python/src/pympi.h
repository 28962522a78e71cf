/*
 * pympi.h - the internal header of the mpi4py.MPI extension.
 *
 * The extension is a thin C layer over liblitempi: one object struct per MPI handle kind
 * (the handle lives in `ob_mpi`, as in mpi4py, so MPI._addressof can hand its address to
 * C libraries), one C file per class, and a few shared services declared here: raising
 * MPI.Exception from an error code, parsing buffer message specs, pickling.
 *
 * Every class file exports `int pympi_init_<file>(PyObject *module)`, called once from
 * PyInit_MPI in module.c after MPI is initialised; it readies its types and adds them and
 * its constants to the module.
 */
#ifndef PYMPI_H
#define PYMPI_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <mpi.h>

/* ---- object layouts ---------------------------------------------------------------- */

/* Flags shared by all handle objects. */
enum {
    PYMPI_OWNED = 1u << 0,     /* we created it: Free() may release it */
    PYMPI_CONST = 1u << 1,     /* a module-level predefined constant: Free() refuses */
};

typedef struct {
    PyObject_HEAD
    MPI_Comm ob_mpi;
    unsigned flags;
} PyMPICommObject;

typedef struct {
    PyObject_HEAD
    MPI_Group ob_mpi;
    unsigned flags;
} PyMPIGroupObject;

typedef struct {
    PyObject_HEAD
    MPI_Info ob_mpi;
    unsigned flags;
} PyMPIInfoObject;

typedef struct {
    PyObject_HEAD
    MPI_Errhandler ob_mpi;
    unsigned flags;
} PyMPIErrhandlerObject;

typedef struct {
    PyObject_HEAD
    MPI_Datatype ob_mpi;
    unsigned flags;
} PyMPIDatatypeObject;

typedef struct {
    PyObject_HEAD
    MPI_Op ob_mpi;
    unsigned flags;
    PyObject *ob_func;          /* Op.Create: the Python callable, else NULL */
    int ob_commute;
} PyMPIOpObject;

typedef struct {
    PyObject_HEAD
    MPI_Status ob_mpi;
    unsigned flags;
} PyMPIStatusObject;

/*
 * A request keeps alive what MPI still reads or writes: `ob_buf` (a buffer owner, a
 * tuple of them, or a pympi_keeper) until completion. Lower-case (pickle) requests
 * also record how to turn the completed message into a Python object (`ob_kind`).
 */
typedef struct {
    PyObject_HEAD
    MPI_Request ob_mpi;
    unsigned flags;
    PyObject *ob_buf;
    int ob_kind;                /* PYMPI_REQ_* below */
} PyMPIRequestObject;

enum {
    PYMPI_REQ_PLAIN = 0,        /* Wait() returns None / wait() returns None */
    PYMPI_REQ_OBJ_SEND,         /* isend of a pickled object: wait() returns None */
    PYMPI_REQ_OBJ_RECV,         /* irecv: ob_buf is a pympi_keeper; wait() unpickles it */
};

typedef struct {
    PyObject_HEAD
    MPI_Message ob_mpi;
    unsigned flags;
    MPI_Count ob_size;          /* bytes of the matched message (from its probe), or -1 */
} PyMPIMessageObject;

/* ---- type objects (defined in their class files) --------------------------------- */

extern PyTypeObject PyMPIComm_Type, PyMPIIntracomm_Type, PyMPIIntercomm_Type,
    PyMPITopocomm_Type, PyMPICartcomm_Type, PyMPIGraphcomm_Type, PyMPIDistgraphcomm_Type;
extern PyTypeObject PyMPIGroup_Type, PyMPIInfo_Type, PyMPIErrhandler_Type,
    PyMPIDatatype_Type, PyMPIOp_Type, PyMPIStatus_Type, PyMPIRequest_Type,
    PyMPIPrequest_Type, PyMPIGrequest_Type, PyMPIMessage_Type;
extern PyTypeObject PyMPIMemory_Type;   /* MPI.memory (memory.c) */

/* The module object and a few cached module attributes. */
extern PyObject *pympi_module;
extern PyObject *pympi_Exception;      /* MPI.Exception (subclass of RuntimeError) */
extern PyObject *pympi_IN_PLACE;       /* MPI.IN_PLACE and MPI.BOTTOM (msgbuffer.c) */
extern PyObject *pympi_BOTTOM;

/* ---- module state (module.c) --------------------------------------------------------- */

/* mpi4py.rc.errors as read at import: which error handler new communicators get. */
enum { PYMPI_ERRORS_DEFAULT = 0, PYMPI_ERRORS_EXCEPTION, PYMPI_ERRORS_FATAL };
extern int pympi_errors_mode;

/* After MPI_Init_thread (by the import or MPI.Init, `by_us`) or on finding MPI already
 * initialised: sets the rc.errors handler on COMM_SELF/COMM_WORLD and registers the exit
 * hook that finalises. Returns 0 or -1 with an exception. */
int pympi_after_init(int by_us);

/* __reduce__ for handle classes (METH_NOARGS): a module constant pickles by name
 * (MPI.COMM_WORLD -> "COMM_WORLD"), any other handle raises TypeError. */
PyObject *pympi_reduce_handle(PyObject *self, PyObject *unused);

/* ---- errors (exception.c) ---------------------------------------------------------- */

/* Sets MPI.Exception(ierr) and returns -1. Call only with ierr != MPI_SUCCESS. */
int pympi_raise(int ierr);

/* The common pattern: run an MPI call, raise on failure. */
#define PYMPI_CHK(call)                                                                  \
    do {                                                                                 \
        int pympi_ierr_ = (call);                                                        \
        if (pympi_ierr_ != MPI_SUCCESS) {                                                \
            pympi_raise(pympi_ierr_);                                                    \
            goto fail;                                                                   \
        }                                                                                \
    } while (0)

/* Same, with the GIL released around the call (blocking communication). */
#define PYMPI_CHK_NOGIL(call)                                                            \
    do {                                                                                 \
        int pympi_ierr_;                                                                 \
        Py_BEGIN_ALLOW_THREADS                                                           \
        pympi_ierr_ = (call);                                                            \
        Py_END_ALLOW_THREADS                                                             \
        if (pympi_ierr_ != MPI_SUCCESS) {                                                \
            pympi_raise(pympi_ierr_);                                                    \
            goto fail;                                                                   \
        }                                                                                \
    } while (0)

/* ---- argument binding (args.c) ------------------------------------------------------ */

/*
 * Binds vectorcall arguments (METH_FASTCALL | METH_KEYWORDS) to `slots[nmax]` by the
 * parameter `names`; the first `nreq` are required, absent ones are NULL. Returns 0 or
 * -1 with TypeError naming `fname`.
 */
int pympi_bind_args(const char *fname, const char *const *names, int nreq, int nmax,
                    PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                    PyObject **slots);
/* An int argument (NULL -> dflt); -1 with TypeError/OverflowError naming `name`. */
int pympi_int_arg(PyObject *o, int dflt, const char *name, int *out);

/* A count for an int-count MPI call; -1 with OverflowError naming `argname` (comm_p2p.c). */
int pympi_int_count(MPI_Count count, const char *argname, int *out);
/* Binds the probes' (source=ANY_SOURCE, tag=ANY_TAG, status=None) (comm_p2p.c). */
int pympi_probe_args(const char *fname, PyObject *const *args, Py_ssize_t nargs,
                     PyObject *kwnames, int *source, int *tag, MPI_Status **status);

#define PYMPI_FASTCALL(fn) ((PyCFunction)(void (*)(void))(fn)), METH_FASTCALL | METH_KEYWORDS

/*
 * For a one-argument method `PyObject *fn(PyObject *self, PyObject *arg)`, defines
 * `fn_kw`, its fastcall form that also takes the argument by keyword (as mpi4py's methods
 * do: comm.Create(group=g)); list it with PYMPI_FASTCALL(fn_kw).
 */
#define PYMPI_ONE_ARG(fn, fname, argname)                                                \
    static PyObject *fn##_kw(PyObject *self, PyObject *const *args, Py_ssize_t nargs,   \
                             PyObject *kwnames)                                          \
    {                                                                                    \
        static const char *const names_[] = {argname};                                   \
        PyObject *arg_;                                                                  \
        if (pympi_bind_args(fname, names_, 1, 1, args, nargs, kwnames, &arg_) < 0)      \
            return NULL;                                                                 \
        return fn(self, arg_);                                                           \
    }

/*
 * For a handle class PyMPI<Cls>Object (its handle in ob_mpi), defines `prefix_richcompare`
 * (== and != compare handles; NotImplemented for other types and orders) and `prefix_bool`
 * (false for the null handle), the comparison and truth value every handle class has.
 */
#define PYMPI_HANDLE_COMPARE(prefix, Cls, null_handle)                                   \
    static PyObject *prefix##_richcompare(PyObject *a, PyObject *b, int op)              \
    {                                                                                    \
        if (!PyObject_TypeCheck(b, &PyMPI##Cls##_Type) || (op != Py_EQ && op != Py_NE))  \
            Py_RETURN_NOTIMPLEMENTED;                                                    \
        int eq = ((PyMPI##Cls##Object *)a)->ob_mpi == ((PyMPI##Cls##Object *)b)->ob_mpi; \
        return PyBool_FromLong(op == Py_EQ ? eq : !eq);                                  \
    }                                                                                    \
    static int prefix##_bool(PyObject *self)                                             \
    {                                                                                    \
        return ((PyMPI##Cls##Object *)self)->ob_mpi != (null_handle);                    \
    }

/* ---- wrapping handles into new Python objects -------------------------------------- */

/* Each returns a new reference, or NULL with an exception. `type` may be a subclass. */
PyObject *pympi_comm_new(PyTypeObject *type, MPI_Comm comm, unsigned flags);
/* The right class for a communicator: Intercomm, Cartcomm, ..., Intracomm. */
PyObject *pympi_comm_wrap(MPI_Comm comm, unsigned flags);
/* Gives a communicator this module created the error handler rc.errors asks for
 * (MPI.ERRORS_RETURN by default, as the manual says); call it on every new communicator
 * (MPI_COMM_NULL is ignored). Returns the MPI error code (comm.c). */
int pympi_comm_set_eh(MPI_Comm comm);
PyObject *pympi_group_new(MPI_Group group, unsigned flags);
PyObject *pympi_info_new(MPI_Info info, unsigned flags);
PyObject *pympi_errhandler_new(MPI_Errhandler eh, unsigned flags);
PyObject *pympi_datatype_new(MPI_Datatype type, unsigned flags);
PyObject *pympi_op_new(MPI_Op op, unsigned flags);
PyObject *pympi_status_new(const MPI_Status *status);
PyObject *pympi_request_new(PyTypeObject *type, MPI_Request req, PyObject *buf, int kind);
PyObject *pympi_message_new(MPI_Message msg, MPI_Count size);
/* Mprobe (blocking, GIL released) or Improbe on comm: a new Message, None when Improbe
 * found nothing, NULL with MPI.Exception. `status` may be MPI_STATUS_IGNORE (message.c). */
PyObject *pympi_message_probe(MPI_Comm comm, int source, int tag, MPI_Status *status,
                              int blocking);

/* MPI.memory over raw bytes (memory.c): a new object that does not own `buf`. */
PyObject *pympi_memory_new(void *buf, Py_ssize_t len, int readonly);
/* Detaches a memory object from its bytes (len 0 after); -1 with BufferError while
 * buffers it exported are still held. */
int pympi_memory_release(PyObject *mem);

/* Applies a reduction Op to two Python objects, as the lower-case reductions need
 * (op.c): SUM -> x + y, MAX -> the larger, MAXLOC/MINLOC on (value, index) pairs, a
 * user Op -> its function(x, y, None). New reference, or NULL with an exception. */
PyObject *pympi_op_apply(MPI_Op op, PyObject *x, PyObject *y);

/* Argument converters for PyArg_Parse* ("O&"): accept the class (or None where noted). */
int pympi_conv_comm(PyObject *o, void *out);        /* MPI_Comm */
int pympi_conv_group(PyObject *o, void *out);       /* MPI_Group */
int pympi_conv_info(PyObject *o, void *out);        /* MPI_Info; None -> MPI_INFO_NULL */
int pympi_conv_datatype(PyObject *o, void *out);    /* MPI_Datatype */
int pympi_conv_op(PyObject *o, void *out);          /* MPI_Op */
int pympi_conv_errhandler(PyObject *o, void *out);  /* MPI_Errhandler */
/* Optional Status: None -> MPI_STATUS_IGNORE, a Status -> its ob_mpi. */
int pympi_conv_status(PyObject *o, void *out);      /* MPI_Status * */

/* ---- buffer message specs (msgbuffer.c) -------------------------------------------- */

/*
 * One parsed buffer argument: `buf`/`count`/`type` ready for an MPI call, holding the
 * Py_buffer (when one was taken) until pympi_msg_release. Specs accepted (mpi4py 3.1's):
 *   buf | [buf, type] | [buf, count] | [buf, (count, displ)] | [buf, count, type]
 *   | [buf, (count, displ), type] | [buf, count, displ, type]
 * `buf` is an object with the buffer protocol (or __cuda_array_interface__), None (no
 * data: count 0) or MPI.BOTTOM (the datatype holds absolute addresses; count required);
 * `type` is an MPI.Datatype or a typecode ("i", "d", "f8", "Zd": MPI._typedict) and is
 * inferred from the buffer's PEP 3118 format when absent; `displ` counts items of the
 * type; None stands for an absent item. Alone, None / MPI.IN_PLACE are accepted where the
 * flags allow (special = NONE / IN_PLACE, count 0). On success `count` is resolved (the
 * buffer's bytes over the extent when not given) and the items are known to lie inside
 * the buffer, so MPI cannot read or write past it.
 */
typedef struct {
    Py_buffer view;             /* view.obj != NULL when a buffer was acquired */
    void *buf;                  /* displacement applied */
    Py_ssize_t bytes;           /* size of the buffer in bytes (from displ on) */
    MPI_Count count;            /* items of `type` (per block for _blocks) */
    MPI_Aint displ;             /* in items of `type`, already applied to buf */
    MPI_Datatype type;
    int special;                /* 0, or PYMPI_SPEC_NONE/IN_PLACE/BOTTOM */
} pympi_msg;

enum { PYMPI_SPEC_NONE = 1, PYMPI_SPEC_IN_PLACE, PYMPI_SPEC_BOTTOM };

/* Flags for pympi_msg_parse. */
enum {
    PYMPI_MSG_WRITE = 1u << 0,      /* the buffer receives data: needs a writable buffer */
    PYMPI_MSG_ALLOW_NONE = 1u << 1, /* None accepted (special = NONE) */
    PYMPI_MSG_ALLOW_INPLACE = 1u << 2,
};

/*
 * Parses `spec` (named `argname` in error messages) into `m`. Returns 0, or -1 with
 * TypeError / ValueError (KeyError for an unknown typecode or format, BufferError for a
 * read-only or non-contiguous buffer) naming the argument.
 */
int pympi_msg_parse(PyObject *spec, unsigned flags, const char *argname, pympi_msg *m);
/*
 * The same for a collective buffer of `blocks` equal parts (Scatter's sendbuf, Gather's
 * recvbuf, ...): `count` is per block; when the spec gives none it is the buffer's items
 * over `blocks` (ValueError unless that divides), and a given count must fit `blocks`
 * times in the buffer.
 */
int pympi_msg_parse_blocks(PyObject *spec, unsigned flags, int blocks, const char *argname,
                           pympi_msg *m);

/*
 * A vector spec for v-collectives, `n` blocks (the communicator's size):
 *   buf | [buf, type] | [buf, counts] | [buf, (counts, displs)] | [buf, counts, type]
 *   | [buf, (counts, displs), type] | [buf, counts, displs, type]
 * counts and displs are sequences of n ints or one int (every block the same count;
 * block i at displacement i * displ), or None. Missing counts divide the buffer evenly,
 * missing displs are the running sum of counts; displs count items of the type. As in
 * mpi4py, a tuple in the counts place is the pair (counts, displs) and a list is counts.
 * Arrays are PyMem-allocated and freed by pympi_msgv_release.
 */
typedef struct {
    pympi_msg base;             /* base.count unused */
    int *counts;
    int *displs;
    int n;
} pympi_msgv;

int pympi_msgv_parse(PyObject *spec, unsigned flags, int n, const char *argname,
                     pympi_msgv *m);
void pympi_msgv_release(pympi_msgv *m);

/*
 * Releases the Py_buffer; safe on a zeroed or already released msg. Requests that must
 * keep buffers alive past the call take `view.obj` (a new reference) instead.
 */
void pympi_msg_release(pympi_msg *m);

/*
 * What a nonblocking call keeps alive for MPI (request.c): the Py_buffer of a message spec,
 * moved in by pympi_keeper_new (m may be NULL), and/or the buffer pympi_keeper_alloc makes
 * when a receive of unknown size matches (an MPIX_Recv_alloc_function; state is the keeper;
 * the memory is freed with the keeper).
 */
typedef struct {
    PyObject_HEAD
    Py_buffer view;
    char *data;
    MPI_Count size;
} pympi_keeper;
PyObject *pympi_keeper_new(pympi_msg *m);
void *pympi_keeper_alloc(MPI_Count size, void *state);

/* The MPI datatype for a PEP 3118 struct format ("i", "<d", "Zf", "?", "3w"...) of
 * itemsize, or MPI_DATATYPE_NULL when none matches. */
MPI_Datatype pympi_format_to_type(const char *format, Py_ssize_t itemsize);
/* The datatype of a typecode string (MPI._typedict), or MPI_DATATYPE_NULL (datatype.c). */
MPI_Datatype pympi_typecode_to_type(const char *code);

/* ---- pickling (pickle.c) ------------------------------------------------------------- */

/* MPI.pickle.dumps(obj) -> bytes (new ref) and loads(buf, len) -> object (new ref; None
 * for len 0). Go through the module's Pickle instance, so a user's replacement dumps/loads
 * is used. */
PyObject *pympi_pickle_dumps(PyObject *obj);
PyObject *pympi_pickle_loads(const char *buf, Py_ssize_t len);

/* ---- attribute caching (attr.c) ------------------------------------------------------ */

/*
 * Comm and Datatype attributes with mpi4py's semantics: Create_keyval(copy_fn, delete_fn,
 * nopython) registers Python callbacks (copy_fn None: not copied, True: the same object,
 * a callable: its result, NotImplemented: not copied); values are Python objects (held
 * references) or, for nopython keyvals and keyvals made in C, integers. Each returns a new
 * reference (an int for keyval_create/free, None for set/delete), or NULL with an
 * exception. `handle` is the MPI_Comm or MPI_Datatype.
 */
enum { PYMPI_ATTR_COMM, PYMPI_ATTR_TYPE };
PyObject *pympi_keyval_create(int kind, PyObject *copy_fn, PyObject *delete_fn, int nopython);
PyObject *pympi_keyval_free(int kind, int keyval);
PyObject *pympi_attr_get(int kind, void *handle, int keyval);
PyObject *pympi_attr_set(int kind, void *handle, int keyval, PyObject *value);
PyObject *pympi_attr_delete(int kind, void *handle, int keyval);

/* ---- collectives and topologies (comm_coll.c, comm_objcoll.c, topo.c) -------------------- */

/* A sequence of C ints as a PyMem array (PyMem_Free it): exactly n items, or any number when
 * n < 0 (stored in *len if len != NULL). NULL with TypeError/ValueError/OverflowError naming
 * `argname`. (args.c) */
int *pympi_int_array(PyObject *o, int n, const char *argname, int *len);
/* An MPI.Op argument (NULL -> MPI_SUM); -1 with TypeError naming `argname`. (comm_coll.c) */
int pympi_op_arg(PyObject *o, const char *argname, MPI_Op *op);
/* A topology communicator's neighbor counts; returns an MPI error code. (topo.c) */
int pympi_topo_degrees(MPI_Comm comm, int *indegree, int *outdegree);
/* A pickled message for a blocking send, without a bytes object when it is small: `buf`
 * points into `inline_buf` (obj NULL) or into the bytes `obj`. pympi_pickle_dump returns 0,
 * or -1 with an exception; Py_XDECREF(obj) when done. */
#define PYMPI_PICKLE_INLINE 512
typedef struct {
    const char *buf;
    Py_ssize_t len;
    PyObject *obj;
    char inline_buf[PYMPI_PICKLE_INLINE];
} pympi_pickled;
int pympi_pickle_dump(PyObject *obj, pympi_pickled *out);

/* ---- class files' init hooks ------------------------------------------------------- */

/* Module-level functions, by family (each table ends with a {NULL} sentinel). */
extern PyMethodDef pympi_module_methods[];       /* environ.c: Init, Finalize, Wtime, ... */
extern PyMethodDef pympi_module_p2p_methods[];   /* comm_p2p.c: Attach/Detach_buffer */
extern PyMethodDef pympi_module_dtype_methods[]; /* datatype.c: Get_address, Aint_add, ... */
extern PyMethodDef pympi_module_memory_methods[]; /* memory.c: Alloc_mem, Free_mem (added by
                                                    pympi_init_datatype) */
extern PyMethodDef pympi_module_topo_methods[];  /* topo.c: Compute_dims */
extern PyMethodDef pympi_module_comm_methods[];  /* comm.c: _comm_lock, _commctx_intra.. */

int pympi_init_exception(PyObject *m);
int pympi_init_constants(PyObject *m);
int pympi_init_msgbuffer(PyObject *m);
int pympi_init_datatype(PyObject *m);
int pympi_init_op(PyObject *m);
int pympi_init_status(PyObject *m);
int pympi_init_group(PyObject *m);
int pympi_init_info(PyObject *m);
int pympi_init_errhandler(PyObject *m);
int pympi_init_request(PyObject *m);
int pympi_init_message(PyObject *m);
int pympi_init_comm(PyObject *m);
int pympi_init_topo(PyObject *m);
int pympi_init_pickle(PyObject *m);
int pympi_init_attr(PyObject *m);                /* MPI._keyval_registry */
int pympi_init_memory(PyObject *m);     /* called by pympi_init_datatype */

/* Method tables that comm.c merges into Comm / Intracomm / Intercomm at init (each ends
 * with a {NULL} sentinel). Families live in their own files so the class stays readable. */
extern PyMethodDef pympi_comm_core_methods[];      /* comm.c: groups, dup, split, attrs */
/* Comm.Probe ... Improbe (comm_p2p.c), shared with the lower-case probe ... improbe. */
PyObject *pympi_comm_Probe(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames);
PyObject *pympi_comm_Iprobe(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames);
PyObject *pympi_comm_Mprobe(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames);
PyObject *pympi_comm_Improbe(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames);
extern PyMethodDef pympi_comm_p2p_methods[];       /* comm_p2p.c: Send ... Mprobe */
extern PyMethodDef pympi_comm_coll_methods[];      /* comm_coll.c: Barrier ... Alltoallw */
extern PyMethodDef pympi_comm_obj_methods[];       /* comm_obj.c: send/recv/isend/probe.. */
extern PyMethodDef pympi_comm_objcoll_methods[];   /* comm_objcoll.c: bcast/gather/... */
extern PyMethodDef pympi_intracomm_coll_methods[]; /* comm_coll.c: Scan, Exscan, ... */
extern PyMethodDef pympi_intracomm_objcoll_methods[]; /* comm_objcoll.c: scan, exscan */
/* Topocomm's families, merged into it by topo.c. */
extern PyMethodDef pympi_topocomm_coll_methods[];     /* comm_coll.c: Neighbor_* */
extern PyMethodDef pympi_topocomm_objcoll_methods[];  /* comm_objcoll.c: neighbor_* */

#endif
