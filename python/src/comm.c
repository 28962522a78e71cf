/*
 * comm.c - MPI.Comm, MPI.Intracomm, MPI.Intercomm: the objects, their methods that do not
 * move data (size, rank, groups, comparison, duplication, splitting, creation, freeing,
 * info, names, attributes, error handlers, abort, integer handles; Intracomm's
 * Create_intercomm, Intercomm's remote group and Merge) and the predefined COMM_NULL,
 * COMM_SELF and COMM_WORLD.
 *
 * Comm's method table is assembled at import from the families kept in their own files
 * (comm_p2p.c, comm_coll.c, comm_obj.c, comm_objcoll.c) so each file stays about one
 * subject. Like mpi4py, a Comm object never frees its handle when garbage-collected:
 * Free() does that. Every communicator made here gets the error handler rc.errors asks
 * for (pympi_comm_set_eh), and the class of a new object follows mpi4py: duplicates keep
 * the class of the original (a Cartcomm's Dup is a Cartcomm), the other constructors give
 * an Intracomm or an Intercomm. Collective constructors release the GIL.
 */
#include "pympi.h"

#include <string.h>

#define COMM(self) (((PyMPICommObject *)(self))->ob_mpi)

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

/* The class a communicator's kind calls for, without MPI errors (COMM_NULL: Comm). */
static PyTypeObject *class_of(MPI_Comm comm)
{
    if (comm == MPI_COMM_NULL)
        return &PyMPIComm_Type;
    int inter = 0, topo = MPI_UNDEFINED;
    if (MPI_Comm_test_inter(comm, &inter) == MPI_SUCCESS && inter)
        return &PyMPIIntercomm_Type;
    MPI_Topo_test(comm, &topo);
    if (topo == MPI_CART)
        return &PyMPICartcomm_Type;
    if (topo == MPI_GRAPH)
        return &PyMPIGraphcomm_Type;
    if (topo == MPI_DIST_GRAPH)
        return &PyMPIDistgraphcomm_Type;
    return &PyMPIIntracomm_Type;
}

PyObject *pympi_comm_wrap(MPI_Comm comm, unsigned flags)
{
    return pympi_comm_new(class_of(comm), comm, flags);
}

int pympi_conv_comm(PyObject *o, void *out)
{
    if (!PyObject_TypeCheck(o, &PyMPIComm_Type)) {
        PyErr_Format(PyExc_TypeError, "comm: expected an MPI.Comm, got %.100s",
                     Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Comm *)out = COMM(o);
    return 1;
}

int pympi_comm_set_eh(MPI_Comm comm)
{
    if (comm == MPI_COMM_NULL || pympi_errors_mode == PYMPI_ERRORS_DEFAULT)
        return MPI_SUCCESS;
    return MPI_Comm_set_errhandler(comm, pympi_errors_mode == PYMPI_ERRORS_EXCEPTION
                                             ? MPI_ERRORS_RETURN : MPI_ERRORS_ARE_FATAL);
}

/* A constructor's result: the error handler set, wrapped in `type`; frees the
 * communicator if that fails, so no handle leaks. */
static PyObject *new_result(PyTypeObject *type, MPI_Comm comm)
{
    int ierr = pympi_comm_set_eh(comm);
    PyObject *o = ierr == MPI_SUCCESS ? pympi_comm_new(type, comm, PYMPI_OWNED) : NULL;
    if (o == NULL) {
        if (comm != MPI_COMM_NULL)
            MPI_Comm_free(&comm);
        if (ierr != MPI_SUCCESS)
            pympi_raise(ierr);
    }
    return o;
}

/* The class of Split/Create/...'s results: Intercomm or Intracomm, as mpi4py. */
static PyTypeObject *split_class(PyObject *self)
{
    if (PyObject_TypeCheck(self, &PyMPIIntercomm_Type))
        return &PyMPIIntercomm_Type;
    if (PyObject_TypeCheck(self, &PyMPIIntracomm_Type))
        return &PyMPIIntracomm_Type;
    return &PyMPIComm_Type;
}

/* Typed arguments, named in the TypeError. */
static int comm_arg(PyObject *o, const char *name, MPI_Comm *out)
{
    if (!PyObject_TypeCheck(o, &PyMPIComm_Type)) {
        PyErr_Format(PyExc_TypeError, "%s: expected an MPI.Comm, got %.100s", name,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    *out = COMM(o);
    return 0;
}

static int group_arg(PyObject *o, const char *name, MPI_Group *out)
{
    if (!PyObject_TypeCheck(o, &PyMPIGroup_Type)) {
        PyErr_Format(PyExc_TypeError, "%s: expected an MPI.Group, got %.100s", name,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    *out = ((PyMPIGroupObject *)o)->ob_mpi;
    return 0;
}

/* An Info argument; NULL (absent) gives INFO_NULL, None too when `none_ok`. */
static int info_arg(PyObject *o, const char *name, int none_ok, MPI_Info *out)
{
    *out = MPI_INFO_NULL;
    if (o == NULL || (none_ok && o == Py_None))
        return 0;
    if (!PyObject_TypeCheck(o, &PyMPIInfo_Type)) {
        PyErr_Format(PyExc_TypeError, "%s: expected an MPI.Info, got %.100s", name,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    *out = ((PyMPIInfoObject *)o)->ob_mpi;
    return 0;
}

/* ---- object protocol ------------------------------------------------------------------- */

/* Comm(comm): another object for the same handle, which must suit the class. */
static const char *unsuitable(PyTypeObject *type, MPI_Comm comm, int *ierr)
{
    int inter = 0, topo = MPI_UNDEFINED;
    *ierr = MPI_SUCCESS;
    if (comm == MPI_COMM_NULL || (!PyType_IsSubtype(type, &PyMPIIntracomm_Type) &&
                                  !PyType_IsSubtype(type, &PyMPIIntercomm_Type)))
        return NULL;
    if ((*ierr = MPI_Comm_test_inter(comm, &inter)) != MPI_SUCCESS)
        return NULL;
    if (PyType_IsSubtype(type, &PyMPIIntercomm_Type))
        return inter ? NULL : "expecting an intercommunicator";
    if (inter)
        return "expecting an intracommunicator";
    if (!PyType_IsSubtype(type, &PyMPITopocomm_Type))
        return NULL;
    if ((*ierr = MPI_Topo_test(comm, &topo)) != MPI_SUCCESS)
        return NULL;
    if (PyType_IsSubtype(type, &PyMPICartcomm_Type))
        return topo == MPI_CART ? NULL : "expecting a Cartesian communicator";
    if (PyType_IsSubtype(type, &PyMPIGraphcomm_Type))
        return topo == MPI_GRAPH ? NULL : "expecting a general graph communicator";
    if (PyType_IsSubtype(type, &PyMPIDistgraphcomm_Type))
        return topo == MPI_DIST_GRAPH ? NULL : "expecting a distributed graph communicator";
    return topo != MPI_UNDEFINED ? NULL : "expecting a topology communicator";
}

static PyObject *comm_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *other = NULL;
    static char *kwlist[] = {"comm", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:Comm", kwlist, &other))
        return NULL;
    MPI_Comm comm = MPI_COMM_NULL;
    if (other != NULL && other != Py_None) {
        if (comm_arg(other, "comm", &comm) < 0)
            return NULL;
        int ierr;
        const char *why = unsuitable(type, comm, &ierr);
        if (ierr != MPI_SUCCESS) {
            pympi_raise(ierr);
            return NULL;
        }
        if (why != NULL) {
            PyErr_Format(PyExc_TypeError, "comm: %s", why);
            return NULL;
        }
    }
    return pympi_comm_new(type, comm, 0);
}

PYMPI_HANDLE_COMPARE(comm, Comm, MPI_COMM_NULL)

/* ---- size, rank, group, comparison ------------------------------------------------------ */

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

static PyObject *comm_Get_group(PyObject *self, PyObject *unused)
{
    MPI_Group group = MPI_GROUP_NULL;
    PYMPI_CHK(MPI_Comm_group(COMM(self), &group));
    return pympi_group_new(group, PYMPI_OWNED);
fail:
    return NULL;
}

static PyObject *comm_Compare(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    static const char *const names[] = {"comm1", "comm2"};
    PyObject *a[2];
    MPI_Comm c1, c2;
    int result;
    if (pympi_bind_args("Compare", names, 2, 2, args, nargs, kwnames, a) < 0 ||
        comm_arg(a[0], "comm1", &c1) < 0 || comm_arg(a[1], "comm2", &c2) < 0)
        return NULL;
    PYMPI_CHK(MPI_Comm_compare(c1, c2, &result));
    return PyLong_FromLong(result);
fail:
    return NULL;
}

static PyObject *comm_Is_inter(PyObject *self, PyObject *unused)
{
    int inter;
    PYMPI_CHK(MPI_Comm_test_inter(COMM(self), &inter));
    return PyBool_FromLong(inter);
fail:
    return NULL;
}

static PyObject *comm_Is_intra(PyObject *self, PyObject *unused)
{
    int inter;
    PYMPI_CHK(MPI_Comm_test_inter(COMM(self), &inter));
    return PyBool_FromLong(!inter);
fail:
    return NULL;
}

static PyObject *comm_Get_topology(PyObject *self, PyObject *unused)
{
    int topo;
    PYMPI_CHK(MPI_Topo_test(COMM(self), &topo));
    return PyLong_FromLong(topo);
fail:
    return NULL;
}

/* ---- constructors ------------------------------------------------------------------------ */

static PyObject *comm_Dup(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames)
{
    static const char *const names[] = {"info"};
    PyObject *a[1];
    MPI_Info info;
    if (pympi_bind_args("Dup", names, 0, 1, args, nargs, kwnames, a) < 0 ||
        info_arg(a[0], "info", 1, &info) < 0)
        return NULL;
    MPI_Comm dup = MPI_COMM_NULL;
    if (info == MPI_INFO_NULL)
        PYMPI_CHK_NOGIL(MPI_Comm_dup(COMM(self), &dup));
    else
        PYMPI_CHK_NOGIL(MPI_Comm_dup_with_info(COMM(self), info, &dup));
    return new_result(Py_TYPE(self), dup);
fail:
    return NULL;
}

static PyObject *comm_Clone(PyObject *self, PyObject *unused)
{
    MPI_Comm dup = MPI_COMM_NULL;
    PYMPI_CHK_NOGIL(MPI_Comm_dup(COMM(self), &dup));
    return new_result(Py_TYPE(self), dup);
fail:
    return NULL;
}

static PyObject *comm_Dup_with_info(PyObject *self, PyObject *arg)
{
    MPI_Info info;
    if (info_arg(arg, "info", 0, &info) < 0)
        return NULL;
    MPI_Comm dup = MPI_COMM_NULL;
    PYMPI_CHK_NOGIL(MPI_Comm_dup_with_info(COMM(self), info, &dup));
    return new_result(Py_TYPE(self), dup);
fail:
    return NULL;
}

static PyObject *comm_Idup(PyObject *self, PyObject *unused)
{
    MPI_Comm dup = MPI_COMM_NULL;
    MPI_Request req = MPI_REQUEST_NULL;
    PYMPI_CHK_NOGIL(MPI_Comm_idup(COMM(self), &dup, &req));
    PyObject *c = new_result(Py_TYPE(self), dup);
    PyObject *r = c ? pympi_request_new(&PyMPIRequest_Type, req, NULL, PYMPI_REQ_PLAIN) : NULL;
    if (r == NULL) {
        /* Already complete in liblitempi: waiting cannot block. */
        if (req != MPI_REQUEST_NULL)
            MPI_Wait(&req, MPI_STATUS_IGNORE);
        if (c != NULL)
            MPI_Comm_free(&((PyMPICommObject *)c)->ob_mpi);
        Py_XDECREF(c);
        return NULL;
    }
    PyObject *t = PyTuple_Pack(2, c, r);
    Py_DECREF(c);
    Py_DECREF(r);
    return t;
fail:
    return NULL;
}

static PyObject *comm_Create(PyObject *self, PyObject *arg)
{
    MPI_Group group;
    if (group_arg(arg, "group", &group) < 0)
        return NULL;
    MPI_Comm out = MPI_COMM_NULL;
    PYMPI_CHK_NOGIL(MPI_Comm_create(COMM(self), group, &out));
    return new_result(split_class(self), out);
fail:
    return NULL;
}

static PyObject *comm_Create_group(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                   PyObject *kwnames)
{
    static const char *const names[] = {"group", "tag"};
    PyObject *a[2];
    MPI_Group group;
    int tag;
    if (pympi_bind_args("Create_group", names, 1, 2, args, nargs, kwnames, a) < 0 ||
        group_arg(a[0], "group", &group) < 0 || pympi_int_arg(a[1], 0, "tag", &tag) < 0)
        return NULL;
    MPI_Comm out = MPI_COMM_NULL;
    PYMPI_CHK_NOGIL(MPI_Comm_create_group(COMM(self), group, tag, &out));
    return new_result(split_class(self), out);
fail:
    return NULL;
}

static PyObject *comm_Split(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    static const char *const names[] = {"color", "key"};
    PyObject *a[2];
    int color, key;
    if (pympi_bind_args("Split", names, 0, 2, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], 0, "color", &color) < 0 || pympi_int_arg(a[1], 0, "key", &key) < 0)
        return NULL;
    MPI_Comm out = MPI_COMM_NULL;
    PYMPI_CHK_NOGIL(MPI_Comm_split(COMM(self), color, key, &out));
    return new_result(split_class(self), out);
fail:
    return NULL;
}

static PyObject *comm_Split_type(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                 PyObject *kwnames)
{
    static const char *const names[] = {"split_type", "key", "info"};
    PyObject *a[3];
    int split_type, key;
    MPI_Info info;
    if (pympi_bind_args("Split_type", names, 1, 3, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], 0, "split_type", &split_type) < 0 ||
        pympi_int_arg(a[1], 0, "key", &key) < 0 || info_arg(a[2], "info", 1, &info) < 0)
        return NULL;
    MPI_Comm out = MPI_COMM_NULL;
    PYMPI_CHK_NOGIL(MPI_Comm_split_type(COMM(self), split_type, key, info, &out));
    return new_result(split_class(self), out);
fail:
    return NULL;
}

static PyObject *comm_Free(PyObject *self, PyObject *unused)
{
    PyMPICommObject *c = (PyMPICommObject *)self;
    /* A module constant keeps its handle whatever MPI says (MPI refuses anyway). */
    MPI_Comm comm = c->ob_mpi;
    PYMPI_CHK(MPI_Comm_free(&comm));
    if (!(c->flags & PYMPI_CONST))
        c->ob_mpi = comm;
    Py_RETURN_NONE;
fail:
    return NULL;
}

/* ---- info and name ------------------------------------------------------------------------ */

static PyObject *comm_Set_info(PyObject *self, PyObject *arg)
{
    MPI_Info info;
    if (info_arg(arg, "info", 0, &info) < 0)
        return NULL;
    PYMPI_CHK(MPI_Comm_set_info(COMM(self), info));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *comm_Get_info(PyObject *self, PyObject *unused)
{
    MPI_Info info = MPI_INFO_NULL;
    PYMPI_CHK(MPI_Comm_get_info(COMM(self), &info));
    PyObject *o = pympi_info_new(info, PYMPI_OWNED);
    if (o == NULL)
        MPI_Info_free(&info);
    return o;
fail:
    return NULL;
}

static PyObject *comm_Set_name(PyObject *self, PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "name: expected a str, got %.100s", Py_TYPE(arg)->tp_name);
        return NULL;
    }
    Py_ssize_t len;
    const char *name = PyUnicode_AsUTF8AndSize(arg, &len);
    if (name == NULL)
        return NULL;
    if (strlen(name) != (size_t)len) {
        PyErr_SetString(PyExc_ValueError, "name: embedded null character");
        return NULL;
    }
    PYMPI_CHK(MPI_Comm_set_name(COMM(self), name));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *comm_Get_name(PyObject *self, PyObject *unused)
{
    char name[MPI_MAX_OBJECT_NAME + 1];
    int len = 0;
    PYMPI_CHK(MPI_Comm_get_name(COMM(self), name, &len));
    return PyUnicode_DecodeUTF8(name, len, "replace");
fail:
    return NULL;
}

/* ---- attributes ---------------------------------------------------------------------------- */

static PyObject *comm_Get_attr(PyObject *self, PyObject *arg)
{
    int keyval;
    if (pympi_int_arg(arg, 0, "keyval", &keyval) < 0)
        return NULL;
    return pympi_attr_get(PYMPI_ATTR_COMM, (void *)COMM(self), keyval);
}

static PyObject *comm_Set_attr(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                               PyObject *kwnames)
{
    static const char *const names[] = {"keyval", "attrval"};
    PyObject *a[2];
    int keyval;
    if (pympi_bind_args("Set_attr", names, 2, 2, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], 0, "keyval", &keyval) < 0)
        return NULL;
    return pympi_attr_set(PYMPI_ATTR_COMM, (void *)COMM(self), keyval, a[1]);
}

static PyObject *comm_Delete_attr(PyObject *self, PyObject *arg)
{
    int keyval;
    if (pympi_int_arg(arg, 0, "keyval", &keyval) < 0)
        return NULL;
    return pympi_attr_delete(PYMPI_ATTR_COMM, (void *)COMM(self), keyval);
}

static PyObject *comm_Create_keyval(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                                    PyObject *kwnames)
{
    static const char *const names[] = {"copy_fn", "delete_fn", "nopython"};
    PyObject *a[3];
    int nopython = 0;
    if (pympi_bind_args("Create_keyval", names, 0, 3, args, nargs, kwnames, a) < 0 ||
        (a[2] != NULL && (nopython = PyObject_IsTrue(a[2])) < 0))
        return NULL;
    return pympi_keyval_create(PYMPI_ATTR_COMM, a[0], a[1], nopython);
}

static PyObject *comm_Free_keyval(PyObject *cls, PyObject *arg)
{
    int keyval;
    if (pympi_int_arg(arg, 0, "keyval", &keyval) < 0)
        return NULL;
    return pympi_keyval_free(PYMPI_ATTR_COMM, keyval);
}

/* ---- error handling and abort ------------------------------------------------------------- */

static PyObject *comm_Get_errhandler(PyObject *self, PyObject *unused)
{
    MPI_Errhandler eh = MPI_ERRHANDLER_NULL;
    PYMPI_CHK(MPI_Comm_get_errhandler(COMM(self), &eh));
    return pympi_errhandler_new(eh, PYMPI_OWNED);
fail:
    return NULL;
}

static PyObject *comm_Set_errhandler(PyObject *self, PyObject *arg)
{
    MPI_Errhandler eh;
    if (!pympi_conv_errhandler(arg, &eh))
        return NULL;
    PYMPI_CHK(MPI_Comm_set_errhandler(COMM(self), eh));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *comm_Call_errhandler(PyObject *self, PyObject *arg)
{
    int code;
    if (pympi_int_arg(arg, 0, "errorcode", &code) < 0)
        return NULL;
    PYMPI_CHK(MPI_Comm_call_errhandler(COMM(self), code));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *comm_Abort(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    static const char *const names[] = {"errorcode"};
    PyObject *a[1];
    int code;
    if (pympi_bind_args("Abort", names, 0, 1, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], 0, "errorcode", &code) < 0)
        return NULL;
    /* What the program printed must not die in Python's buffers with the process. */
    static const char *const streams[] = {"stdout", "stderr"};
    for (int i = 0; i < 2; i++) {
        PyObject *f = PySys_GetObject(streams[i]);
        PyObject *r = f && f != Py_None ? PyObject_CallMethod(f, "flush", NULL) : NULL;
        Py_XDECREF(r);
        PyErr_Clear();
    }
    PYMPI_CHK(MPI_Abort(COMM(self), code));
    Py_RETURN_NONE;
fail:
    return NULL;
}

/* ---- integer handles and pickling -------------------------------------------------------- */

static PyObject *comm_py2f(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(MPI_Comm_toint(COMM(self)));
}

static PyObject *comm_f2py(PyObject *cls, PyObject *arg)
{
    int v;
    if (pympi_int_arg(arg, 0, "arg", &v) < 0)
        return NULL;
    MPI_Comm comm = MPI_Comm_fromint(v);
    PyTypeObject *type = (PyTypeObject *)cls;
    return pympi_comm_new(type == &PyMPIComm_Type ? class_of(comm) : type, comm, 0);
}

/* ---- properties --------------------------------------------------------------------------- */

static PyObject *get_size(PyObject *self, void *c) { return comm_Get_size(self, NULL); }
static PyObject *get_rank(PyObject *self, void *c) { return comm_Get_rank(self, NULL); }
static PyObject *get_group(PyObject *self, void *c) { return comm_Get_group(self, NULL); }
static PyObject *get_info(PyObject *self, void *c) { return comm_Get_info(self, NULL); }
static PyObject *get_name(PyObject *self, void *c) { return comm_Get_name(self, NULL); }
static PyObject *get_is_inter(PyObject *self, void *c) { return comm_Is_inter(self, NULL); }
static PyObject *get_is_intra(PyObject *self, void *c) { return comm_Is_intra(self, NULL); }
static PyObject *get_topology(PyObject *self, void *c) { return comm_Get_topology(self, NULL); }

static PyObject *get_is_topo(PyObject *self, void *c)
{
    int topo;
    PYMPI_CHK(MPI_Topo_test(COMM(self), &topo));
    return PyBool_FromLong(topo != MPI_UNDEFINED);
fail:
    return NULL;
}

static int deleting(PyObject *value, const char *name)
{
    if (value != NULL)
        return 0;
    PyErr_Format(PyExc_AttributeError, "cannot delete attribute '%s'", name);
    return 1;
}

static int set_info(PyObject *self, PyObject *value, void *c)
{
    PyObject *r = deleting(value, "info") ? NULL : comm_Set_info(self, value);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

static int set_name(PyObject *self, PyObject *value, void *c)
{
    PyObject *r = deleting(value, "name") ? NULL : comm_Set_name(self, value);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

static PyGetSetDef comm_getset[] = {
    {"size", get_size, NULL, "Number of processes in the group.", NULL},
    {"rank", get_rank, NULL, "Rank of this process.", NULL},
    {"group", get_group, NULL, "The group of the communicator (a new Group).", NULL},
    {"info", get_info, set_info, "The hints in use (a new Info); assigning sets hints.", NULL},
    {"name", get_name, set_name, "The communicator's name.", NULL},
    {"is_inter", get_is_inter, NULL, "Whether this is an intercommunicator.", NULL},
    {"is_intra", get_is_intra, NULL, "Whether this is an intracommunicator.", NULL},
    {"topology", get_topology, NULL, "CART, GRAPH, DIST_GRAPH or UNDEFINED.", NULL},
    {"is_topo", get_is_topo, NULL, "Whether a topology is attached.", NULL},
    {NULL},
};

PYMPI_ONE_ARG(comm_Dup_with_info, "Dup_with_info", "info")
PYMPI_ONE_ARG(comm_Create, "Create", "group")
PYMPI_ONE_ARG(comm_Set_info, "Set_info", "info")
PYMPI_ONE_ARG(comm_Get_attr, "Get_attr", "keyval")
PYMPI_ONE_ARG(comm_Delete_attr, "Delete_attr", "keyval")
PYMPI_ONE_ARG(comm_Free_keyval, "Free_keyval", "keyval")
PYMPI_ONE_ARG(comm_Set_errhandler, "Set_errhandler", "errhandler")
PYMPI_ONE_ARG(comm_Call_errhandler, "Call_errhandler", "errorcode")
PYMPI_ONE_ARG(comm_Set_name, "Set_name", "name")
PYMPI_ONE_ARG(comm_f2py, "f2py", "arg")

/* Docstrings start with the signature (`name(...)\n--\n\n`) so help() and inspect show
 * mpi4py's argument names and defaults. */
PyMethodDef pympi_comm_core_methods[] = {
    {"Get_group", comm_Get_group, METH_NOARGS,
     "Get_group($self, /)\n--\n\nThe group of the communicator."},
    {"Get_size", comm_Get_size, METH_NOARGS,
     "Get_size($self, /)\n--\n\nNumber of processes in the group."},
    {"Get_rank", comm_Get_rank, METH_NOARGS,
     "Get_rank($self, /)\n--\n\nRank of this process in the communicator."},
    {"Compare", PYMPI_FASTCALL(comm_Compare) | METH_CLASS,
     "Compare($type, /, comm1, comm2)\n--\n\n"
     "Compare two communicators: IDENT, CONGRUENT, SIMILAR or UNEQUAL."},
    {"Clone", comm_Clone, METH_NOARGS, "Clone($self, /)\n--\n\nDuplicate the communicator."},
    {"Dup", PYMPI_FASTCALL(comm_Dup),
     "Dup($self, /, info=None)\n--\n\nDuplicate the communicator (with new hints)."},
    {"Dup_with_info", PYMPI_FASTCALL(comm_Dup_with_info_kw),
     "Dup_with_info($self, /, info)\n--\n\nDuplicate the communicator with new hints."},
    {"Idup", comm_Idup, METH_NOARGS,
     "Idup($self, /)\n--\n\nNonblocking duplicate: (Comm, Request)."},
    {"Create", PYMPI_FASTCALL(comm_Create_kw),
     "Create($self, /, group)\n--\n\nCommunicator over a subgroup (collective)."},
    {"Create_group", PYMPI_FASTCALL(comm_Create_group),
     "Create_group($self, /, group, tag=0)\n--\n\n"
     "Communicator over a subgroup (collective over the group only)."},
    {"Split", PYMPI_FASTCALL(comm_Split),
     "Split($self, /, color=0, key=0)\n--\n\nSplit the communicator by color and key."},
    {"Split_type", PYMPI_FASTCALL(comm_Split_type),
     "Split_type($self, /, split_type, key=0, info=None)\n--\n\n"
     "Split the communicator by type (COMM_TYPE_SHARED, ...) and key."},
    {"Free", comm_Free, METH_NOARGS, "Free($self, /)\n--\n\nFree the communicator."},
    {"Set_info", PYMPI_FASTCALL(comm_Set_info_kw),
     "Set_info($self, /, info)\n--\n\nSet the hints of the communicator."},
    {"Get_info", comm_Get_info, METH_NOARGS,
     "Get_info($self, /)\n--\n\nThe hints in use (a new Info)."},
    {"Is_inter", comm_Is_inter, METH_NOARGS,
     "Is_inter($self, /)\n--\n\nWhether this is an intercommunicator."},
    {"Is_intra", comm_Is_intra, METH_NOARGS,
     "Is_intra($self, /)\n--\n\nWhether this is an intracommunicator."},
    {"Get_topology", comm_Get_topology, METH_NOARGS,
     "Get_topology($self, /)\n--\n\nTopology kind: CART, GRAPH, DIST_GRAPH or UNDEFINED."},
    {"Get_attr", PYMPI_FASTCALL(comm_Get_attr_kw),
     "Get_attr($self, /, keyval)\n--\n\nAttribute value of a keyval (None if not set)."},
    {"Set_attr", PYMPI_FASTCALL(comm_Set_attr),
     "Set_attr($self, /, keyval, attrval)\n--\n\nCache an attribute value under a keyval."},
    {"Delete_attr", PYMPI_FASTCALL(comm_Delete_attr_kw),
     "Delete_attr($self, /, keyval)\n--\n\nDelete the attribute of a keyval."},
    {"Create_keyval", PYMPI_FASTCALL(comm_Create_keyval) | METH_CLASS,
     "Create_keyval($type, /, copy_fn=None, delete_fn=None, nopython=False)\n--\n\n"
     "New attribute keyval, with Python copy and delete callbacks."},
    {"Free_keyval", PYMPI_FASTCALL(comm_Free_keyval_kw) | METH_CLASS,
     "Free_keyval($type, /, keyval)\n--\n\nFree an attribute keyval; returns KEYVAL_INVALID."},
    {"Get_errhandler", comm_Get_errhandler, METH_NOARGS,
     "Get_errhandler($self, /)\n--\n\nThe error handler."},
    {"Set_errhandler", PYMPI_FASTCALL(comm_Set_errhandler_kw),
     "Set_errhandler($self, /, errhandler)\n--\n\nSet the error handler."},
    {"Call_errhandler", PYMPI_FASTCALL(comm_Call_errhandler_kw),
     "Call_errhandler($self, /, errorcode)\n--\n\nInvoke the error handler with a code."},
    {"Abort", PYMPI_FASTCALL(comm_Abort),
     "Abort($self, /, errorcode=0)\n--\n\nTerminate every process of the job."},
    {"Get_name", comm_Get_name, METH_NOARGS,
     "Get_name($self, /)\n--\n\nThe communicator's name."},
    {"Set_name", PYMPI_FASTCALL(comm_Set_name_kw),
     "Set_name($self, /, name)\n--\n\nSet the communicator's name."},
    {"py2f", comm_py2f, METH_NOARGS,
     "py2f($self, /)\n--\n\nInteger handle (MPI_Comm_toint)."},
    {"f2py", PYMPI_FASTCALL(comm_f2py_kw) | METH_CLASS,
     "f2py($type, /, arg)\n--\n\nCommunicator from an integer handle."},
    {"__reduce__", pympi_reduce_handle, METH_NOARGS, "Pickle by name."},
    {NULL},
};

/* ---- Intracomm ------------------------------------------------------------------------------ */

static PyObject *intra_Create_intercomm(PyObject *self, PyObject *const *args,
                                        Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"local_leader", "peer_comm", "remote_leader", "tag"};
    PyObject *a[4];
    int local_leader, remote_leader, tag;
    MPI_Comm peer;
    if (pympi_bind_args("Create_intercomm", names, 3, 4, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], 0, "local_leader", &local_leader) < 0 ||
        comm_arg(a[1], "peer_comm", &peer) < 0 ||
        pympi_int_arg(a[2], 0, "remote_leader", &remote_leader) < 0 ||
        pympi_int_arg(a[3], 0, "tag", &tag) < 0)
        return NULL;
    MPI_Comm out = MPI_COMM_NULL;
    PYMPI_CHK_NOGIL(MPI_Intercomm_create(COMM(self), local_leader, peer, remote_leader, tag,
                                         &out));
    return new_result(&PyMPIIntercomm_Type, out);
fail:
    return NULL;
}

static PyMethodDef intracomm_core_methods[] = {
    {"Create_intercomm", PYMPI_FASTCALL(intra_Create_intercomm),
     "Create_intercomm($self, /, local_leader, peer_comm, remote_leader, tag=0)\n--\n\n"
     "Intercommunicator joining this group and a remote one (collective)."},
    {NULL},
};

/* ---- Intercomm ------------------------------------------------------------------------------ */

static PyObject *inter_Get_remote_group(PyObject *self, PyObject *unused)
{
    MPI_Group group = MPI_GROUP_NULL;
    PYMPI_CHK(MPI_Comm_remote_group(COMM(self), &group));
    return pympi_group_new(group, PYMPI_OWNED);
fail:
    return NULL;
}

static PyObject *inter_Get_remote_size(PyObject *self, PyObject *unused)
{
    int size;
    PYMPI_CHK(MPI_Comm_remote_size(COMM(self), &size));
    return PyLong_FromLong(size);
fail:
    return NULL;
}

static PyObject *inter_Merge(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames)
{
    static const char *const names[] = {"high"};
    PyObject *a[1];
    int high = 0;
    if (pympi_bind_args("Merge", names, 0, 1, args, nargs, kwnames, a) < 0 ||
        (a[0] != NULL && (high = PyObject_IsTrue(a[0])) < 0))
        return NULL;
    MPI_Comm out = MPI_COMM_NULL;
    PYMPI_CHK_NOGIL(MPI_Intercomm_merge(COMM(self), high, &out));
    return new_result(&PyMPIIntracomm_Type, out);
fail:
    return NULL;
}

static PyObject *get_remote_group(PyObject *self, void *c)
{
    return inter_Get_remote_group(self, NULL);
}

static PyObject *get_remote_size(PyObject *self, void *c)
{
    return inter_Get_remote_size(self, NULL);
}

static PyMethodDef intercomm_methods[] = {
    {"Get_remote_group", inter_Get_remote_group, METH_NOARGS,
     "Get_remote_group($self, /)\n--\n\nThe remote group."},
    {"Get_remote_size", inter_Get_remote_size, METH_NOARGS,
     "Get_remote_size($self, /)\n--\n\nNumber of processes in the remote group."},
    {"Merge", PYMPI_FASTCALL(inter_Merge),
     "Merge($self, /, high=False)\n--\n\n"
     "Intracommunicator of both groups (high: this group's ranks come last)."},
    {NULL},
};

static PyGetSetDef intercomm_getset[] = {
    {"remote_group", get_remote_group, NULL, "The remote group (a new Group).", NULL},
    {"remote_size", get_remote_size, NULL, "Number of processes in the remote group.", NULL},
    {NULL},
};

/* ---- per-communicator state for mpi4py.util: locks and private duplicates --------------- */

/*
 * _comm_lock_table, _comm_lock, _commctx_intra and _commctx_inter keep their state in a
 * dict cached on the communicator under one private keyval, so it lives and dies with the
 * communicator: the keyval's delete callback frees the duplicates made here. The dict
 * holds "locks" (key -> threading lock) and "ctx" ([dup, next tag] for an
 * intracommunicator, [dup, next tag, local intracomm, low group] for an intercommunicator).
 */
static int ctx_keyval = MPI_KEYVAL_INVALID;

static PyObject *ctx_delete(PyObject *unused, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *ctx = nargs == 3 && PyDict_Check(args[2]) ? PyDict_GetItemString(args[2], "ctx")
                                                        : NULL;
    for (Py_ssize_t i = 0; ctx != NULL && i < PyList_GET_SIZE(ctx); i++) {
        PyObject *o = PyList_GET_ITEM(ctx, i);
        if (PyObject_TypeCheck(o, &PyMPIComm_Type) && COMM(o) != MPI_COMM_NULL)
            MPI_Comm_free(&((PyMPICommObject *)o)->ob_mpi);
    }
    Py_RETURN_NONE;
}

static PyMethodDef ctx_delete_def = {"_commctx_delete", (PyCFunction)(void (*)(void))ctx_delete,
                                     METH_FASTCALL, "Frees a communicator's private duplicates."};

/* The state dict of a communicator (new reference), made on first use. */
static PyObject *comm_state(MPI_Comm comm)
{
    if (ctx_keyval == MPI_KEYVAL_INVALID) {
        PyObject *fn = PyCFunction_New(&ctx_delete_def, NULL);
        PyObject *kv = fn ? pympi_keyval_create(PYMPI_ATTR_COMM, NULL, fn, 0) : NULL;
        Py_XDECREF(fn);
        if (kv == NULL)
            return NULL;
        ctx_keyval = (int)PyLong_AsLong(kv);
        Py_DECREF(kv);
    }
    PyObject *state = pympi_attr_get(PYMPI_ATTR_COMM, (void *)comm, ctx_keyval);
    if (state == NULL || state != Py_None)
        return state;
    Py_DECREF(state);
    state = PyDict_New();
    PyObject *r = state ? pympi_attr_set(PYMPI_ATTR_COMM, (void *)comm, ctx_keyval, state) : NULL;
    if (r == NULL)
        Py_CLEAR(state);
    Py_XDECREF(r);
    return state;
}

static PyObject *mod_comm_lock_table(PyObject *m, PyObject *arg)
{
    MPI_Comm comm;
    if (comm_arg(arg, "comm", &comm) < 0)
        return NULL;
    PyObject *state = comm_state(comm);
    if (state == NULL)
        return NULL;
    PyObject *table = PyDict_GetItemString(state, "locks");
    if (table != NULL) {
        Py_INCREF(table);
    } else if ((table = PyDict_New()) != NULL && PyDict_SetItemString(state, "locks", table) < 0) {
        Py_CLEAR(table);
    }
    Py_DECREF(state);
    return table;
}

static PyObject *mod_comm_lock(PyObject *m, PyObject *const *args, Py_ssize_t nargs,
                               PyObject *kwnames)
{
    static const char *const names[] = {"comm", "key"};
    PyObject *a[2];
    if (pympi_bind_args("_comm_lock", names, 1, 2, args, nargs, kwnames, a) < 0)
        return NULL;
    PyObject *key = a[1] ? a[1] : Py_None;
    PyObject *table = mod_comm_lock_table(m, a[0]);
    if (table == NULL)
        return NULL;
    PyObject *lock = PyDict_GetItemWithError(table, key);
    if (lock != NULL) {
        Py_INCREF(lock);
    } else if (!PyErr_Occurred()) {
        PyObject *thread = PyImport_ImportModule("_thread");
        lock = thread ? PyObject_CallMethod(thread, "allocate_lock", NULL) : NULL;
        Py_XDECREF(thread);
        if (lock != NULL && PyDict_SetItem(table, key, lock) < 0)
            Py_CLEAR(lock);
    }
    Py_DECREF(table);
    return lock;
}

/* A private duplicate's next tag, wrapping at MPI_TAG_UB. */
static PyObject *next_tag(PyObject *ctx, MPI_Comm comm)
{
    PyObject *tag = Py_NewRef(PyList_GET_ITEM(ctx, 1));
    void *ub = NULL;
    int flag = 0;
    MPI_Comm_get_attr(comm, MPI_TAG_UB, &ub, &flag);
    long next = PyLong_AsLong(tag) + 1;
    if (flag && next > *(int *)ub)
        next = 0;
    PyObject *n = PyLong_FromLong(next);
    if (n == NULL || PyList_SetItem(ctx, 1, n) < 0)
        Py_CLEAR(tag);
    return tag;
}

/* The "ctx" list of a communicator (new reference), made by `make` on first use. */
static PyObject *commctx(PyObject *self, PyObject *(*make)(MPI_Comm))
{
    PyObject *state = comm_state(COMM(self));
    if (state == NULL)
        return NULL;
    PyObject *ctx = PyDict_GetItemString(state, "ctx");
    if (ctx != NULL) {
        Py_INCREF(ctx);
    } else if ((ctx = make(COMM(self))) != NULL && PyDict_SetItemString(state, "ctx", ctx) < 0) {
        Py_CLEAR(ctx);      /* the duplicates leak only on out-of-memory */
    }
    Py_DECREF(state);
    return ctx;
}

static PyObject *make_intra_ctx(MPI_Comm comm)
{
    MPI_Comm dup = MPI_COMM_NULL;
    PYMPI_CHK_NOGIL(MPI_Comm_dup(comm, &dup));
    PyObject *d = new_result(&PyMPIIntracomm_Type, dup);
    return d ? Py_BuildValue("[Ni]", d, 0) : NULL;
fail:
    return NULL;
}

static PyObject *make_inter_ctx(MPI_Comm comm)
{
    MPI_Comm dup = MPI_COMM_NULL, merged = MPI_COMM_NULL, local = MPI_COMM_NULL;
    int lrank, mrank, ierr;
    PYMPI_CHK_NOGIL(MPI_Comm_dup(comm, &dup));
    PyObject *d = new_result(&PyMPIIntercomm_Type, dup);
    if (d == NULL)
        return NULL;
    /* Both sides merge with high = 0: MPI orders the groups, and a process whose rank is
     * unchanged by the merge is in the group that came first (the low group). */
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Intercomm_merge(comm, 0, &merged);
    if (ierr == MPI_SUCCESS && (ierr = MPI_Comm_rank(comm, &lrank)) == MPI_SUCCESS &&
        (ierr = MPI_Comm_rank(merged, &mrank)) == MPI_SUCCESS)
        ierr = MPI_Comm_split(merged, lrank == mrank, 0, &local);
    if (merged != MPI_COMM_NULL)
        MPI_Comm_free(&merged);
    Py_END_ALLOW_THREADS
    PyObject *l = ierr == MPI_SUCCESS ? new_result(&PyMPIIntracomm_Type, local) : NULL;
    if (l == NULL) {
        MPI_Comm_free(&((PyMPICommObject *)d)->ob_mpi);
        Py_DECREF(d);
        if (ierr != MPI_SUCCESS)
            pympi_raise(ierr);
        return NULL;
    }
    return Py_BuildValue("[NiNO]", d, 0, l, lrank == mrank ? Py_True : Py_False);
fail:
    return NULL;
}

static PyObject *mod_commctx_intra(PyObject *m, PyObject *arg)
{
    if (!PyObject_TypeCheck(arg, &PyMPIIntracomm_Type)) {
        PyErr_Format(PyExc_TypeError, "comm: expected an MPI.Intracomm, got %.100s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    PyObject *ctx = commctx(arg, make_intra_ctx);
    PyObject *tag = ctx ? next_tag(ctx, COMM(arg)) : NULL;
    PyObject *r = tag ? PyTuple_Pack(2, PyList_GET_ITEM(ctx, 0), tag) : NULL;
    Py_XDECREF(tag);
    Py_XDECREF(ctx);
    return r;
}

static PyObject *mod_commctx_inter(PyObject *m, PyObject *arg)
{
    if (!PyObject_TypeCheck(arg, &PyMPIIntercomm_Type)) {
        PyErr_Format(PyExc_TypeError, "comm: expected an MPI.Intercomm, got %.100s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    PyObject *ctx = commctx(arg, make_inter_ctx);
    PyObject *tag = ctx ? next_tag(ctx, COMM(arg)) : NULL;
    PyObject *r = tag ? PyTuple_Pack(4, PyList_GET_ITEM(ctx, 0), tag, PyList_GET_ITEM(ctx, 2),
                                     PyList_GET_ITEM(ctx, 3))
                      : NULL;
    Py_XDECREF(tag);
    Py_XDECREF(ctx);
    return r;
}

PYMPI_ONE_ARG(mod_comm_lock_table, "_comm_lock_table", "comm")
PYMPI_ONE_ARG(mod_commctx_intra, "_commctx_intra", "comm")
PYMPI_ONE_ARG(mod_commctx_inter, "_commctx_inter", "comm")

PyMethodDef pympi_module_comm_methods[] = {
    {"_comm_lock_table", PYMPI_FASTCALL(mod_comm_lock_table_kw),
     "_comm_lock_table($module, /, comm)\n--\n\n"
     "The communicator's table of locks (key -> threading lock)."},
    {"_lock_table", PYMPI_FASTCALL(mod_comm_lock_table_kw),
     "_lock_table($module, /, comm)\n--\n\n"
     "The communicator's table of locks (key -> threading lock)."},
    {"_comm_lock", PYMPI_FASTCALL(mod_comm_lock),
     "_comm_lock($module, /, comm, key=None)\n--\n\nThe communicator's lock for a key."},
    {"_commctx_intra", PYMPI_FASTCALL(mod_commctx_intra_kw),
     "_commctx_intra($module, /, comm)\n--\n\n"
     "(private duplicate, next tag) of an intracommunicator."},
    {"_commctx_inter", PYMPI_FASTCALL(mod_commctx_inter_kw),
     "_commctx_inter($module, /, comm)\n--\n\n"
     "(private duplicate, next tag, local intracommunicator, low group?) of an "
     "intercommunicator."},
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
    .tp_methods = intercomm_methods,
    .tp_getset = intercomm_getset,
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
    if (o == NULL || PyModule_AddObject(m, name, o) < 0) {
        Py_XDECREF(o);
        return -1;
    }
    return 0;
}

int pympi_init_comm(PyObject *m)
{
    PyMethodDef *const comm_tables[] = {pympi_comm_core_methods, pympi_comm_p2p_methods,
                                        pympi_comm_coll_methods, pympi_comm_obj_methods,
                                        pympi_comm_objcoll_methods};
    PyMethodDef *const intra_tables[] = {intracomm_core_methods, pympi_intracomm_coll_methods,
                                         pympi_intracomm_objcoll_methods};
    PyMPIComm_Type.tp_methods = merge_methods(comm_tables, 5);
    PyMPIIntracomm_Type.tp_methods = merge_methods(intra_tables, 3);
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
