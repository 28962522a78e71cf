/*
 * group.c - MPI.Group: size and rank, rank translation, comparison, the set operations
 * (Union, Intersection, Difference: class methods, as in mpi4py), Incl/Excl and their range
 * forms, Free, integer handles, and the predefined GROUP_NULL and GROUP_EMPTY.
 *
 * Groups are local objects: nothing here communicates, so the GIL stays held. Like every
 * handle class, an object never frees its group when garbage-collected; Free() does.
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
        PyErr_Format(PyExc_TypeError, "group: expected an MPI.Group, got %.100s",
                     Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Group *)out = HANDLE(o);
    return 1;
}

/* A Group argument named `name` in the TypeError. */
static int group_arg(PyObject *o, const char *name, MPI_Group *out)
{
    if (!PyObject_TypeCheck(o, &PyMPIGroup_Type)) {
        PyErr_Format(PyExc_TypeError, "%s: expected an MPI.Group, got %.100s", name,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    *out = HANDLE(o);
    return 0;
}

/* A sequence of ints as a PyMem array (NULL-safe to free), its length in *n. 0 or -1. */
static int int_array(PyObject *seq, const char *name, int **out, int *n)
{
    *out = pympi_int_array(seq, -1, name, n);
    return *out == NULL ? -1 : 0;
}

/* A sequence of (first, last, stride) triples as a malloc'ed int[n][3]. */
static int range_array(PyObject *seq, const char *name, int (**out)[3], int *n)
{
    *out = NULL;
    PyObject *fast = PySequence_Fast(seq, "");
    if (fast == NULL) {
        PyErr_Format(PyExc_TypeError, "%s: expected a sequence of (first, last, stride), "
                     "got %.100s", name, Py_TYPE(seq)->tp_name);
        return -1;
    }
    Py_ssize_t len = PySequence_Fast_GET_SIZE(fast);
    int(*a)[3] = len > INT32_MAX ? NULL : PyMem_Malloc(sizeof *a * (size_t)(len ? len : 1));
    if (a == NULL) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *t = PySequence_Fast(PySequence_Fast_GET_ITEM(fast, i), "");
        int ok = t != NULL && PySequence_Fast_GET_SIZE(t) == 3;
        if (t == NULL)
            PyErr_Format(PyExc_TypeError, "%s[%zd]: expected a (first, last, stride) triple",
                         name, i);
        else if (!ok)
            PyErr_Format(PyExc_ValueError, "%s[%zd]: expected 3 items (first, last, stride), "
                         "got %zd", name, i, PySequence_Fast_GET_SIZE(t));
        for (int k = 0; ok && k < 3; k++)
            ok = pympi_int_arg(PySequence_Fast_GET_ITEM(t, k), 0, name, &a[i][k]) == 0;
        Py_XDECREF(t);
        if (!ok) {
            PyMem_Free(a);
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    *out = a;
    *n = (int)len;
    return 0;
}

/* ---- object protocol ------------------------------------------------------------------- */

static PyObject *tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *other = NULL;
    static char *kwlist[] = {"group", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:Group", kwlist, &other))
        return NULL;
    MPI_Group h = MPI_GROUP_NULL;
    if (other != NULL && other != Py_None && group_arg(other, "group", &h) < 0)
        return NULL;
    PyMPIGroupObject *self = (PyMPIGroupObject *)type->tp_alloc(type, 0);
    if (self != NULL)
        self->ob_mpi = h;
    return (PyObject *)self;
}

PYMPI_HANDLE_COMPARE(tp, Group, MPI_GROUP_NULL)

/* ---- queries ----------------------------------------------------------------------------- */

static PyObject *group_Get_size(PyObject *self, PyObject *unused)
{
    int size;
    PYMPI_CHK(MPI_Group_size(HANDLE(self), &size));
    return PyLong_FromLong(size);
fail:
    return NULL;
}

static PyObject *group_Get_rank(PyObject *self, PyObject *unused)
{
    int rank;
    PYMPI_CHK(MPI_Group_rank(HANDLE(self), &rank));
    return PyLong_FromLong(rank);
fail:
    return NULL;
}

static PyObject *group_get_size(PyObject *self, void *c) { return group_Get_size(self, NULL); }
static PyObject *group_get_rank(PyObject *self, void *c) { return group_Get_rank(self, NULL); }

static PyObject *group_Translate_ranks(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                                       PyObject *kwnames)
{
    static const char *const names[] = {"group1", "ranks1", "group2"};
    PyObject *a[3];
    MPI_Group g1, g2 = MPI_GROUP_NULL, world = MPI_GROUP_NULL;
    int *ranks1 = NULL, *ranks2 = NULL, n = 0;
    PyObject *result = NULL;
    if (pympi_bind_args("Translate_ranks", names, 2, 3, args, nargs, kwnames, a) < 0 ||
        group_arg(a[0], "group1", &g1) < 0 ||
        (a[2] != NULL && a[2] != Py_None && group_arg(a[2], "group2", &g2) < 0) ||
        int_array(a[1], "ranks1", &ranks1, &n) < 0)
        return NULL;
    if (a[2] == NULL || a[2] == Py_None) {
        /* No group2: translate to ranks in COMM_WORLD, as mpi4py does. */
        PYMPI_CHK(MPI_Comm_group(MPI_COMM_WORLD, &world));
        g2 = world;
    }
    ranks2 = PyMem_Malloc(sizeof *ranks2 * (size_t)(n ? n : 1));
    if (ranks2 == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    PYMPI_CHK(MPI_Group_translate_ranks(g1, n, ranks1, g2, ranks2));
    result = PyList_New(n);
    for (int i = 0; result != NULL && i < n; i++) {
        PyObject *v = PyLong_FromLong(ranks2[i]);
        if (v == NULL)
            Py_CLEAR(result);
        else
            PyList_SET_ITEM(result, i, v);
    }
fail:
    if (world != MPI_GROUP_NULL)
        MPI_Group_free(&world);
    PyMem_Free(ranks1);
    PyMem_Free(ranks2);
    return result;
}

static PyObject *group_Compare(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                               PyObject *kwnames)
{
    static const char *const names[] = {"group1", "group2"};
    PyObject *a[2];
    MPI_Group g1, g2;
    int result;
    if (pympi_bind_args("Compare", names, 2, 2, args, nargs, kwnames, a) < 0 ||
        group_arg(a[0], "group1", &g1) < 0 || group_arg(a[1], "group2", &g2) < 0)
        return NULL;
    PYMPI_CHK(MPI_Group_compare(g1, g2, &result));
    return PyLong_FromLong(result);
fail:
    return NULL;
}

/* ---- constructors ------------------------------------------------------------------------ */

static PyObject *group_Dup(PyObject *self, PyObject *unused)
{
    MPI_Group out = MPI_GROUP_NULL;
    PYMPI_CHK(MPI_Group_union(HANDLE(self), MPI_GROUP_EMPTY, &out));
    return pympi_group_new(out, PYMPI_OWNED);
fail:
    return NULL;
}

typedef int (*setop_fn)(MPI_Group, MPI_Group, MPI_Group *);

static PyObject *set_op(const char *fname, setop_fn fn, PyObject *const *args,
                        Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"group1", "group2"};
    PyObject *a[2];
    MPI_Group g1, g2, out = MPI_GROUP_NULL;
    if (pympi_bind_args(fname, names, 2, 2, args, nargs, kwnames, a) < 0 ||
        group_arg(a[0], "group1", &g1) < 0 || group_arg(a[1], "group2", &g2) < 0)
        return NULL;
    PYMPI_CHK(fn(g1, g2, &out));
    return pympi_group_new(out, PYMPI_OWNED);
fail:
    return NULL;
}

static PyObject *group_Union(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames)
{
    return set_op("Union", MPI_Group_union, args, nargs, kwnames);
}

static PyObject *group_Intersection(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                                    PyObject *kwnames)
{
    return set_op("Intersection", MPI_Group_intersection, args, nargs, kwnames);
}

static PyObject *group_Difference(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                                  PyObject *kwnames)
{
    return set_op("Difference", MPI_Group_difference, args, nargs, kwnames);
}

typedef int (*incl_fn)(MPI_Group, int, const int[], MPI_Group *);

static PyObject *incl_op(PyObject *self, const char *fname, incl_fn fn, PyObject *const *args,
                         Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"ranks"};
    PyObject *a[1];
    MPI_Group out = MPI_GROUP_NULL;
    int *ranks, n;
    if (pympi_bind_args(fname, names, 1, 1, args, nargs, kwnames, a) < 0 ||
        int_array(a[0], "ranks", &ranks, &n) < 0)
        return NULL;
    int ierr = fn(HANDLE(self), n, ranks, &out);
    PyMem_Free(ranks);
    if (ierr != MPI_SUCCESS) {
        pympi_raise(ierr);
        return NULL;
    }
    return pympi_group_new(out, PYMPI_OWNED);
}

static PyObject *group_Incl(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    return incl_op(self, "Incl", MPI_Group_incl, args, nargs, kwnames);
}

static PyObject *group_Excl(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    return incl_op(self, "Excl", MPI_Group_excl, args, nargs, kwnames);
}

typedef int (*range_fn)(MPI_Group, int, int[][3], MPI_Group *);

static PyObject *range_op(PyObject *self, const char *fname, range_fn fn,
                          PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"ranks"};
    PyObject *a[1];
    MPI_Group out = MPI_GROUP_NULL;
    int(*ranges)[3], n;
    if (pympi_bind_args(fname, names, 1, 1, args, nargs, kwnames, a) < 0 ||
        range_array(a[0], "ranks", &ranges, &n) < 0)
        return NULL;
    int ierr = fn(HANDLE(self), n, ranges, &out);
    PyMem_Free(ranges);
    if (ierr != MPI_SUCCESS) {
        pympi_raise(ierr);
        return NULL;
    }
    return pympi_group_new(out, PYMPI_OWNED);
}

static PyObject *group_Range_incl(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                  PyObject *kwnames)
{
    return range_op(self, "Range_incl", MPI_Group_range_incl, args, nargs, kwnames);
}

static PyObject *group_Range_excl(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                  PyObject *kwnames)
{
    return range_op(self, "Range_excl", MPI_Group_range_excl, args, nargs, kwnames);
}

/* ---- freeing and integer handles --------------------------------------------------------- */

static PyObject *group_Free(PyObject *self, PyObject *unused)
{
    PyMPIGroupObject *g = (PyMPIGroupObject *)self;
    MPI_Group h = g->ob_mpi;
    PYMPI_CHK(MPI_Group_free(&h));
    if (!(g->flags & PYMPI_CONST))  /* MPI.GROUP_EMPTY stays what it is */
        g->ob_mpi = h;
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *group_py2f(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(MPI_Group_toint(HANDLE(self)));
}

static PyObject *group_f2py(PyObject *cls, PyObject *arg)
{
    int v;
    if (pympi_int_arg(arg, 0, "arg", &v) < 0)
        return NULL;
    PyMPIGroupObject *self =
        (PyMPIGroupObject *)((PyTypeObject *)cls)->tp_alloc((PyTypeObject *)cls, 0);
    if (self != NULL)
        self->ob_mpi = MPI_Group_fromint(v);
    return (PyObject *)self;
}

PYMPI_ONE_ARG(group_f2py, "f2py", "arg")

/* Docstrings start with the signature, for help() and inspect. */
static PyMethodDef group_methods[] = {
    {"Get_size", group_Get_size, METH_NOARGS,
     "Get_size($self, /)\n--\n\nNumber of processes in the group."},
    {"Get_rank", group_Get_rank, METH_NOARGS,
     "Get_rank($self, /)\n--\n\nRank of this process in the group (UNDEFINED if not a "
     "member)."},
    {"Translate_ranks", PYMPI_FASTCALL(group_Translate_ranks) | METH_CLASS,
     "Translate_ranks($type, /, group1, ranks1, group2=None)\n--\n\n"
     "Ranks in group2 (default: COMM_WORLD's group) of ranks1 in group1."},
    {"Compare", PYMPI_FASTCALL(group_Compare) | METH_CLASS,
     "Compare($type, /, group1, group2)\n--\n\n"
     "Compare two groups: IDENT, SIMILAR or UNEQUAL."},
    {"Dup", group_Dup, METH_NOARGS, "Dup($self, /)\n--\n\nDuplicate the group."},
    {"Union", PYMPI_FASTCALL(group_Union) | METH_CLASS,
     "Union($type, /, group1, group2)\n--\n\nUnion of two groups."},
    {"Intersection", PYMPI_FASTCALL(group_Intersection) | METH_CLASS,
     "Intersection($type, /, group1, group2)\n--\n\nIntersection of two groups."},
    {"Intersect", PYMPI_FASTCALL(group_Intersection) | METH_CLASS,
     "Intersect($type, /, group1, group2)\n--\n\n"
     "Intersection of two groups (the older name of Intersection)."},
    {"Difference", PYMPI_FASTCALL(group_Difference) | METH_CLASS,
     "Difference($type, /, group1, group2)\n--\n\n"
     "Processes of group1 that are not in group2."},
    {"Incl", PYMPI_FASTCALL(group_Incl),
     "Incl($self, /, ranks)\n--\n\nNew group of the listed ranks, in that order."},
    {"Excl", PYMPI_FASTCALL(group_Excl),
     "Excl($self, /, ranks)\n--\n\nNew group without the listed ranks."},
    {"Range_incl", PYMPI_FASTCALL(group_Range_incl),
     "Range_incl($self, /, ranks)\n--\n\n"
     "New group of the ranks in (first, last, stride) ranges."},
    {"Range_excl", PYMPI_FASTCALL(group_Range_excl),
     "Range_excl($self, /, ranks)\n--\n\n"
     "New group without the ranks in (first, last, stride) ranges."},
    {"Free", group_Free, METH_NOARGS, "Free($self, /)\n--\n\nFree the group."},
    {"py2f", group_py2f, METH_NOARGS,
     "py2f($self, /)\n--\n\nInteger handle (MPI_Group_toint)."},
    {"f2py", PYMPI_FASTCALL(group_f2py_kw) | METH_CLASS,
     "f2py($type, /, arg)\n--\n\nGroup from an integer handle."},
    {"__reduce__", pympi_reduce_handle, METH_NOARGS, "Pickle by name."},
    {NULL},
};

static PyGetSetDef group_getset[] = {
    {"size", group_get_size, NULL, "Number of processes in the group.", NULL},
    {"rank", group_get_rank, NULL, "Rank of this process in the group.", NULL},
    {NULL},
};

static PyNumberMethods as_number = {.nb_bool = tp_bool};

PyTypeObject PyMPIGroup_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Group",
    .tp_basicsize = sizeof(PyMPIGroupObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Group of processes.",
    .tp_new = tp_new,
    .tp_richcompare = tp_richcompare,
    .tp_as_number = &as_number,
    .tp_methods = group_methods,
    .tp_getset = group_getset,
};

int pympi_init_group(PyObject *m)
{
    if (PyType_Ready(&PyMPIGroup_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Group", (PyObject *)&PyMPIGroup_Type) < 0)
        return -1;
    PyObject *null = pympi_group_new(MPI_GROUP_NULL, PYMPI_CONST);
    if (null == NULL || PyModule_AddObject(m, "GROUP_NULL", null) < 0) {
        Py_XDECREF(null);
        return -1;
    }
    PyObject *empty = pympi_group_new(MPI_GROUP_EMPTY, PYMPI_CONST);
    if (empty == NULL || PyModule_AddObject(m, "GROUP_EMPTY", empty) < 0) {
        Py_XDECREF(empty);
        return -1;
    }
    return 0;
}
