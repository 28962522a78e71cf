/* allgather.c - MPI_Allgather and MPI_Allgatherv.
 *
 * ring: p - 1 steps, each passing one block to the right neighbour straight between user
 *   buffers; bandwidth-optimal, for large blocks.
 * recursive_doubling: (power-of-two sizes, allgather) log2 p exchanges of ever larger
 *   contiguous ranges of the receive buffer, still without packing.
 * bruck: log2 p steps for any size: blocks are kept packed, rotated so that this rank's
 *   comes first; step k sends the first 2^k blocks to rank - 2^k and appends those of
 *   rank + 2^k, then one copy puts everything in place. For small blocks.
 */
#include <stdlib.h>

#include "coll/coll.h"

/* Where block i lives in the receive buffer, and its size. */
struct blocks {
    const struct lm_coll_args *a;
    char *base;
    struct lm_datatype *t;
    size_t count;              /* uniform count (counts == NULL) */
    const void *counts, *displs;
};

static size_t bcount(const struct blocks *b, int i)
{
    return b->counts ? lm_coll_cnt(b->a, b->counts, i) : b->count;
}

static char *bslot(const struct blocks *b, int i)
{
    ptrdiff_t at = b->counts ? lm_coll_dsp(b->a, b->displs, i) : (ptrdiff_t)(i * b->count);
    return b->base + at * b->t->extent;
}

static struct blocks blocks_of(const struct lm_coll_args *a)
{
    return (struct blocks){a, a->rbuf, a->rtype, a->rcount, a->rcounts, a->rdispls};
}

/* Own contribution into its slot (not in place). */
static void own_block(struct lm_sched *s, const struct lm_coll_args *a, const struct blocks *b)
{
    int r = a->comm->rank;
    if (a->sbuf != MPI_IN_PLACE)
        lm_sched_copy(s, a->sbuf, a->scount, a->stype, bslot(b, r), bcount(b, r), b->t);
}

static int ring(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, r = a->comm->rank;
    struct blocks b = blocks_of(a);
    own_block(s, a, &b);
    if (b.t->size == 0)
        return LM_OK;
    int left = (r - 1 + p) % p, right = (r + 1) % p;
    for (int k = 0; k < p - 1; k++) {
        int sb = (r - k + p) % p, rb = (r - k - 1 + p) % p;
        if (bcount(&b, rb))
            lm_sched_recv(s, bslot(&b, rb), bcount(&b, rb), b.t, left);
        if (bcount(&b, sb))
            lm_sched_send(s, bslot(&b, sb), bcount(&b, sb), b.t, right);
        lm_sched_fence(s);
    }
    return LM_OK;
}

static bool pow2_size(const struct lm_coll_args *a)
{
    return lm_coll_is_pow2(a->comm->size);
}

static int recursive_doubling(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, r = a->comm->rank;
    struct blocks b = blocks_of(a);
    own_block(s, a, &b);
    if (b.count * b.t->size == 0)
        return LM_OK;
    lm_sched_fence(s);
    for (int mask = 1; mask < p; mask <<= 1) {
        int partner = r ^ mask;
        int mine = r & ~(mask - 1), theirs = partner & ~(mask - 1);
        lm_sched_recv(s, bslot(&b, theirs), (size_t)mask * b.count, b.t, partner);
        lm_sched_send(s, bslot(&b, mine), (size_t)mask * b.count, b.t, partner);
        lm_sched_fence(s);
    }
    return LM_OK;
}

static int bruck(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, r = a->comm->rank;
    struct blocks b = blocks_of(a);
    struct lm_datatype *byte = lm_coll_byte();
    size_t *off = malloc(((size_t)p + 1) * sizeof *off);
    if (!off)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory building an allgather");
    off[0] = 0;   /* packed position j holds rank (r + j) % p */
    for (int j = 0; j < p; j++)
        off[j + 1] = off[j] + bcount(&b, (r + j) % p) * b.t->size;
    if (off[p] == 0) {
        free(off);
        own_block(s, a, &b);
        return LM_OK;
    }
    char *tmp = lm_sched_alloc(s, off[p]);
    if (a->sbuf == MPI_IN_PLACE)
        lm_sched_copy(s, bslot(&b, r), bcount(&b, r), b.t, tmp, off[1], byte);
    else
        lm_sched_copy(s, a->sbuf, a->scount, a->stype, tmp, off[1], byte);
    for (int dist = 1; dist < p; dist <<= 1) {
        int cnt = dist < p - dist ? dist : p - dist;
        if (off[dist + cnt] > off[dist])
            lm_sched_recv(s, tmp + off[dist], off[dist + cnt] - off[dist], byte, (r + dist) % p);
        if (off[cnt])
            lm_sched_send(s, tmp, off[cnt], byte, (r - dist + p) % p);
        lm_sched_fence(s);
    }
    if (!b.counts) {   /* uniform: two copies cover the wrap-around */
        size_t hi = (size_t)(p - r);
        lm_sched_copy(s, tmp, off[hi], byte, bslot(&b, r), hi * b.count, b.t);
        if (r)
            lm_sched_copy(s, tmp + off[hi], off[p] - off[hi], byte, b.base,
                          (size_t)r * b.count, b.t);
    } else {
        for (int j = 0; j < p; j++) {
            int i = (r + j) % p;
            if (j == 0 && a->sbuf == MPI_IN_PLACE)
                continue;
            if (off[j + 1] > off[j])
                lm_sched_copy(s, tmp + off[j], off[j + 1] - off[j], byte, bslot(&b, i),
                              bcount(&b, i), b.t);
        }
    }
    free(off);
    return LM_OK;
}

static const struct lm_coll_algo allgather_algos[] = {
    {"ring", ring, NULL},
    {"recursive_doubling", recursive_doubling, pow2_size},
    {"bruck", bruck, NULL},
};

static int allgather_choose(const struct lm_coll_args *a)
{
    int p = a->comm->size;
    size_t total = a->rcount * a->rtype->size * (size_t)p;
    if (p <= 2 || total >= 256 * 1024)
        return 0;
    return lm_coll_is_pow2(p) ? 1 : 2;
}

const struct lm_coll_family lm_coll_allgather_family = {"ALLGATHER", allgather_algos, 3,
                                                        allgather_choose};

static const struct lm_coll_algo allgatherv_algos[] = {
    {"ring", ring, NULL},
    {"bruck", bruck, NULL},
};

static int allgatherv_choose(const struct lm_coll_args *a)
{
    int p = a->comm->size;
    size_t total = 0;
    for (int i = 0; i < p; i++)
        total += lm_coll_cnt(a, a->rcounts, i);
    return p > 2 && total * a->rtype->size < 256 * 1024 ? 1 : 0;
}

const struct lm_coll_family lm_coll_allgatherv_family = {"ALLGATHERV", allgatherv_algos, 2,
                                                         allgatherv_choose};
