/*
 * comm_coll.c - Comm's upper-case collectives over buffer specs. (Skeleton: Barrier and
 * Bcast; the family comes next.)
 */
#include "pympi.h"

#define COMM(self) (((PyMPICommObject *)(self))->ob_mpi)


static PyObject *comm_Barrier(PyObject *self, PyObject *unused)
{
    PYMPI_CHK_NOGIL(MPI_Barrier(COMM(self)));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *comm_Bcast(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    static const char *const names[] = {"buf", "root"};
    PyObject *a[2];
    int root, count;
    pympi_msg m;
    if (pympi_bind_args("Bcast", names, 1, 2, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "root", &root) < 0)
        return NULL;
    if (pympi_msg_parse(a[0], PYMPI_MSG_WRITE, "buf", &m) < 0)
        return NULL;
    if (pympi_int_count(m.count, "buf", &count) < 0)
        goto fail;
    PYMPI_CHK_NOGIL(MPI_Bcast(m.buf, count, m.type, root, COMM(self)));
    pympi_msg_release(&m);
    Py_RETURN_NONE;
fail:
    pympi_msg_release(&m);
    return NULL;
}

PyMethodDef pympi_comm_coll_methods[] = {
    {"Barrier", comm_Barrier, METH_NOARGS, "Barrier synchronization."},
    {"Bcast", PYMPI_FASTCALL(comm_Bcast), "Broadcast a buffer from root."},
    {NULL},
};

PyMethodDef pympi_intracomm_coll_methods[] = {
    {NULL},
};
