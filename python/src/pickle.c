/*
 * pickle.c - MPI.Pickle and the module's MPI.pickle instance: how lower-case methods turn
 * objects into bytes and back.
 *
 * Users configure serialization as in mpi4py: MPI.pickle.__init__(dumps, loads, protocol),
 * the PROTOCOL property (MPI4PY_PICKLE_PROTOCOL sets its default), and here also plain
 * assignment (MPI.pickle.dumps = f). Messages always go through MPI.pickle.
 *
 * While MPI.pickle uses the standard pickle functions, small messages take a shortcut: the
 * fixed cost of pickle.dumps (a Pickler, its memo, a 4 KiB output buffer) is several times
 * the cost of moving the bytes, so objects built only from None, bool, int, float, str,
 * bytes, tuple, list and dict (exact types, a tree without shared containers, encoded in at
 * most PYMPI_FAST_MAX bytes) are written here as a standard pickle stream of the configured
 * protocol (4 or 5) that pickle.loads reads back to an equal object. On the way in, streams
 * made only of the opcodes such objects need (as written here or by pickle.dumps, memo
 * included) are decoded here; anything else goes to the configured loads. Either way the
 * receiver gets what pickle.loads(pickle.dumps(obj)) would give.
 */
#include "pympi.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    PyObject *ob_dumps;
    PyObject *ob_loads;
    PyObject *ob_PROTOCOL;      /* an int, or None for the dumps default */
    int fast_proto;             /* 4 or 5: the shortcut encoder may write messages; else 0 */
    int fast_loads;             /* ob_loads is pickle.loads: the shortcut decoder may read */
} PyMPIPickleObject;

static PyTypeObject PyMPIPickle_Type;
static PyMPIPickleObject *the_pickle;      /* MPI.pickle */
static PyObject *default_dumps, *default_loads, *default_protocol;
static long highest_protocol;

/* Largest encoding the shortcut writes, deepest nesting and most containers it follows. */
#define PYMPI_FAST_MAX (64 * 1024)
#define FAST_MAX_DEPTH 64
#define FAST_MAX_CONTAINERS 64
/* Up to this size the standard loads gets a bytes copy, larger a memoryview (no copy). */
#define LOADS_COPY_MAX 4096

/* ---- configuration -------------------------------------------------------------------- */

static void pickle_update_fast(PyMPIPickleObject *p)
{
    p->fast_proto = 0;
    p->fast_loads = p->ob_loads == default_loads;
    if (p->ob_dumps != default_dumps || !PyLong_CheckExact(p->ob_PROTOCOL))
        return;
    long proto = PyLong_AsLong(p->ob_PROTOCOL);
    if (proto == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return;
    }
    if (proto < 0)
        proto = highest_protocol;
    if ((proto == 4 || proto == 5) && proto <= highest_protocol)
        p->fast_proto = (int)proto;
}

/* Sets dumps/loads/protocol as Pickle.__init__ does: None means the default function, and a
 * None protocol with the default dumps means the default protocol. */
static void pickle_set(PyMPIPickleObject *p, PyObject *dumps, PyObject *loads,
                       PyObject *protocol)
{
    if (dumps == NULL || dumps == Py_None)
        dumps = default_dumps;
    if (loads == NULL || loads == Py_None)
        loads = default_loads;
    if ((protocol == NULL || protocol == Py_None) && dumps == default_dumps)
        protocol = default_protocol;
    if (protocol == NULL)
        protocol = Py_None;
    Py_XSETREF(p->ob_dumps, Py_NewRef(dumps));
    Py_XSETREF(p->ob_loads, Py_NewRef(loads));
    Py_XSETREF(p->ob_PROTOCOL, Py_NewRef(protocol));
    pickle_update_fast(p);
}

/* ---- the shortcut encoder ------------------------------------------------------------- */

struct enc {
    char *buf;
    Py_ssize_t len, cap;
    char *heap;                 /* PyMem buffer once the caller's is outgrown */
    int depth, nseen;
    PyObject *seen[FAST_MAX_CONTAINERS];
};

/* Room for n more bytes; -1 when the encoding would outgrow PYMPI_FAST_MAX. */
static int enc_room(struct enc *e, Py_ssize_t n)
{
    if (e->len + n <= e->cap)
        return 0;
    if (e->len + n > PYMPI_FAST_MAX)
        return -1;
    Py_ssize_t cap = e->cap * 2 > e->len + n ? e->cap * 2 : e->len + n;
    if (cap > PYMPI_FAST_MAX)
        cap = PYMPI_FAST_MAX;
    char *h = PyMem_Realloc(e->heap, (size_t)cap);
    if (h == NULL)
        return -1;
    if (e->heap == NULL)
        memcpy(h, e->buf, (size_t)e->len);
    e->heap = e->buf = h;
    e->cap = cap;
    return 0;
}

static inline void put_le(char *p, unsigned long long v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (char)(v >> (8 * i));
}

static int enc_op(struct enc *e, char op)
{
    if (enc_room(e, 1) < 0)
        return -1;
    e->buf[e->len++] = op;
    return 0;
}

/* An opcode with a 1- or 4-byte length, then the data. */
static int enc_sized(struct enc *e, char op1, char op4, const char *data, Py_ssize_t n)
{
    if (enc_room(e, 5 + n) < 0)
        return -1;
    char *p = e->buf + e->len;
    if (n < 256) {
        *p++ = op1;
        *p++ = (char)n;
    } else {
        *p++ = op4;
        put_le(p, (unsigned long long)n, 4);
        p += 4;
    }
    memcpy(p, data, (size_t)n);
    e->len = p + n - e->buf;
    return 0;
}

static int enc_long(struct enc *e, PyObject *o)
{
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow || (v == -1 && PyErr_Occurred()) || enc_room(e, 10) < 0)
        return -1;
    char *p = e->buf + e->len;
    if (v >= 0 && v < 256) {
        *p++ = 'K';                              /* BININT1 */
        *p++ = (char)v;
    } else if (v >= 0 && v < 65536) {
        *p++ = 'M';                              /* BININT2 */
        put_le(p, (unsigned long long)v, 2);
        p += 2;
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        *p++ = 'J';                              /* BININT */
        put_le(p, (unsigned long long)v, 4);
        p += 4;
    } else {
        /* LONG1: the shortest little-endian two's complement. */
        int n = 5;
        while (n < 8 && !(v >= -(1LL << (8 * n - 1)) && v < (1LL << (8 * n - 1))))
            n++;
        *p++ = '\x8a';
        *p++ = (char)n;
        put_le(p, (unsigned long long)v, n);
        p += n;
    }
    e->len = p - e->buf;
    return 0;
}

static int enc_str(struct enc *e, PyObject *o)
{
    if (PyUnicode_IS_ASCII(o))
        return enc_sized(e, '\x8c', 'X', (const char *)PyUnicode_DATA(o),
                         PyUnicode_GET_LENGTH(o));
    /* pickle writes str as UTF-8 (lone surrogates need its surrogatepass: not here). */
    PyObject *b = PyUnicode_AsUTF8String(o);
    if (b == NULL)
        return -1;
    int r = enc_sized(e, '\x8c', 'X', PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b));
    Py_DECREF(b);
    return r;
}

static int enc_obj(struct enc *e, PyObject *o);

/* A container seen twice would lose its sharing (pickle's memo keeps it): give up. */
static int enc_container(struct enc *e, PyObject *o)
{
    if (e->depth >= FAST_MAX_DEPTH || e->nseen >= FAST_MAX_CONTAINERS)
        return -1;
    for (int i = 0; i < e->nseen; i++)
        if (e->seen[i] == o)
            return -1;
    e->seen[e->nseen++] = o;
    e->depth++;
    int r = 0;
    if (PyTuple_CheckExact(o)) {
        Py_ssize_t n = PyTuple_GET_SIZE(o);
        if (n > 3 && enc_op(e, '(') < 0)                     /* MARK */
            return -1;
        for (Py_ssize_t i = 0; i < n && r == 0; i++)
            r = enc_obj(e, PyTuple_GET_ITEM(o, i));
        if (r == 0)
            r = enc_op(e, n == 0 ? ')' : n <= 3 ? (char)('\x85' + n - 1) : 't');
    } else if (PyList_CheckExact(o)) {
        r = enc_op(e, ']');                                  /* EMPTY_LIST */
        if (r == 0 && PyList_GET_SIZE(o) > 0) {
            r = enc_op(e, '(');
            for (Py_ssize_t i = 0; i < PyList_GET_SIZE(o) && r == 0; i++)
                r = enc_obj(e, PyList_GET_ITEM(o, i));
            if (r == 0)
                r = enc_op(e, 'e');                          /* APPENDS */
        }
    } else {
        r = enc_op(e, '}');                                  /* EMPTY_DICT */
        if (r == 0 && PyDict_GET_SIZE(o) > 0) {
            Py_ssize_t pos = 0;
            PyObject *k, *v;
            r = enc_op(e, '(');
            while (r == 0 && PyDict_Next(o, &pos, &k, &v))
                r = enc_obj(e, k) < 0 ? -1 : enc_obj(e, v);
            if (r == 0)
                r = enc_op(e, 'u');                          /* SETITEMS */
        }
    }
    e->depth--;
    return r;
}

/* No user code runs while encoding: only exact builtin types are looked into. */
static int enc_obj(struct enc *e, PyObject *o)
{
    PyTypeObject *t = Py_TYPE(o);
    if (o == Py_None)
        return enc_op(e, 'N');
    if (t == &PyBool_Type)
        return enc_op(e, o == Py_True ? '\x88' : '\x89');
    if (t == &PyLong_Type)
        return enc_long(e, o);
    if (t == &PyFloat_Type) {
        if (enc_room(e, 9) < 0)
            return -1;
        e->buf[e->len] = 'G';                                /* BINFLOAT, big-endian */
        if (PyFloat_Pack8(PyFloat_AS_DOUBLE(o), e->buf + e->len + 1, 0) < 0)
            return -1;
        e->len += 9;
        return 0;
    }
    if (t == &PyUnicode_Type)
        return enc_str(e, o);
    if (t == &PyBytes_Type)
        return enc_sized(e, 'C', 'B', PyBytes_AS_STRING(o), PyBytes_GET_SIZE(o));
    if (t == &PyTuple_Type || t == &PyList_Type || t == &PyDict_Type)
        return enc_container(e, o);
    return -1;
}

/* Encodes obj into e (starting in the caller's buffer). 0, or -1: not for the shortcut
 * (no exception set). */
static int fast_dump(PyObject *obj, int proto, struct enc *e)
{
    e->buf[0] = '\x80';                                      /* PROTO */
    e->buf[1] = (char)proto;
    e->len = 2;
    if (enc_obj(e, obj) < 0 || enc_op(e, '.') < 0) {         /* STOP */
        PyErr_Clear();
        PyMem_Free(e->heap);
        e->heap = NULL;
        return -1;
    }
    return 0;
}

/* ---- the shortcut decoder ------------------------------------------------------------- */

#define DEC_INLINE 32

struct dec {
    const unsigned char *p, *end;
    PyObject **stack;
    Py_ssize_t sp, scap;
    Py_ssize_t *marks;
    Py_ssize_t nmarks, mcap;
    PyObject **memo;
    Py_ssize_t memocap, memolen;    /* memolen: entries set (MEMOIZE's next index) */
    PyObject *stack0[DEC_INLINE];
    Py_ssize_t marks0[DEC_INLINE];
};

/* Grows one of the arrays (inline first, then PyMem). */
static int dec_grow(void **arr, void *inline_arr, Py_ssize_t *cap, size_t item)
{
    Py_ssize_t ncap = *cap * 2;
    void *n = PyMem_Malloc((size_t)ncap * item);
    if (n == NULL)
        return -1;
    memcpy(n, *arr, (size_t)*cap * item);
    if (*arr != inline_arr)
        PyMem_Free(*arr);
    *arr = n;
    *cap = ncap;
    return 0;
}

static int dec_push(struct dec *d, PyObject *o)
{
    if (o == NULL)
        return -1;
    if (d->sp == d->scap &&
        dec_grow((void **)&d->stack, d->stack0, &d->scap, sizeof(PyObject *)) < 0) {
        Py_DECREF(o);
        return -1;
    }
    d->stack[d->sp++] = o;
    return 0;
}

static inline int dec_need(struct dec *d, Py_ssize_t n)
{
    return d->end - d->p >= n ? 0 : -1;
}

static inline unsigned long long get_le(const unsigned char *p, int n)
{
    unsigned long long v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* Reads an n-byte little-endian length, then returns its data (or NULL). */
static const char *dec_sized(struct dec *d, int n, Py_ssize_t *len)
{
    if (dec_need(d, n) < 0)
        return NULL;
    unsigned long long v = get_le(d->p, n);
    d->p += n;
    if (v > (unsigned long long)(d->end - d->p))
        return NULL;
    *len = (Py_ssize_t)v;
    const char *s = (const char *)d->p;
    d->p += v;
    return s;
}

/* The index just above the last MARK (popping it), or -1. */
static Py_ssize_t dec_pop_mark(struct dec *d)
{
    return d->nmarks > 0 ? d->marks[--d->nmarks] : -1;
}

static int dec_memo_put(struct dec *d, Py_ssize_t idx)
{
    if (d->sp == 0 || idx < 0 || idx > 1 << 24)
        return -1;
    if (idx >= d->memocap) {
        Py_ssize_t n = idx + 1 > d->memocap * 2 ? idx + 1 : d->memocap * 2;
        PyObject **m = PyMem_Realloc(d->memo, (size_t)n * sizeof *m);
        if (m == NULL)
            return -1;
        memset(m + d->memocap, 0, (size_t)(n - d->memocap) * sizeof *m);
        d->memo = m;
        d->memocap = n;
    }
    if (d->memo[idx] == NULL)
        d->memolen++;
    Py_XSETREF(d->memo[idx], Py_NewRef(d->stack[d->sp - 1]));
    return 0;
}

static int dec_memo_get(struct dec *d, Py_ssize_t idx)
{
    if (idx < 0 || idx >= d->memocap || d->memo[idx] == NULL)
        return -1;
    return dec_push(d, Py_NewRef(d->memo[idx]));
}

/* Appends stack[from:] to the list or dict at stack[from - 1]. */
static int dec_fill(struct dec *d, Py_ssize_t from, int is_dict)
{
    if (from < 1 || from > d->sp)
        return -1;
    PyObject *target = d->stack[from - 1];
    if (is_dict) {
        if (!PyDict_CheckExact(target) || (d->sp - from) % 2 != 0)
            return -1;
        for (Py_ssize_t i = from; i < d->sp; i += 2)
            if (PyDict_SetItem(target, d->stack[i], d->stack[i + 1]) < 0)
                return -1;
    } else {
        if (!PyList_CheckExact(target))
            return -1;
        for (Py_ssize_t i = from; i < d->sp; i++)
            if (PyList_Append(target, d->stack[i]) < 0)
                return -1;
    }
    while (d->sp > from)
        Py_DECREF(d->stack[--d->sp]);
    return 0;
}

static int dec_tuple(struct dec *d, Py_ssize_t from)
{
    if (from < 0 || from > d->sp)
        return -1;
    PyObject *t = PyTuple_New(d->sp - from);
    if (t == NULL)
        return -1;
    for (Py_ssize_t i = from; i < d->sp; i++)
        PyTuple_SET_ITEM(t, i - from, d->stack[i]);     /* steals the stack's reference */
    d->sp = from;
    return dec_push(d, t);
}

/* One opcode; 1 at STOP, 0 to go on, -1: not for the shortcut. */
static int dec_step(struct dec *d)
{
    if (dec_need(d, 1) < 0)
        return -1;
    unsigned char op = *d->p++;
    Py_ssize_t n;
    const char *s;
    switch (op) {
    case 0x80:                                              /* PROTO */
        if (dec_need(d, 1) < 0 || *d->p > 5)
            return -1;
        d->p++;
        return 0;
    case 0x95:                                              /* FRAME */
        if (dec_need(d, 8) < 0)
            return -1;
        d->p += 8;
        return 0;
    case '.':                                               /* STOP */
        return d->sp == 1 && d->nmarks == 0 ? 1 : -1;
    case 'N':
        return dec_push(d, Py_NewRef(Py_None));
    case 0x88:
        return dec_push(d, Py_NewRef(Py_True));
    case 0x89:
        return dec_push(d, Py_NewRef(Py_False));
    case 'K':                                               /* BININT1 */
    case 'M':                                               /* BININT2 */
    case 'J': {                                             /* BININT */
        int w = op == 'K' ? 1 : op == 'M' ? 2 : 4;
        if (dec_need(d, w) < 0)
            return -1;
        unsigned long long v = get_le(d->p, w);
        d->p += w;
        return dec_push(d, PyLong_FromLong(w == 4 ? (long)(int32_t)(uint32_t)v : (long)v));
    }
    case 0x8a: {                                            /* LONG1 */
        if (dec_need(d, 1) < 0 || d->p[0] > 8 || dec_need(d, 1 + d->p[0]) < 0)
            return -1;
        int w = *d->p++;
        unsigned long long v = get_le(d->p, w);
        if (w > 0 && w < 8 && (d->p[w - 1] & 0x80))
            v |= ~0ULL << (8 * w);                          /* sign-extend */
        d->p += w;
        return dec_push(d, PyLong_FromLongLong((long long)v));
    }
    case 'G': {                                             /* BINFLOAT */
        if (dec_need(d, 8) < 0)
            return -1;
        double x = PyFloat_Unpack8((const char *)d->p, 0);
        d->p += 8;
        if (x == -1.0 && PyErr_Occurred())
            return -1;
        return dec_push(d, PyFloat_FromDouble(x));
    }
    case 0x8c:                                              /* SHORT_BINUNICODE */
    case 'X':                                               /* BINUNICODE */
    case 0x8d:                                              /* BINUNICODE8 */
        if ((s = dec_sized(d, op == 0x8c ? 1 : op == 'X' ? 4 : 8, &n)) == NULL)
            return -1;
        return dec_push(d, PyUnicode_DecodeUTF8(s, n, "surrogatepass"));
    case 'C':                                               /* SHORT_BINBYTES */
    case 'B':                                               /* BINBYTES */
    case 0x8e:                                              /* BINBYTES8 */
        if ((s = dec_sized(d, op == 'C' ? 1 : op == 'B' ? 4 : 8, &n)) == NULL)
            return -1;
        return dec_push(d, PyBytes_FromStringAndSize(s, n));
    case ')':                                               /* EMPTY_TUPLE */
        return dec_tuple(d, d->sp);
    case 0x85:                                              /* TUPLE1..3 */
    case 0x86:
    case 0x87:
        return dec_tuple(d, d->sp - (op - 0x84));
    case 't':                                               /* TUPLE */
        return dec_tuple(d, dec_pop_mark(d));
    case ']':                                               /* EMPTY_LIST */
        return dec_push(d, PyList_New(0));
    case '}':                                               /* EMPTY_DICT */
        return dec_push(d, PyDict_New());
    case 'a':                                               /* APPEND */
        return dec_fill(d, d->sp - 1, 0);
    case 'e':                                               /* APPENDS */
        return dec_fill(d, dec_pop_mark(d), 0);
    case 's':                                               /* SETITEM */
        return dec_fill(d, d->sp - 2, 1);
    case 'u':                                               /* SETITEMS */
        return dec_fill(d, dec_pop_mark(d), 1);
    case '(':                                               /* MARK */
        if (d->nmarks == d->mcap &&
            dec_grow((void **)&d->marks, d->marks0, &d->mcap, sizeof(Py_ssize_t)) < 0)
            return -1;
        d->marks[d->nmarks++] = d->sp;
        return 0;
    case 0x94:                                              /* MEMOIZE */
        return dec_memo_put(d, d->memolen);
    case 'q':                                               /* BINPUT */
    case 'r':                                               /* LONG_BINPUT */
    case 'h':                                               /* BINGET */
    case 'j': {                                             /* LONG_BINGET */
        int w = op == 'q' || op == 'h' ? 1 : 4;
        if (dec_need(d, w) < 0)
            return -1;
        Py_ssize_t idx = (Py_ssize_t)get_le(d->p, w);
        d->p += w;
        return op == 'q' || op == 'r' ? dec_memo_put(d, idx) : dec_memo_get(d, idx);
    }
    default:
        return -1;
    }
}

/* Decodes a stream of the opcodes above; NULL (no exception set) for anything else, which
 * the caller hands to the configured loads. */
static PyObject *fast_load(const char *buf, Py_ssize_t len)
{
    struct dec d;   /* not zeroed as a whole: the inline arrays need no clearing */
    d.p = (const unsigned char *)buf;
    d.end = d.p + len;
    d.stack = d.stack0;
    d.marks = d.marks0;
    d.sp = d.nmarks = d.memocap = d.memolen = 0;
    d.scap = d.mcap = DEC_INLINE;
    d.memo = NULL;
    int r;
    while ((r = dec_step(&d)) == 0)
        ;
    PyObject *result = NULL;
    if (r == 1)
        result = d.stack[--d.sp];
    else
        PyErr_Clear();
    while (d.sp > 0)
        Py_DECREF(d.stack[--d.sp]);
    for (Py_ssize_t i = 0; i < d.memocap; i++)
        Py_XDECREF(d.memo[i]);
    PyMem_Free(d.memo);
    if (d.stack != d.stack0)
        PyMem_Free(d.stack);
    if (d.marks != d.marks0)
        PyMem_Free(d.marks);
    return result;
}

/* ---- the module's services -------------------------------------------------------------- */

/* Calls the configured dumps: dumps(obj, PROTOCOL), or dumps(obj) when PROTOCOL is None. */
static PyObject *call_dumps(PyMPIPickleObject *p, PyObject *obj)
{
    PyObject *args[2] = {obj, p->ob_PROTOCOL};
    return PyObject_Vectorcall(p->ob_dumps, args, p->ob_PROTOCOL == Py_None ? 1 : 2, NULL);
}

/* The message bytes of a dumps result: bytes as they are, other buffers copied. */
static PyObject *as_message_bytes(PyObject *r)
{
    if (r == NULL || PyBytes_CheckExact(r))
        return r;
    PyObject *b = PyObject_CheckBuffer(r) ? PyBytes_FromObject(r) : NULL;
    if (b == NULL && !PyErr_Occurred())
        PyErr_Format(PyExc_TypeError, "MPI.pickle.dumps returned %.100s, expected bytes",
                     Py_TYPE(r)->tp_name);
    Py_DECREF(r);
    return b;
}

int pympi_pickle_dump(PyObject *obj, pympi_pickled *out)
{
    PyMPIPickleObject *p = the_pickle;
    out->obj = NULL;
    if (p->fast_proto) {
        struct enc e;   /* not zeroed as a whole: seen[] is filled as it goes */
        e.buf = out->inline_buf;
        e.len = 0;
        e.cap = PYMPI_PICKLE_INLINE;
        e.heap = NULL;
        e.depth = e.nseen = 0;
        if (fast_dump(obj, p->fast_proto, &e) == 0) {
            if (e.heap == NULL) {
                out->buf = e.buf;
                out->len = e.len;
                return 0;
            }
            out->obj = PyBytes_FromStringAndSize(e.heap, e.len);
            PyMem_Free(e.heap);
            if (out->obj == NULL)
                return -1;
            out->buf = PyBytes_AS_STRING(out->obj);
            out->len = e.len;
            return 0;
        }
    }
    out->obj = as_message_bytes(call_dumps(p, obj));
    if (out->obj == NULL)
        return -1;
    out->buf = PyBytes_AS_STRING(out->obj);
    out->len = PyBytes_GET_SIZE(out->obj);
    return 0;
}

PyObject *pympi_pickle_dumps(PyObject *obj)
{
    pympi_pickled pk;
    if (pympi_pickle_dump(obj, &pk) < 0)
        return NULL;
    if (pk.obj != NULL)
        return pk.obj;
    return PyBytes_FromStringAndSize(pk.buf, pk.len);
}

PyObject *pympi_pickle_loads(const char *buf, Py_ssize_t len)
{
    PyMPIPickleObject *p = the_pickle;
    if (len == 0)
        Py_RETURN_NONE;
    PyObject *data;
    if (p->fast_loads) {
        PyObject *r = fast_load(buf, len);
        if (r != NULL)
            return r;
        data = len <= LOADS_COPY_MAX ? PyBytes_FromStringAndSize(buf, len)
                                     : PyMemoryView_FromMemory((char *)buf, len, PyBUF_READ);
    } else {
        /* A user's loads may keep what it is given: give it bytes of its own. */
        data = PyBytes_FromStringAndSize(buf, len);
    }
    if (data == NULL)
        return NULL;
    PyObject *r = PyObject_CallOneArg(p->ob_loads, data);
    Py_DECREF(data);
    return r;
}

/* ---- MPI.Pickle ------------------------------------------------------------------------- */

static PyObject *pickle_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyMPIPickleObject *self = (PyMPIPickleObject *)type->tp_alloc(type, 0);
    if (self != NULL)
        pickle_set(self, NULL, NULL, NULL);
    return (PyObject *)self;
}

static int pickle_init(PyObject *o, PyObject *args, PyObject *kwds)
{
    PyObject *dumps = NULL, *loads = NULL, *protocol = NULL;
    static char *kwlist[] = {"dumps", "loads", "protocol", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|OOO:Pickle", kwlist, &dumps, &loads,
                                     &protocol))
        return -1;
    pickle_set((PyMPIPickleObject *)o, dumps, loads, protocol);
    return 0;
}

static int pickle_traverse(PyObject *o, visitproc visit, void *arg)
{
    PyMPIPickleObject *self = (PyMPIPickleObject *)o;
    Py_VISIT(self->ob_dumps);
    Py_VISIT(self->ob_loads);
    Py_VISIT(self->ob_PROTOCOL);
    return 0;
}

static int pickle_clear(PyObject *o)
{
    PyMPIPickleObject *self = (PyMPIPickleObject *)o;
    Py_CLEAR(self->ob_dumps);
    Py_CLEAR(self->ob_loads);
    Py_CLEAR(self->ob_PROTOCOL);
    return 0;
}

static void pickle_dealloc(PyObject *o)
{
    PyObject_GC_UnTrack(o);
    pickle_clear(o);
    Py_TYPE(o)->tp_free(o);
}

/* Pickle.dumps(obj, buffer_callback=None): with a callback, out-of-band buffers need
 * protocol 5 at least. */
static PyObject *pickle_dumps(PyObject *o, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    static const char *const names[] = {"obj", "buffer_callback"};
    PyMPIPickleObject *self = (PyMPIPickleObject *)o;
    PyObject *a[2];
    if (pympi_bind_args("dumps", names, 1, 2, args, nargs, kwnames, a) < 0)
        return NULL;
    if (a[1] == NULL || a[1] == Py_None)
        return call_dumps(self, a[0]);
    PyObject *proto = self->ob_PROTOCOL;
    long v = proto == Py_None ? -1 : PyLong_AsLong(proto);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    PyObject *pr = PyLong_FromLong(v >= 0 && v < 5 ? 5 : v);
    if (pr == NULL)
        return NULL;
    PyObject *kw = Py_BuildValue("(s)", "buffer_callback");
    PyObject *r = NULL;
    if (kw != NULL) {
        PyObject *call[3] = {a[0], pr, a[1]};
        r = PyObject_Vectorcall(self->ob_dumps, call, 2, kw);
        Py_DECREF(kw);
    }
    Py_DECREF(pr);
    return r;
}

/* Pickle.loads(data, buffers=None). */
static PyObject *pickle_loads(PyObject *o, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    static const char *const names[] = {"data", "buffers"};
    PyMPIPickleObject *self = (PyMPIPickleObject *)o;
    PyObject *a[2];
    if (pympi_bind_args("loads", names, 1, 2, args, nargs, kwnames, a) < 0)
        return NULL;
    if (a[1] == NULL || a[1] == Py_None)
        return PyObject_CallOneArg(self->ob_loads, a[0]);
    PyObject *kw = Py_BuildValue("(s)", "buffers");
    if (kw == NULL)
        return NULL;
    PyObject *call[2] = {a[0], a[1]};
    PyObject *r = PyObject_Vectorcall(self->ob_loads, call, 1, kw);
    Py_DECREF(kw);
    return r;
}

static PyObject *pickle_get_PROTOCOL(PyObject *o, void *c)
{
    return Py_NewRef(((PyMPIPickleObject *)o)->ob_PROTOCOL);
}

static int pickle_set_PROTOCOL(PyObject *o, PyObject *v, void *c)
{
    PyMPIPickleObject *self = (PyMPIPickleObject *)o;
    if (v == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete PROTOCOL");
        return -1;
    }
    if (v == Py_None && self->ob_dumps == default_dumps)
        v = default_protocol;
    Py_SETREF(self->ob_PROTOCOL, Py_NewRef(v));
    pickle_update_fast(self);
    return 0;
}

/* `pickle.dumps = f` / `pickle.loads = f` replace the functions (None or del: the default);
 * reading them gives the methods, which call the replacements. */
static int pickle_setattro(PyObject *o, PyObject *name, PyObject *v)
{
    PyMPIPickleObject *self = (PyMPIPickleObject *)o;
    if (PyUnicode_Check(name)) {
        int is_dumps = PyUnicode_CompareWithASCIIString(name, "dumps") == 0;
        if (is_dumps || PyUnicode_CompareWithASCIIString(name, "loads") == 0) {
            if (v != NULL && v != Py_None && !PyCallable_Check(v)) {
                PyErr_Format(PyExc_TypeError, "Pickle.%U must be callable, got %.100s", name,
                             Py_TYPE(v)->tp_name);
                return -1;
            }
            PyObject **slot = is_dumps ? &self->ob_dumps : &self->ob_loads;
            /* Our own bound method (what reading the attribute gives by default) means the
             * default serializer: storing it would make the method call itself. */
            int own = v != NULL && PyCFunction_Check(v) && PyCFunction_GET_SELF(v) == o;
            PyObject *f = v == NULL || v == Py_None || own
                              ? (is_dumps ? default_dumps : default_loads)
                              : v;
            Py_SETREF(*slot, Py_NewRef(f));
            pickle_update_fast(self);
            return 0;
        }
    }
    return PyObject_GenericSetAttr(o, name, v);
}

static PyMethodDef pickle_methods[] = {
    {"dumps", PYMPI_FASTCALL(pickle_dumps), "Serialize object to pickle data stream."},
    {"loads", PYMPI_FASTCALL(pickle_loads), "Deserialize object from pickle data stream."},
    {NULL},
};

static PyGetSetDef pickle_getset[] = {
    {"PROTOCOL", pickle_get_PROTOCOL, pickle_set_PROTOCOL,
     "pickle protocol (None: the serializer's default)", NULL},
    {NULL},
};

static PyTypeObject PyMPIPickle_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Pickle",
    .tp_basicsize = sizeof(PyMPIPickleObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Pickle(dumps=None, loads=None, protocol=None)\n\n"
              "Pickle/unpickle Python objects.",
    .tp_new = pickle_tp_new,
    .tp_init = pickle_init,
    .tp_dealloc = pickle_dealloc,
    .tp_traverse = pickle_traverse,
    .tp_clear = pickle_clear,
    .tp_setattro = pickle_setattro,
    .tp_methods = pickle_methods,
    .tp_getset = pickle_getset,
};

/* MPI4PY_PICKLE_PROTOCOL, else pickle.HIGHEST_PROTOCOL. */
static PyObject *initial_protocol(void)
{
    const char *env = getenv("MPI4PY_PICKLE_PROTOCOL");
    if (env != NULL) {
        PyObject *s = PyUnicode_FromString(env);
        if (s == NULL)
            return NULL;
        PyObject *v = PyLong_FromUnicodeObject(s, 10);
        Py_DECREF(s);
        return v;
    }
    return PyLong_FromLong(highest_protocol);
}

/* pickle.HIGHEST_PROTOCOL without the pickle module: the protocol dumps writes for -1 (a
 * PROTO opcode, then the number). */
static int read_highest_protocol(void)
{
    PyObject *b = PyObject_CallFunction(default_dumps, "Oi", Py_None, -1);
    if (b == NULL)
        return -1;
    if (!PyBytes_Check(b) || PyBytes_GET_SIZE(b) < 2 ||
        (unsigned char)PyBytes_AS_STRING(b)[0] != 0x80) {
        Py_DECREF(b);
        PyErr_SetString(PyExc_RuntimeError, "pickle.dumps(None, -1) wrote no PROTO opcode");
        return -1;
    }
    highest_protocol = (unsigned char)PyBytes_AS_STRING(b)[1];
    Py_DECREF(b);
    return 0;
}

int pympi_init_pickle(PyObject *m)
{
    /* pickle.dumps and pickle.loads are those of _pickle, its C accelerator, which imports
     * in a fraction of pickle's time (no re, struct, ...): `from mpi4py import MPI` stays
     * quick. */
    PyObject *mod = PyImport_ImportModule("_pickle");
    if (mod == NULL && PyErr_ExceptionMatches(PyExc_ImportError)) {
        PyErr_Clear();
        mod = PyImport_ImportModule("pickle");  /* a Python without the accelerator */
    }
    if (mod == NULL)
        return -1;
    default_dumps = PyObject_GetAttrString(mod, "dumps");
    default_loads = PyObject_GetAttrString(mod, "loads");
    Py_DECREF(mod);
    if (default_dumps == NULL || default_loads == NULL || read_highest_protocol() < 0 ||
        (default_protocol = initial_protocol()) == NULL)
        return -1;
    if (PyType_Ready(&PyMPIPickle_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Pickle", (PyObject *)&PyMPIPickle_Type) < 0)
        return -1;
    the_pickle = (PyMPIPickleObject *)PyObject_CallNoArgs((PyObject *)&PyMPIPickle_Type);
    if (the_pickle == NULL)
        return -1;
    return PyModule_AddObjectRef(m, "pickle", (PyObject *)the_pickle);
}
