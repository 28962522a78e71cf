/* allreduce.c - MPI_Allreduce.
 *
 * recursive_doubling: log2 p rounds exchanging whole vectors; the latency-bound choice
 *   for small vectors.
 * rabenseifner: recursive halving (reduce-scatter) then recursive doubling (allgather):
 *   about 2n elements through each rank whatever p; for large vectors.
 * ring: ring reduce-scatter + ring allgather (commutative ops): 2(p-1) steps of n/p.
 * flat: everyone sends to rank 0, which reduces in rank order and answers everyone: two
 *   rounds, for tiny vectors when ranks outnumber cores (see barrier.c).
 *
 * Non-powers of two fold first: of the first 2*rem ranks (rem = p - 2^k) each even rank
 * hands its vector to the odd rank above it and sits out, then gets the result back.
 * Ranks taking part are renumbered in order, so every partial result covers a contiguous
 * range of ranks and non-commutative ops combine lower ranks first: at each exchange the
 * partner's half is on the left when the partner is the lower rank.
 */
#include "coll/coll.h"

struct fold {
    int newrank;       /* -1: sits out */
    int pof2, rem;
};

/* Phase 1 of the fold. acc becomes the vector this rank contributes to the power-of-two
 * part (inv or, for odd ranks below 2*rem, x[r-1] op x[r] in dest). */
static struct fold fold_in(struct lm_sched *s, const struct lm_red *rd, const void *inv,
                           void *dest, void *tmp, const void **acc)
{
    int p = s->comm->size, r = s->comm->rank;
    struct fold f;
    f.pof2 = (int)lm_coll_pow2_floor(p);
    f.rem = p - f.pof2;
    *acc = inv;
    if (r < 2 * f.rem) {
        if (r % 2 == 0) {
            lm_sched_send(s, inv, rd->n, rd->w, r + 1);
            f.newrank = -1;
        } else {
            lm_sched_recv(s, tmp, rd->n, rd->w, r - 1);
            lm_sched_fence(s);
            lm_sched_reduce(s, tmp, inv, dest, rd->n, rd->w);
            *acc = dest;
            f.newrank = r / 2;
        }
    } else {
        f.newrank = r - f.rem;
    }
    return f;
}

static int real_rank(const struct fold *f, int newrank)
{
    return newrank < f->rem ? newrank * 2 + 1 : newrank + f->rem;
}

/* Phase 3: the odd ranks hand the result back to the even ones that sat out. */
static void fold_out(struct lm_sched *s, const struct lm_red *rd, const struct fold *f,
                     void *dest)
{
    int r = s->comm->rank;
    if (r >= 2 * f->rem)
        return;
    lm_sched_fence(s);
    if (r % 2)
        lm_sched_send(s, dest, rd->n, rd->w, r - 1);
    else
        lm_sched_recv(s, dest, rd->n, rd->w, r + 1);
    lm_sched_fence(s);
}

/* Common prologue: input/output vectors; returns false when there is nothing to do. */
static bool setup(struct lm_sched *s, const struct lm_coll_args *a, struct lm_red *rd,
                  const void **inv, void **dest)
{
    lm_red_init(rd, a, a->rcount);
    if (rd->n == 0 || a->rtype->size == 0)
        return false;
    const void *in = a->sbuf == MPI_IN_PLACE ? a->rbuf : a->sbuf;
    *inv = lm_red_input(s, rd, in);
    *dest = lm_red_output(s, rd, a->rbuf);
    if (a->comm->size == 1) {
        if (*dest != *inv)
            lm_sched_copy(s, *inv, rd->n, rd->w, *dest, rd->n, rd->w);
        lm_red_output_end(s, rd, a->rbuf, *dest);
        return false;
    }
    return true;
}

static int recursive_doubling(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_red rd;
    const void *inv;
    void *dest;
    if (!setup(s, a, &rd, &inv, &dest))
        return LM_OK;
    bool commute = s->op->commutative;
    size_t n = rd.n;
    void *t[2] = {lm_red_tmp(s, &rd, n), NULL};
    const void *acc;
    struct fold f = fold_in(s, &rd, inv, dest, t[0], &acc);
    if (f.newrank >= 0) {
        for (int mask = 1; mask < f.pof2; mask <<= 1) {
            int partner = real_rank(&f, f.newrank ^ mask);
            bool lower = (f.newrank ^ mask) < f.newrank;
            /* receive into a temporary that is not the accumulator */
            void *rb = acc == t[0] ? t[1] : t[0];
            if (!rb)
                rb = t[1] = lm_red_tmp(s, &rd, n);
            lm_sched_recv(s, rb, n, rd.w, partner);
            lm_sched_send(s, acc, n, rd.w, partner);
            lm_sched_fence(s);
            if (lower || commute) {
                /* dest = partner's op mine; mine may be inv (read only) or dest */
                lm_sched_reduce(s, rb, acc, dest, n, rd.w);
                acc = dest;
            } else {
                lm_sched_reduce(s, acc, rb, rb, n, rd.w);
                acc = rb;
            }
        }
        if (acc != dest)
            lm_sched_copy(s, acc, n, rd.w, dest, n, rd.w);
    }
    fold_out(s, &rd, &f, dest);
    lm_red_output_end(s, &rd, a->rbuf, dest);
    return LM_OK;
}

static int rabenseifner(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_red rd;
    const void *inv;
    void *dest;
    if (!setup(s, a, &rd, &inv, &dest))
        return LM_OK;
    bool commute = s->op->commutative;
    size_t n = rd.n;
    void *t = lm_red_tmp(s, &rd, n);
    const void *acc;
    struct fold f = fold_in(s, &rd, inv, dest, t, &acc);
    if (f.newrank >= 0) {
        size_t lo[32], hi[32], mid[32];
        bool keep_low[32];
        int steps = 0;
        size_t l = 0, h = n;
        /* reduce-scatter by recursive halving, distance growing so that every partial
         * result covers a contiguous range of ranks */
        for (int mask = 1; mask < f.pof2; mask <<= 1, steps++) {
            int partner = real_rank(&f, f.newrank ^ mask);
            bool lower = (f.newrank & mask) != 0;  /* partner is the lower range */
            size_t m = l + (h - l) / 2;
            lo[steps] = l;
            hi[steps] = h;
            mid[steps] = m;
            keep_low[steps] = !lower;
            size_t kl = lower ? m : l, kh = lower ? h : m;  /* kept */
            size_t sl = lower ? l : m, sh = lower ? m : h;  /* sent */
            if (kh > kl)
                lm_sched_recv(s, lm_red_at(&rd, t, kl), kh - kl, rd.w, partner);
            if (sh > sl)
                lm_sched_send(s, lm_red_at(&rd, acc, sl), sh - sl, rd.w, partner);
            lm_sched_fence(s);
            if (kh > kl) {
                void *tk = lm_red_at(&rd, t, kl), *dk = lm_red_at(&rd, dest, kl);
                const void *ak = lm_red_at(&rd, acc, kl);
                if (lower || commute) {
                    lm_sched_reduce(s, tk, ak, dk, kh - kl, rd.w);
                } else if (acc != dest) {
                    lm_sched_reduce(s, ak, tk, dk, kh - kl, rd.w);
                } else {
                    lm_sched_reduce(s, ak, tk, tk, kh - kl, rd.w);
                    lm_sched_copy(s, tk, kh - kl, rd.w, dk, kh - kl, rd.w);
                }
            }
            acc = dest;
            l = kl;
            h = kh;
        }
        if (acc != dest)  /* pof2 == 1: nothing was exchanged */
            lm_sched_copy(s, acc, n, rd.w, dest, n, rd.w);
        lm_sched_fence(s);
        /* allgather by recursive doubling, undoing the halving steps */
        for (int i = steps - 1; i >= 0; i--) {
            int partner = real_rank(&f, f.newrank ^ (1 << i));
            size_t kl = keep_low[i] ? lo[i] : mid[i], kh = keep_low[i] ? mid[i] : hi[i];
            size_t ol = keep_low[i] ? mid[i] : lo[i], oh = keep_low[i] ? hi[i] : mid[i];
            if (oh > ol)
                lm_sched_recv(s, lm_red_at(&rd, dest, ol), oh - ol, rd.w, partner);
            if (kh > kl)
                lm_sched_send(s, lm_red_at(&rd, dest, kl), kh - kl, rd.w, partner);
            lm_sched_fence(s);
        }
    }
    fold_out(s, &rd, &f, dest);
    lm_red_output_end(s, &rd, a->rbuf, dest);
    return LM_OK;
}

static int ring(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_red rd;
    const void *inv;
    void *dest;
    if (!setup(s, a, &rd, &inv, &dest))
        return LM_OK;
    int p = a->comm->size, r = a->comm->rank;
    size_t *cnt = lm_sched_alloc(s, 2 * (size_t)p * sizeof *cnt), *off = cnt + p;
    if (s->err != LM_OK)
        return s->err;
    lm_coll_blocks(rd.n, p, cnt, off);
    lm_coll_ring_reduce_scatter(s, &rd, inv, dest, cnt, off, NULL);
    int left = (r - 1 + p) % p, right = (r + 1) % p;
    for (int k = 0; k < p - 1; k++) {
        int sb = (r - k + p) % p, rb = (r - k - 1 + p) % p;
        if (cnt[rb])
            lm_sched_recv(s, lm_red_at(&rd, dest, off[rb]), cnt[rb], rd.w, left);
        if (cnt[sb])
            lm_sched_send(s, lm_red_at(&rd, dest, off[sb]), cnt[sb], rd.w, right);
        lm_sched_fence(s);
    }
    lm_red_output_end(s, &rd, a->rbuf, dest);
    return LM_OK;
}

/* Everyone sends to rank 0, which reduces in rank order and sends the result back. */
static int flat(struct lm_sched *s, const struct lm_coll_args *a)
{
    struct lm_red rd;
    const void *inv;
    void *dest;
    if (!setup(s, a, &rd, &inv, &dest))
        return LM_OK;
    int p = a->comm->size, r = a->comm->rank;
    size_t n = rd.n;
    if (r != 0) {
        lm_sched_send(s, inv, n, rd.w, 0);
        lm_sched_fence(s);
        lm_sched_recv(s, dest, n, rd.w, 0);
        lm_sched_fence(s);
        lm_red_output_end(s, &rd, a->rbuf, dest);
        return LM_OK;
    }
    void **t = lm_sched_alloc(s, (size_t)p * sizeof *t);
    if (s->err != LM_OK)
        return s->err;
    for (int i = 1; i < p; i++) {
        t[i] = lm_red_tmp(s, &rd, n);
        lm_sched_recv(s, t[i], n, rd.w, i);
    }
    lm_sched_fence(s);
    const void *acc = inv;
    for (int i = 1; i < p; i++) {
        if (i == p - 1 && acc != dest) {
            lm_sched_reduce(s, acc, t[i], dest, n, rd.w);
        } else {
            lm_sched_reduce(s, acc, t[i], t[i], n, rd.w);
            if (i == p - 1)
                lm_sched_copy(s, t[i], n, rd.w, dest, n, rd.w);
        }
        acc = t[i];
    }
    for (int i = 1; i < p; i++)
        lm_sched_send(s, dest, n, rd.w, i);
    lm_red_output_end(s, &rd, a->rbuf, dest);
    return LM_OK;
}

static bool commutative(const struct lm_coll_args *a)
{
    return a->op->commutative;
}

static const struct lm_coll_algo algos[] = {
    {"recursive_doubling", recursive_doubling, NULL},
    {"rabenseifner", rabenseifner, NULL},
    {"ring", ring, commutative},
    {"flat", flat, NULL},
};

static int choose(const struct lm_coll_args *a)
{
    size_t bytes = a->rcount * a->rtype->size;
    int p = a->comm->size;
    if (bytes <= 1024 && p > 2 && p <= 64 && lm_coll_crowded())
        return 3;
    if (bytes < 8192 || a->rcount < (size_t)p)
        return 0;
    return 1;
}

const struct lm_coll_family lm_coll_allreduce_family = {"ALLREDUCE", algos, 4, choose};
