/* reduce.c - MPI_Reduce, and the reduction building blocks other families reuse.
 *
 * binomial: children's partial results are combined up a binomial tree. For a
 *   non-commutative op the tree is rooted at rank 0, where every subtree is a contiguous
 *   range of ranks combined lower-first, and the result then goes to the root.
 * ring: (commutative ops, large vectors) a ring reduce-scatter leaves block i reduced at
 *   rank i, then the root gathers the blocks: each rank moves and reduces about 2n/p
 *   elements per block step instead of the root reducing log2 p whole vectors.
 *
 * All of it works on w-vectors (struct lm_red): the user's buffers when they are plain
 * runs of the op's element type, otherwise packed copies made by the schedule.
 */
#include "coll/coll.h"

void lm_coll_blocks(size_t n, int p, size_t *cnt, size_t *off)
{
    size_t q = n / (size_t)p, rem = n % (size_t)p, at = 0;
    for (int i = 0; i < p; i++) {
        cnt[i] = q + ((size_t)i < rem);
        off[i] = at;
        at += cnt[i];
    }
}

/* Small vectors: receive every child at once (one round); large: one child at a time. */
#define TREE_TOGETHER_BYTES (64 * 1024)

void lm_coll_reduce_tree(struct lm_sched *s, const struct lm_red *rd, const void *inv,
                         void *dest, int root)
{
    int p = s->comm->size, r = s->comm->rank, mask;
    size_t n = rd->n;
    bool commute = s->op->commutative;
    int troot = commute ? root : 0;
    int rel = (r - troot + p) % p;
    int parent = lm_coll_binomial(rel, p, &mask);
    int kids[32], nk = 0;
    for (int m = 1; m < mask; m <<= 1)
        if (rel + m < p)
            kids[nk++] = (rel + m + troot) % p;
    bool together = (size_t)nk * n * (size_t)rd->w->extent <= TREE_TOGETHER_BYTES;
    void *final = parent < 0 && r == root ? dest : NULL;
    const void *acc = inv;

    if (nk > 0 && commute) {
        /* any order: fold every child into one accumulator */
        void *w = final ? final : lm_red_tmp(s, rd, n);
        void *rb[32];
        for (int i = 0; i < nk; i++) {
            rb[i] = together || i == 0 ? lm_red_tmp(s, rd, n) : rb[0];
            if (together)
                lm_sched_recv(s, rb[i], n, rd->w, kids[i]);
        }
        if (together)
            lm_sched_fence(s);
        for (int i = 0; i < nk; i++) {
            if (!together) {
                lm_sched_recv(s, rb[i], n, rd->w, kids[i]);
                lm_sched_fence(s);
            }
            lm_sched_reduce(s, rb[i], acc, w, n, rd->w);  /* w = child op acc */
            acc = w;
        }
    } else if (nk > 0) {
        /* rank order: acc (lower ranks) op child (the next range up), result in the
         * child's buffer, which becomes the accumulator */
        void *rb[32], *t[2] = {NULL, NULL};
        for (int i = 0; i < nk; i++) {
            if (together) {
                rb[i] = lm_red_tmp(s, rd, n);
                lm_sched_recv(s, rb[i], n, rd->w, kids[i]);
            }
        }
        if (together)
            lm_sched_fence(s);
        for (int i = 0; i < nk; i++) {
            if (!together) {
                if (!t[i % 2])
                    t[i % 2] = lm_red_tmp(s, rd, n);
                rb[i] = t[i % 2];
                lm_sched_recv(s, rb[i], n, rd->w, kids[i]);
                lm_sched_fence(s);
            }
            lm_sched_reduce(s, acc, rb[i], rb[i], n, rd->w);
            acc = rb[i];
        }
    }
    if (parent >= 0) {
        lm_sched_send(s, acc, n, rd->w, (parent + troot) % p);
    } else if (r == root) {
        if (acc != dest)
            lm_sched_copy(s, acc, n, rd->w, dest, n, rd->w);
    } else {
        lm_sched_send(s, acc, n, rd->w, root);  /* non-commutative: rank 0 -> root */
    }
    if (r == root && parent >= 0) {
        lm_sched_fence(s);
        lm_sched_recv(s, dest, n, rd->w, troot);
    }
    lm_sched_fence(s);
}

void lm_coll_ring_reduce_scatter(struct lm_sched *s, const struct lm_red *rd, const void *inv,
                                 void *acc, const size_t *cnt, const size_t *off,
                                 void *last_out)
{
    int p = s->comm->size, r = s->comm->rank;
    struct lm_datatype *w = rd->w;
    if (p == 1) {
        void *out = last_out ? last_out : acc;
        if (out != inv)
            lm_sched_copy(s, inv, cnt[0], w, out, cnt[0], w);
        return;
    }
    size_t maxc = 0;
    for (int i = 0; i < p; i++)
        if (cnt[i] > maxc)
            maxc = cnt[i];
    void *t = lm_red_tmp(s, rd, maxc);
    int left = (r - 1 + p) % p, right = (r + 1) % p;
    for (int k = 0; k < p - 1; k++) {
        int sb = (r - 1 - k + 2 * p) % p, rb = (r - 2 - k + 2 * p) % p;
        const void *src = k == 0 ? inv : acc;
        if (cnt[rb])
            lm_sched_recv(s, t, cnt[rb], w, left);
        if (cnt[sb])
            lm_sched_send(s, lm_red_at(rd, src, off[sb]), cnt[sb], w, right);
        lm_sched_fence(s);
        void *out = k == p - 2 && last_out ? last_out : lm_red_at(rd, acc, off[rb]);
        lm_sched_reduce(s, t, lm_red_at(rd, inv, off[rb]), out, cnt[rb], w);
    }
    lm_sched_fence(s);
}

/* ---- MPI_Reduce ------------------------------------------------------------------------- */

static int reduce_binomial(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_red rd;
    lm_red_init(&rd, a, a->rcount);
    if (rd.n == 0 || a->rtype->size == 0)
        return LM_OK;
    bool is_root = a->comm->rank == a->root;
    const void *in = is_root && a->sbuf == MPI_IN_PLACE ? a->rbuf : a->sbuf;
    const void *inv = lm_red_input(s, &rd, in);
    void *dest = is_root ? lm_red_output(s, &rd, a->rbuf) : NULL;
    lm_coll_reduce_tree(s, &rd, inv, dest, a->root);
    if (is_root)
        lm_red_output_end(s, &rd, a->rbuf, dest);
    return LM_OK;
}

static bool commutative(const struct lm_coll_args *a)
{
    return a->op->commutative;
}

static int reduce_ring(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_red rd;
    lm_red_init(&rd, a, a->rcount);
    if (rd.n == 0 || a->rtype->size == 0)
        return LM_OK;
    int p = a->comm->size, r = a->comm->rank;
    bool is_root = r == a->root;
    const void *in = is_root && a->sbuf == MPI_IN_PLACE ? a->rbuf : a->sbuf;
    const void *inv = lm_red_input(s, &rd, in);
    void *dest = is_root ? lm_red_output(s, &rd, a->rbuf) : lm_red_tmp(s, &rd, rd.n);
    size_t *cnt = lm_sched_alloc(s, 2 * (size_t)p * sizeof *cnt), *off = cnt + p;
    if (s->err != LM_OK)
        return s->err;
    lm_coll_blocks(rd.n, p, cnt, off);
    lm_coll_ring_reduce_scatter(s, &rd, inv, dest, cnt, off, NULL);
    if (is_root) {
        for (int i = 0; i < p; i++)
            if (i != r && cnt[i])
                lm_sched_recv(s, lm_red_at(&rd, dest, off[i]), cnt[i], rd.w, i);
        lm_sched_fence(s);
        lm_red_output_end(s, &rd, a->rbuf, dest);
    } else if (cnt[r]) {
        lm_sched_send(s, lm_red_at(&rd, dest, off[r]), cnt[r], rd.w, a->root);
    }
    return LM_OK;
}

static const struct lm_coll_algo algos[] = {
    {"binomial", reduce_binomial, NULL},
    {"ring", reduce_ring, commutative},
};

static int choose(const struct lm_coll_args *a)
{
    size_t bytes = a->rcount * a->rtype->size;
    return a->op->commutative && a->comm->size > 1 && bytes >= 256 * 1024 &&
           a->rcount >= (size_t)a->comm->size ? 1 : 0;
}

const struct lm_coll_family lm_coll_reduce_family = {"REDUCE", algos, 2, choose};
