/* coll.c - collective entry points: blocking, nonblocking (MPI_I*) and persistent
 * (MPI_*_init) forms of every collective, on intra- and intercommunicators.
 *
 * Each collective has one checker that validates its arguments as the standard says
 * (buffers, counts, types and roots only where they are significant; MPI_IN_PLACE only
 * where allowed) and fills a struct lm_coll_args; the three forms differ only in what
 * happens next (run, start, or build a persistent request), see call(). Algorithms live
 * in src/coll.
 *
 * Intercommunicators: a rooted collective's root is MPI_ROOT at the root, MPI_PROC_NULL
 * in the rest of the root's group (nothing else is significant there) and the root's rank
 * in the remote group elsewhere; v/w arrays indexed by peer have remote_size entries
 * (reduce_scatter's recvcounts stay local: they scatter in the local group). MPI_IN_PLACE
 * is never allowed on an intercommunicator (MPI_ERR_BUFFER, as MPICH does; MPI-4.1 defines
 * no in-place form there), and scan/exscan are refused with MPI_ERR_COMM.
 * The info argument of the *_init forms carries no hints we use yet.
 */
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"
#include "coll/coll.h"

enum mode { BLOCKING, NONBLOCKING, PERSISTENT };

static int call(struct lm_coll_args *a, struct lm_comm *c, int rc, enum mode mode,
                MPI_Request *request, const char *fn)
{
    if (rc == LM_OK && mode != BLOCKING && !request)
        rc = lm_err_detail(MPI_ERR_ARG, "request is NULL");
    if (rc != LM_OK) {
        if (mode != BLOCKING && request)
            *request = MPI_REQUEST_NULL;
        return lm_api_error(c, rc, fn);
    }
    a->comm = c;
    lm_lock();
    if (mode == BLOCKING) {
        lm_call_enter(fn, NULL, 0, 0, c);   /* for the launcher's where-stuck report */
        rc = lm_coll_run(a);
    } else {
        struct lm_request *req = NULL;
        rc = mode == NONBLOCKING ? lm_coll_start(a, &req) : lm_coll_init(a, &req);
        *request = req ? (MPI_Request)req : MPI_REQUEST_NULL;
    }
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(c, rc, fn);
}

/* ---- argument checks -------------------------------------------------------------------- */

static const char *comm_name(const struct lm_comm *c)
{
    return c->name[0] ? c->name : "the communicator";
}

static int check_root(struct lm_comm *c, int root)
{
    if (c->inter) {
        if (root == MPI_ROOT || root == MPI_PROC_NULL || (root >= 0 && root < c->remote_size))
            return LM_OK;
        return lm_err_detail(MPI_ERR_ROOT, "invalid root: root = %d on intercommunicator %s; "
                             "the root passes MPI_ROOT, the rest of its group MPI_PROC_NULL, "
                             "the other group the root's rank there (0..%d)", root,
                             comm_name(c), c->remote_size - 1);
    }
    if (root >= 0 && root < c->size)
        return LM_OK;
    return lm_err_detail(MPI_ERR_ROOT, "invalid root: root = %d, but %s has %d rank%s "
                         "(0..%d)%s", root, comm_name(c), c->size, c->size == 1 ? "" : "s",
                         c->size - 1, root == MPI_ROOT ? " (MPI_ROOT is for "
                         "intercommunicators)" : root == MPI_PROC_NULL ? " (MPI_PROC_NULL is "
                         "for intercommunicators)" : "");
}

/* Intercommunicators take no MPI_IN_PLACE anywhere. */
static int no_in_place_inter(const struct lm_comm *c, const void *buf, const char *arg)
{
    if (c->inter && buf == MPI_IN_PLACE)
        return lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: %s is MPI_IN_PLACE, which "
                             "collectives on an intercommunicator (%s) do not accept", arg,
                             comm_name(c));
    return LM_OK;
}

static int check_count(MPI_Count count, const char *arg)
{
    if (count < 0)
        return lm_err_detail(MPI_ERR_COUNT, "invalid count: %s = %lld is negative", arg,
                             (long long)count);
    return LM_OK;
}

/* count elements of datatype at buf, all significant */
static int check_data(const void *buf, MPI_Count count, MPI_Datatype dt,
                      struct lm_datatype **t, const char *bufarg, const char *countarg,
                      const char *typearg)
{
    int rc;
    if ((rc = check_count(count, countarg)) != LM_OK ||
        (rc = lm_check_type(dt, t, typearg)) != LM_OK)
        return rc;
    if (buf == MPI_IN_PLACE)
        return lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: %s is MPI_IN_PLACE, which "
                             "this argument does not accept", bufarg);
    return lm_check_buf(buf, count > 0, *t, bufarg);
}

/* Entry i of a v form's counts: int, or MPI_Count in the _c forms (big). */
static MPI_Count count_at(const void *counts, bool big, int i)
{
    return big ? ((const MPI_Count *)counts)[i] : ((const int *)counts)[i];
}

/* counts[] (and displs[]) of a v form: non-NULL, counts not negative */
static int check_counts(const void *counts, const void *displs, bool big, int n,
                        const char *carg, const char *darg)
{
    if (!counts)
        return lm_err_detail(MPI_ERR_ARG, "%s is NULL", carg);
    if (darg && !displs)
        return lm_err_detail(MPI_ERR_ARG, "%s is NULL", darg);
    for (int i = 0; i < n; i++)
        if (count_at(counts, big, i) < 0)
            return lm_err_detail(MPI_ERR_COUNT, "invalid count: %s[%d] = %lld is negative",
                                 carg, i, (long long)count_at(counts, big, i));
    return LM_OK;
}

static int check_vtype(const void *buf, MPI_Datatype dt, struct lm_datatype **t,
                       const char *bufarg, const char *typearg)
{
    int rc = lm_check_type(dt, t, typearg);
    if (rc == LM_OK && buf == MPI_IN_PLACE)
        rc = lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: %s is MPI_IN_PLACE, which this "
                           "argument does not accept", bufarg);
    return rc;
}

static int no_alias(const void *sbuf, const void *rbuf, size_t bytes)
{
    if (sbuf == rbuf && sbuf != MPI_IN_PLACE && bytes > 0)
        return lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: sendbuf and recvbuf are the "
                             "same buffer (%p); pass MPI_IN_PLACE as sendbuf to work in place",
                             rbuf);
    return LM_OK;
}

/* op valid for datatype */
static int check_op_type(MPI_Op op, struct lm_datatype *t, struct lm_op **o)
{
    int rc = lm_check_op(op, o, "op");
    return rc != LM_OK ? rc : lm_op_check(*o, t);
}


/* ---- one checker per collective (counts as MPI_Count; v-form arrays int or, big,
 * MPI_Count/MPI_Aint) ------------------------------------------------------------------- */

/* The communicator of a collective (intra or inter). */
static int coll_comm(MPI_Comm comm, struct lm_comm **c)
{
    return lm_check_comm(comm, c, "comm");
}

/* Scan and exscan: intracommunicators only. */
static int coll_comm_intra(MPI_Comm comm, struct lm_comm **c, const char *fn)
{
    int rc = lm_check_comm(comm, c, "comm");
    if (rc == LM_OK && (*c)->inter)
        rc = lm_err_detail(MPI_ERR_COMM, "invalid communicator: comm (%s) is an "
                           "intercommunicator; %s is defined on intracommunicators only",
                           comm_name(*c), fn);
    return rc;
}

static int barrier(MPI_Comm comm, enum mode mode, MPI_Request *request, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_coll_args a = {.kind = LM_COLL_BARRIER};
    struct lm_comm *c;
    int rc = coll_comm(comm, &c);
    return call(&a, c, rc, mode, request, fn);
}

static int bcast(void *buffer, MPI_Count count, MPI_Datatype datatype, int root, MPI_Comm comm,
                 enum mode mode, MPI_Request *request, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_coll_args a = {.kind = LM_COLL_BCAST, .rbuf = buffer, .root = root};
    struct lm_comm *c;
    int rc = coll_comm(comm, &c);
    /* MPI_PROC_NULL on an intercommunicator: the buffer is not significant */
    if (rc == LM_OK && (rc = check_root(c, root)) == LM_OK && !(c->inter && root == MPI_PROC_NULL)
        && (rc = check_data(buffer, count, datatype, &a.rtype, "buffer", "count", "datatype")) ==
            LM_OK)
        a.rcount = (size_t)count;
    return call(&a, c, rc, mode, request, fn);
}

/* gather and gatherv (v: recvcounts/displs at the root) */
static int gather(const void *sendbuf, MPI_Count sendcount, MPI_Datatype sendtype,
                  void *recvbuf, MPI_Count recvcount, const void *recvcounts,
                  const void *displs, bool big, MPI_Datatype recvtype, int root,
                  MPI_Comm comm, bool v, enum mode mode, MPI_Request *request, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_coll_args a = {.kind = v ? LM_COLL_GATHERV : LM_COLL_GATHER, .sbuf = sendbuf,
                             .rbuf = recvbuf, .root = root, .rcounts = recvcounts,
                             .rdispls = displs, .big = big};
    struct lm_comm *c;
    int rc = coll_comm(comm, &c);
    if (rc != LM_OK || (rc = check_root(c, root)) != LM_OK)
        return call(&a, c, rc, mode, request, fn);
    /* inter: the root receives from the remote group, which sends; MPI_PROC_NULL idles */
    bool is_root = c->inter ? root == MPI_ROOT : c->rank == root;
    bool sends = c->inter ? root >= 0 : !(is_root && sendbuf == MPI_IN_PLACE);
    int nblocks = c->inter ? c->remote_size : c->size;
    if (is_root && v) {
        if ((rc = check_counts(recvcounts, displs, big, nblocks, "recvcounts", "displs")) ==
            LM_OK)
            rc = check_vtype(recvbuf, recvtype, &a.rtype, "recvbuf", "recvtype");
    } else if (is_root) {
        rc = check_data(recvbuf, recvcount, recvtype, &a.rtype, "recvbuf", "recvcount",
                        "recvtype");
        a.rcount = (size_t)(recvcount > 0 ? recvcount : 0);
    }
    if (rc == LM_OK && sends) {
        rc = check_data(sendbuf, sendcount, sendtype, &a.stype, "sendbuf", "sendcount",
                        "sendtype");
        a.scount = (size_t)(sendcount > 0 ? sendcount : 0);
        if (rc == LM_OK && is_root && !v)
            rc = no_alias(sendbuf, recvbuf, a.scount * a.stype->size);
    }
    return call(&a, c, rc, mode, request, fn);
}

/* scatter and scatterv (v: sendcounts/displs at the root) */
static int scatter(const void *sendbuf, MPI_Count sendcount, const void *sendcounts,
                   const void *displs, bool big, MPI_Datatype sendtype, void *recvbuf,
                   MPI_Count recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm, bool v,
                   enum mode mode, MPI_Request *request, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_coll_args a = {.kind = v ? LM_COLL_SCATTERV : LM_COLL_SCATTER, .sbuf = sendbuf,
                             .rbuf = recvbuf, .root = root, .scounts = sendcounts,
                             .sdispls = displs, .big = big};
    struct lm_comm *c;
    int rc = coll_comm(comm, &c);
    if (rc != LM_OK || (rc = check_root(c, root)) != LM_OK)
        return call(&a, c, rc, mode, request, fn);
    /* inter: the root sends to the remote group, which receives; MPI_PROC_NULL idles */
    bool is_root = c->inter ? root == MPI_ROOT : c->rank == root;
    bool receives = c->inter ? root >= 0 : !(is_root && recvbuf == MPI_IN_PLACE);
    int nblocks = c->inter ? c->remote_size : c->size;
    if (is_root && v) {
        if ((rc = check_counts(sendcounts, displs, big, nblocks, "sendcounts", "displs")) ==
            LM_OK)
            rc = check_vtype(sendbuf, sendtype, &a.stype, "sendbuf", "sendtype");
    } else if (is_root) {
        rc = check_data(sendbuf, sendcount, sendtype, &a.stype, "sendbuf", "sendcount",
                        "sendtype");
        a.scount = (size_t)(sendcount > 0 ? sendcount : 0);
    }
    if (rc == LM_OK && receives) {
        rc = check_data(recvbuf, recvcount, recvtype, &a.rtype, "recvbuf", "recvcount",
                        "recvtype");
        a.rcount = (size_t)(recvcount > 0 ? recvcount : 0);
        if (rc == LM_OK && is_root && !v)
            rc = no_alias(sendbuf, recvbuf, a.rcount * a.rtype->size);
    }
    return call(&a, c, rc, mode, request, fn);
}

/* allgather and allgatherv */
static int allgather(const void *sendbuf, MPI_Count sendcount, MPI_Datatype sendtype,
                     void *recvbuf, MPI_Count recvcount, const void *recvcounts,
                     const void *displs, bool big, MPI_Datatype recvtype, MPI_Comm comm,
                     bool v, enum mode mode, MPI_Request *request, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_coll_args a = {.kind = v ? LM_COLL_ALLGATHERV : LM_COLL_ALLGATHER,
                             .sbuf = sendbuf, .rbuf = recvbuf, .rcounts = recvcounts,
                             .rdispls = displs, .big = big};
    struct lm_comm *c;
    int rc = coll_comm(comm, &c);
    if (rc == LM_OK)
        rc = no_in_place_inter(c, sendbuf, "sendbuf");
    if (rc == LM_OK && v) {
        if ((rc = check_counts(recvcounts, displs, big, c->remote_size, "recvcounts",
                               "displs")) == LM_OK)
            rc = check_vtype(recvbuf, recvtype, &a.rtype, "recvbuf", "recvtype");
    } else if (rc == LM_OK) {
        rc = check_data(recvbuf, recvcount, recvtype, &a.rtype, "recvbuf", "recvcount",
                        "recvtype");
        a.rcount = (size_t)(recvcount > 0 ? recvcount : 0);
    }
    if (rc == LM_OK && sendbuf != MPI_IN_PLACE) {
        rc = check_data(sendbuf, sendcount, sendtype, &a.stype, "sendbuf", "sendcount",
                        "sendtype");
        a.scount = (size_t)(sendcount > 0 ? sendcount : 0);
        if (rc == LM_OK)
            rc = no_alias(sendbuf, recvbuf, a.scount * a.stype->size);
    }
    return call(&a, c, rc, mode, request, fn);
}

static int alltoall(const void *sendbuf, MPI_Count sendcount, MPI_Datatype sendtype,
                    void *recvbuf, MPI_Count recvcount, MPI_Datatype recvtype, MPI_Comm comm,
                    enum mode mode, MPI_Request *request, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_coll_args a = {.kind = LM_COLL_ALLTOALL, .sbuf = sendbuf, .rbuf = recvbuf};
    struct lm_comm *c;
    int rc = coll_comm(comm, &c);
    if (rc == LM_OK)
        rc = no_in_place_inter(c, sendbuf, "sendbuf");
    if (rc == LM_OK) {
        rc = check_data(recvbuf, recvcount, recvtype, &a.rtype, "recvbuf", "recvcount",
                        "recvtype");
        a.rcount = (size_t)(recvcount > 0 ? recvcount : 0);
    }
    if (rc == LM_OK && sendbuf != MPI_IN_PLACE) {
        rc = check_data(sendbuf, sendcount, sendtype, &a.stype, "sendbuf", "sendcount",
                        "sendtype");
        a.scount = (size_t)(sendcount > 0 ? sendcount : 0);
        if (rc == LM_OK)
            rc = no_alias(sendbuf, recvbuf, a.scount * a.stype->size);
    }
    return call(&a, c, rc, mode, request, fn);
}

/* alltoallv and alltoallw (w: per-peer types, byte displacements). The per-peer type
 * arrays are converted for the build; the schedule keeps its own references. */
static int alltoallvw(const void *sendbuf, const void *sendcounts, const void *sdispls,
                      MPI_Datatype sendtype, const MPI_Datatype *sendtypes, void *recvbuf,
                      const void *recvcounts, const void *rdispls, MPI_Datatype recvtype,
                      const MPI_Datatype *recvtypes, bool big, MPI_Comm comm, bool w,
                      enum mode mode, MPI_Request *request, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_coll_args a = {.kind = w ? LM_COLL_ALLTOALLW : LM_COLL_ALLTOALLV,
                             .sbuf = sendbuf, .rbuf = recvbuf, .scounts = sendcounts,
                             .sdispls = sdispls, .rcounts = recvcounts, .rdispls = rdispls,
                             .big = big};
    struct lm_comm *c;
    struct lm_datatype **types = NULL;
    int rc = coll_comm(comm, &c);
    if (rc != LM_OK)
        return call(&a, c, rc, mode, request, fn);
    int p = c->remote_size;   /* blocks: one per peer, remote ranks on an intercomm */
    bool in_place = sendbuf == MPI_IN_PLACE;
    if ((rc = no_in_place_inter(c, sendbuf, "sendbuf")) != LM_OK)
        return call(&a, c, rc, mode, request, fn);
    if (w && !(types = calloc(2 * (size_t)p, sizeof *types)))
        rc = lm_err_detail(MPI_ERR_NO_MEM, "out of memory");
    if (rc == LM_OK)
        rc = check_counts(recvcounts, rdispls, big, p, "recvcounts", "rdispls");
    if (rc == LM_OK && !in_place)
        rc = check_counts(sendcounts, sdispls, big, p, "sendcounts", "sdispls");
    if (rc == LM_OK && recvbuf == MPI_IN_PLACE)
        rc = lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: recvbuf is MPI_IN_PLACE");
    if (rc == LM_OK && !w) {
        rc = lm_check_type(recvtype, &a.rtype, "recvtype");
        if (rc == LM_OK && !in_place)
            rc = lm_check_type(sendtype, &a.stype, "sendtype");
    } else if (rc == LM_OK) {
        if (!recvtypes || (!in_place && !sendtypes))
            rc = lm_err_detail(MPI_ERR_ARG, "%s is NULL", recvtypes ? "sendtypes" : "recvtypes");
        /* zero-count entries may name any type: they are never looked at */
        for (int i = 0; rc == LM_OK && i < p; i++) {
            char arg[40];
            types[p + i] = types[i] = lm_coll_byte();
            snprintf(arg, sizeof arg, "recvtypes[%d]", i);
            if (count_at(recvcounts, big, i) > 0)
                rc = lm_check_type(recvtypes[i], &types[p + i], arg);
            snprintf(arg, sizeof arg, "sendtypes[%d]", i);
            if (rc == LM_OK && !in_place && count_at(sendcounts, big, i) > 0)
                rc = lm_check_type(sendtypes[i], &types[i], arg);
        }
        a.stypes = types;
        a.rtypes = types ? types + p : NULL;
    }
    if (rc == LM_OK && !in_place && sendbuf == recvbuf)
        rc = no_alias(sendbuf, recvbuf, 1);
    rc = call(&a, c, rc, mode, request, fn);
    free(types);
    return rc;
}

/* reduce (root >= 0), allreduce, scan, exscan (root = -1) */
static int reduction(enum lm_coll_kind kind, const void *sendbuf, void *recvbuf,
                     MPI_Count count, MPI_Datatype datatype, MPI_Op op, int root,
                     MPI_Comm comm, enum mode mode, MPI_Request *request, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_coll_args a = {.kind = kind, .sbuf = sendbuf, .rbuf = recvbuf, .root = root};
    struct lm_comm *c;
    bool scan = kind == LM_COLL_SCAN || kind == LM_COLL_EXSCAN;
    int rc = scan ? coll_comm_intra(comm, &c, fn) : coll_comm(comm, &c);
    if (rc != LM_OK || (kind == LM_COLL_REDUCE && (rc = check_root(c, root)) != LM_OK))
        return call(&a, c, rc, mode, request, fn);
    /* reduce on an intercommunicator: MPI_ROOT receives, the remote group sends, and
     * MPI_PROC_NULL passes nothing significant */
    bool inter_reduce = c->inter && kind == LM_COLL_REDUCE;
    if (inter_reduce && root == MPI_PROC_NULL)
        return call(&a, c, LM_OK, mode, request, fn);
    bool rbuf_used = kind != LM_COLL_REDUCE || (c->inter ? root == MPI_ROOT : c->rank == root);
    bool sbuf_used = !inter_reduce || root >= 0;
    if ((rc = check_count(count, "count")) == LM_OK &&
        (rc = lm_check_type(datatype, &a.rtype, "datatype")) == LM_OK &&
        (rc = check_op_type(op, a.rtype, &a.op)) == LM_OK) {
        a.rcount = (size_t)count;
        if (sbuf_used && sendbuf != MPI_IN_PLACE)
            rc = lm_check_buf(sendbuf, count > 0, a.rtype, "sendbuf");
        else if (sbuf_used && c->inter)
            rc = no_in_place_inter(c, sendbuf, "sendbuf");
        else if (sbuf_used && kind == LM_COLL_REDUCE && c->rank != root)
            rc = lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: sendbuf is MPI_IN_PLACE, "
                               "which only the root may pass");
    }
    if (rc == LM_OK && rbuf_used) {
        if (recvbuf == MPI_IN_PLACE)
            rc = lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: recvbuf is MPI_IN_PLACE");
        else if ((rc = lm_check_buf(recvbuf, count > 0, a.rtype, "recvbuf")) == LM_OK &&
                 sbuf_used)
            rc = no_alias(sendbuf, recvbuf, a.rcount * a.rtype->size);
    }
    return call(&a, c, rc, mode, request, fn);
}

/* reduce_scatter (recvcounts) and reduce_scatter_block (recvcount) */
static int reduce_scatter(const void *sendbuf, void *recvbuf, MPI_Count recvcount,
                          const void *recvcounts, bool big, MPI_Datatype datatype, MPI_Op op,
                          MPI_Comm comm, bool block, enum mode mode, MPI_Request *request,
                          const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_coll_args a = {.kind = block ? LM_COLL_REDUCE_SCATTER_BLOCK
                                           : LM_COLL_REDUCE_SCATTER,
                             .sbuf = sendbuf, .rbuf = recvbuf,
                             .rcounts = block ? NULL : recvcounts, .big = big};
    struct lm_comm *c;
    int rc = coll_comm(comm, &c);
    if (rc == LM_OK)
        rc = no_in_place_inter(c, sendbuf, "sendbuf");
    if (rc != LM_OK)
        return call(&a, c, rc, mode, request, fn);
    /* inter: recvcounts scatter the other group's reduction in the local group, so they
     * are local ranks' counts as on an intracommunicator */
    size_t total = 0, mine = 0;
    if (block) {
        rc = check_count(recvcount, "recvcount");
        a.rcount = (size_t)(recvcount > 0 ? recvcount : 0);
        total = a.rcount * (size_t)c->size;
        mine = a.rcount;
    } else if ((rc = check_counts(recvcounts, NULL, big, c->size, "recvcounts", NULL)) ==
               LM_OK) {
        for (int i = 0; i < c->size; i++)
            total += (size_t)count_at(recvcounts, big, i);
        mine = (size_t)count_at(recvcounts, big, c->rank);
    }
    if (rc == LM_OK && (rc = lm_check_type(datatype, &a.rtype, "datatype")) == LM_OK &&
        (rc = check_op_type(op, a.rtype, &a.op)) == LM_OK) {
        if (recvbuf == MPI_IN_PLACE)
            rc = lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: recvbuf is MPI_IN_PLACE");
        else if (sendbuf == MPI_IN_PLACE)
            rc = lm_check_buf(recvbuf, total > 0, a.rtype, "recvbuf");
        else if ((rc = lm_check_buf(sendbuf, total > 0, a.rtype, "sendbuf")) == LM_OK &&
                 (rc = lm_check_buf(recvbuf, mine > 0, a.rtype, "recvbuf")) == LM_OK)
            rc = no_alias(sendbuf, recvbuf, total * a.rtype->size);
    }
    return call(&a, c, rc, mode, request, fn);
}

/* ---- entry points: MPI_X, MPI_Ix, MPI_X_init, and the large-count _c forms ------------- */

LM_EXPORT int PMPI_Barrier(MPI_Comm comm)
{
    return barrier(comm, BLOCKING, NULL, "MPI_Barrier");
}
LM_WEAK_ALIAS(Barrier)

LM_EXPORT int PMPI_Ibarrier(MPI_Comm comm, MPI_Request *request)
{
    return barrier(comm, NONBLOCKING, request, "MPI_Ibarrier");
}
LM_WEAK_ALIAS(Ibarrier)

LM_EXPORT int PMPI_Barrier_init(MPI_Comm comm, MPI_Info info, MPI_Request *request)
{
    (void)info;
    return barrier(comm, PERSISTENT, request, "MPI_Barrier_init");
}
LM_WEAK_ALIAS(Barrier_init)

LM_EXPORT int PMPI_Bcast(void *buffer, int count, MPI_Datatype datatype, int root,
                         MPI_Comm comm)
{
    return bcast(buffer, count, datatype, root, comm, BLOCKING, NULL, "MPI_Bcast");
}
LM_WEAK_ALIAS(Bcast)

LM_EXPORT int PMPI_Ibcast(void *buffer, int count, MPI_Datatype datatype, int root,
                          MPI_Comm comm, MPI_Request *request)
{
    return bcast(buffer, count, datatype, root, comm, NONBLOCKING, request, "MPI_Ibcast");
}
LM_WEAK_ALIAS(Ibcast)

LM_EXPORT int PMPI_Bcast_init(void *buffer, int count, MPI_Datatype datatype, int root,
                              MPI_Comm comm, MPI_Info info, MPI_Request *request)
{
    (void)info;
    return bcast(buffer, count, datatype, root, comm, PERSISTENT, request, "MPI_Bcast_init");
}
LM_WEAK_ALIAS(Bcast_init)

LM_EXPORT int PMPI_Bcast_c(void *buffer, MPI_Count count, MPI_Datatype datatype, int root,
                           MPI_Comm comm)
{
    return bcast(buffer, count, datatype, root, comm, BLOCKING, NULL, "MPI_Bcast_c");
}
LM_WEAK_ALIAS(Bcast_c)

LM_EXPORT int PMPI_Ibcast_c(void *buffer, MPI_Count count, MPI_Datatype datatype, int root,
                            MPI_Comm comm, MPI_Request *request)
{
    return bcast(buffer, count, datatype, root, comm, NONBLOCKING, request, "MPI_Ibcast_c");
}
LM_WEAK_ALIAS(Ibcast_c)

LM_EXPORT int PMPI_Bcast_init_c(void *buffer, MPI_Count count, MPI_Datatype datatype, int root,
                                MPI_Comm comm, MPI_Info info, MPI_Request *request)
{
    (void)info;
    return bcast(buffer, count, datatype, root, comm, PERSISTENT, request, "MPI_Bcast_init_c");
}
LM_WEAK_ALIAS(Bcast_init_c)

LM_EXPORT int PMPI_Gather(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                          void *recvbuf, int recvcount, MPI_Datatype recvtype, int root,
                          MPI_Comm comm)
{
    return gather(sendbuf, sendcount, sendtype, recvbuf, recvcount, NULL, NULL, false,
                  recvtype, root, comm, false, BLOCKING, NULL, "MPI_Gather");
}
LM_WEAK_ALIAS(Gather)

LM_EXPORT int PMPI_Igather(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                           void *recvbuf, int recvcount, MPI_Datatype recvtype, int root,
                           MPI_Comm comm, MPI_Request *request)
{
    return gather(sendbuf, sendcount, sendtype, recvbuf, recvcount, NULL, NULL, false,
                  recvtype, root, comm, false, NONBLOCKING, request, "MPI_Igather");
}
LM_WEAK_ALIAS(Igather)

LM_EXPORT int PMPI_Gather_init(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                               void *recvbuf, int recvcount, MPI_Datatype recvtype, int root,
                               MPI_Comm comm, MPI_Info info, MPI_Request *request)
{
    (void)info;
    return gather(sendbuf, sendcount, sendtype, recvbuf, recvcount, NULL, NULL, false,
                  recvtype, root, comm, false, PERSISTENT, request, "MPI_Gather_init");
}
LM_WEAK_ALIAS(Gather_init)

LM_EXPORT int PMPI_Gather_c(const void *sendbuf, MPI_Count sendcount, MPI_Datatype sendtype,
                            void *recvbuf, MPI_Count recvcount, MPI_Datatype recvtype,
                            int root, MPI_Comm comm)
{
    return gather(sendbuf, sendcount, sendtype, recvbuf, recvcount, NULL, NULL, true, recvtype,
                  root, comm, false, BLOCKING, NULL, "MPI_Gather_c");
}
LM_WEAK_ALIAS(Gather_c)

LM_EXPORT int PMPI_Igather_c(const void *sendbuf, MPI_Count sendcount, MPI_Datatype sendtype,
                             void *recvbuf, MPI_Count recvcount, MPI_Datatype recvtype,
                             int root, MPI_Comm comm, MPI_Request *request)
{
    return gather(sendbuf, sendcount, sendtype, recvbuf, recvcount, NULL, NULL, true, recvtype,
                  root, comm, false, NONBLOCKING, request, "MPI_Igather_c");
}
LM_WEAK_ALIAS(Igather_c)

LM_EXPORT int PMPI_Gather_init_c(const void *sendbuf, MPI_Count sendcount,
                                 MPI_Datatype sendtype, void *recvbuf, MPI_Count recvcount,
                                 MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Info info,
                                 MPI_Request *request)
{
    (void)info;
    return gather(sendbuf, sendcount, sendtype, recvbuf, recvcount, NULL, NULL, true, recvtype,
                  root, comm, false, PERSISTENT, request, "MPI_Gather_init_c");
}
LM_WEAK_ALIAS(Gather_init_c)

LM_EXPORT int PMPI_Gatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                           void *recvbuf, const int recvcounts[], const int displs[],
                           MPI_Datatype recvtype, int root, MPI_Comm comm)
{
    return gather(sendbuf, sendcount, sendtype, recvbuf, 0, recvcounts, displs, false,
                  recvtype, root, comm, true, BLOCKING, NULL, "MPI_Gatherv");
}
LM_WEAK_ALIAS(Gatherv)

LM_EXPORT int PMPI_Igatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                            void *recvbuf, const int recvcounts[], const int displs[],
                            MPI_Datatype recvtype, int root, MPI_Comm comm,
                            MPI_Request *request)
{
    return gather(sendbuf, sendcount, sendtype, recvbuf, 0, recvcounts, displs, false,
                  recvtype, root, comm, true, NONBLOCKING, request, "MPI_Igatherv");
}
LM_WEAK_ALIAS(Igatherv)

LM_EXPORT int PMPI_Gatherv_init(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                                void *recvbuf, const int recvcounts[], const int displs[],
                                MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Info info,
                                MPI_Request *request)
{
    (void)info;
    return gather(sendbuf, sendcount, sendtype, recvbuf, 0, recvcounts, displs, false,
                  recvtype, root, comm, true, PERSISTENT, request, "MPI_Gatherv_init");
}
LM_WEAK_ALIAS(Gatherv_init)

LM_EXPORT int PMPI_Gatherv_c(const void *sendbuf, MPI_Count sendcount, MPI_Datatype sendtype,
                             void *recvbuf, const MPI_Count recvcounts[],
                             const MPI_Aint displs[], MPI_Datatype recvtype, int root,
                             MPI_Comm comm)
{
    return gather(sendbuf, sendcount, sendtype, recvbuf, 0, recvcounts, displs, true, recvtype,
                  root, comm, true, BLOCKING, NULL, "MPI_Gatherv_c");
}
LM_WEAK_ALIAS(Gatherv_c)

LM_EXPORT int PMPI_Igatherv_c(const void *sendbuf, MPI_Count sendcount, MPI_Datatype sendtype,
                              void *recvbuf, const MPI_Count recvcounts[],
                              const MPI_Aint displs[], MPI_Datatype recvtype, int root,
                              MPI_Comm comm, MPI_Request *request)
{
    return gather(sendbuf, sendcount, sendtype, recvbuf, 0, recvcounts, displs, true, recvtype,
                  root, comm, true, NONBLOCKING, request, "MPI_Igatherv_c");
}
LM_WEAK_ALIAS(Igatherv_c)

LM_EXPORT int PMPI_Gatherv_init_c(const void *sendbuf, MPI_Count sendcount,
                                  MPI_Datatype sendtype, void *recvbuf,
                                  const MPI_Count recvcounts[], const MPI_Aint displs[],
                                  MPI_Datatype recvtype, int root, MPI_Comm comm,
                                  MPI_Info info, MPI_Request *request)
{
    (void)info;
    return gather(sendbuf, sendcount, sendtype, recvbuf, 0, recvcounts, displs, true, recvtype,
                  root, comm, true, PERSISTENT, request, "MPI_Gatherv_init_c");
}
LM_WEAK_ALIAS(Gatherv_init_c)

LM_EXPORT int PMPI_Scatter(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                           void *recvbuf, int recvcount, MPI_Datatype recvtype, int root,
                           MPI_Comm comm)
{
    return scatter(sendbuf, sendcount, NULL, NULL, false, sendtype, recvbuf, recvcount,
                   recvtype, root, comm, false, BLOCKING, NULL, "MPI_Scatter");
}
LM_WEAK_ALIAS(Scatter)

LM_EXPORT int PMPI_Iscatter(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                            void *recvbuf, int recvcount, MPI_Datatype recvtype, int root,
                            MPI_Comm comm, MPI_Request *request)
{
    return scatter(sendbuf, sendcount, NULL, NULL, false, sendtype, recvbuf, recvcount,
                   recvtype, root, comm, false, NONBLOCKING, request, "MPI_Iscatter");
}
LM_WEAK_ALIAS(Iscatter)

LM_EXPORT int PMPI_Scatter_init(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                                void *recvbuf, int recvcount, MPI_Datatype recvtype, int root,
                                MPI_Comm comm, MPI_Info info, MPI_Request *request)
{
    (void)info;
    return scatter(sendbuf, sendcount, NULL, NULL, false, sendtype, recvbuf, recvcount,
                   recvtype, root, comm, false, PERSISTENT, request, "MPI_Scatter_init");
}
LM_WEAK_ALIAS(Scatter_init)

LM_EXPORT int PMPI_Scatter_c(const void *sendbuf, MPI_Count sendcount, MPI_Datatype sendtype,
                             void *recvbuf, MPI_Count recvcount, MPI_Datatype recvtype,
                             int root, MPI_Comm comm)
{
    return scatter(sendbuf, sendcount, NULL, NULL, true, sendtype, recvbuf, recvcount,
                   recvtype, root, comm, false, BLOCKING, NULL, "MPI_Scatter_c");
}
LM_WEAK_ALIAS(Scatter_c)

LM_EXPORT int PMPI_Iscatter_c(const void *sendbuf, MPI_Count sendcount, MPI_Datatype sendtype,
                              void *recvbuf, MPI_Count recvcount, MPI_Datatype recvtype,
                              int root, MPI_Comm comm, MPI_Request *request)
{
    return scatter(sendbuf, sendcount, NULL, NULL, true, sendtype, recvbuf, recvcount,
                   recvtype, root, comm, false, NONBLOCKING, request, "MPI_Iscatter_c");
}
LM_WEAK_ALIAS(Iscatter_c)

LM_EXPORT int PMPI_Scatter_init_c(const void *sendbuf, MPI_Count sendcount,
                                  MPI_Datatype sendtype, void *recvbuf, MPI_Count recvcount,
                                  MPI_Datatype recvtype, int root, MPI_Comm comm,
                                  MPI_Info info, MPI_Request *request)
{
    (void)info;
    return scatter(sendbuf, sendcount, NULL, NULL, true, sendtype, recvbuf, recvcount,
                   recvtype, root, comm, false, PERSISTENT, request, "MPI_Scatter_init_c");
}
LM_WEAK_ALIAS(Scatter_init_c)

LM_EXPORT int PMPI_Scatterv(const void *sendbuf, const int sendcounts[], const int displs[],
                            MPI_Datatype sendtype, void *recvbuf, int recvcount,
                            MPI_Datatype recvtype, int root, MPI_Comm comm)
{
    return scatter(sendbuf, 0, sendcounts, displs, false, sendtype, recvbuf, recvcount,
                   recvtype, root, comm, true, BLOCKING, NULL, "MPI_Scatterv");
}
LM_WEAK_ALIAS(Scatterv)

LM_EXPORT int PMPI_Iscatterv(const void *sendbuf, const int sendcounts[], const int displs[],
                             MPI_Datatype sendtype, void *recvbuf, int recvcount,
                             MPI_Datatype recvtype, int root, MPI_Comm comm,
                             MPI_Request *request)
{
    return scatter(sendbuf, 0, sendcounts, displs, false, sendtype, recvbuf, recvcount,
                   recvtype, root, comm, true, NONBLOCKING, request, "MPI_Iscatterv");
}
LM_WEAK_ALIAS(Iscatterv)

LM_EXPORT int PMPI_Scatterv_init(const void *sendbuf, const int sendcounts[],
                                 const int displs[], MPI_Datatype sendtype, void *recvbuf,
                                 int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm,
                                 MPI_Info info, MPI_Request *request)
{
    (void)info;
    return scatter(sendbuf, 0, sendcounts, displs, false, sendtype, recvbuf, recvcount,
                   recvtype, root, comm, true, PERSISTENT, request, "MPI_Scatterv_init");
}
LM_WEAK_ALIAS(Scatterv_init)

LM_EXPORT int PMPI_Scatterv_c(const void *sendbuf, const MPI_Count sendcounts[],
                              const MPI_Aint displs[], MPI_Datatype sendtype, void *recvbuf,
                              MPI_Count recvcount, MPI_Datatype recvtype, int root,
                              MPI_Comm comm)
{
    return scatter(sendbuf, 0, sendcounts, displs, true, sendtype, recvbuf, recvcount,
                   recvtype, root, comm, true, BLOCKING, NULL, "MPI_Scatterv_c");
}
LM_WEAK_ALIAS(Scatterv_c)

LM_EXPORT int PMPI_Iscatterv_c(const void *sendbuf, const MPI_Count sendcounts[],
                               const MPI_Aint displs[], MPI_Datatype sendtype, void *recvbuf,
                               MPI_Count recvcount, MPI_Datatype recvtype, int root,
                               MPI_Comm comm, MPI_Request *request)
{
    return scatter(sendbuf, 0, sendcounts, displs, true, sendtype, recvbuf, recvcount,
                   recvtype, root, comm, true, NONBLOCKING, request, "MPI_Iscatterv_c");
}
LM_WEAK_ALIAS(Iscatterv_c)

LM_EXPORT int PMPI_Scatterv_init_c(const void *sendbuf, const MPI_Count sendcounts[],
                                   const MPI_Aint displs[], MPI_Datatype sendtype,
                                   void *recvbuf, MPI_Count recvcount, MPI_Datatype recvtype,
                                   int root, MPI_Comm comm, MPI_Info info,
                                   MPI_Request *request)
{
    (void)info;
    return scatter(sendbuf, 0, sendcounts, displs, true, sendtype, recvbuf, recvcount,
                   recvtype, root, comm, true, PERSISTENT, request, "MPI_Scatterv_init_c");
}
LM_WEAK_ALIAS(Scatterv_init_c)

LM_EXPORT int PMPI_Allgather(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                             void *recvbuf, int recvcount, MPI_Datatype recvtype,
                             MPI_Comm comm)
{
    return allgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, NULL, NULL, false,
                     recvtype, comm, false, BLOCKING, NULL, "MPI_Allgather");
}
LM_WEAK_ALIAS(Allgather)

LM_EXPORT int PMPI_Iallgather(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                              void *recvbuf, int recvcount, MPI_Datatype recvtype,
                              MPI_Comm comm, MPI_Request *request)
{
    return allgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, NULL, NULL, false,
                     recvtype, comm, false, NONBLOCKING, request, "MPI_Iallgather");
}
LM_WEAK_ALIAS(Iallgather)

LM_EXPORT int PMPI_Allgather_init(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                                  void *recvbuf, int recvcount, MPI_Datatype recvtype,
                                  MPI_Comm comm, MPI_Info info, MPI_Request *request)
{
    (void)info;
    return allgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, NULL, NULL, false,
                     recvtype, comm, false, PERSISTENT, request, "MPI_Allgather_init");
}
LM_WEAK_ALIAS(Allgather_init)

LM_EXPORT int PMPI_Allgather_c(const void *sendbuf, MPI_Count sendcount, MPI_Datatype sendtype,
                               void *recvbuf, MPI_Count recvcount, MPI_Datatype recvtype,
                               MPI_Comm comm)
{
    return allgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, NULL, NULL, true,
                     recvtype, comm, false, BLOCKING, NULL, "MPI_Allgather_c");
}
LM_WEAK_ALIAS(Allgather_c)

LM_EXPORT int PMPI_Iallgather_c(const void *sendbuf, MPI_Count sendcount,
                                MPI_Datatype sendtype, void *recvbuf, MPI_Count recvcount,
                                MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request)
{
    return allgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, NULL, NULL, true,
                     recvtype, comm, false, NONBLOCKING, request, "MPI_Iallgather_c");
}
LM_WEAK_ALIAS(Iallgather_c)

LM_EXPORT int PMPI_Allgather_init_c(const void *sendbuf, MPI_Count sendcount,
                                    MPI_Datatype sendtype, void *recvbuf, MPI_Count recvcount,
                                    MPI_Datatype recvtype, MPI_Comm comm, MPI_Info info,
                                    MPI_Request *request)
{
    (void)info;
    return allgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, NULL, NULL, true,
                     recvtype, comm, false, PERSISTENT, request, "MPI_Allgather_init_c");
}
LM_WEAK_ALIAS(Allgather_init_c)

LM_EXPORT int PMPI_Allgatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                              void *recvbuf, const int recvcounts[], const int displs[],
                              MPI_Datatype recvtype, MPI_Comm comm)
{
    return allgather(sendbuf, sendcount, sendtype, recvbuf, 0, recvcounts, displs, false,
                     recvtype, comm, true, BLOCKING, NULL, "MPI_Allgatherv");
}
LM_WEAK_ALIAS(Allgatherv)

LM_EXPORT int PMPI_Iallgatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                               void *recvbuf, const int recvcounts[], const int displs[],
                               MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request)
{
    return allgather(sendbuf, sendcount, sendtype, recvbuf, 0, recvcounts, displs, false,
                     recvtype, comm, true, NONBLOCKING, request, "MPI_Iallgatherv");
}
LM_WEAK_ALIAS(Iallgatherv)

LM_EXPORT int PMPI_Allgatherv_init(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                                   void *recvbuf, const int recvcounts[], const int displs[],
                                   MPI_Datatype recvtype, MPI_Comm comm, MPI_Info info,
                                   MPI_Request *request)
{
    (void)info;
    return allgather(sendbuf, sendcount, sendtype, recvbuf, 0, recvcounts, displs, false,
                     recvtype, comm, true, PERSISTENT, request, "MPI_Allgatherv_init");
}
LM_WEAK_ALIAS(Allgatherv_init)

LM_EXPORT int PMPI_Allgatherv_c(const void *sendbuf, MPI_Count sendcount,
                                MPI_Datatype sendtype, void *recvbuf,
                                const MPI_Count recvcounts[], const MPI_Aint displs[],
                                MPI_Datatype recvtype, MPI_Comm comm)
{
    return allgather(sendbuf, sendcount, sendtype, recvbuf, 0, recvcounts, displs, true,
                     recvtype, comm, true, BLOCKING, NULL, "MPI_Allgatherv_c");
}
LM_WEAK_ALIAS(Allgatherv_c)

LM_EXPORT int PMPI_Iallgatherv_c(const void *sendbuf, MPI_Count sendcount,
                                 MPI_Datatype sendtype, void *recvbuf,
                                 const MPI_Count recvcounts[], const MPI_Aint displs[],
                                 MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request)
{
    return allgather(sendbuf, sendcount, sendtype, recvbuf, 0, recvcounts, displs, true,
                     recvtype, comm, true, NONBLOCKING, request, "MPI_Iallgatherv_c");
}
LM_WEAK_ALIAS(Iallgatherv_c)

LM_EXPORT int PMPI_Allgatherv_init_c(const void *sendbuf, MPI_Count sendcount,
                                     MPI_Datatype sendtype, void *recvbuf,
                                     const MPI_Count recvcounts[], const MPI_Aint displs[],
                                     MPI_Datatype recvtype, MPI_Comm comm, MPI_Info info,
                                     MPI_Request *request)
{
    (void)info;
    return allgather(sendbuf, sendcount, sendtype, recvbuf, 0, recvcounts, displs, true,
                     recvtype, comm, true, PERSISTENT, request, "MPI_Allgatherv_init_c");
}
LM_WEAK_ALIAS(Allgatherv_init_c)

LM_EXPORT int PMPI_Alltoall(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                            void *recvbuf, int recvcount, MPI_Datatype recvtype, MPI_Comm comm)
{
    return alltoall(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, BLOCKING,
                    NULL, "MPI_Alltoall");
}
LM_WEAK_ALIAS(Alltoall)

LM_EXPORT int PMPI_Ialltoall(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                             void *recvbuf, int recvcount, MPI_Datatype recvtype,
                             MPI_Comm comm, MPI_Request *request)
{
    return alltoall(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm,
                    NONBLOCKING, request, "MPI_Ialltoall");
}
LM_WEAK_ALIAS(Ialltoall)

LM_EXPORT int PMPI_Alltoall_init(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                                 void *recvbuf, int recvcount, MPI_Datatype recvtype,
                                 MPI_Comm comm, MPI_Info info, MPI_Request *request)
{
    (void)info;
    return alltoall(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm,
                    PERSISTENT, request, "MPI_Alltoall_init");
}
LM_WEAK_ALIAS(Alltoall_init)

LM_EXPORT int PMPI_Alltoall_c(const void *sendbuf, MPI_Count sendcount, MPI_Datatype sendtype,
                              void *recvbuf, MPI_Count recvcount, MPI_Datatype recvtype,
                              MPI_Comm comm)
{
    return alltoall(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, BLOCKING,
                    NULL, "MPI_Alltoall_c");
}
LM_WEAK_ALIAS(Alltoall_c)

LM_EXPORT int PMPI_Ialltoall_c(const void *sendbuf, MPI_Count sendcount, MPI_Datatype sendtype,
                               void *recvbuf, MPI_Count recvcount, MPI_Datatype recvtype,
                               MPI_Comm comm, MPI_Request *request)
{
    return alltoall(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm,
                    NONBLOCKING, request, "MPI_Ialltoall_c");
}
LM_WEAK_ALIAS(Ialltoall_c)

LM_EXPORT int PMPI_Alltoall_init_c(const void *sendbuf, MPI_Count sendcount,
                                   MPI_Datatype sendtype, void *recvbuf, MPI_Count recvcount,
                                   MPI_Datatype recvtype, MPI_Comm comm, MPI_Info info,
                                   MPI_Request *request)
{
    (void)info;
    return alltoall(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm,
                    PERSISTENT, request, "MPI_Alltoall_init_c");
}
LM_WEAK_ALIAS(Alltoall_init_c)

LM_EXPORT int PMPI_Alltoallv(const void *sendbuf, const int sendcounts[], const int sdispls[],
                             MPI_Datatype sendtype, void *recvbuf, const int recvcounts[],
                             const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm)
{
    return alltoallvw(sendbuf, sendcounts, sdispls, sendtype, NULL, recvbuf, recvcounts,
                      rdispls, recvtype, NULL, false, comm, false, BLOCKING, NULL,
                      "MPI_Alltoallv");
}
LM_WEAK_ALIAS(Alltoallv)

LM_EXPORT int PMPI_Ialltoallv(const void *sendbuf, const int sendcounts[], const int sdispls[],
                              MPI_Datatype sendtype, void *recvbuf, const int recvcounts[],
                              const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm,
                              MPI_Request *request)
{
    return alltoallvw(sendbuf, sendcounts, sdispls, sendtype, NULL, recvbuf, recvcounts,
                      rdispls, recvtype, NULL, false, comm, false, NONBLOCKING, request,
                      "MPI_Ialltoallv");
}
LM_WEAK_ALIAS(Ialltoallv)

LM_EXPORT int PMPI_Alltoallv_init(const void *sendbuf, const int sendcounts[],
                                  const int sdispls[], MPI_Datatype sendtype, void *recvbuf,
                                  const int recvcounts[], const int rdispls[],
                                  MPI_Datatype recvtype, MPI_Comm comm, MPI_Info info,
                                  MPI_Request *request)
{
    (void)info;
    return alltoallvw(sendbuf, sendcounts, sdispls, sendtype, NULL, recvbuf, recvcounts,
                      rdispls, recvtype, NULL, false, comm, false, PERSISTENT, request,
                      "MPI_Alltoallv_init");
}
LM_WEAK_ALIAS(Alltoallv_init)

LM_EXPORT int PMPI_Alltoallv_c(const void *sendbuf, const MPI_Count sendcounts[],
                               const MPI_Aint sdispls[], MPI_Datatype sendtype, void *recvbuf,
                               const MPI_Count recvcounts[], const MPI_Aint rdispls[],
                               MPI_Datatype recvtype, MPI_Comm comm)
{
    return alltoallvw(sendbuf, sendcounts, sdispls, sendtype, NULL, recvbuf, recvcounts,
                      rdispls, recvtype, NULL, true, comm, false, BLOCKING, NULL,
                      "MPI_Alltoallv_c");
}
LM_WEAK_ALIAS(Alltoallv_c)

LM_EXPORT int PMPI_Ialltoallv_c(const void *sendbuf, const MPI_Count sendcounts[],
                                const MPI_Aint sdispls[], MPI_Datatype sendtype, void *recvbuf,
                                const MPI_Count recvcounts[], const MPI_Aint rdispls[],
                                MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request)
{
    return alltoallvw(sendbuf, sendcounts, sdispls, sendtype, NULL, recvbuf, recvcounts,
                      rdispls, recvtype, NULL, true, comm, false, NONBLOCKING, request,
                      "MPI_Ialltoallv_c");
}
LM_WEAK_ALIAS(Ialltoallv_c)

LM_EXPORT int PMPI_Alltoallv_init_c(const void *sendbuf, const MPI_Count sendcounts[],
                                    const MPI_Aint sdispls[], MPI_Datatype sendtype,
                                    void *recvbuf, const MPI_Count recvcounts[],
                                    const MPI_Aint rdispls[], MPI_Datatype recvtype,
                                    MPI_Comm comm, MPI_Info info, MPI_Request *request)
{
    (void)info;
    return alltoallvw(sendbuf, sendcounts, sdispls, sendtype, NULL, recvbuf, recvcounts,
                      rdispls, recvtype, NULL, true, comm, false, PERSISTENT, request,
                      "MPI_Alltoallv_init_c");
}
LM_WEAK_ALIAS(Alltoallv_init_c)

LM_EXPORT int PMPI_Alltoallw(const void *sendbuf, const int sendcounts[], const int sdispls[],
                             const MPI_Datatype sendtypes[], void *recvbuf,
                             const int recvcounts[], const int rdispls[],
                             const MPI_Datatype recvtypes[], MPI_Comm comm)
{
    return alltoallvw(sendbuf, sendcounts, sdispls, MPI_DATATYPE_NULL, sendtypes, recvbuf,
                      recvcounts, rdispls, MPI_DATATYPE_NULL, recvtypes, false, comm, true,
                      BLOCKING, NULL, "MPI_Alltoallw");
}
LM_WEAK_ALIAS(Alltoallw)

LM_EXPORT int PMPI_Ialltoallw(const void *sendbuf, const int sendcounts[], const int sdispls[],
                              const MPI_Datatype sendtypes[], void *recvbuf,
                              const int recvcounts[], const int rdispls[],
                              const MPI_Datatype recvtypes[], MPI_Comm comm,
                              MPI_Request *request)
{
    return alltoallvw(sendbuf, sendcounts, sdispls, MPI_DATATYPE_NULL, sendtypes, recvbuf,
                      recvcounts, rdispls, MPI_DATATYPE_NULL, recvtypes, false, comm, true,
                      NONBLOCKING, request, "MPI_Ialltoallw");
}
LM_WEAK_ALIAS(Ialltoallw)

LM_EXPORT int PMPI_Alltoallw_init(const void *sendbuf, const int sendcounts[],
                                  const int sdispls[], const MPI_Datatype sendtypes[],
                                  void *recvbuf, const int recvcounts[], const int rdispls[],
                                  const MPI_Datatype recvtypes[], MPI_Comm comm, MPI_Info info,
                                  MPI_Request *request)
{
    (void)info;
    return alltoallvw(sendbuf, sendcounts, sdispls, MPI_DATATYPE_NULL, sendtypes, recvbuf,
                      recvcounts, rdispls, MPI_DATATYPE_NULL, recvtypes, false, comm, true,
                      PERSISTENT, request, "MPI_Alltoallw_init");
}
LM_WEAK_ALIAS(Alltoallw_init)

LM_EXPORT int PMPI_Alltoallw_c(const void *sendbuf, const MPI_Count sendcounts[],
                               const MPI_Aint sdispls[], const MPI_Datatype sendtypes[],
                               void *recvbuf, const MPI_Count recvcounts[],
                               const MPI_Aint rdispls[], const MPI_Datatype recvtypes[],
                               MPI_Comm comm)
{
    return alltoallvw(sendbuf, sendcounts, sdispls, MPI_DATATYPE_NULL, sendtypes, recvbuf,
                      recvcounts, rdispls, MPI_DATATYPE_NULL, recvtypes, true, comm, true,
                      BLOCKING, NULL, "MPI_Alltoallw_c");
}
LM_WEAK_ALIAS(Alltoallw_c)

LM_EXPORT int PMPI_Ialltoallw_c(const void *sendbuf, const MPI_Count sendcounts[],
                                const MPI_Aint sdispls[], const MPI_Datatype sendtypes[],
                                void *recvbuf, const MPI_Count recvcounts[],
                                const MPI_Aint rdispls[], const MPI_Datatype recvtypes[],
                                MPI_Comm comm, MPI_Request *request)
{
    return alltoallvw(sendbuf, sendcounts, sdispls, MPI_DATATYPE_NULL, sendtypes, recvbuf,
                      recvcounts, rdispls, MPI_DATATYPE_NULL, recvtypes, true, comm, true,
                      NONBLOCKING, request, "MPI_Ialltoallw_c");
}
LM_WEAK_ALIAS(Ialltoallw_c)

LM_EXPORT int PMPI_Alltoallw_init_c(const void *sendbuf, const MPI_Count sendcounts[],
                                    const MPI_Aint sdispls[], const MPI_Datatype sendtypes[],
                                    void *recvbuf, const MPI_Count recvcounts[],
                                    const MPI_Aint rdispls[], const MPI_Datatype recvtypes[],
                                    MPI_Comm comm, MPI_Info info, MPI_Request *request)
{
    (void)info;
    return alltoallvw(sendbuf, sendcounts, sdispls, MPI_DATATYPE_NULL, sendtypes, recvbuf,
                      recvcounts, rdispls, MPI_DATATYPE_NULL, recvtypes, true, comm, true,
                      PERSISTENT, request, "MPI_Alltoallw_init_c");
}
LM_WEAK_ALIAS(Alltoallw_init_c)

LM_EXPORT int PMPI_Reduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
                          MPI_Op op, int root, MPI_Comm comm)
{
    return reduction(LM_COLL_REDUCE, sendbuf, recvbuf, count, datatype, op, root, comm,
                     BLOCKING, NULL, "MPI_Reduce");
}
LM_WEAK_ALIAS(Reduce)

LM_EXPORT int PMPI_Ireduce(const void *sendbuf, void *recvbuf, int count,
                           MPI_Datatype datatype, MPI_Op op, int root, MPI_Comm comm,
                           MPI_Request *request)
{
    return reduction(LM_COLL_REDUCE, sendbuf, recvbuf, count, datatype, op, root, comm,
                     NONBLOCKING, request, "MPI_Ireduce");
}
LM_WEAK_ALIAS(Ireduce)

LM_EXPORT int PMPI_Reduce_init(const void *sendbuf, void *recvbuf, int count,
                               MPI_Datatype datatype, MPI_Op op, int root, MPI_Comm comm,
                               MPI_Info info, MPI_Request *request)
{
    (void)info;
    return reduction(LM_COLL_REDUCE, sendbuf, recvbuf, count, datatype, op, root, comm,
                     PERSISTENT, request, "MPI_Reduce_init");
}
LM_WEAK_ALIAS(Reduce_init)

LM_EXPORT int PMPI_Reduce_c(const void *sendbuf, void *recvbuf, MPI_Count count,
                            MPI_Datatype datatype, MPI_Op op, int root, MPI_Comm comm)
{
    return reduction(LM_COLL_REDUCE, sendbuf, recvbuf, count, datatype, op, root, comm,
                     BLOCKING, NULL, "MPI_Reduce_c");
}
LM_WEAK_ALIAS(Reduce_c)

LM_EXPORT int PMPI_Ireduce_c(const void *sendbuf, void *recvbuf, MPI_Count count,
                             MPI_Datatype datatype, MPI_Op op, int root, MPI_Comm comm,
                             MPI_Request *request)
{
    return reduction(LM_COLL_REDUCE, sendbuf, recvbuf, count, datatype, op, root, comm,
                     NONBLOCKING, request, "MPI_Ireduce_c");
}
LM_WEAK_ALIAS(Ireduce_c)

LM_EXPORT int PMPI_Reduce_init_c(const void *sendbuf, void *recvbuf, MPI_Count count,
                                 MPI_Datatype datatype, MPI_Op op, int root, MPI_Comm comm,
                                 MPI_Info info, MPI_Request *request)
{
    (void)info;
    return reduction(LM_COLL_REDUCE, sendbuf, recvbuf, count, datatype, op, root, comm,
                     PERSISTENT, request, "MPI_Reduce_init_c");
}
LM_WEAK_ALIAS(Reduce_init_c)

LM_EXPORT int PMPI_Allreduce(const void *sendbuf, void *recvbuf, int count,
                             MPI_Datatype datatype, MPI_Op op, MPI_Comm comm)
{
    return reduction(LM_COLL_ALLREDUCE, sendbuf, recvbuf, count, datatype, op, -1, comm,
                     BLOCKING, NULL, "MPI_Allreduce");
}
LM_WEAK_ALIAS(Allreduce)

LM_EXPORT int PMPI_Iallreduce(const void *sendbuf, void *recvbuf, int count,
                              MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
                              MPI_Request *request)
{
    return reduction(LM_COLL_ALLREDUCE, sendbuf, recvbuf, count, datatype, op, -1, comm,
                     NONBLOCKING, request, "MPI_Iallreduce");
}
LM_WEAK_ALIAS(Iallreduce)

LM_EXPORT int PMPI_Allreduce_init(const void *sendbuf, void *recvbuf, int count,
                                  MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
                                  MPI_Info info, MPI_Request *request)
{
    (void)info;
    return reduction(LM_COLL_ALLREDUCE, sendbuf, recvbuf, count, datatype, op, -1, comm,
                     PERSISTENT, request, "MPI_Allreduce_init");
}
LM_WEAK_ALIAS(Allreduce_init)

LM_EXPORT int PMPI_Allreduce_c(const void *sendbuf, void *recvbuf, MPI_Count count,
                               MPI_Datatype datatype, MPI_Op op, MPI_Comm comm)
{
    return reduction(LM_COLL_ALLREDUCE, sendbuf, recvbuf, count, datatype, op, -1, comm,
                     BLOCKING, NULL, "MPI_Allreduce_c");
}
LM_WEAK_ALIAS(Allreduce_c)

LM_EXPORT int PMPI_Iallreduce_c(const void *sendbuf, void *recvbuf, MPI_Count count,
                                MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
                                MPI_Request *request)
{
    return reduction(LM_COLL_ALLREDUCE, sendbuf, recvbuf, count, datatype, op, -1, comm,
                     NONBLOCKING, request, "MPI_Iallreduce_c");
}
LM_WEAK_ALIAS(Iallreduce_c)

LM_EXPORT int PMPI_Allreduce_init_c(const void *sendbuf, void *recvbuf, MPI_Count count,
                                    MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
                                    MPI_Info info, MPI_Request *request)
{
    (void)info;
    return reduction(LM_COLL_ALLREDUCE, sendbuf, recvbuf, count, datatype, op, -1, comm,
                     PERSISTENT, request, "MPI_Allreduce_init_c");
}
LM_WEAK_ALIAS(Allreduce_init_c)

LM_EXPORT int PMPI_Reduce_scatter(const void *sendbuf, void *recvbuf, const int recvcounts[],
                                  MPI_Datatype datatype, MPI_Op op, MPI_Comm comm)
{
    return reduce_scatter(sendbuf, recvbuf, 0, recvcounts, false, datatype, op, comm, false,
                          BLOCKING, NULL, "MPI_Reduce_scatter");
}
LM_WEAK_ALIAS(Reduce_scatter)

LM_EXPORT int PMPI_Ireduce_scatter(const void *sendbuf, void *recvbuf, const int recvcounts[],
                                   MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
                                   MPI_Request *request)
{
    return reduce_scatter(sendbuf, recvbuf, 0, recvcounts, false, datatype, op, comm, false,
                          NONBLOCKING, request, "MPI_Ireduce_scatter");
}
LM_WEAK_ALIAS(Ireduce_scatter)

LM_EXPORT int PMPI_Reduce_scatter_init(const void *sendbuf, void *recvbuf,
                                       const int recvcounts[], MPI_Datatype datatype,
                                       MPI_Op op, MPI_Comm comm, MPI_Info info,
                                       MPI_Request *request)
{
    (void)info;
    return reduce_scatter(sendbuf, recvbuf, 0, recvcounts, false, datatype, op, comm, false,
                          PERSISTENT, request, "MPI_Reduce_scatter_init");
}
LM_WEAK_ALIAS(Reduce_scatter_init)

LM_EXPORT int PMPI_Reduce_scatter_c(const void *sendbuf, void *recvbuf,
                                    const MPI_Count recvcounts[], MPI_Datatype datatype,
                                    MPI_Op op, MPI_Comm comm)
{
    return reduce_scatter(sendbuf, recvbuf, 0, recvcounts, true, datatype, op, comm, false,
                          BLOCKING, NULL, "MPI_Reduce_scatter_c");
}
LM_WEAK_ALIAS(Reduce_scatter_c)

LM_EXPORT int PMPI_Ireduce_scatter_c(const void *sendbuf, void *recvbuf,
                                     const MPI_Count recvcounts[], MPI_Datatype datatype,
                                     MPI_Op op, MPI_Comm comm, MPI_Request *request)
{
    return reduce_scatter(sendbuf, recvbuf, 0, recvcounts, true, datatype, op, comm, false,
                          NONBLOCKING, request, "MPI_Ireduce_scatter_c");
}
LM_WEAK_ALIAS(Ireduce_scatter_c)

LM_EXPORT int PMPI_Reduce_scatter_init_c(const void *sendbuf, void *recvbuf,
                                         const MPI_Count recvcounts[], MPI_Datatype datatype,
                                         MPI_Op op, MPI_Comm comm, MPI_Info info,
                                         MPI_Request *request)
{
    (void)info;
    return reduce_scatter(sendbuf, recvbuf, 0, recvcounts, true, datatype, op, comm, false,
                          PERSISTENT, request, "MPI_Reduce_scatter_init_c");
}
LM_WEAK_ALIAS(Reduce_scatter_init_c)

LM_EXPORT int PMPI_Reduce_scatter_block(const void *sendbuf, void *recvbuf, int recvcount,
                                        MPI_Datatype datatype, MPI_Op op, MPI_Comm comm)
{
    return reduce_scatter(sendbuf, recvbuf, recvcount, NULL, false, datatype, op, comm, true,
                          BLOCKING, NULL, "MPI_Reduce_scatter_block");
}
LM_WEAK_ALIAS(Reduce_scatter_block)

LM_EXPORT int PMPI_Ireduce_scatter_block(const void *sendbuf, void *recvbuf, int recvcount,
                                         MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
                                         MPI_Request *request)
{
    return reduce_scatter(sendbuf, recvbuf, recvcount, NULL, false, datatype, op, comm, true,
                          NONBLOCKING, request, "MPI_Ireduce_scatter_block");
}
LM_WEAK_ALIAS(Ireduce_scatter_block)

LM_EXPORT int PMPI_Reduce_scatter_block_init(const void *sendbuf, void *recvbuf, int recvcount,
                                             MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
                                             MPI_Info info, MPI_Request *request)
{
    (void)info;
    return reduce_scatter(sendbuf, recvbuf, recvcount, NULL, false, datatype, op, comm, true,
                          PERSISTENT, request, "MPI_Reduce_scatter_block_init");
}
LM_WEAK_ALIAS(Reduce_scatter_block_init)

LM_EXPORT int PMPI_Reduce_scatter_block_c(const void *sendbuf, void *recvbuf,
                                          MPI_Count recvcount, MPI_Datatype datatype,
                                          MPI_Op op, MPI_Comm comm)
{
    return reduce_scatter(sendbuf, recvbuf, recvcount, NULL, true, datatype, op, comm, true,
                          BLOCKING, NULL, "MPI_Reduce_scatter_block_c");
}
LM_WEAK_ALIAS(Reduce_scatter_block_c)

LM_EXPORT int PMPI_Ireduce_scatter_block_c(const void *sendbuf, void *recvbuf,
                                           MPI_Count recvcount, MPI_Datatype datatype,
                                           MPI_Op op, MPI_Comm comm, MPI_Request *request)
{
    return reduce_scatter(sendbuf, recvbuf, recvcount, NULL, true, datatype, op, comm, true,
                          NONBLOCKING, request, "MPI_Ireduce_scatter_block_c");
}
LM_WEAK_ALIAS(Ireduce_scatter_block_c)

LM_EXPORT int PMPI_Reduce_scatter_block_init_c(const void *sendbuf, void *recvbuf,
                                               MPI_Count recvcount, MPI_Datatype datatype,
                                               MPI_Op op, MPI_Comm comm, MPI_Info info,
                                               MPI_Request *request)
{
    (void)info;
    return reduce_scatter(sendbuf, recvbuf, recvcount, NULL, true, datatype, op, comm, true,
                          PERSISTENT, request, "MPI_Reduce_scatter_block_init_c");
}
LM_WEAK_ALIAS(Reduce_scatter_block_init_c)

LM_EXPORT int PMPI_Scan(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
                        MPI_Op op, MPI_Comm comm)
{
    return reduction(LM_COLL_SCAN, sendbuf, recvbuf, count, datatype, op, -1, comm, BLOCKING,
                     NULL, "MPI_Scan");
}
LM_WEAK_ALIAS(Scan)

LM_EXPORT int PMPI_Iscan(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
                         MPI_Op op, MPI_Comm comm, MPI_Request *request)
{
    return reduction(LM_COLL_SCAN, sendbuf, recvbuf, count, datatype, op, -1, comm,
                     NONBLOCKING, request, "MPI_Iscan");
}
LM_WEAK_ALIAS(Iscan)

LM_EXPORT int PMPI_Scan_init(const void *sendbuf, void *recvbuf, int count,
                             MPI_Datatype datatype, MPI_Op op, MPI_Comm comm, MPI_Info info,
                             MPI_Request *request)
{
    (void)info;
    return reduction(LM_COLL_SCAN, sendbuf, recvbuf, count, datatype, op, -1, comm, PERSISTENT,
                     request, "MPI_Scan_init");
}
LM_WEAK_ALIAS(Scan_init)

LM_EXPORT int PMPI_Scan_c(const void *sendbuf, void *recvbuf, MPI_Count count,
                          MPI_Datatype datatype, MPI_Op op, MPI_Comm comm)
{
    return reduction(LM_COLL_SCAN, sendbuf, recvbuf, count, datatype, op, -1, comm, BLOCKING,
                     NULL, "MPI_Scan_c");
}
LM_WEAK_ALIAS(Scan_c)

LM_EXPORT int PMPI_Iscan_c(const void *sendbuf, void *recvbuf, MPI_Count count,
                           MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
                           MPI_Request *request)
{
    return reduction(LM_COLL_SCAN, sendbuf, recvbuf, count, datatype, op, -1, comm,
                     NONBLOCKING, request, "MPI_Iscan_c");
}
LM_WEAK_ALIAS(Iscan_c)

LM_EXPORT int PMPI_Scan_init_c(const void *sendbuf, void *recvbuf, MPI_Count count,
                               MPI_Datatype datatype, MPI_Op op, MPI_Comm comm, MPI_Info info,
                               MPI_Request *request)
{
    (void)info;
    return reduction(LM_COLL_SCAN, sendbuf, recvbuf, count, datatype, op, -1, comm, PERSISTENT,
                     request, "MPI_Scan_init_c");
}
LM_WEAK_ALIAS(Scan_init_c)

LM_EXPORT int PMPI_Exscan(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
                          MPI_Op op, MPI_Comm comm)
{
    return reduction(LM_COLL_EXSCAN, sendbuf, recvbuf, count, datatype, op, -1, comm, BLOCKING,
                     NULL, "MPI_Exscan");
}
LM_WEAK_ALIAS(Exscan)

LM_EXPORT int PMPI_Iexscan(const void *sendbuf, void *recvbuf, int count,
                           MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
                           MPI_Request *request)
{
    return reduction(LM_COLL_EXSCAN, sendbuf, recvbuf, count, datatype, op, -1, comm,
                     NONBLOCKING, request, "MPI_Iexscan");
}
LM_WEAK_ALIAS(Iexscan)

LM_EXPORT int PMPI_Exscan_init(const void *sendbuf, void *recvbuf, int count,
                               MPI_Datatype datatype, MPI_Op op, MPI_Comm comm, MPI_Info info,
                               MPI_Request *request)
{
    (void)info;
    return reduction(LM_COLL_EXSCAN, sendbuf, recvbuf, count, datatype, op, -1, comm,
                     PERSISTENT, request, "MPI_Exscan_init");
}
LM_WEAK_ALIAS(Exscan_init)

LM_EXPORT int PMPI_Exscan_c(const void *sendbuf, void *recvbuf, MPI_Count count,
                            MPI_Datatype datatype, MPI_Op op, MPI_Comm comm)
{
    return reduction(LM_COLL_EXSCAN, sendbuf, recvbuf, count, datatype, op, -1, comm, BLOCKING,
                     NULL, "MPI_Exscan_c");
}
LM_WEAK_ALIAS(Exscan_c)

LM_EXPORT int PMPI_Iexscan_c(const void *sendbuf, void *recvbuf, MPI_Count count,
                             MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
                             MPI_Request *request)
{
    return reduction(LM_COLL_EXSCAN, sendbuf, recvbuf, count, datatype, op, -1, comm,
                     NONBLOCKING, request, "MPI_Iexscan_c");
}
LM_WEAK_ALIAS(Iexscan_c)

LM_EXPORT int PMPI_Exscan_init_c(const void *sendbuf, void *recvbuf, MPI_Count count,
                                 MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
                                 MPI_Info info, MPI_Request *request)
{
    (void)info;
    return reduction(LM_COLL_EXSCAN, sendbuf, recvbuf, count, datatype, op, -1, comm,
                     PERSISTENT, request, "MPI_Exscan_init_c");
}
LM_WEAK_ALIAS(Exscan_init_c)
