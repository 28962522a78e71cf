/*
 * comm_obj.c - Comm's lower-case point-to-point methods: any picklable object travels as
 * the bytes of MPI.pickle (send, recv, sendrecv, isend, irecv, the synchronous and buffered
 * modes, and the probes).
 *
 * The hot pair is send/recv of small objects. A blocking send pickles into a stack buffer
 * (pympi_pickle_dump) and sends from it; a receive without a buffer is one
 * MPIX_Recv_alloc: the message is matched like any receive and lands whole in memory sized
 * when it matches (a stack buffer when small), with no probe first. irecv() without a buffer
 * uses the nonblocking form, so it receives messages of any size, in posting order.
 */
#include "pympi.h"

#define COMM(self) (((PyMPICommObject *)(self))->ob_mpi)

typedef int (*send_fn)(const void *, int, MPI_Datatype, int, int, MPI_Comm);
typedef int (*isend_fn)(const void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request *);

/* Receive without a buffer: small messages land on the caller's stack. */
#define RECV_INLINE 1024
struct recv_state {
    char *heap;
    MPI_Count size;
    char small[RECV_INLINE];
};

/* MPIX_Recv_alloc_function; runs without the GIL (raw allocator). */
static void *recv_alloc(MPI_Count size, void *state)
{
    struct recv_state *r = state;
    r->size = size;
    if (size <= RECV_INLINE)
        return r->small;
    return r->heap = PyMem_RawMalloc((size_t)size);
}

/* Receives one object message without a buffer (GIL released while waiting). */
static PyObject *recv_object(MPI_Comm comm, int source, int tag, MPI_Status *status)
{
    struct recv_state r;
    r.heap = NULL;
    r.size = 0;
    int ierr;
    Py_BEGIN_ALLOW_THREADS
    ierr = MPIX_Recv_alloc(recv_alloc, &r, source, tag, comm, status);
    Py_END_ALLOW_THREADS
    PyObject *obj = ierr == MPI_SUCCESS
                        ? pympi_pickle_loads(r.heap ? r.heap : r.small, (Py_ssize_t)r.size)
                        : (pympi_raise(ierr), NULL);
    PyMem_RawFree(r.heap);
    return obj;
}

/* The bytes of a received message of `buf`, unpickled (None from PROC_NULL). */
static PyObject *load_received(const pympi_msg *m, const MPI_Status *st)
{
    int count = 0;
    if (st->MPI_SOURCE == MPI_PROC_NULL || MPI_Get_count(st, MPI_BYTE, &count) != MPI_SUCCESS)
        Py_RETURN_NONE;
    return pympi_pickle_loads(m->buf, count);
}

/* A recv/irecv buffer: any writable buffer object, received into as bytes. */
static int obj_recvbuf(PyObject *buf, pympi_msg *m, int *count)
{
    if (pympi_msg_parse(buf, PYMPI_MSG_WRITE, "buf", m) < 0)
        return -1;
    if (pympi_int_count(m->bytes, "buf", count) < 0) {
        pympi_msg_release(m);
        return -1;
    }
    return 0;
}

/* ---- blocking ------------------------------------------------------------------------------ */

static PyObject *send_mode(PyObject *self, const char *fname, send_fn fn, PyObject *const *args,
                           Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"obj", "dest", "tag"};
    PyObject *a[3];
    int dest, tag, count, ierr;
    if (pympi_bind_args(fname, names, 2, 3, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "dest", &dest) < 0 || pympi_int_arg(a[2], 0, "tag", &tag) < 0)
        return NULL;
    pympi_pickled pk;   /* not zeroed as a whole: inline_buf is written as needed */
    pk.buf = NULL;
    pk.len = 0;
    pk.obj = NULL;
    if (dest != MPI_PROC_NULL && pympi_pickle_dump(a[0], &pk) < 0)
        return NULL;
    if (pympi_int_count(pk.len, "obj", &count) < 0) {
        Py_XDECREF(pk.obj);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    ierr = fn(pk.buf, count, MPI_BYTE, dest, tag, COMM(self));
    Py_END_ALLOW_THREADS
    Py_XDECREF(pk.obj);
    if (ierr != MPI_SUCCESS)
        return pympi_raise(ierr), NULL;
    Py_RETURN_NONE;
}

#define SEND_METHOD(name, fn)                                                                 \
    static PyObject *comm_##name(PyObject *self, PyObject *const *args, Py_ssize_t nargs,     \
                                 PyObject *kwnames)                                           \
    {                                                                                         \
        return send_mode(self, #name, fn, args, nargs, kwnames);                              \
    }
SEND_METHOD(send, MPI_Send)
SEND_METHOD(bsend, MPI_Bsend)
SEND_METHOD(ssend, MPI_Ssend)

static PyObject *comm_recv(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames)
{
    static const char *const names[] = {"buf", "source", "tag", "status"};
    PyObject *a[4];
    int source, tag;
    MPI_Status *status = MPI_STATUS_IGNORE;
    if (pympi_bind_args("recv", names, 0, 4, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], MPI_ANY_SOURCE, "source", &source) < 0 ||
        pympi_int_arg(a[2], MPI_ANY_TAG, "tag", &tag) < 0 ||
        (a[3] != NULL && !pympi_conv_status(a[3], &status)))
        return NULL;
    if (a[0] == NULL || a[0] == Py_None)
        return recv_object(COMM(self), source, tag, status);

    pympi_msg m;
    MPI_Status st;
    int count, ierr;
    if (obj_recvbuf(a[0], &m, &count) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Recv(m.buf, count, MPI_BYTE, source, tag, COMM(self), &st);
    Py_END_ALLOW_THREADS
    if (status != MPI_STATUS_IGNORE)
        *status = st;
    PyObject *r = ierr == MPI_SUCCESS ? load_received(&m, &st) : (pympi_raise(ierr), NULL);
    pympi_msg_release(&m);
    return r;
}

static PyObject *comm_sendrecv(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                               PyObject *kwnames)
{
    static const char *const names[] = {"sendobj", "dest", "sendtag", "recvbuf",
                                        "source", "recvtag", "status"};
    PyObject *a[7];
    int dest, sendtag, source, recvtag, scount, rcount = 0;
    MPI_Status *status = MPI_STATUS_IGNORE;
    if (pympi_bind_args("sendrecv", names, 2, 7, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "dest", &dest) < 0 ||
        pympi_int_arg(a[2], 0, "sendtag", &sendtag) < 0 ||
        pympi_int_arg(a[4], MPI_ANY_SOURCE, "source", &source) < 0 ||
        pympi_int_arg(a[5], MPI_ANY_TAG, "recvtag", &recvtag) < 0 ||
        (a[6] != NULL && !pympi_conv_status(a[6], &status)))
        return NULL;
    pympi_pickled pk;   /* not zeroed as a whole: inline_buf is written as needed */
    pk.buf = NULL;
    pk.len = 0;
    pk.obj = NULL;
    if (dest != MPI_PROC_NULL && pympi_pickle_dump(a[0], &pk) < 0)
        return NULL;
    pympi_msg m = {.view = {.obj = NULL}};
    int with_buf = a[3] != NULL && a[3] != Py_None;
    if (pympi_int_count(pk.len, "sendobj", &scount) < 0 ||
        (with_buf && obj_recvbuf(a[3], &m, &rcount) < 0)) {
        Py_XDECREF(pk.obj);
        return NULL;
    }

    /* The send may come from the stack (pk.inline_buf): it is always waited for here. */
    struct recv_state r;
    r.heap = NULL;
    r.size = 0;
    MPI_Status st;
    MPI_Request sreq = MPI_REQUEST_NULL;
    int ierr = MPI_SUCCESS, serr;
    Py_BEGIN_ALLOW_THREADS
    serr = MPI_Isend(pk.buf, scount, MPI_BYTE, dest, sendtag, COMM(self), &sreq);
    if (serr == MPI_SUCCESS) {
        if (with_buf)
            ierr = MPI_Recv(m.buf, rcount, MPI_BYTE, source, recvtag, COMM(self), &st);
        else
            ierr = MPIX_Recv_alloc(recv_alloc, &r, source, recvtag, COMM(self), &st);
        serr = MPI_Wait(&sreq, MPI_STATUS_IGNORE);
    }
    Py_END_ALLOW_THREADS
    if (status != MPI_STATUS_IGNORE && serr == MPI_SUCCESS)
        *status = st;
    PyObject *obj = NULL;
    if (ierr != MPI_SUCCESS || serr != MPI_SUCCESS)
        pympi_raise(ierr != MPI_SUCCESS ? ierr : serr);
    else if (with_buf)
        obj = load_received(&m, &st);
    else
        obj = pympi_pickle_loads(r.heap ? r.heap : r.small, (Py_ssize_t)r.size);
    PyMem_RawFree(r.heap);
    pympi_msg_release(&m);
    Py_XDECREF(pk.obj);
    return obj;
}

/* ---- nonblocking ---------------------------------------------------------------------------- */

static PyObject *isend_mode(PyObject *self, const char *fname, isend_fn fn, PyObject *const *args,
                            Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"obj", "dest", "tag"};
    PyObject *a[3];
    int dest, tag, count;
    if (pympi_bind_args(fname, names, 2, 3, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "dest", &dest) < 0 || pympi_int_arg(a[2], 0, "tag", &tag) < 0)
        return NULL;
    /* The bytes must outlive the call: always an object here. */
    PyObject *data = dest != MPI_PROC_NULL ? pympi_pickle_dumps(a[0])
                                           : PyBytes_FromStringAndSize(NULL, 0);
    if (data == NULL)
        return NULL;
    MPI_Request req = MPI_REQUEST_NULL;
    int ierr = MPI_SUCCESS;
    if (pympi_int_count(PyBytes_GET_SIZE(data), "obj", &count) < 0 ||
        (ierr = fn(PyBytes_AS_STRING(data), count, MPI_BYTE, dest, tag, COMM(self), &req)) !=
            MPI_SUCCESS) {
        if (!PyErr_Occurred())
            pympi_raise(ierr);
        Py_DECREF(data);
        return NULL;
    }
    PyObject *r = pympi_request_new(&PyMPIRequest_Type, req, data, PYMPI_REQ_OBJ_SEND);
    if (r == NULL)
        MPI_Request_free(&req);     /* still in flight: keep its bytes for good */
    else
        Py_DECREF(data);
    return r;
}

#define ISEND_METHOD(name, fn)                                                                \
    static PyObject *comm_##name(PyObject *self, PyObject *const *args, Py_ssize_t nargs,     \
                                 PyObject *kwnames)                                           \
    {                                                                                         \
        return isend_mode(self, #name, fn, args, nargs, kwnames);                             \
    }
ISEND_METHOD(isend, MPI_Isend)
ISEND_METHOD(ibsend, MPI_Ibsend)
ISEND_METHOD(issend, MPI_Issend)

static PyObject *comm_irecv(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    static const char *const names[] = {"buf", "source", "tag"};
    PyObject *a[3];
    int source, tag, count, ierr;
    if (pympi_bind_args("irecv", names, 0, 3, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], MPI_ANY_SOURCE, "source", &source) < 0 ||
        pympi_int_arg(a[2], MPI_ANY_TAG, "tag", &tag) < 0)
        return NULL;
    MPI_Request req = MPI_REQUEST_NULL;
    PyObject *keep;
    if (a[0] != NULL && a[0] != Py_None) {
        pympi_msg m;
        if (obj_recvbuf(a[0], &m, &count) < 0)
            return NULL;
        if ((keep = pympi_keeper_new(&m)) == NULL) {
            pympi_msg_release(&m);
            return NULL;
        }
        ierr = MPI_Irecv(m.buf, count, MPI_BYTE, source, tag, COMM(self), &req);
    } else {
        if ((keep = pympi_keeper_new(NULL)) == NULL)
            return NULL;
        ierr = MPIX_Irecv_alloc(pympi_keeper_alloc, keep, source, tag, COMM(self), &req);
    }
    if (ierr != MPI_SUCCESS) {
        Py_DECREF(keep);
        return pympi_raise(ierr), NULL;
    }
    PyObject *r = pympi_request_new(&PyMPIRequest_Type, req, keep, PYMPI_REQ_OBJ_RECV);
    if (r == NULL)
        MPI_Request_free(&req);     /* MPI may still write into the keeper: keep it */
    else
        Py_DECREF(keep);
    return r;
}

/* ---- probes ----------------------------------------------------------------------------------- */

/* probe, iprobe, mprobe, improbe are Probe ... Improbe (comm_p2p.c): the probes move no
 * data, so the object and buffer forms are the same call. */

PyMethodDef pympi_comm_obj_methods[] = {
    {"send", PYMPI_FASTCALL(comm_send), "Send a Python object."},
    {"bsend", PYMPI_FASTCALL(comm_bsend), "Send a Python object in buffered mode."},
    {"ssend", PYMPI_FASTCALL(comm_ssend), "Send a Python object in synchronous mode."},
    {"recv", PYMPI_FASTCALL(comm_recv), "Receive a Python object."},
    {"sendrecv", PYMPI_FASTCALL(comm_sendrecv), "Send and receive a Python object."},
    {"isend", PYMPI_FASTCALL(comm_isend), "Nonblocking send of a Python object."},
    {"ibsend", PYMPI_FASTCALL(comm_ibsend),
     "Nonblocking send of a Python object in buffered mode."},
    {"issend", PYMPI_FASTCALL(comm_issend),
     "Nonblocking send of a Python object in synchronous mode."},
    {"irecv", PYMPI_FASTCALL(comm_irecv), "Nonblocking receive of a Python object."},
    {"probe", PYMPI_FASTCALL(pympi_comm_Probe), "Blocking test for a message."},
    {"iprobe", PYMPI_FASTCALL(pympi_comm_Iprobe), "Nonblocking test for a message."},
    {"mprobe", PYMPI_FASTCALL(pympi_comm_Mprobe), "Blocking test for a matched message."},
    {"improbe", PYMPI_FASTCALL(pympi_comm_Improbe),
     "Nonblocking test for a matched message (None when there is none)."},
    {NULL},
};
