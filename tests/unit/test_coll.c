/* Unit tests of the collective algorithms without processes: every rank's schedule is
 * built in this one process (with a communicator of the right rank and size) and all of
 * them are run against each other by a small simulator that plays the engine's rules:
 * ops run in order, a fence waits for the round's receives, messages between two ranks
 * match in FIFO order. The simulator also checks what the real engine cannot: every
 * message has exactly the size its receiver expects, nothing deadlocks, a send buffer is
 * not modified before its round ends (a rendezvous send may still be reading it) and a
 * receive buffer is not read before its round ends (the data are only delivered then).
 * Results are checked against a serial reference, for every algorithm of every family at
 * communicator sizes 1 to 17, several roots and counts, in place or not, with MPI_SUM and
 * a non-commutative user op.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coll/coll.h"

#define PMAX 17

struct msg {
    struct msg *next;
    size_t len;
    char data[];
};

static struct msg *qhead[PMAX][PMAX], *qtail[PMAX][PMAX];   /* [src][dst] */

struct rank {
    struct lm_comm comm;
    struct lm_sched *s;
    int cur, round_start, round_end;
    bool issuing, done;
    struct msg **got;   /* per op: the matched message (receives) */
    char **snap;        /* per op: the data as sent (sends) */
};

static char *pack_op(const struct lm_sop *o)
{
    size_t len = o->count * o->type->size;
    char *b = malloc(len ? len : 1);
    assert_non_null(b);
    lm_dt_pack(o->type, o->a, o->count, 0, b, len);
    return b;
}

/* Runs every rank's schedule to completion; fails on deadlock or any rule broken. */
static void simulate(int p, struct rank *rk, const char *what)
{
    for (int r = 0; r < p; r++) {
        int n = rk[r].s->nops;
        assert_int_equal(rk[r].s->err, LM_OK);
        rk[r].cur = rk[r].round_start = 0;
        rk[r].issuing = true;
        rk[r].done = false;
        rk[r].got = calloc((size_t)n + 1, sizeof *rk[r].got);
        rk[r].snap = calloc((size_t)n + 1, sizeof *rk[r].snap);
    }
    for (;;) {
        bool progress = false, all_done = true;
        for (int r = 0; r < p; r++) {
            struct rank *x = &rk[r];
            struct lm_sched *s = x->s;
            if (x->done)
                continue;
            all_done = false;
            if (x->issuing) {
                while (x->cur < s->nops) {
                    struct lm_sop *o = &s->ops[x->cur++];
                    if (o->kind == LM_SOP_FENCE)
                        break;
                    switch (o->kind) {
                    case LM_SOP_SEND: {
                        assert_true(o->peer >= 0 && o->peer < p && o->peer != r);
                        x->snap[o - s->ops] = pack_op(o);
                        size_t len = o->count * o->type->size;
                        struct msg *m = malloc(sizeof *m + len + 1);
                        m->next = NULL;
                        m->len = len;
                        memcpy(m->data, x->snap[o - s->ops], len);
                        if (qtail[r][o->peer])
                            qtail[r][o->peer]->next = m;
                        else
                            qhead[r][o->peer] = m;
                        qtail[r][o->peer] = m;
                        break;
                    }
                    case LM_SOP_RECV:
                        assert_true(o->peer >= 0 && o->peer < p && o->peer != r);
                        break;
                    case LM_SOP_COPY:
                        assert_int_equal(lm_coll_copy(o->a, o->count, o->type, o->out,
                                                      o->out_count, o->out_type), LM_OK);
                        break;
                    case LM_SOP_REDUCE:
                        lm_op_apply(s->op, o->a, o->b, o->out, o->count, o->type);
                        break;
                    }
                }
                x->round_end = x->cur;
                x->issuing = false;
                progress = true;
            }
            /* match the round's receives in order, per source */
            bool all = true;
            for (int i = x->round_start; i < x->round_end; i++) {
                struct lm_sop *o = &s->ops[i];
                if (o->kind != LM_SOP_RECV || x->got[i])
                    continue;
                struct msg *m = qhead[o->peer][r];
                if (!m) {
                    all = false;
                    continue;
                }
                qhead[o->peer][r] = m->next;
                if (!m->next)
                    qtail[o->peer][r] = NULL;
                if (m->len != o->count * o->type->size)
                    fail_msg("%s: rank %d op %d: %zu bytes from rank %d, expected %zu", what,
                             r, i, m->len, o->peer, o->count * o->type->size);
                x->got[i] = m;
                progress = true;
            }
            if (!all)
                continue;
            /* the round ends: deliver, and check the sends' buffers were left alone */
            for (int i = x->round_start; i < x->round_end; i++) {
                struct lm_sop *o = &s->ops[i];
                if (o->kind == LM_SOP_RECV) {
                    lm_dt_unpack(o->type, o->out, o->count, 0, x->got[i]->data, x->got[i]->len);
                    free(x->got[i]);
                    x->got[i] = NULL;
                } else if (o->kind == LM_SOP_SEND) {
                    char *now = pack_op(o);
                    if (memcmp(now, x->snap[i], o->count * o->type->size) != 0)
                        fail_msg("%s: rank %d op %d: send buffer changed before its round "
                                 "ended", what, r, i);
                    free(now);
                    free(x->snap[i]);
                    x->snap[i] = NULL;
                }
            }
            x->round_start = x->round_end;
            if (x->round_end >= s->nops)
                x->done = true;
            else
                x->issuing = true;
            progress = true;
        }
        if (all_done)
            break;
        if (!progress)
            fail_msg("%s: deadlock", what);
    }
    for (int a = 0; a < p; a++)
        for (int b = 0; b < p; b++)
            if (qhead[a][b])
                fail_msg("%s: message from %d to %d never received", what, a, b);
    for (int r = 0; r < p; r++) {
        free(rk[r].got);
        free(rk[r].snap);
    }
}

/* ---- data ---------------------------------------------------------------------------- */

static int val(int r, long i)
{
    return (r + 1) * 1000 + (int)(i % 977) * 3;
}

typedef struct {
    unsigned a, b;
} aff;

static aff aff_val(int r, long i)
{
    return (aff){2u * (unsigned)(r + (int)(i % 5)) + 3u, (unsigned)(r * 7 + i)};
}

static aff compose(aff f, aff g)
{
    return (aff){f.a * g.a, f.a * g.b + f.b};
}

static void aff_fn(void *in, void *inout, int *len, MPI_Datatype *dt)
{
    (void)dt;
    aff *x = in, *y = inout;
    for (int i = 0; i < *len; i++)
        y[i] = compose(x[i], y[i]);
}

static struct lm_datatype *t_int, *t_aff;
static struct lm_op *op_sum, *op_aff;

static int setup(void **state)
{
    (void)state;
    lm_dt_builtins_init();
    t_int = lm_dt_builtin(MPI_INT);
    assert_int_equal(lm_dt_contiguous(2, lm_dt_builtin(MPI_UNSIGNED), &t_aff), LM_OK);
    lm_dt_commit(t_aff);
    op_sum = lm_op_builtin(MPI_SUM);
    assert_int_equal(lm_op_create(aff_fn, NULL, false, &op_aff), LM_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lm_op_release(op_aff);
    lm_dt_release(t_aff);
    return 0;
}

static const int counts[] = {0, 1, 5, 37};
#define NCOUNTS 4

/* Builds rank r's schedule of args a with algorithm algo into rk[r]. */
static void build(struct rank *rk, int r, int p, struct lm_coll_args *a, const char *algo)
{
    rk[r].comm = (struct lm_comm){.rank = r, .size = p, .ctx = 10};
    a->comm = &rk[r].comm;
    rk[r].s = lm_sched_create(&rk[r].comm, a->op);
    assert_non_null(rk[r].s);
    assert_int_equal(lm_coll_build(rk[r].s, a, algo), LM_OK);
}

static void destroy(struct rank *rk, int p)
{
    for (int r = 0; r < p; r++)
        lm_sched_destroy(rk[r].s);
}

static const struct lm_coll_family *family_of(enum lm_coll_kind k)
{
    switch (k) {
    case LM_COLL_BARRIER: return &lm_coll_barrier_family;
    case LM_COLL_BCAST: return &lm_coll_bcast_family;
    case LM_COLL_GATHER: return &lm_coll_gather_family;
    case LM_COLL_SCATTER: return &lm_coll_scatter_family;
    case LM_COLL_ALLGATHER: return &lm_coll_allgather_family;
    case LM_COLL_ALLGATHERV: return &lm_coll_allgatherv_family;
    case LM_COLL_ALLTOALL: return &lm_coll_alltoall_family;
    case LM_COLL_REDUCE: return &lm_coll_reduce_family;
    case LM_COLL_ALLREDUCE: return &lm_coll_allreduce_family;
    case LM_COLL_REDUCE_SCATTER: return &lm_coll_reduce_scatter_family;
    case LM_COLL_SCAN: return &lm_coll_scan_family;
    case LM_COLL_EXSCAN: return &lm_coll_exscan_family;
    default: return NULL;
    }
}

/* ---- the collectives ------------------------------------------------------------------ */

static void run_barrier(int p, const char *algo)
{
    struct rank rk[PMAX];
    for (int r = 0; r < p; r++) {
        struct lm_coll_args a = {.kind = LM_COLL_BARRIER};
        build(rk, r, p, &a, algo);
    }
    simulate(p, rk, "barrier");
    destroy(rk, p);
}

static void run_bcast(int p, const char *algo, int n, int root)
{
    struct rank rk[PMAX];
    int *buf[PMAX];
    for (int r = 0; r < p; r++) {
        buf[r] = malloc((size_t)n * sizeof(int) + 1);
        for (long i = 0; i < n; i++)
            buf[r][i] = r == root ? val(root, i) : -1;
        struct lm_coll_args a = {.kind = LM_COLL_BCAST, .rbuf = buf[r], .rcount = (size_t)n,
                                 .rtype = t_int, .root = root};
        build(rk, r, p, &a, algo);
    }
    simulate(p, rk, "bcast");
    for (int r = 0; r < p; r++) {
        for (long i = 0; i < n; i++)
            if (buf[r][i] != val(root, i))
                fail_msg("bcast %s p=%d n=%d root=%d: rank %d element %ld", algo, p, n, root,
                         r, i);
        free(buf[r]);
    }
    destroy(rk, p);
}

static void run_gather_scatter(int p, const char *algo, int n, int root, bool scatter, bool ip)
{
    struct rank rk[PMAX];
    int *mine[PMAX], *all = malloc((size_t)n * p * sizeof(int) + 1);
    for (long i = 0; i < (long)n * p; i++)
        all[i] = scatter ? val((int)(i / n), i % n) : (ip && i / n == root ? val(root, i % n) : -1);
    for (int r = 0; r < p; r++) {
        mine[r] = malloc((size_t)n * sizeof(int) + 1);
        for (long i = 0; i < n; i++)
            mine[r][i] = scatter ? -1 : val(r, i);
        bool inplace = ip && r == root;
        struct lm_coll_args a = {.kind = scatter ? LM_COLL_SCATTER : LM_COLL_GATHER,
                                 .root = root, .scount = (size_t)n, .rcount = (size_t)n,
                                 .stype = t_int, .rtype = t_int};
        if (scatter) {
            a.sbuf = all;
            a.rbuf = inplace ? MPI_IN_PLACE : mine[r];
        } else {
            a.sbuf = inplace ? MPI_IN_PLACE : mine[r];
            a.rbuf = all;
        }
        build(rk, r, p, &a, algo);
    }
    simulate(p, rk, scatter ? "scatter" : "gather");
    for (int r = 0; r < p; r++) {
        if (scatter && !(ip && r == root))
            for (long i = 0; i < n; i++)
                if (mine[r][i] != val(r, i))
                    fail_msg("scatter %s p=%d n=%d root=%d: rank %d element %ld", algo, p, n,
                             root, r, i);
        free(mine[r]);
    }
    for (long i = 0; i < (long)n * p; i++)
        if (all[i] != val((int)(i / n), i % n))
            fail_msg("%s %s p=%d n=%d root=%d%s: element %ld", scatter ? "scatter" : "gather",
                     algo, p, n, root, ip ? " in place" : "", i);
    free(all);
    destroy(rk, p);
}

static void run_allgather(int p, const char *algo, int n, bool v, bool ip)
{
    struct rank rk[PMAX];
    int *mine[PMAX], *out[PMAX], cnt[PMAX], dis[PMAX];
    long total = 0;
    for (int k = p - 1; k >= 0; k--) {
        cnt[k] = v ? (n + k * 3) % (n + 2) : n;
        dis[k] = (int)total;
        total += cnt[k];
    }
    for (int r = 0; r < p; r++) {
        mine[r] = malloc((size_t)cnt[r] * sizeof(int) + 1);
        out[r] = malloc((size_t)total * sizeof(int) + 1);
        for (long i = 0; i < total; i++)
            out[r][i] = -1;
        for (long i = 0; i < cnt[r]; i++) {
            mine[r][i] = val(r, i);
            if (ip)
                out[r][(v ? dis[r] : (long)r * n) + i] = val(r, i);
        }
        struct lm_coll_args a = {.kind = v ? LM_COLL_ALLGATHERV : LM_COLL_ALLGATHER,
                                 .sbuf = ip ? MPI_IN_PLACE : mine[r], .rbuf = out[r],
                                 .scount = (size_t)cnt[r], .stype = t_int, .rtype = t_int,
                                 .rcount = (size_t)n, .rcounts = v ? cnt : NULL,
                                 .rdispls = v ? dis : NULL};
        build(rk, r, p, &a, algo);
    }
    simulate(p, rk, "allgather");
    for (int r = 0; r < p; r++) {
        for (int k = 0; k < p; k++) {
            long at = v ? dis[k] : (long)k * n;
            for (long i = 0; i < cnt[k]; i++)
                if (out[r][at + i] != val(k, i))
                    fail_msg("allgather%s %s p=%d n=%d: rank %d block %d element %ld",
                             v ? "v" : "", algo, p, n, r, k, i);
        }
        free(mine[r]);
        free(out[r]);
    }
    destroy(rk, p);
}

static void run_alltoall(int p, const char *algo, int n, bool ip)
{
    struct rank rk[PMAX];
    int *s[PMAX], *o[PMAX];
    for (int r = 0; r < p; r++) {
        s[r] = malloc((size_t)n * p * sizeof(int) + 1);
        o[r] = malloc((size_t)n * p * sizeof(int) + 1);
        for (long i = 0; i < (long)n * p; i++) {
            s[r][i] = val(r * 32 + (int)(i / n), i % n);
            o[r][i] = ip ? s[r][i] : -1;
        }
        struct lm_coll_args a = {.kind = LM_COLL_ALLTOALL, .sbuf = ip ? MPI_IN_PLACE : s[r],
                                 .rbuf = o[r], .scount = (size_t)n, .rcount = (size_t)n,
                                 .stype = t_int, .rtype = t_int};
        build(rk, r, p, &a, algo);
    }
    simulate(p, rk, "alltoall");
    for (int r = 0; r < p; r++) {
        for (long i = 0; i < (long)n * p; i++)
            if (o[r][i] != val((int)(i / n) * 32 + r, i % n))
                fail_msg("alltoall %s p=%d n=%d%s: rank %d element %ld", algo, p, n,
                         ip ? " in place" : "", r, i);
        free(s[r]);
        free(o[r]);
    }
    destroy(rk, p);
}

/* reduce (root >= 0), allreduce, scan, exscan, reduce_scatter (rs) with op sum or affine */
static void run_reduction(int p, enum lm_coll_kind kind, const char *algo, int n, int root,
                          bool affine, bool ip)
{
    struct rank rk[PMAX];
    void *in[PMAX], *out[PMAX];
    size_t es = affine ? sizeof(aff) : sizeof(int);
    int cnt[PMAX];
    long total = n, off = 0;
    if (kind == LM_COLL_REDUCE_SCATTER) {
        total = 0;
        for (int k = 0; k < p; k++)
            total += cnt[k] = (n + k * 2) % (n + 3);
    }
    for (int r = 0; r < p; r++) {
        in[r] = malloc((size_t)total * es + 1);
        out[r] = malloc((size_t)total * es + 1);
        for (long i = 0; i < total; i++) {
            if (affine) {
                ((aff *)in[r])[i] = aff_val(r, i);
                ((aff *)out[r])[i] = ip ? aff_val(r, i) : (aff){0, 0};
            } else {
                ((int *)in[r])[i] = val(r, i);
                ((int *)out[r])[i] = ip ? val(r, i) : -1;
            }
        }
        bool inplace = ip && (kind != LM_COLL_REDUCE || r == root);
        struct lm_coll_args a = {.kind = kind, .sbuf = inplace ? MPI_IN_PLACE : in[r],
                                 .rbuf = out[r], .rcount = (size_t)n,
                                 .rtype = affine ? t_aff : t_int,
                                 .op = affine ? op_aff : op_sum, .root = root,
                                 .rcounts = kind == LM_COLL_REDUCE_SCATTER ? cnt : NULL};
        build(rk, r, p, &a, algo);
    }
    simulate(p, rk, "reduction");
    for (int r = 0; r < p; r++) {
        int lo = 0, hi = p - 1;
        long m = n, base = 0;
        bool check = true;
        if (kind == LM_COLL_REDUCE)
            check = r == root;
        if (kind == LM_COLL_SCAN)
            hi = r;
        if (kind == LM_COLL_EXSCAN) {
            hi = r - 1;
            check = r > 0;
        }
        if (kind == LM_COLL_REDUCE_SCATTER) {
            m = cnt[r];
            base = off;
            off += cnt[r];
        }
        for (long i = 0; check && i < m; i++) {
            if (affine) {
                aff want = {1, 0};
                for (int q = lo; q <= hi; q++)
                    want = compose(want, aff_val(q, base + i));
                aff got = ((aff *)out[r])[i];
                if (got.a != want.a || got.b != want.b)
                    fail_msg("kind %d %s p=%d n=%d root=%d%s affine: rank %d element %ld",
                             kind, algo, p, n, root, ip ? " in place" : "", r, i);
            } else {
                int want = 0;
                for (int q = lo; q <= hi; q++)
                    want += val(q, base + i);
                if (((int *)out[r])[i] != want)
                    fail_msg("kind %d %s p=%d n=%d root=%d%s sum: rank %d element %ld is %d, "
                             "expected %d", kind, algo, p, n, root, ip ? " in place" : "", r,
                             i, ((int *)out[r])[i], want);
            }
        }
        free(in[r]);
        free(out[r]);
    }
    destroy(rk, p);
}

/* Every algorithm of a family, every p, with the given runner. */
static void each_algo(enum lm_coll_kind kind, void (*fn)(int p, const char *algo, int variant))
{
    const struct lm_coll_family *f = family_of(kind);
    for (int i = 0; i < f->nalgos; i++)
        for (int p = 1; p <= PMAX; p++)
            fn(p, f->algos[i].name, 0);
}

static void do_barrier(int p, const char *algo, int v)
{
    (void)v;
    run_barrier(p, algo);
}

static void do_bcast(int p, const char *algo, int v)
{
    (void)v;
    for (int c = 0; c < NCOUNTS; c++)
        for (int root = 0; root < p; root += p > 3 ? p / 3 : 1)
            run_bcast(p, algo, counts[c] * 3 + (c == 3), root);
}

static void do_gather(int p, const char *algo, int v)
{
    (void)v;
    for (int c = 0; c < NCOUNTS; c++)
        for (int root = 0; root < p; root += p > 3 ? p / 3 : 1)
            for (int ip = 0; ip < 2; ip++)
                run_gather_scatter(p, algo, counts[c], root, false, ip);
}

static void do_scatter(int p, const char *algo, int v)
{
    (void)v;
    for (int c = 0; c < NCOUNTS; c++)
        for (int root = 0; root < p; root += p > 3 ? p / 3 : 1)
            for (int ip = 0; ip < 2; ip++)
                run_gather_scatter(p, algo, counts[c], root, true, ip);
}

static void do_allgather(int p, const char *algo, int v)
{
    (void)v;
    if (!strcmp(algo, "recursive_doubling") && !lm_coll_is_pow2(p))
        return;
    for (int c = 0; c < NCOUNTS; c++)
        for (int ip = 0; ip < 2; ip++)
            run_allgather(p, algo, counts[c], false, ip);
}

static void do_allgatherv(int p, const char *algo, int v)
{
    (void)v;
    for (int c = 0; c < NCOUNTS; c++)
        for (int ip = 0; ip < 2; ip++)
            run_allgather(p, algo, counts[c], true, ip);
}

static void do_alltoall(int p, const char *algo, int v)
{
    (void)v;
    for (int c = 0; c < NCOUNTS; c++)
        for (int ip = 0; ip < 2; ip++)
            run_alltoall(p, algo, counts[c], ip);
}

static enum lm_coll_kind red_kind;

static void do_reduction(int p, const char *algo, int v)
{
    (void)v;
    bool commute_only = !strcmp(algo, "ring");
    for (int c = 0; c < NCOUNTS; c++)
        for (int root = 0; root < p; root += p > 3 ? p / 3 : 1)
            for (int affine = 0; affine < 2; affine++)
                for (int ip = 0; ip < 2; ip++) {
                    if (affine && commute_only)
                        continue;
                    if (red_kind != LM_COLL_REDUCE && root > 0)
                        continue;
                    run_reduction(p, red_kind, algo, counts[c] * 2 + (c > 1), root, affine,
                                  ip);
                }
}

static void test_barrier(void **state) { (void)state; each_algo(LM_COLL_BARRIER, do_barrier); }
static void test_bcast(void **state) { (void)state; each_algo(LM_COLL_BCAST, do_bcast); }
static void test_gather(void **state) { (void)state; each_algo(LM_COLL_GATHER, do_gather); }
static void test_scatter(void **state) { (void)state; each_algo(LM_COLL_SCATTER, do_scatter); }
static void test_allgather(void **state)
{
    (void)state;
    each_algo(LM_COLL_ALLGATHER, do_allgather);
}
static void test_allgatherv(void **state)
{
    (void)state;
    each_algo(LM_COLL_ALLGATHERV, do_allgatherv);
}
static void test_alltoall(void **state) { (void)state; each_algo(LM_COLL_ALLTOALL, do_alltoall); }

#define RED_TEST(name, KIND)                                                                  \
    static void test_##name(void **state)                                                     \
    {                                                                                         \
        (void)state;                                                                          \
        red_kind = KIND;                                                                      \
        each_algo(KIND, do_reduction);                                                        \
    }
RED_TEST(reduce, LM_COLL_REDUCE)
RED_TEST(allreduce, LM_COLL_ALLREDUCE)
RED_TEST(reduce_scatter, LM_COLL_REDUCE_SCATTER)
RED_TEST(scan, LM_COLL_SCAN)
RED_TEST(exscan, LM_COLL_EXSCAN)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_barrier),    cmocka_unit_test(test_bcast),
        cmocka_unit_test(test_gather),     cmocka_unit_test(test_scatter),
        cmocka_unit_test(test_allgather),  cmocka_unit_test(test_allgatherv),
        cmocka_unit_test(test_alltoall),   cmocka_unit_test(test_reduce),
        cmocka_unit_test(test_allreduce),  cmocka_unit_test(test_reduce_scatter),
        cmocka_unit_test(test_scan),       cmocka_unit_test(test_exscan),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
