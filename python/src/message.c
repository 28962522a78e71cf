/*
 * message.c - MPI.Message: messages matched by a probe (Comm.Mprobe/Improbe/mprobe/improbe,
 * Message.Probe/Iprobe/probe/iprobe), received later by Recv/Irecv (buffers) or
 * recv/irecv (objects). The object remembers the message's size from its probe, so the
 * lower-case receives allocate exactly what the message needs.
 */
#include "pympi.h"

#define MSG(o) ((PyMPIMessageObject *)(o))

PyObject *pympi_message_new(MPI_Message msg, MPI_Count size)
{
    PyMPIMessageObject *self =
        (PyMPIMessageObject *)PyMPIMessage_Type.tp_alloc(&PyMPIMessage_Type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = msg;
    self->ob_size = size;
    return (PyObject *)self;
}

PyObject *pympi_message_probe(MPI_Comm comm, int source, int tag, MPI_Status *status,
                              int blocking)
{
    MPI_Message msg = MPI_MESSAGE_NULL;
    MPI_Status st;
    int flag = 1, ierr;
    if (blocking) {
        Py_BEGIN_ALLOW_THREADS
        ierr = MPI_Mprobe(source, tag, comm, &msg, &st);
        Py_END_ALLOW_THREADS
    } else {
        ierr = MPI_Improbe(source, tag, comm, &flag, &msg, &st);
    }
    if (ierr != MPI_SUCCESS)
        return pympi_raise(ierr), NULL;
    if (!flag)
        Py_RETURN_NONE;
    if (status != MPI_STATUS_IGNORE)
        *status = st;
    MPI_Count size = 0;
    if (MPI_Get_elements_x(&st, MPI_BYTE, &size) != MPI_SUCCESS || size < 0)
        size = -1;
    return pympi_message_new(msg, size);
}

static PyObject *message_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *other = NULL;
    static char *kwlist[] = {"message", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:Message", kwlist, &other))
        return NULL;
    if (other != NULL && other != Py_None && !PyObject_TypeCheck(other, &PyMPIMessage_Type)) {
        PyErr_Format(PyExc_TypeError, "message: expected an MPI.Message, got %.100s",
                     Py_TYPE(other)->tp_name);
        return NULL;
    }
    PyMPIMessageObject *self = (PyMPIMessageObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = other && other != Py_None ? MSG(other)->ob_mpi : MPI_MESSAGE_NULL;
    self->ob_size = other && other != Py_None ? MSG(other)->ob_size : -1;
    return (PyObject *)self;
}

/* ---- probes (classmethods) -------------------------------------------------------------- */

static PyObject *probe_classmethod(const char *fname, int blocking, PyObject *const *args,
                                   Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"comm", "source", "tag", "status"};
    PyObject *a[4];
    MPI_Comm comm;
    int source, tag;
    MPI_Status *status = MPI_STATUS_IGNORE;
    if (pympi_bind_args(fname, names, 1, 4, args, nargs, kwnames, a) < 0 ||
        !pympi_conv_comm(a[0], &comm) ||
        pympi_int_arg(a[1], MPI_ANY_SOURCE, "source", &source) < 0 ||
        pympi_int_arg(a[2], MPI_ANY_TAG, "tag", &tag) < 0 ||
        (a[3] != NULL && !pympi_conv_status(a[3], &status)))
        return NULL;
    return pympi_message_probe(comm, source, tag, status, blocking);
}

static PyObject *message_Probe(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                               PyObject *kwnames)
{
    return probe_classmethod("Probe", 1, args, nargs, kwnames);
}

static PyObject *message_Iprobe(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames)
{
    return probe_classmethod("Iprobe", 0, args, nargs, kwnames);
}

static PyObject *message_probe(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                               PyObject *kwnames)
{
    return probe_classmethod("probe", 1, args, nargs, kwnames);
}

static PyObject *message_iprobe(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames)
{
    return probe_classmethod("iprobe", 0, args, nargs, kwnames);
}

/* ---- receives ----------------------------------------------------------------------------- */

/* The spec of Recv/Irecv: a buffer, or None for MESSAGE_NO_PROC. */
static int recv_spec(PyObject *self, PyObject *spec, pympi_msg *m, int *count)
{
    unsigned flags = PYMPI_MSG_WRITE;
    if (MSG(self)->ob_mpi == MPI_MESSAGE_NO_PROC)
        flags |= PYMPI_MSG_ALLOW_NONE;
    if (pympi_msg_parse(spec, flags, "buf", m) < 0)
        return -1;
    if (pympi_int_count(m->count, "buf", count) < 0) {
        pympi_msg_release(m);
        return -1;
    }
    return 0;
}

static PyObject *message_Recv(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    static const char *const names[] = {"buf", "status"};
    PyObject *a[2];
    MPI_Status *status = MPI_STATUS_IGNORE;
    pympi_msg m;
    int count;
    if (pympi_bind_args("Recv", names, 1, 2, args, nargs, kwnames, a) < 0 ||
        (a[1] != NULL && !pympi_conv_status(a[1], &status)) ||
        recv_spec(self, a[0], &m, &count) < 0)
        return NULL;
    PYMPI_CHK_NOGIL(MPI_Mrecv(m.buf, count, m.type, &MSG(self)->ob_mpi, status));
    pympi_msg_release(&m);
    Py_RETURN_NONE;
fail:
    pympi_msg_release(&m);
    return NULL;
}

static PyObject *message_Irecv(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                               PyObject *kwnames)
{
    static const char *const names[] = {"buf"};
    PyObject *a[1];
    pympi_msg m;
    int count;
    if (pympi_bind_args("Irecv", names, 1, 1, args, nargs, kwnames, a) < 0 ||
        recv_spec(self, a[0], &m, &count) < 0)
        return NULL;
    PyObject *keep = pympi_keeper_new(&m);
    MPI_Request req = MPI_REQUEST_NULL;
    if (keep == NULL)
        goto fail;
    PYMPI_CHK(MPI_Imrecv(m.buf, count, m.type, &MSG(self)->ob_mpi, &req));
    PyObject *r = pympi_request_new(&PyMPIRequest_Type, req, keep, PYMPI_REQ_PLAIN);
    Py_DECREF(keep);
    return r;
fail:
    Py_XDECREF(keep);
    pympi_msg_release(&m);
    return NULL;
}

/* A NULL/NO_PROC message, or one whose size is unknown (Message.f2py): nothing to allocate.
 * Returns 1 when handled (*result set, or NULL with an exception), 0 to go on. */
static int recv_special(PyObject *self, PyObject **result, MPI_Status *status)
{
    PyMPIMessageObject *msg = MSG(self);
    if (msg->ob_mpi == MPI_MESSAGE_NULL || msg->ob_mpi == MPI_MESSAGE_NO_PROC) {
        int ierr = MPI_Mrecv(NULL, 0, MPI_BYTE, &msg->ob_mpi, status);
        *result = ierr == MPI_SUCCESS ? Py_NewRef(Py_None) : (pympi_raise(ierr), NULL);
        return 1;
    }
    if (msg->ob_size < 0 || msg->ob_size > INT_MAX) {
        PyErr_SetString(PyExc_ValueError, "the size of this message is unknown (or beyond "
                        "int counts): receive it with Message.Recv");
        *result = NULL;
        return 1;
    }
    return 0;
}

static PyObject *message_recv(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    static const char *const names[] = {"status"};
    PyObject *a[1], *result;
    MPI_Status *status = MPI_STATUS_IGNORE;
    if (pympi_bind_args("recv", names, 0, 1, args, nargs, kwnames, a) < 0 ||
        (a[0] != NULL && !pympi_conv_status(a[0], &status)))
        return NULL;
    if (recv_special(self, &result, status))
        return result;
    PyMPIMessageObject *msg = MSG(self);
    int count = (int)msg->ob_size, ierr;
    char small[PYMPI_PICKLE_INLINE];
    char *buf = count <= (int)sizeof small ? small : PyMem_RawMalloc((size_t)count);
    if (buf == NULL)
        return PyErr_NoMemory();
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Mrecv(buf, count, MPI_BYTE, &msg->ob_mpi, status);
    Py_END_ALLOW_THREADS
    result = ierr == MPI_SUCCESS ? pympi_pickle_loads(buf, count) : (pympi_raise(ierr), NULL);
    if (buf != small)
        PyMem_RawFree(buf);
    return result;
}

static PyObject *message_irecv(PyObject *self, PyObject *unused)
{
    PyObject *result;
    MPI_Request req = MPI_REQUEST_NULL;
    if (MSG(self)->ob_mpi == MPI_MESSAGE_NO_PROC) {
        PYMPI_CHK(MPI_Imrecv(NULL, 0, MPI_BYTE, &MSG(self)->ob_mpi, &req));
        return pympi_request_new(&PyMPIRequest_Type, req, NULL, PYMPI_REQ_OBJ_RECV);
    }
    if (recv_special(self, &result, MPI_STATUS_IGNORE))
        return result;
    PyObject *keep = pympi_keeper_new(NULL);
    if (keep == NULL)
        return NULL;
    MPI_Count size = MSG(self)->ob_size;
    if (size > 0 && pympi_keeper_alloc(size, keep) == NULL) {
        Py_DECREF(keep);
        return PyErr_NoMemory();
    }
    int ierr = MPI_Imrecv(((pympi_keeper *)keep)->data, (int)size, MPI_BYTE,
                          &MSG(self)->ob_mpi, &req);
    if (ierr != MPI_SUCCESS) {
        Py_DECREF(keep);
        return pympi_raise(ierr), NULL;
    }
    result = pympi_request_new(&PyMPIRequest_Type, req, keep, PYMPI_REQ_OBJ_RECV);
    Py_DECREF(keep);
    return result;
fail:
    return NULL;
}

/* ---- handles ------------------------------------------------------------------------------ */

static PyObject *message_py2f(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(MPI_Message_toint(MSG(self)->ob_mpi));
}

static PyObject *message_f2py(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    static const char *const names[] = {"arg"};
    PyObject *a[1];
    int v;
    if (pympi_bind_args("f2py", names, 1, 1, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], 0, "arg", &v) < 0)
        return NULL;
    PyMPIMessageObject *self = (PyMPIMessageObject *)((PyTypeObject *)cls)->tp_alloc(
        (PyTypeObject *)cls, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = MPI_Message_fromint(v);
    self->ob_size = -1;
    return (PyObject *)self;
}

PYMPI_HANDLE_COMPARE(message, Message, MPI_MESSAGE_NULL)

static PyNumberMethods message_as_number = {.nb_bool = message_bool};

#define CLASS_FASTCALL(fn) PYMPI_FASTCALL(fn) | METH_CLASS

static PyMethodDef message_methods[] = {
    {"Probe", CLASS_FASTCALL(message_Probe), "Blocking probe that matches a message."},
    {"Iprobe", CLASS_FASTCALL(message_Iprobe),
     "Nonblocking probe that matches a message (None when there is none)."},
    {"Recv", PYMPI_FASTCALL(message_Recv), "Blocking receive of the matched message."},
    {"Irecv", PYMPI_FASTCALL(message_Irecv), "Nonblocking receive of the matched message."},
    {"probe", CLASS_FASTCALL(message_probe), "Blocking probe that matches an object message."},
    {"iprobe", CLASS_FASTCALL(message_iprobe),
     "Nonblocking probe that matches an object message (None when there is none)."},
    {"recv", PYMPI_FASTCALL(message_recv), "Receive the matched object message."},
    {"irecv", message_irecv, METH_NOARGS, "Nonblocking receive of the matched object message."},
    {"py2f", message_py2f, METH_NOARGS, "Integer handle of the message."},
    {"f2py", CLASS_FASTCALL(message_f2py), "Message from an integer handle."},
    {NULL},
};

PyTypeObject PyMPIMessage_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Message",
    .tp_basicsize = sizeof(PyMPIMessageObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Message(message=None)\n\nMatched message handle.",
    .tp_new = message_tp_new,
    .tp_richcompare = message_richcompare,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_as_number = &message_as_number,
    .tp_methods = message_methods,
};

int pympi_init_message(PyObject *m)
{
    if (PyType_Ready(&PyMPIMessage_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Message", (PyObject *)&PyMPIMessage_Type) < 0)
        return -1;
    PyObject *null = pympi_message_new(MPI_MESSAGE_NULL, -1);
    PyObject *nproc = pympi_message_new(MPI_MESSAGE_NO_PROC, 0);
    if (null == NULL || nproc == NULL || PyModule_AddObject(m, "MESSAGE_NULL", null) < 0) {
        Py_XDECREF(null);
        Py_XDECREF(nproc);
        return -1;
    }
    return PyModule_AddObject(m, "MESSAGE_NO_PROC", nproc);
}
