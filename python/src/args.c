/*
 * args.c - a small vectorcall argument binder for the hot methods (Send, Recv, send,
 * recv, ...): binds positional and keyword arguments to named slots without building
 * a tuple and dict, which PyArg_ParseTupleAndKeywords needs. Public C API only.
 */
#include "pympi.h"

#include <string.h>

int pympi_bind_args(const char *fname, const char *const *names, int nreq, int nmax,
                    PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                    PyObject **slots)
{
    for (int i = 0; i < nmax; i++)
        slots[i] = NULL;
    if (nargs > nmax) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %d arguments (%zd given)", fname,
                     nmax, nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nargs; i++)
        slots[i] = args[i];
    if (kwnames != NULL) {
        Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
        for (Py_ssize_t k = 0; k < nkw; k++) {
            const char *key = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames, k));
            if (key == NULL)
                return -1;
            int i = 0;
            while (i < nmax && strcmp(names[i], key) != 0)
                i++;
            if (i == nmax) {
                PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%s'",
                             fname, key);
                return -1;
            }
            if (slots[i] != NULL) {
                PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'",
                             fname, key);
                return -1;
            }
            slots[i] = args[nargs + k];
        }
    }
    for (int i = 0; i < nreq; i++) {
        if (slots[i] == NULL) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s'", fname,
                         names[i]);
            return -1;
        }
    }
    return 0;
}

int pympi_int_arg(PyObject *o, int dflt, const char *name, int *out)
{
    if (o == NULL) {
        *out = dflt;
        return 0;
    }
    /* The hot case, an int in range, without the index protocol; anything else takes the
     * general path below, which also raises the errors. */
    if (PyLong_CheckExact(o)) {
        int overflow;
        long v = PyLong_AsLongAndOverflow(o, &overflow);
        if (!overflow && v >= INT32_MIN && v <= INT32_MAX) {
            *out = (int)v;
            return 0;
        }
    }
    if (!PyIndex_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s: expected an integer, got %.100s", name,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < INT32_MIN || v > INT32_MAX) {
        PyErr_Format(PyExc_OverflowError, "%s: %ld does not fit in a C int", name, v);
        return -1;
    }
    *out = (int)v;
    return 0;
}
