/*
 * comm_p2p.c - Comm's upper-case point-to-point methods over buffer specs: the blocking,
 * nonblocking and persistent sends and receives in every mode, Sendrecv(_replace), the
 * probes; and the module's Attach_buffer/Detach_buffer for buffered mode.
 *
 * Blocking calls release the GIL. Nonblocking and persistent requests keep the Py_buffer
 * of their message (a keeper in ob_buf) until MPI is done with it. A None buffer is accepted
 * where the peer is MPI.PROC_NULL, as in mpi4py.
 */
#include "pympi.h"

#include <limits.h>

#define COMM(self) (((PyMPICommObject *)(self))->ob_mpi)

typedef int (*send_fn)(const void *, int, MPI_Datatype, int, int, MPI_Comm);
typedef int (*isend_fn)(const void *, int, MPI_Datatype, int, int, MPI_Comm, MPI_Request *);

/* MPI's int counts: a larger message is an OverflowError naming the argument. */
int pympi_int_count(MPI_Count count, const char *argname, int *out)
{
    if (count > INT_MAX) {
        PyErr_Format(PyExc_OverflowError, "%s: count %lld exceeds the MPI int range",
                     argname, (long long)count);
        return -1;
    }
    *out = (int)count;
    return 0;
}

/* Parses a message spec for a call whose peer is `peer` (None allowed for PROC_NULL). */
static int p2p_msg(PyObject *spec, int peer, unsigned flags, const char *argname, pympi_msg *m,
                   int *count)
{
    if (peer == MPI_PROC_NULL)
        flags |= PYMPI_MSG_ALLOW_NONE;
    if (pympi_msg_parse(spec, flags, argname, m) < 0)
        return -1;
    if (pympi_int_count(m->count, argname, count) < 0) {
        pympi_msg_release(m);
        return -1;
    }
    return 0;
}

/* (buf, dest, tag=0): the arguments of every send. */
static int send_args(const char *fname, PyObject *const *args, Py_ssize_t nargs,
                     PyObject *kwnames, pympi_msg *m, int *count, int *dest, int *tag)
{
    static const char *const names[] = {"buf", "dest", "tag"};
    PyObject *a[3];
    if (pympi_bind_args(fname, names, 2, 3, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "dest", dest) < 0 || pympi_int_arg(a[2], 0, "tag", tag) < 0)
        return -1;
    return p2p_msg(a[0], *dest, 0, "buf", m, count);
}

/* (buf, source=ANY_SOURCE, tag=ANY_TAG[, status=None]): the arguments of the receives. */
static int recv_args(const char *fname, int with_status, PyObject *const *args,
                     Py_ssize_t nargs, PyObject *kwnames, pympi_msg *m, int *count,
                     int *source, int *tag, MPI_Status **status)
{
    static const char *const names[] = {"buf", "source", "tag", "status"};
    PyObject *a[4];
    if (pympi_bind_args(fname, names, 1, with_status ? 4 : 3, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], MPI_ANY_SOURCE, "source", source) < 0 ||
        pympi_int_arg(a[2], MPI_ANY_TAG, "tag", tag) < 0)
        return -1;
    *status = MPI_STATUS_IGNORE;
    if (with_status && a[3] != NULL && !pympi_conv_status(a[3], status))
        return -1;
    return p2p_msg(a[0], *source, PYMPI_MSG_WRITE, "buf", m, count);
}

/* ---- blocking ------------------------------------------------------------------------------ */

static PyObject *send_mode(PyObject *self, const char *fname, send_fn fn, PyObject *const *args,
                           Py_ssize_t nargs, PyObject *kwnames)
{
    int count, dest, tag;
    pympi_msg m;
    if (send_args(fname, args, nargs, kwnames, &m, &count, &dest, &tag) < 0)
        return NULL;
    PYMPI_CHK_NOGIL(fn(m.buf, count, m.type, dest, tag, COMM(self)));
    pympi_msg_release(&m);
    Py_RETURN_NONE;
fail:
    pympi_msg_release(&m);
    return NULL;
}

#define SEND_METHOD(name, fn)                                                                 \
    static PyObject *comm_##name(PyObject *self, PyObject *const *args, Py_ssize_t nargs,     \
                                 PyObject *kwnames)                                           \
    {                                                                                         \
        return send_mode(self, #name, fn, args, nargs, kwnames);                              \
    }
SEND_METHOD(Send, MPI_Send)
SEND_METHOD(Bsend, MPI_Bsend)
SEND_METHOD(Ssend, MPI_Ssend)
SEND_METHOD(Rsend, MPI_Rsend)

static PyObject *comm_Recv(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames)
{
    int count, source, tag;
    MPI_Status *status;
    pympi_msg m;
    if (recv_args("Recv", 1, args, nargs, kwnames, &m, &count, &source, &tag, &status) < 0)
        return NULL;
    PYMPI_CHK_NOGIL(MPI_Recv(m.buf, count, m.type, source, tag, COMM(self), status));
    pympi_msg_release(&m);
    Py_RETURN_NONE;
fail:
    pympi_msg_release(&m);
    return NULL;
}

static PyObject *comm_Sendrecv(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                               PyObject *kwnames)
{
    static const char *const names[] = {"sendbuf", "dest", "sendtag", "recvbuf",
                                        "source", "recvtag", "status"};
    PyObject *a[7];
    int dest, sendtag, source, recvtag, scount, rcount;
    MPI_Status *status = MPI_STATUS_IGNORE;
    pympi_msg sm, rm;
    if (pympi_bind_args("Sendrecv", names, 2, 7, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "dest", &dest) < 0 ||
        pympi_int_arg(a[2], 0, "sendtag", &sendtag) < 0 ||
        pympi_int_arg(a[4], MPI_ANY_SOURCE, "source", &source) < 0 ||
        pympi_int_arg(a[5], MPI_ANY_TAG, "recvtag", &recvtag) < 0 ||
        (a[6] != NULL && !pympi_conv_status(a[6], &status)))
        return NULL;
    if (p2p_msg(a[0], dest, 0, "sendbuf", &sm, &scount) < 0)
        return NULL;
    if (p2p_msg(a[3] ? a[3] : Py_None, source, PYMPI_MSG_WRITE, "recvbuf", &rm, &rcount) < 0) {
        pympi_msg_release(&sm);
        return NULL;
    }
    PYMPI_CHK_NOGIL(MPI_Sendrecv(sm.buf, scount, sm.type, dest, sendtag, rm.buf, rcount,
                                 rm.type, source, recvtag, COMM(self), status));
    pympi_msg_release(&sm);
    pympi_msg_release(&rm);
    Py_RETURN_NONE;
fail:
    pympi_msg_release(&sm);
    pympi_msg_release(&rm);
    return NULL;
}

static PyObject *comm_Sendrecv_replace(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                       PyObject *kwnames)
{
    static const char *const names[] = {"buf", "dest", "sendtag", "source", "recvtag",
                                        "status"};
    PyObject *a[6];
    int dest, sendtag, source, recvtag, count;
    MPI_Status *status = MPI_STATUS_IGNORE;
    pympi_msg m;
    if (pympi_bind_args("Sendrecv_replace", names, 2, 6, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "dest", &dest) < 0 ||
        pympi_int_arg(a[2], 0, "sendtag", &sendtag) < 0 ||
        pympi_int_arg(a[3], MPI_ANY_SOURCE, "source", &source) < 0 ||
        pympi_int_arg(a[4], MPI_ANY_TAG, "recvtag", &recvtag) < 0 ||
        (a[5] != NULL && !pympi_conv_status(a[5], &status)))
        return NULL;
    if (p2p_msg(a[0], dest == MPI_PROC_NULL && source == MPI_PROC_NULL ? MPI_PROC_NULL : 0,
                PYMPI_MSG_WRITE, "buf", &m, &count) < 0)
        return NULL;
    PYMPI_CHK_NOGIL(MPI_Sendrecv_replace(m.buf, count, m.type, dest, sendtag, source, recvtag,
                                         COMM(self), status));
    pympi_msg_release(&m);
    Py_RETURN_NONE;
fail:
    pympi_msg_release(&m);
    return NULL;
}

/* ---- nonblocking and persistent ------------------------------------------------------------ */

/* A request over m: the keeper takes m's Py_buffer (nothing to keep for a None buffer). */
static PyObject *request_over(PyTypeObject *type, MPI_Request req, pympi_msg *m)
{
    PyObject *keep = NULL;
    if (m->view.obj != NULL && (keep = pympi_keeper_new(m)) == NULL) {
        /* MPI holds the buffer: never let it go. */
        m->view.obj = NULL;
        MPI_Request_free(&req);
        return NULL;
    }
    PyObject *r = pympi_request_new(type, req, keep, PYMPI_REQ_PLAIN);
    Py_XDECREF(keep);
    return r;
}

static PyObject *isend_mode(PyObject *self, const char *fname, isend_fn fn, PyTypeObject *type,
                            PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    int count, dest, tag;
    pympi_msg m;
    MPI_Request req = MPI_REQUEST_NULL;
    if (send_args(fname, args, nargs, kwnames, &m, &count, &dest, &tag) < 0)
        return NULL;
    PYMPI_CHK(fn(m.buf, count, m.type, dest, tag, COMM(self), &req));
    PyObject *r = request_over(type, req, &m);
    pympi_msg_release(&m);
    return r;
fail:
    pympi_msg_release(&m);
    return NULL;
}

#define ISEND_METHOD(name, fn, type)                                                          \
    static PyObject *comm_##name(PyObject *self, PyObject *const *args, Py_ssize_t nargs,     \
                                 PyObject *kwnames)                                           \
    {                                                                                         \
        return isend_mode(self, #name, fn, type, args, nargs, kwnames);                       \
    }
ISEND_METHOD(Isend, MPI_Isend, &PyMPIRequest_Type)
ISEND_METHOD(Ibsend, MPI_Ibsend, &PyMPIRequest_Type)
ISEND_METHOD(Issend, MPI_Issend, &PyMPIRequest_Type)
ISEND_METHOD(Irsend, MPI_Irsend, &PyMPIRequest_Type)
ISEND_METHOD(Send_init, MPI_Send_init, &PyMPIPrequest_Type)
ISEND_METHOD(Bsend_init, MPI_Bsend_init, &PyMPIPrequest_Type)
ISEND_METHOD(Ssend_init, MPI_Ssend_init, &PyMPIPrequest_Type)
ISEND_METHOD(Rsend_init, MPI_Rsend_init, &PyMPIPrequest_Type)

static PyObject *irecv_mode(PyObject *self, const char *fname, int persistent,
                            PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    int count, source, tag;
    MPI_Status *unused;
    pympi_msg m;
    MPI_Request req = MPI_REQUEST_NULL;
    if (recv_args(fname, 0, args, nargs, kwnames, &m, &count, &source, &tag, &unused) < 0)
        return NULL;
    if (persistent)
        PYMPI_CHK(MPI_Recv_init(m.buf, count, m.type, source, tag, COMM(self), &req));
    else
        PYMPI_CHK(MPI_Irecv(m.buf, count, m.type, source, tag, COMM(self), &req));
    PyObject *r = request_over(persistent ? &PyMPIPrequest_Type : &PyMPIRequest_Type, req, &m);
    pympi_msg_release(&m);
    return r;
fail:
    pympi_msg_release(&m);
    return NULL;
}

static PyObject *comm_Irecv(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    return irecv_mode(self, "Irecv", 0, args, nargs, kwnames);
}

static PyObject *comm_Recv_init(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames)
{
    return irecv_mode(self, "Recv_init", 1, args, nargs, kwnames);
}

/* ---- probes -------------------------------------------------------------------------------- */

/* (source=ANY_SOURCE, tag=ANY_TAG, status=None), shared with the lower-case probes. */
int pympi_probe_args(const char *fname, PyObject *const *args, Py_ssize_t nargs,
                     PyObject *kwnames, int *source, int *tag, MPI_Status **status)
{
    static const char *const names[] = {"source", "tag", "status"};
    PyObject *a[3];
    *status = MPI_STATUS_IGNORE;
    if (pympi_bind_args(fname, names, 0, 3, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], MPI_ANY_SOURCE, "source", source) < 0 ||
        pympi_int_arg(a[1], MPI_ANY_TAG, "tag", tag) < 0 ||
        (a[2] != NULL && !pympi_conv_status(a[2], status)))
        return -1;
    return 0;
}

PyObject *pympi_comm_Probe(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    int source, tag;
    MPI_Status *status;
    if (pympi_probe_args("Probe", args, nargs, kwnames, &source, &tag, &status) < 0)
        return NULL;
    PYMPI_CHK_NOGIL(MPI_Probe(source, tag, COMM(self), status));
    Py_RETURN_TRUE;
fail:
    return NULL;
}

PyObject *pympi_comm_Iprobe(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames)
{
    int source, tag, flag = 0;
    MPI_Status *status;
    if (pympi_probe_args("Iprobe", args, nargs, kwnames, &source, &tag, &status) < 0)
        return NULL;
    PYMPI_CHK(MPI_Iprobe(source, tag, COMM(self), &flag, status));
    return PyBool_FromLong(flag);
fail:
    return NULL;
}

PyObject *pympi_comm_Mprobe(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames)
{
    int source, tag;
    MPI_Status *status;
    if (pympi_probe_args("Mprobe", args, nargs, kwnames, &source, &tag, &status) < 0)
        return NULL;
    return pympi_message_probe(COMM(self), source, tag, status, 1);
}

PyObject *pympi_comm_Improbe(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    int source, tag;
    MPI_Status *status;
    if (pympi_probe_args("Improbe", args, nargs, kwnames, &source, &tag, &status) < 0)
        return NULL;
    return pympi_message_probe(COMM(self), source, tag, status, 0);
}

PyMethodDef pympi_comm_p2p_methods[] = {
    {"Send", PYMPI_FASTCALL(comm_Send), "Blocking send."},
    {"Recv", PYMPI_FASTCALL(comm_Recv), "Blocking receive."},
    {"Sendrecv", PYMPI_FASTCALL(comm_Sendrecv), "Send and receive a message."},
    {"Sendrecv_replace", PYMPI_FASTCALL(comm_Sendrecv_replace),
     "Send and receive a message in one buffer."},
    {"Isend", PYMPI_FASTCALL(comm_Isend), "Nonblocking send."},
    {"Irecv", PYMPI_FASTCALL(comm_Irecv), "Nonblocking receive."},
    {"Probe", PYMPI_FASTCALL(pympi_comm_Probe), "Blocking test for a message."},
    {"Iprobe", PYMPI_FASTCALL(pympi_comm_Iprobe), "Nonblocking test for a message."},
    {"Mprobe", PYMPI_FASTCALL(pympi_comm_Mprobe), "Blocking test for a matched message."},
    {"Improbe", PYMPI_FASTCALL(pympi_comm_Improbe),
     "Nonblocking test for a matched message (None when there is none)."},
    {"Send_init", PYMPI_FASTCALL(comm_Send_init), "Persistent request for a send."},
    {"Recv_init", PYMPI_FASTCALL(comm_Recv_init), "Persistent request for a receive."},
    {"Bsend", PYMPI_FASTCALL(comm_Bsend), "Blocking send in buffered mode."},
    {"Ssend", PYMPI_FASTCALL(comm_Ssend), "Blocking send in synchronous mode."},
    {"Rsend", PYMPI_FASTCALL(comm_Rsend), "Blocking send in ready mode."},
    {"Ibsend", PYMPI_FASTCALL(comm_Ibsend), "Nonblocking send in buffered mode."},
    {"Issend", PYMPI_FASTCALL(comm_Issend), "Nonblocking send in synchronous mode."},
    {"Irsend", PYMPI_FASTCALL(comm_Irsend), "Nonblocking send in ready mode."},
    {"Bsend_init", PYMPI_FASTCALL(comm_Bsend_init),
     "Persistent request for a send in buffered mode."},
    {"Ssend_init", PYMPI_FASTCALL(comm_Ssend_init),
     "Persistent request for a send in synchronous mode."},
    {"Rsend_init", PYMPI_FASTCALL(comm_Rsend_init),
     "Persistent request for a send in ready mode."},
    {NULL},
};

/* ---- buffered mode: the attached buffer ------------------------------------------------------ */

static Py_buffer attached;     /* attached.obj != NULL while a buffer is attached */

static PyObject *mod_Attach_buffer(PyObject *mod, PyObject *buf)
{
    Py_buffer view;
    if (PyObject_GetBuffer(buf, &view, PyBUF_WRITABLE | PyBUF_ANY_CONTIGUOUS) < 0)
        return NULL;
    int size;
    if (pympi_int_count(view.len, "buf", &size) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    int ierr = MPI_Buffer_attach(view.buf, size);
    if (ierr != MPI_SUCCESS) {
        PyBuffer_Release(&view);
        return pympi_raise(ierr), NULL;
    }
    attached = view;            /* MPI refuses a second buffer: none is held here */
    Py_RETURN_NONE;
}

/* Returns the object given to Attach_buffer (None when nothing was attached). */
static PyObject *mod_Detach_buffer(PyObject *mod, PyObject *unused)
{
    void *addr = NULL;
    int size = 0, ierr;
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Buffer_detach(&addr, &size);
    Py_END_ALLOW_THREADS
    if (ierr != MPI_SUCCESS)
        return pympi_raise(ierr), NULL;
    if (attached.obj == NULL)
        Py_RETURN_NONE;
    PyObject *obj = Py_NewRef(attached.obj);
    PyBuffer_Release(&attached);
    return obj;
}

PyMethodDef pympi_module_p2p_methods[] = {
    {"Attach_buffer", mod_Attach_buffer, METH_O,
     "Attach a user buffer for sending in buffered mode."},
    {"Detach_buffer", mod_Detach_buffer, METH_NOARGS,
     "Remove an existing attached buffer (and return it)."},
    {NULL},
};
