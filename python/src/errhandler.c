/*
 * errhandler.c - MPI.Errhandler and the predefined ERRHANDLER_NULL, ERRORS_RETURN,
 * ERRORS_ARE_FATAL and ERRORS_ABORT.
 *
 * mpi4py 3.1 creates no error handlers of its own (there is no Comm.Create_errhandler),
 * so an Errhandler object is one of the predefined handlers or what Comm.Get_errhandler
 * returned; Free() releases the reference Get_errhandler gave. Freeing a module constant
 * leaves the constant intact: the library accepts freeing a predefined handler and does
 * nothing, and MPI.ERRORS_RETURN must stay usable afterwards.
 */
#include "pympi.h"

#define HANDLE(self) (((PyMPIErrhandlerObject *)(self))->ob_mpi)

PyObject *pympi_errhandler_new(MPI_Errhandler h, unsigned flags)
{
    PyMPIErrhandlerObject *self =
        (PyMPIErrhandlerObject *)PyMPIErrhandler_Type.tp_alloc(&PyMPIErrhandler_Type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = h;
    self->flags = flags;
    return (PyObject *)self;
}

int pympi_conv_errhandler(PyObject *o, void *out)
{
    if (!PyObject_TypeCheck(o, &PyMPIErrhandler_Type)) {
        PyErr_Format(PyExc_TypeError, "errhandler: expected an MPI.Errhandler, got %.100s",
                     Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Errhandler *)out = HANDLE(o);
    return 1;
}

static PyObject *tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *other = NULL;
    static char *kwlist[] = {"errhandler", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:Errhandler", kwlist, &other))
        return NULL;
    MPI_Errhandler h = MPI_ERRHANDLER_NULL;
    if (other != NULL && other != Py_None && !pympi_conv_errhandler(other, &h))
        return NULL;
    PyMPIErrhandlerObject *self = (PyMPIErrhandlerObject *)type->tp_alloc(type, 0);
    if (self != NULL)
        self->ob_mpi = h;
    return (PyObject *)self;
}

PYMPI_HANDLE_COMPARE(tp, Errhandler, MPI_ERRHANDLER_NULL)

static PyObject *eh_Free(PyObject *self, PyObject *unused)
{
    PyMPIErrhandlerObject *e = (PyMPIErrhandlerObject *)self;
    MPI_Errhandler h = e->ob_mpi;
    PYMPI_CHK(MPI_Errhandler_free(&h));
    if (!(e->flags & PYMPI_CONST))
        e->ob_mpi = h;
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *eh_py2f(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(MPI_Errhandler_toint(HANDLE(self)));
}

static PyObject *eh_f2py(PyObject *cls, PyObject *arg)
{
    int v;
    if (pympi_int_arg(arg, 0, "arg", &v) < 0)
        return NULL;
    PyMPIErrhandlerObject *self =
        (PyMPIErrhandlerObject *)((PyTypeObject *)cls)->tp_alloc((PyTypeObject *)cls, 0);
    if (self != NULL)
        self->ob_mpi = MPI_Errhandler_fromint(v);
    return (PyObject *)self;
}

PYMPI_ONE_ARG(eh_f2py, "f2py", "arg")

static PyMethodDef eh_methods[] = {
    {"Free", eh_Free, METH_NOARGS, "Free($self, /)\n--\n\nFree the error handler."},
    {"py2f", eh_py2f, METH_NOARGS,
     "py2f($self, /)\n--\n\nInteger handle (MPI_Errhandler_toint)."},
    {"f2py", PYMPI_FASTCALL(eh_f2py_kw) | METH_CLASS,
     "f2py($type, /, arg)\n--\n\nErrhandler from an integer handle."},
    {"__reduce__", pympi_reduce_handle, METH_NOARGS, "Pickle by name."},
    {NULL},
};

static PyNumberMethods as_number = {.nb_bool = tp_bool};

PyTypeObject PyMPIErrhandler_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Errhandler",
    .tp_basicsize = sizeof(PyMPIErrhandlerObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Error handler.",
    .tp_new = tp_new,
    .tp_richcompare = tp_richcompare,
    .tp_as_number = &as_number,
    .tp_methods = eh_methods,
};

int pympi_init_errhandler(PyObject *m)
{
    static const struct {
        const char *name;
        MPI_Errhandler h;
    } predefined[] = {
        {"ERRHANDLER_NULL", MPI_ERRHANDLER_NULL},
        {"ERRORS_RETURN", MPI_ERRORS_RETURN},
        {"ERRORS_ARE_FATAL", MPI_ERRORS_ARE_FATAL},
        {"ERRORS_ABORT", MPI_ERRORS_ABORT},
    };
    if (PyType_Ready(&PyMPIErrhandler_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Errhandler", (PyObject *)&PyMPIErrhandler_Type) < 0)
        return -1;
    for (size_t i = 0; i < sizeof predefined / sizeof predefined[0]; i++) {
        PyObject *o = pympi_errhandler_new(predefined[i].h, PYMPI_CONST);
        if (o == NULL || PyModule_AddObject(m, predefined[i].name, o) < 0) {
            Py_XDECREF(o);
            return -1;
        }
    }
    return 0;
}
