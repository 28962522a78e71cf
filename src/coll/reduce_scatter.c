/* reduce_scatter.c - MPI_Reduce_scatter and MPI_Reduce_scatter_block.
 *
 * ring: (commutative ops) a ring reduce-scatter: p - 1 steps, each moving and reducing one
 *   block, ending with block r reduced at rank r. The choice for large vectors.
 * reduce_scatterv: the whole vector is reduced to rank 0 over a binomial tree (in rank
 *   order, so any op), then rank 0 sends each rank its block. Few rounds: small vectors.
 * Both families share one builder; the block form passes equal counts.
 */
#include "coll/coll.h"

static bool in_place(const struct lm_coll_args *a)
{
    return a->sbuf == MPI_IN_PLACE;
}

/* Block sizes in w elements; returns the total (0: nothing to do). */
static size_t block_counts(struct lm_sched *s, const struct lm_coll_args *a, size_t **cnt,
                           size_t **off, size_t *total_count)
{
    int p = a->comm->size;
    size_t per = 1;
    struct lm_datatype *w = lm_op_work_type(a->op, a->rtype);
    if (w != a->rtype)
        per = a->rtype->size / w->size;
    *cnt = lm_sched_alloc(s, 2 * (size_t)p * sizeof **cnt);
    *off = *cnt + p;
    *total_count = 0;
    if (s->err != LM_OK)
        return 0;
    size_t at = 0, total = 0;
    for (int i = 0; i < p; i++) {
        size_t c = a->rcounts ? lm_coll_cnt(a, a->rcounts, i) : a->rcount;
        total += c;
        (*cnt)[i] = c * per;
        (*off)[i] = at;
        at += c * per;
    }
    *total_count = total;
    return a->rtype->size ? at : 0;
}

static size_t my_count(const struct lm_coll_args *a)
{
    return a->rcounts ? lm_coll_cnt(a, a->rcounts, a->comm->rank) : a->rcount;
}

static int ring(struct lm_sched *s, const struct lm_coll_args *a)
{
    size_t *cnt, *off, total;
    if (block_counts(s, a, &cnt, &off, &total) == 0)
        return s->err;
    int r = a->comm->rank;
    struct lm_red rd, ro;
    lm_red_init(&rd, a, total);
    lm_red_init(&ro, a, my_count(a));
    const void *inv = lm_red_input(s, &rd, in_place(a) ? a->rbuf : a->sbuf);
    void *acc = lm_red_tmp(s, &rd, rd.n);
    void *outv = lm_red_output(s, &ro, a->rbuf);
    /* In place the output overlaps the input still being read: finish in acc first. */
    bool via_acc = in_place(a) && ro.direct;
    lm_coll_ring_reduce_scatter(s, &rd, inv, acc, cnt, off, via_acc ? NULL : outv);
    if (via_acc)
        lm_sched_copy(s, lm_red_at(&rd, acc, off[r]), cnt[r], rd.w, outv, cnt[r], rd.w);
    lm_red_output_end(s, &ro, a->rbuf, outv);
    return LM_OK;
}

static int reduce_scatterv(struct lm_sched *s, const struct lm_coll_args *a)
{
    size_t *cnt, *off, total;
    if (block_counts(s, a, &cnt, &off, &total) == 0)
        return s->err;
    int p = a->comm->size, r = a->comm->rank;
    struct lm_red rd, ro;
    lm_red_init(&rd, a, total);
    lm_red_init(&ro, a, my_count(a));
    const void *inv = lm_red_input(s, &rd, in_place(a) ? a->rbuf : a->sbuf);
    void *full = r == 0 ? lm_red_tmp(s, &rd, rd.n) : NULL;
    lm_coll_reduce_tree(s, &rd, inv, full, 0);
    void *outv = lm_red_output(s, &ro, a->rbuf);
    if (r == 0) {
        for (int i = 1; i < p; i++)
            if (cnt[i])
                lm_sched_send(s, lm_red_at(&rd, full, off[i]), cnt[i], rd.w, i);
        if (cnt[0])
            lm_sched_copy(s, full, cnt[0], rd.w, outv, cnt[0], rd.w);
    } else if (cnt[r]) {
        lm_sched_recv(s, outv, cnt[r], rd.w, 0);
    }
    lm_sched_fence(s);
    lm_red_output_end(s, &ro, a->rbuf, outv);
    return LM_OK;
}

static bool commutative(const struct lm_coll_args *a)
{
    return a->op->commutative;
}

static const struct lm_coll_algo algos[] = {
    {"ring", ring, commutative},
    {"reduce_scatterv", reduce_scatterv, NULL},
};

static int choose(const struct lm_coll_args *a)
{
    size_t total = 0;
    for (int i = 0; i < a->comm->size; i++)
        total += a->rcounts ? lm_coll_cnt(a, a->rcounts, i) : a->rcount;
    return a->op->commutative && a->comm->size > 1 && total * a->rtype->size >= 64 * 1024
           ? 0 : 1;
}

const struct lm_coll_family lm_coll_reduce_scatter_family = {"REDUCE_SCATTER", algos, 2,
                                                             choose};
const struct lm_coll_family lm_coll_reduce_scatter_block_family = {"REDUCE_SCATTER_BLOCK",
                                                                   algos, 2, choose};
