/*
 * environ.c - module functions of the environment chapter: Init, Init_thread, Finalize and
 * their queries, thread level, versions and vendor, processor name, timers, Pcontrol, error
 * classes/codes/strings; and the handle helpers mpi4py offers for wrapping C libraries
 * (_handleof, _addressof, _sizeof; _typecode lives in datatype.c).
 *
 * liblitempi ends the process when most calls are made before MPI_Init or after
 * MPI_Finalize (and when MPI is initialised twice), which mpi4py's manual turns into an
 * MPI.Exception for MPI.Init(): the functions here check the state first and raise
 * MPI.Exception(ERR_OTHER) instead of letting the library abort.
 */
#include "pympi.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static int mpi_state(int *initialized, int *finalized)
{
    MPI_Initialized(initialized);
    MPI_Finalized(finalized);
    return *initialized && !*finalized;
}

/* 1 when MPI may be called; else 0 with MPI.Exception(ERR_OTHER) set. */
static int mpi_active(void)
{
    int initialized, finalized;
    if (mpi_state(&initialized, &finalized))
        return 1;
    pympi_raise(MPI_ERR_OTHER);
    return 0;
}

/* ---- initialisation and finalisation ----------------------------------------------------- */

static PyObject *init_thread(int required)
{
    int initialized, finalized, provided = MPI_THREAD_SINGLE;
    mpi_state(&initialized, &finalized);
    if (initialized || finalized) {
        /* MPI allows one initialisation per process (the import usually did it). */
        pympi_raise(MPI_ERR_OTHER);
        return NULL;
    }
    PYMPI_CHK(MPI_Init_thread(NULL, NULL, required, &provided));
    if (pympi_after_init(1) < 0)
        return NULL;
    return PyLong_FromLong(provided);
fail:
    return NULL;
}

static PyObject *mod_Init(PyObject *m, PyObject *unused)
{
    PyObject *r = init_thread(MPI_THREAD_SINGLE);
    if (r == NULL)
        return NULL;
    Py_DECREF(r);
    Py_RETURN_NONE;
}

static PyObject *mod_Init_thread(PyObject *m, PyObject *const *args, Py_ssize_t nargs,
                                 PyObject *kwnames)
{
    static const char *const names[] = {"required"};
    PyObject *a[1];
    int required;
    if (pympi_bind_args("Init_thread", names, 0, 1, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], MPI_THREAD_MULTIPLE, "required", &required) < 0)
        return NULL;
    return init_thread(required);
}

static PyObject *mod_Finalize(PyObject *m, PyObject *unused)
{
    if (!mpi_active())
        return NULL;
    PYMPI_CHK_NOGIL(MPI_Finalize());
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *mod_Is_initialized(PyObject *m, PyObject *unused)
{
    int flag = 0;
    MPI_Initialized(&flag);
    return PyBool_FromLong(flag);
}

static PyObject *mod_Is_finalized(PyObject *m, PyObject *unused)
{
    int flag = 0;
    MPI_Finalized(&flag);
    return PyBool_FromLong(flag);
}

static PyObject *mod_Query_thread(PyObject *m, PyObject *unused)
{
    int provided;
    if (!mpi_active())
        return NULL;
    PYMPI_CHK(MPI_Query_thread(&provided));
    return PyLong_FromLong(provided);
fail:
    return NULL;
}

static PyObject *mod_Is_thread_main(PyObject *m, PyObject *unused)
{
    int flag;
    if (!mpi_active())
        return NULL;
    PYMPI_CHK(MPI_Is_thread_main(&flag));
    return PyBool_FromLong(flag);
fail:
    return NULL;
}

/* ---- implementation information ----------------------------------------------------------- */

static PyObject *mod_Get_version(PyObject *m, PyObject *unused)
{
    int version, subversion;
    PYMPI_CHK(MPI_Get_version(&version, &subversion));
    return Py_BuildValue("(ii)", version, subversion);
fail:
    return NULL;
}

static PyObject *mod_Get_library_version(PyObject *m, PyObject *unused)
{
    char s[MPI_MAX_LIBRARY_VERSION_STRING + 1];
    int len = 0;
    PYMPI_CHK(MPI_Get_library_version(s, &len));
    return PyUnicode_DecodeUTF8(s, len, "replace");
fail:
    return NULL;
}

/* ("LiteMPI", (major, minor, micro)), read from the library's version string. */
static PyObject *mod_get_vendor(PyObject *m, PyObject *unused)
{
    char s[MPI_MAX_LIBRARY_VERSION_STRING + 1];
    int len = 0, v[3] = {0, 0, 0};
    if (MPI_Get_library_version(s, &len) == MPI_SUCCESS)
        sscanf(s, "LiteMPI %d.%d.%d", &v[0], &v[1], &v[2]);
    return Py_BuildValue("(s(iii))", "LiteMPI", v[0], v[1], v[2]);
}

static PyObject *mod_Get_processor_name(PyObject *m, PyObject *unused)
{
    char name[MPI_MAX_PROCESSOR_NAME + 1];
    int len = 0;
    PYMPI_CHK(MPI_Get_processor_name(name, &len));
    return PyUnicode_DecodeUTF8(name, len, "replace");
fail:
    return NULL;
}

static PyObject *mod_Wtime(PyObject *m, PyObject *unused)
{
    return PyFloat_FromDouble(MPI_Wtime());
}

static PyObject *mod_Wtick(PyObject *m, PyObject *unused)
{
    return PyFloat_FromDouble(MPI_Wtick());
}

/* liblitempi has no profiling layer to control: a no-op that checks the level as mpi4py. */
static PyObject *mod_Pcontrol(PyObject *m, PyObject *arg)
{
    int level;
    if (pympi_int_arg(arg, 0, "level", &level) < 0)
        return NULL;
    if (level < 0 || level > 2) {
        pympi_raise(MPI_ERR_ARG);
        return NULL;
    }
    Py_RETURN_NONE;
}

/* ---- error classes, codes and strings ---------------------------------------------------- */

static PyObject *mod_Get_error_class(PyObject *m, PyObject *arg)
{
    int code, cls;
    if (pympi_int_arg(arg, 0, "errorcode", &code) < 0 || !mpi_active())
        return NULL;
    PYMPI_CHK(MPI_Error_class(code, &cls));
    return PyLong_FromLong(cls);
fail:
    return NULL;
}

static PyObject *mod_Get_error_string(PyObject *m, PyObject *arg)
{
    char s[MPI_MAX_ERROR_STRING + 1];
    int code, len = 0;
    if (pympi_int_arg(arg, 0, "errorcode", &code) < 0)
        return NULL;
    PYMPI_CHK(MPI_Error_string(code, s, &len));
    return PyUnicode_DecodeUTF8(s, len, "replace");
fail:
    return NULL;
}

static PyObject *mod_Add_error_class(PyObject *m, PyObject *unused)
{
    int cls;
    if (!mpi_active())
        return NULL;
    PYMPI_CHK(MPI_Add_error_class(&cls));
    return PyLong_FromLong(cls);
fail:
    return NULL;
}

static PyObject *mod_Add_error_code(PyObject *m, PyObject *arg)
{
    int cls, code;
    if (pympi_int_arg(arg, 0, "errorclass", &cls) < 0 || !mpi_active())
        return NULL;
    PYMPI_CHK(MPI_Add_error_code(cls, &code));
    return PyLong_FromLong(code);
fail:
    return NULL;
}

static PyObject *mod_Add_error_string(PyObject *m, PyObject *const *args, Py_ssize_t nargs,
                                      PyObject *kwnames)
{
    static const char *const names[] = {"errorcode", "string"};
    PyObject *a[2];
    int code;
    if (pympi_bind_args("Add_error_string", names, 2, 2, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], 0, "errorcode", &code) < 0)
        return NULL;
    if (!PyUnicode_Check(a[1])) {
        PyErr_Format(PyExc_TypeError, "string: expected a str, got %.100s",
                     Py_TYPE(a[1])->tp_name);
        return NULL;
    }
    const char *s = PyUnicode_AsUTF8(a[1]);
    if (s == NULL || !mpi_active())
        return NULL;
    PYMPI_CHK(MPI_Add_error_string(code, s));
    Py_RETURN_NONE;
fail:
    return NULL;
}

/* Remove_error_class/code/string (MPI 4.1): one shape, three calls. */
static PyObject *remove_error(PyObject *arg, const char *name, int (*fn)(int))
{
    int v;
    if (pympi_int_arg(arg, 0, name, &v) < 0 || !mpi_active())
        return NULL;
    PYMPI_CHK(fn(v));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *mod_Remove_error_class(PyObject *m, PyObject *arg)
{
    return remove_error(arg, "errorclass", MPI_Remove_error_class);
}

static PyObject *mod_Remove_error_code(PyObject *m, PyObject *arg)
{
    return remove_error(arg, "errorcode", MPI_Remove_error_code);
}

static PyObject *mod_Remove_error_string(PyObject *m, PyObject *arg)
{
    return remove_error(arg, "errorcode", MPI_Remove_error_string);
}

/* ---- handles for C libraries ----------------------------------------------------------------- */

/* Where each handle class keeps its MPI handle. Status is the MPI_Status itself. */
static const struct {
    PyTypeObject *type;
    size_t offset, size;
} handle_classes[] = {
    {&PyMPIComm_Type, offsetof(PyMPICommObject, ob_mpi), sizeof(MPI_Comm)},
    {&PyMPIGroup_Type, offsetof(PyMPIGroupObject, ob_mpi), sizeof(MPI_Group)},
    {&PyMPIInfo_Type, offsetof(PyMPIInfoObject, ob_mpi), sizeof(MPI_Info)},
    {&PyMPIErrhandler_Type, offsetof(PyMPIErrhandlerObject, ob_mpi), sizeof(MPI_Errhandler)},
    {&PyMPIDatatype_Type, offsetof(PyMPIDatatypeObject, ob_mpi), sizeof(MPI_Datatype)},
    {&PyMPIOp_Type, offsetof(PyMPIOpObject, ob_mpi), sizeof(MPI_Op)},
    {&PyMPIRequest_Type, offsetof(PyMPIRequestObject, ob_mpi), sizeof(MPI_Request)},
    {&PyMPIMessage_Type, offsetof(PyMPIMessageObject, ob_mpi), sizeof(MPI_Message)},
    {&PyMPIStatus_Type, offsetof(PyMPIStatusObject, ob_mpi), sizeof(MPI_Status)},
};

#define NCLASSES (sizeof handle_classes / sizeof handle_classes[0])

/* The handle_classes index of an instance (or, with `types`, of a class), or -1. */
static int handle_class(PyObject *o, int types)
{
    for (size_t i = 0; i < NCLASSES; i++) {
        if (PyObject_TypeCheck(o, handle_classes[i].type) ||
            (types && PyType_Check(o) &&
             PyType_IsSubtype((PyTypeObject *)o, handle_classes[i].type)))
            return (int)i;
    }
    return -1;
}

static PyObject *mod_handleof(PyObject *m, PyObject *arg)
{
    int i = handle_class(arg, 0);
    if (i < 0) {
        PyErr_Format(PyExc_TypeError, "expecting an MPI instance, got %.100s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    if (handle_classes[i].type == &PyMPIStatus_Type) {
        PyErr_SetString(PyExc_NotImplementedError, "a Status is a struct, not a handle: "
                        "use _addressof");
        return NULL;
    }
    /* Every MPI handle is a pointer in the standard ABI. */
    void *h;
    memcpy(&h, (char *)arg + handle_classes[i].offset, sizeof h);
    return PyLong_FromVoidPtr(h);
}

static PyObject *mod_addressof(PyObject *m, PyObject *arg)
{
    int i = handle_class(arg, 0);
    if (i < 0) {
        PyErr_Format(PyExc_TypeError, "expecting an MPI instance, got %.100s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    return PyLong_FromVoidPtr((char *)arg + handle_classes[i].offset);
}

static PyObject *mod_sizeof(PyObject *m, PyObject *arg)
{
    int i = handle_class(arg, 1);
    if (i < 0) {
        PyErr_Format(PyExc_TypeError, "expecting an MPI type or instance, got %.100s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    return PyLong_FromSize_t(handle_classes[i].size);
}

PYMPI_ONE_ARG(mod_Pcontrol, "Pcontrol", "level")
PYMPI_ONE_ARG(mod_Get_error_class, "Get_error_class", "errorcode")
PYMPI_ONE_ARG(mod_Get_error_string, "Get_error_string", "errorcode")
PYMPI_ONE_ARG(mod_Add_error_code, "Add_error_code", "errorclass")
PYMPI_ONE_ARG(mod_Remove_error_class, "Remove_error_class", "errorclass")
PYMPI_ONE_ARG(mod_Remove_error_code, "Remove_error_code", "errorcode")
PYMPI_ONE_ARG(mod_Remove_error_string, "Remove_error_string", "errorcode")
PYMPI_ONE_ARG(mod_handleof, "_handleof", "arg")
PYMPI_ONE_ARG(mod_addressof, "_addressof", "arg")
PYMPI_ONE_ARG(mod_sizeof, "_sizeof", "arg")

/* Docstrings start with the signature, for help() and inspect. */
PyMethodDef pympi_module_methods[] = {
    {"Init", mod_Init, METH_NOARGS,
     "Init($module, /)\n--\n\nInitialize MPI (MPI.Exception if already initialized)."},
    {"Init_thread", PYMPI_FASTCALL(mod_Init_thread),
     "Init_thread($module, /, required=THREAD_MULTIPLE)\n--\n\n"
     "Initialize MPI with a thread level; returns the level provided."},
    {"Finalize", mod_Finalize, METH_NOARGS,
     "Finalize($module, /)\n--\n\nTerminate the MPI execution environment."},
    {"Is_initialized", mod_Is_initialized, METH_NOARGS,
     "Is_initialized($module, /)\n--\n\nWhether MPI was initialized."},
    {"Is_finalized", mod_Is_finalized, METH_NOARGS,
     "Is_finalized($module, /)\n--\n\nWhether MPI was finalized."},
    {"Query_thread", mod_Query_thread, METH_NOARGS,
     "Query_thread($module, /)\n--\n\nThe thread level provided."},
    {"Is_thread_main", mod_Is_thread_main, METH_NOARGS,
     "Is_thread_main($module, /)\n--\n\nWhether this thread initialized MPI."},
    {"Get_version", mod_Get_version, METH_NOARGS,
     "Get_version($module, /)\n--\n\n"
     "The MPI standard version implemented: (version, subversion)."},
    {"Get_library_version", mod_Get_library_version, METH_NOARGS,
     "Get_library_version($module, /)\n--\n\nThe MPI library's version string."},
    {"get_vendor", mod_get_vendor, METH_NOARGS,
     "get_vendor($module, /)\n--\n\n"
     "The MPI library's name and version: ('LiteMPI', (major, minor, micro))."},
    {"Get_processor_name", mod_Get_processor_name, METH_NOARGS,
     "Get_processor_name($module, /)\n--\n\nName of this processor."},
    {"Wtime", mod_Wtime, METH_NOARGS,
     "Wtime($module, /)\n--\n\nElapsed wall-clock time in seconds."},
    {"Wtick", mod_Wtick, METH_NOARGS,
     "Wtick($module, /)\n--\n\nResolution of Wtime in seconds."},
    {"Pcontrol", PYMPI_FASTCALL(mod_Pcontrol_kw),
     "Pcontrol($module, /, level)\n--\n\nProfiling control (no profiler: checks the level)."},
    {"Get_error_class", PYMPI_FASTCALL(mod_Get_error_class_kw),
     "Get_error_class($module, /, errorcode)\n--\n\nError class of an error code."},
    {"Get_error_string", PYMPI_FASTCALL(mod_Get_error_string_kw),
     "Get_error_string($module, /, errorcode)\n--\n\nText of an error code or class."},
    {"Add_error_class", mod_Add_error_class, METH_NOARGS,
     "Add_error_class($module, /)\n--\n\nNew error class."},
    {"Add_error_code", PYMPI_FASTCALL(mod_Add_error_code_kw),
     "Add_error_code($module, /, errorclass)\n--\n\nNew error code in an error class."},
    {"Add_error_string", PYMPI_FASTCALL(mod_Add_error_string),
     "Add_error_string($module, /, errorcode, string)\n--\n\n"
     "Set the text of an error code or class."},
    {"Remove_error_class", PYMPI_FASTCALL(mod_Remove_error_class_kw),
     "Remove_error_class($module, /, errorclass)\n--\n\nRemove a user error class."},
    {"Remove_error_code", PYMPI_FASTCALL(mod_Remove_error_code_kw),
     "Remove_error_code($module, /, errorcode)\n--\n\nRemove a user error code."},
    {"Remove_error_string", PYMPI_FASTCALL(mod_Remove_error_string_kw),
     "Remove_error_string($module, /, errorcode)\n--\n\n"
     "Remove the text of a user error code or class."},
    {"_handleof", PYMPI_FASTCALL(mod_handleof_kw),
     "_handleof($module, /, arg)\n--\n\nThe MPI handle of an object, as an integer."},
    {"_addressof", PYMPI_FASTCALL(mod_addressof_kw),
     "_addressof($module, /, arg)\n--\n\nAddress of the MPI handle inside an object."},
    {"_sizeof", PYMPI_FASTCALL(mod_sizeof_kw),
     "_sizeof($module, /, arg)\n--\n\nSize in bytes of the MPI handle of a class or object."},
    {NULL},
};
