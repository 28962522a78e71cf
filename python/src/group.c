/*
 * group.c - MPI.Group. (Minimal skeleton: object, comparison, MPI_GROUP_NULL; the full class comes next.)
 */
#include "pympi.h"

#define HANDLE(self) (((PyMPIGroupObject *)(self))->ob_mpi)

PyObject *pympi_group_new(MPI_Group h, unsigned flags)
{
    PyMPIGroupObject *self = (PyMPIGroupObject *)PyMPIGroup_Type.tp_alloc(&PyMPIGroup_Type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = h;
    self->flags = flags;
    return (PyObject *)self;
}

int pympi_conv_group(PyObject *o, void *out)
{
    
    if (!PyObject_TypeCheck(o, &PyMPIGroup_Type)) {
        PyErr_Format(PyExc_TypeError, "expected an MPI.Group, got %.100s", Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Group *)out = HANDLE(o);
    return 1;
}

static PyObject *tp_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &PyMPIGroup_Type) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int eq = HANDLE(a) == HANDLE(b);
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static int tp_bool(PyObject *self)
{
    return HANDLE(self) != MPI_GROUP_NULL;
}

static PyNumberMethods as_number = {.nb_bool = tp_bool};

PyTypeObject PyMPIGroup_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Group",
    .tp_basicsize = sizeof(PyMPIGroupObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Group of processes.",
    .tp_richcompare = tp_richcompare,
    .tp_as_number = &as_number,
};

int pympi_init_group(PyObject *m)
{
    if (PyType_Ready(&PyMPIGroup_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Group", (PyObject *)&PyMPIGroup_Type) < 0)
        return -1;
    PyObject *null = pympi_group_new(MPI_GROUP_NULL, PYMPI_CONST);
    return null == NULL ? -1 : PyModule_AddObject(m, "GROUP_NULL", null);
}
