/*
 * capi_check.c - a C extension written the way users write one against mpi4py's C API
 * (#include <mpi4py/mpi4py.h>, import_mpi4py()), so test_package.py can check that the
 * header's object layouts and accessors agree with the MPI module. Built with the
 * project's warnings-as-errors flags: the header must compile cleanly.
 */
#include <mpi4py/mpi4py.h>

static PyObject *comm_is_world(PyObject *m, PyObject *obj)
{
    MPI_Comm *comm = PyMPIComm_Get(obj);
    return comm == NULL ? NULL : PyBool_FromLong(*comm == MPI_COMM_WORLD);
}

/* MPI_Comm_size through the handle taken from the object: a wrong offset would not give
 * the communicator's size. */
static PyObject *comm_size(PyObject *m, PyObject *obj)
{
    MPI_Comm *comm = PyMPIComm_Get(obj);
    int size = -1;
    if (comm == NULL)
        return NULL;
    if (MPI_Comm_size(*comm, &size) != MPI_SUCCESS)
        size = -1;
    return PyLong_FromLong(size);
}

static PyObject *new_comm_world(PyObject *m, PyObject *unused)
{
    return PyMPIComm_New(MPI_COMM_WORLD);
}

static PyObject *new_comm_null(PyObject *m, PyObject *unused)
{
    return PyMPIComm_New(MPI_COMM_NULL);
}

static PyObject *datatype_is_double(PyObject *m, PyObject *obj)
{
    MPI_Datatype *type = PyMPIDatatype_Get(obj);
    return type == NULL ? NULL : PyBool_FromLong(*type == MPI_DOUBLE);
}

static PyObject *new_datatype_int(PyObject *m, PyObject *unused)
{
    return PyMPIDatatype_New(MPI_INT);
}

/* status_set(status, source, tag): writes through the pointer PyMPIStatus_Get returns. */
static PyObject *status_set(PyObject *m, PyObject *args)
{
    PyObject *obj;
    int source, tag;
    if (!PyArg_ParseTuple(args, "Oii", &obj, &source, &tag))
        return NULL;
    MPI_Status *status = PyMPIStatus_Get(obj);
    if (status == NULL)
        return NULL;
    status->MPI_SOURCE = source;
    status->MPI_TAG = tag;
    Py_RETURN_NONE;
}

static PyObject *new_status(PyObject *m, PyObject *args)
{
    MPI_Status status;
    memset(&status, 0, sizeof status);
    if (!PyArg_ParseTuple(args, "ii", &status.MPI_SOURCE, &status.MPI_TAG))
        return NULL;
    return PyMPIStatus_New(&status);
}

static PyObject *is_instance(PyObject *m, PyObject *args)
{
    PyObject *obj;
    const char *kind;
    if (!PyArg_ParseTuple(args, "Os", &obj, &kind))
        return NULL;
    PyTypeObject *type = strcmp(kind, "Comm") == 0 ? &PyMPIComm_Type
                       : strcmp(kind, "Intracomm") == 0 ? &PyMPIIntracomm_Type
                       : strcmp(kind, "Datatype") == 0 ? &PyMPIDatatype_Type
                       : strcmp(kind, "Status") == 0 ? &PyMPIStatus_Type
                       : NULL;
    if (type == NULL) {
        PyErr_Format(PyExc_ValueError, "unknown kind %s", kind);
        return NULL;
    }
    return PyBool_FromLong(PyObject_TypeCheck(obj, type));
}

static PyMethodDef methods[] = {
    {"comm_is_world", comm_is_world, METH_O, NULL},
    {"comm_size", comm_size, METH_O, NULL},
    {"new_comm_world", new_comm_world, METH_NOARGS, NULL},
    {"new_comm_null", new_comm_null, METH_NOARGS, NULL},
    {"datatype_is_double", datatype_is_double, METH_O, NULL},
    {"new_datatype_int", new_datatype_int, METH_NOARGS, NULL},
    {"status_set", status_set, METH_VARARGS, NULL},
    {"new_status", new_status, METH_VARARGS, NULL},
    {"is_instance", is_instance, METH_VARARGS, NULL},
    {NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, .m_name = "mpi4py_capi_check", .m_size = -1, .m_methods = methods,
};

PyMODINIT_FUNC PyInit_mpi4py_capi_check(void)
{
    if (import_mpi4py() < 0)
        return NULL;
    return PyModule_Create(&moduledef);
}
