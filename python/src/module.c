/*
 * module.c - PyInit_MPI: initialises MPI as mpi4py.rc asks, registers every class and
 * constant, and finalises at interpreter exit when the import initialised MPI.
 *
 * Initialisation rules (mpi4py manual §2.9): importing mpi4py.MPI calls MPI_Init_thread
 * with rc.thread_level unless MPI is already initialised (or rc.initialize is false);
 * MPI_Finalize runs at exit only when this module initialised MPI and rc.finalize allows
 * it. With rc.errors == "exception" (the default) MPI.ERRORS_RETURN is set on the
 * predefined communicators so failures raise MPI.Exception.
 */
#include "pympi.h"

#include <string.h>

PyObject *pympi_module;

static int pympi_we_initialized;
static int pympi_finalize_at_exit = 1;

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
    if (s == NULL) {
        PyErr_Clear();
        return 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(s, names[i].name) == 0) {
            *level = names[i].level;
            return 0;
        }
    }
    PyErr_Format(PyExc_ValueError, "mpi4py.rc: unrecognized thread level %R", v);
    return -1;
}

static void atexit_finalize(void)
{
    int done = 0;
    MPI_Finalized(&done);
    if (!done && pympi_we_initialized && pympi_finalize_at_exit)
        MPI_Finalize();
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

    int do_init = 1, do_errors = 1, level = MPI_THREAD_MULTIPLE;
    PyObject *v;
    if ((v = rc_get(rc, "initialize")) != NULL) {
        do_init = PyObject_IsTrue(v);
        Py_DECREF(v);
    }
    if ((v = rc_get(rc, "threads")) != NULL) {
        if (!PyObject_IsTrue(v))
            level = MPI_THREAD_SINGLE;
        Py_DECREF(v);
    }
    if ((v = rc_get(rc, "thread_level")) != NULL) {
        int bad = thread_level_from_name(v, &level);
        Py_DECREF(v);
        if (bad) {
            Py_XDECREF(rc);
            return -1;
        }
    }
    if ((v = rc_get(rc, "finalize")) != NULL) {
        if (v != Py_None)
            pympi_finalize_at_exit = PyObject_IsTrue(v);
        Py_DECREF(v);
    }
    if ((v = rc_get(rc, "errors")) != NULL) {
        const char *s = PyUnicode_Check(v) ? PyUnicode_AsUTF8(v) : NULL;
        if (s != NULL && strcmp(s, "exception") != 0)
            do_errors = 0;
        if (s != NULL && strcmp(s, "fatal") == 0)
            do_errors = -1;
        PyErr_Clear();
        Py_DECREF(v);
    }
    Py_XDECREF(rc);

    if (!initialized && do_init) {
        int provided = 0;
        int ierr = MPI_Init_thread(NULL, NULL, level, &provided);
        if (ierr != MPI_SUCCESS)
            return pympi_raise(ierr);
        pympi_we_initialized = 1;
        initialized = 1;
    }
    if (initialized && do_errors != 0) {
        MPI_Errhandler eh = do_errors > 0 ? MPI_ERRORS_RETURN : MPI_ERRORS_ARE_FATAL;
        MPI_Comm_set_errhandler(MPI_COMM_SELF, eh);
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, eh);
    }
    if (pympi_we_initialized && Py_AtExit(atexit_finalize) != 0) {
        PyErr_SetString(PyExc_RuntimeError, "cannot register MPI_Finalize at exit");
        return -1;
    }
    return 0;
}

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
        pympi_init_topo,      pympi_init_pickle,
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
    PyMethodDef *const function_tables[] = {pympi_module_methods, pympi_module_p2p_methods,
                                            pympi_module_dtype_methods,
                                            pympi_module_topo_methods};
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
