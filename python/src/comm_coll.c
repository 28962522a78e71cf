/*
 * comm_coll.c - the upper-case collectives over buffer specs: Barrier ... Alltoallw and the
 * reductions (Comm), Scan and Exscan (Intracomm), the neighborhood collectives (Topocomm),
 * and their nonblocking I-forms.
 *
 * Which process needs which buffer follows mpi4py: a buffer that MPI ignores at this
 * process (the receive buffer of a non-root in Gather; both buffers at MPI.PROC_NULL on an
 * intercommunicator) is not even parsed, so None or anything may be passed there. A spec
 * without a count that holds one block per process (the receive buffer at the root of
 * Gather, both buffers of Alltoall, ...) is split evenly; a count given there is per block.
 * On an intercommunicator the blocks are per process of the remote group, and the root
 * argument is MPI.ROOT in the root's group, MPI.PROC_NULL for the others of that group.
 *
 * A nonblocking call parses into a `struct coll` allocated inside a capsule that the
 * Request holds until completion, so the exported buffers and the count, displacement and
 * datatype arrays stay valid while MPI uses them; a blocking call keeps it on the stack.
 */
#include "pympi.h"

#include <string.h>

#define COMM(self) (((PyMPICommObject *)(self))->ob_mpi)
#define REQ(req) (&((PyMPIRequestObject *)(req))->ob_mpi)

/* ---- shared helpers -------------------------------------------------------------------- */

int pympi_op_arg(PyObject *o, const char *argname, MPI_Op *op)
{
    if (o == NULL) {
        *op = MPI_SUM;
        return 0;
    }
    if (!PyObject_TypeCheck(o, &PyMPIOp_Type)) {
        PyErr_Format(PyExc_TypeError, "%s: expected an MPI.Op, got %.100s", argname,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    *op = ((PyMPIOpObject *)o)->ob_mpi;
    return 0;
}

/* ---- what a call holds ----------------------------------------------------------------- */

struct coll {
    pympi_msgv s, r;                /* send and receive specs; simple ones use only .base */
    int scount, rcount;             /* simple specs: the count (per block) MPI gets */
    MPI_Datatype *stypes, *rtypes;  /* alltoallw: a datatype per block */
    MPI_Aint *sadispls, *radispls;  /* neighbor_alltoallw: byte displacements as MPI_Aint */
    int *counts;                    /* Reduce_scatter: the receive counts */
};

static void coll_release(struct coll *c)
{
    pympi_msgv_release(&c->s);
    pympi_msgv_release(&c->r);
    PyMem_Free(c->stypes);
    PyMem_Free(c->rtypes);
    PyMem_Free(c->sadispls);
    PyMem_Free(c->radispls);
    PyMem_Free(c->counts);
}

static void coll_capsule_free(PyObject *capsule)
{
    struct coll *c = PyCapsule_GetPointer(capsule, NULL);
    coll_release(c);
    PyMem_Free(c);
}

/*
 * The state for one call, zeroed: `stack` for a blocking call (req == NULL); for a
 * nonblocking one a heap copy owned by a new Request (*req, MPI_REQUEST_NULL until the
 * MPI_I* call fills it in). NULL with an exception.
 */
static struct coll *coll_get(struct coll *stack, PyObject **req)
{
    if (req == NULL) {
        memset(stack, 0, sizeof *stack);
        return stack;
    }
    struct coll *c = PyMem_Calloc(1, sizeof *c);
    if (c == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    PyObject *capsule = PyCapsule_New(c, NULL, coll_capsule_free);
    if (capsule == NULL) {
        PyMem_Free(c);
        return NULL;
    }
    *req = pympi_request_new(&PyMPIRequest_Type, MPI_REQUEST_NULL, capsule, PYMPI_REQ_PLAIN);
    Py_DECREF(capsule);
    return *req != NULL ? c : NULL;
}

/* Ends a call: the Request for a nonblocking one, None for a blocking one; NULL if !ok. */
static PyObject *coll_end(struct coll *c, PyObject *req, int ok)
{
    if (req != NULL) {
        if (!ok)
            Py_DECREF(req);
        return ok ? req : NULL;
    }
    coll_release(c);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* ---- specs ------------------------------------------------------------------------------ */

/* A buffer this process does not use. */
static void ignore(pympi_msg *m, int *count)
{
    m->buf = NULL;
    m->type = MPI_BYTE;
    m->special = PYMPI_SPEC_NONE;
    if (count != NULL)
        *count = 0;
}

static int is_in_place(const pympi_msg *m)
{
    return m->special == PYMPI_SPEC_IN_PLACE;
}

/*
 * A single-buffer spec holding `blocks` blocks (0 or 1: one), with mpi4py's rules
 * (pympi_msg_parse_blocks): parses `spec` into `m` and sets *count to the int count per
 * block (0 for IN_PLACE or None). Returns 0, or -1 with an exception.
 */
static int parse_msg(PyObject *spec, unsigned flags, int blocks, const char *argname,
                     pympi_msg *m, int *count)
{
    *count = 0;
    if (pympi_msg_parse_blocks(spec, flags, blocks, argname, m) < 0)
        return -1;
    if (m->special == PYMPI_SPEC_IN_PLACE || m->special == PYMPI_SPEC_NONE)
        return 0;
    return pympi_int_count(m->count, argname, count);
}

/* `n` datatypes from a sequence of MPI.Datatype (one Datatype stands for all). */
static MPI_Datatype *type_array(PyObject *o, int n, const char *argname)
{
    MPI_Datatype *out = PyMem_Malloc((n > 0 ? (size_t)n : 1) * sizeof *out);
    if (out == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    if (PyObject_TypeCheck(o, &PyMPIDatatype_Type)) {
        for (int i = 0; i < n; i++)
            out[i] = ((PyMPIDatatypeObject *)o)->ob_mpi;
        return out;
    }
    PyObject *seq = (PyList_Check(o) || PyTuple_Check(o)) ? Py_NewRef(o) : NULL;
    if (seq == NULL) {
        PyErr_Format(PyExc_TypeError, "%s: expected a sequence of MPI.Datatype, got %.100s",
                     argname, Py_TYPE(o)->tp_name);
        goto bad;
    }
    if (PySequence_Fast_GET_SIZE(seq) != n) {
        PyErr_Format(PyExc_ValueError, "%s: expected %d datatypes, got %zd", argname, n,
                     PySequence_Fast_GET_SIZE(seq));
        goto bad;
    }
    for (int i = 0; i < n; i++) {
        PyObject *t = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyObject_TypeCheck(t, &PyMPIDatatype_Type)) {
            PyErr_Format(PyExc_TypeError, "%s: datatypes[%d] is a %.100s, not an MPI.Datatype",
                         argname, i, Py_TYPE(t)->tp_name);
            goto bad;
        }
        out[i] = ((PyMPIDatatypeObject *)t)->ob_mpi;
    }
    Py_DECREF(seq);
    return out;
bad:
    Py_XDECREF(seq);
    PyMem_Free(out);
    return NULL;
}

/*
 * An alltoallw spec: [buf, (counts, displs), datatypes] or [buf, counts, displs, datatypes],
 * displacements in bytes, one block per process (`n`). Fills m->base (buffer only),
 * m->counts, m->displs (or *adispls, as MPI_Aint, when adispls != NULL) and *types.
 */
static int parse_w(PyObject *spec, int write, int n, const char *argname, pympi_msgv *m,
                   MPI_Datatype **types, MPI_Aint **adispls)
{
    PyObject *o_buf, *o_counts, *o_displs, *o_types;
    Py_ssize_t len = (PyList_Check(spec) || PyTuple_Check(spec))
                         ? PySequence_Fast_GET_SIZE(spec) : -1;
    if (len == 3 || len == 4) {
        PyObject **items = PySequence_Fast_ITEMS(spec);
        o_buf = items[0];
        o_counts = items[1];
        o_displs = len == 4 ? items[2] : NULL;
        o_types = items[len - 1];
        if (len == 3) {
            if (!(PyTuple_Check(o_counts) || PyList_Check(o_counts)) ||
                PySequence_Fast_GET_SIZE(o_counts) != 2) {
                PyErr_Format(PyExc_ValueError, "%s: expected [buf, (counts, displs), "
                             "datatypes]", argname);
                return -1;
            }
            o_displs = PySequence_Fast_GET_ITEM(o_counts, 1);
            o_counts = PySequence_Fast_GET_ITEM(o_counts, 0);
        }
    } else {
        PyErr_Format(len < 0 ? PyExc_TypeError : PyExc_ValueError,
                     "%s: expected [buf, counts, displs, datatypes] or [buf, (counts, "
                     "displs), datatypes], got %.100s", argname, Py_TYPE(spec)->tp_name);
        return -1;
    }
    pympi_msg *b = &m->base;
    b->type = MPI_BYTE;
    if (o_buf == pympi_BOTTOM) {
        b->special = PYMPI_SPEC_BOTTOM;
        b->buf = MPI_BOTTOM;
    } else {
        int flags = PyBUF_ANY_CONTIGUOUS | (write ? PyBUF_WRITABLE : 0);
        if (PyObject_GetBuffer(o_buf, &b->view, flags) < 0) {
            b->view.obj = NULL;
            if (PyErr_ExceptionMatches(PyExc_TypeError) ||
                PyErr_ExceptionMatches(PyExc_BufferError))
                PyErr_Format(PyErr_ExceptionMatches(PyExc_TypeError) ? PyExc_TypeError
                                                                      : PyExc_BufferError,
                             "%s: expected a %scontiguous buffer, got %.100s", argname,
                             write ? "writable " : "", Py_TYPE(o_buf)->tp_name);
            return -1;
        }
        b->buf = b->view.buf;
        b->bytes = b->view.len;
    }
    m->n = n;
    if ((m->counts = pympi_int_array(o_counts, n, argname, NULL)) == NULL ||
        (m->displs = pympi_int_array(o_displs, n, argname, NULL)) == NULL ||
        (*types = type_array(o_types, n, argname)) == NULL)
        return -1;
    /* Each block must lie inside the buffer (unless addressed from MPI.BOTTOM). */
    for (int i = 0; i < n && b->special != PYMPI_SPEC_BOTTOM; i++) {
        MPI_Aint lb = 0, extent = 0, tlb = 0, textent = 0;
        if (m->counts[i] == 0)
            continue;
        if (m->counts[i] < 0 || m->displs[i] < 0) {
            PyErr_Format(PyExc_ValueError, "%s: negative count or displacement in block %d",
                         argname, i);
            return -1;
        }
        if (MPI_Type_get_extent((*types)[i], &lb, &extent) != MPI_SUCCESS ||
            MPI_Type_get_true_extent((*types)[i], &tlb, &textent) != MPI_SUCCESS) {
            PyErr_Format(PyExc_ValueError, "%s: datatypes[%d] is not a valid datatype",
                         argname, i);
            return -1;
        }
        MPI_Count lo = (MPI_Count)m->displs[i] + tlb;
        MPI_Count hi = lo + (MPI_Count)(m->counts[i] - 1) * extent + textent;
        if (lo < 0 || hi > (MPI_Count)b->bytes) {
            PyErr_Format(PyExc_ValueError,
                         "%s: block %d (displ %d bytes, count %d) runs past the buffer "
                         "(%zd bytes)", argname, i, m->displs[i], m->counts[i], b->bytes);
            return -1;
        }
    }
    if (adispls != NULL) {
        *adispls = PyMem_Malloc((n > 0 ? (size_t)n : 1) * sizeof **adispls);
        if (*adispls == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        for (int i = 0; i < n; i++)
            (*adispls)[i] = m->displs[i];
    }
    return 0;
}

/* Reductions need the same datatype and count on both sides (mpi4py's rule). */
static int check_match(const struct coll *c, int scount, int rcount)
{
    if (c->s.base.type != c->r.base.type) {
        PyErr_SetString(PyExc_ValueError,
                        "sendbuf, recvbuf: mismatch in send and receive MPI datatypes");
        return -1;
    }
    if (scount != rcount) {
        PyErr_Format(PyExc_ValueError,
                     "sendbuf, recvbuf: mismatch in send count %d and receive count %d",
                     scount, rcount);
        return -1;
    }
    return 0;
}

/* The group whose processes own the blocks: the communicator's, or the remote one. */
static int peer_size(MPI_Comm comm, int inter, int *size)
{
    return inter ? MPI_Comm_remote_size(comm, size) : MPI_Comm_size(comm, size);
}

/* ---- Barrier, Bcast ----------------------------------------------------------------------- */

static PyObject *comm_Barrier(PyObject *self, PyObject *unused)
{
    PYMPI_CHK_NOGIL(MPI_Barrier(COMM(self)));
    Py_RETURN_NONE;
fail:
    return NULL;
}

static PyObject *comm_Ibarrier(PyObject *self, PyObject *unused)
{
    PyObject *req = pympi_request_new(&PyMPIRequest_Type, MPI_REQUEST_NULL, NULL,
                                      PYMPI_REQ_PLAIN);
    if (req == NULL)
        return NULL;
    PYMPI_CHK(MPI_Ibarrier(COMM(self), REQ(req)));
    return req;
fail:
    Py_DECREF(req);
    return NULL;
}

static PyObject *bcast(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                       PyObject *kwnames, int nb)
{
    static const char *const names[] = {"buf", "root"};
    PyObject *a[2], *req = NULL;
    struct coll stack, *c;
    int root, inter, rank = 0;
    MPI_Comm comm = COMM(self);
    if (pympi_bind_args(nb ? "Ibcast" : "Bcast", names, 1, 2, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[1], 0, "root", &root) < 0)
        return NULL;
    if ((c = coll_get(&stack, nb ? &req : NULL)) == NULL)
        return NULL;
    PYMPI_CHK(MPI_Comm_test_inter(comm, &inter));
    if (!inter)
        PYMPI_CHK(MPI_Comm_rank(comm, &rank));
    pympi_msg *m = &c->s.base;
    if (inter && root == MPI_PROC_NULL)
        ignore(m, &c->scount);
    else if (parse_msg(a[0], (inter ? root == MPI_ROOT : root == rank) ? 0 : PYMPI_MSG_WRITE,
                       0, "buf", m, &c->scount) < 0)
        goto fail;
    if (nb)
        PYMPI_CHK(MPI_Ibcast(m->buf, c->scount, m->type, root, comm, REQ(req)));
    else
        PYMPI_CHK_NOGIL(MPI_Bcast(m->buf, c->scount, m->type, root, comm));
    return coll_end(c, req, 1);
fail:
    return coll_end(c, req, 0);
}

/* ---- Gather, Scatter ---------------------------------------------------------------------- */

/*
 * Gather[v] (scatter = 0) and Scatter[v] (scatter = 1): the root side parses the blocked
 * buffer (recvbuf of Gather, sendbuf of Scatter), the others the single one.
 */
static PyObject *rooted(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                        PyObject *kwnames, const char *fname, int scatter, int v, int nb)
{
    static const char *const names[] = {"sendbuf", "recvbuf", "root"};
    PyObject *a[3], *req = NULL;
    struct coll stack, *c;
    int root, inter, rank = 0, size = 0, at_root, contributes;
    MPI_Comm comm = COMM(self);
    if (pympi_bind_args(fname, names, 2, 3, args, nargs, kwnames, a) < 0 ||
        pympi_int_arg(a[2], 0, "root", &root) < 0)
        return NULL;
    if ((c = coll_get(&stack, nb ? &req : NULL)) == NULL)
        return NULL;
    PYMPI_CHK(MPI_Comm_test_inter(comm, &inter));
    PYMPI_CHK(peer_size(comm, inter, &size));
    if (!inter)
        PYMPI_CHK(MPI_Comm_rank(comm, &rank));
    at_root = inter ? root == MPI_ROOT : root == rank;
    contributes = inter ? root != MPI_ROOT && root != MPI_PROC_NULL : 1;

    /* The blocked side: Gather's recvbuf and Scatter's sendbuf, at the root. */
    PyObject *o_blk = a[scatter ? 0 : 1], *o_one = a[scatter ? 1 : 0];
    pympi_msgv *blk = scatter ? &c->s : &c->r;
    pympi_msg *one = scatter ? &c->r.base : &c->s.base;
    int *blk_count = scatter ? &c->scount : &c->rcount, *one_count = scatter ? &c->rcount
                                                                              : &c->scount;
    const char *blk_name = scatter ? "sendbuf" : "recvbuf";
    const char *one_name = scatter ? "recvbuf" : "sendbuf";
    unsigned blk_flags = scatter ? 0 : PYMPI_MSG_WRITE;
    unsigned one_flags = scatter ? PYMPI_MSG_WRITE : 0;
    if (!at_root)
        ignore(&blk->base, blk_count);
    else if (v ? pympi_msgv_parse(o_blk, blk_flags, size, blk_name, blk) < 0
               : parse_msg(o_blk, blk_flags, size, blk_name, &blk->base, blk_count) < 0)
        goto fail;
    if (!contributes)
        ignore(one, one_count);
    else if (parse_msg(o_one, one_flags | (at_root ? PYMPI_MSG_ALLOW_INPLACE : 0), 0,
                       one_name, one, one_count) < 0)
        goto fail;

    pympi_msg *s = &c->s.base, *r = &c->r.base;
    int ierr;
    if (nb) {
        if (!scatter && !v)
            ierr = MPI_Igather(s->buf, c->scount, s->type, r->buf, c->rcount, r->type, root,
                               comm, REQ(req));
        else if (!scatter)
            ierr = MPI_Igatherv(s->buf, c->scount, s->type, r->buf, c->r.counts, c->r.displs,
                                r->type, root, comm, REQ(req));
        else if (!v)
            ierr = MPI_Iscatter(s->buf, c->scount, s->type, r->buf, c->rcount, r->type, root,
                                comm, REQ(req));
        else
            ierr = MPI_Iscatterv(s->buf, c->s.counts, c->s.displs, s->type, r->buf, c->rcount,
                                 r->type, root, comm, REQ(req));
    } else {
        Py_BEGIN_ALLOW_THREADS
        if (!scatter && !v)
            ierr = MPI_Gather(s->buf, c->scount, s->type, r->buf, c->rcount, r->type, root,
                              comm);
        else if (!scatter)
            ierr = MPI_Gatherv(s->buf, c->scount, s->type, r->buf, c->r.counts, c->r.displs,
                               r->type, root, comm);
        else if (!v)
            ierr = MPI_Scatter(s->buf, c->scount, s->type, r->buf, c->rcount, r->type, root,
                               comm);
        else
            ierr = MPI_Scatterv(s->buf, c->s.counts, c->s.displs, s->type, r->buf, c->rcount,
                                r->type, root, comm);
        Py_END_ALLOW_THREADS
    }
    PYMPI_CHK(ierr);
    return coll_end(c, req, 1);
fail:
    return coll_end(c, req, 0);
}

/* ---- Allgather, Alltoall ------------------------------------------------------------------ */

enum { K_ALLGATHER, K_ALLGATHERV, K_ALLTOALL, K_ALLTOALLV, K_ALLTOALLW };

static const char *const all_names[][2] = {
    {"Allgather", "Iallgather"}, {"Allgatherv", "Iallgatherv"}, {"Alltoall", "Ialltoall"},
    {"Alltoallv", "Ialltoallv"}, {"Alltoallw", "Ialltoallw"},
};

static PyObject *all_to(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                        PyObject *kwnames, int kind, int nb)
{
    static const char *const names[] = {"sendbuf", "recvbuf"};
    PyObject *a[2], *req = NULL;
    struct coll stack, *c;
    int inter, size = 0;
    MPI_Comm comm = COMM(self);
    if (pympi_bind_args(all_names[kind][nb], names, 2, 2, args, nargs, kwnames, a) < 0)
        return NULL;
    if ((c = coll_get(&stack, nb ? &req : NULL)) == NULL)
        return NULL;
    PYMPI_CHK(MPI_Comm_test_inter(comm, &inter));
    PYMPI_CHK(peer_size(comm, inter, &size));
    int in_place = !inter && a[0] == pympi_IN_PLACE;
    unsigned sflags = inter ? 0 : PYMPI_MSG_ALLOW_INPLACE;
    switch (kind) {
    case K_ALLGATHER:
    case K_ALLGATHERV:
        if ((kind == K_ALLGATHER
                 ? parse_msg(a[1], PYMPI_MSG_WRITE, size, "recvbuf", &c->r.base, &c->rcount)
                 : pympi_msgv_parse(a[1], PYMPI_MSG_WRITE, size, "recvbuf", &c->r)) < 0 ||
            parse_msg(a[0], sflags, 0, "sendbuf", &c->s.base, &c->scount) < 0)
            goto fail;
        break;
    case K_ALLTOALL:
        if (parse_msg(a[1], PYMPI_MSG_WRITE, size, "recvbuf", &c->r.base, &c->rcount) < 0 ||
            parse_msg(a[0], sflags, size, "sendbuf", &c->s.base, &c->scount) < 0)
            goto fail;
        break;
    case K_ALLTOALLV:
        if (pympi_msgv_parse(a[1], PYMPI_MSG_WRITE, size, "recvbuf", &c->r) < 0 ||
            pympi_msgv_parse(a[0], sflags, size, "sendbuf", &c->s) < 0)
            goto fail;
        break;
    case K_ALLTOALLW:
        if (parse_w(a[1], 1, size, "recvbuf", &c->r, &c->rtypes, NULL) < 0 ||
            (!in_place && parse_w(a[0], 0, size, "sendbuf", &c->s, &c->stypes, NULL) < 0))
            goto fail;
        break;
    }
    if (in_place)       /* MPI ignores the send arguments; pass the receive ones */
        c->s.base.buf = MPI_IN_PLACE;

    pympi_msg *s = &c->s.base, *r = &c->r.base;
    const int *scounts = in_place ? c->r.counts : c->s.counts;
    const int *sdispls = in_place ? c->r.displs : c->s.displs;
    const MPI_Datatype *stypes = in_place ? c->rtypes : c->stypes;
    int ierr;
    if (nb) {
        switch (kind) {
        case K_ALLGATHER:
            ierr = MPI_Iallgather(s->buf, c->scount, s->type, r->buf, c->rcount, r->type, comm,
                                  REQ(req));
            break;
        case K_ALLGATHERV:
            ierr = MPI_Iallgatherv(s->buf, c->scount, s->type, r->buf, c->r.counts,
                                   c->r.displs, r->type, comm, REQ(req));
            break;
        case K_ALLTOALL:
            ierr = MPI_Ialltoall(s->buf, c->scount, s->type, r->buf, c->rcount, r->type, comm,
                                 REQ(req));
            break;
        case K_ALLTOALLV:
            ierr = MPI_Ialltoallv(s->buf, scounts, sdispls, s->type, r->buf, c->r.counts,
                                  c->r.displs, r->type, comm, REQ(req));
            break;
        default:
            ierr = MPI_Ialltoallw(s->buf, scounts, sdispls, stypes, r->buf, c->r.counts,
                                  c->r.displs, c->rtypes, comm, REQ(req));
            break;
        }
    } else {
        Py_BEGIN_ALLOW_THREADS
        switch (kind) {
        case K_ALLGATHER:
            ierr = MPI_Allgather(s->buf, c->scount, s->type, r->buf, c->rcount, r->type, comm);
            break;
        case K_ALLGATHERV:
            ierr = MPI_Allgatherv(s->buf, c->scount, s->type, r->buf, c->r.counts,
                                  c->r.displs, r->type, comm);
            break;
        case K_ALLTOALL:
            ierr = MPI_Alltoall(s->buf, c->scount, s->type, r->buf, c->rcount, r->type, comm);
            break;
        case K_ALLTOALLV:
            ierr = MPI_Alltoallv(s->buf, scounts, sdispls, s->type, r->buf, c->r.counts,
                                 c->r.displs, r->type, comm);
            break;
        default:
            ierr = MPI_Alltoallw(s->buf, scounts, sdispls, stypes, r->buf, c->r.counts,
                                 c->r.displs, c->rtypes, comm);
            break;
        }
        Py_END_ALLOW_THREADS
    }
    PYMPI_CHK(ierr);
    return coll_end(c, req, 1);
fail:
    return coll_end(c, req, 0);
}

/* ---- reductions ------------------------------------------------------------------------- */

enum { K_ALLREDUCE, K_SCAN, K_EXSCAN };

static const char *const red_names[][2] = {
    {"Allreduce", "Iallreduce"}, {"Scan", "Iscan"}, {"Exscan", "Iexscan"},
};

/* Allreduce, Scan, Exscan: the hot path, kept short. */
static PyObject *reduce_all(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames, int kind, int nb)
{
    static const char *const names[] = {"sendbuf", "recvbuf", "op"};
    PyObject *a[3], *req = NULL;
    struct coll stack, *c;
    MPI_Op op;
    MPI_Comm comm = COMM(self);
    if (pympi_bind_args(red_names[kind][nb], names, 2, 3, args, nargs, kwnames, a) < 0 ||
        pympi_op_arg(a[2], "op", &op) < 0)
        return NULL;
    if ((c = coll_get(&stack, nb ? &req : NULL)) == NULL)
        return NULL;
    pympi_msg *s = &c->s.base, *r = &c->r.base;
    if (parse_msg(a[1], PYMPI_MSG_WRITE, 0, "recvbuf", r, &c->rcount) < 0 ||
        parse_msg(a[0], PYMPI_MSG_ALLOW_INPLACE, 0, "sendbuf", s, &c->scount) < 0 ||
        (!is_in_place(s) && check_match(c, c->scount, c->rcount) < 0))
        goto fail;
    int ierr, inter = 0;
    if (is_in_place(s)) {
        PYMPI_CHK(MPI_Comm_test_inter(comm, &inter));
        if (inter) {
            PyErr_SetString(PyExc_ValueError,
                            "sendbuf: MPI.IN_PLACE is not allowed on an intercommunicator");
            goto fail;
        }
    }
    if (nb) {
        if (kind == K_ALLREDUCE)
            ierr = MPI_Iallreduce(s->buf, r->buf, c->rcount, r->type, op, comm, REQ(req));
        else if (kind == K_SCAN)
            ierr = MPI_Iscan(s->buf, r->buf, c->rcount, r->type, op, comm, REQ(req));
        else
            ierr = MPI_Iexscan(s->buf, r->buf, c->rcount, r->type, op, comm, REQ(req));
    } else {
        Py_BEGIN_ALLOW_THREADS
        if (kind == K_ALLREDUCE)
            ierr = MPI_Allreduce(s->buf, r->buf, c->rcount, r->type, op, comm);
        else if (kind == K_SCAN)
            ierr = MPI_Scan(s->buf, r->buf, c->rcount, r->type, op, comm);
        else
            ierr = MPI_Exscan(s->buf, r->buf, c->rcount, r->type, op, comm);
        Py_END_ALLOW_THREADS
    }
    PYMPI_CHK(ierr);
    return coll_end(c, req, 1);
fail:
    return coll_end(c, req, 0);
}

static PyObject *reduce(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                        PyObject *kwnames, int nb)
{
    static const char *const names[] = {"sendbuf", "recvbuf", "op", "root"};
    PyObject *a[4], *req = NULL;
    struct coll stack, *c;
    MPI_Op op;
    int root, inter, rank = 0, at_root, contributes;
    MPI_Comm comm = COMM(self);
    if (pympi_bind_args(nb ? "Ireduce" : "Reduce", names, 2, 4, args, nargs, kwnames, a) < 0 ||
        pympi_op_arg(a[2], "op", &op) < 0 || pympi_int_arg(a[3], 0, "root", &root) < 0)
        return NULL;
    if ((c = coll_get(&stack, nb ? &req : NULL)) == NULL)
        return NULL;
    PYMPI_CHK(MPI_Comm_test_inter(comm, &inter));
    if (!inter)
        PYMPI_CHK(MPI_Comm_rank(comm, &rank));
    at_root = inter ? root == MPI_ROOT : root == rank;
    contributes = inter ? root != MPI_ROOT && root != MPI_PROC_NULL : 1;
    pympi_msg *s = &c->s.base, *r = &c->r.base;
    if (!at_root)
        ignore(r, &c->rcount);
    else if (parse_msg(a[1], PYMPI_MSG_WRITE, 0, "recvbuf", r, &c->rcount) < 0)
        goto fail;
    if (!contributes)
        ignore(s, &c->scount);
    else if (parse_msg(a[0], at_root ? PYMPI_MSG_ALLOW_INPLACE : 0, 0, "sendbuf", s,
                       &c->scount) < 0)
        goto fail;
    if (at_root && contributes && !is_in_place(s) && check_match(c, c->scount, c->rcount) < 0)
        goto fail;
    /* The count and datatype: the receive side's at the root, the send side's elsewhere. */
    int count = at_root ? c->rcount : c->scount;
    MPI_Datatype type = at_root ? r->type : s->type;
    if (nb)
        PYMPI_CHK(MPI_Ireduce(s->buf, r->buf, count, type, op, root, comm, REQ(req)));
    else
        PYMPI_CHK_NOGIL(MPI_Reduce(s->buf, r->buf, count, type, op, root, comm));
    return coll_end(c, req, 1);
fail:
    return coll_end(c, req, 0);
}

static PyObject *reduce_scatter_block(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                      PyObject *kwnames, int nb)
{
    static const char *const names[] = {"sendbuf", "recvbuf", "op"};
    PyObject *a[3], *req = NULL;
    struct coll stack, *c;
    MPI_Op op;
    int inter, size = 0;
    MPI_Comm comm = COMM(self);
    if (pympi_bind_args(nb ? "Ireduce_scatter_block" : "Reduce_scatter_block", names, 2, 3,
                        args, nargs, kwnames, a) < 0 ||
        pympi_op_arg(a[2], "op", &op) < 0)
        return NULL;
    if ((c = coll_get(&stack, nb ? &req : NULL)) == NULL)
        return NULL;
    PYMPI_CHK(MPI_Comm_test_inter(comm, &inter));
    PYMPI_CHK(MPI_Comm_size(comm, &size));
    pympi_msg *s = &c->s.base, *r = &c->r.base;
    if (!inter && a[0] == pympi_IN_PLACE) {
        /* recvbuf holds every process's block on entry. */
        if (parse_msg(a[1], PYMPI_MSG_WRITE, size, "recvbuf", r, &c->rcount) < 0 ||
            parse_msg(a[0], PYMPI_MSG_ALLOW_INPLACE, 0, "sendbuf", s, &c->scount) < 0)
            goto fail;
    } else if (parse_msg(a[1], PYMPI_MSG_WRITE, 0, "recvbuf", r, &c->rcount) < 0 ||
               parse_msg(a[0], 0, size, "sendbuf", s, &c->scount) < 0 ||
               check_match(c, c->scount, c->rcount) < 0) {
        goto fail;
    }
    if (nb)
        PYMPI_CHK(MPI_Ireduce_scatter_block(s->buf, r->buf, c->rcount, r->type, op, comm,
                                            REQ(req)));
    else
        PYMPI_CHK_NOGIL(MPI_Reduce_scatter_block(s->buf, r->buf, c->rcount, r->type, op,
                                                 comm));
    return coll_end(c, req, 1);
fail:
    return coll_end(c, req, 0);
}

static PyObject *reduce_scatter(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames, int nb)
{
    static const char *const names[] = {"sendbuf", "recvbuf", "recvcounts", "op"};
    PyObject *a[4], *req = NULL;
    struct coll stack, *c;
    MPI_Op op;
    int inter, size = 0, rank = 0;
    MPI_Comm comm = COMM(self);
    if (pympi_bind_args(nb ? "Ireduce_scatter" : "Reduce_scatter", names, 2, 4, args, nargs,
                        kwnames, a) < 0 ||
        pympi_op_arg(a[3], "op", &op) < 0)
        return NULL;
    if ((c = coll_get(&stack, nb ? &req : NULL)) == NULL)
        return NULL;
    PYMPI_CHK(MPI_Comm_test_inter(comm, &inter));
    PYMPI_CHK(MPI_Comm_size(comm, &size));
    PYMPI_CHK(MPI_Comm_rank(comm, &rank));
    pympi_msg *s = &c->s.base, *r = &c->r.base;
    if (parse_msg(a[1], PYMPI_MSG_WRITE, 0, "recvbuf", r, &c->rcount) < 0 ||
        parse_msg(a[0], inter ? 0 : PYMPI_MSG_ALLOW_INPLACE, 0, "sendbuf", s, &c->scount) < 0)
        goto fail;
    if (a[2] == NULL || a[2] == Py_None) {
        if (is_in_place(s) || inter) {
            PyErr_SetString(PyExc_TypeError, "recvcounts: required with MPI.IN_PLACE and on "
                                             "intercommunicators");
            goto fail;
        }
        /* Each process receives what its recvbuf holds: learn the others' counts. */
        if ((c->counts = PyMem_Malloc((size_t)size * sizeof(int))) == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        PYMPI_CHK_NOGIL(MPI_Allgather(&c->rcount, 1, MPI_INT, c->counts, 1, MPI_INT, comm));
    } else if ((c->counts = pympi_int_array(a[2], size, "recvcounts", NULL)) == NULL) {
        goto fail;
    }
    long long total = 0;
    for (int i = 0; i < size; i++)
        total += c->counts[i];
    if (is_in_place(s)) {
        if (c->rcount != total) {
            PyErr_Format(PyExc_ValueError, "recvbuf: mismatch in receive count %d and "
                         "sum(recvcounts) %lld", c->rcount, total);
            goto fail;
        }
    } else {
        if (check_match(c, 0, 0) < 0)
            goto fail;
        if (c->scount != total) {
            PyErr_Format(PyExc_ValueError, "sendbuf: mismatch in send count %d and "
                         "sum(recvcounts) %lld", c->scount, total);
            goto fail;
        }
        if (c->rcount != c->counts[rank]) {
            PyErr_Format(PyExc_ValueError, "recvbuf: mismatch in receive count %d and "
                         "recvcounts[%d] = %d", c->rcount, rank, c->counts[rank]);
            goto fail;
        }
    }
    if (nb)
        PYMPI_CHK(MPI_Ireduce_scatter(s->buf, r->buf, c->counts, r->type, op, comm,
                                      REQ(req)));
    else
        PYMPI_CHK_NOGIL(MPI_Reduce_scatter(s->buf, r->buf, c->counts, r->type, op, comm));
    return coll_end(c, req, 1);
fail:
    return coll_end(c, req, 0);
}

/* ---- neighborhood collectives (Topocomm) ---------------------------------------------------- */

enum { K_NALLGATHER, K_NALLGATHERV, K_NALLTOALL, K_NALLTOALLV, K_NALLTOALLW };

static const char *const nbr_names[][2] = {
    {"Neighbor_allgather", "Ineighbor_allgather"},
    {"Neighbor_allgatherv", "Ineighbor_allgatherv"},
    {"Neighbor_alltoall", "Ineighbor_alltoall"},
    {"Neighbor_alltoallv", "Ineighbor_alltoallv"},
    {"Neighbor_alltoallw", "Ineighbor_alltoallw"},
};

/* Blocks: one per in-neighbor in recvbuf, one per out-neighbor in the alltoall sendbuf. */
static PyObject *neighbor(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames, int kind, int nb)
{
    static const char *const names[] = {"sendbuf", "recvbuf"};
    PyObject *a[2], *req = NULL;
    struct coll stack, *c;
    int indeg = 0, outdeg = 0;
    MPI_Comm comm = COMM(self);
    if (pympi_bind_args(nbr_names[kind][nb], names, 2, 2, args, nargs, kwnames, a) < 0)
        return NULL;
    if ((c = coll_get(&stack, nb ? &req : NULL)) == NULL)
        return NULL;
    PYMPI_CHK(pympi_topo_degrees(comm, &indeg, &outdeg));
    int ok;
    switch (kind) {
    case K_NALLGATHER:
        ok = parse_msg(a[1], PYMPI_MSG_WRITE, indeg, "recvbuf", &c->r.base, &c->rcount) == 0 &&
             parse_msg(a[0], 0, 0, "sendbuf", &c->s.base, &c->scount) == 0;
        break;
    case K_NALLGATHERV:
        ok = pympi_msgv_parse(a[1], PYMPI_MSG_WRITE, indeg, "recvbuf", &c->r) == 0 &&
             parse_msg(a[0], 0, 0, "sendbuf", &c->s.base, &c->scount) == 0;
        break;
    case K_NALLTOALL:
        ok = parse_msg(a[1], PYMPI_MSG_WRITE, indeg, "recvbuf", &c->r.base, &c->rcount) == 0 &&
             parse_msg(a[0], 0, outdeg, "sendbuf", &c->s.base, &c->scount) == 0;
        break;
    case K_NALLTOALLV:
        ok = pympi_msgv_parse(a[1], PYMPI_MSG_WRITE, indeg, "recvbuf", &c->r) == 0 &&
             pympi_msgv_parse(a[0], 0, outdeg, "sendbuf", &c->s) == 0;
        break;
    default:
        ok = parse_w(a[1], 1, indeg, "recvbuf", &c->r, &c->rtypes, &c->radispls) == 0 &&
             parse_w(a[0], 0, outdeg, "sendbuf", &c->s, &c->stypes, &c->sadispls) == 0;
        break;
    }
    if (!ok)
        goto fail;
    pympi_msg *s = &c->s.base, *r = &c->r.base;
    int ierr;
    if (nb) {
        switch (kind) {
        case K_NALLGATHER:
            ierr = MPI_Ineighbor_allgather(s->buf, c->scount, s->type, r->buf, c->rcount,
                                           r->type, comm, REQ(req));
            break;
        case K_NALLGATHERV:
            ierr = MPI_Ineighbor_allgatherv(s->buf, c->scount, s->type, r->buf, c->r.counts,
                                            c->r.displs, r->type, comm, REQ(req));
            break;
        case K_NALLTOALL:
            ierr = MPI_Ineighbor_alltoall(s->buf, c->scount, s->type, r->buf, c->rcount,
                                          r->type, comm, REQ(req));
            break;
        case K_NALLTOALLV:
            ierr = MPI_Ineighbor_alltoallv(s->buf, c->s.counts, c->s.displs, s->type, r->buf,
                                           c->r.counts, c->r.displs, r->type, comm, REQ(req));
            break;
        default:
            ierr = MPI_Ineighbor_alltoallw(s->buf, c->s.counts, c->sadispls, c->stypes, r->buf,
                                           c->r.counts, c->radispls, c->rtypes, comm,
                                           REQ(req));
            break;
        }
    } else {
        Py_BEGIN_ALLOW_THREADS
        switch (kind) {
        case K_NALLGATHER:
            ierr = MPI_Neighbor_allgather(s->buf, c->scount, s->type, r->buf, c->rcount,
                                          r->type, comm);
            break;
        case K_NALLGATHERV:
            ierr = MPI_Neighbor_allgatherv(s->buf, c->scount, s->type, r->buf, c->r.counts,
                                           c->r.displs, r->type, comm);
            break;
        case K_NALLTOALL:
            ierr = MPI_Neighbor_alltoall(s->buf, c->scount, s->type, r->buf, c->rcount,
                                         r->type, comm);
            break;
        case K_NALLTOALLV:
            ierr = MPI_Neighbor_alltoallv(s->buf, c->s.counts, c->s.displs, s->type, r->buf,
                                          c->r.counts, c->r.displs, r->type, comm);
            break;
        default:
            ierr = MPI_Neighbor_alltoallw(s->buf, c->s.counts, c->sadispls, c->stypes, r->buf,
                                          c->r.counts, c->radispls, c->rtypes, comm);
            break;
        }
        Py_END_ALLOW_THREADS
    }
    PYMPI_CHK(ierr);
    return coll_end(c, req, 1);
fail:
    return coll_end(c, req, 0);
}

/* ---- method tables ------------------------------------------------------------------------ */

#define WRAP(name, call)                                                                  \
    static PyObject *name(PyObject *self, PyObject *const *args, Py_ssize_t nargs,       \
                          PyObject *kwnames)                                              \
    {                                                                                     \
        return call;                                                                      \
    }

WRAP(comm_Bcast, bcast(self, args, nargs, kwnames, 0))
WRAP(comm_Ibcast, bcast(self, args, nargs, kwnames, 1))
WRAP(comm_Gather, rooted(self, args, nargs, kwnames, "Gather", 0, 0, 0))
WRAP(comm_Igather, rooted(self, args, nargs, kwnames, "Igather", 0, 0, 1))
WRAP(comm_Gatherv, rooted(self, args, nargs, kwnames, "Gatherv", 0, 1, 0))
WRAP(comm_Igatherv, rooted(self, args, nargs, kwnames, "Igatherv", 0, 1, 1))
WRAP(comm_Scatter, rooted(self, args, nargs, kwnames, "Scatter", 1, 0, 0))
WRAP(comm_Iscatter, rooted(self, args, nargs, kwnames, "Iscatter", 1, 0, 1))
WRAP(comm_Scatterv, rooted(self, args, nargs, kwnames, "Scatterv", 1, 1, 0))
WRAP(comm_Iscatterv, rooted(self, args, nargs, kwnames, "Iscatterv", 1, 1, 1))
WRAP(comm_Allgather, all_to(self, args, nargs, kwnames, K_ALLGATHER, 0))
WRAP(comm_Iallgather, all_to(self, args, nargs, kwnames, K_ALLGATHER, 1))
WRAP(comm_Allgatherv, all_to(self, args, nargs, kwnames, K_ALLGATHERV, 0))
WRAP(comm_Iallgatherv, all_to(self, args, nargs, kwnames, K_ALLGATHERV, 1))
WRAP(comm_Alltoall, all_to(self, args, nargs, kwnames, K_ALLTOALL, 0))
WRAP(comm_Ialltoall, all_to(self, args, nargs, kwnames, K_ALLTOALL, 1))
WRAP(comm_Alltoallv, all_to(self, args, nargs, kwnames, K_ALLTOALLV, 0))
WRAP(comm_Ialltoallv, all_to(self, args, nargs, kwnames, K_ALLTOALLV, 1))
WRAP(comm_Alltoallw, all_to(self, args, nargs, kwnames, K_ALLTOALLW, 0))
WRAP(comm_Ialltoallw, all_to(self, args, nargs, kwnames, K_ALLTOALLW, 1))
WRAP(comm_Reduce, reduce(self, args, nargs, kwnames, 0))
WRAP(comm_Ireduce, reduce(self, args, nargs, kwnames, 1))
WRAP(comm_Allreduce, reduce_all(self, args, nargs, kwnames, K_ALLREDUCE, 0))
WRAP(comm_Iallreduce, reduce_all(self, args, nargs, kwnames, K_ALLREDUCE, 1))
WRAP(comm_Reduce_scatter_block, reduce_scatter_block(self, args, nargs, kwnames, 0))
WRAP(comm_Ireduce_scatter_block, reduce_scatter_block(self, args, nargs, kwnames, 1))
WRAP(comm_Reduce_scatter, reduce_scatter(self, args, nargs, kwnames, 0))
WRAP(comm_Ireduce_scatter, reduce_scatter(self, args, nargs, kwnames, 1))
WRAP(intra_Scan, reduce_all(self, args, nargs, kwnames, K_SCAN, 0))
WRAP(intra_Iscan, reduce_all(self, args, nargs, kwnames, K_SCAN, 1))
WRAP(intra_Exscan, reduce_all(self, args, nargs, kwnames, K_EXSCAN, 0))
WRAP(intra_Iexscan, reduce_all(self, args, nargs, kwnames, K_EXSCAN, 1))
WRAP(topo_Neighbor_allgather, neighbor(self, args, nargs, kwnames, K_NALLGATHER, 0))
WRAP(topo_Ineighbor_allgather, neighbor(self, args, nargs, kwnames, K_NALLGATHER, 1))
WRAP(topo_Neighbor_allgatherv, neighbor(self, args, nargs, kwnames, K_NALLGATHERV, 0))
WRAP(topo_Ineighbor_allgatherv, neighbor(self, args, nargs, kwnames, K_NALLGATHERV, 1))
WRAP(topo_Neighbor_alltoall, neighbor(self, args, nargs, kwnames, K_NALLTOALL, 0))
WRAP(topo_Ineighbor_alltoall, neighbor(self, args, nargs, kwnames, K_NALLTOALL, 1))
WRAP(topo_Neighbor_alltoallv, neighbor(self, args, nargs, kwnames, K_NALLTOALLV, 0))
WRAP(topo_Ineighbor_alltoallv, neighbor(self, args, nargs, kwnames, K_NALLTOALLV, 1))
WRAP(topo_Neighbor_alltoallw, neighbor(self, args, nargs, kwnames, K_NALLTOALLW, 0))
WRAP(topo_Ineighbor_alltoallw, neighbor(self, args, nargs, kwnames, K_NALLTOALLW, 1))

/*
 * Docstrings start with the signature, which inspect reads too ("--"), except where the
 * default is not a literal (op=SUM): there it is plain text, as in mpi4py.
 */
#define SIG_RED "(sendbuf, recvbuf, op=SUM)\n\n"
#define SIG_ALL "($self, /, sendbuf, recvbuf)\n--\n\n"
#define SIG_ROOT "($self, /, sendbuf, recvbuf, root=0)\n--\n\n"
#define DEF(name, fn, sig, doc) {#name, PYMPI_FASTCALL(fn), #name sig doc}

PyMethodDef pympi_comm_coll_methods[] = {
    {"Barrier", comm_Barrier, METH_NOARGS, "Barrier($self, /)\n--\n\nBarrier synchronization."},
    DEF(Bcast, comm_Bcast, "($self, /, buf, root=0)\n--\n\n", "Broadcast a buffer from root."),
    DEF(Gather, comm_Gather, SIG_ROOT, "Gather equal blocks at root."),
    DEF(Gatherv, comm_Gatherv, SIG_ROOT, "Gather blocks of varying size at root."),
    DEF(Scatter, comm_Scatter, SIG_ROOT, "Scatter equal blocks from root."),
    DEF(Scatterv, comm_Scatterv, SIG_ROOT, "Scatter blocks of varying size from root."),
    DEF(Allgather, comm_Allgather, SIG_ALL, "Gather equal blocks at every process."),
    DEF(Allgatherv, comm_Allgatherv, SIG_ALL, "Gather blocks of varying size at every process."),
    DEF(Alltoall, comm_Alltoall, SIG_ALL, "Exchange equal blocks between all processes."),
    DEF(Alltoallv, comm_Alltoallv, SIG_ALL,
        "Exchange blocks of varying size between all processes."),
    DEF(Alltoallw, comm_Alltoallw, SIG_ALL,
        "Exchange blocks of varying size and datatype between all processes."),
    DEF(Reduce, comm_Reduce, "(sendbuf, recvbuf, op=SUM, root=0)\n\n",
        "Reduce to root."),
    DEF(Allreduce, comm_Allreduce, SIG_RED, "Reduce to every process."),
    DEF(Reduce_scatter_block, comm_Reduce_scatter_block, SIG_RED,
        "Reduce, then scatter equal blocks of the result."),
    DEF(Reduce_scatter, comm_Reduce_scatter,
        "(sendbuf, recvbuf, recvcounts=None, op=SUM)\n\n",
        "Reduce, then scatter blocks of the result by recvcounts."),
    {"Ibarrier", comm_Ibarrier, METH_NOARGS, "Ibarrier($self, /)\n--\n\nNonblocking barrier."},
    DEF(Ibcast, comm_Ibcast, "($self, /, buf, root=0)\n--\n\n", "Nonblocking Bcast."),
    DEF(Igather, comm_Igather, SIG_ROOT, "Nonblocking Gather."),
    DEF(Igatherv, comm_Igatherv, SIG_ROOT, "Nonblocking Gatherv."),
    DEF(Iscatter, comm_Iscatter, SIG_ROOT, "Nonblocking Scatter."),
    DEF(Iscatterv, comm_Iscatterv, SIG_ROOT, "Nonblocking Scatterv."),
    DEF(Iallgather, comm_Iallgather, SIG_ALL, "Nonblocking Allgather."),
    DEF(Iallgatherv, comm_Iallgatherv, SIG_ALL, "Nonblocking Allgatherv."),
    DEF(Ialltoall, comm_Ialltoall, SIG_ALL, "Nonblocking Alltoall."),
    DEF(Ialltoallv, comm_Ialltoallv, SIG_ALL, "Nonblocking Alltoallv."),
    DEF(Ialltoallw, comm_Ialltoallw, SIG_ALL, "Nonblocking Alltoallw."),
    DEF(Ireduce, comm_Ireduce, "(sendbuf, recvbuf, op=SUM, root=0)\n\n",
        "Nonblocking Reduce."),
    DEF(Iallreduce, comm_Iallreduce, SIG_RED, "Nonblocking Allreduce."),
    DEF(Ireduce_scatter_block, comm_Ireduce_scatter_block, SIG_RED,
        "Nonblocking Reduce_scatter_block."),
    DEF(Ireduce_scatter, comm_Ireduce_scatter,
        "(sendbuf, recvbuf, recvcounts=None, op=SUM)\n\n",
        "Nonblocking Reduce_scatter."),
    {NULL},
};

PyMethodDef pympi_intracomm_coll_methods[] = {
    DEF(Scan, intra_Scan, SIG_RED, "Inclusive prefix reduction."),
    DEF(Exscan, intra_Exscan, SIG_RED, "Exclusive prefix reduction."),
    DEF(Iscan, intra_Iscan, SIG_RED, "Nonblocking Scan."),
    DEF(Iexscan, intra_Iexscan, SIG_RED, "Nonblocking Exscan."),
    {NULL},
};

PyMethodDef pympi_topocomm_coll_methods[] = {
    DEF(Neighbor_allgather, topo_Neighbor_allgather, SIG_ALL,
        "Gather a block from every in-neighbor."),
    DEF(Neighbor_allgatherv, topo_Neighbor_allgatherv, SIG_ALL,
        "Gather a block of varying size from every in-neighbor."),
    DEF(Neighbor_alltoall, topo_Neighbor_alltoall, SIG_ALL,
        "Exchange equal blocks with the neighbors."),
    DEF(Neighbor_alltoallv, topo_Neighbor_alltoallv, SIG_ALL,
        "Exchange blocks of varying size with the neighbors."),
    DEF(Neighbor_alltoallw, topo_Neighbor_alltoallw, SIG_ALL,
        "Exchange blocks of varying size and datatype with the neighbors."),
    DEF(Ineighbor_allgather, topo_Ineighbor_allgather, SIG_ALL, "Nonblocking Neighbor_allgather."),
    DEF(Ineighbor_allgatherv, topo_Ineighbor_allgatherv, SIG_ALL,
        "Nonblocking Neighbor_allgatherv."),
    DEF(Ineighbor_alltoall, topo_Ineighbor_alltoall, SIG_ALL, "Nonblocking Neighbor_alltoall."),
    DEF(Ineighbor_alltoallv, topo_Ineighbor_alltoallv, SIG_ALL,
        "Nonblocking Neighbor_alltoallv."),
    DEF(Ineighbor_alltoallw, topo_Ineighbor_alltoallw, SIG_ALL,
        "Nonblocking Neighbor_alltoallw."),
    {NULL},
};
