/*
 * mpi4py.h - the C API of LiteMPI's mpi4py, for C extension modules that pass MPI handles
 * between Python and C (the same names as mpi4py's C API, for the handle kinds LiteMPI
 * implements; there is no Win or File).
 *
 *     #include <mpi4py/mpi4py.h>      include path: mpi4py.get_include(), plus mpicc's
 *
 *     PyMODINIT_FUNC PyInit_mylib(void) {
 *         if (import_mpi4py() < 0) return NULL;        once per translation unit
 *         ...
 *     }
 *     MPI_Comm *comm = PyMPIComm_Get(obj);     NULL (TypeError) unless obj is an MPI.Comm
 *     PyObject *o = PyMPIComm_New(comm);       Intracomm/Intercomm/Cartcomm/... by kind
 *     if (PyObject_TypeCheck(o, &PyMPIComm_Type)) ...
 *
 * PyMPI<Kind>_Get returns a pointer to the handle inside the object (write through it to
 * change what the object refers to). PyMPI<Kind>_New wraps a handle in a new object that
 * does not own it: the object never frees the handle (call its Free() for that).
 *
 * Everything here is header-only (static functions and per-file state), so nothing extra
 * is linked. The object structs give the layout every mpi4py.MPI object starts with: the
 * Python header, the MPI handle `ob_mpi`, `flags`; fields after these are private to the
 * module. tests/python/capi_check.c checks this against the module.
 */
#ifndef MPI4PY_H
#define MPI4PY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <string.h>
#include <mpi.h>

#define MPI4PY_OBJECT(Kind, Handle)                                                        \
    typedef struct PyMPI##Kind##Object {                                                   \
        PyObject_HEAD                                                                      \
        Handle ob_mpi;                                                                     \
        unsigned int flags;                                                                \
    } PyMPI##Kind##Object;

MPI4PY_OBJECT(Datatype, MPI_Datatype)
MPI4PY_OBJECT(Status, MPI_Status)
MPI4PY_OBJECT(Request, MPI_Request)
MPI4PY_OBJECT(Message, MPI_Message)
MPI4PY_OBJECT(Op, MPI_Op)
MPI4PY_OBJECT(Group, MPI_Group)
MPI4PY_OBJECT(Info, MPI_Info)
MPI4PY_OBJECT(Errhandler, MPI_Errhandler)
MPI4PY_OBJECT(Comm, MPI_Comm)
#undef MPI4PY_OBJECT

typedef PyMPIRequestObject PyMPIPrequestObject;
typedef PyMPIRequestObject PyMPIGrequestObject;
typedef PyMPICommObject PyMPIIntracommObject;
typedef PyMPICommObject PyMPITopocommObject;
typedef PyMPICommObject PyMPICartcommObject;
typedef PyMPICommObject PyMPIGraphcommObject;
typedef PyMPICommObject PyMPIDistgraphcommObject;
typedef PyMPICommObject PyMPIIntercommObject;

/* The classes of mpi4py.MPI, filled in by import_mpi4py(). */
enum {
    MPI4PY_Datatype, MPI4PY_Status, MPI4PY_Request, MPI4PY_Prequest, MPI4PY_Grequest,
    MPI4PY_Message, MPI4PY_Op, MPI4PY_Group, MPI4PY_Info, MPI4PY_Errhandler, MPI4PY_Comm,
    MPI4PY_Intracomm, MPI4PY_Topocomm, MPI4PY_Cartcomm, MPI4PY_Graphcomm,
    MPI4PY_Distgraphcomm, MPI4PY_Intercomm, MPI4PY_NTYPES
};
static PyTypeObject *mpi4py_types_[MPI4PY_NTYPES];

#define PyMPIDatatype_Type (*mpi4py_types_[MPI4PY_Datatype])
#define PyMPIStatus_Type (*mpi4py_types_[MPI4PY_Status])
#define PyMPIRequest_Type (*mpi4py_types_[MPI4PY_Request])
#define PyMPIPrequest_Type (*mpi4py_types_[MPI4PY_Prequest])
#define PyMPIGrequest_Type (*mpi4py_types_[MPI4PY_Grequest])
#define PyMPIMessage_Type (*mpi4py_types_[MPI4PY_Message])
#define PyMPIOp_Type (*mpi4py_types_[MPI4PY_Op])
#define PyMPIGroup_Type (*mpi4py_types_[MPI4PY_Group])
#define PyMPIInfo_Type (*mpi4py_types_[MPI4PY_Info])
#define PyMPIErrhandler_Type (*mpi4py_types_[MPI4PY_Errhandler])
#define PyMPIComm_Type (*mpi4py_types_[MPI4PY_Comm])
#define PyMPIIntracomm_Type (*mpi4py_types_[MPI4PY_Intracomm])
#define PyMPITopocomm_Type (*mpi4py_types_[MPI4PY_Topocomm])
#define PyMPICartcomm_Type (*mpi4py_types_[MPI4PY_Cartcomm])
#define PyMPIGraphcomm_Type (*mpi4py_types_[MPI4PY_Graphcomm])
#define PyMPIDistgraphcomm_Type (*mpi4py_types_[MPI4PY_Distgraphcomm])
#define PyMPIIntercomm_Type (*mpi4py_types_[MPI4PY_Intercomm])

/* Imports mpi4py.MPI (initialising MPI as mpi4py.rc says) and looks its classes up.
 * Returns 0, or -1 with an exception set. */
static inline int import_mpi4py__MPI(void)
{
    static const struct {
        const char *name;
        size_t size;
    } classes[MPI4PY_NTYPES] = {
        {"Datatype", sizeof(PyMPIDatatypeObject)},
        {"Status", sizeof(PyMPIStatusObject)},
        {"Request", sizeof(PyMPIRequestObject)},
        {"Prequest", sizeof(PyMPIRequestObject)},
        {"Grequest", sizeof(PyMPIRequestObject)},
        {"Message", sizeof(PyMPIMessageObject)},
        {"Op", sizeof(PyMPIOpObject)},
        {"Group", sizeof(PyMPIGroupObject)},
        {"Info", sizeof(PyMPIInfoObject)},
        {"Errhandler", sizeof(PyMPIErrhandlerObject)},
        {"Comm", sizeof(PyMPICommObject)},
        {"Intracomm", sizeof(PyMPICommObject)},
        {"Topocomm", sizeof(PyMPICommObject)},
        {"Cartcomm", sizeof(PyMPICommObject)},
        {"Graphcomm", sizeof(PyMPICommObject)},
        {"Distgraphcomm", sizeof(PyMPICommObject)},
        {"Intercomm", sizeof(PyMPICommObject)},
    };
    PyObject *module = PyImport_ImportModule("mpi4py.MPI");
    if (module == NULL)
        return -1;
    for (int i = 0; i < MPI4PY_NTYPES; i++) {
        PyObject *cls = PyObject_GetAttrString(module, classes[i].name);
        if (cls == NULL)
            goto fail;
        /* A class smaller than the struct here is not the layout this header describes. */
        if (!PyType_Check(cls) ||
            ((PyTypeObject *)cls)->tp_basicsize < (Py_ssize_t)classes[i].size) {
            PyErr_Format(PyExc_ImportError, "mpi4py.MPI.%s does not have the layout of "
                         "mpi4py/mpi4py.h", classes[i].name);
            Py_DECREF(cls);
            goto fail;
        }
        mpi4py_types_[i] = (PyTypeObject *)cls; /* kept: the module lives until exit */
    }
    Py_DECREF(module);
    return 0;
fail:
    Py_DECREF(module);
    return -1;
}

static inline int import_mpi4py(void)
{
    return import_mpi4py__MPI();
}

/* A new object of class `idx` (or a subclass) holding a copy of `*handle`. */
static inline PyObject *mpi4py_new_(int idx, const void *handle, size_t size)
{
    PyTypeObject *type = mpi4py_types_[idx];
    PyObject *obj = type->tp_alloc(type, 0);
    if (obj != NULL)
        memcpy((char *)obj + offsetof(PyMPICommObject, ob_mpi), handle, size);
    return obj;
}

/* The address of the handle in `obj`, or NULL with TypeError unless it is a class `idx`. */
static inline void *mpi4py_get_(int idx, PyObject *obj, const char *name)
{
    if (!PyObject_TypeCheck(obj, mpi4py_types_[idx])) {
        PyErr_Format(PyExc_TypeError, "expected an MPI.%s, got %.200s", name,
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    return (char *)obj + offsetof(PyMPICommObject, ob_mpi);
}

#define MPI4PY_ACCESSORS(Kind, Handle)                                                     \
    static inline PyObject *PyMPI##Kind##_New(Handle arg)                                  \
    {                                                                                      \
        return mpi4py_new_(MPI4PY_##Kind, &arg, sizeof arg);                               \
    }                                                                                      \
    static inline Handle *PyMPI##Kind##_Get(PyObject *obj)                                 \
    {                                                                                      \
        return (Handle *)mpi4py_get_(MPI4PY_##Kind, obj, #Kind);                           \
    }

MPI4PY_ACCESSORS(Datatype, MPI_Datatype)
MPI4PY_ACCESSORS(Request, MPI_Request)
MPI4PY_ACCESSORS(Message, MPI_Message)
MPI4PY_ACCESSORS(Op, MPI_Op)
MPI4PY_ACCESSORS(Group, MPI_Group)
MPI4PY_ACCESSORS(Info, MPI_Info)
MPI4PY_ACCESSORS(Errhandler, MPI_Errhandler)
#undef MPI4PY_ACCESSORS

/* Status: New copies the status; Get points at the one inside the object. */
static inline PyObject *PyMPIStatus_New(MPI_Status *arg)
{
    return mpi4py_new_(MPI4PY_Status, arg, sizeof *arg);
}

static inline MPI_Status *PyMPIStatus_Get(PyObject *obj)
{
    return (MPI_Status *)mpi4py_get_(MPI4PY_Status, obj, "Status");
}

/* Comm: New picks the class from the communicator (Intercomm, Cartcomm, Graphcomm,
 * Distgraphcomm, Intracomm; Comm for MPI_COMM_NULL). */
static inline PyObject *PyMPIComm_New(MPI_Comm arg)
{
    int idx = MPI4PY_Comm;
    if (arg != MPI_COMM_NULL) {
        int inter = 0, topo = MPI_UNDEFINED;
        if (MPI_Comm_test_inter(arg, &inter) == MPI_SUCCESS && inter) {
            idx = MPI4PY_Intercomm;
        } else {
            MPI_Topo_test(arg, &topo);
            idx = topo == MPI_CART ? MPI4PY_Cartcomm
                : topo == MPI_GRAPH ? MPI4PY_Graphcomm
                : topo == MPI_DIST_GRAPH ? MPI4PY_Distgraphcomm
                : MPI4PY_Intracomm;
        }
    }
    return mpi4py_new_(idx, &arg, sizeof arg);
}

static inline MPI_Comm *PyMPIComm_Get(PyObject *obj)
{
    return (MPI_Comm *)mpi4py_get_(MPI4PY_Comm, obj, "Comm");
}

#endif
