/* gather.c - MPI_Gather, MPI_Gatherv, MPI_Scatter, MPI_Scatterv.
 *
 * linear: the root posts one receive (send) per rank straight into (from) the user's
 *   buffer, all in one round. Right for large blocks, and the only choice for the v forms,
 *   whose block sizes only the root knows.
 * binomial: blocks travel packed up (down) a binomial tree, each rank forwarding its
 *   subtree's blocks in one message: log2 p rounds instead of p - 1 messages at the root,
 *   for small blocks.
 * A rank's block in the root's buffer is at (rank * count) elements; ranks in the tree are
 * relative to the root, so the root's packed buffer holds ranks root, root+1, ..., p-1,
 * 0, ..., root-1 and is copied out (in) with two typed copies.
 */
#include "coll/coll.h"

static char *slot(void *buf, size_t i, size_t count, const struct lm_datatype *t)
{
    return (char *)buf + (ptrdiff_t)(i * count) * t->extent;
}

/* ---- gather ----------------------------------------------------------------------------- */

static int gather_linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, r = a->comm->rank;
    if (r != a->root) {
        if (a->scount * a->stype->size != 0)
            lm_sched_send(s, a->sbuf, a->scount, a->stype, a->root);
        return LM_OK;
    }
    if (a->rcount * a->rtype->size == 0)
        return LM_OK;
    for (int i = 0; i < p; i++)
        if (i != r)
            lm_sched_recv(s, slot(a->rbuf, (size_t)i, a->rcount, a->rtype), a->rcount,
                          a->rtype, i);
    if (a->sbuf != MPI_IN_PLACE)
        lm_sched_copy(s, a->sbuf, a->scount, a->stype,
                      slot(a->rbuf, (size_t)r, a->rcount, a->rtype), a->rcount, a->rtype);
    return LM_OK;
}

static int gather_binomial(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, r = a->comm->rank, root = a->root, mask;
    bool is_root = r == root;
    size_t blk = is_root ? a->rcount * a->rtype->size : a->scount * a->stype->size;
    if (blk == 0)
        return LM_OK;
    struct lm_datatype *byte = lm_coll_byte();
    int rel = (r - root + p) % p;
    int parent = lm_coll_binomial(rel, p, &mask);
    int sub = mask < p - rel ? mask : p - rel;   /* ranks in my subtree */
    if (sub == 1 && !is_root) {   /* a leaf sends its block as it is */
        lm_sched_send(s, a->sbuf, a->scount, a->stype, (parent + root) % p);
        return LM_OK;
    }
    char *tmp = lm_sched_alloc(s, (size_t)sub * blk);
    if (is_root && a->sbuf == MPI_IN_PLACE)
        lm_sched_copy(s, slot(a->rbuf, (size_t)r, a->rcount, a->rtype), a->rcount, a->rtype,
                      tmp, blk, byte);
    else
        lm_sched_copy(s, a->sbuf, a->scount, a->stype, tmp, blk, byte);
    for (int m = 1; m < mask; m <<= 1) {
        int child = rel + m;
        if (child >= p)
            break;
        int csub = m < p - child ? m : p - child;
        lm_sched_recv(s, tmp + (size_t)m * blk, (size_t)csub * blk, byte, (child + root) % p);
    }
    lm_sched_fence(s);
    if (!is_root) {
        lm_sched_send(s, tmp, (size_t)sub * blk, byte, (parent + root) % p);
        return LM_OK;
    }
    /* relative ranks 0..p-root-1 are ranks root..p-1, the rest 0..root-1 */
    size_t hi = (size_t)(p - root), lo = (size_t)root;
    lm_sched_copy(s, tmp, hi * blk, byte, slot(a->rbuf, lo, a->rcount, a->rtype),
                  hi * a->rcount, a->rtype);
    if (lo)
        lm_sched_copy(s, tmp + hi * blk, lo * blk, byte, a->rbuf, lo * a->rcount, a->rtype);
    return LM_OK;
}

static int gather_choose(const struct lm_coll_args *a)
{
    bool is_root = a->comm->rank == a->root;
    size_t blk = is_root ? a->rcount * a->rtype->size : a->scount * a->stype->size;
    return a->comm->size > 3 && blk * (size_t)a->comm->size <= 32 * 1024 ? 1 : 0;
}

static const struct lm_coll_algo gather_algos[] = {
    {"linear", gather_linear, NULL},
    {"binomial", gather_binomial, NULL},
};
const struct lm_coll_family lm_coll_gather_family = {"GATHER", gather_algos, 2, gather_choose};

static int gatherv_linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, r = a->comm->rank;
    if (r != a->root) {
        if (a->scount * a->stype->size != 0)
            lm_sched_send(s, a->sbuf, a->scount, a->stype, a->root);
        return LM_OK;
    }
    for (int i = 0; i < p; i++) {
        size_t c = lm_coll_cnt(a, a->rcounts, i);
        char *at = (char *)a->rbuf + lm_coll_dsp(a, a->rdispls, i) * a->rtype->extent;
        if (c * a->rtype->size == 0)
            continue;
        if (i != r)
            lm_sched_recv(s, at, c, a->rtype, i);
        else if (a->sbuf != MPI_IN_PLACE)
            lm_sched_copy(s, a->sbuf, a->scount, a->stype, at, c, a->rtype);
    }
    return LM_OK;
}

static const struct lm_coll_algo gatherv_algos[] = {{"linear", gatherv_linear, NULL}};
const struct lm_coll_family lm_coll_gatherv_family = {"GATHERV", gatherv_algos, 1, NULL};

/* ---- scatter ---------------------------------------------------------------------------- */

static int scatter_linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, r = a->comm->rank;
    if (r != a->root) {
        if (a->rcount * a->rtype->size != 0)
            lm_sched_recv(s, a->rbuf, a->rcount, a->rtype, a->root);
        return LM_OK;
    }
    if (a->scount * a->stype->size == 0)
        return LM_OK;
    for (int i = 0; i < p; i++)
        if (i != r)
            lm_sched_send(s, slot((void *)a->sbuf, (size_t)i, a->scount, a->stype), a->scount,
                          a->stype, i);
    if (a->rbuf != MPI_IN_PLACE)
        lm_sched_copy(s, slot((void *)a->sbuf, (size_t)r, a->scount, a->stype), a->scount,
                      a->stype, a->rbuf, a->rcount, a->rtype);
    return LM_OK;
}

static int scatter_binomial(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, r = a->comm->rank, root = a->root, mask;
    bool is_root = r == root;
    size_t blk = is_root ? a->scount * a->stype->size : a->rcount * a->rtype->size;
    if (blk == 0)
        return LM_OK;
    struct lm_datatype *byte = lm_coll_byte();
    int rel = (r - root + p) % p;
    int parent = lm_coll_binomial(rel, p, &mask);
    int sub = mask < p - rel ? mask : p - rel;
    if (sub == 1 && !is_root) {   /* a leaf receives its block in place */
        lm_sched_recv(s, a->rbuf, a->rcount, a->rtype, (parent + root) % p);
        return LM_OK;
    }
    char *tmp = lm_sched_alloc(s, (size_t)sub * blk);
    if (is_root) {
        size_t hi = (size_t)(p - root), lo = (size_t)root;
        lm_sched_copy(s, slot((void *)a->sbuf, lo, a->scount, a->stype), hi * a->scount,
                      a->stype, tmp, hi * blk, byte);
        if (lo)
            lm_sched_copy(s, a->sbuf, lo * a->scount, a->stype, tmp + hi * blk, lo * blk, byte);
    } else {
        lm_sched_recv(s, tmp, (size_t)sub * blk, byte, (parent + root) % p);
        lm_sched_fence(s);
    }
    for (int m = mask >> 1; m >= 1; m >>= 1) {
        int child = rel + m;
        if (child >= p)
            continue;
        int csub = m < p - child ? m : p - child;
        lm_sched_send(s, tmp + (size_t)m * blk, (size_t)csub * blk, byte, (child + root) % p);
    }
    if (!is_root || a->rbuf != MPI_IN_PLACE)
        lm_sched_copy(s, tmp, blk, byte, a->rbuf, a->rcount, a->rtype);
    return LM_OK;
}

static int scatter_choose(const struct lm_coll_args *a)
{
    bool is_root = a->comm->rank == a->root;
    size_t blk = is_root ? a->scount * a->stype->size : a->rcount * a->rtype->size;
    return a->comm->size > 3 && blk * (size_t)a->comm->size <= 32 * 1024 ? 1 : 0;
}

static const struct lm_coll_algo scatter_algos[] = {
    {"linear", scatter_linear, NULL},
    {"binomial", scatter_binomial, NULL},
};
const struct lm_coll_family lm_coll_scatter_family = {"SCATTER", scatter_algos, 2,
                                                      scatter_choose};

static int scatterv_linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, r = a->comm->rank;
    if (r != a->root) {
        if (a->rcount * a->rtype->size != 0)
            lm_sched_recv(s, a->rbuf, a->rcount, a->rtype, a->root);
        return LM_OK;
    }
    for (int i = 0; i < p; i++) {
        size_t c = lm_coll_cnt(a, a->scounts, i);
        const char *at = (const char *)a->sbuf + lm_coll_dsp(a, a->sdispls, i) * a->stype->extent;
        if (c * a->stype->size == 0)
            continue;
        if (i != r)
            lm_sched_send(s, at, c, a->stype, i);
        else if (a->rbuf != MPI_IN_PLACE)
            lm_sched_copy(s, at, c, a->stype, a->rbuf, a->rcount, a->rtype);
    }
    return LM_OK;
}

static const struct lm_coll_algo scatterv_algos[] = {{"linear", scatterv_linear, NULL}};
const struct lm_coll_family lm_coll_scatterv_family = {"SCATTERV", scatterv_algos, 1, NULL};
