/*
 * status.c - MPI.Status: a Python object embedding an MPI_Status, so receive calls fill
 * it in place. Source, tag and error are plain fields; the element count and the
 * cancelled flag live in the status' opaque part and go through MPI_Get_count,
 * MPI_Get_elements, MPI_Status_set_elements_x and MPI_Status_set_cancelled.
 *
 * py2f/f2py use the integer array form of a status (MPI_F_STATUS_SIZE ints), which in
 * the MPI ABI is the C struct itself.
 */
#include "pympi.h"

#include <string.h>

#define STATUS(self) (&((PyMPIStatusObject *)(self))->ob_mpi)

PyObject *pympi_status_new(const MPI_Status *status)
{
    PyMPIStatusObject *self =
        (PyMPIStatusObject *)PyMPIStatus_Type.tp_alloc(&PyMPIStatus_Type, 0);
    if (self == NULL)
        return NULL;
    if (status != NULL) {
        self->ob_mpi = *status;
    } else {
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
    *(MPI_Status **)out = STATUS(o);
    return 1;
}

static PyObject *status_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *other = NULL;
    static char *kwlist[] = {"status", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:Status", kwlist, &other))
        return NULL;
    if (other == Py_None)
        other = NULL;
    if (other != NULL && !PyObject_TypeCheck(other, &PyMPIStatus_Type)) {
        PyErr_Format(PyExc_TypeError, "status: expected an MPI.Status, got %.100s",
                     Py_TYPE(other)->tp_name);
        return NULL;
    }
    PyMPIStatusObject *self = (PyMPIStatusObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    if (other != NULL) {
        self->ob_mpi = *STATUS(other);
    } else {
        self->ob_mpi.MPI_SOURCE = MPI_ANY_SOURCE;
        self->ob_mpi.MPI_TAG = MPI_ANY_TAG;
        self->ob_mpi.MPI_ERROR = MPI_SUCCESS;
    }
    return (PyObject *)self;
}

static PyObject *status_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &PyMPIStatus_Type) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int eq = memcmp(STATUS(a), STATUS(b), sizeof(MPI_Status)) == 0;
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

/* ---- fields ----------------------------------------------------------------------------- */

static PyObject *status_Get_source(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(STATUS(self)->MPI_SOURCE);
}

static PyObject *status_Get_tag(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(STATUS(self)->MPI_TAG);
}

static PyObject *status_Get_error(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(STATUS(self)->MPI_ERROR);
}

/* Setters share one shape: an int argument stored into one field. */
static int set_field(PyObject *value, const char *name, int *field)
{
    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "cannot delete the status %s", name);
        return -1;
    }
    return pympi_int_arg(value, 0, name, field);
}

/* The one argument of a one-argument method, by position or by `name`. */
static PyObject *one_arg(const char *fname, const char *name, PyObject *const *args,
                         Py_ssize_t nargs, PyObject *kwnames)
{
    const char *const names[] = {name};
    PyObject *a;
    return pympi_bind_args(fname, names, 1, 1, args, nargs, kwnames, &a) < 0 ? NULL : a;
}

static PyObject *status_Set_source(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                   PyObject *kwnames)
{
    PyObject *a = one_arg("Set_source", "source", args, nargs, kwnames);
    if (a == NULL || set_field(a, "source", &STATUS(self)->MPI_SOURCE) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *status_Set_tag(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames)
{
    PyObject *a = one_arg("Set_tag", "tag", args, nargs, kwnames);
    if (a == NULL || set_field(a, "tag", &STATUS(self)->MPI_TAG) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *status_Set_error(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                  PyObject *kwnames)
{
    PyObject *a = one_arg("Set_error", "error", args, nargs, kwnames);
    if (a == NULL || set_field(a, "error", &STATUS(self)->MPI_ERROR) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* ---- counts and cancellation ---------------------------------------------------------- */

static PyObject *status_Get_count(PyObject *self, PyObject *args, PyObject *kwds)
{
    MPI_Datatype type = MPI_BYTE;
    int count = 0;
    static char *kwlist[] = {"datatype", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O&:Get_count", kwlist, pympi_conv_datatype,
                                     &type))
        return NULL;
    PYMPI_CHK(MPI_Get_count(STATUS(self), type, &count));
    return PyLong_FromLong(count);
fail:
    return NULL;
}

static PyObject *status_Get_elements(PyObject *self, PyObject *args, PyObject *kwds)
{
    MPI_Datatype type;
    MPI_Count count = 0;
    static char *kwlist[] = {"datatype", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O&:Get_elements", kwlist,
                                     pympi_conv_datatype, &type))
        return NULL;
    PYMPI_CHK(MPI_Get_elements_c(STATUS(self), type, &count));
    return PyLong_FromLongLong(count);
fail:
    return NULL;
}

static PyObject *status_Set_elements(PyObject *self, PyObject *args, PyObject *kwds)
{
    MPI_Datatype type;
    long long count;
    static char *kwlist[] = {"datatype", "count", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O&L:Set_elements", kwlist,
                                     pympi_conv_datatype, &type, &count))
        return NULL;
    PYMPI_CHK(MPI_Status_set_elements_x(STATUS(self), type, (MPI_Count)count));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *status_Is_cancelled(PyObject *self, PyObject *unused)
{
    int flag = 0;
    PYMPI_CHK(MPI_Test_cancelled(STATUS(self), &flag));
    return PyBool_FromLong(flag);
fail:
    return NULL;
}

static int set_cancelled(PyObject *self, PyObject *arg)
{
    int flag = PyObject_IsTrue(arg);
    if (flag < 0)
        return -1;
    PYMPI_CHK(MPI_Status_set_cancelled(STATUS(self), flag));
    return 0;
fail:
    return -1;
}

static PyObject *status_Set_cancelled(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                      PyObject *kwnames)
{
    PyObject *a = one_arg("Set_cancelled", "flag", args, nargs, kwnames);
    if (a == NULL || set_cancelled(self, a) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* ---- integer array form -------------------------------------------------------------- */

static PyObject *status_py2f(PyObject *self, PyObject *unused)
{
    int f[MPI_F_STATUS_SIZE];
    memcpy(f, STATUS(self), sizeof f);
    PyObject *list = PyList_New(MPI_F_STATUS_SIZE);
    for (int i = 0; list != NULL && i < MPI_F_STATUS_SIZE; i++) {
        PyObject *v = PyLong_FromLong(f[i]);
        if (v == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, i, v);
    }
    return list;
}

static PyObject *status_f2py(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames)
{
    int f[MPI_F_STATUS_SIZE];
    PyObject *arg = one_arg("f2py", "arg", args, nargs, kwnames);
    if (arg == NULL)
        return NULL;
    PyObject *seq = PySequence_Fast(arg, "arg: expected a sequence of integers");
    if (seq == NULL)
        return NULL;
    if (PySequence_Fast_GET_SIZE(seq) != MPI_F_STATUS_SIZE) {
        PyErr_Format(PyExc_ValueError, "arg: expected %d integers, got %zd", MPI_F_STATUS_SIZE,
                     PySequence_Fast_GET_SIZE(seq));
        Py_DECREF(seq);
        return NULL;
    }
    for (int i = 0; i < MPI_F_STATUS_SIZE; i++) {
        if (pympi_int_arg(PySequence_Fast_GET_ITEM(seq, i), 0, "arg", &f[i]) < 0) {
            Py_DECREF(seq);
            return NULL;
        }
    }
    Py_DECREF(seq);
    PyMPIStatusObject *self = (PyMPIStatusObject *)((PyTypeObject *)cls)->tp_alloc(
        (PyTypeObject *)cls, 0);
    if (self != NULL)
        memcpy(&self->ob_mpi, f, sizeof f);
    return (PyObject *)self;
}

/* ---- properties ------------------------------------------------------------------------ */

static PyObject *status_get_source(PyObject *self, void *c)
{
    return status_Get_source(self, NULL);
}

static PyObject *status_get_tag(PyObject *self, void *c)
{
    return status_Get_tag(self, NULL);
}

static PyObject *status_get_error(PyObject *self, void *c)
{
    return status_Get_error(self, NULL);
}

static int status_set_source(PyObject *self, PyObject *v, void *c)
{
    return set_field(v, "source", &STATUS(self)->MPI_SOURCE);
}

static int status_set_tag(PyObject *self, PyObject *v, void *c)
{
    return set_field(v, "tag", &STATUS(self)->MPI_TAG);
}

static int status_set_error(PyObject *self, PyObject *v, void *c)
{
    return set_field(v, "error", &STATUS(self)->MPI_ERROR);
}

static PyObject *status_get_count(PyObject *self, void *c)
{
    int count = 0;
    PYMPI_CHK(MPI_Get_count(STATUS(self), MPI_BYTE, &count));
    return PyLong_FromLong(count);
fail:
    return NULL;
}

static PyObject *status_get_cancelled(PyObject *self, void *c)
{
    return status_Is_cancelled(self, NULL);
}

static int status_set_cancelled(PyObject *self, PyObject *v, void *c)
{
    if (v == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete the status cancelled flag");
        return -1;
    }
    return set_cancelled(self, v);
}

static PyMethodDef status_methods[] = {
    {"Get_source", status_Get_source, METH_NOARGS,
     "Get_source($self, /)\n--\n\n" "Message source."},
    {"Set_source", PYMPI_FASTCALL(status_Set_source),
     "Set_source($self, /, source)\n--\n\n" "Set the message source."},
    {"Get_tag", status_Get_tag, METH_NOARGS, "Get_tag($self, /)\n--\n\nMessage tag."},
    {"Set_tag", PYMPI_FASTCALL(status_Set_tag),
     "Set_tag($self, /, tag)\n--\n\n" "Set the message tag."},
    {"Get_error", status_Get_error, METH_NOARGS, "Get_error($self, /)\n--\n\nMessage error."},
    {"Set_error", PYMPI_FASTCALL(status_Set_error),
     "Set_error($self, /, error)\n--\n\n" "Set the message error."},
    {"Get_count", (PyCFunction)(void (*)(void))status_Get_count, METH_VARARGS | METH_KEYWORDS,
     "Get_count(self, datatype=BYTE)\n\n" "Number of top-level elements received."},
    {"Get_elements", (PyCFunction)(void (*)(void))status_Get_elements,
     METH_VARARGS | METH_KEYWORDS,
     "Get_elements($self, /, datatype)\n--\n\n" "Number of basic elements received."},
    {"Set_elements", (PyCFunction)(void (*)(void))status_Set_elements,
     METH_VARARGS | METH_KEYWORDS,
     "Set_elements($self, /, datatype, count)\n--\n\n" "Set the number of basic elements."},
    {"Is_cancelled", status_Is_cancelled, METH_NOARGS,
     "Is_cancelled($self, /)\n--\n\n" "Whether the request was cancelled."},
    {"Set_cancelled", PYMPI_FASTCALL(status_Set_cancelled),
     "Set_cancelled($self, /, flag)\n--\n\n" "Set the cancelled flag."},
    {"py2f", status_py2f, METH_NOARGS,
     "py2f($self, /)\n--\n\n" "The status as a list of integers."},
    {"f2py", (PyCFunction)(void (*)(void))status_f2py,
     METH_FASTCALL | METH_KEYWORDS | METH_CLASS,
     "f2py($type, /, arg)\n--\n\n" "Status from a list of integers."},
    {NULL},
};

static PyGetSetDef status_getset[] = {
    {"source", status_get_source, status_set_source, "Message source.", NULL},
    {"tag", status_get_tag, status_set_tag, "Message tag.", NULL},
    {"error", status_get_error, status_set_error, "Message error.", NULL},
    {"count", status_get_count, NULL, "Byte count.", NULL},
    {"cancelled", status_get_cancelled, status_set_cancelled, "Cancelled state.", NULL},
    {NULL},
};

PyTypeObject PyMPIStatus_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Status",
    .tp_basicsize = sizeof(PyMPIStatusObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Status object.",
    .tp_new = status_tp_new,
    .tp_richcompare = status_richcompare,
    .tp_methods = status_methods,
    .tp_getset = status_getset,
};

int pympi_init_status(PyObject *m)
{
    if (PyType_Ready(&PyMPIStatus_Type) < 0)
        return -1;
    return PyModule_AddObjectRef(m, "Status", (PyObject *)&PyMPIStatus_Type);
}
