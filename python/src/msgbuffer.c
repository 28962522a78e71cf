/*
 * msgbuffer.c - buffer message specs: turning `buf`, `[buf, type]`, `[buf, count, type]`,
 * `[buf, (count, displ), type]`, `[buf, counts, displs, type]`, ... (pympi.h lists them)
 * into what an MPI call takes, without copying: the buffer protocol gives the pointer,
 * the PEP 3118 format gives the datatype when the spec does not name one. Also
 * MPI.IN_PLACE and MPI.BOTTOM (int subclasses InPlace and Bottom, values as in the ABI).
 *
 * Every spec is checked against its buffer: the items the datatype touches (from its true
 * lower bound to its true upper bound, extent by extent) must lie inside, so a wrong
 * count or displacement is a ValueError here instead of memory corruption inside MPI.
 * Only MPI.BOTTOM specs, whose datatypes carry absolute addresses, cannot be checked.
 *
 * The plain-array case (Send(array)) is the latency-critical one: one GetBuffer, a
 * format lookup with no MPI call, count = len / itemsize.
 */
#include "pympi.h"

#include <limits.h>
#include <string.h>
#include <wchar.h>

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

/* Native-mode codes ('@' or no prefix): C types at their C sizes. */
static MPI_Datatype native_code(char c, Py_ssize_t *size)
{
#define T(type, ctype) (*size = (Py_ssize_t)sizeof(ctype), type)
    switch (c) {
    case '?': return T(MPI_C_BOOL, _Bool);
    case 'c': case 's': return T(MPI_CHAR, char);
    case 'x': return T(MPI_BYTE, char);
    case 'b': return T(MPI_SIGNED_CHAR, signed char);
    case 'B': return T(MPI_UNSIGNED_CHAR, unsigned char);
    case 'h': return T(MPI_SHORT, short);
    case 'H': return T(MPI_UNSIGNED_SHORT, unsigned short);
    case 'i': return T(MPI_INT, int);
    case 'I': return T(MPI_UNSIGNED, unsigned);
    case 'l': return T(MPI_LONG, long);
    case 'L': return T(MPI_UNSIGNED_LONG, unsigned long);
    case 'q': return T(MPI_LONG_LONG, long long);
    case 'Q': return T(MPI_UNSIGNED_LONG_LONG, unsigned long long);
    case 'n': return T(sized_int(1, sizeof(Py_ssize_t)), Py_ssize_t);
    case 'N': return T(sized_int(0, sizeof(size_t)), size_t);
    case 'f': return T(MPI_FLOAT, float);
    case 'd': return T(MPI_DOUBLE, double);
    case 'g': return T(MPI_LONG_DOUBLE, long double);
    case 'w': return T(MPI_WCHAR, wchar_t);
    case 'u': return T(MPI_UINT16_T, uint16_t);
    }
#undef T
    return MPI_DATATYPE_NULL;
}

/* Standard-size codes ('<', '=', ...): the size comes from the item, not from C. */
static MPI_Datatype standard_code(char c, Py_ssize_t size)
{
    switch (c) {
    case '?': return size == 1 ? MPI_C_BOOL : MPI_DATATYPE_NULL;
    case 'c': case 's': return size == 1 ? MPI_CHAR : MPI_DATATYPE_NULL;
    case 'x': return size == 1 ? MPI_BYTE : MPI_DATATYPE_NULL;
    case 'b': case 'h': case 'i': case 'l': case 'q': case 'n':
        return sized_int(1, size);
    case 'B': case 'H': case 'I': case 'L': case 'Q': case 'N':
        return sized_int(0, size);
    case 'f': return size == 4 ? MPI_FLOAT : MPI_DATATYPE_NULL;
    case 'd': return size == 8 ? MPI_DOUBLE : MPI_DATATYPE_NULL;
    }
    return MPI_DATATYPE_NULL;
}

/*
 * The datatype of one element of a buffer item: format "[order][repeat][Z]code", the
 * item `itemsize` bytes. *esize is the element's size (itemsize / repeat), so a "3w"
 * string of 12 bytes is 3 MPI_WCHAR. MPI_DATATYPE_NULL when nothing matches.
 */
static MPI_Datatype format_type(const char *f, Py_ssize_t itemsize, Py_ssize_t *esize)
{
    *esize = 1;
    if (f == NULL)
        return MPI_BYTE;
    int native = 1;
    switch (*f) {
    case '@': f++; break;
    case '=': case '<': case '>': case '!':
        /* Standard sizes; a foreign byte order has no MPI datatype. */
        if ((*f == '>' || *f == '!') != (PY_BIG_ENDIAN != 0) && *f != '=')
            return MPI_DATATYPE_NULL;
        native = 0;
        f++;
        break;
    }
    Py_ssize_t repeat = 1;
    if (*f >= '0' && *f <= '9') {
        repeat = 0;
        while (*f >= '0' && *f <= '9' && repeat < 1000000)
            repeat = repeat * 10 + (*f++ - '0');
        if (repeat == 0)
            return MPI_DATATYPE_NULL;
    }
    int complex = *f == 'Z';
    if (complex)
        f++;
    if (f[0] == '\0' || f[1] != '\0' || itemsize <= 0 || itemsize % repeat != 0)
        return MPI_DATATYPE_NULL;
    Py_ssize_t size = itemsize / repeat, csize = 0;
    MPI_Datatype t = MPI_DATATYPE_NULL;
    if (complex) {
        switch (f[0]) {
        case 'f': t = MPI_C_FLOAT_COMPLEX; csize = 2 * sizeof(float); break;
        case 'd': t = MPI_C_DOUBLE_COMPLEX; csize = 2 * sizeof(double); break;
        case 'g':
            t = native ? MPI_C_LONG_DOUBLE_COMPLEX : MPI_DATATYPE_NULL;
            csize = 2 * sizeof(long double);
            break;
        }
    } else if (native) {
        t = native_code(f[0], &csize);
    } else {
        t = standard_code(f[0], size);
        csize = size;
    }
    if (t == MPI_DATATYPE_NULL || csize != size)
        return MPI_DATATYPE_NULL;
    *esize = size;
    return t;
}

MPI_Datatype pympi_format_to_type(const char *format, Py_ssize_t itemsize)
{
    Py_ssize_t esize;
    return format_type(format, itemsize, &esize);
}

/* Whether a format holds Python object pointers ('O' outside field names): MPI writing
 * into those would corrupt reference counts, so such buffers are refused. */
static int has_objects(const char *f)
{
    int in_name = 0;
    for (; f != NULL && *f; f++) {
        if (*f == ':')
            in_name = !in_name;
        else if (*f == 'O' && !in_name)
            return 1;
    }
    return 0;
}

/* ---- acquiring buffers -------------------------------------------------------------- */

void pympi_msg_release(pympi_msg *m)
{
    if (m->view.obj != NULL)
        PyBuffer_Release(&m->view);
    m->view.obj = NULL;
}

/*
 * __cuda_array_interface__ (version 2/3): a C-contiguous device or managed array,
 * described by a dict. The view is filled by hand and owns a reference to the object,
 * so PyBuffer_Release works on it as on any other. liblitempi reads buffers with the
 * CPU, so only memory the CPU can reach (managed, host-registered) works.
 */
static int cuda_view(PyObject *obj, PyObject *cai, unsigned flags, const char *argname,
                     pympi_msg *m)
{
    PyObject *data = PyDict_Check(cai) ? PyDict_GetItemString(cai, "data") : NULL;
    PyObject *shape = PyDict_Check(cai) ? PyDict_GetItemString(cai, "shape") : NULL;
    PyObject *typestr = PyDict_Check(cai) ? PyDict_GetItemString(cai, "typestr") : NULL;
    PyObject *strides = PyDict_Check(cai) ? PyDict_GetItemString(cai, "strides") : NULL;
    if (data == NULL || !PyTuple_Check(data) || PyTuple_GET_SIZE(data) != 2 ||
        shape == NULL || !PyTuple_Check(shape) || typestr == NULL ||
        !PyUnicode_Check(typestr)) {
        PyErr_Format(PyExc_TypeError, "%s: malformed __cuda_array_interface__", argname);
        return -1;
    }
    if (strides != NULL && strides != Py_None) {
        PyErr_Format(PyExc_BufferError, "%s: the CUDA array must be C-contiguous", argname);
        return -1;
    }
    int readonly = PyObject_IsTrue(PyTuple_GET_ITEM(data, 1));
    if (readonly < 0)
        return -1;
    if (readonly && (flags & PYMPI_MSG_WRITE)) {
        PyErr_Format(PyExc_BufferError, "%s: the CUDA array is read-only", argname);
        return -1;
    }
    void *ptr = PyLong_AsVoidPtr(PyTuple_GET_ITEM(data, 0));
    if (ptr == NULL && PyErr_Occurred())
        return -1;
    /* typestr "<f4": byte order, kind, size; the kind+size is a typecode ("f4"). */
    const char *ts = PyUnicode_AsUTF8(typestr);
    if (ts == NULL)
        return -1;
    long itemsize = ts[0] && ts[1] ? strtol(ts + 2, NULL, 10) : 0;
    MPI_Datatype t = ts[0] == '<' || ts[0] == '|' || ts[0] == '='
                         ? pympi_typecode_to_type(ts + 1) : MPI_DATATYPE_NULL;
    if (ts[1] == 'b' && itemsize == 1)
        t = MPI_C_BOOL;
    Py_ssize_t len = itemsize;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(shape); i++) {
        Py_ssize_t d = PyLong_AsSsize_t(PyTuple_GET_ITEM(shape, i));
        if (d < 0) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_ValueError, "%s: negative CUDA array shape", argname);
            return -1;
        }
        len *= d;
    }
    memset(&m->view, 0, sizeof m->view);
    m->view.obj = Py_NewRef(obj);
    m->view.buf = ptr;
    m->view.len = len;
    m->view.readonly = readonly;
    m->view.itemsize = itemsize > 0 ? itemsize : 1;
    /* No PEP 3118 format: infer_type takes the typestr's type from m->type, or fails on
     * this format when the typestr has no MPI datatype. */
    m->view.format = t == MPI_DATATYPE_NULL ? (char *)"(CUDA typestr)" : NULL;
    m->buf = ptr;
    m->bytes = len;
    m->type = t;
    return 0;
}

/* The format is needed to infer the datatype, and to refuse writing into object arrays;
 * not asking for it saves NumPy building its format string. */
static int get_view(PyObject *obj, unsigned flags, int typed, const char *argname,
                    pympi_msg *m)
{
    int bflags = PyBUF_ANY_CONTIGUOUS;
    if (flags & PYMPI_MSG_WRITE)
        bflags |= PyBUF_WRITABLE | PyBUF_FORMAT;
    else if (!typed)
        bflags |= PyBUF_FORMAT;
    if (PyObject_GetBuffer(obj, &m->view, bflags) == 0) {
        m->buf = m->view.buf;
        m->bytes = m->view.len;
        return 0;
    }
    m->view.obj = NULL;
    if (!PyErr_ExceptionMatches(PyExc_BufferError) &&
        !PyErr_ExceptionMatches(PyExc_TypeError) && !PyErr_ExceptionMatches(PyExc_ValueError))
        return -1;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (!PyObject_CheckBuffer(obj)) {
        PyObject *cai = PyObject_GetAttrString(obj, "__cuda_array_interface__");
        if (cai != NULL) {
            Py_XDECREF(type);
            Py_XDECREF(value);
            Py_XDECREF(tb);
            int r = cuda_view(obj, cai, flags, argname, m);
            Py_DECREF(cai);
            return r;
        }
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError,
                     "%s: expected a buffer object (bytes, bytearray, array, NumPy array...) "
                     "or a [buf, count, datatype] list, got %.100s",
                     argname, Py_TYPE(obj)->tp_name);
    } else {
        PyErr_Format(PyExc_BufferError, "%s: the buffer must be %scontiguous (%.100s: %S)",
                     argname, (flags & PYMPI_MSG_WRITE) ? "writable and " : "",
                     Py_TYPE(obj)->tp_name, value ? value : Py_None);
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return -1;
}

/* The buffer's own datatype and its element size. */
static int infer_type(pympi_msg *m, const char *argname, Py_ssize_t *esize)
{
    if (m->view.format == NULL && m->type != MPI_DATATYPE_NULL) {
        /* a CUDA array: the type came from its typestr */
        *esize = m->view.itemsize;
        return 0;
    }
    m->type = format_type(m->view.format, m->view.itemsize, esize);
    if (m->type != MPI_DATATYPE_NULL)
        return 0;
    PyErr_Format(PyExc_KeyError,
                 "%s: no MPI datatype matches the buffer format '%s'; pass [buf, datatype]",
                 argname, m->view.format ? m->view.format : "?");
    return -1;
}

/* A buffer given with an explicit datatype must hold plain data. */
static int check_data(const pympi_msg *m, const char *argname)
{
    if (m->view.obj == NULL || !has_objects(m->view.format))
        return 0;
    PyErr_Format(PyExc_TypeError, "%s: the buffer holds Python objects (format '%s'), not data",
                 argname, m->view.format);
    return -1;
}

static int type_from_object(PyObject *o, const char *argname, MPI_Datatype *type)
{
    if (PyObject_TypeCheck(o, &PyMPIDatatype_Type)) {
        *type = ((PyMPIDatatypeObject *)o)->ob_mpi;
        if (*type == MPI_DATATYPE_NULL) {
            PyErr_Format(PyExc_ValueError, "%s: the datatype is MPI.DATATYPE_NULL", argname);
            return -1;
        }
        return 0;
    }
    if (PyUnicode_Check(o)) {
        const char *s = PyUnicode_AsUTF8(o);
        if (s == NULL)
            return -1;
        *type = pympi_typecode_to_type(s);
        if (*type == MPI_DATATYPE_NULL) {
            PyErr_Format(PyExc_KeyError, "%s: unknown typecode %R", argname, o);
            return -1;
        }
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "%s: expected an MPI.Datatype or a typecode, got %.100s",
                 argname, Py_TYPE(o)->tp_name);
    return -1;
}

static int is_type(PyObject *o)
{
    return PyObject_TypeCheck(o, &PyMPIDatatype_Type) || PyUnicode_Check(o);
}

/* A count or displacement: a non-negative integer. */
static int as_count(PyObject *o, const char *argname, const char *what, MPI_Count *out)
{
    if (!PyIndex_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s: %s must be an integer, got %.100s", argname, what,
                     Py_TYPE(o)->tp_name);
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

/* ---- bounds ------------------------------------------------------------------------ */

struct layout {
    MPI_Aint lb, extent, true_lb, true_extent;
};

/* Predefined datatypes are the ABI's handles 0x200..0x2ff and never change: their
 * layouts are asked once (under the GIL, like every parse). */
#define PREDEF_FIRST 0x200
#define PREDEF_COUNT 0x100
static struct layout predef_layout[PREDEF_COUNT];
static unsigned char predef_known[PREDEF_COUNT];

static int layout_of(MPI_Datatype type, struct layout *l)
{
    uintptr_t slot = (uintptr_t)type - PREDEF_FIRST;
    if (slot < PREDEF_COUNT && predef_known[slot]) {
        *l = predef_layout[slot];
        return 0;
    }
    int ierr = MPI_Type_get_extent(type, &l->lb, &l->extent);
    if (ierr == MPI_SUCCESS)
        ierr = MPI_Type_get_true_extent(type, &l->true_lb, &l->true_extent);
    if (ierr != MPI_SUCCESS)
        return pympi_raise(ierr);
    if (slot < PREDEF_COUNT) {
        predef_layout[slot] = *l;
        predef_known[slot] = 1;
    }
    return 0;
}

/*
 * Whether `count` items of the type, the first at byte `offset`, lie inside [0, bytes).
 * Item k covers [offset + k * extent + true_lb, ... + true_extent).
 */
static int fits(const struct layout *l, MPI_Count offset, MPI_Count count, MPI_Count bytes)
{
    if (count == 0 || l->true_extent <= 0)
        return 1;
    MPI_Count span, lo, hi;
    if (__builtin_mul_overflow(count - 1, (MPI_Count)l->extent, &span) ||
        __builtin_add_overflow(offset, (MPI_Count)l->true_lb, &lo) ||
        __builtin_add_overflow(lo, (MPI_Count)l->true_extent, &hi) ||
        __builtin_add_overflow(lo, span < 0 ? span : 0, &lo) ||
        __builtin_add_overflow(hi, span > 0 ? span : 0, &hi))
        return 0;
    return lo >= 0 && hi <= bytes;
}

static int check_fits(const struct layout *l, MPI_Count offset, MPI_Count count,
                      MPI_Count bytes, const char *argname)
{
    if (fits(l, offset, count, bytes))
        return 0;
    PyErr_Format(PyExc_ValueError,
                 "%s: %lld items of a datatype of extent %zd (true lb %zd, true extent %zd) "
                 "starting at byte %lld do not fit in a buffer of %lld bytes",
                 argname, (long long)count, (Py_ssize_t)l->extent, (Py_ssize_t)l->true_lb,
                 (Py_ssize_t)l->true_extent, (long long)offset, (long long)bytes);
    return -1;
}

/* ---- single-buffer specs ----------------------------------------------------------- */

static int special_of(PyObject *o, unsigned flags, const char *argname, pympi_msg *m)
{
    if (o == Py_None && (flags & PYMPI_MSG_ALLOW_NONE)) {
        m->special = PYMPI_SPEC_NONE;
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
    if (o == pympi_BOTTOM) {
        PyErr_Format(PyExc_TypeError, "%s: MPI.BOTTOM needs a count and a datatype: "
                     "[MPI.BOTTOM, count, datatype]", argname);
        return -1;
    }
    return 0;
}

/* Splits a (count, displ) pair. */
static int split_pair(PyObject *o, const char *argname, PyObject **first, PyObject **second)
{
    if (PySequence_Fast_GET_SIZE(o) != 2) {
        PyErr_Format(PyExc_ValueError, "%s: expected (count, displ), got %zd items", argname,
                     PySequence_Fast_GET_SIZE(o));
        return -1;
    }
    *first = PySequence_Fast_GET_ITEM(o, 0);
    *second = PySequence_Fast_GET_ITEM(o, 1);
    return 0;
}

/* The buffer item of a list spec: a buffer, None (no data) or MPI.BOTTOM. */
static int spec_buffer(PyObject *obj, unsigned flags, int typed, const char *argname,
                       pympi_msg *m)
{
    if (obj == pympi_BOTTOM) {
        m->special = PYMPI_SPEC_BOTTOM;
        m->buf = MPI_BOTTOM;
        return 0;
    }
    if (obj == Py_None) {
        m->buf = NULL;
        return 0;
    }
    return get_view(obj, flags, typed, argname, m);
}

int pympi_msg_parse_blocks(PyObject *spec, unsigned flags, int blocks, const char *argname,
                           pympi_msg *m)
{
    memset(m, 0, sizeof *m);
    m->type = MPI_DATATYPE_NULL;
    if (blocks < 1)
        blocks = 1;

    /* The fast path: a plain buffer with a datatype from its format. */
    if (!PyList_Check(spec) && !PyTuple_Check(spec)) {
        int sp = special_of(spec, flags, argname, m);
        if (sp != 0)
            return sp < 0 ? -1 : 0;
        Py_ssize_t esize;
        if (get_view(spec, flags, 0, argname, m) < 0)
            return -1;
        if (infer_type(m, argname, &esize) < 0)
            goto fail;
        Py_ssize_t items = m->bytes / esize;
        if (items % blocks != 0) {
            PyErr_Format(PyExc_ValueError,
                         "%s: %zd items do not split evenly into %d blocks", argname, items,
                         blocks);
            goto fail;
        }
        m->count = items / blocks;
        return 0;
    }

    PyObject *const *items = PySequence_Fast_ITEMS(spec);
    Py_ssize_t n = PySequence_Fast_GET_SIZE(spec);
    PyObject *o_count = NULL, *o_displ = NULL, *o_type = NULL;
    if (n < 2 || n > 4) {
        PyErr_Format(PyExc_ValueError,
                     "%s: a message spec is [buf, datatype], [buf, count, datatype] or "
                     "[buf, count, displ, datatype]; got a %zd-item %.20s",
                     argname, n, Py_TYPE(spec)->tp_name);
        return -1;
    }
    if (n == 2) {
        if (is_type(items[1]))
            o_type = items[1];
        else
            o_count = items[1];
    } else {
        o_count = items[1];
        o_displ = n == 4 ? items[2] : NULL;
        o_type = items[n - 1];
    }
    if (o_displ == NULL && o_count != NULL && (PyTuple_Check(o_count) || PyList_Check(o_count)))
        if (split_pair(o_count, argname, &o_count, &o_displ) < 0)
            return -1;
    if (o_count == Py_None)
        o_count = NULL;
    if (o_displ == Py_None)
        o_displ = NULL;
    if (o_type == Py_None)
        o_type = NULL;

    MPI_Count count = -1, displ = 0;
    if (o_count != NULL && as_count(o_count, argname, "count", &count) < 0)
        return -1;
    if (o_displ != NULL && as_count(o_displ, argname, "displacement", &displ) < 0)
        return -1;
    if (spec_buffer(items[0], flags, o_type != NULL, argname, m) < 0)
        return -1;

    Py_ssize_t esize = 0;
    if (o_type != NULL) {
        if (type_from_object(o_type, argname, &m->type) < 0 || check_data(m, argname) < 0)
            goto fail;
    } else if (m->view.obj != NULL) {
        if (infer_type(m, argname, &esize) < 0)
            goto fail;
    } else {
        PyErr_Format(PyExc_TypeError, "%s: a datatype is required with %s", argname,
                     m->special == PYMPI_SPEC_BOTTOM ? "MPI.BOTTOM" : "a None buffer");
        goto fail;
    }

    if (m->special == PYMPI_SPEC_BOTTOM) {
        if (count < 0) {
            PyErr_Format(PyExc_ValueError, "%s: [MPI.BOTTOM, ...] needs a count", argname);
            goto fail;
        }
        if (displ != 0) {
            MPI_Aint lb, extent;
            int ierr = MPI_Type_get_extent(m->type, &lb, &extent);
            if (ierr != MPI_SUCCESS) {
                pympi_raise(ierr);
                goto fail;
            }
            m->buf = (void *)((intptr_t)MPI_BOTTOM + (intptr_t)(displ * extent));
        }
        m->displ = (MPI_Aint)displ;
        m->count = count;
        m->bytes = 0;
        return 0;
    }
    if (m->view.obj == NULL && count > 0) {
        PyErr_Format(PyExc_ValueError, "%s: the buffer is None but the count is %lld", argname,
                     (long long)count);
        goto fail;
    }
    if (o_displ != NULL && count < 0) {
        PyErr_Format(PyExc_ValueError, "%s: a displacement needs an explicit count", argname);
        goto fail;
    }

    if (esize > 0 && count < 0) {
        /* Inferred type, inferred count: the plain-buffer rule. */
        Py_ssize_t nitems = m->bytes / esize;
        if (nitems % blocks != 0) {
            PyErr_Format(PyExc_ValueError, "%s: %zd items do not split evenly into %d blocks",
                         argname, nitems, blocks);
            goto fail;
        }
        m->count = nitems / blocks;
        return 0;
    }
    struct layout l;
    if (layout_of(m->type, &l) < 0)
        goto fail;
    if (count < 0) {
        if (m->bytes == 0) {
            count = 0;
        } else if (l.extent <= 0) {
            PyErr_Format(PyExc_ValueError, "%s: cannot infer a count for a datatype of "
                         "extent %zd; give one", argname, (Py_ssize_t)l.extent);
            goto fail;
        } else if (m->bytes % l.extent != 0 || (m->bytes / l.extent) % blocks != 0) {
            PyErr_Format(PyExc_ValueError,
                         "%s: a buffer of %zd bytes does not hold a whole number of items of "
                         "extent %zd%s", argname, m->bytes, (Py_ssize_t)l.extent,
                         blocks > 1 ? " per block" : "");
            goto fail;
        } else {
            count = m->bytes / l.extent / blocks;
        }
    }
    MPI_Count offset;
    if (__builtin_mul_overflow(displ, (MPI_Count)l.extent, &offset)) {
        PyErr_Format(PyExc_OverflowError, "%s: displacement %lld is too large", argname,
                     (long long)displ);
        goto fail;
    }
    MPI_Count total;
    if (__builtin_mul_overflow(count, (MPI_Count)blocks, &total) ||
        check_fits(&l, offset, total, m->bytes, argname) < 0) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_OverflowError, "%s: count %lld is too large", argname,
                         (long long)count);
        goto fail;
    }
    if (m->buf != NULL)
        m->buf = (char *)m->buf + offset;
    m->bytes -= offset > m->bytes ? m->bytes : offset;
    m->displ = (MPI_Aint)displ;
    m->count = count;
    return 0;
fail:
    pympi_msg_release(m);
    return -1;
}

int pympi_msg_parse(PyObject *spec, unsigned flags, const char *argname, pympi_msg *m)
{
    return pympi_msg_parse_blocks(spec, flags, 1, argname, m);
}

/* ---- vector specs -------------------------------------------------------------------- */

/* Fills out[n] from None (leaves it), an int (`scale`: out[i] = i * v, else v) or a
 * sequence of n ints. Returns 1 when filled, 0 for None, -1 on error. */
static int int_array(PyObject *o, int n, int scale, const char *argname, const char *what,
                     int *out)
{
    if (o == NULL || o == Py_None)
        return 0;
    if (PyIndex_Check(o)) {
        MPI_Count v;
        if (as_count(o, argname, what, &v) < 0)
            return -1;
        for (int i = 0; i < n; i++) {
            MPI_Count x = scale ? v * i : v;
            if (x > INT_MAX) {
                PyErr_Format(PyExc_OverflowError, "%s: %s[%d] = %lld exceeds the int range",
                             argname, what, i, (long long)x);
                return -1;
            }
            out[i] = (int)x;
        }
        return 1;
    }
    if (PyUnicode_Check(o) || PyBytes_Check(o) || !PySequence_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s: %s must be an integer or a sequence of integers, "
                     "got %.100s", argname, what, Py_TYPE(o)->tp_name);
        return -1;
    }
    PyObject *seq = PySequence_Fast(o, "");
    if (seq == NULL)
        return -1;
    if (PySequence_Fast_GET_SIZE(seq) != n) {
        PyErr_Format(PyExc_ValueError, "%s: %s has %zd items, expected %d", argname, what,
                     PySequence_Fast_GET_SIZE(seq), n);
        Py_DECREF(seq);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        MPI_Count v;
        if (as_count(PySequence_Fast_GET_ITEM(seq, i), argname, what, &v) < 0) {
            Py_DECREF(seq);
            return -1;
        }
        if (v > INT_MAX) {
            PyErr_Format(PyExc_OverflowError, "%s: %s[%d] = %lld exceeds the int range",
                         argname, what, i, (long long)v);
            Py_DECREF(seq);
            return -1;
        }
        out[i] = (int)v;
    }
    Py_DECREF(seq);
    return 1;
}

/* Splits a vector spec list into buffer, counts, displs and type items (NULL when
 * absent). */
static int split_vector(PyObject *spec, const char *argname, PyObject **o_buf,
                        PyObject **o_counts, PyObject **o_displs, PyObject **o_type)
{
    PyObject *const *items = PySequence_Fast_ITEMS(spec);
    Py_ssize_t len = PySequence_Fast_GET_SIZE(spec);
    *o_counts = *o_displs = *o_type = NULL;
    if (len < 2 || len > 4) {
        PyErr_Format(PyExc_ValueError,
                     "%s: a vector spec is [buf, counts, displs, datatype] (or a shorter "
                     "form); got a %zd-item %.20s", argname, len, Py_TYPE(spec)->tp_name);
        return -1;
    }
    *o_buf = items[0];
    if (len == 2) {
        if (is_type(items[1]))
            *o_type = items[1];
        else
            *o_counts = items[1];
    } else {
        *o_counts = items[1];
        *o_displs = len == 4 ? items[2] : NULL;
        *o_type = items[len - 1];
    }
    /* A tuple in the counts place is (counts, displs), as mpi4py reads it. */
    if (*o_displs == NULL && *o_counts != NULL && PyTuple_Check(*o_counts) &&
        PyTuple_GET_SIZE(*o_counts) == 2) {
        *o_displs = PyTuple_GET_ITEM(*o_counts, 1);
        *o_counts = PyTuple_GET_ITEM(*o_counts, 0);
    }
    if (*o_counts == Py_None)
        *o_counts = NULL;
    if (*o_displs == Py_None)
        *o_displs = NULL;
    if (*o_type == Py_None)
        *o_type = NULL;
    return 0;
}

void pympi_msgv_release(pympi_msgv *m)
{
    pympi_msg_release(&m->base);
    PyMem_Free(m->counts);
    PyMem_Free(m->displs);
    m->counts = m->displs = NULL;
}

int pympi_msgv_parse(PyObject *spec, unsigned flags, int n, const char *argname,
                     pympi_msgv *m)
{
    memset(m, 0, sizeof *m);
    m->n = n;
    pympi_msg *b = &m->base;
    b->type = MPI_DATATYPE_NULL;
    int sp = special_of(spec, flags, argname, b);
    if (sp != 0)
        return sp < 0 ? -1 : 0;

    PyObject *o_buf = spec, *o_counts = NULL, *o_displs = NULL, *o_type = NULL;
    if ((PyList_Check(spec) || PyTuple_Check(spec)) &&
        split_vector(spec, argname, &o_buf, &o_counts, &o_displs, &o_type) < 0)
        return -1;
    m->counts = PyMem_Calloc(n > 0 ? n : 1, sizeof(int));
    m->displs = PyMem_Calloc(n > 0 ? n : 1, sizeof(int));
    if (m->counts == NULL || m->displs == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    int have_counts = int_array(o_counts, n, 0, argname, "counts", m->counts);
    int have_displs = have_counts < 0 ? -1 : int_array(o_displs, n, 1, argname, "displs",
                                                       m->displs);
    if (have_displs < 0 || spec_buffer(o_buf, flags, o_type != NULL, argname, b) < 0)
        goto fail;

    Py_ssize_t esize = 0;
    if (o_type != NULL) {
        if (type_from_object(o_type, argname, &b->type) < 0 || check_data(b, argname) < 0)
            goto fail;
    } else if (b->view.obj != NULL) {
        if (infer_type(b, argname, &esize) < 0)
            goto fail;
    } else {
        PyErr_Format(PyExc_TypeError, "%s: a datatype is required with %s", argname,
                     b->special == PYMPI_SPEC_BOTTOM ? "MPI.BOTTOM" : "a None buffer");
        goto fail;
    }
    struct layout l;
    if (layout_of(b->type, &l) < 0)
        goto fail;
    if (!have_counts) {
        if (b->special == PYMPI_SPEC_BOTTOM) {
            PyErr_Format(PyExc_ValueError, "%s: [MPI.BOTTOM, ...] needs counts", argname);
            goto fail;
        }
        Py_ssize_t total = l.extent > 0 ? b->bytes / l.extent : 0;
        if (n > 0 && b->bytes > 0 &&
            (l.extent <= 0 || b->bytes % l.extent != 0 || total % n != 0)) {
            PyErr_Format(PyExc_ValueError,
                         "%s: a buffer of %zd bytes does not split evenly into %d blocks of "
                         "items of extent %zd", argname, b->bytes, n, (Py_ssize_t)l.extent);
            goto fail;
        }
        for (int i = 0; i < n; i++)
            m->counts[i] = (int)(total / (n > 0 ? n : 1));
    }
    if (!have_displs) {
        MPI_Count run = 0;
        for (int i = 0; i < n; i++) {
            if (run > INT_MAX) {
                PyErr_Format(PyExc_OverflowError, "%s: displs[%d] = %lld exceeds the int range",
                             argname, i, (long long)run);
                goto fail;
            }
            m->displs[i] = (int)run;
            run += m->counts[i];
        }
    }
    if (b->view.obj == NULL && b->special != PYMPI_SPEC_BOTTOM) {
        for (int i = 0; i < n; i++) {
            if (m->counts[i] != 0) {
                PyErr_Format(PyExc_ValueError, "%s: the buffer is None but counts[%d] is %d",
                             argname, i, m->counts[i]);
                goto fail;
            }
        }
    } else if (b->special != PYMPI_SPEC_BOTTOM) {
        for (int i = 0; i < n; i++) {
            if (!fits(&l, (MPI_Count)m->displs[i] * l.extent, m->counts[i], b->bytes)) {
                PyErr_Format(PyExc_ValueError,
                             "%s: block %d (displ %d, count %d) does not fit in a buffer of "
                             "%zd bytes (datatype extent %zd)", argname, i, m->displs[i],
                             m->counts[i], b->bytes, (Py_ssize_t)l.extent);
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
