/*
 * status.c - MPI.Status: a Python object embedding an MPI_Status (source, tag, error,
 * element counts). (Minimal skeleton; the full class comes next.)
 */
#include "pympi.h"

#include <string.h>

PyObject *pympi_status_new(const MPI_Status *status)
{
    PyMPIStatusObject *self =
        (PyMPIStatusObject *)PyMPIStatus_Type.tp_alloc(&PyMPIStatus_Type, 0);
    if (self == NULL)
        return NULL;
    if (status != NULL)
        self->ob_mpi = *status;
    else {
        self->ob_mpi.MPI_SOURCE = MPI_ANY_SOURCE;
        self->ob_mpi.MPI_TAG = MPI_ANY_TAG;
        self->ob_mpi.MPI_ERROR = MPI_SUCCESS;
    }
    return (PyObject *)self;
}

int pympi_conv_status(PyObject *o, void *out)
{
    if (o == Py_None) {
        *(MPI_Status **)out = MPI_STATUS_IGNORE;
        return 1;
    }
    if (!PyObject_TypeCheck(o, &PyMPIStatus_Type)) {
        PyErr_Format(PyExc_TypeError, "status: expected an MPI.Status or None, got %.100s",
                     Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Status **)out = &((PyMPIStatusObject *)o)->ob_mpi;
    return 1;
}

static PyObject *status_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return pympi_status_new(NULL);
}

static PyObject *status_Get_source(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(((PyMPIStatusObject *)self)->ob_mpi.MPI_SOURCE);
}

static PyObject *status_Get_tag(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(((PyMPIStatusObject *)self)->ob_mpi.MPI_TAG);
}

static PyObject *status_get_source(PyObject *self, void *c) { return status_Get_source(self, c); }
static PyObject *status_get_tag(PyObject *self, void *c) { return status_Get_tag(self, c); }

static PyMethodDef status_methods[] = {
    {"Get_source", status_Get_source, METH_NOARGS, "Message source."},
    {"Get_tag", status_Get_tag, METH_NOARGS, "Message tag."},
    {NULL},
};

static PyGetSetDef status_getset[] = {
    {"source", status_get_source, NULL, "Message source.", NULL},
    {"tag", status_get_tag, NULL, "Message tag.", NULL},
    {NULL},
};

PyTypeObject PyMPIStatus_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Status",
    .tp_basicsize = sizeof(PyMPIStatusObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Status object.",
    .tp_new = status_tp_new,
    .tp_methods = status_methods,
    .tp_getset = status_getset,
};

int pympi_init_status(PyObject *m)
{
    if (PyType_Ready(&PyMPIStatus_Type) < 0)
        return -1;
    return PyModule_AddObjectRef(m, "Status", (PyObject *)&PyMPIStatus_Type);
}
