/*
 * exception.c - MPI.Exception: a RuntimeError carrying an MPI error code.
 *
 * Built as a heap subclass of RuntimeError so it behaves like any Python exception
 * (tracebacks, pickling of args); the error code is args[0]. Methods follow mpi4py:
 * Get_error_code(), Get_error_class(), Get_error_string(), the `error_code`,
 * `error_class`, `error_string` properties, int(exc), comparison (and ordering) with ints.
 */
#include "pympi.h"

PyObject *pympi_Exception;

static int exc_code(PyObject *self, int *code)
{
    PyObject *args = PyObject_GetAttrString(self, "args");
    if (args == NULL)
        return -1;
    *code = MPI_ERR_OTHER;
    if (PyTuple_Check(args) && PyTuple_GET_SIZE(args) > 0 &&
        PyLong_Check(PyTuple_GET_ITEM(args, 0)))
        *code = (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 0));
    Py_DECREF(args);
    return PyErr_Occurred() ? -1 : 0;
}

static PyObject *exc_get_error_code(PyObject *self, PyObject *unused)
{
    int code;
    if (exc_code(self, &code) < 0)
        return NULL;
    return PyLong_FromLong(code);
}

/* An unknown code is an error, as in mpi4py: MPI.Exception(ERR_ARG). */
static PyObject *exc_get_error_class(PyObject *self, PyObject *unused)
{
    int code, cls = MPI_ERR_OTHER;
    if (exc_code(self, &code) < 0)
        return NULL;
    int ierr = MPI_Error_class(code, &cls);
    if (ierr != MPI_SUCCESS) {
        pympi_raise(ierr);
        return NULL;
    }
    return PyLong_FromLong(cls);
}

static PyObject *exc_get_error_string(PyObject *self, PyObject *unused)
{
    int code, len = 0;
    char s[MPI_MAX_ERROR_STRING + 1];
    if (exc_code(self, &code) < 0)
        return NULL;
    int ierr = MPI_Error_string(code, s, &len);
    if (ierr != MPI_SUCCESS) {
        pympi_raise(ierr);
        return NULL;
    }
    return PyUnicode_FromStringAndSize(s, len);
}

/* str() never raises (tracebacks print it): an unknown code still gets a text. */
static PyObject *exc_str(PyObject *self)
{
    int code, len = 0;
    char s[MPI_MAX_ERROR_STRING + 1];
    if (exc_code(self, &code) < 0)
        return NULL;
    if (MPI_Error_string(code, s, &len) != MPI_SUCCESS)
        return PyUnicode_FromFormat("unknown error code %d", code);
    return PyUnicode_FromStringAndSize(s, len);
}

static PyObject *exc_repr(PyObject *self)
{
    int code;
    if (exc_code(self, &code) < 0)
        return NULL;
    return PyUnicode_FromFormat("MPI.Exception(%d)", code);
}

static PyObject *exc_int(PyObject *self)
{
    return exc_get_error_code(self, NULL);
}

static int exc_bool(PyObject *self)
{
    int code;
    if (exc_code(self, &code) < 0)
        return -1;
    return code != MPI_SUCCESS;
}

static PyObject *exc_richcompare(PyObject *self, PyObject *other, int op)
{
    int code;
    if (exc_code(self, &code) < 0)
        return NULL;
    PyObject *mine = PyLong_FromLong(code);
    if (mine == NULL)
        return NULL;
    /* Against another MPI.Exception its code; against anything else, as the int would. */
    PyObject *theirs = PyObject_TypeCheck(other, (PyTypeObject *)pympi_Exception)
                           ? exc_get_error_code(other, NULL) : Py_NewRef(other);
    PyObject *r = theirs ? PyObject_RichCompare(mine, theirs, op) : NULL;
    Py_DECREF(mine);
    Py_XDECREF(theirs);
    return r;
}

static Py_hash_t exc_hash(PyObject *self)
{
    int code;
    if (exc_code(self, &code) < 0)
        return -1;
    return code == -1 ? -2 : code;
}

static int exc_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    int code = MPI_SUCCESS;
    static char *kwlist[] = {"ierr", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|i:Exception", kwlist, &code))
        return -1;
    PyObject *a = Py_BuildValue("(i)", code);
    if (a == NULL)
        return -1;
    int r = PyObject_SetAttrString(self, "args", a);
    Py_DECREF(a);
    return r;
}

static PyMethodDef exc_methods[] = {
    {"Get_error_code", exc_get_error_code, METH_NOARGS, "Error code."},
    {"Get_error_class", exc_get_error_class, METH_NOARGS, "Error class of the code."},
    {"Get_error_string", exc_get_error_string, METH_NOARGS, "Error string of the code."},
    {NULL},
};

static PyObject *exc_prop_code(PyObject *self, void *c) { return exc_get_error_code(self, c); }
static PyObject *exc_prop_class(PyObject *self, void *c) { return exc_get_error_class(self, c); }
static PyObject *exc_prop_string(PyObject *self, void *c) { return exc_get_error_string(self, c); }

static PyGetSetDef exc_getset[] = {
    {"error_code", exc_prop_code, NULL, "Error code.", NULL},
    {"error_class", exc_prop_class, NULL, "Error class.", NULL},
    {"error_string", exc_prop_string, NULL, "Error string.", NULL},
    {NULL},
};

static PyType_Slot exc_slots[] = {
    {Py_tp_init, exc_init},
    {Py_tp_str, exc_str},
    {Py_tp_repr, exc_repr},
    {Py_tp_richcompare, exc_richcompare},
    {Py_tp_hash, exc_hash},
    {Py_nb_int, exc_int},
    {Py_nb_bool, exc_bool},
    {Py_tp_methods, exc_methods},
    {Py_tp_getset, exc_getset},
    {Py_tp_doc, "Exception class (a RuntimeError carrying an MPI error code)."},
    {0, NULL},
};

static PyType_Spec exc_spec = {
    .name = "mpi4py.MPI.Exception",
    .basicsize = 0,
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = exc_slots,
};

int pympi_raise(int ierr)
{
    if (pympi_Exception == NULL) {
        PyErr_Format(PyExc_RuntimeError, "MPI error %d", ierr);
        return -1;
    }
    PyObject *exc = PyObject_CallFunction(pympi_Exception, "i", ierr);
    if (exc != NULL) {
        PyErr_SetObject(pympi_Exception, exc);
        Py_DECREF(exc);
    }
    return -1;
}

int pympi_init_exception(PyObject *m)
{
    pympi_Exception = PyType_FromSpecWithBases(&exc_spec, PyExc_RuntimeError);
    if (pympi_Exception == NULL)
        return -1;
    Py_INCREF(pympi_Exception);
    return PyModule_AddObject(m, "Exception", pympi_Exception);
}
