/* topo/ineighbor.c: the nonblocking (MPI_Ineighbor_*), persistent (MPI_Neighbor_*_init)
 * and large-count (_c) neighborhood collectives, all five of each (allgather, allgatherv,
 * alltoall, alltoallv, alltoallw), on every topology of nbr_topos.h.
 *
 * Every receive slot on every rank is checked against the block its neighbour sent,
 * computed from the topology's definition (MPI_PROC_NULL slots stay untouched, gaps
 * between blocks stay untouched). The values carry a per-instance seed, so a message that
 * lands in the wrong one of several collectives in flight is caught.
 * - nonblocking: every collective with int and with _c counts started back to back (18
 *   at once for small counts, 10 for large ones, on a few topologies), then waited for
 *   in reverse order;
 * - persistent: the same set initialised once and started 3 times, with new send data and
 *   a cleared receive buffer before each start (MPI_Start in order, MPI_Startall, MPI_Start
 *   in reverse order);
 * - derived datatypes are freed right after the call that uses them, so the operation
 *   must keep its own references;
 * - isolation: a neighborhood and a regular nonblocking collective in flight with a
 *   wildcard user receive on the same communicator;
 * - bad input for the new entry points, and errors reported at completion. */
#include "nbr_topos.h"

#define LARGE ((1 << 16) + 3)   /* ints: 256 KiB per block, past every eager limit */
#define VBIG 16411              /* v and w forms' large counts are multiples of this */

enum kind { AG, AGV, A2A, A2AV, A2AW };
enum form { BLOCKING_C, NB, NB_C, PERS, PERS_C };
static const char *const kind_name[] = {"allgather", "allgatherv", "alltoall", "alltoallv",
                                        "alltoallw"};
static const char *const form_name[] = {"blocking _c", "nonblocking", "nonblocking _c",
                                        "persistent", "persistent _c"};

/* The value element k of block j sent by rank s carries in an instance seeded `seed`:
 * distinct over (s, j, k) for one seed, different between seeds, never SENTINEL. */
static int val(int seed, int s, int j, int k)
{
    unsigned m = (((unsigned)seed * 0x9E37u) & 0xFFFFFu) | 0x70000000u;
    return (int)((((unsigned)(s * 32 + j) << 20) + (unsigned)k) ^ m);
}

/* Counts of the v and w forms: what rank s sends (allgatherv) or puts in its block j. */
static int vcount(int s, int scale)
{
    int c = (s * 7 + 1) % 4;
    return scale == 1 ? c : c * scale + 1;
}

static int wcount(int s, int j, int scale)
{
    int c = (s + 3 * j) % 5;
    return scale == 1 ? c : c * scale + 1;
}

/* One collective call: its buffers and arguments in every spelling the forms need, and
 * where each block sits (in ints) for filling and checking. */
struct inst {
    const struct topo *t;
    enum kind kind;
    enum form form;
    int count;                   /* allgather/alltoall: count; v and w: scale */
    int seed;
    int *sb, *rb;
    size_t stot, rtot;
    int nsend;                   /* send blocks as laid out in sb */
    int soff[MAXN], sstr[MAXN], sn[MAXN];   /* send block j: offset, stride, ints */
    int roff[MAXN], rn[MAXN], rgap[MAXN];   /* receive slot i: offset, ints, gap after */
    int sc[MAXN], sd[MAXN], rc[MAXN], rd[MAXN];
    MPI_Count csc[MAXN], crc[MAXN];
    MPI_Aint asd[MAXN], ard[MAXN];          /* v: element displacements; w: bytes */
    MPI_Datatype st[MAXN], rt[MAXN];
    MPI_Request req;
};

static void inst_setup(struct inst *x, const struct topo *t, enum kind kind, enum form form,
                       int count)
{
    memset(x, 0, sizeof *x);
    x->t = t;
    x->kind = kind;
    x->form = form;
    x->count = count;
    x->req = MPI_REQUEST_NULL;
    int nin = t->nin[rank], nout = t->nout[rank];
    size_t stot = 0, rtot = 0;
    switch (kind) {
    case AG:
    case A2A:
        x->nsend = kind == AG ? 1 : nout;
        for (int j = 0; j < x->nsend; j++) {
            x->soff[j] = j * count;
            x->sstr[j] = 1;
            x->sn[j] = count;
        }
        stot = (size_t)x->nsend * count;
        for (int i = 0; i < nin; i++) {
            x->roff[i] = i * count;
            x->rn[i] = count;
        }
        rtot = (size_t)nin * count;
        break;
    case AGV:
        x->nsend = 1;
        x->sstr[0] = 1;
        x->sn[0] = vcount(rank, count);
        stot = (size_t)x->sn[0];
        /* reversed order with a gap of 2 between blocks */
        for (int i = nin - 1; i >= 0; i--) {
            int s = t->src[rank][i];
            x->rn[i] = s == MPI_PROC_NULL ? 3 : vcount(s, count);
            x->roff[i] = (int)rtot;
            x->rgap[i] = 2;
            rtot += (size_t)x->rn[i] + 2;
        }
        break;
    case A2AV:
    case A2AW:
        x->nsend = nout;
        for (int j = nout - 1; j >= 0; j--) {
            int c = wcount(rank, j, count);
            /* alltoallw: odd blocks go out of a strided layout (every other int) */
            x->sstr[j] = kind == A2AW && j % 2 && c > 0 ? 2 : 1;
            x->soff[j] = (int)stot;
            x->sn[j] = c;
            stot += (size_t)c * x->sstr[j] + 1;
        }
        for (int i = nin - 1; i >= 0; i--) {
            int s = t->src[rank][i];
            x->rn[i] = s == MPI_PROC_NULL ? 2 : wcount(s, sent_block(t, i), count);
            x->roff[i] = (int)rtot;
            x->rgap[i] = 1;
            rtot += (size_t)x->rn[i] + 1;
        }
        break;
    }
    x->stot = stot;
    x->rtot = rtot;
    x->sb = alloc_ints(stot, 0);
    x->rb = alloc_ints(rtot, SENTINEL);
    /* the arguments */
    for (int j = 0; j < x->nsend; j++) {
        x->csc[j] = x->sc[j] = x->sn[j];
        x->asd[j] = x->sd[j] = x->soff[j];
        x->st[j] = MPI_INT;
        if (kind == A2AW) {
            x->asd[j] = (MPI_Aint)x->soff[j] * (MPI_Aint)sizeof(int);
            if (x->sstr[j] == 2) {
                MPI_Type_vector(x->sn[j], 1, 2, MPI_INT, &x->st[j]);
                MPI_Type_commit(&x->st[j]);
                x->csc[j] = x->sc[j] = 1;
            }
        }
    }
    for (int i = 0; i < nin; i++) {
        x->crc[i] = x->rc[i] = x->rn[i];
        x->ard[i] = x->rd[i] = x->roff[i];
        x->rt[i] = MPI_INT;
        if (kind == A2AW) {
            /* every block received as one contiguous type of its whole length */
            x->ard[i] = (MPI_Aint)x->roff[i] * (MPI_Aint)sizeof(int);
            if (x->rn[i] > 0) {
                MPI_Type_contiguous(x->rn[i], MPI_INT, &x->rt[i]);
                MPI_Type_commit(&x->rt[i]);
                x->crc[i] = x->rc[i] = 1;
            }
        }
    }
}

/* New send data and a cleared receive buffer for seed. */
static void inst_fill(struct inst *x, int seed)
{
    x->seed = seed;
    for (size_t k = 0; k < x->rtot; k++)
        x->rb[k] = SENTINEL;
    for (int j = 0; j < x->nsend; j++)
        for (int k = 0; k < x->sn[j]; k++)
            x->sb[x->soff[j] + k * x->sstr[j]] = val(seed, rank, j, k);
}

static void inst_check(const struct inst *x, const char *when)
{
    const struct topo *t = x->t;
    for (int i = 0; i < t->nin[rank]; i++) {
        int s = t->src[rank][i];
        int j = x->kind == AG || x->kind == AGV ? 0 : sent_block(t, i);
        const int *p = x->rb + x->roff[i];
        for (int k = 0; k < x->rn[i] + x->rgap[i]; k++) {
            int want = s == MPI_PROC_NULL || k >= x->rn[i] ? SENTINEL : val(x->seed, s, j, k);
            if (p[k] != want) {
                TM_CHECK(0, "%s %s %s (count %d, %s): slot %d (from %d) element %d of %d = %d, "
                         "expected %d", t->name, form_name[x->form], kind_name[x->kind],
                         x->count, when, i, s, k, x->rn[i], p[k], want);
                return;
            }
        }
    }
}

/* Derived types may be freed as soon as the call that uses them returns. */
static void inst_free_types(struct inst *x)
{
    for (int j = 0; j < x->nsend; j++)
        if (x->st[j] != MPI_INT)
            MPI_Type_free(&x->st[j]);
    for (int i = 0; i < x->t->nin[rank]; i++)
        if (x->rt[i] != MPI_INT)
            MPI_Type_free(&x->rt[i]);
}

static void inst_free(struct inst *x)
{
    inst_free_types(x);
    if (x->req != MPI_REQUEST_NULL)
        MPI_Request_free(&x->req);
    free(x->sb);
    free(x->rb);
}

/* The call of x's kind in x's form (blocking _c, or starting / initialising x->req). */
static int inst_call(struct inst *x)
{
    MPI_Comm c = x->t->comm;
    MPI_Request *r = &x->req;
    MPI_Info in = MPI_INFO_NULL;
    const void *sb = x->sb;
    void *rb = x->rb;
    int n = x->count;
    int rc = MPI_ERR_OTHER;
    switch (x->kind) {
    case AG:
        switch (x->form) {
        case BLOCKING_C: rc = MPI_Neighbor_allgather_c(sb, n, MPI_INT, rb, n, MPI_INT, c); break;
        case NB: rc = MPI_Ineighbor_allgather(sb, n, MPI_INT, rb, n, MPI_INT, c, r); break;
        case NB_C: rc = MPI_Ineighbor_allgather_c(sb, n, MPI_INT, rb, n, MPI_INT, c, r); break;
        case PERS:
            rc = MPI_Neighbor_allgather_init(sb, n, MPI_INT, rb, n, MPI_INT, c, in, r);
            break;
        case PERS_C:
            rc = MPI_Neighbor_allgather_init_c(sb, n, MPI_INT, rb, n, MPI_INT, c, in, r);
            break;
        }
        break;
    case A2A:
        switch (x->form) {
        case BLOCKING_C: rc = MPI_Neighbor_alltoall_c(sb, n, MPI_INT, rb, n, MPI_INT, c); break;
        case NB: rc = MPI_Ineighbor_alltoall(sb, n, MPI_INT, rb, n, MPI_INT, c, r); break;
        case NB_C: rc = MPI_Ineighbor_alltoall_c(sb, n, MPI_INT, rb, n, MPI_INT, c, r); break;
        case PERS:
            rc = MPI_Neighbor_alltoall_init(sb, n, MPI_INT, rb, n, MPI_INT, c, in, r);
            break;
        case PERS_C:
            rc = MPI_Neighbor_alltoall_init_c(sb, n, MPI_INT, rb, n, MPI_INT, c, in, r);
            break;
        }
        break;
    case AGV: {
        int s = x->sn[0];
        switch (x->form) {
        case BLOCKING_C:
            rc = MPI_Neighbor_allgatherv_c(sb, s, MPI_INT, rb, x->crc, x->ard, MPI_INT, c);
            break;
        case NB:
            rc = MPI_Ineighbor_allgatherv(sb, s, MPI_INT, rb, x->rc, x->rd, MPI_INT, c, r);
            break;
        case NB_C:
            rc = MPI_Ineighbor_allgatherv_c(sb, s, MPI_INT, rb, x->crc, x->ard, MPI_INT, c, r);
            break;
        case PERS:
            rc = MPI_Neighbor_allgatherv_init(sb, s, MPI_INT, rb, x->rc, x->rd, MPI_INT, c, in,
                                              r);
            break;
        case PERS_C:
            rc = MPI_Neighbor_allgatherv_init_c(sb, s, MPI_INT, rb, x->crc, x->ard, MPI_INT, c,
                                                in, r);
            break;
        }
        break;
    }
    case A2AV:
        switch (x->form) {
        case BLOCKING_C:
            rc = MPI_Neighbor_alltoallv_c(sb, x->csc, x->asd, MPI_INT, rb, x->crc, x->ard,
                                          MPI_INT, c);
            break;
        case NB:
            rc = MPI_Ineighbor_alltoallv(sb, x->sc, x->sd, MPI_INT, rb, x->rc, x->rd, MPI_INT,
                                         c, r);
            break;
        case NB_C:
            rc = MPI_Ineighbor_alltoallv_c(sb, x->csc, x->asd, MPI_INT, rb, x->crc, x->ard,
                                           MPI_INT, c, r);
            break;
        case PERS:
            rc = MPI_Neighbor_alltoallv_init(sb, x->sc, x->sd, MPI_INT, rb, x->rc, x->rd,
                                             MPI_INT, c, in, r);
            break;
        case PERS_C:
            rc = MPI_Neighbor_alltoallv_init_c(sb, x->csc, x->asd, MPI_INT, rb, x->crc, x->ard,
                                               MPI_INT, c, in, r);
            break;
        }
        break;
    case A2AW:
        switch (x->form) {
        case BLOCKING_C:
            rc = MPI_Neighbor_alltoallw_c(sb, x->csc, x->asd, x->st, rb, x->crc, x->ard, x->rt,
                                          c);
            break;
        case NB:
            rc = MPI_Ineighbor_alltoallw(sb, x->sc, x->asd, x->st, rb, x->rc, x->ard, x->rt, c,
                                         r);
            break;
        case NB_C:
            rc = MPI_Ineighbor_alltoallw_c(sb, x->csc, x->asd, x->st, rb, x->crc, x->ard, x->rt,
                                           c, r);
            break;
        case PERS:
            rc = MPI_Neighbor_alltoallw_init(sb, x->sc, x->asd, x->st, rb, x->rc, x->ard, x->rt,
                                             c, in, r);
            break;
        case PERS_C:
            rc = MPI_Neighbor_alltoallw_init_c(sb, x->csc, x->asd, x->st, rb, x->crc, x->ard,
                                               x->rt, c, in, r);
            break;
        }
        break;
    }
    TM_CHECK(rc == MPI_SUCCESS, "%s %s %s (count %d): returned %d (%s)", x->t->name,
             form_name[x->form], kind_name[x->kind], x->count, rc, tm_errstr(rc));
    TM_CHECK(x->form == BLOCKING_C || x->req != MPI_REQUEST_NULL, "%s %s %s: no request",
             x->t->name, form_name[x->form], kind_name[x->kind]);
    inst_free_types(x);
    return rc;
}

static void wait_inst(struct inst *x, const char *what)
{
    int rc = MPI_Wait(&x->req, MPI_STATUS_IGNORE);
    TM_CHECK(rc == MPI_SUCCESS, "%s %s %s (count %d): %s returned %d (%s)", x->t->name,
             form_name[x->form], kind_name[x->kind], x->count, what, rc, tm_errstr(rc));
}

/* ---- the runs ----------------------------------------------------------------------------- */

/* The calls of one batch: (kind, count) pairs. */
struct call {
    enum kind kind;
    int count;
};
static const struct call small_calls[] = {
    {AG, 0}, {AG, 1}, {AG, 5}, {A2A, 0}, {A2A, 1}, {A2A, 5}, {AGV, 1}, {A2AV, 1}, {A2AW, 1},
};
static const struct call large_calls[] = {
    {AG, LARGE}, {A2A, LARGE}, {AGV, VBIG}, {A2AV, VBIG}, {A2AW, VBIG},
};
#define NSMALL (int)(sizeof small_calls / sizeof small_calls[0])
#define NLARGE (int)(sizeof large_calls / sizeof large_calls[0])

static void run_blocking_c(const struct topo *t, const struct call *calls, int n)
{
    for (int i = 0; i < n; i++) {
        struct inst x;
        inst_setup(&x, t, calls[i].kind, BLOCKING_C, calls[i].count);
        inst_fill(&x, 1 + i);
        inst_call(&x);
        inst_check(&x, "after the call");
        inst_free(&x);
    }
}

/* Each call twice, with int and with _c counts, all started back to back, waited for in
 * reverse order. */
static void run_nonblocking(const struct topo *t, const struct call *calls, int n)
{
    struct inst *x = tm_malloc(sizeof *x * 2 * (size_t)n);
    for (int i = 0; i < 2 * n; i++) {
        inst_setup(&x[i], t, calls[i / 2].kind, i % 2 ? NB_C : NB, calls[i / 2].count);
        inst_fill(&x[i], 10 + i);
        inst_call(&x[i]);
    }
    for (int i = 2 * n - 1; i >= 0; i--)
        wait_inst(&x[i], "MPI_Wait");
    for (int i = 0; i < 2 * n; i++) {
        inst_check(&x[i], "after MPI_Wait");
        TM_CHECK(x[i].req == MPI_REQUEST_NULL, "nonblocking request not freed by MPI_Wait");
        inst_free(&x[i]);
    }
    free(x);
}

/* Each call twice, persistent with int and with _c counts, started 3 times with new data;
 * started in order, with MPI_Startall, then in reverse order. */
static void run_persistent(const struct topo *t, const struct call *calls, int n)
{
    int m = 2 * n;
    struct inst *x = tm_malloc(sizeof *x * (size_t)m);
    MPI_Request *reqs = tm_malloc(sizeof *reqs * (size_t)m);
    for (int i = 0; i < m; i++) {
        inst_setup(&x[i], t, calls[i / 2].kind, i % 2 ? PERS_C : PERS, calls[i / 2].count);
        inst_fill(&x[i], 0);
        inst_call(&x[i]);
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < m; i++)
            inst_fill(&x[i], 100 * (round + 1) + i);
        if (round == 0) {
            for (int i = 0; i < m; i++)
                TM_CHECK_RC(MPI_Start(&x[i].req), "MPI_Start");
        } else if (round == 1) {
            for (int i = 0; i < m; i++)
                reqs[i] = x[i].req;
            TM_CHECK_RC(MPI_Startall(m, reqs), "MPI_Startall");
        } else {
            for (int i = m - 1; i >= 0; i--)
                TM_CHECK_RC(MPI_Start(&x[i].req), "MPI_Start");
        }
        if (round == 1) {
            TM_CHECK_RC(MPI_Waitall(m, reqs, MPI_STATUSES_IGNORE), "MPI_Waitall");
        } else {
            for (int i = m - 1; i >= 0; i--)
                wait_inst(&x[i], "MPI_Wait");
        }
        char when[32];
        snprintf(when, sizeof when, "start %d", round + 1);
        for (int i = 0; i < m; i++) {
            TM_CHECK(x[i].req != MPI_REQUEST_NULL, "persistent request freed by a wait");
            inst_check(&x[i], when);
        }
    }
    for (int i = 0; i < m; i++)
        inst_free(&x[i]);
    free(reqs);
    free(x);
}

/* A neighborhood collective, a regular collective and a wildcard user receive in flight on
 * one communicator: none may take another's messages. */
static void run_isolation(const struct topo *t)
{
    int csize, crank;
    MPI_Comm_size(t->comm, &csize);
    MPI_Comm_rank(t->comm, &crank);
    int got = -1, mine = 1000 + crank, sum = 0, one = 1;
    MPI_Request ur, us, ar;
    MPI_Status st;
    TM_CHECK_RC(MPI_Irecv(&got, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, t->comm, &ur),
                "Irecv");
    struct inst x;
    inst_setup(&x, t, A2A, NB, 3);
    inst_fill(&x, 77);
    inst_call(&x);
    TM_CHECK_RC(MPI_Iallreduce(&one, &sum, 1, MPI_INT, MPI_SUM, t->comm, &ar), "Iallreduce");
    TM_CHECK_RC(MPI_Isend(&mine, 1, MPI_INT, (crank + 1) % csize, 1000, t->comm, &us),
                "Isend");
    TM_CHECK_RC(MPI_Wait(&ar, MPI_STATUS_IGNORE), "Wait (allreduce)");
    wait_inst(&x, "MPI_Wait");
    TM_CHECK_RC(MPI_Wait(&ur, &st), "Wait (user receive)");
    TM_CHECK_RC(MPI_Wait(&us, MPI_STATUS_IGNORE), "Wait (user send)");
    int from = (crank + csize - 1) % csize;
    TM_CHECK(got == 1000 + from && st.MPI_SOURCE == from && st.MPI_TAG == 1000,
             "%s: user receive got %d from %d tag %d, expected %d from %d tag 1000", t->name,
             got, st.MPI_SOURCE, st.MPI_TAG, 1000 + from, from);
    TM_CHECK(sum == csize, "%s: Iallreduce gave %d, expected %d", t->name, sum, csize);
    inst_check(&x, "beside Iallreduce and a user receive");
    inst_free(&x);
}

static void run_all(struct topo *t)
{
    check_lists(t);
    run_blocking_c(t, small_calls, NSMALL);
    run_nonblocking(t, small_calls, NSMALL);
    run_persistent(t, small_calls, NSMALL);
    if (t->large) {
        run_blocking_c(t, large_calls, NLARGE);
        run_nonblocking(t, large_calls, NLARGE);
        run_persistent(t, large_calls, NLARGE);
    }
    run_isolation(t);
    MPI_Comm_free(&t->comm);
}

/* ---- bad input ----------------------------------------------------------------------------- */

static void test_errors(void)
{
    struct topo t;
    int dims[1] = {size}, periods[1] = {1};
    cart_topo(&t, "ring", 1, dims, periods);
    MPI_Comm c = t.comm;
    MPI_Comm_set_errhandler(c, MPI_ERRORS_RETURN);
    int sb[4] = {1, 2, 3, 4}, rb[8], cnt[2] = {1, 1}, dis[2] = {0, 1};
    MPI_Count ccnt[2] = {1, 1}, cneg[2] = {1, -1};
    MPI_Aint ad[2] = {0, 4}, cdis[2] = {0, 1};
    MPI_Datatype ty[2] = {MPI_INT, MPI_INT}, bad[2] = {MPI_INT, MPI_DATATYPE_NULL};
    MPI_Request req = MPI_REQUEST_NULL;
    int rc;

    /* A communicator without a topology; the request comes back null (it held another
     * request's handle before). */
    MPI_Request other;
    MPI_Recv_init(rb, 1, MPI_INT, 0, 0, MPI_COMM_SELF, &other);
    req = other;
    rc = MPI_Ineighbor_allgather(sb, 1, MPI_INT, rb, 1, MPI_INT, MPI_COMM_WORLD, &req);
    CHECK_CLASS(rc, MPI_ERR_TOPOLOGY, "Ineighbor_allgather without a topology");
    TM_CHECK(req == MPI_REQUEST_NULL, "request not set to MPI_REQUEST_NULL on error");
    MPI_Request_free(&other);
    CHECK_CLASS(MPI_Neighbor_alltoall_init(sb, 1, MPI_INT, rb, 1, MPI_INT, MPI_COMM_SELF,
                                           MPI_INFO_NULL, &req),
                MPI_ERR_TOPOLOGY, "Neighbor_alltoall_init without a topology");
    CHECK_CLASS(MPI_Neighbor_alltoallv_c(sb, ccnt, cdis, MPI_INT, rb, ccnt, cdis, MPI_INT,
                                         MPI_COMM_WORLD),
                MPI_ERR_TOPOLOGY, "Neighbor_alltoallv_c without a topology");
    CHECK_CLASS(MPI_Ineighbor_alltoallw_c(sb, ccnt, ad, ty, rb, ccnt, ad, ty, MPI_COMM_NULL,
                                          &req),
                MPI_ERR_COMM, "Ineighbor_alltoallw_c on MPI_COMM_NULL");
    /* Arguments of the new forms. */
    CHECK_CLASS(MPI_Ineighbor_allgather(sb, 1, MPI_INT, rb, 1, MPI_INT, c, NULL), MPI_ERR_ARG,
                "request NULL");
    CHECK_CLASS(MPI_Neighbor_allgather_init_c(sb, 1, MPI_INT, rb, 1, MPI_INT, c, MPI_INFO_NULL,
                                              NULL),
                MPI_ERR_ARG, "persistent request NULL");
    /* LiteMPI's handles are pointers (MPI 5.0 ABI): one to memory that is no info object */
    static uint64_t not_info[8];
    CHECK_CLASS(MPI_Neighbor_allgather_init(sb, 1, MPI_INT, rb, 1, MPI_INT, c,
                                            (MPI_Info)(void *)not_info, &req),
                MPI_ERR_INFO, "info not an info object");
    CHECK_CLASS(MPI_Neighbor_allgather_c(sb, -1, MPI_INT, rb, 1, MPI_INT, c), MPI_ERR_COUNT,
                "_c sendcount -1");
    CHECK_CLASS(MPI_Ineighbor_alltoall_c(sb, 1, MPI_INT, rb, -5, MPI_INT, c, &req),
                MPI_ERR_COUNT, "_c recvcount -5");
    rc = MPI_Ineighbor_alltoallv_c(sb, ccnt, cdis, MPI_INT, rb, cneg, cdis, MPI_INT, c, &req);
    CHECK_CLASS(rc, MPI_ERR_COUNT, "_c recvcounts[1] = -1");
    TM_CHECK(strstr(tm_errstr(rc), "recvcounts[1]") != NULL, "message: %s", tm_errstr(rc));
    CHECK_CLASS(MPI_Neighbor_alltoallv_init_c(MPI_IN_PLACE, ccnt, cdis, MPI_INT, rb, ccnt, cdis,
                                              MPI_INT, c, MPI_INFO_NULL, &req),
                MPI_ERR_BUFFER, "MPI_IN_PLACE");
    CHECK_CLASS(MPI_Ineighbor_alltoallw(sb, cnt, ad, bad, rb, cnt, ad, ty, c, &req),
                MPI_ERR_TYPE, "sendtypes[1] null");
    CHECK_CLASS(MPI_Neighbor_alltoallw_init_c(sb, ccnt, ad, ty, rb, ccnt, ad, NULL, c,
                                              MPI_INFO_NULL, &req),
                MPI_ERR_ARG, "recvtypes NULL");
    CHECK_CLASS(MPI_Ineighbor_allgatherv(sb, 1, MPI_INT, rb, cnt, NULL, MPI_INT, c, &req),
                MPI_ERR_ARG, "displs NULL");
    CHECK_CLASS(MPI_Ineighbor_allgatherv_c(NULL, 1, MPI_INT, rb, ccnt, cdis, MPI_INT, c, &req),
                MPI_ERR_BUFFER, "sendbuf NULL");
    CHECK_CLASS(MPI_Neighbor_alltoallv_init(sb, cnt, dis, MPI_DATATYPE_NULL, rb, cnt, dis,
                                            MPI_INT, c, MPI_INFO_NULL, &req),
                MPI_ERR_TYPE, "sendtype null");
    /* A receive layout that writes one int twice. */
    MPI_Datatype twice;
    MPI_Type_create_hvector(2, 1, 0, MPI_INT, &twice);
    MPI_Type_commit(&twice);
    CHECK_CLASS(MPI_Ineighbor_alltoall(sb, 2, MPI_INT, rb, 1, twice, c, &req), MPI_ERR_TYPE,
                "overlapping receive type");
    MPI_Type_free(&twice);
    TM_CHECK(req == MPI_REQUEST_NULL, "request set after failed calls");

    /* Messages longer than the receive blocks: the error comes at completion, on every
     * rank (each has neighbours on a periodic ring), from every start of a persistent
     * call. */
    rc = MPI_Ineighbor_allgather(sb, 2, MPI_INT, rb, 1, MPI_INT, c, &req);
    TM_CHECK_RC(rc, "Ineighbor_allgather (truncating)");
    CHECK_CLASS(MPI_Wait(&req, MPI_STATUS_IGNORE), MPI_ERR_TRUNCATE, "Wait: truncated");
    TM_CHECK(req == MPI_REQUEST_NULL, "failed nonblocking request not freed");
    rc = MPI_Neighbor_alltoall_init_c(sb, 2, MPI_INT, rb, 1, MPI_INT, c, MPI_INFO_NULL, &req);
    TM_CHECK_RC(rc, "Neighbor_alltoall_init_c (truncating)");
    for (int i = 0; i < 2; i++) {
        TM_CHECK_RC(MPI_Start(&req), "MPI_Start");
        CHECK_CLASS(MPI_Wait(&req, MPI_STATUS_IGNORE), MPI_ERR_TRUNCATE,
                    "Wait: persistent truncated");
    }
    TM_CHECK_RC(MPI_Request_free(&req), "Request_free");
    /* An inactive persistent neighborhood request: waiting returns at once. */
    rc = MPI_Neighbor_allgather_init(sb, 1, MPI_INT, rb, 1, MPI_INT, c, MPI_INFO_NULL, &req);
    TM_CHECK_RC(rc, "Neighbor_allgather_init");
    TM_CHECK_RC(MPI_Wait(&req, MPI_STATUS_IGNORE), "Wait on an inactive request");
    TM_CHECK_RC(MPI_Request_free(&req), "Request_free (never started)");

    /* The communicator still works afterwards. */
    struct inst x;
    inst_setup(&x, &t, AGV, NB_C, 1);
    inst_fill(&x, 5);
    inst_call(&x);
    wait_inst(&x, "MPI_Wait");
    inst_check(&x, "after the errors");
    inst_free(&x);
    MPI_Comm_free(&t.comm);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    if (size > 8) {
        fprintf(stderr, "this test runs on up to 8 ranks\n");
        return 1;
    }
    for_each_topo(run_all);
    test_errors();
    return tm_finish();
}
