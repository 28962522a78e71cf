/* Unit tests of the datatype engine against a naive reference.
 *
 * The reference builds, next to every engine type, its type map the way the standard
 * defines each constructor: an explicit list of (displacement, basic type) entries in
 * order, plus lb/ub computed from the parts' bounds. Thousands of randomly nested types
 * (every constructor, negative strides and displacements, zero counts, resized bounds,
 * holes at both ends, fixed seed) are then checked for size, bounds, true bounds, packing
 * and unpacking in random pieces (resumability), iovecs, element counts at every byte
 * count, external32 sizes, and overlap detection. Directed tests cover merging and compact
 * layouts, value/index pairs, the signature of mixed types, and external32 byte images.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "datatype/dt_internal.h"

static int setup(void **state)
{
    (void)state;
    lm_dt_builtins_init();
    return 0;
}

/* ---- the reference -------------------------------------------------------------------- */

struct ent {
    ptrdiff_t disp;
    const struct lm_datatype *basic;
};

struct rtype {
    struct lm_datatype *dt;      /* the engine's */
    bool valid;                  /* has bounds */
    ptrdiff_t lb, ub;
    bool markers;
    size_t align;
    struct ent *map;             /* one element's type map, in order */
    size_t n;
    char desc[400];              /* how it was built (failure messages) */
};

#define MAX_ENTRIES 6000

static struct lm_datatype *B(MPI_Datatype h)
{
    struct lm_datatype *t = lm_dt_builtin(h);
    assert_non_null(t);
    return t;
}

static void map_push(struct rtype *r, size_t *cap, ptrdiff_t disp, const struct lm_datatype *b)
{
    if (r->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        r->map = realloc(r->map, *cap * sizeof *r->map);
        assert_non_null(r->map);
    }
    r->map[r->n++] = (struct ent){disp, b};
}

/* basic entries of a predefined type (pairs are two) */
static struct rtype *r_basic(MPI_Datatype h)
{
    struct rtype *r = calloc(1, sizeof *r);
    size_t cap = 0;
    r->dt = B(h);
    snprintf(r->desc, sizeof r->desc, "%s", r->dt->name);
    r->valid = true;
    r->lb = 0;
    r->ub = r->dt->extent;
    r->align = r->dt->align;
    if (r->dt->sig->n == 1 && r->dt->sig->e[0].basic == r->dt) {
        map_push(r, &cap, 0, r->dt);
    } else {
        /* value/index pair: value at 0, index at its alignment */
        const struct lm_datatype *a = r->dt->sig->e[0].basic, *b = r->dt->sig->e[1].basic;
        map_push(r, &cap, 0, a);
        map_push(r, &cap, (ptrdiff_t)((a->size + b->align - 1) / b->align * b->align), b);
    }
    return r;
}

static void r_free(struct rtype *r)
{
    if (!r)
        return;
    lm_dt_release(r->dt);
    free(r->map);
    free(r);
}

struct rpart {
    ptrdiff_t disp;
    size_t count;
    ptrdiff_t stride;
    const struct rtype *t;
};

/* The reference of a type made of parts: map = concatenation, bounds = min/max of every
 * copy's bounds, struct padding when asked and no explicit bounds inside. */
static struct rtype *r_parts(const struct rpart *parts, size_t np, bool pad)
{
    struct rtype *r = calloc(1, sizeof *r);
    size_t cap = 0;
    r->align = 1;
    for (size_t i = 0; i < np; i++) {
        const struct rpart *p = &parts[i];
        for (size_t k = 0; k < p->count; k++) {
            ptrdiff_t base = p->disp + (ptrdiff_t)k * p->stride;
            for (size_t j = 0; j < p->t->n; j++)
                map_push(r, &cap, base + p->t->map[j].disp, p->t->map[j].basic);
            if (p->t->valid) {
                ptrdiff_t lb = base + p->t->lb, ub = base + p->t->ub;
                if (!r->valid || lb < r->lb)
                    r->lb = lb;
                if (!r->valid || ub > r->ub)
                    r->ub = ub;
                r->valid = true;
            }
        }
        if (p->count > 0) {
            r->markers = r->markers || p->t->markers;
            if (p->t->align > r->align)
                r->align = p->t->align;
        }
    }
    if (!r->valid)
        r->lb = r->ub = 0;
    if (pad && r->valid && !r->markers && r->align > 1) {
        ptrdiff_t a = (ptrdiff_t)r->align, ext = r->ub - r->lb;
        r->ub = r->lb + (ext + a - 1) / a * a;
    }
    return r;
}

static size_t r_size(const struct rtype *r)
{
    size_t s = 0;
    for (size_t i = 0; i < r->n; i++)
        s += r->map[i].basic->size;
    return s;
}

/* ---- random types ------------------------------------------------------------------------ */

static unsigned rnd(unsigned n)
{
    return (unsigned)rand() % n;
}

/* a count: zero now and then, mostly 1..max */
static size_t rcount(unsigned max)
{
    return rnd(12) == 0 ? 0 : 1 + rnd(max);
}

static int srnd(int lo, int hi) /* inclusive */
{
    return lo + (int)rnd((unsigned)(hi - lo + 1));
}

static const MPI_Datatype basics[] = {MPI_CHAR, MPI_SHORT, MPI_INT, MPI_DOUBLE, MPI_FLOAT_INT,
                                      MPI_SHORT_INT, MPI_LONG, MPI_LONG_DOUBLE, MPI_BYTE,
                                      MPI_C_DOUBLE_COMPLEX};

static struct rtype *r_random(int depth);

static struct rtype *finish(struct rtype *r, struct lm_datatype *dt, int rc)
{
    assert_int_equal(rc, LM_OK);
    r->dt = dt;
    return r;
}

static struct rtype *r_random_ctor(int depth)
{
    struct rtype *c = r_random(depth - 1), *r = NULL;
    struct lm_datatype *dt = NULL;
    ptrdiff_t ext = c->dt->extent;
    int kind = (int)rnd(11);
    switch (kind) {
    case 0: { /* contiguous */
        size_t n = rcount(5);
        struct rpart p = {0, n, ext, c};
        int rc = lm_dt_contiguous(n, c->dt, &dt);
        r = finish(r_parts(&p, 1, false), dt, rc);
        break;
    }
    case 1:
    case 2: { /* vector / hvector: count blocks of bl, stride in elements or bytes */
        size_t n = rcount(6), bl = rcount(3);
        ptrdiff_t stride = kind == 1 ? srnd(-4, 5) : srnd(-40, 60);
        ptrdiff_t sb = kind == 1 ? stride * ext : stride;
        struct rpart p[8];
        for (size_t i = 0; i < n; i++)
            p[i] = (struct rpart){(ptrdiff_t)i * sb, bl, ext, c};
        int rc = kind == 1 ? lm_dt_vector(n, bl, stride, c->dt, &dt)
                           : lm_dt_hvector(n, bl, stride, c->dt, &dt);
        r = finish(r_parts(p, n, false), dt, rc);
        break;
    }
    case 3:
    case 4:
    case 5: { /* indexed / hindexed / (h)indexed_block, through hindexed */
        size_t n = rcount(6), bls[8], fixed = rcount(3);
        ptrdiff_t d[8];
        struct rpart p[8];
        for (size_t i = 0; i < n; i++) {
            bls[i] = kind == 5 ? fixed : rcount(3);
            d[i] = kind == 3 ? srnd(-6, 8) * ext : srnd(-50, 80);
            p[i] = (struct rpart){d[i], bls[i], ext, c};
        }
        int rc = lm_dt_hindexed(n, bls, d, c->dt, &dt);
        r = finish(r_parts(p, n, false), dt, rc);
        break;
    }
    case 6: { /* struct of up to 3 types */
        size_t n = 1 + rnd(3), bls[3];
        ptrdiff_t d[3];
        struct rtype *kids[3] = {c, NULL, NULL};
        struct lm_datatype *kdt[3];
        struct rpart p[3];
        for (size_t i = 1; i < n; i++)
            kids[i] = depth > 1 && rnd(2) ? r_random(depth - 2) : r_basic(basics[rnd(10)]);
        for (size_t i = 0; i < n; i++) {
            bls[i] = rcount(2);
            d[i] = srnd(-40, 100);
            kdt[i] = kids[i]->dt;
            p[i] = (struct rpart){d[i], bls[i], kids[i]->dt->extent, kids[i]};
        }
        int rc = lm_dt_struct(n, bls, d, kdt, &dt);
        r = finish(r_parts(p, n, true), dt, rc);
        for (size_t i = 1; i < n; i++)
            r_free(kids[i]);
        break;
    }
    case 7: { /* resized: holes at either end, or a smaller extent (overlapping copies) */
        ptrdiff_t lb = c->lb + srnd(-16, 8), extent = (c->ub - c->lb) + srnd(-8, 24);
        struct rpart p = {0, 1, 0, c};
        r = r_parts(&p, 1, false);
        r->valid = true;
        r->markers = true;
        r->lb = lb;
        r->ub = lb + extent;
        int rc = lm_dt_resized(c->dt, lb, extent, &dt);
        r = finish(r, dt, rc);
        break;
    }
    case 8: { /* dup */
        struct rpart p = {0, 1, 0, c};
        r = r_parts(&p, 1, false);
        r->lb = c->lb;
        r->ub = c->ub;
        r->valid = c->valid;
        r->markers = c->markers;
        int rc = lm_dt_dup(c->dt, &dt);
        r = finish(r, dt, rc);
        break;
    }
    case 9: { /* subarray: walk the sub-block in C or Fortran order */
        int nd = 1 + (int)rnd(3), order = rnd(2) ? MPI_ORDER_C : MPI_ORDER_FORTRAN;
        size_t sz[3], sub[3], st[3], total = 1;
        for (int i = 0; i < nd; i++) {
            sz[i] = 1 + rnd(4);
            sub[i] = rnd(8) == 0 ? 0 : 1 + rnd((unsigned)sz[i]);
            st[i] = rnd((unsigned)(sz[i] - sub[i] + 1));
            total *= sz[i];
        }
        r = calloc(1, sizeof *r);
        size_t cap = 0, idx[3] = {0, 0, 0}, nsub = 1;
        for (int i = 0; i < nd; i++)
            nsub *= sub[i];
        for (size_t k = 0; k < nsub; k++) {
            /* k -> multi-index, fastest dimension last (C) or first (Fortran) */
            size_t rem = k, lin = 0;
            for (int j = 0; j < nd; j++) {
                int d = order == MPI_ORDER_C ? nd - 1 - j : j;
                idx[d] = rem % sub[d];
                rem /= sub[d];
            }
            for (int j = 0; j < nd; j++) {
                int d = order == MPI_ORDER_C ? j : nd - 1 - j; /* slowest first */
                lin = lin * sz[d] + st[d] + idx[d];
            }
            for (size_t e = 0; e < c->n; e++)
                map_push(r, &cap, (ptrdiff_t)lin * ext + c->map[e].disp, c->map[e].basic);
        }
        r->valid = r->markers = true;
        r->lb = 0;
        r->ub = (ptrdiff_t)total * ext;
        r->align = c->align;
        int rc = lm_dt_subarray(nd, sz, sub, st, order, c->dt, &dt);
        r = finish(r, dt, rc);
        break;
    }
    default: { /* darray over a small process grid */
        int nd = 1 + (int)rnd(2), order = rnd(2) ? MPI_ORDER_C : MPI_ORDER_FORTRAN;
        size_t g[2];
        int dist[2], darg[2], ps[2], size = 1;
        for (int i = 0; i < nd; i++) {
            g[i] = 1 + rnd(7);
            ps[i] = 1 + (int)rnd(3);
            int k = (int)rnd(3);
            dist[i] = k == 0 ? MPI_DISTRIBUTE_BLOCK : k == 1 ? MPI_DISTRIBUTE_CYCLIC
                                                             : MPI_DISTRIBUTE_NONE;
            if (dist[i] == MPI_DISTRIBUTE_NONE)
                ps[i] = 1;
            darg[i] = rnd(2) ? MPI_DISTRIBUTE_DFLT_DARG : 1 + (int)rnd(3);
            if (dist[i] == MPI_DISTRIBUTE_BLOCK && darg[i] != MPI_DISTRIBUTE_DFLT_DARG &&
                (size_t)darg[i] * (size_t)ps[i] < g[i])
                darg[i] = MPI_DISTRIBUTE_DFLT_DARG;
            size *= ps[i];
        }
        int rank = (int)rnd((unsigned)size);
        int coord[2];
        for (int d = nd - 1, rr = rank; d >= 0; d--) {
            coord[d] = rr % ps[d];
            rr /= ps[d];
        }
        /* owned global indices per dimension, ascending */
        size_t own[2][8], nown[2] = {0, 0};
        for (int d = 0; d < nd; d++)
            for (size_t i = 0; i < g[d]; i++) {
                int owner;
                if (dist[d] == MPI_DISTRIBUTE_NONE) {
                    owner = 0;
                } else if (dist[d] == MPI_DISTRIBUTE_BLOCK) {
                    size_t b = darg[d] == MPI_DISTRIBUTE_DFLT_DARG
                                   ? (g[d] + (size_t)ps[d] - 1) / (size_t)ps[d] : (size_t)darg[d];
                    owner = (int)(i / b);
                } else {
                    size_t b = darg[d] == MPI_DISTRIBUTE_DFLT_DARG ? 1 : (size_t)darg[d];
                    owner = (int)((i / b) % (size_t)ps[d]);
                }
                if (owner == coord[d])
                    own[d][nown[d]++] = i;
            }
        r = calloc(1, sizeof *r);
        size_t cap = 0, total = nd == 1 ? g[0] : g[0] * g[1];
        size_t slow = order == MPI_ORDER_C ? 0 : (size_t)(nd - 1);
        size_t fast = order == MPI_ORDER_C ? (size_t)(nd - 1) : 0;
        for (size_t a = 0; a < (nd == 1 ? 1 : nown[slow]); a++)
            for (size_t b = 0; b < nown[fast]; b++) {
                size_t lin = nd == 1 ? own[0][b] : own[slow][a] * g[fast] + own[fast][b];
                for (size_t e = 0; e < c->n; e++)
                    map_push(r, &cap, (ptrdiff_t)lin * ext + c->map[e].disp, c->map[e].basic);
            }
        r->valid = r->markers = true;
        r->lb = 0;
        r->ub = (ptrdiff_t)total * ext;
        r->align = c->align;
        int rc = lm_dt_darray(size, rank, nd, g, dist, darg, ps, order, c->dt, &dt);
        r = finish(r, dt, rc);
        snprintf(r->desc, sizeof r->desc, "darray(rank %d/%d order %d g %zu,%zu dist %d,%d darg %d,%d "
                 "ps %d,%d)", rank, size, order, g[0], nd > 1 ? g[1] : 0, dist[0], nd > 1 ? dist[1] : 0,
                 darg[0], nd > 1 ? darg[1] : 0, ps[0], nd > 1 ? ps[1] : 0);
        kind = 100;
        break;
    }
    }
    if (kind == 100) {
        char d[400];
        snprintf(d, sizeof d, "%.200s of (%.150s)", r->desc, c->desc);
        memcpy(r->desc, d, sizeof d);
    } else {
        snprintf(r->desc, sizeof r->desc, "k%d(%.300s)", kind, c->desc);
    }
    r_free(c);
    return r;
}

static struct rtype *r_random(int depth)
{
    if (depth <= 0 || rnd(6) == 0)
        return r_basic(basics[rnd(sizeof basics / sizeof basics[0])]);
    for (;;) {
        struct rtype *r = r_random_ctor(depth);
        if (r->n <= MAX_ENTRIES && r->dt->extent < 100000 && r->dt->extent > -100000)
            return r;
        r_free(r);
    }
}

/* ---- checking one type -------------------------------------------------------------------- */

/* the packed stream of count elements, by the reference: (user byte offset) per packed byte */
static ptrdiff_t *ref_stream(const struct rtype *r, size_t count, size_t *len)
{
    size_t n = 0;
    size_t size = r_size(r);
    ptrdiff_t *offs = malloc((size * count + 1) * sizeof *offs);
    for (size_t c = 0; c < count; c++)
        for (size_t i = 0; i < r->n; i++)
            for (size_t b = 0; b < r->map[i].basic->size; b++)
                offs[n++] = (ptrdiff_t)c * r->dt->extent + r->map[i].disp + (ptrdiff_t)b;
    *len = n;
    return offs;
}

static int cmp_off(const void *a, const void *b)
{
    ptrdiff_t x = *(const ptrdiff_t *)a, y = *(const ptrdiff_t *)b;
    return x < y ? -1 : x > y;
}

struct iov_check {
    const unsigned char *packed;
    size_t pos;
    bool ok;
};

static int check_piece(void *ctx, char *user, size_t pos, size_t len)
{
    struct iov_check *c = ctx;
    if (pos != c->pos || memcmp(user, c->packed + pos, len) != 0)
        c->ok = false;
    c->pos += len;
    return 0;
}

static void check_type(const struct rtype *r, size_t count)
{
    const struct lm_datatype *t = r->dt;
    size_t size = r_size(r);
    assert_int_equal(t->size, size);
    assert_int_equal(t->nelems, r->n);
    assert_int_equal(t->lb, r->lb);
    assert_int_equal(t->extent, r->ub - r->lb);
    if (r->n) {
        ptrdiff_t lo = PTRDIFF_MAX, hi = PTRDIFF_MIN;
        size_t xs = 0;
        for (size_t i = 0; i < r->n; i++) {
            if (r->map[i].disp < lo)
                lo = r->map[i].disp;
            if (r->map[i].disp + (ptrdiff_t)r->map[i].basic->size > hi)
                hi = r->map[i].disp + (ptrdiff_t)r->map[i].basic->size;
            xs += r->map[i].basic->xsize;
        }
        if (t->true_lb != lo || t->true_extent != hi - lo)
            fail_msg("%s: true lb/extent %td/%td, reference %td/%td", r->desc, t->true_lb,
                     t->true_extent, lo, hi - lo);
        assert_int_equal(t->true_extent, hi - lo);
        assert_int_equal(lm_dt_external_size(t), xs);
    }

    size_t len;
    ptrdiff_t *offs = ref_stream(r, count, &len);
    assert_int_equal(len, size * count);
    ptrdiff_t lo = 0, hi = 1;
    for (size_t i = 0; i < len; i++) {
        if (offs[i] < lo)
            lo = offs[i];
        if (offs[i] + 1 > hi)
            hi = offs[i] + 1;
    }
    size_t span = (size_t)(hi - lo);
    unsigned char *mem = malloc(span), *back = malloc(span), *ref = malloc(span);
    unsigned char *packed = malloc(len + 1);
    unsigned char *user = mem - lo;  /* buffer origin: every displacement is inside */
    for (size_t i = 0; i < span; i++)
        mem[i] = (unsigned char)rand();

    /* pack in random pieces */
    size_t at = 0;
    while (at < len) {
        size_t n = 1 + rnd((unsigned)(len - at));
        if (rnd(3) == 0)
            n = 1 + rnd(n < 9 ? (unsigned)n : 9);
        lm_dt_pack(t, user, count, at, packed + at, n);
        at += n;
    }
    for (size_t i = 0; i < len; i++)
        if (packed[i] != user[offs[i]])
            fail_msg("pack: byte %zu of %zu differs (user offset %td)", i, len, offs[i]);

    /* unpack in random pieces into a zeroed buffer; the reference applies the bytes in
     * stream order too, so overlapping layouts agree on the last writer */
    memset(back, 0, span);
    memset(ref, 0, span);
    at = 0;
    while (at < len) {
        size_t n = 1 + rnd((unsigned)(len - at));
        lm_dt_unpack(t, back - lo, count, at, packed + at, n);
        at += n;
    }
    for (size_t i = 0; i < len; i++)
        ref[offs[i] - lo] = packed[i];
    assert_memory_equal(back, ref, span);

    /* the visitor and iovecs describe the same bytes in the same order */
    struct iov_check ic = {packed, 0, true};
    assert_int_equal(lm_dt_walk(t, user, count, 0, len, check_piece, &ic), len);
    assert_true(ic.ok);
    if (len) {
        size_t from = rnd((unsigned)len);
        struct iovec iov[4];
        int niov;
        size_t got = lm_dt_iov(t, user, count, from, len - from, iov, 4, &niov);
        size_t k = from;
        for (int i = 0; i < niov; i++) {
            assert_memory_equal(iov[i].iov_base, packed + k, iov[i].iov_len);
            k += iov[i].iov_len;
        }
        assert_int_equal(k - from, got);
        assert_true(got == len - from || niov == 4);
    }

    /* elements at every byte count of the first two elements */
    size_t bytes = 0, el = 0;
    for (size_t c = 0; c < 2 && c < count; c++)
        for (size_t i = 0; i < r->n; i++) {
            size_t bs = r->map[i].basic->size;
            for (size_t b = 1; b < bs; b++)
                assert_int_equal(lm_dt_elements(t, bytes + b), -1);
            bytes += bs;
            el++;
            assert_int_equal(lm_dt_elements(t, bytes), (ptrdiff_t)el);
            assert_int_equal(lm_dt_elements_to_bytes(t, el), bytes);
        }

    /* overlap: never reported where the reference finds none; found where it does */
    bool ov = false;
    {
        ptrdiff_t *s = malloc((len + 1) * sizeof *s);
        memcpy(s, offs, len * sizeof *s);
        qsort(s, len, sizeof *s, cmp_off);
        for (size_t i = 1; i < len; i++)
            if (s[i] == s[i - 1])
                ov = true;
        free(s);
    }
    struct lm_datatype *mt = (struct lm_datatype *)t;
    lm_dt_commit(mt);
    int rc = lm_dt_check_recv(t, count, "t");
    if (rc != LM_OK && !ov)
        fail_msg("overlap reported for a layout without overlap (count %zu)", count);
    if (ov && rc == LM_OK)
        fail_msg("overlapping layout not reported (count %zu, %zu bytes)", count, len);

    free(mem);
    free(back);
    free(ref);
    free(packed);
    free(offs);
}

static void test_random_types(void **state)
{
    (void)state;
    srand(getenv("DT_SEED") ? (unsigned)atoi(getenv("DT_SEED")) : 20240531u);
    for (int trial = 0; trial < 6000; trial++) {
        struct rtype *r = r_random(1 + (int)rnd(5));
        check_type(r, 1 + rnd(3));
        r_free(r);
    }
}

/* ---- directed tests ------------------------------------------------------------------------ */

static void test_merging_and_compact_layouts(void **state)
{
    (void)state;
    struct lm_datatype *c, *v, *big, *sub;
    assert_int_equal(lm_dt_contiguous(10, B(MPI_DOUBLE), &c), LM_OK);
    assert_true(c->contig);
    assert_int_equal(c->prog->kind, LM_DTN_BLOCKS);
    assert_int_equal(c->prog->n, 1);
    assert_int_equal(c->size, 80);
    /* a vector whose stride equals its block length is contiguous too */
    assert_int_equal(lm_dt_vector(4, 2, 2, B(MPI_INT), &v), LM_OK);
    assert_true(v->contig);
    lm_dt_release(v);
    /* 10^7 blocks: one loop node over one block, not 10^7 records */
    assert_int_equal(lm_dt_vector(10000000, 1, 2, B(MPI_DOUBLE), &big), LM_OK);
    assert_int_equal(big->prog->kind, LM_DTN_LIST);
    assert_int_equal(big->prog->n, 1);
    assert_int_equal(big->prog->entries[0].count, 10000000);
    assert_int_equal(big->prog->nblk, 10000000);
    assert_int_equal(big->sig->n, 1);
    assert_int_equal(big->nelems, 10000000);
    assert_ptr_equal(big->elem, B(MPI_DOUBLE));
    lm_dt_commit(big); /* too large to expand for the overlap check: must stay cheap */
    assert_false(big->overlap_self);
    lm_dt_release(big);
    /* 3-D subarray face (x = 1 plane of 64^3 doubles): 64*64 blocks of 8 bytes as a
     * two-level loop */
    size_t sz[3] = {64, 64, 64}, ss[3] = {64, 64, 1}, st[3] = {0, 0, 5};
    assert_int_equal(lm_dt_subarray(3, sz, ss, st, MPI_ORDER_C, B(MPI_DOUBLE), &sub), LM_OK);
    assert_int_equal(sub->size, 64 * 64 * 8);
    assert_true(sub->prog->n <= 2);
    assert_int_equal(sub->prog->nblk, 64 * 64);
    assert_int_equal(sub->extent, 64 * 64 * 64 * 8);
    assert_int_equal(sub->true_lb, 5 * 8);
    lm_dt_release(sub);
    /* contiguous rows of a subarray merge: y-z face is whole rows */
    size_t ss2[3] = {1, 64, 64}, st2[3] = {3, 0, 0};
    assert_int_equal(lm_dt_subarray(3, sz, ss2, st2, MPI_ORDER_C, B(MPI_DOUBLE), &sub), LM_OK);
    assert_true(sub->one_block);
    assert_int_equal(sub->true_lb, 3 * 64 * 64 * 8);
    lm_dt_release(sub);
    /* struct {int, int} at 0 and 4: one block */
    size_t bl[2] = {1, 1};
    ptrdiff_t d[2] = {0, 4};
    struct lm_datatype *ty[2] = {B(MPI_INT), B(MPI_INT)}, *s;
    assert_int_equal(lm_dt_struct(2, bl, d, ty, &s), LM_OK);
    assert_true(s->contig);
    assert_ptr_equal(s->elem, B(MPI_INT));
    lm_dt_release(s);
    lm_dt_release(c);
}

static void test_pairs_and_mixed_elements(void **state)
{
    (void)state;
    struct lm_datatype *si = B(MPI_SHORT_INT), *di = B(MPI_DOUBLE_INT);
    assert_int_equal(si->size, sizeof(short) + sizeof(int));
    assert_int_equal(di->size, sizeof(double) + sizeof(int));
    assert_int_equal(di->extent, 16);
    assert_int_equal(di->true_extent, 12);
    assert_true(di->one_block);
    assert_false(si->one_block);
    assert_int_equal(lm_dt_elements(di, 2 * di->size), 4);
    assert_int_equal(lm_dt_elements(di, 8), 1);
    assert_int_equal(lm_dt_elements(di, 10), -1);
    assert_int_equal(lm_dt_elements(B(MPI_INT), 12), 3);
    assert_int_equal(lm_dt_elements(B(MPI_INT), 13), -1);
    assert_null(lm_dt_builtin(MPI_DATATYPE_NULL));
    /* (int, short, int, short): 10 bytes hold 3 elements, 8 bytes end inside one */
    size_t bl[4] = {1, 1, 1, 1};
    ptrdiff_t d[4] = {0, 4, 8, 12};
    struct lm_datatype *ty[4] = {B(MPI_INT), B(MPI_SHORT), B(MPI_INT), B(MPI_SHORT)}, *s, *cs;
    assert_int_equal(lm_dt_struct(4, bl, d, ty, &s), LM_OK);
    assert_null(s->elem);
    assert_int_equal(s->size, 12);
    assert_int_equal(lm_dt_elements(s, 10), 3);
    assert_int_equal(lm_dt_elements(s, 8), -1);
    assert_int_equal(lm_dt_elements(s, 12 + 6), 6);
    assert_int_equal(lm_dt_elements_to_bytes(s, 5), 16);
    /* a million repeats of a mixed struct stay a two-level signature */
    assert_int_equal(lm_dt_contiguous(1000000, s, &cs), LM_OK);
    assert_true(cs->sig->n <= 4);
    assert_int_equal(cs->nelems, 4000000);
    assert_int_equal(lm_dt_elements(cs, 12 * 999999 + 10), 4 * 999999 + 3);
    assert_int_equal(lm_dt_external_size(cs), 12000000);
    lm_dt_release(cs);
    lm_dt_release(s);
}

static void test_external32_images(void **state)
{
    (void)state;
    unsigned char out[64];
    /* int 1, -2 big-endian */
    int iv[2] = {1, -2};
    assert_int_equal(lm_dt_pack_external(B(MPI_INT), iv, 2, out), LM_OK);
    static const unsigned char iimg[8] = {0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe};
    assert_memory_equal(out, iimg, 8);
    /* long: 4 bytes in external32, low bytes travel, sign-extended back */
    long lv[2] = {0x11223344L, -5};
    assert_int_equal(lm_dt_external_size(B(MPI_LONG)), 4);
    assert_int_equal(lm_dt_pack_external(B(MPI_LONG), lv, 2, out), LM_OK);
    static const unsigned char limg[8] = {0x11, 0x22, 0x33, 0x44, 0xff, 0xff, 0xff, 0xfb};
    assert_memory_equal(out, limg, 8);
    long lb[2];
    assert_int_equal(lm_dt_unpack_external(B(MPI_LONG), out, lb, 2), LM_OK);
    assert_int_equal(lb[0], 0x11223344L);
    assert_int_equal(lb[1], -5);
    unsigned long ulv = 0xfffffffeUL, ulb;
    lm_dt_pack_external(B(MPI_UNSIGNED_LONG), &ulv, 1, out);
    lm_dt_unpack_external(B(MPI_UNSIGNED_LONG), out, &ulb, 1);
    assert_int_equal(ulb, 0xfffffffeUL);
    /* double 1.0 = 3ff0000000000000 */
    double dv = 1.0, db;
    lm_dt_pack_external(B(MPI_DOUBLE), &dv, 1, out);
    static const unsigned char dimg[8] = {0x3f, 0xf0, 0, 0, 0, 0, 0, 0};
    assert_memory_equal(out, dimg, 8);
    lm_dt_unpack_external(B(MPI_DOUBLE), out, &db, 1);
    assert_true(db == 1.0);
    /* long double 1.5, -3.0 as IEEE binary128 */
    long double ld[2] = {1.5L, -3.0L}, ldb[2];
    assert_int_equal(lm_dt_external_size(B(MPI_LONG_DOUBLE)), 16);
    assert_int_equal(lm_dt_pack_external(B(MPI_LONG_DOUBLE), ld, 2, out), LM_OK);
    static const unsigned char ldimg[32] = {0x3f, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                            0xc0, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assert_memory_equal(out, ldimg, 32);
    assert_int_equal(lm_dt_unpack_external(B(MPI_LONG_DOUBLE), out, ldb, 2), LM_OK);
    assert_true(ldb[0] == 1.5L && ldb[1] == -3.0L);
    /* long double round trips exactly over a range of values */
    long double vals[6] = {0.0L, -0.0L, 1e-4940L, 3.141592653589793238462643383279L, 1e4900L,
                           -7.25e-300L};
    for (int i = 0; i < 6; i++) {
        long double back;
        lm_dt_pack_external(B(MPI_LONG_DOUBLE), &vals[i], 1, out);
        lm_dt_unpack_external(B(MPI_LONG_DOUBLE), out, &back, 1);
        assert_memory_equal(&back, &vals[i], 10);
    }
    /* wchar: 2 bytes; a struct of double_int + char: sizes add up, no padding */
    wchar_t wc = 0x263a;
    lm_dt_pack_external(B(MPI_WCHAR), &wc, 1, out);
    assert_int_equal(out[0], 0x26);
    assert_int_equal(out[1], 0x3a);
    assert_int_equal(lm_dt_external_size(B(MPI_DOUBLE_INT)), 12);
    assert_int_equal(lm_dt_external_size(B(MPI_C_LONG_DOUBLE_COMPLEX)), 32);
    /* complex: each part swapped on its own */
    float fc[2] = {1.0f, -2.0f};
    lm_dt_pack_external(B(MPI_C_FLOAT_COMPLEX), fc, 1, out);
    static const unsigned char fcimg[8] = {0x3f, 0x80, 0, 0, 0xc0, 0, 0, 0};
    assert_memory_equal(out, fcimg, 8);
}

static void test_overlap_detection(void **state)
{
    (void)state;
    struct lm_datatype *t, *r;
    /* indexed blocks [0,8) and [4,12): one element overlaps itself */
    size_t bl[2] = {2, 2};
    ptrdiff_t d[2] = {0, 4};
    assert_int_equal(lm_dt_hindexed(2, bl, d, B(MPI_INT), &t), LM_OK);
    lm_dt_commit(t);
    assert_true(t->overlap_self);
    assert_int_not_equal(lm_dt_check_recv(t, 1, "t"), LM_OK);
    lm_dt_release(t);
    /* resized to extent 4 over 8 bytes of data: count 1 fine, count 2 overlaps */
    assert_int_equal(lm_dt_contiguous(2, B(MPI_INT), &t), LM_OK);
    assert_int_equal(lm_dt_resized(t, 0, 4, &r), LM_OK);
    lm_dt_commit(r);
    assert_int_equal(lm_dt_check_recv(r, 1, "r"), LM_OK);
    assert_int_not_equal(lm_dt_check_recv(r, 2, "r"), LM_OK);
    lm_dt_release(r);
    /* interleaved but disjoint: blocks at 0 and 8 (4 bytes), extent 4 -> copies at 4, 12 */
    ptrdiff_t d2[2] = {0, 8};
    size_t bl2[2] = {1, 1};
    struct lm_datatype *h;
    assert_int_equal(lm_dt_hindexed(2, bl2, d2, B(MPI_INT), &h), LM_OK);
    assert_int_equal(lm_dt_resized(h, 0, 4, &r), LM_OK);
    lm_dt_commit(r);
    assert_int_equal(lm_dt_check_recv(r, 2, "r"), LM_OK);  /* 0,8,4,12 */
    assert_int_not_equal(lm_dt_check_recv(r, 3, "r"), LM_OK); /* 8 again */
    lm_dt_release(r);
    lm_dt_release(h);
    lm_dt_release(t);
}

struct visit {
    char *addr[64];
    size_t n[64];
    int k;
};

static void on_elems(void *ctx, char *user, size_t n)
{
    struct visit *v = ctx;
    assert_true(v->k < 64);
    v->addr[v->k] = user;
    v->n[v->k++] = n;
}

static void test_element_walk(void **state)
{
    (void)state;
    /* doubles: runs of consecutive elements */
    double d[24];
    struct lm_datatype *t;
    assert_int_equal(lm_dt_vector(3, 2, 5, B(MPI_DOUBLE), &t), LM_OK);
    struct visit v = {0};
    lm_dt_walk_elems(t, d, 2, on_elems, &v);
    /* runs of back-to-back doubles: expand and compare with the type map */
    static const int idx[12] = {0, 1, 5, 6, 10, 11, 12, 13, 17, 18, 22, 23};
    int e = 0;
    for (int i = 0; i < v.k; i++)
        for (size_t j = 0; j < v.n[i]; j++, e++) {
            assert_true(e < 12);
            assert_ptr_equal(v.addr[i] + j * sizeof(double), (char *)&d[idx[e]]);
        }
    assert_int_equal(e, 12);
    assert_true(v.k <= 6);
    lm_dt_release(t);
    /* short_int pairs have a hole: one element at a time, at each pair's start */
    struct { short s; int i; } p[8];
    assert_int_equal(lm_dt_contiguous(3, B(MPI_SHORT_INT), &t), LM_OK);
    assert_ptr_equal(t->elem, B(MPI_SHORT_INT));
    memset(&v, 0, sizeof v);
    lm_dt_walk_elems(t, p, 2, on_elems, &v);
    assert_int_equal(v.k, 6);
    for (int i = 0; i < 6; i++) {
        assert_ptr_equal(v.addr[i], (char *)&p[i]);
        assert_int_equal(v.n[i], 1);
    }
    lm_dt_release(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_types),
        cmocka_unit_test(test_merging_and_compact_layouts),
        cmocka_unit_test(test_pairs_and_mixed_elements),
        cmocka_unit_test(test_external32_images),
        cmocka_unit_test(test_overlap_detection),
        cmocka_unit_test(test_element_walk),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
