/*
 * comm_p2p.c - Comm's upper-case point-to-point methods over buffer specs: Send, Recv,
 * ... (Skeleton: Send and Recv; the family comes next.) Blocking calls release the GIL.
 */
#include "pympi.h"

#include <limits.h>

#define COMM(self) (((PyMPICommObject *)(self))->ob_mpi)

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

static PyObject *comm_Send(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames)
{
    static const char *const names[] = {"buf", "dest", "tag"};
    PyObject *a[3];
    int dest, tag, count;
    pympi_msg m;
    if (pympi_bind_args("Send", names, 2, 3, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "dest", &dest) < 0 || pympi_int_arg(a[2], 0, "tag", &tag) < 0)
        return NULL;
    if (pympi_msg_parse(a[0], 0, "buf", &m) < 0)
        return NULL;
    if (pympi_int_count(m.count, "buf", &count) < 0)
        goto fail;
    PYMPI_CHK_NOGIL(MPI_Send(m.buf, count, m.type, dest, tag, COMM(self)));
    pympi_msg_release(&m);
    Py_RETURN_NONE;
fail:
    pympi_msg_release(&m);
    return NULL;
}

static PyObject *comm_Recv(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames)
{
    static const char *const names[] = {"buf", "source", "tag", "status"};
    PyObject *a[4];
    int source, tag, count;
    MPI_Status *status = MPI_STATUS_IGNORE;
    pympi_msg m;
    if (pympi_bind_args("Recv", names, 1, 4, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], MPI_ANY_SOURCE, "source", &source) < 0 ||
        pympi_int_arg(a[2], MPI_ANY_TAG, "tag", &tag) < 0 ||
        (a[3] != NULL && !pympi_conv_status(a[3], &status)))
        return NULL;
    if (pympi_msg_parse(a[0], PYMPI_MSG_WRITE, "buf", &m) < 0)
        return NULL;
    if (pympi_int_count(m.count, "buf", &count) < 0)
        goto fail;
    PYMPI_CHK_NOGIL(MPI_Recv(m.buf, count, m.type, source, tag, COMM(self), status));
    pympi_msg_release(&m);
    Py_RETURN_NONE;
fail:
    pympi_msg_release(&m);
    return NULL;
}

PyMethodDef pympi_comm_p2p_methods[] = {
    {"Send", PYMPI_FASTCALL(comm_Send), "Blocking send."},
    {"Recv", PYMPI_FASTCALL(comm_Recv), "Blocking receive."},
    {NULL},
};

PyMethodDef pympi_module_p2p_methods[] = {
    {NULL},
};
