/*
 * comm_obj.c - Comm's lower-case methods: any picklable object travels as the bytes of
 * MPI.pickle.dumps. (Skeleton: send and recv; the family comes next.)
 *
 * recv without a buffer matches the message with MPI_Mprobe, sizes a bytes object from
 * the status, receives into it with MPI_Mrecv and unpickles: one allocation, no copy.
 */
#include "pympi.h"

#define COMM(self) (((PyMPICommObject *)(self))->ob_mpi)


static PyObject *comm_send(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames)
{
    static const char *const names[] = {"obj", "dest", "tag"};
    PyObject *a[3];
    int dest, tag;
    if (pympi_bind_args("send", names, 2, 3, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "dest", &dest) < 0 || pympi_int_arg(a[2], 0, "tag", &tag) < 0)
        return NULL;
    PyObject *data = NULL;
    const char *buf = NULL;
    Py_ssize_t len = 0;
    if (dest != MPI_PROC_NULL) {
        data = pympi_pickle_dumps(a[0]);
        if (data == NULL)
            return NULL;
        buf = PyBytes_AS_STRING(data);
        len = PyBytes_GET_SIZE(data);
    }
    int count;
    if (pympi_int_count(len, "obj", &count) < 0)
        goto fail;
    PYMPI_CHK_NOGIL(MPI_Send(buf, count, MPI_BYTE, dest, tag, COMM(self)));
    Py_XDECREF(data);
    Py_RETURN_NONE;
fail:
    Py_XDECREF(data);
    return NULL;
}

static PyObject *comm_recv(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames)
{
    static const char *const names[] = {"buf", "source", "tag", "status"};
    PyObject *a[4];
    int source, tag;
    MPI_Status st, *status = MPI_STATUS_IGNORE;
    if (pympi_bind_args("recv", names, 0, 4, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], MPI_ANY_SOURCE, "source", &source) < 0 ||
        pympi_int_arg(a[2], MPI_ANY_TAG, "tag", &tag) < 0 ||
        (a[3] != NULL && !pympi_conv_status(a[3], &status)))
        return NULL;
    if (status == MPI_STATUS_IGNORE)
        status = &st;
    if (a[0] != NULL && a[0] != Py_None) {
        pympi_msg m;
        int count;
        if (pympi_msg_parse(a[0], PYMPI_MSG_WRITE, "buf", &m) < 0)
            return NULL;
        if (pympi_int_count(m.bytes, "buf", &count) < 0) {
            pympi_msg_release(&m);
            return NULL;
        }
        int ierr;
        Py_BEGIN_ALLOW_THREADS
        ierr = MPI_Recv(m.buf, count, MPI_BYTE, source, tag, COMM(self), status);
        Py_END_ALLOW_THREADS
        if (ierr != MPI_SUCCESS) {
            pympi_msg_release(&m);
            pympi_raise(ierr);
            return NULL;
        }
        int got = 0;
        MPI_Get_count(status, MPI_BYTE, &got);
        PyObject *r = status->MPI_SOURCE == MPI_PROC_NULL ? Py_NewRef(Py_None)
                                                           : pympi_pickle_loads(m.buf, got);
        pympi_msg_release(&m);
        return r;
    }
    MPI_Message msg = MPI_MESSAGE_NULL;
    PYMPI_CHK_NOGIL(MPI_Mprobe(source, tag, COMM(self), &msg, status));
    if (msg == MPI_MESSAGE_NO_PROC) {
        MPI_Mrecv(NULL, 0, MPI_BYTE, &msg, status);
        Py_RETURN_NONE;
    }
    int count = 0;
    PYMPI_CHK(MPI_Get_count(status, MPI_BYTE, &count));
    PyObject *data = PyBytes_FromStringAndSize(NULL, count);
    if (data == NULL) {
        MPI_Mrecv(NULL, 0, MPI_BYTE, &msg, MPI_STATUS_IGNORE);  /* drain it: MPI_ERR_TRUNCATE */
        return NULL;
    }
    int ierr = MPI_Mrecv(PyBytes_AS_STRING(data), count, MPI_BYTE, &msg, status);
    if (ierr != MPI_SUCCESS) {
        Py_DECREF(data);
        pympi_raise(ierr);
        return NULL;
    }
    PyObject *r = pympi_pickle_loads(PyBytes_AS_STRING(data), count);
    Py_DECREF(data);
    return r;
fail:
    return NULL;
}

PyMethodDef pympi_comm_obj_methods[] = {
    {"send", PYMPI_FASTCALL(comm_send), "Send a Python object."},
    {"recv", PYMPI_FASTCALL(comm_recv), "Receive a Python object."},
    {NULL},
};
