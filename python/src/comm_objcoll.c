/*
 * comm_objcoll.c - the lower-case collectives: barrier, bcast, gather, scatter, allgather,
 * alltoall, reduce, allreduce (Comm), scan, exscan (Intracomm), neighbor_allgather and
 * neighbor_alltoall (Topocomm). Objects travel as the bytes of MPI.pickle.dumps; reductions
 * run in Python, in rank order, where the result is needed (pympi_op_apply).
 *
 * Each object is pickled once and moved by the C collectives. bcast, and allgather (with
 * allreduce, scan and exscan over it) on an intracommunicator, move a fixed slot per process
 * that carries the pickle inline when it is small: one collective in the common case, a
 * second one only when some pickle did not fit, which every process can tell from the slots.
 * The other forms exchange the lengths first, then the bytes with the v-collective.
 *
 * A process whose object cannot be pickled still takes part, sending a length of -1 and
 * no bytes, then raises its error; the processes that expected that object raise
 * RuntimeError naming it. Nothing is left waiting for a message that never comes.
 */
#include "pympi.h"

#include <limits.h>
#include <string.h>

#define COMM(self) (((PyMPICommObject *)(self))->ob_mpi)

static PyObject *raise_null(int ierr)
{
    pympi_raise(ierr);
    return NULL;
}

/* ---- pickles --------------------------------------------------------------------------- */

enum { SLOT_SIZE = 256 };

/* One process's part of a slotted collective: the pickle's length (-1: none) and, when it
 * fits, the pickle itself. */
struct slot {
    int64_t len;
    char data[SLOT_SIZE - sizeof(int64_t)];
};

/* Pickles `obj`: a bytes object and its length, or NULL with the exception set and
 * *len = -1 for the caller to send on. */
static PyObject *dump(PyObject *obj, int *len)
{
    PyObject *data = pympi_pickle_dumps(obj);
    if (data != NULL && pympi_int_count(PyBytes_GET_SIZE(data), "obj", len) < 0)
        Py_CLEAR(data);
    if (data == NULL)
        *len = -1;
    return data;
}

static PyObject *load(const char *buf, Py_ssize_t len)
{
    return len == 0 ? Py_NewRef(Py_None) : pympi_pickle_loads(buf, len);
}

static PyObject *lost(const char *fname, int rank)
{
    PyErr_Format(PyExc_RuntimeError, "%s: process %d could not pickle its object", fname,
                 rank);
    return NULL;
}

/*
 * Receive counts from exchanged lengths: a negative one (nothing was sent) becomes 0 and
 * the first such process lands in *bad (else -1). Fills displs; returns the total, or -1
 * with OverflowError when it exceeds MPI's int displacements.
 */
static Py_ssize_t layout(int *counts, int *displs, int n, int *bad)
{
    long long total = 0;
    *bad = -1;
    for (int i = 0; i < n; i++) {
        if (counts[i] < 0) {
            if (*bad < 0)
                *bad = i;
            counts[i] = 0;
        }
        displs[i] = (int)total;
        total += counts[i];
        if (total > INT_MAX) {
            PyErr_SetString(PyExc_OverflowError, "the pickled objects exceed 2 GiB in all");
            return -1;
        }
    }
    return (Py_ssize_t)total;
}

/* A list of n objects unpickled from counts/displs in buf (empty blocks are None). */
static PyObject *load_list(const char *buf, const int *counts, const int *displs, int n)
{
    PyObject *list = PyList_New(n);
    if (list == NULL)
        return NULL;
    for (int i = 0; i < n; i++) {
        PyObject *o = load(buf + displs[i], counts[i]);
        if (o == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, o);
    }
    return list;
}

/*
 * Pickles the items of `seq` (one per process, n in all; None stands for n Nones) into one
 * buffer with counts and displs (n each). Returns the buffer (PyMem), or NULL with the
 * exception set and every count -1 so the caller still takes part.
 */
static char *dump_items(PyObject *seq, int n, int *counts, int *displs)
{
    PyObject *fast = NULL, **parts = NULL;
    char *buf = NULL;
    long long total = 0;
    int i, done = 0;
    if (seq != Py_None) {
        fast = PySequence_Fast(seq, "expected a sequence of objects, one per process");
        if (fast == NULL)
            goto fail;
        if (PySequence_Fast_GET_SIZE(fast) != n) {
            PyErr_Format(PyExc_ValueError, "expecting %d items, got %zd", n,
                         PySequence_Fast_GET_SIZE(fast));
            goto fail;
        }
    }
    if ((parts = PyMem_Calloc(n > 0 ? (size_t)n : 1, sizeof *parts)) == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (done = 0; done < n; done++) {
        PyObject *item = fast ? PySequence_Fast_GET_ITEM(fast, done) : Py_None;
        if ((parts[done] = dump(item, &counts[done])) == NULL)
            goto fail;
        displs[done] = (int)total;
        total += counts[done];
        if (total > INT_MAX) {
            done++;
            PyErr_SetString(PyExc_OverflowError, "the pickled objects exceed 2 GiB in all");
            goto fail;
        }
    }
    if ((buf = PyMem_Malloc(total > 0 ? (size_t)total : 1)) == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (i = 0; i < n; i++)
        memcpy(buf + displs[i], PyBytes_AS_STRING(parts[i]), (size_t)counts[i]);
    goto out;
fail:
    for (i = 0; i < n; i++)
        counts[i] = -1, displs[i] = 0;
out:
    for (i = 0; i < done; i++)
        Py_XDECREF(parts[i]);
    PyMem_Free(parts);
    Py_XDECREF(fast);
    return buf;
}

/* Where the collectives' communicator puts this process (mpi4py's root rules). */
struct roles {
    int inter, rank, size;      /* size: of the group the blocks come from (remote if inter) */
    int at_root, contributes;
};

static int get_roles(MPI_Comm comm, int root, struct roles *r)
{
    int ierr;
    r->rank = 0;
    if ((ierr = MPI_Comm_test_inter(comm, &r->inter)) != MPI_SUCCESS ||
        (ierr = (r->inter ? MPI_Comm_remote_size(comm, &r->size)
                          : MPI_Comm_size(comm, &r->size))) != MPI_SUCCESS ||
        (!r->inter && (ierr = MPI_Comm_rank(comm, &r->rank)) != MPI_SUCCESS))
        return pympi_raise(ierr);
    r->at_root = r->inter ? root == MPI_ROOT : root == r->rank;
    r->contributes = r->inter ? root != MPI_ROOT && root != MPI_PROC_NULL : 1;
    return 0;
}

/* ---- reductions in Python ----------------------------------------------------------------- */

/* x op y: an MPI.Op as Op.__call__ applies it, or any callable. */
static PyObject *objop_apply(PyObject *op, PyObject *x, PyObject *y)
{
    if (PyObject_TypeCheck(op, &PyMPIOp_Type))
        return pympi_op_apply(((PyMPIOpObject *)op)->ob_mpi, x, y);
    PyObject *args[2] = {x, y};
    return PyObject_Vectorcall(op, args, 2, NULL);
}

/* The op argument of the lower-case reductions: an MPI.Op or a callable (NULL -> SUM). */
static PyObject *op_arg(PyObject *o)
{
    static PyObject *sum;       /* MPI.SUM, looked up once */
    if (o == NULL) {
        if (sum == NULL && (sum = PyObject_GetAttrString(pympi_module, "SUM")) == NULL)
            return NULL;
        return Py_NewRef(sum);
    }
    if (!PyObject_TypeCheck(o, &PyMPIOp_Type) && !PyCallable_Check(o)) {
        PyErr_Format(PyExc_TypeError, "op: expected an MPI.Op or a callable, got %.100s",
                     Py_TYPE(o)->tp_name);
        return NULL;
    }
    return Py_NewRef(o);
}

/* items[0] op items[1] op ... op items[n-1], left to right; steals nothing. */
static PyObject *fold(PyObject *op, PyObject *items, Py_ssize_t n)
{
    PyObject *acc = Py_NewRef(PyList_GET_ITEM(items, 0));
    for (Py_ssize_t i = 1; i < n && acc != NULL; i++) {
        PyObject *next = objop_apply(op, acc, PyList_GET_ITEM(items, i));
        Py_DECREF(acc);
        acc = next;
    }
    return acc;
}

/* ---- gathering to all ---------------------------------------------------------------------- */

/*
 * Every process's object (the remote group's on an intercommunicator), in rank order: a
 * new list of the first `upto` of them (-1: all), or NULL with an exception, having taken
 * part in the collectives in every case.
 */
static PyObject *gather_all(MPI_Comm comm, PyObject *obj, int upto, const char *fname)
{
    int inter, size, len, ierr = MPI_SUCCESS, bad = -1;
    PyObject *data = NULL, *list = NULL;
    int *counts = NULL, *displs = NULL;
    char *buf = NULL;
    /* `few` and `fewc` save allocations at small sizes (the allreduce of an int). */
    struct slot mine, *slots = NULL, few[8];
    int fewc[2 * 8];
    if ((ierr = MPI_Comm_test_inter(comm, &inter)) != MPI_SUCCESS ||
        (ierr = (inter ? MPI_Comm_remote_size(comm, &size) : MPI_Comm_size(comm, &size))) !=
            MPI_SUCCESS)
        return raise_null(ierr);
    if (upto < 0 || upto > size)
        upto = size;
    data = dump(obj, &len);     /* on failure: len = -1 and the exception stays set */
    const char *mybuf = data ? PyBytes_AS_STRING(data) : NULL;

    if (size <= 8)
        counts = fewc;
    else if ((counts = PyMem_Malloc(2 * (size_t)size * sizeof(int))) == NULL)
        goto nomem;
    displs = counts + size;
    if (!inter) {
        /* One slot per process; a second round only for pickles too big for their slot. */
        if (size <= 8)
            slots = few;
        else if ((slots = PyMem_Malloc((size_t)size * sizeof *slots)) == NULL)
            goto nomem;
        mine.len = len;
        if (len > 0 && (size_t)len <= sizeof mine.data)
            memcpy(mine.data, mybuf, (size_t)len);
        Py_BEGIN_ALLOW_THREADS
        ierr = MPI_Allgather(&mine, SLOT_SIZE, MPI_BYTE, slots, SLOT_SIZE, MPI_BYTE, comm);
        Py_END_ALLOW_THREADS
        if (ierr != MPI_SUCCESS)
            goto mpifail;
        int big = 0;
        for (int i = 0; i < size; i++) {
            int64_t n = slots[i].len;
            counts[i] = n > (int64_t)sizeof mine.data ? (int)n : n < 0 ? -1 : 0;
            big |= counts[i] > 0;
        }
        Py_ssize_t total = layout(counts, displs, size, &bad);
        if (big) {
            if (total < 0 || (buf = PyMem_Malloc((size_t)total)) == NULL) {
                if (total >= 0)
                    PyErr_NoMemory();
                goto out;
            }
            int mine_big = len > (int)sizeof mine.data;
            Py_BEGIN_ALLOW_THREADS
            ierr = MPI_Allgatherv(mine_big ? mybuf : NULL, mine_big ? len : 0, MPI_BYTE, buf,
                                  counts, displs, MPI_BYTE, comm);
            Py_END_ALLOW_THREADS
            if (ierr != MPI_SUCCESS)
                goto mpifail;
        }
        if (data == NULL)
            goto out;
        if (bad >= 0) {
            lost(fname, bad);
            goto out;
        }
        if ((list = PyList_New(upto)) == NULL)
            goto out;
        for (int i = 0; i < upto; i++) {
            PyObject *o = counts[i] > 0 ? load(buf + displs[i], counts[i])
                                        : load(slots[i].data, (Py_ssize_t)slots[i].len);
            if (o == NULL) {
                Py_CLEAR(list);
                goto out;
            }
            PyList_SET_ITEM(list, i, o);
        }
    } else {
        Py_BEGIN_ALLOW_THREADS
        ierr = MPI_Allgather(&len, 1, MPI_INT, counts, 1, MPI_INT, comm);
        Py_END_ALLOW_THREADS
        if (ierr != MPI_SUCCESS)
            goto mpifail;
        Py_ssize_t total = layout(counts, displs, size, &bad);
        if (total < 0)
            goto out;
        if ((buf = PyMem_Malloc(total > 0 ? (size_t)total : 1)) == NULL)
            goto nomem;
        Py_BEGIN_ALLOW_THREADS
        ierr = MPI_Allgatherv(mybuf, len < 0 ? 0 : len, MPI_BYTE, buf, counts, displs,
                              MPI_BYTE, comm);
        Py_END_ALLOW_THREADS
        if (ierr != MPI_SUCCESS)
            goto mpifail;
        if (data == NULL)
            goto out;
        if (bad >= 0) {
            lost(fname, bad);
            goto out;
        }
        list = load_list(buf, counts, displs, upto);
    }
    goto out;
nomem:
    PyErr_NoMemory();
    goto out;
mpifail:
    pympi_raise(ierr);
out:
    Py_XDECREF(data);
    if (counts != fewc)
        PyMem_Free(counts);
    if (slots != few)
        PyMem_Free(slots);
    PyMem_Free(buf);
    return list;
}

/* ---- the methods -------------------------------------------------------------------------- */

static PyObject *comm_barrier(PyObject *self, PyObject *unused)
{
    PYMPI_CHK_NOGIL(MPI_Barrier(COMM(self)));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *comm_bcast(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    static const char *const names[] = {"obj", "root"};
    PyObject *a[2], *data = NULL, *result = NULL;
    int root, len = 0, ierr;
    struct roles ro;
    struct slot slot;
    char *buf = NULL;
    MPI_Comm comm = COMM(self);
    if (pympi_bind_args("bcast", names, 1, 2, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "root", &root) < 0 || get_roles(comm, root, &ro) < 0)
        return NULL;
    /* At the root: sends (and, on an intracommunicator, also gets a copy back). */
    int sending = ro.at_root;
    int receiving = ro.inter ? ro.contributes : 1;
    slot.len = 0;           /* MPI.PROC_NULL on an intercommunicator gets nothing */
    if (sending) {
        data = dump(a[0], &len);
        slot.len = len;
        if (len > 0 && (size_t)len <= sizeof slot.data)
            memcpy(slot.data, PyBytes_AS_STRING(data), (size_t)len);
    }
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Bcast(&slot, SLOT_SIZE, MPI_BYTE, root, comm);
    Py_END_ALLOW_THREADS
    if (ierr != MPI_SUCCESS)
        goto mpifail;
    /*
     * A pickle too big for the slot takes a second broadcast. On an intercommunicator the
     * processes at MPI.PROC_NULL cannot tell, so there every process always calls it (with
     * no data when the slot was enough).
     */
    len = (int)slot.len;
    int big = len > (int)sizeof slot.data;
    const char *src = slot.data;
    if (big || ro.inter) {
        if (big && sending)
            buf = PyBytes_AS_STRING(data);
        else if (big && (buf = PyMem_Malloc((size_t)len)) == NULL)
            return PyErr_NoMemory();
        Py_BEGIN_ALLOW_THREADS
        ierr = MPI_Bcast(buf, big ? len : 0, MPI_BYTE, root, comm);
        Py_END_ALLOW_THREADS
        if (ierr != MPI_SUCCESS)
            goto mpifail;
        if (big)
            src = buf;
    }
    if (sending && data == NULL)
        goto out;                           /* the pickling error stays raised */
    if (!receiving)
        result = Py_NewRef(Py_None);        /* MPI.ROOT and MPI.PROC_NULL */
    else if (len < 0)
        lost("bcast", root);
    else
        result = load(src, len);
    goto out;
mpifail:
    pympi_raise(ierr);
out:
    if (!sending)
        PyMem_Free(buf);
    Py_XDECREF(data);
    return result;
}

/*
 * Every process's object at the root, in rank order (the remote group's at MPI.ROOT of an
 * intercommunicator): a new list there, None elsewhere, NULL with an exception.
 */
static PyObject *gather_root(MPI_Comm comm, PyObject *obj, int root, const char *fname)
{
    PyObject *data = NULL, *result = NULL;
    int len = 0, ierr, bad = -1;
    int *counts = NULL, *displs = NULL;
    char *buf = NULL;
    struct roles ro;
    if (get_roles(comm, root, &ro) < 0)
        return NULL;
    if (ro.contributes)
        data = dump(obj, &len);     /* on failure: len = -1 and the exception stays set */
    if (ro.at_root) {
        if ((counts = PyMem_Malloc(2 * (size_t)ro.size * sizeof(int))) == NULL)
            return PyErr_NoMemory();
        displs = counts + ro.size;
    }
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Gather(&len, 1, MPI_INT, counts, 1, MPI_INT, root, comm);
    Py_END_ALLOW_THREADS
    if (ierr != MPI_SUCCESS)
        goto mpifail;
    if (ro.at_root) {
        Py_ssize_t total = layout(counts, displs, ro.size, &bad);
        if (total < 0)
            goto out;
        if ((buf = PyMem_Malloc(total > 0 ? (size_t)total : 1)) == NULL) {
            PyErr_NoMemory();
            goto out;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Gatherv(data ? PyBytes_AS_STRING(data) : NULL, len < 0 ? 0 : len, MPI_BYTE,
                       buf, counts, displs, MPI_BYTE, root, comm);
    Py_END_ALLOW_THREADS
    if (ierr != MPI_SUCCESS)
        goto mpifail;
    if (ro.contributes && data == NULL)
        goto out;
    if (!ro.at_root)
        result = Py_NewRef(Py_None);
    else if (bad >= 0)
        lost(fname, bad);
    else
        result = load_list(buf, counts, displs, ro.size);
    goto out;
mpifail:
    pympi_raise(ierr);
out:
    Py_XDECREF(data);
    PyMem_Free(counts);
    PyMem_Free(buf);
    return result;
}

static PyObject *comm_gather(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames)
{
    static const char *const names[] = {"sendobj", "root"};
    PyObject *a[2];
    int root;
    if (pympi_bind_args("gather", names, 1, 2, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "root", &root) < 0)
        return NULL;
    return gather_root(COMM(self), a[0], root, "gather");
}

static PyObject *comm_scatter(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    static const char *const names[] = {"sendobj", "root"};
    PyObject *a[2], *result = NULL;
    int root, len = 0, ierr, failed = 0;
    int *counts = NULL, *displs = NULL;
    char *sbuf = NULL, *rbuf = NULL;
    struct roles ro;
    MPI_Comm comm = COMM(self);
    if (pympi_bind_args("scatter", names, 1, 2, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "root", &root) < 0 || get_roles(comm, root, &ro) < 0)
        return NULL;
    if (ro.at_root) {
        if ((counts = PyMem_Malloc(2 * (size_t)ro.size * sizeof(int))) == NULL)
            return PyErr_NoMemory();
        displs = counts + ro.size;
        sbuf = dump_items(a[0], ro.size, counts, displs);
        failed = sbuf == NULL;     /* counts are all -1: the receivers will know */
    }
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Scatter(counts, 1, MPI_INT, &len, 1, MPI_INT, root, comm);
    Py_END_ALLOW_THREADS
    if (ierr != MPI_SUCCESS)
        goto mpifail;
    if (failed)
        for (int i = 0; i < ro.size; i++)
            counts[i] = 0;
    if (ro.contributes && len > 0 && (rbuf = PyMem_Malloc((size_t)len)) == NULL) {
        PyErr_NoMemory();
        goto out;
    }
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Scatterv(sbuf, counts, displs, MPI_BYTE, rbuf, len < 0 ? 0 : len, MPI_BYTE,
                        root, comm);
    Py_END_ALLOW_THREADS
    if (ierr != MPI_SUCCESS)
        goto mpifail;
    if (failed)
        goto out;
    if (!ro.contributes)
        result = Py_NewRef(Py_None);
    else if (len < 0)
        lost("scatter", root);
    else
        result = load(rbuf, len);
    goto out;
mpifail:
    pympi_raise(ierr);
out:
    PyMem_Free(counts);
    PyMem_Free(sbuf);
    PyMem_Free(rbuf);
    return result;
}

static PyObject *comm_allgather(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames)
{
    static const char *const names[] = {"sendobj"};
    PyObject *a[1];
    if (pympi_bind_args("allgather", names, 1, 1, args, nargs, kwnames, a) < 0)
        return NULL;
    return gather_all(COMM(self), a[0], -1, "allgather");
}

/*
 * alltoall (nbr = 0) and neighbor_alltoall (nbr = 1): `sendobj` holds one object per
 * destination (nsend of them; None: all None); returns the list of the nrecv objects
 * received. The lengths go first, then the bytes.
 */
static PyObject *exchange(MPI_Comm comm, int nbr, PyObject *sendobj, int nsend, int nrecv,
                          const char *fname)
{
    PyObject *result = NULL;
    int bad = -1, ierr;
    char *sbuf, *rbuf = NULL;
    int *sc = PyMem_Calloc(2 * ((size_t)nsend + (size_t)nrecv) + 1, sizeof(int));
    if (sc == NULL)
        return PyErr_NoMemory();
    int *sd = sc + nsend, *rc = sd + nsend, *rd = rc + nrecv;
    sbuf = dump_items(sendobj, nsend, sc, sd);  /* on failure: -1 counts, exception set */
    Py_BEGIN_ALLOW_THREADS
    ierr = nbr ? MPI_Neighbor_alltoall(sc, 1, MPI_INT, rc, 1, MPI_INT, comm)
               : MPI_Alltoall(sc, 1, MPI_INT, rc, 1, MPI_INT, comm);
    Py_END_ALLOW_THREADS
    if (ierr != MPI_SUCCESS)
        goto mpifail;
    if (sbuf == NULL)
        memset(sc, 0, (size_t)nsend * sizeof(int));
    Py_ssize_t total = layout(rc, rd, nrecv, &bad);
    if (total < 0)
        goto out;
    if ((rbuf = PyMem_Malloc(total > 0 ? (size_t)total : 1)) == NULL) {
        PyErr_NoMemory();
        goto out;
    }
    Py_BEGIN_ALLOW_THREADS
    ierr = nbr ? MPI_Neighbor_alltoallv(sbuf, sc, sd, MPI_BYTE, rbuf, rc, rd, MPI_BYTE, comm)
               : MPI_Alltoallv(sbuf, sc, sd, MPI_BYTE, rbuf, rc, rd, MPI_BYTE, comm);
    Py_END_ALLOW_THREADS
    if (ierr != MPI_SUCCESS)
        goto mpifail;
    if (sbuf == NULL)
        goto out;
    if (bad >= 0)
        lost(fname, bad);
    else
        result = load_list(rbuf, rc, rd, nrecv);
    goto out;
mpifail:
    pympi_raise(ierr);
out:
    PyMem_Free(sc);
    PyMem_Free(sbuf);
    PyMem_Free(rbuf);
    return result;
}

static PyObject *comm_alltoall(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                               PyObject *kwnames)
{
    static const char *const names[] = {"sendobj"};
    PyObject *a[1];
    struct roles ro;
    if (pympi_bind_args("alltoall", names, 1, 1, args, nargs, kwnames, a) < 0 ||
        get_roles(COMM(self), 0, &ro) < 0)
        return NULL;
    return exchange(COMM(self), 0, a[0], ro.size, ro.size, "alltoall");
}

static PyObject *comm_reduce(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                             PyObject *kwnames)
{
    static const char *const names[] = {"sendobj", "op", "root"};
    PyObject *a[3], *op, *items, *result = NULL;
    int root;
    if (pympi_bind_args("reduce", names, 1, 3, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[2], 0, "root", &root) < 0 || (op = op_arg(a[1])) == NULL)
        return NULL;
    items = gather_root(COMM(self), a[0], root, "reduce");
    if (items != NULL && items != Py_None)
        result = fold(op, items, PyList_GET_SIZE(items));
    else
        result = Py_XNewRef(items);
    Py_XDECREF(items);
    Py_DECREF(op);
    return result;
}

/* allreduce, scan (upto = rank + 1) and exscan (upto = rank): a fold of gather_all. */
static PyObject *reduce_all(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames, const char *fname, int scan)
{
    static const char *const names[] = {"sendobj", "op"};
    PyObject *a[2], *op, *items, *result = NULL;
    int upto = -1;
    if (pympi_bind_args(fname, names, 1, 2, args, nargs, kwnames, a) < 0 ||
        (op = op_arg(a[1])) == NULL)
        return NULL;
    if (scan) {
        int ierr = MPI_Comm_rank(COMM(self), &upto);
        if (ierr != MPI_SUCCESS) {
            Py_DECREF(op);
            return raise_null(ierr);
        }
        upto += scan > 0;
    }
    items = gather_all(COMM(self), a[0], upto, fname);
    if (items != NULL)
        result = PyList_GET_SIZE(items) > 0 ? fold(op, items, PyList_GET_SIZE(items))
                                            : Py_NewRef(Py_None);   /* exscan at rank 0 */
    Py_XDECREF(items);
    Py_DECREF(op);
    return result;
}

static PyObject *comm_allreduce(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames)
{
    return reduce_all(self, args, nargs, kwnames, "allreduce", 0);
}

static PyObject *intra_scan(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames)
{
    return reduce_all(self, args, nargs, kwnames, "scan", 1);
}

static PyObject *intra_exscan(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames)
{
    return reduce_all(self, args, nargs, kwnames, "exscan", -1);
}

/* ---- neighborhood (Topocomm) -------------------------------------------------------------- */

static PyObject *topo_neighbor_allgather(PyObject *self, PyObject *const *args,
                                         Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"sendobj"};
    PyObject *a[1], *data = NULL, *result = NULL;
    int indeg = 0, outdeg = 0, len = 0, bad = -1, ierr;
    int *counts = NULL;
    char *buf = NULL;
    MPI_Comm comm = COMM(self);
    if (pympi_bind_args("neighbor_allgather", names, 1, 1, args, nargs, kwnames, a) < 0)
        return NULL;
    if ((ierr = pympi_topo_degrees(comm, &indeg, &outdeg)) != MPI_SUCCESS)
        return raise_null(ierr);
    /* Zeroed: MPI leaves the blocks of MPI.PROC_NULL neighbors alone, they read as None. */
    if ((counts = PyMem_Calloc(2 * (size_t)indeg + 1, sizeof(int))) == NULL)
        return PyErr_NoMemory();
    int *displs = counts + indeg;
    data = dump(a[0], &len);        /* on failure: len = -1 and the exception stays set */
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Neighbor_allgather(&len, 1, MPI_INT, counts, 1, MPI_INT, comm);
    Py_END_ALLOW_THREADS
    if (ierr != MPI_SUCCESS)
        goto mpifail;
    Py_ssize_t total = layout(counts, displs, indeg, &bad);
    if (total < 0)
        goto out;
    if ((buf = PyMem_Malloc(total > 0 ? (size_t)total : 1)) == NULL) {
        PyErr_NoMemory();
        goto out;
    }
    Py_BEGIN_ALLOW_THREADS
    ierr = MPI_Neighbor_allgatherv(data ? PyBytes_AS_STRING(data) : NULL, len < 0 ? 0 : len,
                                   MPI_BYTE, buf, counts, displs, MPI_BYTE, comm);
    Py_END_ALLOW_THREADS
    if (ierr != MPI_SUCCESS)
        goto mpifail;
    if (data == NULL)
        goto out;
    if (bad >= 0)
        lost("neighbor_allgather", bad);
    else
        result = load_list(buf, counts, displs, indeg);
    goto out;
mpifail:
    pympi_raise(ierr);
out:
    Py_XDECREF(data);
    PyMem_Free(counts);
    PyMem_Free(buf);
    return result;
}

static PyObject *topo_neighbor_alltoall(PyObject *self, PyObject *const *args,
                                        Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"sendobj"};
    PyObject *a[1];
    int indeg = 0, outdeg = 0, ierr;
    if (pympi_bind_args("neighbor_alltoall", names, 1, 1, args, nargs, kwnames, a) < 0)
        return NULL;
    if ((ierr = pympi_topo_degrees(COMM(self), &indeg, &outdeg)) != MPI_SUCCESS)
        return raise_null(ierr);
    return exchange(COMM(self), 1, a[0], outdeg, indeg, "neighbor_alltoall");
}

/* Signatures head the docstrings; with op=SUM (not a literal) as plain text, as in mpi4py. */
PyMethodDef pympi_comm_objcoll_methods[] = {
    {"barrier", comm_barrier, METH_NOARGS, "barrier($self, /)\n--\n\nBarrier synchronization."},
    {"bcast", PYMPI_FASTCALL(comm_bcast),
     "bcast($self, /, obj, root=0)\n--\n\nBroadcast an object from root."},
    {"gather", PYMPI_FASTCALL(comm_gather),
     "gather($self, /, sendobj, root=0)\n--\n\nGather every process's object at root."},
    {"scatter", PYMPI_FASTCALL(comm_scatter),
     "scatter($self, /, sendobj, root=0)\n--\n\nScatter a sequence of objects from root."},
    {"allgather", PYMPI_FASTCALL(comm_allgather),
     "allgather($self, /, sendobj)\n--\n\nGather every process's object at every process."},
    {"alltoall", PYMPI_FASTCALL(comm_alltoall),
     "alltoall($self, /, sendobj)\n--\n\n"
     "Send an object to every process, receive one from each."},
    {"reduce", PYMPI_FASTCALL(comm_reduce),
     "reduce(sendobj, op=SUM, root=0)\n\nReduce the objects at root (op: an Op or a "
     "callable)."},
    {"allreduce", PYMPI_FASTCALL(comm_allreduce),
     "allreduce(sendobj, op=SUM)\n\nReduce the objects at every process (op: an Op or a "
     "callable)."},
    {NULL},
};

PyMethodDef pympi_intracomm_objcoll_methods[] = {
    {"scan", PYMPI_FASTCALL(intra_scan),
     "scan(sendobj, op=SUM)\n\nInclusive prefix reduction of objects."},
    {"exscan", PYMPI_FASTCALL(intra_exscan),
     "exscan(sendobj, op=SUM)\n\nExclusive prefix reduction of objects (None at rank 0)."},
    {NULL},
};

PyMethodDef pympi_topocomm_objcoll_methods[] = {
    {"neighbor_allgather", PYMPI_FASTCALL(topo_neighbor_allgather),
     "neighbor_allgather($self, /, sendobj)\n--\n\nGather an object from every in-neighbor."},
    {"neighbor_alltoall", PYMPI_FASTCALL(topo_neighbor_alltoall),
     "neighbor_alltoall($self, /, sendobj)\n--\n\n"
     "Send an object to every out-neighbor, receive one from every in-neighbor."},
    {NULL},
};
