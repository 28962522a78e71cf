/* scan.c - MPI_Scan and MPI_Exscan.
 *
 * recursive_doubling: log2 p rounds; in round k ranks r and r ^ 2^k swap the reduction of
 *   their aligned block of 2^k ranks ("partial"); a rank folds what comes from below into
 *   its result. Partials always cover contiguous ranges, combined lower-first, so any op.
 * linear: a chain 0 -> 1 -> ... -> p-1 passing the running prefix: p - 1 steps, but each
 *   rank reduces once and sends once (less work and memory for very large vectors).
 */
#include "coll/coll.h"

static bool setup(struct lm_sched *s, const struct lm_coll_args *a, struct lm_red *rd,
                  const void **inv, void **dest)
{
    lm_red_init(rd, a, a->rcount);
    if (rd->n == 0 || a->rtype->size == 0)
        return false;
    *inv = lm_red_input(s, rd, a->sbuf == MPI_IN_PLACE ? a->rbuf : a->sbuf);
    *dest = lm_red_output(s, rd, a->rbuf);
    return true;
}

static int recursive_doubling(struct lm_sched *s, const struct lm_coll_args *a, bool ex)
{
    struct lm_red rd;
    const void *inv;
    void *dest;
    if (!setup(s, a, &rd, &inv, &dest))
        return LM_OK;
    int p = a->comm->size, r = a->comm->rank;
    size_t n = rd.n;
    void *t[2] = {NULL, NULL};
    const void *partial = inv;
    const void *res = ex ? NULL : inv;  /* exscan: nothing yet */
    for (int mask = 1; mask < p; mask <<= 1) {
        int partner = r ^ mask;
        if (partner >= p)
            continue;
        int k = partial == t[0] ? 1 : 0;  /* receive into the temporary not in use */
        if (!t[k])
            t[k] = lm_red_tmp(s, &rd, n);
        void *rb = t[k];
        lm_sched_recv(s, rb, n, rd.w, partner);
        lm_sched_send(s, partial, n, rd.w, partner);
        lm_sched_fence(s);
        if (partner < r) {
            /* from below: partial = rb op partial (before dest is written: in place,
             * partial may still be the input in dest) ... */
            void *np = partial == t[1 - k] ? (void *)partial : NULL;
            if (!np) {
                if (!t[1 - k])
                    t[1 - k] = lm_red_tmp(s, &rd, n);
                np = t[1 - k];
            }
            if (mask << 1 < p)  /* the last partial is never sent again */
                lm_sched_reduce(s, rb, partial, np, n, rd.w);
            /* ... and result = rb op result */
            if (res)
                lm_sched_reduce(s, rb, res, dest, n, rd.w);
            else
                lm_sched_copy(s, rb, n, rd.w, dest, n, rd.w);
            res = dest;
            partial = np;
        } else {
            lm_sched_reduce(s, partial, rb, rb, n, rd.w);  /* partial op higher range */
            partial = rb;
        }
    }
    if (res && res != dest)  /* scan on rank 0 (or p == 1): the input itself */
        lm_sched_copy(s, res, n, rd.w, dest, n, rd.w);
    if (res)
        lm_red_output_end(s, &rd, a->rbuf, dest);
    return LM_OK;
}

static int linear(struct lm_sched *s, const struct lm_coll_args *a, bool ex)
{
    struct lm_red rd;
    const void *inv;
    void *dest;
    if (!setup(s, a, &rd, &inv, &dest))
        return LM_OK;
    int p = a->comm->size, r = a->comm->rank;
    size_t n = rd.n;
    if (r == 0) {
        if (!ex && dest != inv)
            lm_sched_copy(s, inv, n, rd.w, dest, n, rd.w);
        if (p > 1)
            lm_sched_send(s, inv, n, rd.w, 1);
        lm_sched_fence(s);
        if (!ex)
            lm_red_output_end(s, &rd, a->rbuf, dest);
        return LM_OK;
    }
    void *t = lm_red_tmp(s, &rd, n);   /* prefix of ranks 0..r-1 */
    lm_sched_recv(s, t, n, rd.w, r - 1);
    lm_sched_fence(s);
    if (!ex) {
        lm_sched_reduce(s, t, inv, dest, n, rd.w);
        if (r + 1 < p)
            lm_sched_send(s, dest, n, rd.w, r + 1);
    } else {
        if (r + 1 < p) {
            void *next = lm_red_tmp(s, &rd, n);
            lm_sched_reduce(s, t, inv, next, n, rd.w);
            lm_sched_send(s, next, n, rd.w, r + 1);
        }
        lm_sched_copy(s, t, n, rd.w, dest, n, rd.w);
    }
    lm_sched_fence(s);
    lm_red_output_end(s, &rd, a->rbuf, dest);
    return LM_OK;
}

static int scan_rd(struct lm_sched *s, const struct lm_coll_args *a)
{
    return recursive_doubling(s, a, false);
}

static int scan_linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    return linear(s, a, false);
}

static int exscan_rd(struct lm_sched *s, const struct lm_coll_args *a)
{
    return recursive_doubling(s, a, true);
}

static int exscan_linear(struct lm_sched *s, const struct lm_coll_args *a)
{
    return linear(s, a, true);
}

static int choose(const struct lm_coll_args *a)
{
    (void)a;
    return 0;
}

static const struct lm_coll_algo scan_algos[] = {
    {"recursive_doubling", scan_rd, NULL},
    {"linear", scan_linear, NULL},
};
static const struct lm_coll_algo exscan_algos[] = {
    {"recursive_doubling", exscan_rd, NULL},
    {"linear", exscan_linear, NULL},
};

const struct lm_coll_family lm_coll_scan_family = {"SCAN", scan_algos, 2, choose};
const struct lm_coll_family lm_coll_exscan_family = {"EXSCAN", exscan_algos, 2, choose};
