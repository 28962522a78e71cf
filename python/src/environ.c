/*
 * environ.c - module-level functions of the environment chapter: Init, Finalize, Wtime,
 * versions, processor name. (Skeleton: the core set; more come next.)
 */
#include "pympi.h"

static PyObject *mod_Wtime(PyObject *m, PyObject *unused)
{
    return PyFloat_FromDouble(MPI_Wtime());
}

static PyObject *mod_Get_processor_name(PyObject *m, PyObject *unused)
{
    char name[MPI_MAX_PROCESSOR_NAME + 1];
    int len = 0;
    PYMPI_CHK(MPI_Get_processor_name(name, &len));
    return PyUnicode_FromStringAndSize(name, len);
fail:
    return NULL;
}

static PyObject *mod_Finalize(PyObject *m, PyObject *unused)
{
    PYMPI_CHK(MPI_Finalize());
    Py_RETURN_NONE;
fail:
    return NULL;
}

PyMethodDef pympi_module_methods[] = {
    {"Wtime", mod_Wtime, METH_NOARGS, "Elapsed wall-clock time in seconds."},
    {"Get_processor_name", mod_Get_processor_name, METH_NOARGS, "Name of this processor."},
    {"Finalize", mod_Finalize, METH_NOARGS, "Terminate the MPI execution environment."},
    {NULL},
};
