/*
 * module.c - PyInit_MPI: initialises MPI as mpi4py.rc asks, registers every class and
 * constant, and finalises at interpreter exit when the import initialised MPI.
 *
 * Initialisation rules (mpi4py manual §2.9): importing mpi4py.MPI calls MPI_Init_thread
 * with rc.thread_level unless MPI is already initialised (or rc.initialize is false);
 * MPI_Finalize runs at exit as rc.finalize says: None (the default) when this module
 * initialised MPI, True always, False never. MPI.Init()/Init_thread() after an import with
 * rc.initialize = False count as this module initialising MPI. With rc.errors
 * == "exception" (the default) MPI.ERRORS_RETURN is set on the predefined communicators and
 * on every communicator the module creates, so failures raise MPI.Exception; "fatal" sets
 * MPI.ERRORS_ARE_FATAL there instead and "default" leaves MPI's rules alone.
 *
 * `python -m mpi4py` records an unhandled exception with MPI._set_abort_status(status):
 * the exit hook then calls MPI_Abort(MPI_COMM_WORLD, status) instead of MPI_Finalize, so
 * the other ranks are not left waiting in a collective.
 */
#include "pympi.h"

#include <string.h>

PyObject *pympi_module;
int pympi_errors_mode = PYMPI_ERRORS_EXCEPTION;

static int we_initialized;       /* this module called MPI_Init_thread */
static int finalize_mode = -1;   /* rc.finalize: -1 None (if we initialized), 0, 1 */
static int atexit_registered;
static int abort_status;         /* MPI._set_abort_status */

/* Reads one attribute of mpi4py.rc; returns a new reference or NULL (no error set). */
static PyObject *rc_get(PyObject *rc, const char *name)
{
    if (rc == NULL)
        return NULL;
    PyObject *v = PyObject_GetAttrString(rc, name);
    if (v == NULL)
        PyErr_Clear();
    return v;
}

static int thread_level_from_name(PyObject *v, int *level)
{
    static const struct { const char *name; int level; } names[] = {
        {"single", MPI_THREAD_SINGLE},         {"funneled", MPI_THREAD_FUNNELED},
        {"serialized", MPI_THREAD_SERIALIZED}, {"multiple", MPI_THREAD_MULTIPLE},
    };
    if (v == NULL || v == Py_None)
        return 0;
    const char *s = PyUnicode_Check(v) ? PyUnicode_AsUTF8(v) : NULL;
    PyErr_Clear();
    for (size_t i = 0; s != NULL && i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(s, names[i].name) == 0) {
            *level = names[i].level;
            return 0;
        }
    }
    PyErr_Format(PyExc_ValueError, "mpi4py.rc: unrecognized thread level %R", v);
    return -1;
}

/* Runs after the interpreter is gone (Py_AtExit): no Python here, and the attribute
 * callbacks MPI_Finalize runs know to skip their Python part. */
static void atexit_finalize(void)
{
    int initialized = 0, finalized = 0;
    MPI_Initialized(&initialized);
    MPI_Finalized(&finalized);
    if (!initialized || finalized)
        return;
    if (abort_status != 0)
        MPI_Abort(MPI_COMM_WORLD, abort_status);
    if (finalize_mode == 1 || (finalize_mode == -1 && we_initialized))
        MPI_Finalize();
}

int pympi_after_init(int by_us)
{
    if (by_us)
        we_initialized = 1;
    if (pympi_errors_mode != PYMPI_ERRORS_DEFAULT) {
        MPI_Errhandler eh = pympi_errors_mode == PYMPI_ERRORS_EXCEPTION ? MPI_ERRORS_RETURN
                                                                        : MPI_ERRORS_ARE_FATAL;
        MPI_Comm_set_errhandler(MPI_COMM_SELF, eh);
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, eh);
    }
    /* Registered whenever MPI is up: the hook also serves _set_abort_status. */
    if (!atexit_registered) {
        if (Py_AtExit(atexit_finalize) != 0) {
            PyErr_SetString(PyExc_RuntimeError, "cannot register the MPI exit hook");
            return -1;
        }
        atexit_registered = 1;
    }
    return 0;
}

/* Reads rc.errors into pympi_errors_mode. */
static int errors_from_rc(PyObject *v)
{
    static const struct { const char *name; int mode; } names[] = {
        {"exception", PYMPI_ERRORS_EXCEPTION},
        {"default", PYMPI_ERRORS_DEFAULT},
        {"fatal", PYMPI_ERRORS_FATAL},
    };
    const char *s = v != NULL && PyUnicode_Check(v) ? PyUnicode_AsUTF8(v) : NULL;
    for (size_t i = 0; s != NULL && i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0) {
            pympi_errors_mode = names[i].mode;
            return 0;
        }
    }
    PyErr_Clear();
    PyErr_Format(PyExc_ValueError, "mpi4py.rc: unrecognized errors value %R (expected "
                 "'exception', 'default' or 'fatal')", v);
    return -1;
}

/* Initialises MPI per mpi4py.rc. Returns 0 or -1 with an exception. */
static int initialize_mpi(void)
{
    int initialized = 0, finalized = 0;
    MPI_Initialized(&initialized);
    MPI_Finalized(&finalized);
    if (finalized) {
        PyErr_SetString(PyExc_RuntimeError, "MPI.Finalize() was already called");
        return -1;
    }

    PyObject *pkg = PyImport_ImportModule("mpi4py");
    if (pkg == NULL)
        PyErr_Clear();
    PyObject *rc = pkg ? rc_get(pkg, "rc") : NULL;
    Py_XDECREF(pkg);

    int do_init = 1, threads = 1, level = MPI_THREAD_MULTIPLE, bad = 0;
    PyObject *v;
    if ((v = rc_get(rc, "initialize")) != NULL) {
        do_init = PyObject_IsTrue(v);
        Py_DECREF(v);
    }
    if ((v = rc_get(rc, "threads")) != NULL) {
        threads = PyObject_IsTrue(v);
        Py_DECREF(v);
    }
    if ((v = rc_get(rc, "thread_level")) != NULL) {
        bad = thread_level_from_name(v, &level);
        Py_DECREF(v);
    }
    if (!threads)
        level = MPI_THREAD_SINGLE;
    if (!bad && (v = rc_get(rc, "finalize")) != NULL) {
        finalize_mode = v == Py_None ? -1 : PyObject_IsTrue(v);
        Py_DECREF(v);
    }
    if (!bad && (v = rc_get(rc, "errors")) != NULL) {
        bad = errors_from_rc(v);
        Py_DECREF(v);
    }
    Py_XDECREF(rc);
    if (bad || do_init < 0 || threads < 0 || finalize_mode < -1)
        return -1;

    if (!initialized && do_init) {
        int provided = 0;
        int ierr = MPI_Init_thread(NULL, NULL, level, &provided);
        if (ierr != MPI_SUCCESS)
            return pympi_raise(ierr);
        return pympi_after_init(1);
    }
    return initialized ? pympi_after_init(0) : 0;
}

/* ---- module functions kept here: they work on this file's exit state --------------------- */

static PyObject *mod_set_abort_status(PyObject *m, PyObject *status)
{
    /* What SystemExit carries: None is success, an int its value, anything else 1. */
    long v = 1;
    if (status == Py_None)
        v = 0;
    else if (PyLong_Check(status)) {
        v = PyLong_AsLong(status);
        if (v == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            v = 1;
        }
    }
    abort_status = (int)v;
    Py_RETURN_NONE;
}

/* A predefined constant pickles as its name in this module; other handles cannot be
 * pickled (their values mean nothing in another process). */
PyObject *pympi_reduce_handle(PyObject *self, PyObject *unused)
{
    PyObject *dict = pympi_module ? PyModule_GetDict(pympi_module) : NULL;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (dict != NULL && PyDict_Next(dict, &pos, &key, &value))
        if (value == self)
            return Py_NewRef(key);
    PyErr_Format(PyExc_TypeError, "cannot pickle '%.100s' object", Py_TYPE(self)->tp_name);
    return NULL;
}

static PyMethodDef module_exit_methods[] = {
    {"_set_abort_status", mod_set_abort_status, METH_O,
     "_set_abort_status($module, status, /)\n--\n\n"
     "Make the exit hook call MPI_Abort with this status (python -m mpi4py)."},
    {NULL},
};

static struct PyModuleDef mpi_moduledef = {
    PyModuleDef_HEAD_INIT,
    .m_name = "mpi4py.MPI",
    .m_doc = "Message Passing Interface (LiteMPI's implementation of the mpi4py API).",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit_MPI(void)
{
    static int (*const inits[])(PyObject *) = {
        pympi_init_constants, pympi_init_msgbuffer,
        pympi_init_datatype,  pympi_init_op,        pympi_init_status,
        pympi_init_group,     pympi_init_info,      pympi_init_errhandler,
        pympi_init_request,   pympi_init_message,   pympi_init_comm,
        pympi_init_topo,      pympi_init_pickle,    pympi_init_attr,
    };
    if (pympi_module != NULL) {
        Py_INCREF(pympi_module);
        return pympi_module;
    }
    PyObject *m = PyModule_Create(&mpi_moduledef);
    if (m == NULL)
        return NULL;
    pympi_module = m;
    /* MPI.Exception first: initialisation may need to raise it. */
    if (pympi_init_exception(m) < 0 || initialize_mpi() < 0)
        goto fail;
    PyMethodDef *const function_tables[] = {pympi_module_methods, module_exit_methods,
                                            pympi_module_p2p_methods,
                                            pympi_module_dtype_methods,
                                            pympi_module_topo_methods,
                                            pympi_module_comm_methods};
    for (size_t i = 0; i < sizeof function_tables / sizeof function_tables[0]; i++)
        if (PyModule_AddFunctions(m, function_tables[i]) < 0)
            goto fail;
    for (size_t i = 0; i < sizeof inits / sizeof inits[0]; i++)
        if (inits[i](m) < 0)
            goto fail;
    return m;
fail:
    pympi_module = NULL;
    Py_DECREF(m);
    return NULL;
}
