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

int *pympi_int_array(PyObject *o, int n, const char *argname, int *len)
{
    /* str and bytes are sequences, but never a list of ints here. */
    PyObject *seq = (PyList_Check(o) || PyTuple_Check(o)) ? Py_NewRef(o)
                    : PyUnicode_Check(o) || PyBytes_Check(o) ? NULL
                                                            : PySequence_Fast(o, "");
    if (seq == NULL) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s: expected a sequence of integers, got %.100s",
                     argname, Py_TYPE(o)->tp_name);
        return NULL;
    }
    Py_ssize_t size = PySequence_Fast_GET_SIZE(seq);
    int *out = NULL;
    if (n >= 0 && size != n) {
        PyErr_Format(PyExc_ValueError, "%s: expected %d items, got %zd", argname, n, size);
        goto done;
    }
    if (size > INT32_MAX) {
        PyErr_Format(PyExc_ValueError, "%s: too many items (%zd)", argname, size);
        goto done;
    }
    out = PyMem_Malloc((size > 0 ? (size_t)size : 1) * sizeof *out);
    if (out == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        long v;
        if (!PyIndex_Check(item)) {
            PyErr_Format(PyExc_TypeError, "%s[%zd]: expected an integer, got %.100s", argname,
                         i, Py_TYPE(item)->tp_name);
            goto bad;
        }
        v = PyLong_AsLong(item);
        if (v == -1 && PyErr_Occurred())
            goto bad;
        if (v < INT32_MIN || v > INT32_MAX) {
            PyErr_Format(PyExc_OverflowError, "%s[%zd]: %ld does not fit in a C int", argname,
                         i, v);
            goto bad;
        }
        out[i] = (int)v;
    }
    if (len != NULL)
        *len = (int)size;
    goto done;
bad:
    PyMem_Free(out);
    out = NULL;
done:
    Py_DECREF(seq);
    return out;
}
