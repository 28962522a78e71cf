/*
 * datatype.c - MPI.Datatype. (Minimal skeleton: object, comparison, MPI_DATATYPE_NULL; the full class comes next.)
 */
#include "pympi.h"

#define HANDLE(self) (((PyMPIDatatypeObject *)(self))->ob_mpi)

PyObject *pympi_datatype_new(MPI_Datatype h, unsigned flags)
{
    PyMPIDatatypeObject *self = (PyMPIDatatypeObject *)PyMPIDatatype_Type.tp_alloc(&PyMPIDatatype_Type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = h;
    self->flags = flags;
    return (PyObject *)self;
}

int pympi_conv_datatype(PyObject *o, void *out)
{
    
    if (!PyObject_TypeCheck(o, &PyMPIDatatype_Type)) {
        PyErr_Format(PyExc_TypeError, "expected an MPI.Datatype, got %.100s", Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Datatype *)out = HANDLE(o);
    return 1;
}

static PyObject *tp_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &PyMPIDatatype_Type) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int eq = HANDLE(a) == HANDLE(b);
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static int tp_bool(PyObject *self)
{
    return HANDLE(self) != MPI_DATATYPE_NULL;
}

static PyNumberMethods as_number = {.nb_bool = tp_bool};

PyTypeObject PyMPIDatatype_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Datatype",
    .tp_basicsize = sizeof(PyMPIDatatypeObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Datatype object.",
    .tp_richcompare = tp_richcompare,
    .tp_as_number = &as_number,
};

static const struct {
    const char *name;
    MPI_Datatype type;
} predefined[] = {
    {"AINT", MPI_AINT},
    {"COUNT", MPI_COUNT},
    {"OFFSET", MPI_OFFSET},
    {"PACKED", MPI_PACKED},
    {"SHORT", MPI_SHORT},
    {"INT", MPI_INT},
    {"LONG", MPI_LONG},
    {"LONG_LONG", MPI_LONG_LONG},
    {"UNSIGNED_SHORT", MPI_UNSIGNED_SHORT},
    {"UNSIGNED", MPI_UNSIGNED},
    {"UNSIGNED_LONG", MPI_UNSIGNED_LONG},
    {"UNSIGNED_LONG_LONG", MPI_UNSIGNED_LONG_LONG},
    {"FLOAT", MPI_FLOAT},
    {"C_FLOAT_COMPLEX", MPI_C_FLOAT_COMPLEX},
    {"CXX_FLOAT_COMPLEX", MPI_CXX_FLOAT_COMPLEX},
    {"DOUBLE", MPI_DOUBLE},
    {"C_DOUBLE_COMPLEX", MPI_C_DOUBLE_COMPLEX},
    {"CXX_DOUBLE_COMPLEX", MPI_CXX_DOUBLE_COMPLEX},
    {"LOGICAL", MPI_LOGICAL},
    {"INTEGER", MPI_INTEGER},
    {"REAL", MPI_REAL},
    {"COMPLEX", MPI_COMPLEX},
    {"DOUBLE_PRECISION", MPI_DOUBLE_PRECISION},
    {"DOUBLE_COMPLEX", MPI_DOUBLE_COMPLEX},
    {"CHARACTER", MPI_CHARACTER},
    {"LONG_DOUBLE", MPI_LONG_DOUBLE},
    {"C_LONG_DOUBLE_COMPLEX", MPI_C_LONG_DOUBLE_COMPLEX},
    {"CXX_LONG_DOUBLE_COMPLEX", MPI_CXX_LONG_DOUBLE_COMPLEX},
    {"FLOAT_INT", MPI_FLOAT_INT},
    {"DOUBLE_INT", MPI_DOUBLE_INT},
    {"LONG_INT", MPI_LONG_INT},
    {"2INT", MPI_2INT},
    {"SHORT_INT", MPI_SHORT_INT},
    {"LONG_DOUBLE_INT", MPI_LONG_DOUBLE_INT},
    {"2REAL", MPI_2REAL},
    {"2DOUBLE_PRECISION", MPI_2DOUBLE_PRECISION},
    {"2INTEGER", MPI_2INTEGER},
    {"C_BOOL", MPI_C_BOOL},
    {"CXX_BOOL", MPI_CXX_BOOL},
    {"WCHAR", MPI_WCHAR},
    {"INT8_T", MPI_INT8_T},
    {"UINT8_T", MPI_UINT8_T},
    {"CHAR", MPI_CHAR},
    {"SIGNED_CHAR", MPI_SIGNED_CHAR},
    {"UNSIGNED_CHAR", MPI_UNSIGNED_CHAR},
    {"BYTE", MPI_BYTE},
    {"INT16_T", MPI_INT16_T},
    {"UINT16_T", MPI_UINT16_T},
    {"INT32_T", MPI_INT32_T},
    {"UINT32_T", MPI_UINT32_T},
    {"INT64_T", MPI_INT64_T},
    {"UINT64_T", MPI_UINT64_T},
    {"LOGICAL1", MPI_LOGICAL1},
    {"INTEGER1", MPI_INTEGER1},
    {"LOGICAL2", MPI_LOGICAL2},
    {"INTEGER2", MPI_INTEGER2},
    {"REAL2", MPI_REAL2},
    {"LOGICAL4", MPI_LOGICAL4},
    {"INTEGER4", MPI_INTEGER4},
    {"REAL4", MPI_REAL4},
    {"COMPLEX4", MPI_COMPLEX4},
    {"LOGICAL8", MPI_LOGICAL8},
    {"INTEGER8", MPI_INTEGER8},
    {"REAL8", MPI_REAL8},
    {"COMPLEX8", MPI_COMPLEX8},
    {"LOGICAL16", MPI_LOGICAL16},
    {"INTEGER16", MPI_INTEGER16},
    {"REAL16", MPI_REAL16},
    {"COMPLEX16", MPI_COMPLEX16},
    {"COMPLEX32", MPI_COMPLEX32},
    {"LONG_LONG_INT", MPI_LONG_LONG_INT},
    {"C_COMPLEX", MPI_C_COMPLEX},
};

int pympi_init_datatype(PyObject *m)
{
    if (PyType_Ready(&PyMPIDatatype_Type) < 0)
        return -1;
    for (size_t i = 0; i < sizeof predefined / sizeof predefined[0]; i++) {
        PyObject *t = pympi_datatype_new(predefined[i].type, PYMPI_CONST);
        if (t == NULL || PyModule_AddObject(m, predefined[i].name, t) < 0)
            return -1;
    }
    if (PyModule_AddObjectRef(m, "Datatype", (PyObject *)&PyMPIDatatype_Type) < 0)
        return -1;
    PyObject *null = pympi_datatype_new(MPI_DATATYPE_NULL, PYMPI_CONST);
    return null == NULL ? -1 : PyModule_AddObject(m, "DATATYPE_NULL", null);
}

PyMethodDef pympi_module_dtype_methods[] = {
    {NULL},
};
