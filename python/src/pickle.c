/*
 * pickle.c - MPI.Pickle and the module's MPI.pickle instance: how lower-case methods turn
 * objects into bytes and back. A user may replace `MPI.pickle.dumps`/`loads` (or build a
 * Pickle(dumps, loads, protocol)); the default is the C pickler at the highest protocol.
 */
#include "pympi.h"

#include <structmember.h>

typedef struct {
    PyObject_HEAD
    PyObject *ob_dumps;
    PyObject *ob_loads;
    PyObject *ob_PROTOCOL;      /* an int, or None for the dumps default */
} PyMPIPickleObject;

static PyTypeObject PyMPIPickle_Type;
static PyMPIPickleObject *the_pickle;      /* MPI.pickle */
static PyObject *default_dumps, *default_loads;

PyObject *pympi_pickle_dumps(PyObject *obj)
{
    PyMPIPickleObject *p = the_pickle;
    PyObject *r;
    if (p->ob_PROTOCOL != Py_None) {
        PyObject *args[2] = {obj, p->ob_PROTOCOL};
        r = PyObject_Vectorcall(p->ob_dumps, args, 2, NULL);
    } else {
        r = PyObject_CallOneArg(p->ob_dumps, obj);
    }
    if (r != NULL && !PyBytes_Check(r)) {
        /* A user dumps may return any buffer: keep bytes semantics for the callers. */
        PyObject *b = PyBytes_FromObject(r);
        Py_DECREF(r);
        r = b;
    }
    return r;
}

PyObject *pympi_pickle_loads(const char *buf, Py_ssize_t len)
{
    PyObject *view = PyMemoryView_FromMemory((char *)buf, len, PyBUF_READ);
    if (view == NULL)
        return NULL;
    PyObject *r = PyObject_CallOneArg(the_pickle->ob_loads, view);
    Py_DECREF(view);
    return r;
}

static PyObject *pickle_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *dumps = NULL, *loads = NULL, *protocol = NULL;
    static char *kwlist[] = {"dumps", "loads", "protocol", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|OOO:Pickle", kwlist, &dumps, &loads,
                                     &protocol))
        return NULL;
    PyMPIPickleObject *self = (PyMPIPickleObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->ob_dumps = Py_NewRef(dumps && dumps != Py_None ? dumps : default_dumps);
    self->ob_loads = Py_NewRef(loads && loads != Py_None ? loads : default_loads);
    if (protocol == NULL)
        protocol = (dumps && dumps != Py_None) ? Py_None : NULL;
    if (protocol == NULL) {
        self->ob_PROTOCOL = PyLong_FromLong(5);
        if (self->ob_PROTOCOL == NULL) {
            Py_DECREF(self);
            return NULL;
        }
    } else {
        self->ob_PROTOCOL = Py_NewRef(protocol);
    }
    return (PyObject *)self;
}

static void pickle_dealloc(PyObject *o)
{
    PyMPIPickleObject *self = (PyMPIPickleObject *)o;
    Py_CLEAR(self->ob_dumps);
    Py_CLEAR(self->ob_loads);
    Py_CLEAR(self->ob_PROTOCOL);
    Py_TYPE(o)->tp_free(o);
}

static PyMemberDef pickle_members[] = {
    {"dumps", T_OBJECT_EX, offsetof(PyMPIPickleObject, ob_dumps), 0, "Serializer."},
    {"loads", T_OBJECT_EX, offsetof(PyMPIPickleObject, ob_loads), 0, "Deserializer."},
    {"PROTOCOL", T_OBJECT_EX, offsetof(PyMPIPickleObject, ob_PROTOCOL), 0,
     "Pickle protocol (None: the serializer's default)."},
    {NULL},
};

static PyTypeObject PyMPIPickle_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Pickle",
    .tp_basicsize = sizeof(PyMPIPickleObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Pickle/unpickle Python objects.",
    .tp_new = pickle_tp_new,
    .tp_dealloc = pickle_dealloc,
    .tp_members = pickle_members,
};

int pympi_init_pickle(PyObject *m)
{
    PyObject *mod = PyImport_ImportModule("pickle");
    if (mod == NULL)
        return -1;
    default_dumps = PyObject_GetAttrString(mod, "dumps");
    default_loads = PyObject_GetAttrString(mod, "loads");
    Py_DECREF(mod);
    if (default_dumps == NULL || default_loads == NULL)
        return -1;
    if (PyType_Ready(&PyMPIPickle_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Pickle", (PyObject *)&PyMPIPickle_Type) < 0)
        return -1;
    the_pickle = (PyMPIPickleObject *)PyObject_CallNoArgs((PyObject *)&PyMPIPickle_Type);
    if (the_pickle == NULL)
        return -1;
    return PyModule_AddObjectRef(m, "pickle", (PyObject *)the_pickle);
}
