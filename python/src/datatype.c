/*
 * datatype.c - MPI.Datatype: the predefined datatypes (with mpi4py's aliases), every
 * constructor, size/extent queries, decoding (Get_envelope, Get_contents, decode),
 * packing, names, attributes (the keyval machinery is attr.c's, shared with Comm), the
 * typecode tables (MPI._typedict, _typedict_c, _typedict_f, MPI._typecode) and the module
 * functions Get_address, Aint_add, Aint_diff. pympi_init_datatype also readies memory.c's
 * MPI.memory and Alloc_mem/Free_mem.
 *
 * As in mpi4py, a Datatype object never frees its handle when garbage-collected: Free()
 * does. Constructors and other calls that take liblitempi's lock run with the GIL
 * released, because a user-defined Op may be running under that lock in another thread
 * and waiting for the GIL.
 */
#include "pympi.h"

#include <limits.h>
#include <string.h>

#define HANDLE(self) (((PyMPIDatatypeObject *)(self))->ob_mpi)

PyObject *pympi_datatype_new(MPI_Datatype h, unsigned flags)
{
    PyMPIDatatypeObject *self =
        (PyMPIDatatypeObject *)PyMPIDatatype_Type.tp_alloc(&PyMPIDatatype_Type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = h;
    self->flags = flags;
    return (PyObject *)self;
}

int pympi_conv_datatype(PyObject *o, void *out)
{
    if (!PyObject_TypeCheck(o, &PyMPIDatatype_Type)) {
        PyErr_Format(PyExc_TypeError, "datatype: expected an MPI.Datatype, got %.100s",
                     Py_TYPE(o)->tp_name);
        return 0;
    }
    *(MPI_Datatype *)out = HANDLE(o);
    return 1;
}

/* ---- typecodes ------------------------------------------------------------------------- */

/* mpi4py's typecode tables: NumPy/struct characters and sized names, C and Fortran. */
static const struct typecode {
    const char *code;
    MPI_Datatype type;
} typedict_c[] = {
    {"?", MPI_C_BOOL},
    {"c", MPI_CHAR},        {"S", MPI_CHAR},        {"S1", MPI_CHAR},
    {"s", MPI_CHAR},        {"1s", MPI_CHAR},       {"b", MPI_SIGNED_CHAR},
    {"h", MPI_SHORT},       {"i", MPI_INT},         {"l", MPI_LONG},
    {"q", MPI_LONG_LONG},   {"B", MPI_UNSIGNED_CHAR}, {"H", MPI_UNSIGNED_SHORT},
    {"I", MPI_UNSIGNED},    {"L", MPI_UNSIGNED_LONG}, {"Q", MPI_UNSIGNED_LONG_LONG},
    {"f", MPI_FLOAT},       {"d", MPI_DOUBLE},      {"g", MPI_LONG_DOUBLE},
    {"Zf", MPI_C_FLOAT_COMPLEX}, {"Zd", MPI_C_DOUBLE_COMPLEX},
    {"F", MPI_C_FLOAT_COMPLEX},  {"D", MPI_C_DOUBLE_COMPLEX},
    {"Zg", MPI_C_LONG_DOUBLE_COMPLEX}, {"G", MPI_C_LONG_DOUBLE_COMPLEX},
    {"b1", MPI_C_BOOL},     {"i1", MPI_INT8_T},     {"u1", MPI_UINT8_T},
    {"i2", MPI_INT16_T},    {"u2", MPI_UINT16_T},   {"i4", MPI_INT32_T},
    {"u4", MPI_UINT32_T},   {"i8", MPI_INT64_T},    {"u8", MPI_UINT64_T},
    {"f4", MPI_FLOAT},      {"c8", MPI_C_FLOAT_COMPLEX}, {"f8", MPI_DOUBLE},
    {"c16", MPI_C_DOUBLE_COMPLEX}, {"f16", MPI_LONG_DOUBLE},
    {"c32", MPI_C_LONG_DOUBLE_COMPLEX},
    {"n", MPI_COUNT},       {"N", MPI_UNSIGNED_LONG}, {"p", MPI_AINT},
    {"P", MPI_UNSIGNED_LONG}, {"U", MPI_WCHAR},     {"U1", MPI_WCHAR},
    {"u", MPI_UINT16_T},    {"1u", MPI_UINT16_T},   {"w", MPI_WCHAR},
    {"1w", MPI_WCHAR},
}, typedict_f[] = {
    {"?", MPI_LOGICAL},     {"i", MPI_INTEGER},     {"s", MPI_REAL},
    {"r", MPI_REAL},        {"d", MPI_DOUBLE_PRECISION}, {"c", MPI_COMPLEX},
    {"z", MPI_DOUBLE_COMPLEX}, {"?1", MPI_LOGICAL1}, {"?2", MPI_LOGICAL2},
    {"?4", MPI_LOGICAL4},   {"?8", MPI_LOGICAL8},   {"i1", MPI_INTEGER1},
    {"i2", MPI_INTEGER2},   {"i4", MPI_INTEGER4},   {"i8", MPI_INTEGER8},
    {"r4", MPI_REAL4},      {"r8", MPI_REAL8},      {"r16", MPI_REAL16},
    {"c8", MPI_COMPLEX8},   {"c16", MPI_COMPLEX16}, {"c32", MPI_COMPLEX32},
};
/* _typedict_c holds the C entries that name a C type unambiguously (no 'c', 'S', 'n'...). */
static const char *const typedict_c_only[] = {
    "?", "b", "h", "i", "l", "q", "B", "H", "I", "L", "Q", "f", "d", "g", "F", "D", "G",
    "b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f4", "c8", "f8", "c16", "f16",
    "c32",
};

/* The typecode of a predefined datatype (what MPI._typecode returns). */
static const struct typecode typecodes[] = {
    {"B", MPI_BYTE},        {"B", MPI_PACKED},      {"c", MPI_CHAR},
    {"b", MPI_SIGNED_CHAR}, {"B", MPI_UNSIGNED_CHAR}, {"U", MPI_WCHAR},
    {"h", MPI_SHORT},       {"H", MPI_UNSIGNED_SHORT}, {"i", MPI_INT},
    {"I", MPI_UNSIGNED},    {"l", MPI_LONG},        {"L", MPI_UNSIGNED_LONG},
    {"q", MPI_LONG_LONG},   {"Q", MPI_UNSIGNED_LONG_LONG}, {"f", MPI_FLOAT},
    {"d", MPI_DOUBLE},      {"g", MPI_LONG_DOUBLE}, {"?", MPI_C_BOOL},
    {"?", MPI_CXX_BOOL},    {"i1", MPI_INT8_T},     {"i2", MPI_INT16_T},
    {"i4", MPI_INT32_T},    {"i8", MPI_INT64_T},    {"u1", MPI_UINT8_T},
    {"u2", MPI_UINT16_T},   {"u4", MPI_UINT32_T},   {"u8", MPI_UINT64_T},
    {"F", MPI_C_FLOAT_COMPLEX}, {"D", MPI_C_DOUBLE_COMPLEX},
    {"G", MPI_C_LONG_DOUBLE_COMPLEX}, {"F", MPI_CXX_FLOAT_COMPLEX},
    {"D", MPI_CXX_DOUBLE_COMPLEX}, {"G", MPI_CXX_LONG_DOUBLE_COMPLEX},
    {"p", MPI_AINT},        {"p", MPI_OFFSET},      {"p", MPI_COUNT},
    {"c", MPI_CHARACTER},   {"i", MPI_INTEGER},     {"f", MPI_REAL},
    {"d", MPI_DOUBLE_PRECISION}, {"F", MPI_COMPLEX}, {"D", MPI_DOUBLE_COMPLEX},
    {"i1", MPI_INTEGER1},   {"i2", MPI_INTEGER2},   {"i4", MPI_INTEGER4},
    {"i8", MPI_INTEGER8},   {"f4", MPI_REAL4},      {"f8", MPI_REAL8},
    {"f16", MPI_REAL16},    {"c8", MPI_COMPLEX8},   {"c16", MPI_COMPLEX16},
    {"c32", MPI_COMPLEX32},
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

MPI_Datatype pympi_typecode_to_type(const char *code)
{
    for (size_t i = 0; i < COUNT_OF(typedict_c); i++)
        if (strcmp(typedict_c[i].code, code) == 0)
            return typedict_c[i].type;
    return MPI_DATATYPE_NULL;
}

static const char *type_to_typecode(MPI_Datatype type)
{
    for (size_t i = 0; i < COUNT_OF(typecodes); i++)
        if (typecodes[i].type == type)
            return typecodes[i].code;
    return NULL;
}

/* ---- argument helpers ------------------------------------------------------------------- */

/* An int argument that must fit MPI's int parameters. */
static int int_of(PyObject *o, const char *name, int *out)
{
    return pympi_int_arg(o, 0, name, out);
}

static int aint_of(PyObject *o, const char *name, MPI_Aint *out)
{
    if (!PyIndex_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s: expected an integer, got %.100s", name,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    Py_ssize_t v = PyNumber_AsSsize_t(o, PyExc_OverflowError);
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = (MPI_Aint)v;
    return 0;
}

/* A sequence argument as a new PySequence_Fast, optionally of exactly `n` items. */
static PyObject *seq_of(PyObject *o, const char *name, Py_ssize_t n)
{
    if (PyUnicode_Check(o) || PyBytes_Check(o) || !PySequence_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s: expected a sequence, got %.100s", name,
                     Py_TYPE(o)->tp_name);
        return NULL;
    }
    PyObject *seq = PySequence_Fast(o, name);
    if (seq == NULL)
        return NULL;
    if (n >= 0 && PySequence_Fast_GET_SIZE(seq) != n) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd items, got %zd", name, n,
                     PySequence_Fast_GET_SIZE(seq));
        Py_DECREF(seq);
        return NULL;
    }
    return seq;
}

/* Int arrays from sequences (pympi_int_array): *out is PyMem-allocated. `n` < 0 takes the
 * sequence's length and stores it there. */
static int int_array(PyObject *o, const char *name, Py_ssize_t *n, int **out)
{
    int len;
    if (*n > INT_MAX) {
        PyErr_Format(PyExc_OverflowError, "%s: too many items (%zd)", name, *n);
        return -1;
    }
    *out = pympi_int_array(o, *n < 0 ? -1 : (int)*n, name, &len);
    if (*out == NULL)
        return -1;
    *n = len;
    return 0;
}

static int aint_array(PyObject *o, const char *name, Py_ssize_t n, MPI_Aint **out)
{
    *out = NULL;
    PyObject *seq = seq_of(o, name, n);
    if (seq == NULL)
        return -1;
    Py_ssize_t len = PySequence_Fast_GET_SIZE(seq);
    *out = PyMem_Malloc((size_t)(len > 0 ? len : 1) * sizeof(MPI_Aint));
    if (*out == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t i = 0; i < len; i++)
        if (aint_of(PySequence_Fast_GET_ITEM(seq, i), name, &(*out)[i]) < 0)
            goto fail;
    Py_DECREF(seq);
    return 0;
fail:
    PyMem_Free(*out);
    *out = NULL;
    Py_DECREF(seq);
    return -1;
}

static PyObject *int_list(const int *v, Py_ssize_t n)
{
    PyObject *l = PyList_New(n);
    for (Py_ssize_t i = 0; l != NULL && i < n; i++) {
        PyObject *x = PyLong_FromLong(v[i]);
        if (x == NULL) {
            Py_CLEAR(l);
            break;
        }
        PyList_SET_ITEM(l, i, x);
    }
    return l;
}

static PyObject *aint_list(const MPI_Aint *v, Py_ssize_t n)
{
    PyObject *l = PyList_New(n);
    for (Py_ssize_t i = 0; l != NULL && i < n; i++) {
        PyObject *x = PyLong_FromSsize_t((Py_ssize_t)v[i]);
        if (x == NULL) {
            Py_CLEAR(l);
            break;
        }
        PyList_SET_ITEM(l, i, x);
    }
    return l;
}

/* A new Datatype object for a type this call created (owned: the user frees it). */
static PyObject *new_type(MPI_Datatype t)
{
    PyObject *o = pympi_datatype_new(t, PYMPI_OWNED);
    if (o == NULL && t != MPI_DATATYPE_NULL)
        MPI_Type_free(&t);
    return o;
}

/* ---- object protocol ------------------------------------------------------------------- */

static PyObject *dtype_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *other = NULL;
    static char *kwlist[] = {"datatype", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:Datatype", kwlist, &other))
        return NULL;
    MPI_Datatype h = MPI_DATATYPE_NULL;
    if (other != NULL && other != Py_None && !pympi_conv_datatype(other, &h))
        return NULL;
    PyObject *self = type->tp_alloc(type, 0);
    if (self != NULL)
        HANDLE(self) = h;
    return self;
}

PYMPI_HANDLE_COMPARE(dtype, Datatype, MPI_DATATYPE_NULL)

/* ---- sizes and extents ------------------------------------------------------------------ */

static PyObject *dtype_Get_size(PyObject *self, PyObject *unused)
{
    MPI_Count size = 0;
    PYMPI_CHK(MPI_Type_size_c(HANDLE(self), &size));
    return PyLong_FromLongLong(size);
fail:
    return NULL;
}

static PyObject *dtype_Get_extent(PyObject *self, PyObject *unused)
{
    MPI_Aint lb = 0, extent = 0;
    PYMPI_CHK(MPI_Type_get_extent(HANDLE(self), &lb, &extent));
    return Py_BuildValue("(nn)", (Py_ssize_t)lb, (Py_ssize_t)extent);
fail:
    return NULL;
}

static PyObject *dtype_Get_true_extent(PyObject *self, PyObject *unused)
{
    MPI_Aint lb = 0, extent = 0;
    PYMPI_CHK(MPI_Type_get_true_extent(HANDLE(self), &lb, &extent));
    return Py_BuildValue("(nn)", (Py_ssize_t)lb, (Py_ssize_t)extent);
fail:
    return NULL;
}

enum { P_EXTENT, P_LB, P_UB, P_TRUE_EXTENT, P_TRUE_LB, P_TRUE_UB };

static PyObject *dtype_get_bound(PyObject *self, void *which)
{
    MPI_Aint lb = 0, extent = 0;
    int w = (int)(intptr_t)which;
    if (w <= P_UB)
        PYMPI_CHK(MPI_Type_get_extent(HANDLE(self), &lb, &extent));
    else
        PYMPI_CHK(MPI_Type_get_true_extent(HANDLE(self), &lb, &extent));
    switch (w) {
    case P_LB: case P_TRUE_LB: return PyLong_FromSsize_t(lb);
    case P_UB: case P_TRUE_UB: return PyLong_FromSsize_t(lb + extent);
    default: return PyLong_FromSsize_t(extent);
    }
fail:
    return NULL;
}

/* ---- constructors ----------------------------------------------------------------------- */

static PyObject *dtype_Create_contiguous(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *o_count;
    int count;
    static char *kwlist[] = {"count", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:Create_contiguous", kwlist, &o_count) ||
        int_of(o_count, "count", &count) < 0)
        return NULL;
    MPI_Datatype t = MPI_DATATYPE_NULL;
    PYMPI_CHK_NOGIL(MPI_Type_contiguous(count, HANDLE(self), &t));
    return new_type(t);
fail:
    return NULL;
}

/* Create_vector and Create_hvector: the stride is in items or in bytes. */
static PyObject *vector(PyObject *self, PyObject *args, PyObject *kwds, int bytes)
{
    PyObject *o[3];
    int count, blocklength;
    MPI_Aint stride;
    static char *kwlist[] = {"count", "blocklength", "stride", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, bytes ? "OOO:Create_hvector"
                                                       : "OOO:Create_vector",
                                     kwlist, &o[0], &o[1], &o[2]) ||
        int_of(o[0], "count", &count) < 0 || int_of(o[1], "blocklength", &blocklength) < 0)
        return NULL;
    MPI_Datatype t = MPI_DATATYPE_NULL;
    if (bytes) {
        if (aint_of(o[2], "stride", &stride) < 0)
            return NULL;
        PYMPI_CHK_NOGIL(MPI_Type_create_hvector(count, blocklength, stride, HANDLE(self), &t));
    } else {
        int istride;
        if (int_of(o[2], "stride", &istride) < 0)
            return NULL;
        PYMPI_CHK_NOGIL(MPI_Type_vector(count, blocklength, istride, HANDLE(self), &t));
    }
    return new_type(t);
fail:
    return NULL;
}

static PyObject *dtype_Create_vector(PyObject *self, PyObject *args, PyObject *kwds)
{
    return vector(self, args, kwds, 0);
}

static PyObject *dtype_Create_hvector(PyObject *self, PyObject *args, PyObject *kwds)
{
    return vector(self, args, kwds, 1);
}

/* Create_indexed and Create_hindexed: displacements in items or in bytes. */
static PyObject *indexed(PyObject *self, PyObject *args, PyObject *kwds, int bytes)
{
    PyObject *o_bl, *o_disp, *r = NULL;
    static char *kwlist[] = {"blocklengths", "displacements", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, bytes ? "OO:Create_hindexed"
                                                       : "OO:Create_indexed",
                                     kwlist, &o_bl, &o_disp))
        return NULL;
    Py_ssize_t n = -1;
    int *bl = NULL, *idisp = NULL;
    MPI_Aint *adisp = NULL;
    MPI_Datatype t = MPI_DATATYPE_NULL;
    if (int_array(o_bl, "blocklengths", &n, &bl) < 0)
        return NULL;
    if (bytes) {
        if (aint_array(o_disp, "displacements", n, &adisp) < 0)
            goto fail;
        PYMPI_CHK_NOGIL(MPI_Type_create_hindexed((int)n, bl, adisp, HANDLE(self), &t));
    } else {
        if (int_array(o_disp, "displacements", &n, &idisp) < 0)
            goto fail;
        PYMPI_CHK_NOGIL(MPI_Type_indexed((int)n, bl, idisp, HANDLE(self), &t));
    }
    r = new_type(t);
fail:
    PyMem_Free(bl);
    PyMem_Free(idisp);
    PyMem_Free(adisp);
    return r;
}

static PyObject *dtype_Create_indexed(PyObject *self, PyObject *args, PyObject *kwds)
{
    return indexed(self, args, kwds, 0);
}

static PyObject *dtype_Create_hindexed(PyObject *self, PyObject *args, PyObject *kwds)
{
    return indexed(self, args, kwds, 1);
}

static PyObject *indexed_block(PyObject *self, PyObject *args, PyObject *kwds, int bytes)
{
    PyObject *o_bl, *o_disp, *r = NULL;
    int bl;
    static char *kwlist[] = {"blocklength", "displacements", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, bytes ? "OO:Create_hindexed_block"
                                                       : "OO:Create_indexed_block",
                                     kwlist, &o_bl, &o_disp) ||
        int_of(o_bl, "blocklength", &bl) < 0)
        return NULL;
    Py_ssize_t n = -1;
    int *idisp = NULL;
    MPI_Aint *adisp = NULL;
    MPI_Datatype t = MPI_DATATYPE_NULL;
    if (bytes) {
        PyObject *seq = seq_of(o_disp, "displacements", -1);
        if (seq == NULL)
            return NULL;
        n = PySequence_Fast_GET_SIZE(seq);
        Py_DECREF(seq);
        if (n > INT_MAX) {
            PyErr_SetString(PyExc_OverflowError, "displacements: too many items");
            return NULL;
        }
        if (aint_array(o_disp, "displacements", n, &adisp) < 0)
            return NULL;
        PYMPI_CHK_NOGIL(MPI_Type_create_hindexed_block((int)n, bl, adisp, HANDLE(self), &t));
    } else {
        if (int_array(o_disp, "displacements", &n, &idisp) < 0)
            return NULL;
        PYMPI_CHK_NOGIL(MPI_Type_create_indexed_block((int)n, bl, idisp, HANDLE(self), &t));
    }
    r = new_type(t);
fail:
    PyMem_Free(idisp);
    PyMem_Free(adisp);
    return r;
}

static PyObject *dtype_Create_indexed_block(PyObject *self, PyObject *args, PyObject *kwds)
{
    return indexed_block(self, args, kwds, 0);
}

static PyObject *dtype_Create_hindexed_block(PyObject *self, PyObject *args, PyObject *kwds)
{
    return indexed_block(self, args, kwds, 1);
}

static PyObject *dtype_Create_struct(PyObject *cls, PyObject *args, PyObject *kwds)
{
    PyObject *o_bl, *o_disp, *o_types, *seq = NULL, *r = NULL;
    static char *kwlist[] = {"blocklengths", "displacements", "datatypes", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOO:Create_struct", kwlist, &o_bl, &o_disp,
                                     &o_types))
        return NULL;
    Py_ssize_t n = -1;
    int *bl = NULL;
    MPI_Aint *disp = NULL;
    MPI_Datatype *types = NULL, t = MPI_DATATYPE_NULL;
    if (int_array(o_bl, "blocklengths", &n, &bl) < 0 ||
        aint_array(o_disp, "displacements", n, &disp) < 0 ||
        (seq = seq_of(o_types, "datatypes", n)) == NULL)
        goto fail;
    types = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof *types);
    if (types == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyObject_TypeCheck(item, &PyMPIDatatype_Type)) {
            PyErr_Format(PyExc_TypeError, "datatypes[%zd]: expected an MPI.Datatype, got %.100s",
                         i, Py_TYPE(item)->tp_name);
            goto fail;
        }
        types[i] = HANDLE(item);
    }
    PYMPI_CHK_NOGIL(MPI_Type_create_struct((int)n, bl, disp, types, &t));
    r = new_type(t);
fail:
    Py_XDECREF(seq);
    PyMem_Free(bl);
    PyMem_Free(disp);
    PyMem_Free(types);
    return r;
}

static PyObject *dtype_Create_subarray(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *o_sizes, *o_sub, *o_starts, *o_order = NULL, *r = NULL;
    static char *kwlist[] = {"sizes", "subsizes", "starts", "order", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOO|O:Create_subarray", kwlist, &o_sizes,
                                     &o_sub, &o_starts, &o_order))
        return NULL;
    int order;
    if (pympi_int_arg(o_order, MPI_ORDER_C, "order", &order) < 0)
        return NULL;
    Py_ssize_t n = -1;
    int *sizes = NULL, *sub = NULL, *starts = NULL;
    MPI_Datatype t = MPI_DATATYPE_NULL;
    if (int_array(o_sizes, "sizes", &n, &sizes) < 0 ||
        int_array(o_sub, "subsizes", &n, &sub) < 0 ||
        int_array(o_starts, "starts", &n, &starts) < 0)
        goto fail;
    PYMPI_CHK_NOGIL(MPI_Type_create_subarray((int)n, sizes, sub, starts, order, HANDLE(self),
                                             &t));
    r = new_type(t);
fail:
    PyMem_Free(sizes);
    PyMem_Free(sub);
    PyMem_Free(starts);
    return r;
}

static PyObject *dtype_Create_darray(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *o_size, *o_rank, *o_gs, *o_dist, *o_dargs, *o_ps, *o_order = NULL, *r = NULL;
    static char *kwlist[] = {"size", "rank", "gsizes", "distribs", "dargs", "psizes", "order",
                             NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOOO|O:Create_darray", kwlist, &o_size,
                                     &o_rank, &o_gs, &o_dist, &o_dargs, &o_ps, &o_order))
        return NULL;
    int size, rank, order;
    if (int_of(o_size, "size", &size) < 0 || int_of(o_rank, "rank", &rank) < 0 ||
        pympi_int_arg(o_order, MPI_ORDER_C, "order", &order) < 0)
        return NULL;
    Py_ssize_t n = -1;
    int *gs = NULL, *dist = NULL, *dargs = NULL, *ps = NULL;
    MPI_Datatype t = MPI_DATATYPE_NULL;
    if (int_array(o_gs, "gsizes", &n, &gs) < 0 || int_array(o_dist, "distribs", &n, &dist) < 0 ||
        int_array(o_dargs, "dargs", &n, &dargs) < 0 || int_array(o_ps, "psizes", &n, &ps) < 0)
        goto fail;
    PYMPI_CHK_NOGIL(MPI_Type_create_darray(size, rank, (int)n, gs, dist, dargs, ps, order,
                                           HANDLE(self), &t));
    r = new_type(t);
fail:
    PyMem_Free(gs);
    PyMem_Free(dist);
    PyMem_Free(dargs);
    PyMem_Free(ps);
    return r;
}

static PyObject *dtype_Create_resized(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *o_lb, *o_extent;
    MPI_Aint lb, extent;
    static char *kwlist[] = {"lb", "extent", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO:Create_resized", kwlist, &o_lb,
                                     &o_extent) ||
        aint_of(o_lb, "lb", &lb) < 0 || aint_of(o_extent, "extent", &extent) < 0)
        return NULL;
    MPI_Datatype t = MPI_DATATYPE_NULL;
    PYMPI_CHK_NOGIL(MPI_Type_create_resized(HANDLE(self), lb, extent, &t));
    return new_type(t);
fail:
    return NULL;
}

/* Create_f90_integer(r), Create_f90_real(p, r), Create_f90_complex(p, r): predefined
 * types, like the named ones (the user may not free them). */
static PyObject *dtype_Create_f90_integer(PyObject *cls, PyObject *args, PyObject *kwds)
{
    int r;
    static char *kwlist[] = {"r", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "i:Create_f90_integer", kwlist, &r))
        return NULL;
    MPI_Datatype t = MPI_DATATYPE_NULL;
    PYMPI_CHK_NOGIL(MPI_Type_create_f90_integer(r, &t));
    return pympi_datatype_new(t, 0);
fail:
    return NULL;
}

static PyObject *f90_pr(PyObject *args, PyObject *kwds, int complex)
{
    int p, r;
    static char *kwlist[] = {"p", "r", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, complex ? "ii:Create_f90_complex"
                                                         : "ii:Create_f90_real",
                                     kwlist, &p, &r))
        return NULL;
    MPI_Datatype t = MPI_DATATYPE_NULL;
    if (complex)
        PYMPI_CHK_NOGIL(MPI_Type_create_f90_complex(p, r, &t));
    else
        PYMPI_CHK_NOGIL(MPI_Type_create_f90_real(p, r, &t));
    return pympi_datatype_new(t, 0);
fail:
    return NULL;
}

static PyObject *dtype_Create_f90_real(PyObject *cls, PyObject *args, PyObject *kwds)
{
    return f90_pr(args, kwds, 0);
}

static PyObject *dtype_Create_f90_complex(PyObject *cls, PyObject *args, PyObject *kwds)
{
    return f90_pr(args, kwds, 1);
}

static PyObject *dtype_Match_size(PyObject *cls, PyObject *args, PyObject *kwds)
{
    int typeclass, size;
    static char *kwlist[] = {"typeclass", "size", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "ii:Match_size", kwlist, &typeclass, &size))
        return NULL;
    MPI_Datatype t = MPI_DATATYPE_NULL;
    PYMPI_CHK(MPI_Type_match_size(typeclass, size, &t));
    return pympi_datatype_new(t, 0);
fail:
    return NULL;
}

static PyObject *dtype_Commit(PyObject *self, PyObject *unused)
{
    PYMPI_CHK_NOGIL(MPI_Type_commit(&HANDLE(self)));
    return Py_NewRef(self);
fail:
    return NULL;
}

/* Free and Dup run the attributes' delete and copy callbacks (attr.c), which take the
 * GIL back themselves. */
static PyObject *dtype_Free(PyObject *self, PyObject *unused)
{
    MPI_Datatype t = HANDLE(self);
    PYMPI_CHK_NOGIL(MPI_Type_free(&t));
    HANDLE(self) = t;
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *dtype_Dup(PyObject *self, PyObject *unused)
{
    MPI_Datatype t = MPI_DATATYPE_NULL;
    PYMPI_CHK_NOGIL(MPI_Type_dup(HANDLE(self), &t));
    return new_type(t);
fail:
    return NULL;
}

/* ---- decoding --------------------------------------------------------------------------- */

static int envelope(MPI_Datatype type, int *ni, int *na, int *nd, int *combiner)
{
    int ierr = MPI_Type_get_envelope(type, ni, na, nd, combiner);
    return ierr == MPI_SUCCESS ? 0 : pympi_raise(ierr);
}

static PyObject *dtype_Get_envelope(PyObject *self, PyObject *unused)
{
    int ni, na, nd, combiner;
    if (envelope(HANDLE(self), &ni, &na, &nd, &combiner) < 0)
        return NULL;
    return Py_BuildValue("(iiii)", ni, na, nd, combiner);
}

static PyObject *dtype_get_combiner(PyObject *self, void *c)
{
    int ni, na, nd, combiner;
    if (envelope(HANDLE(self), &ni, &na, &nd, &combiner) < 0)
        return NULL;
    return PyLong_FromLong(combiner);
}

static PyObject *dtype_get_is_named(PyObject *self, void *c)
{
    int ni, na, nd, combiner;
    if (envelope(HANDLE(self), &ni, &na, &nd, &combiner) < 0)
        return NULL;
    return PyBool_FromLong(combiner == MPI_COMBINER_NAMED);
}

static PyObject *dtype_get_is_predefined(PyObject *self, void *c)
{
    int ni, na, nd, combiner;
    if (HANDLE(self) == MPI_DATATYPE_NULL)
        Py_RETURN_TRUE;
    if (envelope(HANDLE(self), &ni, &na, &nd, &combiner) < 0)
        return NULL;
    return PyBool_FromLong(combiner == MPI_COMBINER_NAMED ||
                           combiner == MPI_COMBINER_F90_INTEGER ||
                           combiner == MPI_COMBINER_F90_REAL ||
                           combiner == MPI_COMBINER_F90_COMPLEX);
}

/* The raw contents of a derived type; the datatypes become Datatype objects (new
 * references the caller owns, as MPI_Type_get_contents returns them). */
struct contents {
    int ni, na, nd, combiner;
    int *ints;
    MPI_Aint *aints;
    PyObject *types;            /* list of Datatype */
};

static void contents_free(struct contents *k)
{
    PyMem_Free(k->ints);
    PyMem_Free(k->aints);
    Py_XDECREF(k->types);
}

static int contents_get(MPI_Datatype type, struct contents *k)
{
    memset(k, 0, sizeof *k);
    if (envelope(type, &k->ni, &k->na, &k->nd, &k->combiner) < 0)
        return -1;
    MPI_Datatype *types = PyMem_Malloc((size_t)(k->nd > 0 ? k->nd : 1) * sizeof *types);
    k->ints = PyMem_Malloc((size_t)(k->ni > 0 ? k->ni : 1) * sizeof(int));
    k->aints = PyMem_Malloc((size_t)(k->na > 0 ? k->na : 1) * sizeof(MPI_Aint));
    if (types == NULL || k->ints == NULL || k->aints == NULL) {
        PyMem_Free(types);
        contents_free(k);
        PyErr_NoMemory();
        return -1;
    }
    int ierr;
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Type_get_contents(type, k->ni, k->na, k->nd, k->ints, k->aints, types);
    Py_END_ALLOW_THREADS
    if (ierr != MPI_SUCCESS) {
        PyMem_Free(types);
        contents_free(k);
        return pympi_raise(ierr);
    }
    k->types = PyList_New(k->nd);
    for (int i = 0; i < k->nd; i++) {
        PyObject *o = k->types ? new_type(types[i]) : NULL;
        if (o == NULL) {
            /* Give back the references the call took for the types not yet wrapped. */
            for (int j = i + (k->types ? 1 : 0); j < k->nd; j++)
                MPI_Type_free(&types[j]);
            Py_CLEAR(k->types);
            break;
        }
        PyList_SET_ITEM(k->types, i, o);
    }
    PyMem_Free(types);
    if (k->types == NULL) {
        contents_free(k);
        return -1;
    }
    return 0;
}

static PyObject *dtype_Get_contents(PyObject *self, PyObject *unused)
{
    struct contents k;
    if (contents_get(HANDLE(self), &k) < 0)
        return NULL;
    PyObject *r = Py_BuildValue("(NNO)", int_list(k.ints, k.ni), aint_list(k.aints, k.na),
                                k.types);
    contents_free(&k);
    return r;
}

/* decode(): (base, combiner name, parameters); a named type decodes to itself. */
static PyObject *dtype_decode(PyObject *self, PyObject *unused)
{
    int ni, na, nd, combiner;
    if (envelope(HANDLE(self), &ni, &na, &nd, &combiner) < 0)
        return NULL;
    if (combiner == MPI_COMBINER_NAMED)
        return Py_NewRef(self);
    struct contents k;
    if (contents_get(HANDLE(self), &k) < 0)
        return NULL;
    const int *i = k.ints;
    const MPI_Aint *a = k.aints;
    PyObject *base = k.nd > 0 ? PyList_GET_ITEM(k.types, 0) : NULL;
    const char *name = NULL;
    PyObject *params = NULL;
    int n = ni > 0 ? i[0] : 0;
    switch (combiner) {
    case MPI_COMBINER_DUP:
        name = "DUP";
        params = PyDict_New();
        break;
    case MPI_COMBINER_CONTIGUOUS:
        name = "CONTIGUOUS";
        params = Py_BuildValue("{s:i}", "count", i[0]);
        break;
    case MPI_COMBINER_VECTOR:
        name = "VECTOR";
        params = Py_BuildValue("{s:i,s:i,s:i}", "count", i[0], "blocklength", i[1], "stride",
                               i[2]);
        break;
    case MPI_COMBINER_HVECTOR:
        name = "HVECTOR";
        params = Py_BuildValue("{s:i,s:i,s:n}", "count", i[0], "blocklength", i[1], "stride",
                               (Py_ssize_t)a[0]);
        break;
    case MPI_COMBINER_INDEXED:
        name = "INDEXED";
        params = Py_BuildValue("{s:N,s:N}", "blocklengths", int_list(i + 1, n),
                               "displacements", int_list(i + 1 + n, n));
        break;
    case MPI_COMBINER_HINDEXED:
        name = "HINDEXED";
        params = Py_BuildValue("{s:N,s:N}", "blocklengths", int_list(i + 1, n),
                               "displacements", aint_list(a, n));
        break;
    case MPI_COMBINER_INDEXED_BLOCK:
        name = "INDEXED_BLOCK";
        params = Py_BuildValue("{s:i,s:N}", "blocklength", i[1], "displacements",
                               int_list(i + 2, n));
        break;
    case MPI_COMBINER_HINDEXED_BLOCK:
        name = "HINDEXED_BLOCK";
        params = Py_BuildValue("{s:i,s:N}", "blocklength", i[1], "displacements",
                               aint_list(a, n));
        break;
    case MPI_COMBINER_STRUCT:
        name = "STRUCT";
        base = NULL;
        params = Py_BuildValue("{s:N,s:N,s:O}", "blocklengths", int_list(i + 1, n),
                               "displacements", aint_list(a, n), "datatypes", k.types);
        break;
    case MPI_COMBINER_SUBARRAY:
        name = "SUBARRAY";
        params = Py_BuildValue("{s:N,s:N,s:N,s:i}", "sizes", int_list(i + 1, n), "subsizes",
                               int_list(i + 1 + n, n), "starts", int_list(i + 1 + 2 * n, n),
                               "order", i[1 + 3 * n]);
        break;
    case MPI_COMBINER_DARRAY:
        n = i[2];
        name = "DARRAY";
        params = Py_BuildValue("{s:i,s:i,s:N,s:N,s:N,s:N,s:i}", "size", i[0], "rank", i[1],
                               "gsizes", int_list(i + 3, n), "distribs", int_list(i + 3 + n, n),
                               "dargs", int_list(i + 3 + 2 * n, n), "psizes",
                               int_list(i + 3 + 3 * n, n), "order", i[3 + 4 * n]);
        break;
    case MPI_COMBINER_RESIZED:
        name = "RESIZED";
        params = Py_BuildValue("{s:n,s:n}", "lb", (Py_ssize_t)a[0], "extent", (Py_ssize_t)a[1]);
        break;
    case MPI_COMBINER_F90_INTEGER:
        name = "F90_INTEGER";
        params = Py_BuildValue("{s:i}", "r", i[0]);
        break;
    case MPI_COMBINER_F90_REAL:
    case MPI_COMBINER_F90_COMPLEX:
        name = combiner == MPI_COMBINER_F90_REAL ? "F90_REAL" : "F90_COMPLEX";
        params = Py_BuildValue("{s:i,s:i}", "p", i[0], "r", i[1]);
        break;
    case MPI_COMBINER_VALUE_INDEX:
        name = "VALUE_INDEX";
        base = NULL;
        params = Py_BuildValue("{s:O,s:O}", "value", PyList_GET_ITEM(k.types, 0), "index",
                               PyList_GET_ITEM(k.types, 1));
        break;
    default:
        PyErr_Format(PyExc_ValueError, "datatype: unknown combiner %d", combiner);
        break;
    }
    PyObject *r = NULL;
    if (params != NULL) {
        PyObject *null = NULL;
        if (base == NULL)
            base = null = pympi_datatype_new(MPI_DATATYPE_NULL, 0);
        if (base != NULL)
            r = Py_BuildValue("(OsN)", base, name, params);
        else
            Py_DECREF(params);
        Py_XDECREF(null);
    }
    contents_free(&k);
    return r;
}

/* ---- packing ---------------------------------------------------------------------------- */

/*
 * Pack/Unpack take plain buffers and as many items as the buffer holds: n items span
 * (n - 1) * extent + true_ub bytes, which is the bytes over the extent for simple types
 * and keeps a resized column type (extent one element) inside its matrix.
 */
static int items_in(MPI_Datatype type, Py_buffer *view, const char *name, MPI_Count *count)
{
    MPI_Aint lb = 0, extent = 0, tlb = 0, textent = 0;
    int ierr = MPI_Type_get_extent(type, &lb, &extent);
    if (ierr == MPI_SUCCESS)
        ierr = MPI_Type_get_true_extent(type, &tlb, &textent);
    if (ierr != MPI_SUCCESS)
        return pympi_raise(ierr);
    MPI_Aint tub = tlb + textent;
    if (view->len == 0 || view->len < tub) {
        *count = 0;
        return 0;
    }
    if (extent <= 0 || tlb < 0) {
        PyErr_Format(PyExc_ValueError, "%s: cannot count items of a datatype of extent %zd "
                     "and true lower bound %zd in a buffer", name, (Py_ssize_t)extent,
                     (Py_ssize_t)tlb);
        return -1;
    }
    *count = textent <= 0 ? view->len / extent : (view->len - tub) / extent + 1;
    return 0;
}

static int get_buffer(PyObject *o, Py_buffer *view, int writable, const char *name)
{
    if (PyObject_GetBuffer(o, view, writable ? PyBUF_WRITABLE : PyBUF_SIMPLE) == 0)
        return 0;
    if (PyErr_ExceptionMatches(PyExc_TypeError) && !PyObject_CheckBuffer(o)) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s: expected a buffer object, got %.100s", name,
                     Py_TYPE(o)->tp_name);
    }
    return -1;
}

static int count_arg(PyObject *o, const char *name, MPI_Count *out)
{
    if (!PyIndex_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s: expected an integer, got %.100s", name,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    long long v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

static PyObject *dtype_Pack(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *o_in, *o_out, *o_pos, *r = NULL;
    MPI_Comm comm;
    static char *kwlist[] = {"inbuf", "outbuf", "position", "comm", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOO&:Pack", kwlist, &o_in, &o_out, &o_pos,
                                     pympi_conv_comm, &comm))
        return NULL;
    MPI_Count pos, count;
    if (count_arg(o_pos, "position", &pos) < 0)
        return NULL;
    Py_buffer in, out;
    if (get_buffer(o_in, &in, 0, "inbuf") < 0)
        return NULL;
    if (get_buffer(o_out, &out, 1, "outbuf") < 0) {
        PyBuffer_Release(&in);
        return NULL;
    }
    if (items_in(HANDLE(self), &in, "inbuf", &count) < 0)
        goto fail;
    PYMPI_CHK_NOGIL(MPI_Pack_c(in.buf, count, HANDLE(self), out.buf, out.len, &pos, comm));
    r = PyLong_FromLongLong(pos);
fail:
    PyBuffer_Release(&in);
    PyBuffer_Release(&out);
    return r;
}

static PyObject *dtype_Unpack(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *o_in, *o_out, *o_pos, *r = NULL;
    MPI_Comm comm;
    static char *kwlist[] = {"inbuf", "position", "outbuf", "comm", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOO&:Unpack", kwlist, &o_in, &o_pos, &o_out,
                                     pympi_conv_comm, &comm))
        return NULL;
    MPI_Count pos, count;
    if (count_arg(o_pos, "position", &pos) < 0)
        return NULL;
    Py_buffer in, out;
    if (get_buffer(o_in, &in, 0, "inbuf") < 0)
        return NULL;
    if (get_buffer(o_out, &out, 1, "outbuf") < 0) {
        PyBuffer_Release(&in);
        return NULL;
    }
    if (items_in(HANDLE(self), &out, "outbuf", &count) < 0)
        goto fail;
    PYMPI_CHK_NOGIL(MPI_Unpack_c(in.buf, in.len, &pos, out.buf, count, HANDLE(self), comm));
    r = PyLong_FromLongLong(pos);
fail:
    PyBuffer_Release(&in);
    PyBuffer_Release(&out);
    return r;
}

static PyObject *dtype_Pack_size(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *o_count;
    MPI_Comm comm;
    MPI_Count count, size = 0;
    static char *kwlist[] = {"count", "comm", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO&:Pack_size", kwlist, &o_count,
                                     pympi_conv_comm, &comm) ||
        count_arg(o_count, "count", &count) < 0)
        return NULL;
    PYMPI_CHK(MPI_Pack_size_c(count, HANDLE(self), comm, &size));
    return PyLong_FromLongLong(size);
fail:
    return NULL;
}

static PyObject *dtype_Pack_external(PyObject *self, PyObject *args, PyObject *kwds)
{
    const char *datarep;
    PyObject *o_in, *o_out, *o_pos, *r = NULL;
    static char *kwlist[] = {"datarep", "inbuf", "outbuf", "position", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "sOOO:Pack_external", kwlist, &datarep, &o_in,
                                     &o_out, &o_pos))
        return NULL;
    MPI_Count pos, count;
    if (count_arg(o_pos, "position", &pos) < 0)
        return NULL;
    Py_buffer in, out;
    if (get_buffer(o_in, &in, 0, "inbuf") < 0)
        return NULL;
    if (get_buffer(o_out, &out, 1, "outbuf") < 0) {
        PyBuffer_Release(&in);
        return NULL;
    }
    if (items_in(HANDLE(self), &in, "inbuf", &count) < 0)
        goto fail;
    PYMPI_CHK_NOGIL(MPI_Pack_external_c(datarep, in.buf, count, HANDLE(self), out.buf, out.len,
                                        &pos));
    r = PyLong_FromLongLong(pos);
fail:
    PyBuffer_Release(&in);
    PyBuffer_Release(&out);
    return r;
}

static PyObject *dtype_Unpack_external(PyObject *self, PyObject *args, PyObject *kwds)
{
    const char *datarep;
    PyObject *o_in, *o_out, *o_pos, *r = NULL;
    static char *kwlist[] = {"datarep", "inbuf", "position", "outbuf", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "sOOO:Unpack_external", kwlist, &datarep,
                                     &o_in, &o_pos, &o_out))
        return NULL;
    MPI_Count pos, count;
    if (count_arg(o_pos, "position", &pos) < 0)
        return NULL;
    Py_buffer in, out;
    if (get_buffer(o_in, &in, 0, "inbuf") < 0)
        return NULL;
    if (get_buffer(o_out, &out, 1, "outbuf") < 0) {
        PyBuffer_Release(&in);
        return NULL;
    }
    if (items_in(HANDLE(self), &out, "outbuf", &count) < 0)
        goto fail;
    PYMPI_CHK_NOGIL(MPI_Unpack_external_c(datarep, in.buf, in.len, &pos, out.buf, count,
                                          HANDLE(self)));
    r = PyLong_FromLongLong(pos);
fail:
    PyBuffer_Release(&in);
    PyBuffer_Release(&out);
    return r;
}

static PyObject *dtype_Pack_external_size(PyObject *self, PyObject *args, PyObject *kwds)
{
    const char *datarep;
    PyObject *o_count;
    MPI_Count count, size = 0;
    static char *kwlist[] = {"datarep", "count", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "sO:Pack_external_size", kwlist, &datarep,
                                     &o_count) ||
        count_arg(o_count, "count", &count) < 0)
        return NULL;
    PYMPI_CHK(MPI_Pack_external_size_c(datarep, count, HANDLE(self), &size));
    return PyLong_FromLongLong(size);
fail:
    return NULL;
}

/* ---- attributes (attr.c keeps the Python keyvals, shared with Comm) ------------------ */

static PyObject *dtype_Create_keyval(PyObject *cls, PyObject *args, PyObject *kwds)
{
    PyObject *copy_fn = Py_None, *delete_fn = Py_None;
    int nopython = 0;
    static char *kwlist[] = {"copy_fn", "delete_fn", "nopython", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|OOp:Create_keyval", kwlist, &copy_fn,
                                     &delete_fn, &nopython))
        return NULL;
    return pympi_keyval_create(PYMPI_ATTR_TYPE, copy_fn, delete_fn, nopython);
}

static PyObject *dtype_Free_keyval(PyObject *cls, PyObject *args, PyObject *kwds)
{
    int keyval;
    static char *kwlist[] = {"keyval", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "i:Free_keyval", kwlist, &keyval))
        return NULL;
    return pympi_keyval_free(PYMPI_ATTR_TYPE, keyval);
}

static PyObject *dtype_Set_attr(PyObject *self, PyObject *args, PyObject *kwds)
{
    int keyval;
    PyObject *value;
    static char *kwlist[] = {"keyval", "attrval", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "iO:Set_attr", kwlist, &keyval, &value))
        return NULL;
    return pympi_attr_set(PYMPI_ATTR_TYPE, (void *)HANDLE(self), keyval, value);
}

static PyObject *dtype_Get_attr(PyObject *self, PyObject *args, PyObject *kwds)
{
    int keyval;
    static char *kwlist[] = {"keyval", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "i:Get_attr", kwlist, &keyval))
        return NULL;
    return pympi_attr_get(PYMPI_ATTR_TYPE, (void *)HANDLE(self), keyval);
}

static PyObject *dtype_Delete_attr(PyObject *self, PyObject *args, PyObject *kwds)
{
    int keyval;
    static char *kwlist[] = {"keyval", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "i:Delete_attr", kwlist, &keyval))
        return NULL;
    return pympi_attr_delete(PYMPI_ATTR_TYPE, (void *)HANDLE(self), keyval);
}

/* ---- names and integer handles --------------------------------------------------------- */

static PyObject *dtype_Get_name(PyObject *self, PyObject *unused)
{
    char name[MPI_MAX_OBJECT_NAME + 1];
    int len = 0;
    PYMPI_CHK_NOGIL(MPI_Type_get_name(HANDLE(self), name, &len));
    return PyUnicode_FromStringAndSize(name, len);
fail:
    return NULL;
}

static int set_name(PyObject *self, PyObject *name)
{
    if (name == NULL || !PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError, "name: expected a str, got %.100s",
                     name ? Py_TYPE(name)->tp_name : "nothing");
        return -1;
    }
    const char *s = PyUnicode_AsUTF8(name);
    if (s == NULL)
        return -1;
    PYMPI_CHK_NOGIL(MPI_Type_set_name(HANDLE(self), s));
    return 0;
fail:
    return -1;
}

static PyObject *dtype_Set_name(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *name;
    static char *kwlist[] = {"name", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:Set_name", kwlist, &name) ||
        set_name(self, name) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *dtype_get_name(PyObject *self, void *c)
{
    return dtype_Get_name(self, NULL);
}

static int dtype_set_name(PyObject *self, PyObject *v, void *c)
{
    return set_name(self, v);
}

static PyObject *dtype_py2f(PyObject *self, PyObject *unused)
{
    int v;
    Py_BEGIN_ALLOW_THREADS
    v = MPI_Type_toint(HANDLE(self));
    Py_END_ALLOW_THREADS
    return PyLong_FromLong(v);
}

static PyObject *dtype_f2py(PyObject *cls, PyObject *args, PyObject *kwds)
{
    int v;
    static char *kwlist[] = {"arg", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "i:f2py", kwlist, &v))
        return NULL;
    MPI_Datatype t;
    Py_BEGIN_ALLOW_THREADS
    t = MPI_Type_fromint(v);
    Py_END_ALLOW_THREADS
    PyObject *o = ((PyTypeObject *)cls)->tp_alloc((PyTypeObject *)cls, 0);
    if (o != NULL)
        HANDLE(o) = t;
    return o;
}

/* ---- the class -------------------------------------------------------------------------- */

#define KW(fn) (PyCFunction)(void (*)(void))(fn), METH_VARARGS | METH_KEYWORDS
#define KWCLASS(fn) (PyCFunction)(void (*)(void))(fn), METH_VARARGS | METH_KEYWORDS | METH_CLASS

static PyMethodDef dtype_methods[] = {
    {"__reduce__", pympi_reduce_handle, METH_NOARGS, "Pickle by name."},
    {"Get_size", dtype_Get_size, METH_NOARGS,
     "Get_size($self, /)\n--\n\n" "Size in bytes of the data."},
    {"Get_extent", dtype_Get_extent, METH_NOARGS,
     "Get_extent($self, /)\n--\n\n" "Lower bound and extent."},
    {"Get_true_extent", dtype_Get_true_extent, METH_NOARGS,
     "Get_true_extent($self, /)\n--\n\n" "True lower bound and extent."},
    {"Dup", dtype_Dup, METH_NOARGS, "Dup($self, /)\n--\n\nDuplicate the datatype."},
    {"Create_dup", dtype_Dup, METH_NOARGS,
     "Create_dup($self, /)\n--\n\n" "Duplicate the datatype."},
    {"Create_contiguous", KW(dtype_Create_contiguous),
     "Create_contiguous($self, /, count)\n--\n\n" "Contiguous copies."},
    {"Create_vector", KW(dtype_Create_vector),
     "Create_vector($self, /, count, blocklength, stride)\n--\n\n"
     "Strided blocks (stride in items)."},
    {"Create_hvector", KW(dtype_Create_hvector),
     "Create_hvector($self, /, count, blocklength, stride)\n--\n\n"
     "Strided blocks (stride in bytes)."},
    {"Create_indexed", KW(dtype_Create_indexed),
     "Create_indexed($self, /, blocklengths, displacements)\n--\n\n"
     "Blocks at item displacements."},
    {"Create_hindexed", KW(dtype_Create_hindexed),
     "Create_hindexed($self, /, blocklengths, displacements)\n--\n\n"
     "Blocks at byte displacements."},
    {"Create_indexed_block", KW(dtype_Create_indexed_block),
     "Create_indexed_block($self, /, blocklength, displacements)\n--\n\n"
     "Equal blocks at item displacements."},
    {"Create_hindexed_block", KW(dtype_Create_hindexed_block),
     "Create_hindexed_block($self, /, blocklength, displacements)\n--\n\n"
     "Equal blocks at byte displacements."},
    {"Create_struct", KWCLASS(dtype_Create_struct),
     "Create_struct($type, /, blocklengths, displacements, datatypes)\n--\n\n"
     "General structure of datatypes."},
    {"Create_subarray", KW(dtype_Create_subarray),
     "Create_subarray(self, sizes, subsizes, starts, order=ORDER_C)\n\n"
     "Subarray of a multidimensional array."},
    {"Create_darray", KW(dtype_Create_darray),
     "Create_darray(self, size, rank, gsizes, distribs, dargs, psizes, order=ORDER_C)\n\n"
     "Distributed array block of a process."},
    {"Create_f90_integer", KWCLASS(dtype_Create_f90_integer),
     "Create_f90_integer($type, /, r)\n--\n\n" "Fortran 90 integer kind."},
    {"Create_f90_real", KWCLASS(dtype_Create_f90_real),
     "Create_f90_real($type, /, p, r)\n--\n\n" "Fortran 90 real kind."},
    {"Create_f90_complex", KWCLASS(dtype_Create_f90_complex),
     "Create_f90_complex($type, /, p, r)\n--\n\n" "Fortran 90 complex kind."},
    {"Match_size", KWCLASS(dtype_Match_size),
     "Match_size($type, /, typeclass, size)\n--\n\n" "Predefined type of a class and size."},
    {"Commit", dtype_Commit, METH_NOARGS,
     "Commit($self, /)\n--\n\n" "Commit the datatype for communication."},
    {"Free", dtype_Free, METH_NOARGS, "Free($self, /)\n--\n\nFree the datatype."},
    {"Create_resized", KW(dtype_Create_resized),
     "Create_resized($self, /, lb, extent)\n--\n\n" "Same type with a new lb and extent."},
    {"Resized", KW(dtype_Create_resized),
     "Resized($self, /, lb, extent)\n--\n\n" "Same type with a new lb and extent."},
    {"Get_envelope", dtype_Get_envelope, METH_NOARGS,
     "Get_envelope($self, /)\n--\n\n"
     "Numbers of integers, addresses, datatypes, and the combiner."},
    {"Get_contents", dtype_Get_contents, METH_NOARGS,
     "Get_contents($self, /)\n--\n\n" "Constructor arguments."},
    {"decode", dtype_decode, METH_NOARGS,
     "decode($self, /)\n--\n\n" "(base, combiner name, parameters)."},
    {"Pack", KW(dtype_Pack),
     "Pack($self, /, inbuf, outbuf, position, comm)\n--\n\n" "Pack into a buffer."},
    {"Unpack", KW(dtype_Unpack),
     "Unpack($self, /, inbuf, position, outbuf, comm)\n--\n\n" "Unpack from a buffer."},
    {"Pack_size", KW(dtype_Pack_size),
     "Pack_size($self, /, count, comm)\n--\n\n" "Upper bound of packed bytes."},
    {"Pack_external", KW(dtype_Pack_external),
     "Pack_external($self, /, datarep, inbuf, outbuf, position)\n--\n\n"
     "Pack in a portable representation."},
    {"Unpack_external", KW(dtype_Unpack_external),
     "Unpack_external($self, /, datarep, inbuf, position, outbuf)\n--\n\n"
     "Unpack a portable representation."},
    {"Pack_external_size", KW(dtype_Pack_external_size),
     "Pack_external_size($self, /, datarep, count)\n--\n\n" "Bytes of the portable form."},
    {"Get_attr", KW(dtype_Get_attr),
     "Get_attr($self, /, keyval)\n--\n\n" "Attribute value of a keyval."},
    {"Set_attr", KW(dtype_Set_attr),
     "Set_attr($self, /, keyval, attrval)\n--\n\n" "Cache an attribute value."},
    {"Delete_attr", KW(dtype_Delete_attr),
     "Delete_attr($self, /, keyval)\n--\n\n" "Delete a cached attribute."},
    {"Create_keyval", KWCLASS(dtype_Create_keyval),
     "Create_keyval($type, /, copy_fn=None, delete_fn=None, nopython=False)\n--\n\n"
     "New attribute key."},
    {"Free_keyval", KWCLASS(dtype_Free_keyval),
     "Free_keyval($type, /, keyval)\n--\n\n" "Free an attribute key."},
    {"Get_name", dtype_Get_name, METH_NOARGS, "Get_name($self, /)\n--\n\nThe datatype's name."},
    {"Set_name", KW(dtype_Set_name), "Set_name($self, /, name)\n--\n\nName the datatype."},
    {"py2f", dtype_py2f, METH_NOARGS, "py2f($self, /)\n--\n\nInteger handle."},
    {"f2py", KWCLASS(dtype_f2py),
     "f2py($type, /, arg)\n--\n\n" "Datatype from an integer handle."},
    {NULL},
};

static PyObject *dtype_get_size(PyObject *self, void *c) { return dtype_Get_size(self, NULL); }
static PyObject *dtype_get_envelope(PyObject *self, void *c)
{
    return dtype_Get_envelope(self, NULL);
}
static PyObject *dtype_get_contents(PyObject *self, void *c)
{
    return dtype_Get_contents(self, NULL);
}

static PyGetSetDef dtype_getset[] = {
    {"size", dtype_get_size, NULL, "Size in bytes.", NULL},
    {"extent", dtype_get_bound, NULL, "Extent.", (void *)P_EXTENT},
    {"lb", dtype_get_bound, NULL, "Lower bound.", (void *)P_LB},
    {"ub", dtype_get_bound, NULL, "Upper bound.", (void *)P_UB},
    {"true_extent", dtype_get_bound, NULL, "True extent.", (void *)P_TRUE_EXTENT},
    {"true_lb", dtype_get_bound, NULL, "True lower bound.", (void *)P_TRUE_LB},
    {"true_ub", dtype_get_bound, NULL, "True upper bound.", (void *)P_TRUE_UB},
    {"envelope", dtype_get_envelope, NULL, "Envelope.", NULL},
    {"contents", dtype_get_contents, NULL, "Contents.", NULL},
    {"combiner", dtype_get_combiner, NULL, "Combiner.", NULL},
    {"is_named", dtype_get_is_named, NULL, "Whether the datatype is named.", NULL},
    {"is_predefined", dtype_get_is_predefined, NULL, "Whether the datatype is predefined.",
     NULL},
    {"name", dtype_get_name, dtype_set_name, "Name.", NULL},
    {NULL},
};

static PyNumberMethods dtype_as_number = {.nb_bool = dtype_bool};

PyTypeObject PyMPIDatatype_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Datatype",
    .tp_basicsize = sizeof(PyMPIDatatypeObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Datatype object.",
    .tp_new = dtype_tp_new,
    .tp_richcompare = dtype_richcompare,
    .tp_methods = dtype_methods,
    .tp_getset = dtype_getset,
    .tp_as_number = &dtype_as_number,
};

/* ---- module functions ------------------------------------------------------------------- */

static PyObject *mpi_Get_address(PyObject *unused, PyObject *args, PyObject *kwds)
{
    PyObject *location;
    static char *kwlist[] = {"location", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:Get_address", kwlist, &location))
        return NULL;
    MPI_Aint addr = 0;
    if (location == pympi_BOTTOM) {
        PYMPI_CHK(MPI_Get_address(MPI_BOTTOM, &addr));
    } else {
        Py_buffer view;
        if (get_buffer(location, &view, 0, "location") < 0)
            return NULL;
        int ierr = MPI_Get_address(view.buf, &addr);
        PyBuffer_Release(&view);
        PYMPI_CHK(ierr);
    }
    return PyLong_FromSsize_t((Py_ssize_t)addr);
fail:
    return NULL;
}

static int aint_pair(PyObject *args, PyObject *kwds, const char *fmt, char **kwlist,
                     MPI_Aint *a, MPI_Aint *b)
{
    PyObject *oa, *ob;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, fmt, kwlist, &oa, &ob) ||
        aint_of(oa, kwlist[0], a) < 0 || aint_of(ob, kwlist[1], b) < 0)
        return -1;
    return 0;
}

static PyObject *mpi_Aint_add(PyObject *unused, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"base", "disp", NULL};
    MPI_Aint a, b;
    if (aint_pair(args, kwds, "OO:Aint_add", kwlist, &a, &b) < 0)
        return NULL;
    return PyLong_FromSsize_t((Py_ssize_t)MPI_Aint_add(a, b));
}

static PyObject *mpi_Aint_diff(PyObject *unused, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"addr1", "addr2", NULL};
    MPI_Aint a, b;
    if (aint_pair(args, kwds, "OO:Aint_diff", kwlist, &a, &b) < 0)
        return NULL;
    return PyLong_FromSsize_t((Py_ssize_t)MPI_Aint_diff(a, b));
}

static PyObject *mpi_typecode(PyObject *unused, PyObject *args, PyObject *kwds)
{
    MPI_Datatype t;
    static char *kwlist[] = {"datatype", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O&:_typecode", kwlist, pympi_conv_datatype,
                                     &t))
        return NULL;
    const char *code = type_to_typecode(t);
    if (code == NULL)
        Py_RETURN_NONE;
    return PyUnicode_FromString(code);
}

PyMethodDef pympi_module_dtype_methods[] = {
    {"Get_address", KW(mpi_Get_address),
     "Get_address($module, /, location)\n--\n\n" "Address of a location in memory."},
    {"Aint_add", KW(mpi_Aint_add),
     "Aint_add($module, /, base, disp)\n--\n\n" "Sum of a base address and a displacement."},
    {"Aint_diff", KW(mpi_Aint_diff),
     "Aint_diff($module, /, addr1, addr2)\n--\n\n" "Difference of two addresses."},
    {"_typecode", KW(mpi_typecode),
     "_typecode($module, /, datatype)\n--\n\n" "Typecode of a predefined datatype, or None."},
    {NULL},
};

/* ---- predefined datatypes and constants ------------------------------------------------- */

static const struct {
    const char *name;
    MPI_Datatype type;
} predefined[] = {
    {"DATATYPE_NULL", MPI_DATATYPE_NULL},
    {"PACKED", MPI_PACKED},
    {"BYTE", MPI_BYTE},
    {"AINT", MPI_AINT},
    {"OFFSET", MPI_OFFSET},
    {"COUNT", MPI_COUNT},
    {"CHAR", MPI_CHAR},
    {"WCHAR", MPI_WCHAR},
    {"SIGNED_CHAR", MPI_SIGNED_CHAR},
    {"SHORT", MPI_SHORT},
    {"INT", MPI_INT},
    {"LONG", MPI_LONG},
    {"LONG_LONG", MPI_LONG_LONG},
    {"UNSIGNED_CHAR", MPI_UNSIGNED_CHAR},
    {"UNSIGNED_SHORT", MPI_UNSIGNED_SHORT},
    {"UNSIGNED", MPI_UNSIGNED},
    {"UNSIGNED_LONG", MPI_UNSIGNED_LONG},
    {"UNSIGNED_LONG_LONG", MPI_UNSIGNED_LONG_LONG},
    {"FLOAT", MPI_FLOAT},
    {"DOUBLE", MPI_DOUBLE},
    {"LONG_DOUBLE", MPI_LONG_DOUBLE},
    {"C_BOOL", MPI_C_BOOL},
    {"INT8_T", MPI_INT8_T},
    {"INT16_T", MPI_INT16_T},
    {"INT32_T", MPI_INT32_T},
    {"INT64_T", MPI_INT64_T},
    {"UINT8_T", MPI_UINT8_T},
    {"UINT16_T", MPI_UINT16_T},
    {"UINT32_T", MPI_UINT32_T},
    {"UINT64_T", MPI_UINT64_T},
    {"C_FLOAT_COMPLEX", MPI_C_FLOAT_COMPLEX},
    {"C_DOUBLE_COMPLEX", MPI_C_DOUBLE_COMPLEX},
    {"C_LONG_DOUBLE_COMPLEX", MPI_C_LONG_DOUBLE_COMPLEX},
    {"CXX_BOOL", MPI_CXX_BOOL},
    {"CXX_FLOAT_COMPLEX", MPI_CXX_FLOAT_COMPLEX},
    {"CXX_DOUBLE_COMPLEX", MPI_CXX_DOUBLE_COMPLEX},
    {"CXX_LONG_DOUBLE_COMPLEX", MPI_CXX_LONG_DOUBLE_COMPLEX},
    {"SHORT_INT", MPI_SHORT_INT},
    {"INT_INT", MPI_2INT},
    {"LONG_INT", MPI_LONG_INT},
    {"FLOAT_INT", MPI_FLOAT_INT},
    {"DOUBLE_INT", MPI_DOUBLE_INT},
    {"LONG_DOUBLE_INT", MPI_LONG_DOUBLE_INT},
    {"CHARACTER", MPI_CHARACTER},
    {"LOGICAL", MPI_LOGICAL},
    {"INTEGER", MPI_INTEGER},
    {"REAL", MPI_REAL},
    {"DOUBLE_PRECISION", MPI_DOUBLE_PRECISION},
    {"COMPLEX", MPI_COMPLEX},
    {"DOUBLE_COMPLEX", MPI_DOUBLE_COMPLEX},
    {"LOGICAL1", MPI_LOGICAL1},
    {"LOGICAL2", MPI_LOGICAL2},
    {"LOGICAL4", MPI_LOGICAL4},
    {"LOGICAL8", MPI_LOGICAL8},
    {"INTEGER1", MPI_INTEGER1},
    {"INTEGER2", MPI_INTEGER2},
    {"INTEGER4", MPI_INTEGER4},
    {"INTEGER8", MPI_INTEGER8},
    {"INTEGER16", MPI_INTEGER16},
    {"REAL2", MPI_REAL2},
    {"REAL4", MPI_REAL4},
    {"REAL8", MPI_REAL8},
    {"REAL16", MPI_REAL16},
    {"COMPLEX4", MPI_COMPLEX4},
    {"COMPLEX8", MPI_COMPLEX8},
    {"COMPLEX16", MPI_COMPLEX16},
    {"COMPLEX32", MPI_COMPLEX32},
};

/* mpi4py's second names for the same objects (MPI.SIGNED_INT is MPI.INT). */
static const struct {
    const char *alias, *name;
} aliases[] = {
    {"SIGNED_SHORT", "SHORT"},      {"SIGNED_INT", "INT"},
    {"SIGNED_LONG", "LONG"},        {"SIGNED_LONG_LONG", "LONG_LONG"},
    {"BOOL", "C_BOOL"},             {"C_COMPLEX", "C_FLOAT_COMPLEX"},
    {"SINT8_T", "INT8_T"},
    {"SINT16_T", "INT16_T"},        {"SINT32_T", "INT32_T"},
    {"SINT64_T", "INT64_T"},        {"UNSIGNED_INT", "UNSIGNED"},
    {"TWOINT", "INT_INT"},          {"F_BOOL", "LOGICAL"},
    {"F_INT", "INTEGER"},           {"F_FLOAT", "REAL"},
    {"F_DOUBLE", "DOUBLE_PRECISION"}, {"F_COMPLEX", "COMPLEX"},
    {"F_FLOAT_COMPLEX", "COMPLEX"}, {"F_DOUBLE_COMPLEX", "DOUBLE_COMPLEX"},
};

#define C(name) {#name, MPI_##name}
static const struct {
    const char *name;
    long value;
} int_constants[] = {
    C(COMBINER_NAMED),         C(COMBINER_DUP),           C(COMBINER_CONTIGUOUS),
    C(COMBINER_VECTOR),        C(COMBINER_HVECTOR),       C(COMBINER_INDEXED),
    C(COMBINER_HINDEXED),      C(COMBINER_INDEXED_BLOCK), C(COMBINER_HINDEXED_BLOCK),
    C(COMBINER_STRUCT),        C(COMBINER_SUBARRAY),      C(COMBINER_DARRAY),
    C(COMBINER_F90_REAL),      C(COMBINER_F90_COMPLEX),   C(COMBINER_F90_INTEGER),
    C(COMBINER_RESIZED),       C(DISTRIBUTE_NONE),        C(DISTRIBUTE_BLOCK),
    C(DISTRIBUTE_CYCLIC),      C(DISTRIBUTE_DFLT_DARG),   C(ORDER_C),
    C(ORDER_FORTRAN),          C(TYPECLASS_INTEGER),      C(TYPECLASS_REAL),
    C(TYPECLASS_COMPLEX),      {"ORDER_F", MPI_ORDER_FORTRAN},
};
#undef C

/* A dict {typecode: the module's Datatype constant} from one table. */
static PyObject *make_typedict(PyObject *m, const struct typecode *tab, size_t n,
                               const char *const *only, size_t nonly)
{
    PyObject *d = PyDict_New();
    for (size_t i = 0; d != NULL && i < n; i++) {
        int keep = only == NULL;
        for (size_t j = 0; !keep && j < nonly; j++)
            keep = strcmp(only[j], tab[i].code) == 0;
        if (!keep)
            continue;
        /* The constant object itself, found by handle among the predefined names. */
        PyObject *t = NULL;
        for (size_t j = 0; j < COUNT_OF(predefined); j++) {
            if (predefined[j].type == tab[i].type) {
                t = PyObject_GetAttrString(m, predefined[j].name);
                break;
            }
        }
        if (t == NULL || PyDict_SetItemString(d, tab[i].code, t) < 0)
            Py_CLEAR(d);
        Py_XDECREF(t);
    }
    return d;
}

int pympi_init_datatype(PyObject *m)
{
    if (PyType_Ready(&PyMPIDatatype_Type) < 0)
        return -1;
    for (size_t i = 0; i < COUNT_OF(predefined); i++) {
        PyObject *t = pympi_datatype_new(predefined[i].type, PYMPI_CONST);
        if (t == NULL || PyModule_AddObject(m, predefined[i].name, t) < 0) {
            Py_XDECREF(t);
            return -1;
        }
    }
    for (size_t i = 0; i < COUNT_OF(aliases); i++) {
        PyObject *t = PyObject_GetAttrString(m, aliases[i].name);
        if (t == NULL || PyModule_AddObject(m, aliases[i].alias, t) < 0) {
            Py_XDECREF(t);
            return -1;
        }
    }
    for (size_t i = 0; i < COUNT_OF(int_constants); i++)
        if (PyModule_AddIntConstant(m, int_constants[i].name, int_constants[i].value) < 0)
            return -1;
    PyObject *dicts[3] = {
        make_typedict(m, typedict_c, COUNT_OF(typedict_c), NULL, 0),
        make_typedict(m, typedict_c, COUNT_OF(typedict_c), typedict_c_only,
                      COUNT_OF(typedict_c_only)),
        make_typedict(m, typedict_f, COUNT_OF(typedict_f), NULL, 0),
    };
    int bad = dicts[0] == NULL || dicts[1] == NULL || dicts[2] == NULL ||
              PyModule_AddObjectRef(m, "_typedict", dicts[0]) < 0 ||
              PyModule_AddObjectRef(m, "_typedict_c", dicts[1]) < 0 ||
              PyModule_AddObjectRef(m, "_typedict_f", dicts[2]) < 0;
    for (int i = 0; i < 3; i++)
        Py_XDECREF(dicts[i]);
    if (bad)
        return -1;
    /* memory.c's class and functions travel with this file's (memory is a buffer kind). */
    if (pympi_init_memory(m) < 0 || PyModule_AddFunctions(m, pympi_module_memory_methods) < 0)
        return -1;
    return PyModule_AddObjectRef(m, "Datatype", (PyObject *)&PyMPIDatatype_Type);
}
