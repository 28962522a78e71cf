/* inter.c - collectives on intercommunicators (MPI-4.1 §6.2.2).
 *
 * On an intercommunicator data cross between the two groups: a rooted collective moves it
 * from the root (root = MPI_ROOT; the rest of its group passes MPI_PROC_NULL and takes no
 * part) to or from the other group (root = the root's rank in that remote group); the
 * all-to-all kinds give each group the other group's data, and the reductions reduce one
 * group's data for the other. Point-to-point ranks on an intercommunicator already name
 * the remote group, so sends and receives across need nothing special; phases inside one
 * group switch the schedule to the communicator's private local_comm (s->comm, recorded
 * per op, see struct lm_sop) and reuse the intracommunicator families there with the same
 * tag. Nobody else uses local_comm's collective context with the engine's tags (the user
 * never sees local_comm; src/core only uses negative tags on it), so local phases of
 * overlapping intercommunicator collectives are told apart by their tags alone.
 *
 * Most algorithms funnel through the groups' leaders (local rank 0):
 *   barrier     tree/flat fan-in to the leader, leaders swap, fan-out;
 *   bcast       tree: root -> remote leader -> local bcast; flat: root -> every receiver;
 *   gather      linear: everyone -> root; local: local gather at the leader, one message;
 *   scatter     linear: root -> everyone; local: one message to the leader, local scatter;
 *   allgather   leaders: everyone -> remote leader, then local bcast; linear: everyone ->
 *               every remote rank (tiny groups);
 *   alltoall    linear: every block posted at once; pairwise: max(L, R) rounds;
 *   reduce      leaders: local reduce at the leader (intra family), leader -> root;
 *   allreduce   local reduce, leaders swap results, local bcast;
 *   reduce_scatter(_block)  local reduce, leaders swap, local scatter(v).
 * The v forms (gatherv, scatterv) are linear: only the root knows the block sizes. Choices
 * use only what both groups know alike (the receiving group's size, the total bytes),
 * except for alltoall, whose algorithms mix safely (one message per pair and direction).
 * MPI_IN_PLACE is refused by the API layer, so sbuf and rbuf are always the user's.
 */
#include "coll/coll.h"

/* ---- helpers ---------------------------------------------------------------------------- */

/* Room for count elements of dt in schedule memory, addressed as a user buffer of dt. */
static void *typed_tmp(struct lm_sched *s, size_t count, struct lm_datatype *dt)
{
    if (count == 0 || dt->size == 0)
        return lm_sched_alloc(s, 0);
    ptrdiff_t step = (ptrdiff_t)(count - 1) * dt->extent;
    ptrdiff_t lo = dt->true_lb + (step < 0 ? step : 0);
    ptrdiff_t hi = dt->true_lb + dt->true_extent + (step > 0 ? step : 0);
    char *p = lm_sched_alloc(s, (size_t)(hi - lo));
    return p - lo;
}

/* Builds an intracommunicator collective over the local group as a phase of s (fenced on
 * both sides), with the intercommunicator's tag. */
static int local_phase(struct lm_sched *s, struct lm_comm *ic, struct lm_coll_args *sub)
{
    sub->comm = ic->local_comm;
    s->comm = ic->local_comm;
    lm_sched_fence(s);
    int rc = lm_coll_build(s, sub, NULL);
    lm_sched_fence(s);
    s->comm = ic;
    return rc;
}

/* Empty messages to (fan_in) or from (fan_out) rank 0 of s->comm: a binomial tree, or
 * flat (one round whatever the size: when ranks outnumber cores, see barrier.c). */
static void fan_in(struct lm_sched *s, bool flat)
{
    int p = s->comm->size, r = s->comm->rank, mask;
    struct lm_datatype *byte = lm_coll_byte();
    if (flat) {
        for (int i = 1; r == 0 && i < p; i++)
            lm_sched_recv(s, NULL, 0, byte, i);
        if (r != 0)
            lm_sched_send(s, NULL, 0, byte, 0);
        return;
    }
    int parent = lm_coll_binomial(r, p, &mask);
    for (int m = 1; m < mask; m <<= 1)
        if (r + m < p)
            lm_sched_recv(s, NULL, 0, byte, r + m);
    lm_sched_fence(s);
    if (parent >= 0)
        lm_sched_send(s, NULL, 0, byte, parent);
}

static void fan_out(struct lm_sched *s, bool flat)
{
    int p = s->comm->size, r = s->comm->rank, mask;
    struct lm_datatype *byte = lm_coll_byte();
    if (flat) {
        for (int i = 1; r == 0 && i < p; i++)
            lm_sched_send(s, NULL, 0, byte, i);
        if (r != 0)
            lm_sched_recv(s, NULL, 0, byte, 0);
        return;
    }
    int parent = lm_coll_binomial(r, p, &mask);
    if (parent >= 0) {
        lm_sched_recv(s, NULL, 0, byte, parent);
        lm_sched_fence(s);
    }
    for (int m = mask >> 1; m >= 1; m >>= 1)
        if (r + m < p)
            lm_sched_send(s, NULL, 0, byte, r + m);
}

/* Rooted collectives: this rank's part. */
static bool is_root(const struct lm_coll_args *a)
{
    return a->root == MPI_ROOT;
}

static bool idle(const struct lm_coll_args *a)
{
    return a->root == MPI_PROC_NULL;
}

/* ---- barrier ---------------------------------------------------------------------------- */

/* Everyone of a group has entered when its leader's fan-in completes; a leader passes the
 * swap only when the other leader has seen the same of its group, and releases its own. */
static int barrier_build(struct lm_sched *s, bool flat)
{
    struct lm_comm *ic = s->comm;
    struct lm_datatype *byte = lm_coll_byte();
    s->comm = ic->local_comm;
    fan_in(s, flat);
    lm_sched_fence(s);
    s->comm = ic;
    if (ic->rank == 0) {
        lm_sched_recv(s, NULL, 0, byte, 0);
        lm_sched_send(s, NULL, 0, byte, 0);
        lm_sched_fence(s);
    }
    s->comm = ic->local_comm;
    fan_out(s, flat);
    s->comm = ic;
    return LM_OK;
}

static int barrier_tree(struct lm_sched *s, const struct lm_coll_args *a)
{
    (void)a;
    return barrier_build(s, false);
}

static int barrier_flat(struct lm_sched *s, const struct lm_coll_args *a)
{
    (void)a;
    return barrier_build(s, true);
}

static const struct lm_coll_algo barrier_algos[] = {
    {"tree", barrier_tree, NULL},
    {"flat", barrier_flat, NULL},
};

static int barrier_choose(const struct lm_coll_args *a)
{
    (void)a;
    return lm_coll_crowded() ? 1 : 0;
}

const struct lm_coll_family lm_coll_inter_barrier_family = {"INTER_BARRIER", barrier_algos, 2,
                                                            barrier_choose};

/* ---- bcast ------------------------------------------------------------------------------ */

static int bcast_tree(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_comm *ic = a->comm;
    if (idle(a) || a->rcount * a->rtype->size == 0)
        return LM_OK;
    if (is_root(a)) {
        lm_sched_send(s, a->rbuf, a->rcount, a->rtype, 0);
        return LM_OK;
    }
    if (ic->rank == 0)
        lm_sched_recv(s, a->rbuf, a->rcount, a->rtype, a->root);
    if (ic->size == 1)
        return LM_OK;
    struct lm_coll_args sub = {.kind = LM_COLL_BCAST, .rbuf = a->rbuf, .rcount = a->rcount,
                               .rtype = a->rtype, .root = 0};
    return local_phase(s, ic, &sub);
}

static int bcast_flat(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_comm *ic = a->comm;
    if (idle(a) || a->rcount * a->rtype->size == 0)
        return LM_OK;
    if (!is_root(a)) {
        lm_sched_recv(s, a->rbuf, a->rcount, a->rtype, a->root);
        return LM_OK;
    }
    for (int i = 0; i < ic->remote_size; i++)
        lm_sched_send(s, a->rbuf, a->rcount, a->rtype, i);
    return LM_OK;
}

static const struct lm_coll_algo bcast_algos[] = {
    {"tree", bcast_tree, NULL},
    {"flat", bcast_flat, NULL},
};

static int bcast_choose(const struct lm_coll_args *a)
{
    if (idle(a))
        return 0;
    int receivers = is_root(a) ? a->comm->remote_size : a->comm->size;
    size_t nb = a->rcount * a->rtype->size;
    return receivers <= 2 || (receivers <= 64 && nb <= 4096 && lm_coll_crowded()) ? 1 : 0;
}

const struct lm_coll_family lm_coll_inter_bcast_family = {"INTER_BCAST", bcast_algos, 2,
                                                          bcast_choose};

/* ---- gather(v), scatter(v) -------------------------------------------------------------- */

static char *slot(const void *buf, size_t i, size_t count, const struct lm_datatype *t)
{
    return (char *)buf + (ptrdiff_t)(i * count) * t->extent;
}

static int gather_linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    if (idle(a))
        return LM_OK;
    if (!is_root(a)) {
        if (a->scount * a->stype->size != 0)
            lm_sched_send(s, a->sbuf, a->scount, a->stype, a->root);
        return LM_OK;
    }
    if (a->rcount * a->rtype->size == 0)
        return LM_OK;
    for (int i = 0; i < a->comm->remote_size; i++)
        lm_sched_recv(s, slot(a->rbuf, (size_t)i, a->rcount, a->rtype), a->rcount, a->rtype, i);
    return LM_OK;
}

/* The sending group gathers its blocks packed at its leader, which sends them to the root
 * in one message: the root's blocks are consecutive, so it receives them as one. */
static int gather_local(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_comm *ic = a->comm;
    if (idle(a))
        return LM_OK;
    if (is_root(a)) {
        size_t n = (size_t)ic->remote_size * a->rcount;
        if (n * a->rtype->size != 0)
            lm_sched_recv(s, a->rbuf, n, a->rtype, 0);
        return LM_OK;
    }
    size_t blk = a->scount * a->stype->size, all = blk * (size_t)ic->size;
    if (all == 0)
        return LM_OK;
    struct lm_datatype *byte = lm_coll_byte();
    char *tmp = ic->rank == 0 ? lm_sched_alloc(s, all) : NULL;
    struct lm_coll_args sub = {.kind = LM_COLL_GATHER, .sbuf = a->sbuf, .scount = a->scount,
                               .stype = a->stype, .rbuf = tmp, .rcount = blk, .rtype = byte,
                               .root = 0};
    int rc = local_phase(s, ic, &sub);
    if (ic->rank == 0)
        lm_sched_send(s, tmp, all, byte, a->root);
    return rc;
}

/* Senders and block bytes of a gather (scatter: receivers), the same in both groups. */
static size_t rooted_total(const struct lm_coll_args *a, bool scatter, int *members)
{
    bool root_side = is_root(a);
    *members = root_side ? a->comm->remote_size : a->comm->size;
    size_t blk;
    if (root_side == scatter)   /* the data are in the send buffer */
        blk = a->scount * a->stype->size;
    else
        blk = a->rcount * a->rtype->size;
    return blk * (size_t)*members;
}

static int gather_choose(const struct lm_coll_args *a)
{
    int members;
    if (idle(a))
        return 0;
    size_t total = rooted_total(a, false, &members);
    return members > 2 && total <= 32 * 1024 ? 1 : 0;
}

static const struct lm_coll_algo gather_algos[] = {
    {"linear", gather_linear, NULL},
    {"local", gather_local, NULL},
};
const struct lm_coll_family lm_coll_inter_gather_family = {"INTER_GATHER", gather_algos, 2,
                                                           gather_choose};

static int gatherv_linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    if (idle(a))
        return LM_OK;
    if (!is_root(a)) {
        if (a->scount * a->stype->size != 0)
            lm_sched_send(s, a->sbuf, a->scount, a->stype, a->root);
        return LM_OK;
    }
    for (int i = 0; i < a->comm->remote_size; i++) {
        size_t c = lm_coll_cnt(a, a->rcounts, i);
        if (c * a->rtype->size != 0)
            lm_sched_recv(s, (char *)a->rbuf + lm_coll_dsp(a, a->rdispls, i) * a->rtype->extent,
                          c, a->rtype, i);
    }
    return LM_OK;
}

static const struct lm_coll_algo gatherv_algos[] = {{"linear", gatherv_linear, NULL}};
const struct lm_coll_family lm_coll_inter_gatherv_family = {"INTER_GATHERV", gatherv_algos, 1,
                                                            NULL};

static int scatter_linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    if (idle(a))
        return LM_OK;
    if (!is_root(a)) {
        if (a->rcount * a->rtype->size != 0)
            lm_sched_recv(s, a->rbuf, a->rcount, a->rtype, a->root);
        return LM_OK;
    }
    if (a->scount * a->stype->size == 0)
        return LM_OK;
    for (int i = 0; i < a->comm->remote_size; i++)
        lm_sched_send(s, slot(a->sbuf, (size_t)i, a->scount, a->stype), a->scount, a->stype, i);
    return LM_OK;
}

/* The root sends every block to the receiving group's leader in one message; the leader
 * scatters them in its group. */
static int scatter_local(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_comm *ic = a->comm;
    if (idle(a))
        return LM_OK;
    if (is_root(a)) {
        size_t n = (size_t)ic->remote_size * a->scount;
        if (n * a->stype->size != 0)
            lm_sched_send(s, a->sbuf, n, a->stype, 0);
        return LM_OK;
    }
    size_t blk = a->rcount * a->rtype->size, all = blk * (size_t)ic->size;
    if (all == 0)
        return LM_OK;
    struct lm_datatype *byte = lm_coll_byte();
    char *tmp = NULL;
    if (ic->rank == 0) {
        tmp = lm_sched_alloc(s, all);
        lm_sched_recv(s, tmp, all, byte, a->root);
    }
    struct lm_coll_args sub = {.kind = LM_COLL_SCATTER, .sbuf = tmp, .scount = blk,
                               .stype = byte, .rbuf = a->rbuf, .rcount = a->rcount,
                               .rtype = a->rtype, .root = 0};
    return local_phase(s, ic, &sub);
}

static int scatter_choose(const struct lm_coll_args *a)
{
    int members;
    if (idle(a))
        return 0;
    size_t total = rooted_total(a, true, &members);
    return members > 2 && total <= 32 * 1024 ? 1 : 0;
}

static const struct lm_coll_algo scatter_algos[] = {
    {"linear", scatter_linear, NULL},
    {"local", scatter_local, NULL},
};
const struct lm_coll_family lm_coll_inter_scatter_family = {"INTER_SCATTER", scatter_algos, 2,
                                                            scatter_choose};

static int scatterv_linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    if (idle(a))
        return LM_OK;
    if (!is_root(a)) {
        if (a->rcount * a->rtype->size != 0)
            lm_sched_recv(s, a->rbuf, a->rcount, a->rtype, a->root);
        return LM_OK;
    }
    for (int i = 0; i < a->comm->remote_size; i++) {
        size_t c = lm_coll_cnt(a, a->scounts, i);
        if (c * a->stype->size != 0)
            lm_sched_send(s, (const char *)a->sbuf +
                          lm_coll_dsp(a, a->sdispls, i) * a->stype->extent, c, a->stype, i);
    }
    return LM_OK;
}

static const struct lm_coll_algo scatterv_algos[] = {{"linear", scatterv_linear, NULL}};
const struct lm_coll_family lm_coll_inter_scatterv_family = {"INTER_SCATTERV", scatterv_algos,
                                                             1, NULL};

/* ---- allgather(v) ----------------------------------------------------------------------- */

/* Block i of the receive buffer (remote rank i's data). */
static size_t ag_count(const struct lm_coll_args *a, int i)
{
    return a->rcounts ? lm_coll_cnt(a, a->rcounts, i) : a->rcount;
}

static char *ag_slot(const struct lm_coll_args *a, int i)
{
    ptrdiff_t at = a->rcounts ? lm_coll_dsp(a, a->rdispls, i) : (ptrdiff_t)((size_t)i * a->rcount);
    return (char *)a->rbuf + at * a->rtype->extent;
}

/* Every rank sends its block to the remote leader, which receives the whole remote group's
 * and broadcasts them in its group (the v form packed: its blocks may be anywhere). */
static int allgather_leaders(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_comm *ic = a->comm;
    int R = ic->remote_size, r = ic->rank;
    if (a->scount * a->stype->size != 0)
        lm_sched_send(s, a->sbuf, a->scount, a->stype, 0);
    size_t total = 0;
    for (int i = 0; i < R; i++) {
        size_t c = ag_count(a, i);
        total += c;
        if (r == 0 && c * a->rtype->size != 0)
            lm_sched_recv(s, ag_slot(a, i), c, a->rtype, i);
    }
    if (ic->size == 1 || total * a->rtype->size == 0)
        return LM_OK;
    if (!a->rcounts) {
        struct lm_coll_args sub = {.kind = LM_COLL_BCAST, .rbuf = a->rbuf,
                                   .rcount = (size_t)R * a->rcount, .rtype = a->rtype,
                                   .root = 0};
        return local_phase(s, ic, &sub);
    }
    struct lm_datatype *byte = lm_coll_byte();
    size_t bytes = total * a->rtype->size;
    char *tmp = lm_sched_alloc(s, bytes);
    lm_sched_fence(s);
    size_t at = 0;
    for (int i = 0; r == 0 && i < R; i++) {
        size_t c = ag_count(a, i);
        lm_sched_copy(s, ag_slot(a, i), c, a->rtype, tmp + at, c * a->rtype->size, byte);
        at += c * a->rtype->size;
    }
    struct lm_coll_args sub = {.kind = LM_COLL_BCAST, .rbuf = tmp, .rcount = bytes,
                               .rtype = byte, .root = 0};
    int rc = local_phase(s, ic, &sub);
    at = 0;
    for (int i = 0; r != 0 && i < R; i++) {
        size_t c = ag_count(a, i);
        lm_sched_copy(s, tmp + at, c * a->rtype->size, byte, ag_slot(a, i), c, a->rtype);
        at += c * a->rtype->size;
    }
    return rc;
}

/* Every rank sends its block to every remote rank: one round, L * R messages. */
static int allgather_linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_comm *ic = a->comm;
    int R = ic->remote_size, r = ic->rank;
    bool sends = a->scount * a->stype->size != 0;
    for (int k = 0; k < R; k++) {
        int i = (r + k) % R;
        size_t c = ag_count(a, i);
        if (c * a->rtype->size != 0)
            lm_sched_recv(s, ag_slot(a, i), c, a->rtype, i);
        if (sends)
            lm_sched_send(s, a->sbuf, a->scount, a->stype, i);
    }
    return LM_OK;
}

static const struct lm_coll_algo allgather_algos[] = {
    {"leaders", allgather_leaders, NULL},
    {"linear", allgather_linear, NULL},
};

static int allgather_choose(const struct lm_coll_args *a)
{
    return a->comm->size <= 2 && a->comm->remote_size <= 2 ? 1 : 0;
}

const struct lm_coll_family lm_coll_inter_allgather_family = {"INTER_ALLGATHER",
                                                              allgather_algos, 2,
                                                              allgather_choose};
const struct lm_coll_family lm_coll_inter_allgatherv_family = {"INTER_ALLGATHERV",
                                                               allgather_algos, 2,
                                                               allgather_choose};

/* ---- alltoall(v, w) --------------------------------------------------------------------- */

struct blk {
    char *ptr;
    size_t count;
    struct lm_datatype *t;
};

/* The block for (send) or from (receive) remote rank i. */
static struct blk a2a_block(const struct lm_coll_args *a, bool send, int i)
{
    char *base = send ? (char *)a->sbuf : (char *)a->rbuf;
    const void *counts = send ? a->scounts : a->rcounts;
    const void *displs = send ? a->sdispls : a->rdispls;
    struct lm_datatype *t = send ? a->stype : a->rtype;
    switch (a->kind) {
    case LM_COLL_ALLTOALLV:
        return (struct blk){base + lm_coll_dsp(a, displs, i) * t->extent,
                            lm_coll_cnt(a, counts, i), t};
    case LM_COLL_ALLTOALLW:
        return (struct blk){base + lm_coll_dsp(a, displs, i), lm_coll_cnt(a, counts, i),
                            (send ? a->stypes : a->rtypes)[i]};
    default: {
        size_t c = send ? a->scount : a->rcount;
        return (struct blk){slot(base, (size_t)i, c, t), c, t};
    }
    }
}

static void a2a_recv(struct lm_sched *s, const struct lm_coll_args *a, int i)
{
    struct blk b = a2a_block(a, false, i);
    if (b.count * b.t->size != 0)
        lm_sched_recv(s, b.ptr, b.count, b.t, i);
}

static void a2a_send(struct lm_sched *s, const struct lm_coll_args *a, int i)
{
    struct blk b = a2a_block(a, true, i);
    if (b.count * b.t->size != 0)
        lm_sched_send(s, b.ptr, b.count, b.t, i);
}

static int alltoall_linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    int R = a->comm->remote_size, r = a->comm->rank;
    for (int k = 0; k < R; k++)
        a2a_recv(s, a, (r + k) % R);
    for (int k = 0; k < R; k++)
        a2a_send(s, a, (r + k) % R);
    return LM_OK;
}

/* Round k over m = max(L, R) virtual ranks: send to r + k, receive from r - k (the remote
 * rank that sends to us in its round k); partners beyond the remote group are skipped. */
static int alltoall_pairwise(struct lm_sched *s, const struct lm_coll_args *a)
{
    int L = a->comm->size, R = a->comm->remote_size, r = a->comm->rank;
    int m = L > R ? L : R;
    for (int k = 0; k < m; k++) {
        int dst = (r + k) % m, src = (r - k + m) % m;
        if (src < R)
            a2a_recv(s, a, src);
        if (dst < R)
            a2a_send(s, a, dst);
        lm_sched_fence(s);
    }
    return LM_OK;
}

static int alltoall_choose(const struct lm_coll_args *a)
{
    return a->rcount * a->rtype->size * (size_t)a->comm->remote_size > 1024 * 1024 ? 1 : 0;
}

static const struct lm_coll_algo alltoall_algos[] = {
    {"linear", alltoall_linear, NULL},
    {"pairwise", alltoall_pairwise, NULL},
};
const struct lm_coll_family lm_coll_inter_alltoall_family = {"INTER_ALLTOALL", alltoall_algos,
                                                             2, alltoall_choose};
const struct lm_coll_family lm_coll_inter_alltoallv_family = {"INTER_ALLTOALLV",
                                                              alltoall_algos, 2, NULL};
const struct lm_coll_family lm_coll_inter_alltoallw_family = {"INTER_ALLTOALLW",
                                                              alltoall_algos, 2, NULL};

/* ---- reductions ------------------------------------------------------------------------- */

/* The local group's reduction of count elements at the leader: sbuf itself in a group of
 * one, else a temporary filled by an intracommunicator reduce (NULL on the others). */
static const void *local_reduce(struct lm_sched *s, const struct lm_coll_args *a, size_t count,
                                int *rc)
{
    struct lm_comm *ic = a->comm;
    *rc = LM_OK;
    if (ic->size == 1)
        return a->sbuf;
    void *tmp = ic->rank == 0 ? typed_tmp(s, count, a->rtype) : NULL;
    struct lm_coll_args sub = {.kind = LM_COLL_REDUCE, .sbuf = a->sbuf, .rbuf = tmp,
                               .rcount = count, .rtype = a->rtype, .op = a->op, .root = 0};
    *rc = local_phase(s, ic, &sub);
    return tmp;
}

static int reduce_leaders(struct lm_sched *s, const struct lm_coll_args *a)
{
    if (idle(a) || a->rcount * a->rtype->size == 0)
        return LM_OK;
    if (is_root(a)) {
        lm_sched_recv(s, a->rbuf, a->rcount, a->rtype, 0);
        return LM_OK;
    }
    int rc;
    const void *red = local_reduce(s, a, a->rcount, &rc);
    if (a->comm->rank == 0)
        lm_sched_send(s, red, a->rcount, a->rtype, a->root);
    return rc;
}

static const struct lm_coll_algo reduce_algos[] = {{"leaders", reduce_leaders, NULL}};
const struct lm_coll_family lm_coll_inter_reduce_family = {"INTER_REDUCE", reduce_algos, 1,
                                                           NULL};

/* Each group reduces its data at its leader; the leaders swap the results. */
static int allreduce_leaders(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_comm *ic = a->comm;
    if (a->rcount * a->rtype->size == 0)
        return LM_OK;
    int rc;
    const void *red = local_reduce(s, a, a->rcount, &rc);
    if (ic->rank == 0) {
        lm_sched_recv(s, a->rbuf, a->rcount, a->rtype, 0);
        lm_sched_send(s, red, a->rcount, a->rtype, 0);
    }
    if (rc != LM_OK || ic->size == 1)
        return rc;
    struct lm_coll_args sub = {.kind = LM_COLL_BCAST, .rbuf = a->rbuf, .rcount = a->rcount,
                               .rtype = a->rtype, .root = 0};
    return local_phase(s, ic, &sub);
}

static const struct lm_coll_algo allreduce_algos[] = {{"leaders", allreduce_leaders, NULL}};
const struct lm_coll_family lm_coll_inter_allreduce_family = {"INTER_ALLREDUCE",
                                                              allreduce_algos, 1, NULL};

/* Reduce over the local group at the leader, swap with the other leader (both vectors have
 * the same length: the standard requires it), and scatter the other group's reduction in
 * the local group by the local recvcounts. */
static int reduce_scatter_leaders(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_comm *ic = a->comm;
    int L = ic->size, r = ic->rank;
    size_t total = 0;
    for (int i = 0; i < L; i++)
        total += a->rcounts ? lm_coll_cnt(a, a->rcounts, i) : a->rcount;
    if (total * a->rtype->size == 0)
        return LM_OK;
    int rc;
    const void *red = local_reduce(s, a, total, &rc);
    if (rc != LM_OK)
        return rc;
    /* a group of one receives its whole block straight into recvbuf */
    void *other = L == 1 ? a->rbuf : r == 0 ? typed_tmp(s, total, a->rtype) : NULL;
    if (r == 0) {
        lm_sched_recv(s, other, total, a->rtype, 0);
        lm_sched_send(s, red, total, a->rtype, 0);
    }
    if (L == 1)
        return LM_OK;
    struct lm_coll_args sub = {.kind = LM_COLL_SCATTER, .sbuf = other, .scount = a->rcount,
                               .stype = a->rtype, .rbuf = a->rbuf, .rcount = a->rcount,
                               .rtype = a->rtype, .root = 0};
    if (a->rcounts) {
        /* scatterv over MPI_Count/MPI_Aint arrays whatever the caller's width (the
         * displacements are sums of counts and may exceed an int) */
        MPI_Count *cnt = lm_sched_alloc(s, (size_t)L * (sizeof *cnt + sizeof(MPI_Aint)));
        MPI_Aint *dsp = (MPI_Aint *)(cnt + L);
        if (s->err != LM_OK)
            return s->err;
        MPI_Aint at = 0;
        for (int i = 0; i < L; i++) {
            cnt[i] = (MPI_Count)lm_coll_cnt(a, a->rcounts, i);
            dsp[i] = at;
            at += (MPI_Aint)cnt[i];
        }
        sub.kind = LM_COLL_SCATTERV;
        sub.scounts = cnt;
        sub.sdispls = dsp;
        sub.big = true;
        sub.rcount = (size_t)cnt[r];
    }
    return local_phase(s, ic, &sub);
}

static const struct lm_coll_algo reduce_scatter_algos[] = {
    {"leaders", reduce_scatter_leaders, NULL},
};
const struct lm_coll_family lm_coll_inter_reduce_scatter_family = {"INTER_REDUCE_SCATTER",
                                                                   reduce_scatter_algos, 1,
                                                                   NULL};
const struct lm_coll_family lm_coll_inter_reduce_scatter_block_family = {
    "INTER_REDUCE_SCATTER_BLOCK", reduce_scatter_algos, 1, NULL};
