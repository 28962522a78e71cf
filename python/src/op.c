/*
 * op.c - MPI.Op. (Minimal skeleton: object, comparison, MPI_OP_NULL; the full class comes next.)
 */
#include "pympi.h"

#define HANDLE(self) (((PyMPIOpObject *)(self))->ob_mpi)

PyObject *pympi_op_new(MPI_Op h, unsigned flags)
{
    PyMPIOpObject *self = (PyMPIOpObject *)PyMPIOp_Type.tp_alloc(&PyMPIOp_Type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = h;
    self->flags = flags;
    return (PyObject *)self;
}

int pympi_conv_op(PyObject *o, void *out)
{
    
    if (!PyObject_TypeCheck(o, &PyMPIOp_Type)) {
        PyErr_Format(PyExc_TypeError, "expected an MPI.Op, got %.100s", Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Op *)out = HANDLE(o);
    return 1;
}

static PyObject *tp_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &PyMPIOp_Type) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int eq = HANDLE(a) == HANDLE(b);
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static int tp_bool(PyObject *self)
{
    return HANDLE(self) != MPI_OP_NULL;
}

static PyNumberMethods as_number = {.nb_bool = tp_bool};

PyTypeObject PyMPIOp_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Op",
    .tp_basicsize = sizeof(PyMPIOpObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Reduction operation.",
    .tp_richcompare = tp_richcompare,
    .tp_as_number = &as_number,
};

static const struct {
    const char *name;
    MPI_Op op;
} predefined[] = {
    {"SUM", MPI_SUM},
    {"MIN", MPI_MIN},
    {"MAX", MPI_MAX},
    {"PROD", MPI_PROD},
    {"BAND", MPI_BAND},
    {"BOR", MPI_BOR},
    {"BXOR", MPI_BXOR},
    {"LAND", MPI_LAND},
    {"LOR", MPI_LOR},
    {"LXOR", MPI_LXOR},
    {"MINLOC", MPI_MINLOC},
    {"MAXLOC", MPI_MAXLOC},
    {"REPLACE", MPI_REPLACE},
    {"NO_OP", MPI_NO_OP},
};

int pympi_init_op(PyObject *m)
{
    if (PyType_Ready(&PyMPIOp_Type) < 0)
        return -1;
    for (size_t i = 0; i < sizeof predefined / sizeof predefined[0]; i++) {
        PyObject *t = pympi_op_new(predefined[i].op, PYMPI_CONST);
        if (t == NULL || PyModule_AddObject(m, predefined[i].name, t) < 0)
            return -1;
    }
    if (PyModule_AddObjectRef(m, "Op", (PyObject *)&PyMPIOp_Type) < 0)
        return -1;
    PyObject *null = pympi_op_new(MPI_OP_NULL, PYMPI_CONST);
    return null == NULL ? -1 : PyModule_AddObject(m, "OP_NULL", null);
}
