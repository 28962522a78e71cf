/*
 * info.c - MPI.Info: the MPI calls (Create, Dup, Free, Get, Set, Delete, Get_nkeys,
 * Get_nthkey), integer handles, the predefined INFO_NULL and INFO_ENV, and the mapping
 * protocol mpi4py gives Info (len, in, iteration, [], get/keys/values/items/update/pop/
 * popitem/copy/clear).
 *
 * As in mpi4py, the mapping methods treat INFO_NULL as an empty, read-only mapping (reads
 * see nothing, writes raise KeyError) while the MPI-named methods pass it to MPI, which
 * raises MPI.Exception(ERR_INFO). Keys and values are str; MPI checks their lengths.
 */
#include "pympi.h"

#include <string.h>

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
    if (o == Py_None) {
        *(MPI_Info *)out = MPI_INFO_NULL;
        return 1;
    }
    if (!PyObject_TypeCheck(o, &PyMPIInfo_Type)) {
        PyErr_Format(PyExc_TypeError, "info: expected an MPI.Info, got %.100s",
                     Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Info *)out = HANDLE(o);
    return 1;
}

/* A str argument as UTF-8 without embedded NULs (what MPI can take). */
static const char *str_arg(PyObject *o, const char *name)
{
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s: expected a str, got %.100s", name,
                     Py_TYPE(o)->tp_name);
        return NULL;
    }
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(o, &len);
    if (s != NULL && strlen(s) != (size_t)len) {
        PyErr_Format(PyExc_ValueError, "%s: embedded null character", name);
        return NULL;
    }
    return s;
}

/* The value of `key`: a new str, or NULL with *found = 0 (no error) when absent. */
static PyObject *info_lookup(MPI_Info info, const char *key, int maxlen, int *found)
{
    char value[MPI_MAX_INFO_VAL + 1];
    if (maxlen < 0 || maxlen > MPI_MAX_INFO_VAL)
        maxlen = MPI_MAX_INFO_VAL;
    *found = 0;
    int ierr = MPI_Info_get(info, key, maxlen, value, found);
    if (ierr != MPI_SUCCESS) {
        pympi_raise(ierr);
        return NULL;
    }
    return *found ? PyUnicode_FromString(value) : NULL;
}

static PyObject *nthkey(MPI_Info info, int n)
{
    char key[MPI_MAX_INFO_KEY + 1];
    int ierr = MPI_Info_get_nthkey(info, n, key);
    if (ierr != MPI_SUCCESS) {
        pympi_raise(ierr);
        return NULL;
    }
    return PyUnicode_FromString(key);
}

static int nkeys(MPI_Info info, int *n)
{
    *n = 0;
    if (info == MPI_INFO_NULL)
        return 0;
    int ierr = MPI_Info_get_nkeys(info, n);
    return ierr == MPI_SUCCESS ? 0 : pympi_raise(ierr);
}

/* ---- object protocol ------------------------------------------------------------------- */

static PyObject *tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *other = NULL;
    static char *kwlist[] = {"info", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:Info", kwlist, &other))
        return NULL;
    MPI_Info h = MPI_INFO_NULL;
    if (other != NULL && !pympi_conv_info(other, &h))
        return NULL;
    PyMPIInfoObject *self = (PyMPIInfoObject *)type->tp_alloc(type, 0);
    if (self != NULL)
        self->ob_mpi = h;
    return (PyObject *)self;
}

PYMPI_HANDLE_COMPARE(tp, Info, MPI_INFO_NULL)

/* ---- MPI methods ------------------------------------------------------------------------- */

static PyObject *info_Create(PyObject *cls, PyObject *unused)
{
    MPI_Info info = MPI_INFO_NULL;
    PYMPI_CHK(MPI_Info_create(&info));
    PyMPIInfoObject *self =
        (PyMPIInfoObject *)((PyTypeObject *)cls)->tp_alloc((PyTypeObject *)cls, 0);
    if (self == NULL) {
        MPI_Info_free(&info);
        return NULL;
    }
    self->ob_mpi = info;
    self->flags = PYMPI_OWNED;
    return (PyObject *)self;
fail:
    return NULL;
}

static PyObject *info_Free(PyObject *self, PyObject *unused)
{
    PyMPIInfoObject *i = (PyMPIInfoObject *)self;
    MPI_Info h = i->ob_mpi;
    PYMPI_CHK(MPI_Info_free(&h));
    if (!(i->flags & PYMPI_CONST))
        i->ob_mpi = h;
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *info_Dup(PyObject *self, PyObject *unused)
{
    MPI_Info info = MPI_INFO_NULL;
    PYMPI_CHK(MPI_Info_dup(HANDLE(self), &info));
    PyObject *r = pympi_info_new(info, PYMPI_OWNED);
    if (r == NULL)
        MPI_Info_free(&info);
    return r;
fail:
    return NULL;
}

static PyObject *info_Get(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames)
{
    static const char *const names[] = {"key", "maxlen"};
    PyObject *a[2];
    int maxlen, found;
    const char *key;
    if (pympi_bind_args("Get", names, 1, 2, args, nargs, kwnames, a) < 0 ||
        (key = str_arg(a[0], "key")) == NULL || pympi_int_arg(a[1], -1, "maxlen", &maxlen) < 0)
        return NULL;
    PyObject *v = info_lookup(HANDLE(self), key, maxlen, &found);
    if (v == NULL && !PyErr_Occurred())
        Py_RETURN_NONE;
    return v;
}

static PyObject *info_Set(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames)
{
    static const char *const names[] = {"key", "value"};
    PyObject *a[2];
    const char *key, *value;
    if (pympi_bind_args("Set", names, 2, 2, args, nargs, kwnames, a) < 0 ||
        (key = str_arg(a[0], "key")) == NULL || (value = str_arg(a[1], "value")) == NULL)
        return NULL;
    PYMPI_CHK(MPI_Info_set(HANDLE(self), key, value));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *info_Delete(PyObject *self, PyObject *arg)
{
    const char *key = str_arg(arg, "key");
    if (key == NULL)
        return NULL;
    PYMPI_CHK(MPI_Info_delete(HANDLE(self), key));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *info_Get_nkeys(PyObject *self, PyObject *unused)
{
    int n;
    PYMPI_CHK(MPI_Info_get_nkeys(HANDLE(self), &n));
    return PyLong_FromLong(n);
fail:
    return NULL;
}

static PyObject *info_Get_nthkey(PyObject *self, PyObject *arg)
{
    int n;
    if (pympi_int_arg(arg, 0, "n", &n) < 0)
        return NULL;
    return nthkey(HANDLE(self), n);
}

static PyObject *info_py2f(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(MPI_Info_toint(HANDLE(self)));
}

static PyObject *info_f2py(PyObject *cls, PyObject *arg)
{
    int v;
    if (pympi_int_arg(arg, 0, "arg", &v) < 0)
        return NULL;
    PyMPIInfoObject *self =
        (PyMPIInfoObject *)((PyTypeObject *)cls)->tp_alloc((PyTypeObject *)cls, 0);
    if (self != NULL)
        self->ob_mpi = MPI_Info_fromint(v);
    return (PyObject *)self;
}

/* ---- mapping protocol -------------------------------------------------------------------- */

static Py_ssize_t mp_length(PyObject *self)
{
    int n;
    return nkeys(HANDLE(self), &n) < 0 ? -1 : n;
}

static PyObject *mp_subscript(PyObject *self, PyObject *key)
{
    const char *k = str_arg(key, "key");
    if (k == NULL)
        return NULL;
    int found = 0;
    PyObject *v = HANDLE(self) == MPI_INFO_NULL ? NULL : info_lookup(HANDLE(self), k, -1, &found);
    if (v == NULL && !PyErr_Occurred())
        PyErr_SetObject(PyExc_KeyError, key);
    return v;
}

static int mp_ass_subscript(PyObject *self, PyObject *key, PyObject *value)
{
    const char *k = str_arg(key, "key"), *v = NULL;
    if (k == NULL || (value != NULL && (v = str_arg(value, "value")) == NULL))
        return -1;
    MPI_Info info = HANDLE(self);
    int found = 0;
    if (info != MPI_INFO_NULL && value == NULL) {
        PyObject *old = info_lookup(info, k, 0, &found);
        if (old == NULL && PyErr_Occurred())
            return -1;
        Py_XDECREF(old);
    }
    if (info == MPI_INFO_NULL || (value == NULL && !found)) {
        PyErr_SetObject(PyExc_KeyError, key);
        return -1;
    }
    int ierr = value == NULL ? MPI_Info_delete(info, k) : MPI_Info_set(info, k, v);
    return ierr == MPI_SUCCESS ? 0 : pympi_raise(ierr);
}

static int sq_contains(PyObject *self, PyObject *key)
{
    const char *k = str_arg(key, "key");
    if (k == NULL)
        return -1;
    if (HANDLE(self) == MPI_INFO_NULL)
        return 0;
    int found = 0;
    PyObject *v = info_lookup(HANDLE(self), k, 0, &found);
    if (v == NULL && PyErr_Occurred())
        return -1;
    Py_XDECREF(v);
    return found;
}

enum { ITEMS_KEYS, ITEMS_VALUES, ITEMS_PAIRS };

/* keys(), values() or items() as a new list, in the info object's key order. */
static PyObject *info_list(PyObject *self, int what)
{
    MPI_Info info = HANDLE(self);
    int n;
    if (nkeys(info, &n) < 0)
        return NULL;
    PyObject *list = PyList_New(n);
    for (int i = 0; list != NULL && i < n; i++) {
        PyObject *key = nthkey(info, i), *value = NULL, *item = NULL;
        if (key != NULL && what != ITEMS_KEYS) {
            int found;
            value = info_lookup(info, PyUnicode_AsUTF8(key), -1, &found);
            if (value == NULL && !PyErr_Occurred())
                value = PyUnicode_New(0, 0);  /* deleted meanwhile by another thread */
        }
        if (what == ITEMS_KEYS)
            item = Py_XNewRef(key);
        else if (what == ITEMS_VALUES)
            item = Py_XNewRef(value);
        else if (key != NULL && value != NULL)
            item = PyTuple_Pack(2, key, value);
        Py_XDECREF(key);
        Py_XDECREF(value);
        if (item == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, item);
    }
    return list;
}

static PyObject *info_keys(PyObject *self, PyObject *unused) { return info_list(self, ITEMS_KEYS); }
static PyObject *info_values(PyObject *self, PyObject *unused) { return info_list(self, ITEMS_VALUES); }
static PyObject *info_items(PyObject *self, PyObject *unused) { return info_list(self, ITEMS_PAIRS); }

static PyObject *tp_iter(PyObject *self)
{
    PyObject *keys = info_list(self, ITEMS_KEYS);
    if (keys == NULL)
        return NULL;
    PyObject *it = PyObject_GetIter(keys);
    Py_DECREF(keys);
    return it;
}

static PyObject *info_get(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames)
{
    static const char *const names[] = {"key", "default"};
    PyObject *a[2];
    const char *key;
    if (pympi_bind_args("get", names, 1, 2, args, nargs, kwnames, a) < 0 ||
        (key = str_arg(a[0], "key")) == NULL)
        return NULL;
    int found = 0;
    PyObject *v = HANDLE(self) == MPI_INFO_NULL ? NULL : info_lookup(HANDLE(self), key, -1, &found);
    if (v == NULL && !PyErr_Occurred())
        v = Py_NewRef(a[1] != NULL ? a[1] : Py_None);
    return v;
}

static PyObject *info_pop(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_Format(PyExc_TypeError, "pop() takes 1 or 2 arguments (%zd given)", nargs);
        return NULL;
    }
    const char *key = str_arg(args[0], "key");
    if (key == NULL)
        return NULL;
    int found = 0;
    MPI_Info info = HANDLE(self);
    PyObject *v = info == MPI_INFO_NULL ? NULL : info_lookup(info, key, -1, &found);
    if (v == NULL) {
        if (PyErr_Occurred())
            return NULL;
        if (nargs == 2)
            return Py_NewRef(args[1]);
        PyErr_SetObject(PyExc_KeyError, args[0]);
        return NULL;
    }
    int ierr = MPI_Info_delete(info, key);
    if (ierr != MPI_SUCCESS) {
        Py_DECREF(v);
        pympi_raise(ierr);
        return NULL;
    }
    return v;
}

static PyObject *info_popitem(PyObject *self, PyObject *unused)
{
    MPI_Info info = HANDLE(self);
    int n;
    if (nkeys(info, &n) < 0)
        return NULL;
    if (n == 0) {
        PyErr_SetString(PyExc_KeyError, "popitem(): info is empty");
        return NULL;
    }
    PyObject *key = nthkey(info, n - 1);
    if (key == NULL)
        return NULL;
    PyObject *value = mp_subscript(self, key);
    PyObject *item = value ? PyTuple_Pack(2, key, value) : NULL;
    Py_XDECREF(value);
    if (item != NULL && mp_ass_subscript(self, key, NULL) < 0)
        Py_CLEAR(item);
    Py_DECREF(key);
    return item;
}

static PyObject *info_copy(PyObject *self, PyObject *unused)
{
    if (HANDLE(self) == MPI_INFO_NULL)
        return pympi_info_new(MPI_INFO_NULL, 0);
    return info_Dup(self, NULL);
}

static PyObject *info_clear(PyObject *self, PyObject *unused)
{
    MPI_Info info = HANDLE(self);
    int n;
    if (nkeys(info, &n) < 0)
        return NULL;
    /* Last key first: deleting does not move the keys before it. */
    while (n-- > 0) {
        PyObject *key = nthkey(info, n);
        if (key == NULL)
            return NULL;
        int ierr = MPI_Info_delete(info, PyUnicode_AsUTF8(key));
        Py_DECREF(key);
        if (ierr != MPI_SUCCESS) {
            pympi_raise(ierr);
            return NULL;
        }
    }
    Py_RETURN_NONE;
}

/* Sets every (key, value) of an iterable of pairs. */
static int update_pairs(PyObject *self, PyObject *pairs)
{
    PyObject *it = PyObject_GetIter(pairs);
    if (it == NULL) {
        PyErr_Format(PyExc_TypeError, "other: expected an Info, a mapping or an iterable of "
                     "(key, value) pairs, got %.100s", Py_TYPE(pairs)->tp_name);
        return -1;
    }
    PyObject *item;
    int rc = 0;
    while (rc == 0 && (item = PyIter_Next(it)) != NULL) {
        PyObject *kv = PySequence_Fast(item, "other: expected (key, value) pairs");
        if (kv == NULL)
            rc = -1;
        else if (PySequence_Fast_GET_SIZE(kv) != 2) {
            PyErr_Format(PyExc_ValueError, "other: expected (key, value) pairs, got an item "
                         "of length %zd", PySequence_Fast_GET_SIZE(kv));
            rc = -1;
        } else {
            rc = mp_ass_subscript(self, PySequence_Fast_GET_ITEM(kv, 0),
                                  PySequence_Fast_GET_ITEM(kv, 1));
        }
        Py_XDECREF(kv);
        Py_DECREF(item);
    }
    Py_DECREF(it);
    return rc == 0 && PyErr_Occurred() ? -1 : rc;
}

static PyObject *info_update(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *other = NULL;
    if (!PyArg_UnpackTuple(args, "update", 0, 1, &other))
        return NULL;
    int rc = 0;
    if (other != NULL) {
        PyObject *pairs;
        if (PyObject_TypeCheck(other, &PyMPIInfo_Type))
            pairs = info_list(other, ITEMS_PAIRS);
        else if (PyDict_Check(other))
            pairs = PyDict_Items(other);
        else if (PyObject_HasAttrString(other, "keys"))
            pairs = PyMapping_Items(other);
        else
            pairs = Py_NewRef(other);
        rc = pairs == NULL ? -1 : update_pairs(self, pairs);
        Py_XDECREF(pairs);
    }
    if (rc == 0 && kwds != NULL) {
        PyObject *pairs = PyDict_Items(kwds);
        rc = pairs == NULL ? -1 : update_pairs(self, pairs);
        Py_XDECREF(pairs);
    }
    if (rc < 0)
        return NULL;
    Py_RETURN_NONE;
}

PYMPI_ONE_ARG(info_Delete, "Delete", "key")
PYMPI_ONE_ARG(info_Get_nthkey, "Get_nthkey", "n")
PYMPI_ONE_ARG(info_f2py, "f2py", "arg")

/* Docstrings start with the signature, for help() and inspect. */
static PyMethodDef info_methods[] = {
    {"Create", info_Create, METH_NOARGS | METH_CLASS,
     "Create($type, /)\n--\n\nCreate a new, empty info object."},
    {"Free", info_Free, METH_NOARGS, "Free($self, /)\n--\n\nFree the info object."},
    {"Dup", info_Dup, METH_NOARGS,
     "Dup($self, /)\n--\n\nDuplicate the info object (same keys, same order)."},
    {"Get", PYMPI_FASTCALL(info_Get),
     "Get($self, /, key, maxlen=-1)\n--\n\n"
     "Value of a key (at most maxlen characters), or None if absent."},
    {"Set", PYMPI_FASTCALL(info_Set),
     "Set($self, /, key, value)\n--\n\nAdd or replace a (key, value) pair."},
    {"Delete", PYMPI_FASTCALL(info_Delete_kw),
     "Delete($self, /, key)\n--\n\nRemove a key (MPI.Exception if absent)."},
    {"Get_nkeys", info_Get_nkeys, METH_NOARGS,
     "Get_nkeys($self, /)\n--\n\nNumber of keys."},
    {"Get_nthkey", PYMPI_FASTCALL(info_Get_nthkey_kw),
     "Get_nthkey($self, /, n)\n--\n\nThe n-th key."},
    {"py2f", info_py2f, METH_NOARGS,
     "py2f($self, /)\n--\n\nInteger handle (MPI_Info_toint)."},
    {"f2py", PYMPI_FASTCALL(info_f2py_kw) | METH_CLASS,
     "f2py($type, /, arg)\n--\n\nInfo from an integer handle."},
    {"get", PYMPI_FASTCALL(info_get),
     "get($self, /, key, default=None)\n--\n\nValue of a key, or default if absent."},
    {"keys", info_keys, METH_NOARGS, "keys($self, /)\n--\n\nList of keys."},
    {"values", info_values, METH_NOARGS, "values($self, /)\n--\n\nList of values."},
    {"items", info_items, METH_NOARGS,
     "items($self, /)\n--\n\nList of (key, value) pairs."},
    {"update", (PyCFunction)(void (*)(void))info_update, METH_VARARGS | METH_KEYWORDS,
     "update($self, other=(), /, **kwds)\n--\n\n"
     "Set the pairs of an Info, a mapping or an iterable of pairs, then keyword ones."},
    {"pop", (PyCFunction)(void (*)(void))info_pop, METH_FASTCALL,
     "pop($self, key, /, *default)\n--\n\n"
     "Remove a key and return its value (or default; KeyError if absent)."},
    {"popitem", info_popitem, METH_NOARGS,
     "popitem($self, /)\n--\n\nRemove and return the last (key, value) pair."},
    {"copy", info_copy, METH_NOARGS, "copy($self, /)\n--\n\nA duplicate of the info object."},
    {"clear", info_clear, METH_NOARGS, "clear($self, /)\n--\n\nRemove every key."},
    {"__reduce__", pympi_reduce_handle, METH_NOARGS, "Pickle by name."},
    {NULL},
};

static PyNumberMethods as_number = {.nb_bool = tp_bool};
static PyMappingMethods as_mapping = {
    .mp_length = mp_length,
    .mp_subscript = mp_subscript,
    .mp_ass_subscript = mp_ass_subscript,
};
static PySequenceMethods as_sequence = {.sq_contains = sq_contains};

PyTypeObject PyMPIInfo_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Info",
    .tp_basicsize = sizeof(PyMPIInfoObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Info object (key/value hints).",
    .tp_new = tp_new,
    .tp_richcompare = tp_richcompare,
    .tp_iter = tp_iter,
    .tp_as_number = &as_number,
    .tp_as_mapping = &as_mapping,
    .tp_as_sequence = &as_sequence,
    .tp_methods = info_methods,
};

int pympi_init_info(PyObject *m)
{
    if (PyType_Ready(&PyMPIInfo_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Info", (PyObject *)&PyMPIInfo_Type) < 0)
        return -1;
    PyObject *null = pympi_info_new(MPI_INFO_NULL, PYMPI_CONST);
    if (null == NULL || PyModule_AddObject(m, "INFO_NULL", null) < 0) {
        Py_XDECREF(null);
        return -1;
    }
    PyObject *env = pympi_info_new(MPI_INFO_ENV, PYMPI_CONST);
    if (env == NULL || PyModule_AddObject(m, "INFO_ENV", env) < 0) {
        Py_XDECREF(env);
        return -1;
    }
    return 0;
}
