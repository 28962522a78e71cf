/*
 * comm.c - MPI.Comm, MPI.Intracomm, MPI.Intercomm: the objects, their core methods
 * (size, rank, groups, duplication, splitting, freeing, comparison) and the predefined
 * COMM_NULL / COMM_SELF / COMM_WORLD.
 *
 * Comm's method table is assembled at import from the families kept in their own files
 * (comm_p2p.c, comm_coll.c, comm_obj.c) so each file stays about one subject. Like mpi4py,
 * a Comm object never frees its handle when garbage-collected: Free() does that.
 */
#include "pympi.h"

#include <string.h>

/* ---- wrapping -------------------------------------------------------------------------- */

PyObject *pympi_comm_new(PyTypeObject *type, MPI_Comm comm, unsigned flags)
{
    PyMPICommObject *self = (PyMPICommObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = comm;
    self->flags = flags;
    return (PyObject *)self;
}

PyObject *pympi_comm_wrap(MPI_Comm comm, unsigned flags)
{
    PyTypeObject *type = &PyMPIComm_Type;
    if (comm != MPI_COMM_NULL) {
        int inter = 0, topo = MPI_UNDEFINED;
        if (MPI_Comm_test_inter(comm, &inter) == MPI_SUCCESS && inter) {
            type = &PyMPIIntercomm_Type;
        } else {
            type = &PyMPIIntracomm_Type;
            MPI_Topo_test(comm, &topo);
            if (topo == MPI_CART)
                type = &PyMPICartcomm_Type;
            else if (topo == MPI_GRAPH)
                type = &PyMPIGraphcomm_Type;
            else if (topo == MPI_DIST_GRAPH)
                type = &PyMPIDistgraphcomm_Type;
        }
    }
    return pympi_comm_new(type, comm, flags);
}

int pympi_conv_comm(PyObject *o, void *out)
{
    if (!PyObject_TypeCheck(o, &PyMPIComm_Type)) {
        PyErr_Format(PyExc_TypeError, "expected an MPI.Comm, got %.100s", Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Comm *)out = ((PyMPICommObject *)o)->ob_mpi;
    return 1;
}

#define COMM(self) (((PyMPICommObject *)(self))->ob_mpi)

/* ---- object protocol --------------------------------------------------------------------- */

static PyObject *comm_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *other = NULL;
    static char *kwlist[] = {"comm", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:Comm", kwlist, &other))
        return NULL;
    MPI_Comm comm = MPI_COMM_NULL;
    if (other != NULL && other != Py_None) {
        if (!PyObject_TypeCheck(other, type) && !PyObject_TypeCheck(other, &PyMPIComm_Type)) {
            PyErr_Format(PyExc_TypeError, "expected an MPI.Comm, got %.100s",
                         Py_TYPE(other)->tp_name);
            return NULL;
        }
        comm = COMM(other);
    }
    return pympi_comm_new(type, comm, 0);
}

static PyObject *comm_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &PyMPIComm_Type) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int eq = COMM(a) == COMM(b);
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static int comm_bool(PyObject *self)
{
    return COMM(self) != MPI_COMM_NULL;
}

/* ---- core methods ------------------------------------------------------------------------ */

static PyObject *comm_Get_size(PyObject *self, PyObject *unused)
{
    int size;
    PYMPI_CHK(MPI_Comm_size(COMM(self), &size));
    return PyLong_FromLong(size);
fail:
    return NULL;
}

static PyObject *comm_Get_rank(PyObject *self, PyObject *unused)
{
    int rank;
    PYMPI_CHK(MPI_Comm_rank(COMM(self), &rank));
    return PyLong_FromLong(rank);
fail:
    return NULL;
}

static PyObject *comm_get_size(PyObject *self, void *c) { return comm_Get_size(self, NULL); }
static PyObject *comm_get_rank(PyObject *self, void *c) { return comm_Get_rank(self, NULL); }

static PyObject *comm_Free(PyObject *self, PyObject *unused)
{
    PyMPICommObject *c = (PyMPICommObject *)self;
    PYMPI_CHK(MPI_Comm_free(&c->ob_mpi));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *comm_Dup(PyObject *self, PyObject *args, PyObject *kwds)
{
    MPI_Info info = MPI_INFO_NULL;
    static char *kwlist[] = {"info", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O&:Dup", kwlist, pympi_conv_info, &info))
        return NULL;
    MPI_Comm dup = MPI_COMM_NULL;
    if (info == MPI_INFO_NULL)
        PYMPI_CHK_NOGIL(MPI_Comm_dup(COMM(self), &dup));
    else
        PYMPI_CHK_NOGIL(MPI_Comm_dup_with_info(COMM(self), info, &dup));
    MPI_Comm_set_errhandler(dup, MPI_ERRORS_RETURN);
    return pympi_comm_new(Py_TYPE(self), dup, PYMPI_OWNED);
fail:
    return NULL;
}

static PyObject *comm_Split(PyObject *self, PyObject *args, PyObject *kwds)
{
    int color = 0, key = 0;
    static char *kwlist[] = {"color", "key", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|ii:Split", kwlist, &color, &key))
        return NULL;
    MPI_Comm out = MPI_COMM_NULL;
    PYMPI_CHK_NOGIL(MPI_Comm_split(COMM(self), color, key, &out));
    if (out != MPI_COMM_NULL)
        MPI_Comm_set_errhandler(out, MPI_ERRORS_RETURN);
    return pympi_comm_new(PyObject_TypeCheck(self, &PyMPIIntercomm_Type)
                              ? &PyMPIIntercomm_Type : &PyMPIIntracomm_Type,
                          out, PYMPI_OWNED);
fail:
    return NULL;
}

PyMethodDef pympi_comm_core_methods[] = {
    {"Get_size", comm_Get_size, METH_NOARGS, "Number of processes in the group."},
    {"Get_rank", comm_Get_rank, METH_NOARGS, "Rank of this process in the communicator."},
    {"Free", comm_Free, METH_NOARGS, "Free the communicator."},
    {"Dup", (PyCFunction)(void (*)(void))comm_Dup, METH_VARARGS | METH_KEYWORDS,
     "Duplicate the communicator."},
    {"Split", (PyCFunction)(void (*)(void))comm_Split, METH_VARARGS | METH_KEYWORDS,
     "Split the communicator by color and key."},
    {NULL},
};

static PyGetSetDef comm_getset[] = {
    {"size", comm_get_size, NULL, "Number of processes.", NULL},
    {"rank", comm_get_rank, NULL, "Rank of this process.", NULL},
    {NULL},
};

/* ---- types --------------------------------------------------------------------------------- */

PyTypeObject PyMPIComm_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Comm",
    .tp_basicsize = sizeof(PyMPICommObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Communication context.",
    .tp_new = comm_tp_new,
    .tp_richcompare = comm_richcompare,
    .tp_getset = comm_getset,
};

PyTypeObject PyMPIIntracomm_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Intracomm",
    .tp_basicsize = sizeof(PyMPICommObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Intracommunicator.",
    .tp_new = comm_tp_new,
};

PyTypeObject PyMPIIntercomm_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Intercomm",
    .tp_basicsize = sizeof(PyMPICommObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Intercommunicator.",
    .tp_new = comm_tp_new,
};

static PyNumberMethods comm_as_number = {.nb_bool = comm_bool};

/* Concatenates the NULL-terminated method tables into one (kept for the process's life). */
static PyMethodDef *merge_methods(PyMethodDef *const *tables, size_t ntables)
{
    size_t n = 0;
    for (size_t t = 0; t < ntables; t++)
        for (PyMethodDef *d = tables[t]; d->ml_name != NULL; d++)
            n++;
    PyMethodDef *all = PyMem_Calloc(n + 1, sizeof *all);
    if (all == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    n = 0;
    for (size_t t = 0; t < ntables; t++)
        for (PyMethodDef *d = tables[t]; d->ml_name != NULL; d++)
            all[n++] = *d;
    return all;
}

static int add_comm(PyObject *m, const char *name, PyTypeObject *type, MPI_Comm comm)
{
    PyObject *o = pympi_comm_new(type, comm, PYMPI_CONST);
    return o == NULL ? -1 : PyModule_AddObject(m, name, o);
}

int pympi_init_comm(PyObject *m)
{
    PyMethodDef *const comm_tables[] = {pympi_comm_core_methods, pympi_comm_p2p_methods,
                                        pympi_comm_coll_methods, pympi_comm_obj_methods,
                                        pympi_comm_objcoll_methods};
    PyMethodDef *const intra_tables[] = {pympi_intracomm_coll_methods,
                                         pympi_intracomm_objcoll_methods};
    PyMPIComm_Type.tp_methods = merge_methods(comm_tables, 5);
    PyMPIIntracomm_Type.tp_methods = merge_methods(intra_tables, 2);
    if (PyMPIComm_Type.tp_methods == NULL || PyMPIIntracomm_Type.tp_methods == NULL)
        return -1;
    PyMPIComm_Type.tp_as_number = &comm_as_number;
    PyMPIIntracomm_Type.tp_base = &PyMPIComm_Type;
    PyMPIIntercomm_Type.tp_base = &PyMPIComm_Type;
    if (PyType_Ready(&PyMPIComm_Type) < 0 || PyType_Ready(&PyMPIIntracomm_Type) < 0 ||
        PyType_Ready(&PyMPIIntercomm_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Comm", (PyObject *)&PyMPIComm_Type) < 0 ||
        PyModule_AddObjectRef(m, "Intracomm", (PyObject *)&PyMPIIntracomm_Type) < 0 ||
        PyModule_AddObjectRef(m, "Intercomm", (PyObject *)&PyMPIIntercomm_Type) < 0)
        return -1;
    if (add_comm(m, "COMM_NULL", &PyMPIComm_Type, MPI_COMM_NULL) < 0 ||
        add_comm(m, "COMM_SELF", &PyMPIIntracomm_Type, MPI_COMM_SELF) < 0 ||
        add_comm(m, "COMM_WORLD", &PyMPIIntracomm_Type, MPI_COMM_WORLD) < 0)
        return -1;
    return 0;
}
