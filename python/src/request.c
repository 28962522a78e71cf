/*
 * request.c - MPI.Request, MPI.Prequest, MPI.Grequest, and what nonblocking calls keep alive.
 *
 * A request object holds in `ob_buf` whatever MPI still reads or writes (a keeper owning the
 * Py_buffer of a message spec, the pickled bytes of an isend, the buffer an irecv receives
 * into) and drops it as soon as its handle becomes MPI_REQUEST_NULL. Lower-case completion
 * calls (wait, test, waitall, ...) return the unpickled object of an irecv, mpi4py's way.
 *
 * A request object that dies with its operation still pending (an isend whose request was
 * never waited for, Free() on an active request) must not take the buffer with it: handle
 * and buffer move to a list of orphans, tested whenever the list has doubled, and each
 * buffer is released once MPI is done with it.
 */
#include "pympi.h"

#include <stddef.h>
#include <string.h>

#define REQ(o) ((PyMPIRequestObject *)(o))

/* A generalized request also keeps its handle for Complete(), which comes after a wait or
 * Free() may have nulled ob_mpi. */
typedef struct {
    PyMPIRequestObject base;
    MPI_Request ob_grequest;
} PyMPIGrequestObject;

/* ---- keepers -------------------------------------------------------------------------- */

static void keeper_dealloc(PyObject *o)
{
    pympi_keeper *k = (pympi_keeper *)o;
    if (k->view.obj != NULL)
        PyBuffer_Release(&k->view);
    PyMem_RawFree(k->data);
    Py_TYPE(o)->tp_free(o);
}

static PyTypeObject keeper_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI._BufferKeeper",
    .tp_basicsize = sizeof(pympi_keeper),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A buffer held for a pending MPI operation.",
    .tp_dealloc = keeper_dealloc,
};

PyObject *pympi_keeper_new(pympi_msg *m)
{
    pympi_keeper *k = PyObject_New(pympi_keeper, &keeper_type);
    if (k == NULL)
        return NULL;
    memset(&k->view, 0, sizeof k->view);
    k->data = NULL;
    k->size = 0;
    if (m != NULL && m->view.obj != NULL) {
        k->view = m->view;          /* moved: pympi_msg_release will not release it */
        m->view.obj = NULL;
    }
    return (PyObject *)k;
}

void *pympi_keeper_alloc(MPI_Count size, void *state)
{
    pympi_keeper *k = state;
    k->data = PyMem_RawMalloc((size_t)size);
    k->size = size;
    return k->data;
}

/* ---- orphans ---------------------------------------------------------------------------- */

static struct orphan {
    MPI_Request req;
    PyObject *buf;
} *orphans;
static Py_ssize_t norphans, orphans_cap;
/* Swept when the list reaches this length, then twice what remains: amortized O(1) per
 * orphan even when some never complete, and at most a few finished ones waiting. */
static Py_ssize_t orphans_sweep_at = 16;

/* Releases the buffers of orphans whose operations are over. */
static void orphans_sweep(void)
{
    Py_ssize_t j = 0;
    for (Py_ssize_t i = 0; i < norphans; i++) {
        struct orphan *o = &orphans[i];
        int flag = 0;
        int ierr = MPI_Test(&o->req, &flag, MPI_STATUS_IGNORE);
        if (ierr == MPI_SUCCESS && !flag) {
            orphans[j++] = *o;
            continue;
        }
        if (o->req != MPI_REQUEST_NULL)     /* persistent, now inactive */
            MPI_Request_free(&o->req);
        Py_XDECREF(o->buf);
    }
    norphans = j;
}

/* Takes over a pending request and its buffer (the reference is stolen). */
static void orphan_add(MPI_Request req, PyObject *buf)
{
    if (norphans >= orphans_sweep_at) {
        orphans_sweep();
        orphans_sweep_at = norphans * 2 > 16 ? norphans * 2 : 16;
    }
    if (norphans == orphans_cap) {
        Py_ssize_t cap = orphans_cap ? orphans_cap * 2 : 16;
        struct orphan *n = PyMem_Realloc(orphans, (size_t)cap * sizeof *n);
        if (n == NULL) {
            /* Keep the buffer forever rather than let MPI write into freed memory. */
            MPI_Request_free(&req);
            return;
        }
        orphans = n;
        orphans_cap = cap;
    }
    orphans[norphans++] = (struct orphan){req, buf};
}

/* A request object gives up its operation (dealloc, Free): MPI carries a pending one to its
 * end while the orphans keep its buffer; a finished one is freed now. Steals buf. */
static void request_let_go(MPI_Request req, PyObject *buf)
{
    int finalized = 1, done = 1;
    MPI_Finalized(&finalized);
    if (!finalized && MPI_Request_get_status(req, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS &&
        !done) {
        orphan_add(req, buf);
        return;
    }
    if (!finalized)
        MPI_Request_free(&req);
    Py_XDECREF(buf);
}

/* ---- request objects -------------------------------------------------------------------- */

PyObject *pympi_request_new(PyTypeObject *type, MPI_Request req, PyObject *buf, int kind)
{
    PyMPIRequestObject *self = (PyMPIRequestObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = req;
    self->flags = req != MPI_REQUEST_NULL ? PYMPI_OWNED : 0;
    self->ob_buf = Py_XNewRef(buf);
    self->ob_kind = kind;
    return (PyObject *)self;
}

static void request_dealloc(PyObject *self)
{
    PyMPIRequestObject *r = REQ(self);
    if ((r->flags & PYMPI_OWNED) && r->ob_mpi != MPI_REQUEST_NULL &&
        !PyObject_TypeCheck(self, &PyMPIGrequest_Type)) {
        request_let_go(r->ob_mpi, r->ob_buf);
        r->ob_buf = NULL;
    }
    Py_CLEAR(r->ob_buf);
    Py_TYPE(self)->tp_free(self);
}

/* Request(request=None): a second object for the same handle (it does not own it). */
static PyObject *request_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *other = NULL;
    static char *kwlist[] = {"request", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:Request", kwlist, &other))
        return NULL;
    if (other == NULL || other == Py_None)
        return pympi_request_new(type, MPI_REQUEST_NULL, NULL, PYMPI_REQ_PLAIN);
    if (!PyObject_TypeCheck(other, &PyMPIRequest_Type)) {
        PyErr_Format(PyExc_TypeError, "request: expected an MPI.Request, got %.100s",
                     Py_TYPE(other)->tp_name);
        return NULL;
    }
    PyObject *r = pympi_request_new(type, MPI_REQUEST_NULL, REQ(other)->ob_buf,
                                    REQ(other)->ob_kind);
    if (r != NULL)
        REQ(r)->ob_mpi = REQ(other)->ob_mpi;
    return r;
}

/* After a completion call: a request whose handle is now null no longer needs its buffer. */
static inline void request_settle(PyMPIRequestObject *r)
{
    if (r->ob_mpi == MPI_REQUEST_NULL)
        Py_CLEAR(r->ob_buf);
}

/* The object a completed request delivers to the lower-case calls: the unpickled message of
 * an irecv, else None. Call before request_settle. */
static PyObject *request_object(PyMPIRequestObject *r, const MPI_Status *st)
{
    if (r->ob_kind != PYMPI_REQ_OBJ_RECV || r->ob_buf == NULL ||
        !Py_IS_TYPE(r->ob_buf, &keeper_type) || st->MPI_SOURCE == MPI_PROC_NULL)
        Py_RETURN_NONE;
    pympi_keeper *k = (pympi_keeper *)r->ob_buf;
    if (k->data != NULL)                /* allocated for the message: exactly its size */
        return pympi_pickle_loads(k->data, (Py_ssize_t)k->size);
    MPI_Count count = 0;
    if (MPI_Get_elements_x(st, MPI_BYTE, &count) != MPI_SUCCESS || count <= 0)
        Py_RETURN_NONE;
    return pympi_pickle_loads((const char *)k->view.buf, (Py_ssize_t)count);
}

/* Optional `status` argument (None or absent: ignore). */
static int status_arg(PyObject *o, MPI_Status **st)
{
    *st = MPI_STATUS_IGNORE;
    return o == NULL || pympi_conv_status(o, st) ? 0 : -1;
}

static PyObject *request_Wait(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    static const char *const names[] = {"status"};
    PyObject *a[1];
    MPI_Status *st;
    if (pympi_bind_args("Wait", names, 0, 1, args, nargs, kwnames, a) < 0 ||
        status_arg(a[0], &st) < 0)
        return NULL;
    PyMPIRequestObject *r = REQ(self);
    int ierr;
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Wait(&r->ob_mpi, st);
    Py_END_ALLOW_THREADS
    request_settle(r);
    if (ierr != MPI_SUCCESS)
        return pympi_raise(ierr), NULL;
    Py_RETURN_TRUE;
}

static PyObject *request_Test(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    static const char *const names[] = {"status"};
    PyObject *a[1];
    MPI_Status *st;
    if (pympi_bind_args("Test", names, 0, 1, args, nargs, kwnames, a) < 0 ||
        status_arg(a[0], &st) < 0)
        return NULL;
    PyMPIRequestObject *r = REQ(self);
    int flag = 0;
    int ierr = MPI_Test(&r->ob_mpi, &flag, st);
    request_settle(r);
    if (ierr != MPI_SUCCESS)
        return pympi_raise(ierr), NULL;
    return PyBool_FromLong(flag);
}

static PyObject *request_Get_status(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                    PyObject *kwnames)
{
    static const char *const names[] = {"status"};
    PyObject *a[1];
    MPI_Status *st;
    if (pympi_bind_args("Get_status", names, 0, 1, args, nargs, kwnames, a) < 0 ||
        status_arg(a[0], &st) < 0)
        return NULL;
    int flag = 0;
    PYMPI_CHK(MPI_Request_get_status(REQ(self)->ob_mpi, &flag, st));
    return PyBool_FromLong(flag);
fail:
    return NULL;
}

/* Free(): the request goes; a pending operation still completes (its buffer is kept by the
 * orphans until then). */
static PyObject *request_Free(PyObject *self, PyObject *unused)
{
    PyMPIRequestObject *r = REQ(self);
    if (r->ob_mpi != MPI_REQUEST_NULL && !PyObject_TypeCheck(self, &PyMPIGrequest_Type)) {
        request_let_go(r->ob_mpi, r->ob_buf);
        r->ob_buf = NULL;
        r->ob_mpi = MPI_REQUEST_NULL;
        Py_RETURN_NONE;
    }
    PYMPI_CHK(MPI_Request_free(&r->ob_mpi));
    request_settle(r);
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *request_Cancel(PyObject *self, PyObject *unused)
{
    PYMPI_CHK(MPI_Cancel(&REQ(self)->ob_mpi));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *request_py2f(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(MPI_Request_toint(REQ(self)->ob_mpi));
}

static PyObject *request_f2py(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    static const char *const names[] = {"arg"};
    PyObject *a[1];
    int v;
    if (pympi_bind_args("f2py", names, 1, 1, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[0], 0, "arg", &v) < 0)
        return NULL;
    PyObject *r = pympi_request_new((PyTypeObject *)cls, MPI_REQUEST_NULL, NULL,
                                    PYMPI_REQ_PLAIN);
    if (r != NULL)
        REQ(r)->ob_mpi = MPI_Request_fromint(v);
    return r;
}

/* ---- lower-case completion of one request ---------------------------------------------- */

static PyObject *request_wait(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    static const char *const names[] = {"status"};
    PyObject *a[1];
    MPI_Status *ust, st;
    if (pympi_bind_args("wait", names, 0, 1, args, nargs, kwnames, a) < 0 ||
        status_arg(a[0], &ust) < 0)
        return NULL;
    PyMPIRequestObject *r = REQ(self);
    int ierr;
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Wait(&r->ob_mpi, &st);
    Py_END_ALLOW_THREADS
    if (ust != MPI_STATUS_IGNORE)
        *ust = st;
    PyObject *obj = ierr == MPI_SUCCESS ? request_object(r, &st) : NULL;
    request_settle(r);
    if (ierr != MPI_SUCCESS)
        return pympi_raise(ierr), NULL;
    return obj;
}

static PyObject *request_test(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    static const char *const names[] = {"status"};
    PyObject *a[1];
    MPI_Status *ust, st;
    if (pympi_bind_args("test", names, 0, 1, args, nargs, kwnames, a) < 0 ||
        status_arg(a[0], &ust) < 0)
        return NULL;
    PyMPIRequestObject *r = REQ(self);
    int flag = 0;
    int ierr = MPI_Test(&r->ob_mpi, &flag, &st);
    if (ust != MPI_STATUS_IGNORE && flag)
        *ust = st;
    PyObject *obj = ierr != MPI_SUCCESS ? NULL : flag ? request_object(r, &st) : Py_NewRef(Py_None);
    request_settle(r);
    if (ierr != MPI_SUCCESS)
        return pympi_raise(ierr), NULL;
    if (obj == NULL)
        return NULL;
    return Py_BuildValue("(NN)", PyBool_FromLong(flag), obj);
}

static PyObject *request_get_status(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                    PyObject *kwnames)
{
    return request_Get_status(self, args, nargs, kwnames);
}

/* ---- lists of requests -------------------------------------------------------------------- */

#define REQS_INLINE 16

/* The request objects of a sequence (referenced: the sequence may change while a wait runs
 * without the GIL), their handles, and room for their statuses. */
struct reqs {
    Py_ssize_t n;
    PyObject **obj;
    MPI_Request *h;
    MPI_Status *st;
    int *idx;                   /* Waitsome/Testsome: completed indices */
    PyObject *obj0[REQS_INLINE];
    MPI_Request h0[REQS_INLINE];
    MPI_Status st0[REQS_INLINE];
    int idx0[REQS_INLINE];
};

static void reqs_release(struct reqs *a)
{
    for (Py_ssize_t i = 0; i < a->n; i++)
        Py_XDECREF(a->obj[i]);
    if (a->obj != a->obj0) {
        PyMem_Free(a->obj);
        PyMem_Free(a->h);
        PyMem_Free(a->st);
        PyMem_Free(a->idx);
    }
}

static int reqs_acquire(PyObject *requests, struct reqs *a)
{
    PyObject *seq = PySequence_Fast(requests, "requests: expected a sequence of MPI.Request");
    if (seq == NULL)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    a->n = 0;
    a->obj = a->obj0;
    a->h = a->h0;
    a->st = a->st0;
    a->idx = a->idx0;
    if (n > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "requests: too many requests");
        goto fail;
    }
    if (n > REQS_INLINE) {
        a->obj = PyMem_New(PyObject *, n);
        a->h = PyMem_New(MPI_Request, n);
        a->st = PyMem_New(MPI_Status, n);
        a->idx = PyMem_New(int, n);
        if (a->obj == NULL || a->h == NULL || a->st == NULL || a->idx == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
    }
    PyObject **items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyObject_TypeCheck(items[i], &PyMPIRequest_Type)) {
            PyErr_Format(PyExc_TypeError, "requests[%zd]: expected an MPI.Request, got %.100s",
                         i, Py_TYPE(items[i])->tp_name);
            goto fail;
        }
        a->obj[i] = Py_NewRef(items[i]);
        a->h[i] = REQ(items[i])->ob_mpi;
        a->n = i + 1;
    }
    Py_DECREF(seq);
    return 0;
fail:
    reqs_release(a);
    Py_DECREF(seq);
    return -1;
}

static inline PyMPIRequestObject *reqs_item(struct reqs *a, Py_ssize_t i)
{
    return REQ(a->obj[i]);
}

/* Copies the handles back into the objects and drops the buffers of the finished ones. */
static void reqs_settle(struct reqs *a)
{
    for (Py_ssize_t i = 0; i < a->n; i++) {
        PyMPIRequestObject *r = reqs_item(a, i);
        r->ob_mpi = a->h[i];
        request_settle(r);
    }
}

/* `statuses`: None, or a list of MPI.Status (checked before the call, filled after). */
static int statuses_check(PyObject *statuses)
{
    if (statuses == NULL || statuses == Py_None)
        return 0;
    if (!PyList_Check(statuses)) {
        PyErr_Format(PyExc_TypeError, "statuses: expected a list of MPI.Status, got %.100s",
                     Py_TYPE(statuses)->tp_name);
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(statuses); i++) {
        if (!PyObject_TypeCheck(PyList_GET_ITEM(statuses, i), &PyMPIStatus_Type)) {
            PyErr_Format(PyExc_TypeError, "statuses[%zd]: expected an MPI.Status, got %.100s",
                         i, Py_TYPE(PyList_GET_ITEM(statuses, i))->tp_name);
            return -1;
        }
    }
    return 0;
}

/* Stores st[0:n] into the list, appending new Status objects where it is short. */
static int statuses_fill(PyObject *statuses, const MPI_Status *st, Py_ssize_t n)
{
    if (statuses == NULL || statuses == Py_None)
        return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = i < PyList_GET_SIZE(statuses) ? PyList_GET_ITEM(statuses, i) : NULL;
        if (s != NULL && PyObject_TypeCheck(s, &PyMPIStatus_Type)) {
            ((PyMPIStatusObject *)s)->ob_mpi = st[i];
            continue;
        }
        if ((s = pympi_status_new(&st[i])) == NULL)
            return -1;
        if (i < PyList_GET_SIZE(statuses)) {
            PyList_SetItem(statuses, i, s);     /* steals s */
        } else {
            int r = PyList_Append(statuses, s);
            Py_DECREF(s);
            if (r < 0)
                return -1;
        }
    }
    return 0;
}

enum { WAITANY, TESTANY, WAITALL, TESTALL, WAITSOME, TESTSOME };

/* The objects lower-case calls return for requests idx[0:n] (all when idx is NULL). */
static PyObject *reqs_objects(struct reqs *a, const int *idx, Py_ssize_t n)
{
    PyObject *list = PyList_New(n);
    for (Py_ssize_t k = 0; list != NULL && k < n; k++) {
        Py_ssize_t i = idx ? idx[k] : k;
        PyObject *o = request_object(reqs_item(a, i), &a->st[k]);
        if (o == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, k, o);
    }
    return list;
}

static PyObject *int_list(const int *v, Py_ssize_t n)
{
    PyObject *list = PyList_New(n);
    for (Py_ssize_t k = 0; list != NULL && k < n; k++) {
        PyObject *o = PyLong_FromLong(v[k]);
        if (o == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, k, o);
    }
    return list;
}

/* Every Waitany ... testsome: one call, the handles written back, statuses filled, then the
 * result in the upper-case or lower-case (objects) form. */
static PyObject *complete_many(const char *fname, int op, int lower, PyObject *const *args,
                               Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const any_names[] = {"requests", "status"};
    static const char *const all_names[] = {"requests", "statuses"};
    int is_any = op == WAITANY || op == TESTANY;
    PyObject *a[2];
    MPI_Status *ust = MPI_STATUS_IGNORE;
    if (pympi_bind_args(fname, is_any ? any_names : all_names, 1, 2, args, nargs, kwnames, a) <
            0 ||
        (is_any ? status_arg(a[1], &ust) : statuses_check(a[1])) < 0)
        return NULL;
    struct reqs q;
    if (reqs_acquire(a[0], &q) < 0)
        return NULL;
    int n = (int)q.n, index = MPI_UNDEFINED, flag = 0, outcount = MPI_UNDEFINED, ierr, errclass;
    PyThreadState *ts = op == WAITANY || op == WAITALL || op == WAITSOME ? PyEval_SaveThread()
                                                                          : NULL;
    switch (op) {
    case WAITANY: ierr = MPI_Waitany(n, q.h, &index, &q.st[0]); flag = 1; break;
    case TESTANY: ierr = MPI_Testany(n, q.h, &index, &flag, &q.st[0]); break;
    case WAITALL: ierr = MPI_Waitall(n, q.h, q.st); flag = 1; break;
    case TESTALL: ierr = MPI_Testall(n, q.h, &flag, q.st); break;
    case WAITSOME: ierr = MPI_Waitsome(n, q.h, &outcount, q.idx, q.st); break;
    default: ierr = MPI_Testsome(n, q.h, &outcount, q.idx, q.st); break;
    }
    if (ts != NULL)
        PyEval_RestoreThread(ts);

    /* Objects first: settling drops the buffers they are read from. */
    PyObject *objs = NULL;
    if (ierr == MPI_SUCCESS && lower) {
        if (is_any)
            objs = index != MPI_UNDEFINED && flag ? request_object(reqs_item(&q, index), &q.st[0])
                                                  : Py_NewRef(Py_None);
        else if (op == WAITALL || op == TESTALL)
            objs = flag ? reqs_objects(&q, NULL, q.n) : Py_NewRef(Py_None);
        else
            objs = outcount != MPI_UNDEFINED ? reqs_objects(&q, q.idx, outcount)
                                             : Py_NewRef(Py_None);
    }
    reqs_settle(&q);
    int bad = ierr != MPI_SUCCESS || (lower && objs == NULL);
    if (is_any) {
        if (ust != MPI_STATUS_IGNORE && flag && ierr == MPI_SUCCESS)
            *ust = q.st[0];
    } else if (flag || (outcount != MPI_UNDEFINED && outcount > 0) ||
               (ierr != MPI_SUCCESS && MPI_Error_class(ierr, &errclass) == MPI_SUCCESS &&
                errclass == MPI_ERR_IN_STATUS)) {
        Py_ssize_t nst = op == WAITALL || op == TESTALL ? q.n : outcount;
        if (nst > 0 && statuses_fill(a[1], q.st, nst) < 0)
            bad = 1;
    }
    PyObject *result = NULL;
    if (ierr != MPI_SUCCESS) {
        pympi_raise(ierr);
    } else if (!bad) {
        PyObject *idx = outcount == MPI_UNDEFINED ? Py_NewRef(Py_None) : int_list(q.idx, outcount);
        switch (op) {
        case WAITANY:
            result = lower ? Py_BuildValue("(iO)", index, objs) : PyLong_FromLong(index);
            break;
        case TESTANY:
            result = lower ? Py_BuildValue("(iOO)", index, flag ? Py_True : Py_False, objs)
                           : Py_BuildValue("(iO)", index, flag ? Py_True : Py_False);
            break;
        case WAITALL:
            result = lower ? Py_NewRef(objs) : Py_NewRef(Py_True);
            break;
        case TESTALL:
            result = lower ? Py_BuildValue("(OO)", flag ? Py_True : Py_False, objs)
                           : PyBool_FromLong(flag);
            break;
        default:
            if (idx != NULL)
                result = lower ? Py_BuildValue("(OO)", idx, objs) : Py_NewRef(idx);
            break;
        }
        Py_XDECREF(idx);
    }
    Py_XDECREF(objs);
    reqs_release(&q);
    return result;
}

#define COMPLETE_MANY(name, op, lower)                                                        \
    static PyObject *request_##name(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,   \
                                    PyObject *kwnames)                                        \
    {                                                                                         \
        return complete_many(#name, op, lower, args, nargs, kwnames);                         \
    }
COMPLETE_MANY(Waitany, WAITANY, 0)
COMPLETE_MANY(Testany, TESTANY, 0)
COMPLETE_MANY(Waitall, WAITALL, 0)
COMPLETE_MANY(Testall, TESTALL, 0)
COMPLETE_MANY(Waitsome, WAITSOME, 0)
COMPLETE_MANY(Testsome, TESTSOME, 0)
COMPLETE_MANY(waitany, WAITANY, 1)
COMPLETE_MANY(testany, TESTANY, 1)
COMPLETE_MANY(waitall, WAITALL, 1)
COMPLETE_MANY(testall, TESTALL, 1)
COMPLETE_MANY(waitsome, WAITSOME, 1)
COMPLETE_MANY(testsome, TESTSOME, 1)

#define CLASS_FASTCALL(fn) PYMPI_FASTCALL(fn) | METH_CLASS

static PyMethodDef request_methods[] = {
    {"Wait", PYMPI_FASTCALL(request_Wait), "Wait for the request to complete."},
    {"Test", PYMPI_FASTCALL(request_Test), "Test whether the request has completed."},
    {"Free", request_Free, METH_NOARGS, "Free the request (a pending operation completes)."},
    {"Get_status", PYMPI_FASTCALL(request_Get_status),
     "Whether the request has completed, without completing it."},
    {"Waitany", CLASS_FASTCALL(request_Waitany), "Wait for any of the requests."},
    {"Testany", CLASS_FASTCALL(request_Testany), "Test for completion of any request."},
    {"Waitall", CLASS_FASTCALL(request_Waitall), "Wait for all the requests."},
    {"Testall", CLASS_FASTCALL(request_Testall), "Test for completion of all requests."},
    {"Waitsome", CLASS_FASTCALL(request_Waitsome), "Wait for some of the requests."},
    {"Testsome", CLASS_FASTCALL(request_Testsome), "Test for completion of some requests."},
    {"Cancel", request_Cancel, METH_NOARGS, "Cancel the communication request."},
    {"py2f", request_py2f, METH_NOARGS, "Integer handle of the request."},
    {"f2py", CLASS_FASTCALL(request_f2py), "Request from an integer handle."},
    {"wait", PYMPI_FASTCALL(request_wait), "Wait for completion; return the received object."},
    {"test", PYMPI_FASTCALL(request_test),
     "Test for completion; return (flag, received object)."},
    {"get_status", PYMPI_FASTCALL(request_get_status),
     "Whether the request has completed, without completing it."},
    {"waitany", CLASS_FASTCALL(request_waitany),
     "Wait for any request; return (index, object)."},
    {"testany", CLASS_FASTCALL(request_testany),
     "Test for any request; return (index, flag, object)."},
    {"waitall", CLASS_FASTCALL(request_waitall),
     "Wait for all requests; return the list of objects."},
    {"testall", CLASS_FASTCALL(request_testall),
     "Test for all requests; return (flag, list of objects or None)."},
    {"waitsome", CLASS_FASTCALL(request_waitsome),
     "Wait for some requests; return (indices, objects)."},
    {"testsome", CLASS_FASTCALL(request_testsome),
     "Test for some requests; return (indices, objects)."},
    {"cancel", request_Cancel, METH_NOARGS, "Cancel the communication request."},
    {NULL},
};

PYMPI_HANDLE_COMPARE(request, Request, MPI_REQUEST_NULL)

static PyNumberMethods request_as_number = {.nb_bool = request_bool};

PyTypeObject PyMPIRequest_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Request",
    .tp_basicsize = sizeof(PyMPIRequestObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Request(request=None)\n\nRequest handle.",
    .tp_new = request_tp_new,
    .tp_dealloc = request_dealloc,
    .tp_richcompare = request_richcompare,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_as_number = &request_as_number,
    .tp_methods = request_methods,
};

/* ---- Prequest ------------------------------------------------------------------------------ */

static PyObject *prequest_Start(PyObject *self, PyObject *unused)
{
    PYMPI_CHK(MPI_Start(&REQ(self)->ob_mpi));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *prequest_Startall(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                                   PyObject *kwnames)
{
    static const char *const names[] = {"requests"};
    PyObject *a[1];
    struct reqs q;
    if (pympi_bind_args("Startall", names, 1, 1, args, nargs, kwnames, a) < 0 ||
        reqs_acquire(a[0], &q) < 0)
        return NULL;
    int ierr = MPI_Startall((int)q.n, q.h);
    reqs_settle(&q);
    reqs_release(&q);
    if (ierr != MPI_SUCCESS)
        return pympi_raise(ierr), NULL;
    Py_RETURN_NONE;
}

static PyMethodDef prequest_methods[] = {
    {"Start", prequest_Start, METH_NOARGS, "Start the persistent request."},
    {"Startall", CLASS_FASTCALL(prequest_Startall), "Start a list of persistent requests."},
    {NULL},
};

PyTypeObject PyMPIPrequest_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Prequest",
    .tp_basicsize = sizeof(PyMPIRequestObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Prequest(request=None)\n\nPersistent request handle.",
    .tp_new = request_tp_new,
    .tp_methods = prequest_methods,
};

/* ---- Grequest ------------------------------------------------------------------------------ */

/* The Python side of a generalized request: MPI owns it and frees it in free_fn. */
struct greq_state {
    PyObject *query_fn, *free_fn, *cancel_fn, *args, *kargs;
};

/* fn(first, *args, **kargs) (first may be NULL); the MPI error code of the outcome: an
 * MPI.Exception gives its code, any other exception is reported and gives MPI_ERR_OTHER. */
static int greq_call(struct greq_state *g, PyObject *fn, PyObject *first)
{
    if (fn == NULL || fn == Py_None)
        return MPI_SUCCESS;
    PyObject *args = g->args;
    if (first != NULL) {
        PyObject *one = PyTuple_Pack(1, first);
        args = one ? PySequence_Concat(one, g->args) : NULL;
        Py_XDECREF(one);
    } else {
        Py_INCREF(args);
    }
    PyObject *r = args ? PyObject_Call(fn, args, g->kargs) : NULL;
    Py_XDECREF(args);
    if (r != NULL) {
        Py_DECREF(r);
        return MPI_SUCCESS;
    }
    int ierr = MPI_ERR_OTHER;
    if (PyErr_ExceptionMatches(pympi_Exception)) {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        PyObject *code = value ? PyObject_CallMethod(value, "Get_error_code", NULL) : NULL;
        if (code != NULL)
            ierr = (int)PyLong_AsLong(code);
        Py_XDECREF(code);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        PyErr_Clear();
        if (ierr == MPI_SUCCESS)
            ierr = MPI_ERR_OTHER;
    } else {
        PyErr_WriteUnraisable(fn);
    }
    return ierr;
}

static int greq_query(void *extra, MPI_Status *status)
{
    PyGILState_STATE gs = PyGILState_Ensure();
    struct greq_state *g = extra;
    PyObject *st = pympi_status_new(status);
    int ierr = st ? greq_call(g, g->query_fn, st) : MPI_ERR_NO_MEM;
    if (st != NULL && ierr == MPI_SUCCESS)
        *status = ((PyMPIStatusObject *)st)->ob_mpi;
    Py_XDECREF(st);
    PyErr_Clear();
    PyGILState_Release(gs);
    return ierr;
}

static void greq_state_free(struct greq_state *g)
{
    Py_XDECREF(g->query_fn);
    Py_XDECREF(g->free_fn);
    Py_XDECREF(g->cancel_fn);
    Py_XDECREF(g->args);
    Py_XDECREF(g->kargs);
    PyMem_RawFree(g);
}

static int greq_free(void *extra)
{
    PyGILState_STATE gs = PyGILState_Ensure();
    struct greq_state *g = extra;
    int ierr = greq_call(g, g->free_fn, NULL);
    greq_state_free(g);
    PyGILState_Release(gs);
    return ierr;
}

static int greq_cancel(void *extra, int complete)
{
    PyGILState_STATE gs = PyGILState_Ensure();
    struct greq_state *g = extra;
    int ierr = greq_call(g, g->cancel_fn, complete ? Py_True : Py_False);
    PyGILState_Release(gs);
    return ierr;
}

static PyObject *grequest_Start(PyObject *cls, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames)
{
    static const char *const names[] = {"query_fn", "free_fn", "cancel_fn", "args", "kargs"};
    PyObject *a[5];
    if (pympi_bind_args("Start", names, 3, 5, args, nargs, kwnames, a) < 0)
        return NULL;
    for (int i = 0; i < 3; i++) {
        if (a[i] != Py_None && !PyCallable_Check(a[i])) {
            PyErr_Format(PyExc_TypeError, "%s: expected a callable, got %.100s", names[i],
                         Py_TYPE(a[i])->tp_name);
            return NULL;
        }
    }
    PyObject *fargs = a[3] == NULL || a[3] == Py_None ? PyTuple_New(0) : PySequence_Tuple(a[3]);
    if (fargs == NULL)
        return NULL;
    if (a[4] != NULL && a[4] != Py_None && !PyDict_Check(a[4])) {
        Py_DECREF(fargs);
        PyErr_Format(PyExc_TypeError, "kargs: expected a dict, got %.100s",
                     Py_TYPE(a[4])->tp_name);
        return NULL;
    }
    struct greq_state *g = PyMem_RawMalloc(sizeof *g);
    if (g == NULL) {
        Py_DECREF(fargs);
        return PyErr_NoMemory();
    }
    *g = (struct greq_state){Py_NewRef(a[0]), Py_NewRef(a[1]), Py_NewRef(a[2]), fargs, NULL};
    if (a[4] != NULL && a[4] != Py_None && (g->kargs = PyDict_Copy(a[4])) == NULL) {
        greq_state_free(g);
        return NULL;
    }
    MPI_Request req = MPI_REQUEST_NULL;
    int ierr = MPI_Grequest_start(greq_query, greq_free, greq_cancel, g, &req);
    if (ierr != MPI_SUCCESS) {
        greq_state_free(g);
        return pympi_raise(ierr), NULL;
    }
    PyObject *r = pympi_request_new((PyTypeObject *)cls, req, NULL, PYMPI_REQ_PLAIN);
    if (r == NULL) {
        /* Nobody can complete it now: let it go. */
        MPI_Grequest_complete(req);
        MPI_Request_free(&req);
        return NULL;
    }
    ((PyMPIGrequestObject *)r)->ob_grequest = req;
    return r;
}

static PyObject *grequest_Complete(PyObject *self, PyObject *unused)
{
    PYMPI_CHK(MPI_Grequest_complete(((PyMPIGrequestObject *)self)->ob_grequest));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *grequest_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *r = request_tp_new(type, args, kwds);
    if (r != NULL) {
        PyObject *other = args && PyTuple_GET_SIZE(args) ? PyTuple_GET_ITEM(args, 0) : NULL;
        ((PyMPIGrequestObject *)r)->ob_grequest =
            other && PyObject_TypeCheck(other, &PyMPIGrequest_Type)
                ? ((PyMPIGrequestObject *)other)->ob_grequest
                : REQ(r)->ob_mpi;
    }
    return r;
}

static PyMethodDef grequest_methods[] = {
    {"Start", CLASS_FASTCALL(grequest_Start),
     "Start a generalized request: Start(query_fn, free_fn, cancel_fn, args=None, "
     "kargs=None)."},
    {"Complete", grequest_Complete, METH_NOARGS, "Notify that the operation is complete."},
    {NULL},
};

PyTypeObject PyMPIGrequest_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Grequest",
    .tp_basicsize = sizeof(PyMPIGrequestObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Grequest(request=None)\n\nGeneralized request handle.",
    .tp_new = grequest_tp_new,
    .tp_methods = grequest_methods,
};

int pympi_init_request(PyObject *m)
{
    PyMPIPrequest_Type.tp_base = &PyMPIRequest_Type;
    PyMPIGrequest_Type.tp_base = &PyMPIRequest_Type;
    if (PyType_Ready(&keeper_type) < 0 || PyType_Ready(&PyMPIRequest_Type) < 0 ||
        PyType_Ready(&PyMPIPrequest_Type) < 0 || PyType_Ready(&PyMPIGrequest_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Request", (PyObject *)&PyMPIRequest_Type) < 0 ||
        PyModule_AddObjectRef(m, "Prequest", (PyObject *)&PyMPIPrequest_Type) < 0 ||
        PyModule_AddObjectRef(m, "Grequest", (PyObject *)&PyMPIGrequest_Type) < 0)
        return -1;
    PyObject *null = pympi_request_new(&PyMPIRequest_Type, MPI_REQUEST_NULL, NULL, 0);
    return null == NULL ? -1 : PyModule_AddObject(m, "REQUEST_NULL", null);
}
