/*
 * msgbuffer.c - buffer message specs: turning `buf`, `[buf, type]`, `[buf, count, type]`,
 * `[buf, (count, displ), type]`, `[buf, counts, displs, type]` into what an MPI call
 * takes, without copying: the Python buffer protocol gives the pointer, the PEP 3118
 * format gives the datatype when the spec does not name one. Also MPI.IN_PLACE and
 * MPI.BOTTOM (int subclasses InPlace and Bottom, values 1 and 0 as in the MPI ABI).
 */
#include "pympi.h"

#include <string.h>

PyObject *pympi_IN_PLACE;
PyObject *pympi_BOTTOM;

/* ---- PEP 3118 formats -------------------------------------------------------------- */

static MPI_Datatype sized_int(int is_signed, Py_ssize_t size)
{
    switch (size) {
    case 1: return is_signed ? MPI_INT8_T : MPI_UINT8_T;
    case 2: return is_signed ? MPI_INT16_T : MPI_UINT16_T;
    case 4: return is_signed ? MPI_INT32_T : MPI_UINT32_T;
    case 8: return is_signed ? MPI_INT64_T : MPI_UINT64_T;
    }
    return MPI_DATATYPE_NULL;
}

MPI_Datatype pympi_format_to_type(const char *format, Py_ssize_t itemsize)
{
    if (format == NULL)
        return MPI_BYTE;
    int native = 1;
    switch (*format) {
    case '@': format++; break;
    case '=': case '<': case '>': case '!':
        /* Standard sizes; a foreign byte order has no MPI datatype. */
        if ((*format == '>' || *format == '!') != (PY_BIG_ENDIAN != 0))
            return MPI_DATATYPE_NULL;
        native = 0;
        format++;
        break;
    }
    /* "1i" and friends: a leading repeat count of one is the same type. */
    if (format[0] == '1' && format[1] != '\0')
        format++;
    int complex = 0;
    if (*format == 'Z') {
        complex = 1;
        format++;
    }
    if (format[0] == '\0' || format[1] != '\0')
        return MPI_DATATYPE_NULL;
    char c = format[0];
    if (complex) {
        switch (c) {
        case 'f': return itemsize == 8 ? MPI_C_FLOAT_COMPLEX : MPI_DATATYPE_NULL;
        case 'd': return itemsize == 16 ? MPI_C_DOUBLE_COMPLEX : MPI_DATATYPE_NULL;
        case 'g': return itemsize == (Py_ssize_t)(2 * sizeof(long double))
                             ? MPI_C_LONG_DOUBLE_COMPLEX : MPI_DATATYPE_NULL;
        }
        return MPI_DATATYPE_NULL;
    }
    if (native) {
        switch (c) {
        case '?': return MPI_C_BOOL;
        case 'c': return MPI_CHAR;
        case 'b': return MPI_SIGNED_CHAR;
        case 'B': return MPI_UNSIGNED_CHAR;
        case 'h': return MPI_SHORT;
        case 'H': return MPI_UNSIGNED_SHORT;
        case 'i': return MPI_INT;
        case 'I': return MPI_UNSIGNED;
        case 'l': return MPI_LONG;
        case 'L': return MPI_UNSIGNED_LONG;
        case 'q': return MPI_LONG_LONG;
        case 'Q': return MPI_UNSIGNED_LONG_LONG;
        case 'n': return sized_int(1, itemsize);
        case 'N': return sized_int(0, itemsize);
        case 'f': return MPI_FLOAT;
        case 'd': return MPI_DOUBLE;
        case 'g': return MPI_LONG_DOUBLE;
        }
        return MPI_DATATYPE_NULL;
    }
    switch (c) {
    case '?': return itemsize == 1 ? MPI_C_BOOL : MPI_DATATYPE_NULL;
    case 'c': return MPI_CHAR;
    case 'b': case 'h': case 'i': case 'l': case 'q': case 'n':
        return sized_int(1, itemsize);
    case 'B': case 'H': case 'I': case 'L': case 'Q': case 'N':
        return sized_int(0, itemsize);
    case 'f': return itemsize == 4 ? MPI_FLOAT : MPI_DATATYPE_NULL;
    case 'd': return itemsize == 8 ? MPI_DOUBLE : MPI_DATATYPE_NULL;
    }
    return MPI_DATATYPE_NULL;
}

/* ---- single-buffer specs ----------------------------------------------------------- */

void pympi_msg_release(pympi_msg *m)
{
    if (m->view.obj != NULL)
        PyBuffer_Release(&m->view);
    m->view.obj = NULL;
}

static int get_view(PyObject *obj, unsigned flags, const char *argname, pympi_msg *m)
{
    int bflags = PyBUF_ANY_CONTIGUOUS | PyBUF_FORMAT;
    if (flags & PYMPI_MSG_WRITE)
        bflags |= PyBUF_WRITABLE;
    if (PyObject_GetBuffer(obj, &m->view, bflags) < 0) {
        if (!PyErr_ExceptionMatches(PyExc_BufferError) &&
            !PyErr_ExceptionMatches(PyExc_TypeError))
            return -1;
        PyErr_Clear();
        /* Say which of the three ways it failed. */
        if (!PyObject_CheckBuffer(obj))
            PyErr_Format(PyExc_TypeError,
                         "%s: expected a buffer object (bytes, bytearray, array, NumPy "
                         "array...) or a [buf, ...] list, got %.100s",
                         argname, Py_TYPE(obj)->tp_name);
        else if (flags & PYMPI_MSG_WRITE)
            PyErr_Format(PyExc_BufferError,
                         "%s: the buffer must be writable and contiguous (%.100s)", argname,
                         Py_TYPE(obj)->tp_name);
        else
            PyErr_Format(PyExc_BufferError, "%s: the buffer must be contiguous (%.100s)",
                         argname, Py_TYPE(obj)->tp_name);
        m->view.obj = NULL;
        return -1;
    }
    m->buf = m->view.buf;
    m->bytes = m->view.len;
    return 0;
}

static int type_from_object(PyObject *o, const char *argname, MPI_Datatype *type)
{
    if (PyObject_TypeCheck(o, &PyMPIDatatype_Type)) {
        *type = ((PyMPIDatatypeObject *)o)->ob_mpi;
        if (*type == MPI_DATATYPE_NULL) {
            PyErr_Format(PyExc_ValueError, "%s: the datatype is DATATYPE_NULL", argname);
            return -1;
        }
        return 0;
    }
    if (PyUnicode_Check(o)) {
        /* A typecode, as Datatype.fromcode takes ("i", "d", "Zd"...). */
        const char *s = PyUnicode_AsUTF8(o);
        if (s == NULL)
            return -1;
        *type = pympi_format_to_type(s, 0);
        if (*type == MPI_DATATYPE_NULL || s[0] == '<' || s[0] == '>' || s[0] == '=') {
            PyErr_Format(PyExc_KeyError, "%s: unknown typecode %R", argname, o);
            return -1;
        }
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "%s: expected an MPI.Datatype or a typecode, got %.100s",
                 argname, Py_TYPE(o)->tp_name);
    return -1;
}

static int as_count(PyObject *o, const char *argname, const char *what, MPI_Count *out)
{
    if (!PyIndex_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s: %s must be an integer, got %.100s", argname,
                     what, Py_TYPE(o)->tp_name);
        return -1;
    }
    long long v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < 0) {
        PyErr_Format(PyExc_ValueError, "%s: negative %s %lld", argname, what, v);
        return -1;
    }
    *out = v;
    return 0;
}

/* The type's extent (1 for unknown/null so callers can divide). */
static MPI_Aint extent_of(MPI_Datatype type)
{
    MPI_Aint lb = 0, extent = 0;
    if (type == MPI_DATATYPE_NULL || MPI_Type_get_extent(type, &lb, &extent) != MPI_SUCCESS)
        return 0;
    return extent;
}

static int special_of(PyObject *o, unsigned flags, const char *argname, pympi_msg *m)
{
    if (o == Py_None) {
        if (!(flags & PYMPI_MSG_ALLOW_NONE))
            return 0;
        m->special = PYMPI_SPEC_NONE;
        m->buf = NULL;
        m->count = 0;
        m->type = MPI_BYTE;
        return 1;
    }
    if (o == pympi_IN_PLACE) {
        if (!(flags & PYMPI_MSG_ALLOW_INPLACE)) {
            PyErr_Format(PyExc_ValueError, "%s: MPI.IN_PLACE is not allowed here", argname);
            return -1;
        }
        m->special = PYMPI_SPEC_IN_PLACE;
        m->buf = MPI_IN_PLACE;
        m->count = 0;
        m->type = MPI_DATATYPE_NULL;
        return 1;
    }
    return 0;
}

int pympi_msg_parse(PyObject *spec, unsigned flags, const char *argname, pympi_msg *m)
{
    memset(m, 0, sizeof *m);
    m->count = -1;
    m->type = MPI_DATATYPE_NULL;
    int sp = special_of(spec, flags, argname, m);
    if (sp != 0)
        return sp < 0 ? -1 : 0;

    PyObject *obj = spec, *o_count = NULL, *o_displ = NULL, *o_type = NULL;
    if (PyList_Check(spec) || PyTuple_Check(spec)) {
        Py_ssize_t n = PySequence_Fast_GET_SIZE(spec);
        PyObject **items = PySequence_Fast_ITEMS(spec);
        if (n < 1 || n > 4) {
            PyErr_Format(PyExc_ValueError,
                         "%s: a message spec is [buf], [buf, type], [buf, count, type] or "
                         "[buf, count, displ, type]; got a %zd-item %.20s",
                         argname, n, Py_TYPE(spec)->tp_name);
            return -1;
        }
        obj = items[0];
        if (n == 2) {
            if (PyIndex_Check(items[1]))
                o_count = items[1];
            else if (PyTuple_Check(items[1]) || PyList_Check(items[1]))
                o_count = items[1];
            else
                o_type = items[1];
        } else if (n == 3) {
            o_count = items[1];
            o_type = items[2];
        } else if (n == 4) {
            o_count = items[1];
            o_displ = items[2];
            o_type = items[3];
        }
        /* [buf, (count, displ), type] */
        if (o_count != NULL && (PyTuple_Check(o_count) || PyList_Check(o_count))) {
            if (o_displ != NULL || PySequence_Size(o_count) != 2) {
                PyErr_Format(PyExc_ValueError, "%s: expected (count, displ) in the spec",
                             argname);
                return -1;
            }
            o_displ = PySequence_Fast_GET_ITEM(o_count, 1);
            o_count = PySequence_Fast_GET_ITEM(o_count, 0);
        }
        if (o_type == Py_None)
            o_type = NULL;
        if (o_count == Py_None)
            o_count = NULL;
        if (o_displ == Py_None)
            o_displ = NULL;
    }

    if (obj == pympi_BOTTOM) {
        m->special = PYMPI_SPEC_BOTTOM;
        m->buf = MPI_BOTTOM;
        m->bytes = PY_SSIZE_T_MAX;
    } else if (obj == Py_None && (flags & PYMPI_MSG_ALLOW_NONE) && obj != spec) {
        m->buf = NULL;
        m->bytes = 0;
    } else if (get_view(obj, flags, argname, m) < 0) {
        return -1;
    }

    if (o_type != NULL) {
        if (type_from_object(o_type, argname, &m->type) < 0)
            goto fail;
    } else if (m->view.obj != NULL) {
        m->type = pympi_format_to_type(m->view.format, m->view.itemsize);
        if (m->type == MPI_DATATYPE_NULL) {
            PyErr_Format(PyExc_KeyError,
                         "%s: cannot infer an MPI datatype from the buffer format '%s'; "
                         "pass [buf, MPI.<TYPE>]",
                         argname, m->view.format ? m->view.format : "B");
            goto fail;
        }
    } else {
        m->type = MPI_BYTE;
    }
    if (m->special == PYMPI_SPEC_BOTTOM && o_count == NULL) {
        PyErr_Format(PyExc_ValueError, "%s: [BOTTOM, ...] needs a count", argname);
        goto fail;
    }

    MPI_Aint extent = extent_of(m->type);
    if (o_displ != NULL) {
        MPI_Count d;
        if (as_count(o_displ, argname, "displacement", &d) < 0)
            goto fail;
        MPI_Aint off = (MPI_Aint)d * extent;
        if (m->special != PYMPI_SPEC_BOTTOM && off > m->bytes) {
            PyErr_Format(PyExc_ValueError,
                         "%s: displacement %lld is past the end of the buffer (%zd bytes)",
                         argname, (long long)d, m->bytes);
            goto fail;
        }
        m->displ = (MPI_Aint)d;
        m->buf = (char *)m->buf + off;
        if (m->special != PYMPI_SPEC_BOTTOM)
            m->bytes -= off;
    }
    if (o_count != NULL) {
        if (as_count(o_count, argname, "count", &m->count) < 0)
            goto fail;
        if (m->special != PYMPI_SPEC_BOTTOM && extent > 0 &&
            m->count * (MPI_Count)extent > (MPI_Count)m->bytes) {
            PyErr_Format(PyExc_ValueError,
                         "%s: count %lld of a type of extent %zd needs %lld bytes, but the "
                         "buffer has %zd",
                         argname, (long long)m->count, (Py_ssize_t)extent,
                         (long long)(m->count * extent), m->bytes);
            goto fail;
        }
    } else if (extent > 0) {
        if (m->bytes % extent != 0) {
            PyErr_Format(PyExc_ValueError,
                         "%s: buffer length %zd is not a multiple of the datatype extent %zd",
                         argname, m->bytes, (Py_ssize_t)extent);
            goto fail;
        }
        m->count = m->bytes / extent;
    } else {
        m->count = 0;
    }
    return 0;
fail:
    pympi_msg_release(m);
    return -1;
}

/* ---- vector specs -------------------------------------------------------------------- */

void pympi_msgv_release(pympi_msgv *m)
{
    pympi_msg_release(&m->base);
    PyMem_Free(m->counts);
    PyMem_Free(m->displs);
    m->counts = m->displs = NULL;
}

/* Fills `out[n]` from an int or a sequence of n ints. */
static int int_array(PyObject *o, int n, const char *argname, const char *what, int *out)
{
    if (PyIndex_Check(o)) {
        long v = PyLong_AsLong(o);
        if (v == -1 && PyErr_Occurred())
            return -1;
        for (int i = 0; i < n; i++)
            out[i] = (int)v;
        return 0;
    }
    PyObject *seq = PySequence_Fast(o, "");
    if (seq == NULL) {
        PyErr_Format(PyExc_TypeError, "%s: %s must be a sequence of integers, got %.100s",
                     argname, what, Py_TYPE(o)->tp_name);
        return -1;
    }
    if (PySequence_Fast_GET_SIZE(seq) != n) {
        PyErr_Format(PyExc_ValueError, "%s: %s has %zd items, expected %d", argname, what,
                     PySequence_Fast_GET_SIZE(seq), n);
        Py_DECREF(seq);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        long v = PyLong_AsLong(PySequence_Fast_GET_ITEM(seq, i));
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(seq);
            return -1;
        }
        if (v < 0 || v > INT32_MAX) {
            PyErr_Format(PyExc_ValueError, "%s: %s[%d] = %ld is out of range", argname, what,
                         i, v);
            Py_DECREF(seq);
            return -1;
        }
        out[i] = (int)v;
    }
    Py_DECREF(seq);
    return 0;
}

int pympi_msgv_parse(PyObject *spec, unsigned flags, int n, const char *argname,
                     pympi_msgv *m)
{
    memset(m, 0, sizeof *m);
    m->n = n;
    m->base.count = -1;
    int sp = special_of(spec, flags, argname, &m->base);
    if (sp != 0)
        return sp < 0 ? -1 : 0;

    PyObject *obj = spec, *o_counts = NULL, *o_displs = NULL, *o_type = NULL;
    if (PyList_Check(spec) || PyTuple_Check(spec)) {
        Py_ssize_t len = PySequence_Fast_GET_SIZE(spec);
        PyObject **items = PySequence_Fast_ITEMS(spec);
        if (len < 1 || len > 4) {
            PyErr_Format(PyExc_ValueError,
                         "%s: a vector spec is [buf, counts, displs, type] (or a prefix of "
                         "it); got a %zd-item %.20s", argname, len, Py_TYPE(spec)->tp_name);
            return -1;
        }
        obj = items[0];
        if (len == 2) {
            if (PyObject_TypeCheck(items[1], &PyMPIDatatype_Type) || PyUnicode_Check(items[1]))
                o_type = items[1];
            else
                o_counts = items[1];
        } else if (len == 3) {
            o_counts = items[1];
            o_type = items[2];
        } else if (len == 4) {
            o_counts = items[1];
            o_displs = items[2];
            o_type = items[3];
        }
        if (o_counts != NULL && o_displs == NULL && PyTuple_Check(o_counts) &&
            PyTuple_GET_SIZE(o_counts) == 2 && !PyIndex_Check(PyTuple_GET_ITEM(o_counts, 0)) &&
            PyTuple_GET_ITEM(o_counts, 0) != Py_None) {
            /* [buf, (counts, displs), type] */
            o_displs = PyTuple_GET_ITEM(o_counts, 1);
            o_counts = PyTuple_GET_ITEM(o_counts, 0);
        }
        if (o_counts == Py_None)
            o_counts = NULL;
        if (o_displs == Py_None)
            o_displs = NULL;
        if (o_type == Py_None)
            o_type = NULL;
    }

    pympi_msg *b = &m->base;
    if (obj == pympi_BOTTOM) {
        b->special = PYMPI_SPEC_BOTTOM;
        b->buf = MPI_BOTTOM;
        b->bytes = PY_SSIZE_T_MAX;
    } else if (get_view(obj, flags, argname, b) < 0) {
        return -1;
    }
    if (o_type != NULL) {
        if (type_from_object(o_type, argname, &b->type) < 0)
            goto fail;
    } else if (b->view.obj != NULL) {
        b->type = pympi_format_to_type(b->view.format, b->view.itemsize);
        if (b->type == MPI_DATATYPE_NULL) {
            PyErr_Format(PyExc_KeyError,
                         "%s: cannot infer an MPI datatype from the buffer format '%s'",
                         argname, b->view.format ? b->view.format : "B");
            goto fail;
        }
    }

    m->counts = PyMem_Calloc(n > 0 ? n : 1, sizeof(int));
    m->displs = PyMem_Calloc(n > 0 ? n : 1, sizeof(int));
    if (m->counts == NULL || m->displs == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    MPI_Aint extent = extent_of(b->type);
    if (o_counts != NULL) {
        if (int_array(o_counts, n, argname, "counts", m->counts) < 0)
            goto fail;
    } else {
        if (b->special == PYMPI_SPEC_BOTTOM) {
            PyErr_Format(PyExc_ValueError, "%s: [BOTTOM, ...] needs counts", argname);
            goto fail;
        }
        Py_ssize_t total = extent > 0 ? b->bytes / extent : 0;
        if (n > 0 && (extent <= 0 || b->bytes % extent != 0 || total % n != 0)) {
            PyErr_Format(PyExc_ValueError,
                         "%s: a buffer of %zd bytes does not split evenly into %d blocks of "
                         "the datatype", argname, b->bytes, n);
            goto fail;
        }
        for (int i = 0; i < n; i++)
            m->counts[i] = (int)(total / n);
    }
    if (o_displs != NULL) {
        if (int_array(o_displs, n, argname, "displs", m->displs) < 0)
            goto fail;
    } else {
        int run = 0;
        for (int i = 0; i < n; i++) {
            m->displs[i] = run;
            run += m->counts[i];
        }
    }
    if (b->special != PYMPI_SPEC_BOTTOM && extent > 0) {
        for (int i = 0; i < n; i++) {
            if (((MPI_Count)m->displs[i] + m->counts[i]) * extent > b->bytes) {
                PyErr_Format(PyExc_ValueError,
                             "%s: block %d (displ %d, count %d) runs past the end of the "
                             "buffer (%zd bytes)", argname, i, m->displs[i], m->counts[i],
                             b->bytes);
                goto fail;
            }
        }
    }
    return 0;
fail:
    pympi_msgv_release(m);
    return -1;
}

/* ---- IN_PLACE / BOTTOM --------------------------------------------------------------- */

static PyObject *special_repr(PyObject *self)
{
    return PyUnicode_FromString(self == pympi_IN_PLACE ? "IN_PLACE" : "BOTTOM");
}

static PyObject *special_reduce(PyObject *self, PyObject *unused)
{
    return PyUnicode_FromString(self == pympi_IN_PLACE ? "IN_PLACE" : "BOTTOM");
}

static PyMethodDef special_methods[] = {
    {"__reduce__", special_reduce, METH_NOARGS, NULL},
    {NULL},
};

static PyType_Slot inplace_slots[] = {
    {Py_tp_repr, special_repr}, {Py_tp_str, special_repr},
    {Py_tp_methods, special_methods}, {Py_tp_doc, "Type of MPI.IN_PLACE."}, {0, NULL},
};
static PyType_Slot bottom_slots[] = {
    {Py_tp_repr, special_repr}, {Py_tp_str, special_repr},
    {Py_tp_methods, special_methods}, {Py_tp_doc, "Type of MPI.BOTTOM."}, {0, NULL},
};
static PyType_Spec inplace_spec = {"mpi4py.MPI.InPlace", 0, 0, Py_TPFLAGS_DEFAULT,
                                   inplace_slots};
static PyType_Spec bottom_spec = {"mpi4py.MPI.Bottom", 0, 0, Py_TPFLAGS_DEFAULT,
                                  bottom_slots};

static PyObject *make_special(PyType_Spec *spec, long value)
{
    PyObject *type = PyType_FromSpecWithBases(spec, (PyObject *)&PyLong_Type);
    if (type == NULL)
        return NULL;
    PyObject *obj = PyObject_CallFunction(type, "l", value);
    Py_DECREF(type);
    return obj;
}

int pympi_init_msgbuffer(PyObject *m)
{
    pympi_IN_PLACE = make_special(&inplace_spec, (long)(intptr_t)MPI_IN_PLACE);
    pympi_BOTTOM = make_special(&bottom_spec, (long)(intptr_t)MPI_BOTTOM);
    if (pympi_IN_PLACE == NULL || pympi_BOTTOM == NULL)
        return -1;
    Py_INCREF(pympi_IN_PLACE);
    Py_INCREF(pympi_BOTTOM);
    if (PyModule_AddObject(m, "IN_PLACE", pympi_IN_PLACE) < 0 ||
        PyModule_AddObject(m, "BOTTOM", pympi_BOTTOM) < 0)
        return -1;
    return 0;
}
