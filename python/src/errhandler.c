/*
 * errhandler.c - MPI.Errhandler. (Minimal skeleton: object, comparison, MPI_ERRHANDLER_NULL; the full class comes next.)
 */
#include "pympi.h"

#define HANDLE(self) (((PyMPIErrhandlerObject *)(self))->ob_mpi)

PyObject *pympi_errhandler_new(MPI_Errhandler h, unsigned flags)
{
    PyMPIErrhandlerObject *self = (PyMPIErrhandlerObject *)PyMPIErrhandler_Type.tp_alloc(&PyMPIErrhandler_Type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = h;
    self->flags = flags;
    return (PyObject *)self;
}

int pympi_conv_errhandler(PyObject *o, void *out)
{
    
    if (!PyObject_TypeCheck(o, &PyMPIErrhandler_Type)) {
        PyErr_Format(PyExc_TypeError, "expected an MPI.Errhandler, got %.100s", Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Errhandler *)out = HANDLE(o);
    return 1;
}

static PyObject *tp_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &PyMPIErrhandler_Type) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int eq = HANDLE(a) == HANDLE(b);
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static int tp_bool(PyObject *self)
{
    return HANDLE(self) != MPI_ERRHANDLER_NULL;
}

static PyNumberMethods as_number = {.nb_bool = tp_bool};

PyTypeObject PyMPIErrhandler_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Errhandler",
    .tp_basicsize = sizeof(PyMPIErrhandlerObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Error handler.",
    .tp_richcompare = tp_richcompare,
    .tp_as_number = &as_number,
};

int pympi_init_errhandler(PyObject *m)
{
    if (PyType_Ready(&PyMPIErrhandler_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Errhandler", (PyObject *)&PyMPIErrhandler_Type) < 0)
        return -1;
    PyObject *null = pympi_errhandler_new(MPI_ERRHANDLER_NULL, PYMPI_CONST);
    return null == NULL ? -1 : PyModule_AddObject(m, "ERRHANDLER_NULL", null);
}
