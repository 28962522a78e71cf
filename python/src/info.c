/*
 * info.c - MPI.Info. (Minimal skeleton: object, comparison, MPI_INFO_NULL; the full class comes next.)
 */
#include "pympi.h"

#define HANDLE(self) (((PyMPIInfoObject *)(self))->ob_mpi)

PyObject *pympi_info_new(MPI_Info h, unsigned flags)
{
    PyMPIInfoObject *self = (PyMPIInfoObject *)PyMPIInfo_Type.tp_alloc(&PyMPIInfo_Type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = h;
    self->flags = flags;
    return (PyObject *)self;
}

int pympi_conv_info(PyObject *o, void *out)
{
    if (o == Py_None) { *(MPI_Info *)out = MPI_INFO_NULL; return 1; }
    if (!PyObject_TypeCheck(o, &PyMPIInfo_Type)) {
        PyErr_Format(PyExc_TypeError, "expected an MPI.Info, got %.100s", Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Info *)out = HANDLE(o);
    return 1;
}

static PyObject *tp_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &PyMPIInfo_Type) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int eq = HANDLE(a) == HANDLE(b);
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static int tp_bool(PyObject *self)
{
    return HANDLE(self) != MPI_INFO_NULL;
}

static PyNumberMethods as_number = {.nb_bool = tp_bool};

PyTypeObject PyMPIInfo_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Info",
    .tp_basicsize = sizeof(PyMPIInfoObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Info object (key/value hints).",
    .tp_richcompare = tp_richcompare,
    .tp_as_number = &as_number,
};

int pympi_init_info(PyObject *m)
{
    if (PyType_Ready(&PyMPIInfo_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Info", (PyObject *)&PyMPIInfo_Type) < 0)
        return -1;
    PyObject *null = pympi_info_new(MPI_INFO_NULL, PYMPI_CONST);
    return null == NULL ? -1 : PyModule_AddObject(m, "INFO_NULL", null);
}
