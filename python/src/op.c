/*
 * op.c - MPI.Op: the predefined reduction operations, user-defined ones over Python
 * functions (Op.Create), Reduce_local, and Op.__call__ on Python objects, which the
 * lower-case reductions use through pympi_op_apply().
 *
 * MPI calls a user function with no user data, so each user Op gets a slot of its own
 * with a C trampoline compiled for that slot; the slot table maps the trampoline back to
 * the Python function. There are PYMPI_OP_SLOTS slots, as in mpi4py. A trampoline may
 * run in any thread, with the GIL released by the blocking call that reached it, so it
 * takes the GIL itself, wraps the two vectors as MPI.memory objects and the datatype as
 * an MPI.Datatype, and calls function(invec, inoutvec, datatype).
 *
 * A Python exception inside a reduction is raised by Op.Reduce_local, where only this
 * process is involved. Inside a collective the other processes have already combined
 * with this one's result, so, as in mpi4py, the traceback is printed and the job aborts.
 */
#include "pympi.h"

#include <string.h>

#define HANDLE(self) (((PyMPIOpObject *)(self))->ob_mpi)

/* Predefined handles sit below 0x1000 in the MPI ABI; user Ops get integers from here
 * for py2f (liblitempi has no MPI_Op_toint). */
#define PREDEFINED_LIMIT 0x1000
#define PYMPI_OP_SLOTS 32

static struct {
    MPI_Op op;                  /* MPI_OP_NULL: never used */
    PyObject *func;             /* kept after Free: a pending operation may still call it */
    int live;                   /* not freed */
    unsigned long stamp;        /* when it was freed: reuse the oldest first */
} slots[PYMPI_OP_SLOTS];
static unsigned long free_clock;

/* Set by Reduce_local on its thread: where a Python exception from the function goes. */
struct caught {
    PyObject *type, *value, *tb;
};
static _Thread_local struct caught *catch_exc;

/* ---- trampolines ----------------------------------------------------------------------- */

static void call_user(int slot, void *in, void *inout, MPI_Count *len, MPI_Datatype *type)
{
    if (!Py_IsInitialized())
        return;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *func = slots[slot].func;
    if (catch_exc != NULL && catch_exc->type != NULL) {
        /* An earlier chunk of this Reduce_local failed: leave the rest alone. */
        PyGILState_Release(gil);
        return;
    }
    MPI_Aint lb = 0, extent = 0;
    MPI_Type_get_extent(*type, &lb, &extent);
    Py_ssize_t nbytes = (Py_ssize_t)(*len * (extent > 0 ? extent : 0));
    PyObject *a = pympi_memory_new(in, nbytes, 0);
    PyObject *b = pympi_memory_new(inout, nbytes, 0);
    PyObject *t = pympi_datatype_new(*type, 0);
    PyObject *r = NULL;
    if (func == NULL)
        PyErr_SetString(PyExc_RuntimeError, "user-defined reduction operation has no function");
    else if (a != NULL && b != NULL && t != NULL)
        r = PyObject_CallFunctionObjArgs(func, a, b, t, NULL);
    /* The vectors are MPI's temporaries: later access must not reach them. */
    if (a != NULL && pympi_memory_release(a) < 0 && r != NULL)
        PyErr_Clear();
    if (b != NULL && pympi_memory_release(b) < 0 && r != NULL)
        PyErr_Clear();
    Py_XDECREF(a);
    Py_XDECREF(b);
    Py_XDECREF(t);
    if (r != NULL) {
        Py_DECREF(r);
    } else if (catch_exc != NULL) {
        PyErr_Fetch(&catch_exc->type, &catch_exc->value, &catch_exc->tb);
    } else {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        PySys_WriteStderr("mpi4py: exception in a user-defined reduction operation during a "
                          "collective; aborting the job\n");
        if (tb != NULL)
            PyException_SetTraceback(value, tb);
        PyErr_Display(type, value, tb);
        fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    PyGILState_Release(gil);
}

/* Slot 8 * g + k calls through trampoline_<g>_<k>. */
#define TRAMPOLINE(g, k)                                                                  \
    static void trampoline_##g##_##k(void *in, void *inout, MPI_Count *len,               \
                                     MPI_Datatype *type)                                  \
    {                                                                                      \
        call_user(8 * (g) + (k), in, inout, len, type);                                   \
    }
#define TRAMPOLINES8(g)                                                                   \
    TRAMPOLINE(g, 0) TRAMPOLINE(g, 1) TRAMPOLINE(g, 2) TRAMPOLINE(g, 3)                    \
    TRAMPOLINE(g, 4) TRAMPOLINE(g, 5) TRAMPOLINE(g, 6) TRAMPOLINE(g, 7)
TRAMPOLINES8(0)
TRAMPOLINES8(1)
TRAMPOLINES8(2)
TRAMPOLINES8(3)

static MPI_User_function_c *const trampolines[PYMPI_OP_SLOTS] = {
#define T8(g) trampoline_##g##_0, trampoline_##g##_1, trampoline_##g##_2, trampoline_##g##_3, \
              trampoline_##g##_4, trampoline_##g##_5, trampoline_##g##_6, trampoline_##g##_7
    T8(0), T8(1), T8(2), T8(3),
#undef T8
};

static int slot_of(MPI_Op op)
{
    if (op == MPI_OP_NULL)
        return -1;
    for (int i = 0; i < PYMPI_OP_SLOTS; i++)
        if (slots[i].op == op && slots[i].live)
            return i;
    return -1;
}

/* ---- applying an Op to Python objects ------------------------------------------------- */

/* (value, index) of a MINLOC/MAXLOC operand, as `u, i = x` unpacks it. */
static int unpack_pair(PyObject *x, PyObject **u, PyObject **i)
{
    PyObject *it = PyObject_GetIter(x), *extra = NULL;
    *u = *i = NULL;
    if (it == NULL)
        return -1;
    if ((*u = PyIter_Next(it)) == NULL || (*i = PyIter_Next(it)) == NULL) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_ValueError, "not enough values to unpack (expected 2, got %d)",
                         *u != NULL);
        goto fail;
    }
    if ((extra = PyIter_Next(it)) != NULL || PyErr_Occurred()) {
        if (extra != NULL)
            PyErr_SetString(PyExc_ValueError, "too many values to unpack (expected 2)");
        Py_XDECREF(extra);
        goto fail;
    }
    Py_DECREF(it);
    return 0;
fail:
    Py_DECREF(it);
    Py_CLEAR(*u);
    Py_CLEAR(*i);
    return -1;
}

/* MAXLOC (cmp = Py_GT) / MINLOC (Py_LT): the better value, the lower index on a tie. */
static PyObject *apply_loc(PyObject *x, PyObject *y, int cmp)
{
    PyObject *u, *i, *v, *j, *r = NULL;
    if (unpack_pair(x, &u, &i) < 0)
        return NULL;
    if (unpack_pair(y, &v, &j) < 0)
        goto out2;
    int better = PyObject_RichCompareBool(u, v, cmp), worse = 0, jlow = 0;
    if (better < 0 || (!better && (worse = PyObject_RichCompareBool(v, u, cmp)) < 0) ||
        (!better && !worse && (jlow = PyObject_RichCompareBool(j, i, Py_LT)) < 0))
        goto out;
    if (better)
        r = PyTuple_Pack(2, u, i);
    else if (worse)
        r = PyTuple_Pack(2, v, j);
    else
        r = PyTuple_Pack(2, u, jlow ? j : i);
out:
    Py_DECREF(v);
    Py_DECREF(j);
out2:
    Py_DECREF(u);
    Py_DECREF(i);
    return r;
}

static PyObject *apply_logical(PyObject *x, PyObject *y, MPI_Op op)
{
    int a = PyObject_IsTrue(x);
    if (a < 0)
        return NULL;
    int b = PyObject_IsTrue(y);
    if (b < 0)
        return NULL;
    if (op == MPI_LAND)
        return PyBool_FromLong(a && b);
    if (op == MPI_LOR)
        return PyBool_FromLong(a || b);
    return PyBool_FromLong(a != b);
}

PyObject *pympi_op_apply(MPI_Op op, PyObject *x, PyObject *y)
{
    if (op == MPI_SUM)
        return PyNumber_Add(x, y);
    if (op == MPI_PROD)
        return PyNumber_Multiply(x, y);
    if (op == MPI_MAX || op == MPI_MIN) {
        int pick_y = PyObject_RichCompareBool(y, x, op == MPI_MAX ? Py_GT : Py_LT);
        if (pick_y < 0)
            return NULL;
        return Py_NewRef(pick_y ? y : x);
    }
    if (op == MPI_LAND || op == MPI_LOR || op == MPI_LXOR)
        return apply_logical(x, y, op);
    if (op == MPI_BAND)
        return PyNumber_And(x, y);
    if (op == MPI_BOR)
        return PyNumber_Or(x, y);
    if (op == MPI_BXOR)
        return PyNumber_Xor(x, y);
    if (op == MPI_MAXLOC || op == MPI_MINLOC)
        return apply_loc(x, y, op == MPI_MAXLOC ? Py_GT : Py_LT);
    if (op == MPI_REPLACE)
        return Py_NewRef(y);
    if (op == MPI_NO_OP)
        return Py_NewRef(x);
    /* TypeError, as mpi4py's (OP_NULL has no function to call). */
    if (op == MPI_OP_NULL) {
        PyErr_SetString(PyExc_TypeError, "op: MPI.OP_NULL cannot reduce objects");
        return NULL;
    }
    int s = slot_of(op);
    if (s < 0) {
        PyErr_SetString(PyExc_TypeError,
                        "op: a user-defined operation not created by Op.Create cannot "
                        "reduce Python objects");
        return NULL;
    }
    /* Python objects have no datatype: the function gets None, as in mpi4py. */
    return PyObject_CallFunctionObjArgs(slots[s].func, x, y, Py_None, NULL);
}

/* ---- object protocol ------------------------------------------------------------------- */

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
        PyErr_Format(PyExc_TypeError, "op: expected an MPI.Op, got %.100s",
                     Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Op *)out = HANDLE(o);
    return 1;
}

static PyObject *op_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *other = NULL;
    static char *kwlist[] = {"op", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:Op", kwlist, &other))
        return NULL;
    MPI_Op h = MPI_OP_NULL;
    if (other != NULL && other != Py_None && !pympi_conv_op(other, &h))
        return NULL;
    PyMPIOpObject *self = (PyMPIOpObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = h;
    if (other != NULL && other != Py_None) {
        self->ob_func = Py_XNewRef(((PyMPIOpObject *)other)->ob_func);
        self->ob_commute = ((PyMPIOpObject *)other)->ob_commute;
    }
    return (PyObject *)self;
}

static void op_dealloc(PyObject *self)
{
    Py_CLEAR(((PyMPIOpObject *)self)->ob_func);
    Py_TYPE(self)->tp_free(self);
}

PYMPI_HANDLE_COMPARE(op, Op, MPI_OP_NULL)

static PyObject *op_call(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *x, *y;
    static char *kwlist[] = {"x", "y", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO:__call__", kwlist, &x, &y))
        return NULL;
    return pympi_op_apply(HANDLE(self), x, y);
}

/* ---- methods --------------------------------------------------------------------------- */

static PyObject *op_Create(PyObject *cls, PyObject *args, PyObject *kwds)
{
    PyObject *function;
    int commute = 0;
    static char *kwlist[] = {"function", "commute", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|p:Create", kwlist, &function, &commute))
        return NULL;
    if (!PyCallable_Check(function)) {
        PyErr_Format(PyExc_TypeError, "function: expected a callable, got %.100s",
                     Py_TYPE(function)->tp_name);
        return NULL;
    }
    /* A never-used slot, else the one freed longest ago. */
    int s = -1;
    for (int i = 0; i < PYMPI_OP_SLOTS; i++) {
        if (slots[i].live)
            continue;
        if (slots[i].op == MPI_OP_NULL) {
            s = i;
            break;
        }
        if (s < 0 || slots[i].stamp < slots[s].stamp)
            s = i;
    }
    if (s < 0) {
        PyErr_SetString(PyExc_RuntimeError,
                        "cannot create too many user-defined reduction operations");
        return NULL;
    }
    MPI_Op op = MPI_OP_NULL;
    PYMPI_CHK_NOGIL(MPI_Op_create_c(trampolines[s], commute, &op));
    Py_XSETREF(slots[s].func, Py_NewRef(function));
    slots[s].op = op;
    slots[s].live = 1;
    PyTypeObject *type = (PyTypeObject *)cls;
    PyMPIOpObject *self = (PyMPIOpObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = op;
    self->flags = PYMPI_OWNED;
    self->ob_func = Py_NewRef(function);
    self->ob_commute = commute;
    return (PyObject *)self;
fail:
    return NULL;
}

static PyObject *op_Free(PyObject *self, PyObject *unused)
{
    MPI_Op op = HANDLE(self);
    int s = slot_of(op);
    PYMPI_CHK_NOGIL(MPI_Op_free(&op));
    if (s >= 0) {
        slots[s].live = 0;
        slots[s].stamp = ++free_clock;
    }
    HANDLE(self) = op;
    Py_CLEAR(((PyMPIOpObject *)self)->ob_func);
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *op_Is_commutative(PyObject *self, PyObject *unused)
{
    int commute = 0;
    PYMPI_CHK(MPI_Op_commutative(HANDLE(self), &commute));
    return PyBool_FromLong(commute);
fail:
    return NULL;
}

static PyObject *op_get_is_commutative(PyObject *self, void *c)
{
    return op_Is_commutative(self, NULL);
}

static PyObject *op_get_is_predefined(PyObject *self, void *c)
{
    return PyBool_FromLong((uintptr_t)HANDLE(self) < PREDEFINED_LIMIT);
}

static PyObject *op_Reduce_local(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                 PyObject *kwnames)
{
    static const char *const names[] = {"inbuf", "inoutbuf"};
    PyObject *a[2];
    pympi_msg in, inout;
    if (pympi_bind_args("Reduce_local", names, 2, 2, args, nargs, kwnames, a) < 0)
        return NULL;
    if (pympi_msg_parse(a[0], 0, "inbuf", &in) < 0)
        return NULL;
    if (pympi_msg_parse(a[1], PYMPI_MSG_WRITE, "inoutbuf", &inout) < 0) {
        pympi_msg_release(&in);
        return NULL;
    }
    if (in.count != inout.count) {
        PyErr_Format(PyExc_ValueError, "inbuf: count %lld does not match inoutbuf count %lld",
                     (long long)in.count, (long long)inout.count);
        goto fail;
    }
    if (in.type != inout.type) {
        PyErr_SetString(PyExc_ValueError,
                        "inbuf: datatype does not match the datatype of inoutbuf");
        goto fail;
    }
    struct caught exc = {NULL, NULL, NULL}, *outer = catch_exc;
    catch_exc = &exc;
    int ierr;
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Reduce_local_c(in.buf, inout.buf, in.count, in.type, HANDLE(self));
    Py_END_ALLOW_THREADS
    catch_exc = outer;
    if (exc.type != NULL) {
        PyErr_Restore(exc.type, exc.value, exc.tb);
        goto fail;
    }
    if (ierr != MPI_SUCCESS) {
        pympi_raise(ierr);
        goto fail;
    }
    pympi_msg_release(&in);
    pympi_msg_release(&inout);
    Py_RETURN_NONE;
fail:
    pympi_msg_release(&in);
    pympi_msg_release(&inout);
    return NULL;
}

static PyObject *op_py2f(PyObject *self, PyObject *unused)
{
    MPI_Op op = HANDLE(self);
    if ((uintptr_t)op < PREDEFINED_LIMIT)
        return PyLong_FromLong((long)(uintptr_t)op);
    int s = slot_of(op);
    if (s < 0) {
        PyErr_SetString(PyExc_ValueError, "op: no integer handle for this operation");
        return NULL;
    }
    return PyLong_FromLong(PREDEFINED_LIMIT + s);
}

static PyObject *op_f2py(PyObject *cls, PyObject *args, PyObject *kwds)
{
    long v;
    static char *kwlist[] = {"arg", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "l:f2py", kwlist, &v))
        return NULL;
    MPI_Op op = MPI_OP_NULL;
    if (v >= 0 && v < PREDEFINED_LIMIT)
        op = (MPI_Op)(uintptr_t)v;
    else if (v >= PREDEFINED_LIMIT && v < PREDEFINED_LIMIT + PYMPI_OP_SLOTS &&
             slots[v - PREDEFINED_LIMIT].live)
        op = slots[v - PREDEFINED_LIMIT].op;
    PyObject *o = ((PyTypeObject *)cls)->tp_alloc((PyTypeObject *)cls, 0);
    if (o != NULL)
        HANDLE(o) = op;
    return o;
}

static PyMethodDef op_methods[] = {
    {"__reduce__", pympi_reduce_handle, METH_NOARGS, "Pickle by name."},
    {"Create", (PyCFunction)(void (*)(void))op_Create, METH_VARARGS | METH_KEYWORDS | METH_CLASS,
     "Create($type, /, function, commute=False)\n--\n\n" "Create a user-defined operation."},
    {"Free", op_Free, METH_NOARGS, "Free($self, /)\n--\n\nFree a user-defined operation."},
    {"Is_commutative", op_Is_commutative, METH_NOARGS,
     "Is_commutative($self, /)\n--\n\n" "Whether the operation commutes."},
    {"Reduce_local", PYMPI_FASTCALL(op_Reduce_local),
     "Reduce_local($self, /, inbuf, inoutbuf)\n--\n\n" "Apply the operation locally."},
    {"py2f", op_py2f, METH_NOARGS, "py2f($self, /)\n--\n\nInteger handle."},
    {"f2py", (PyCFunction)(void (*)(void))op_f2py, METH_VARARGS | METH_KEYWORDS | METH_CLASS,
     "f2py($type, /, arg)\n--\n\n" "Op from an integer handle."},
    {NULL},
};

static PyGetSetDef op_getset[] = {
    {"is_commutative", op_get_is_commutative, NULL, "Whether the operation commutes.", NULL},
    {"is_predefined", op_get_is_predefined, NULL, "Whether the operation is predefined.",
     NULL},
    {NULL},
};

static PyNumberMethods op_as_number = {.nb_bool = op_bool};

PyTypeObject PyMPIOp_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Op",
    .tp_basicsize = sizeof(PyMPIOpObject),
    .tp_dealloc = op_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Reduction operation.",
    .tp_new = op_tp_new,
    .tp_richcompare = op_richcompare,
    .tp_call = op_call,
    .tp_methods = op_methods,
    .tp_getset = op_getset,
    .tp_as_number = &op_as_number,
};

static const struct {
    const char *name;
    MPI_Op op;
} predefined[] = {
    {"OP_NULL", MPI_OP_NULL}, {"MAX", MPI_MAX},         {"MIN", MPI_MIN},
    {"SUM", MPI_SUM},         {"PROD", MPI_PROD},       {"LAND", MPI_LAND},
    {"BAND", MPI_BAND},       {"LOR", MPI_LOR},         {"BOR", MPI_BOR},
    {"LXOR", MPI_LXOR},       {"BXOR", MPI_BXOR},       {"MAXLOC", MPI_MAXLOC},
    {"MINLOC", MPI_MINLOC},   {"REPLACE", MPI_REPLACE}, {"NO_OP", MPI_NO_OP},
};

int pympi_init_op(PyObject *m)
{
    if (PyType_Ready(&PyMPIOp_Type) < 0)
        return -1;
    for (size_t i = 0; i < sizeof predefined / sizeof predefined[0]; i++) {
        PyObject *o = pympi_op_new(predefined[i].op, PYMPI_CONST);
        if (o == NULL || PyModule_AddObject(m, predefined[i].name, o) < 0) {
            Py_XDECREF(o);
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "Op", (PyObject *)&PyMPIOp_Type);
}
