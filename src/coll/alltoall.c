/* alltoall.c - MPI_Alltoall, MPI_Alltoallv, MPI_Alltoallw.
 *
 * linear: every receive and send posted at once (peers in the order r+1, r+2, ... so
 *   that not everyone hits the same rank first); one round, for medium blocks.
 * pairwise: p - 1 rounds, round k sends to r + k and receives from r - k: one transfer in
 *   and one out at a time, for large blocks.
 * bruck: (alltoall) log2 p rounds for tiny blocks: rotate so position j holds the block
 *   for rank r + j, in round k forward every block whose position has bit k set to rank
 *   r + 2^k, and rotate back. Each block travels up to log2 p hops but there are only
 *   log2 p messages.
 * In place (sendbuf = MPI_IN_PLACE) the receive buffer is copied aside packed first and
 * sent from there.
 */
#include <stdlib.h>

#include "coll/coll.h"

struct blk {
    char *ptr;
    size_t count;
    struct lm_datatype *t;
};

struct a2a {
    const struct lm_coll_args *a;
    char *saved;          /* in place: packed copy of the receive buffer */
    size_t *saved_off;
};

static struct blk rblock(const struct lm_coll_args *a, int i)
{
    switch (a->kind) {
    case LM_COLL_ALLTOALLV:
        return (struct blk){(char *)a->rbuf + lm_coll_dsp(a, a->rdispls, i) * a->rtype->extent,
                            lm_coll_cnt(a, a->rcounts, i), a->rtype};
    case LM_COLL_ALLTOALLW:
        return (struct blk){(char *)a->rbuf + lm_coll_dsp(a, a->rdispls, i),
                            lm_coll_cnt(a, a->rcounts, i), a->rtypes[i]};
    default:
        return (struct blk){(char *)a->rbuf + (ptrdiff_t)((size_t)i * a->rcount) *
                            a->rtype->extent, a->rcount, a->rtype};
    }
}

static struct blk sblock(const struct a2a *x, int i)
{
    const struct lm_coll_args *a = x->a;
    if (x->saved)
        return (struct blk){x->saved + x->saved_off[i], x->saved_off[i + 1] - x->saved_off[i],
                            lm_coll_byte()};
    char *sb = (char *)a->sbuf;
    switch (a->kind) {
    case LM_COLL_ALLTOALLV:
        return (struct blk){sb + lm_coll_dsp(a, a->sdispls, i) * a->stype->extent,
                            lm_coll_cnt(a, a->scounts, i), a->stype};
    case LM_COLL_ALLTOALLW:
        return (struct blk){sb + lm_coll_dsp(a, a->sdispls, i), lm_coll_cnt(a, a->scounts, i),
                            a->stypes[i]};
    default:
        return (struct blk){sb + (ptrdiff_t)((size_t)i * a->scount) * a->stype->extent,
                            a->scount, a->stype};
    }
}

static bool empty(struct blk b)
{
    return b.count * b.t->size == 0;
}

/* In place: save every block of the receive buffer, packed. */
static int prepare(struct lm_sched *s, const struct lm_coll_args *a, struct a2a *x)
{
    x->a = a;
    x->saved = NULL;
    x->saved_off = NULL;
    if (a->sbuf != MPI_IN_PLACE)
        return LM_OK;
    int p = a->comm->size;
    size_t *off = lm_sched_alloc(s, ((size_t)p + 1) * sizeof *off);
    if (s->err != LM_OK)
        return s->err;
    off[0] = 0;
    for (int i = 0; i < p; i++) {
        struct blk b = rblock(a, i);
        off[i + 1] = off[i] + b.count * b.t->size;
    }
    char *saved = lm_sched_alloc(s, off[p]);
    for (int i = 0; i < p; i++) {
        struct blk b = rblock(a, i);
        lm_sched_copy(s, b.ptr, b.count, b.t, saved + off[i], off[i + 1] - off[i],
                      lm_coll_byte());
    }
    x->saved = saved;
    x->saved_off = off;
    return LM_OK;
}

static void own(struct lm_sched *s, const struct a2a *x)
{
    int r = x->a->comm->rank;
    if (x->saved)
        return;  /* in place: the block to self is already where it belongs */
    struct blk sb = sblock(x, r), rb = rblock(x->a, r);
    lm_sched_copy(s, sb.ptr, sb.count, sb.t, rb.ptr, rb.count, rb.t);
}

static int linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct a2a x;
    int p = a->comm->size, r = a->comm->rank;
    if (prepare(s, a, &x) != LM_OK)
        return s->err;
    own(s, &x);
    for (int k = 1; k < p; k++) {
        struct blk rb = rblock(a, (r - k + p) % p);
        if (!empty(rb))
            lm_sched_recv(s, rb.ptr, rb.count, rb.t, (r - k + p) % p);
    }
    for (int k = 1; k < p; k++) {
        struct blk sb = sblock(&x, (r + k) % p);
        if (!empty(sb))
            lm_sched_send(s, sb.ptr, sb.count, sb.t, (r + k) % p);
    }
    return LM_OK;
}

static int pairwise(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct a2a x;
    int p = a->comm->size, r = a->comm->rank;
    if (prepare(s, a, &x) != LM_OK)
        return s->err;
    own(s, &x);
    for (int k = 1; k < p; k++) {
        int dst = (r + k) % p, src = (r - k + p) % p;
        struct blk sb = sblock(&x, dst), rb = rblock(a, src);
        if (!empty(rb))
            lm_sched_recv(s, rb.ptr, rb.count, rb.t, src);
        if (!empty(sb))
            lm_sched_send(s, sb.ptr, sb.count, sb.t, dst);
        lm_sched_fence(s);
    }
    return LM_OK;
}

static int bruck(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, r = a->comm->rank;
    struct lm_datatype *byte = lm_coll_byte();
    size_t blk = a->rcount * a->rtype->size;
    if (blk == 0)
        return LM_OK;
    struct a2a x;
    if (prepare(s, a, &x) != LM_OK)
        return s->err;
    /* position j: the block for rank (r + j) % p */
    char *tmp = lm_sched_alloc(s, (size_t)p * blk);
    for (int j = 0; j < p; j++) {
        struct blk sb = sblock(&x, (r + j) % p);
        lm_sched_copy(s, sb.ptr, sb.count, sb.t, tmp + (size_t)j * blk, blk, byte);
    }
    char *out = lm_sched_alloc(s, (size_t)(p / 2 + 1) * blk);
    char *in = lm_sched_alloc(s, (size_t)(p / 2 + 1) * blk);
    for (int dist = 1; dist < p; dist <<= 1) {
        size_t n = 0;
        for (int j = 1; j < p; j++)
            if (j & dist)
                lm_sched_copy(s, tmp + (size_t)j * blk, blk, byte, out + n++ * blk, blk, byte);
        lm_sched_recv(s, in, n * blk, byte, (r - dist + p) % p);
        lm_sched_send(s, out, n * blk, byte, (r + dist) % p);
        lm_sched_fence(s);
        n = 0;
        for (int j = 1; j < p; j++)
            if (j & dist)
                lm_sched_copy(s, in + n++ * blk, blk, byte, tmp + (size_t)j * blk, blk, byte);
    }
    /* position j now holds the block from rank (r - j) % p */
    for (int j = 0; j < p; j++) {
        struct blk rb = rblock(a, (r - j + p) % p);
        lm_sched_copy(s, tmp + (size_t)j * blk, blk, byte, rb.ptr, rb.count, rb.t);
    }
    return LM_OK;
}

static int alltoall_choose(const struct lm_coll_args *a)
{
    int p = a->comm->size;
    size_t blk = a->rcount * a->rtype->size;
    if (p >= 8 && blk <= 256)
        return 2;
    return blk * (size_t)p <= 1024 * 1024 ? 0 : 1;
}

static const struct lm_coll_algo alltoall_algos[] = {
    {"linear", linear, NULL},
    {"pairwise", pairwise, NULL},
    {"bruck", bruck, NULL},
};
static const struct lm_coll_algo alltoallv_algos[] = {
    {"linear", linear, NULL},
    {"pairwise", pairwise, NULL},
};

const struct lm_coll_family lm_coll_alltoall_family = {"ALLTOALL", alltoall_algos, 3,
                                                       alltoall_choose};
const struct lm_coll_family lm_coll_alltoallv_family = {"ALLTOALLV", alltoallv_algos, 2, NULL};
const struct lm_coll_family lm_coll_alltoallw_family = {"ALLTOALLW", alltoallv_algos, 2, NULL};
