/*
 * memory.c - MPI.memory: a flat, byte-addressed view of raw memory, and the module
 * functions Alloc_mem / Free_mem that hand it out.
 *
 * A memory object either borrows another object's buffer (frombuffer, slices: `view.obj`
 * holds the exporter), owns storage it allocated (allocate, Alloc_mem: `store`), or
 * wraps a bare address (fromaddress, user-defined reduction arguments). It exports
 * itself as format "B", itemsize 1, like a one-dimensional memoryview of bytes. Unlike
 * mpi4py 3.1, release() refuses while buffers are still exported (a NumPy array made
 * with frombuffer, a slice): freeing memory under a live view would crash later.
 */
#include "pympi.h"

#include <string.h>

typedef struct {
    PyObject_HEAD
    Py_buffer view;             /* buf, len, readonly; view.obj: the exporter or NULL */
    void *store;                /* storage this object allocated, else NULL */
    Py_ssize_t itemsize;        /* the source's itemsize (reported, not used) */
    Py_ssize_t exports;         /* buffers handed out and not yet released */
} PyMPIMemoryObject;

#define MEM(o) ((PyMPIMemoryObject *)(o))

static PyObject *alloc_memory(void)
{
    PyMPIMemoryObject *m = (PyMPIMemoryObject *)PyMPIMemory_Type.tp_alloc(&PyMPIMemory_Type, 0);
    if (m != NULL)
        m->itemsize = 1;
    return (PyObject *)m;
}

PyObject *pympi_memory_new(void *buf, Py_ssize_t len, int readonly)
{
    PyMPIMemoryObject *m = (PyMPIMemoryObject *)alloc_memory();
    if (m == NULL)
        return NULL;
    m->view.buf = buf;
    m->view.len = len;
    m->view.readonly = readonly;
    return (PyObject *)m;
}

/* Drops what the object refers to; -1 with BufferError while buffers are exported. */
int pympi_memory_release(PyObject *self)
{
    PyMPIMemoryObject *m = MEM(self);
    if (m->exports > 0) {
        PyErr_Format(PyExc_BufferError,
                     "memory: cannot release, %zd exported buffer(s) still use it",
                     m->exports);
        return -1;
    }
    if (m->view.obj != NULL)
        PyBuffer_Release(&m->view);
    PyMem_Free(m->store);
    m->store = NULL;
    memset(&m->view, 0, sizeof m->view);
    return 0;
}

static void memory_dealloc(PyObject *self)
{
    PyMPIMemoryObject *m = MEM(self);
    if (m->view.obj != NULL)
        PyBuffer_Release(&m->view);
    PyMem_Free(m->store);
    Py_TYPE(self)->tp_free(self);
}

/* Fills `m` from obj's buffer (simple, contiguous). */
static int borrow(PyMPIMemoryObject *m, PyObject *obj, int readonly)
{
    int flags = readonly ? PyBUF_SIMPLE : PyBUF_WRITABLE;
    if (PyObject_GetBuffer(obj, &m->view, flags) < 0)
        return -1;
    m->itemsize = m->view.itemsize > 0 ? m->view.itemsize : 1;
    if (readonly)
        m->view.readonly = 1;
    return 0;
}

static PyObject *memory_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *buf = NULL;
    static char *kwlist[] = {"buf", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:memory", kwlist, &buf))
        return NULL;
    PyMPIMemoryObject *m = (PyMPIMemoryObject *)type->tp_alloc(type, 0);
    if (m == NULL)
        return NULL;
    m->itemsize = 1;
    if (buf != NULL && buf != Py_None) {
        /* Writable when the source is, read-only otherwise (bytes). */
        if (PyObject_GetBuffer(buf, &m->view, PyBUF_SIMPLE) < 0) {
            Py_DECREF(m);
            return NULL;
        }
        m->itemsize = m->view.itemsize > 0 ? m->view.itemsize : 1;
    }
    return (PyObject *)m;
}

/* ---- constructors ---------------------------------------------------------------------- */

static PyObject *memory_allocate(PyObject *unused, PyObject *args, PyObject *kwds)
{
    Py_ssize_t nbytes;
    int clear = 0;
    static char *kwlist[] = {"nbytes", "clear", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "n|p:allocate", kwlist, &nbytes, &clear))
        return NULL;
    if (nbytes < 0) {
        PyErr_Format(PyExc_ValueError, "nbytes: expected a non-negative size, got %zd",
                     nbytes);
        return NULL;
    }
    PyMPIMemoryObject *m = (PyMPIMemoryObject *)alloc_memory();
    if (m == NULL)
        return NULL;
    /* One byte at least, so the address of an empty block is still a valid pointer. */
    m->store = clear ? PyMem_Calloc((size_t)nbytes + 1, 1) : PyMem_Malloc((size_t)nbytes + 1);
    if (m->store == NULL) {
        Py_DECREF(m);
        return PyErr_NoMemory();
    }
    m->view.buf = m->store;
    m->view.len = nbytes;
    return (PyObject *)m;
}

static PyObject *memory_frombuffer(PyObject *unused, PyObject *args, PyObject *kwds)
{
    PyObject *obj;
    int readonly = 0;
    static char *kwlist[] = {"obj", "readonly", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|p:frombuffer", kwlist, &obj, &readonly))
        return NULL;
    PyMPIMemoryObject *m = (PyMPIMemoryObject *)alloc_memory();
    if (m == NULL)
        return NULL;
    if (borrow(m, obj, readonly) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return (PyObject *)m;
}

static PyObject *memory_fromaddress(PyObject *unused, PyObject *args, PyObject *kwds)
{
    PyObject *o_addr;
    Py_ssize_t nbytes;
    int readonly = 0;
    static char *kwlist[] = {"address", "nbytes", "readonly", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "On|p:fromaddress", kwlist, &o_addr,
                                     &nbytes, &readonly))
        return NULL;
    void *addr = PyLong_AsVoidPtr(o_addr);
    if (addr == NULL && PyErr_Occurred())
        return NULL;
    if (nbytes < 0) {
        PyErr_Format(PyExc_ValueError, "nbytes: expected a non-negative size, got %zd",
                     nbytes);
        return NULL;
    }
    if (addr == NULL && nbytes > 0) {
        PyErr_SetString(PyExc_ValueError, "address: expected a non-NULL address");
        return NULL;
    }
    return pympi_memory_new(addr, nbytes, readonly);
}

/* ---- methods ---------------------------------------------------------------------------- */

static PyObject *memory_tobytes(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *order = Py_None;
    static char *kwlist[] = {"order", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:tobytes", kwlist, &order))
        return NULL;
    return PyBytes_FromStringAndSize(MEM(self)->view.buf, MEM(self)->view.len);
}

static PyObject *memory_toreadonly(PyObject *self, PyObject *unused)
{
    PyMPIMemoryObject *m = MEM(self);
    PyMPIMemoryObject *r = (PyMPIMemoryObject *)alloc_memory();
    if (r == NULL)
        return NULL;
    if (m->view.obj != NULL) {
        /* Borrow from the same exporter, so `obj` stays the user's object. */
        if (PyObject_GetBuffer(m->view.obj, &r->view, PyBUF_SIMPLE) < 0) {
            Py_DECREF(r);
            return NULL;
        }
        /* A slice covers part of its exporter: narrow to the same bytes. */
        r->view.buf = m->view.buf;
        r->view.len = m->view.len;
    } else if (m->store != NULL) {
        if (PyObject_GetBuffer(self, &r->view, PyBUF_SIMPLE) < 0) {
            Py_DECREF(r);
            return NULL;
        }
    } else {
        r->view.buf = m->view.buf;
        r->view.len = m->view.len;
    }
    r->view.readonly = 1;
    r->itemsize = m->itemsize;
    return (PyObject *)r;
}

static PyObject *memory_release_method(PyObject *self, PyObject *unused)
{
    if (pympi_memory_release(self) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* ---- properties ------------------------------------------------------------------------- */

static PyObject *memory_get_address(PyObject *self, void *c)
{
    return PyLong_FromVoidPtr(MEM(self)->view.buf);
}

static PyObject *memory_get_obj(PyObject *self, void *c)
{
    PyObject *o = MEM(self)->view.obj;
    return Py_NewRef(o != NULL ? o : Py_None);
}

static PyObject *memory_get_nbytes(PyObject *self, void *c)
{
    return PyLong_FromSsize_t(MEM(self)->view.len);
}

static PyObject *memory_get_readonly(PyObject *self, void *c)
{
    return PyBool_FromLong(MEM(self)->view.readonly);
}

static PyObject *memory_get_format(PyObject *self, void *c)
{
    return PyUnicode_FromString("B");
}

static PyObject *memory_get_itemsize(PyObject *self, void *c)
{
    return PyLong_FromSsize_t(MEM(self)->itemsize);
}

/* ---- buffer protocol ------------------------------------------------------------------- */

static int memory_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    PyMPIMemoryObject *m = MEM(self);
    if (PyBuffer_FillInfo(view, self, m->view.buf, m->view.len, m->view.readonly, flags) < 0)
        return -1;
    m->exports++;
    return 0;
}

static void memory_releasebuffer(PyObject *self, Py_buffer *view)
{
    MEM(self)->exports--;
}

static PyBufferProcs memory_as_buffer = {memory_getbuffer, memory_releasebuffer};

/* ---- sequence / mapping ------------------------------------------------------------- */

static Py_ssize_t memory_length(PyObject *self)
{
    return MEM(self)->view.len;
}

static PyObject *memory_item(PyObject *self, Py_ssize_t i)
{
    PyMPIMemoryObject *m = MEM(self);
    if (i < 0 || i >= m->view.len) {
        PyErr_SetString(PyExc_IndexError, "memory index out of range");
        return NULL;
    }
    return PyLong_FromLong(((unsigned char *)m->view.buf)[i]);
}

/* Resolves a slice with step 1 to [start, start + len). */
static int memory_slice(PyMPIMemoryObject *m, PyObject *key, Py_ssize_t *start,
                        Py_ssize_t *len)
{
    Py_ssize_t stop, step;
    if (PySlice_Unpack(key, start, &stop, &step) < 0)
        return -1;
    if (step != 1) {
        PyErr_SetString(PyExc_IndexError, "memory: slices with a step are not supported");
        return -1;
    }
    *len = PySlice_AdjustIndices(m->view.len, start, &stop, step);
    return 0;
}

static int memory_index(PyMPIMemoryObject *m, PyObject *key, Py_ssize_t *i)
{
    *i = PyNumber_AsSsize_t(key, PyExc_IndexError);
    if (*i == -1 && PyErr_Occurred())
        return -1;
    if (*i < 0)
        *i += m->view.len;
    if (*i < 0 || *i >= m->view.len) {
        PyErr_SetString(PyExc_IndexError, "memory index out of range");
        return -1;
    }
    return 0;
}

static PyObject *memory_subscript(PyObject *self, PyObject *key)
{
    PyMPIMemoryObject *m = MEM(self);
    if (PySlice_Check(key)) {
        Py_ssize_t start, len;
        if (memory_slice(m, key, &start, &len) < 0)
            return NULL;
        PyMPIMemoryObject *r = (PyMPIMemoryObject *)alloc_memory();
        if (r == NULL)
            return NULL;
        /* The slice holds a buffer of ours: we stay alive and unreleased under it. */
        if (PyObject_GetBuffer(self, &r->view, PyBUF_SIMPLE) < 0) {
            Py_DECREF(r);
            return NULL;
        }
        r->view.buf = (char *)m->view.buf + start;
        r->view.len = len;
        r->view.readonly = m->view.readonly;
        return (PyObject *)r;
    }
    if (!PyIndex_Check(key)) {
        PyErr_Format(PyExc_TypeError, "memory indices must be integers or slices, not %.100s",
                     Py_TYPE(key)->tp_name);
        return NULL;
    }
    Py_ssize_t i;
    if (memory_index(m, key, &i) < 0)
        return NULL;
    return PyLong_FromLong(((unsigned char *)m->view.buf)[i]);
}

static int memory_ass_subscript(PyObject *self, PyObject *key, PyObject *value)
{
    PyMPIMemoryObject *m = MEM(self);
    if (value == NULL) {
        PyErr_SetString(PyExc_NotImplementedError, "memory: items cannot be deleted");
        return -1;
    }
    if (m->view.readonly) {
        PyErr_SetString(PyExc_TypeError, "memory buffer is read-only");
        return -1;
    }
    if (PySlice_Check(key)) {
        Py_ssize_t start, len;
        if (memory_slice(m, key, &start, &len) < 0)
            return -1;
        Py_buffer src;
        if (PyObject_GetBuffer(value, &src, PyBUF_SIMPLE) < 0)
            return -1;
        if (src.len != len) {
            PyErr_Format(PyExc_ValueError,
                         "memory: slice assignment of %zd bytes to a slice of %zd bytes",
                         src.len, len);
            PyBuffer_Release(&src);
            return -1;
        }
        memmove((char *)m->view.buf + start, src.buf, (size_t)len);
        PyBuffer_Release(&src);
        return 0;
    }
    if (!PyIndex_Check(key)) {
        PyErr_Format(PyExc_TypeError, "memory indices must be integers or slices, not %.100s",
                     Py_TYPE(key)->tp_name);
        return -1;
    }
    Py_ssize_t i;
    if (memory_index(m, key, &i) < 0)
        return -1;
    if (!PyIndex_Check(value)) {
        PyErr_Format(PyExc_TypeError, "memory: a byte value must be an integer, not %.100s",
                     Py_TYPE(value)->tp_name);
        return -1;
    }
    long v = PyLong_AsLong(value);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < 0 || v > 255) {
        PyErr_Format(PyExc_OverflowError, "memory: byte value %ld is not in range(256)", v);
        return -1;
    }
    ((unsigned char *)m->view.buf)[i] = (unsigned char)v;
    return 0;
}

static PySequenceMethods memory_as_sequence = {
    .sq_length = memory_length,
    .sq_item = memory_item,
};

static PyMappingMethods memory_as_mapping = {
    .mp_length = memory_length,
    .mp_subscript = memory_subscript,
    .mp_ass_subscript = memory_ass_subscript,
};

static PyMethodDef memory_methods[] = {
    {"allocate", (PyCFunction)(void (*)(void))memory_allocate,
     METH_VARARGS | METH_KEYWORDS | METH_STATIC,
     "allocate(nbytes, clear=False)\n--\n\n" "Allocate nbytes of new memory."},
    {"frombuffer", (PyCFunction)(void (*)(void))memory_frombuffer,
     METH_VARARGS | METH_KEYWORDS | METH_STATIC,
     "frombuffer(obj, readonly=False)\n--\n\n" "Memory of a buffer-like object."},
    {"fromaddress", (PyCFunction)(void (*)(void))memory_fromaddress,
     METH_VARARGS | METH_KEYWORDS | METH_STATIC,
     "fromaddress(address, nbytes, readonly=False)\n--\n\n" "Memory at a raw address."},
    {"tobytes", (PyCFunction)(void (*)(void))memory_tobytes, METH_VARARGS | METH_KEYWORDS,
     "tobytes($self, /, order=None)\n--\n\n" "A bytes copy of the memory."},
    {"toreadonly", memory_toreadonly, METH_NOARGS,
     "toreadonly($self, /)\n--\n\n" "A read-only view of the same memory."},
    {"release", memory_release_method, METH_NOARGS,
     "release($self, /)\n--\n\n" "Release the underlying buffer."},
    {NULL},
};

static PyGetSetDef memory_getset[] = {
    {"address", memory_get_address, NULL, "Address of the memory.", NULL},
    {"obj", memory_get_obj, NULL, "The object exposing the memory, or None.", NULL},
    {"nbytes", memory_get_nbytes, NULL, "Size in bytes.", NULL},
    {"readonly", memory_get_readonly, NULL, "Whether the memory is read-only.", NULL},
    {"format", memory_get_format, NULL, "Item format ('B').", NULL},
    {"itemsize", memory_get_itemsize, NULL, "Item size of the source buffer.", NULL},
    {NULL},
};

PyTypeObject PyMPIMemory_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.memory",
    .tp_basicsize = sizeof(PyMPIMemoryObject),
    .tp_dealloc = memory_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Memory buffer: raw bytes with the buffer protocol.",
    .tp_new = memory_tp_new,
    .tp_methods = memory_methods,
    .tp_getset = memory_getset,
    .tp_as_buffer = &memory_as_buffer,
    .tp_as_sequence = &memory_as_sequence,
    .tp_as_mapping = &memory_as_mapping,
};

/* ---- Alloc_mem / Free_mem ------------------------------------------------------------ */

/* liblitempi has no special memory to hand out (no registration, no RMA pools), so
 * Alloc_mem is an allocation from the Python heap, freed by Free_mem or with the object. */
static PyObject *mpi_Alloc_mem(PyObject *unused, PyObject *args, PyObject *kwds)
{
    Py_ssize_t size;
    MPI_Info info = MPI_INFO_NULL;
    static char *kwlist[] = {"size", "info", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "n|O&:Alloc_mem", kwlist, &size,
                                     pympi_conv_info, &info))
        return NULL;
    if (size < 0) {
        PyErr_Format(PyExc_ValueError, "size: expected a non-negative size, got %zd", size);
        return NULL;
    }
    PyObject *a = Py_BuildValue("(n)", size);
    if (a == NULL)
        return NULL;
    PyObject *m = memory_allocate(NULL, a, NULL);
    Py_DECREF(a);
    return m;
}

static PyObject *mpi_Free_mem(PyObject *unused, PyObject *args, PyObject *kwds)
{
    PyObject *mem;
    static char *kwlist[] = {"mem", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!:Free_mem", kwlist, &PyMPIMemory_Type,
                                     &mem))
        return NULL;
    if (MEM(mem)->store == NULL) {
        PyErr_SetString(PyExc_ValueError, "mem: not memory from MPI.Alloc_mem");
        return NULL;
    }
    return memory_release_method(mem, NULL);
}

PyMethodDef pympi_module_memory_methods[] = {
    {"Alloc_mem", (PyCFunction)(void (*)(void))mpi_Alloc_mem, METH_VARARGS | METH_KEYWORDS,
     "Alloc_mem(size, info=INFO_NULL)\n\n" "Allocate memory for message passing."},
    {"Free_mem", (PyCFunction)(void (*)(void))mpi_Free_mem, METH_VARARGS | METH_KEYWORDS,
     "Free_mem($module, /, mem)\n--\n\n" "Free memory from Alloc_mem."},
    {NULL},
};

int pympi_init_memory(PyObject *m)
{
    if (PyType_Ready(&PyMPIMemory_Type) < 0)
        return -1;
    return PyModule_AddObjectRef(m, "memory", (PyObject *)&PyMPIMemory_Type);
}
