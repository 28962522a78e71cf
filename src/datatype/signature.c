/* signature.c - element signatures: the basic types of a type map in order, run-length
 * encoded, and what is computed from them (MPI_Get_elements, the reverse for
 * MPI_Status_set_elements, the runs external32 converts).
 *
 * A homogeneous type (any nesting of one basic type) always collapses to a single entry
 * "n elements of T", so its questions are one division. Mixed types (structs) keep one
 * entry per run of equal basic types, and repetitions of a mixed child stay one entry
 * "count x child", so contiguous(10^7, struct{int; double}) is two small nodes.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "datatype/dt_internal.h"

/* A child with at most this many entries, used once, is spliced into its parent. */
#define LM_DTS_SPLICE_MAX 8

static struct lm_dt_sig *sig_alloc(size_t n)
{
    struct lm_dt_sig *s = malloc(sizeof *s + 2 * (n + 1) * sizeof(size_t) + n * sizeof *s->e);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    s->refcount = 1;
    s->n = n;
    s->prefix = (size_t *)(s + 1);
    s->eprefix = s->prefix + n + 1;
    s->e = (struct lm_dt_sigent *)(s->eprefix + n + 1);
    return s;
}

static void sig_finish(struct lm_dt_sig *s)
{
    size_t at = 0, el = 0, x = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct lm_dt_sigent *e = &s->e[i];
        s->prefix[i] = at;
        s->eprefix[i] = el;
        if (e->basic) {
            at += e->count * e->basic->size;
            el += e->count;
            x += e->count * e->basic->xsize;
        } else {
            at += e->count * e->child->size;
            el += e->count * e->child->nelems;
            x += e->count * e->child->xsize;
        }
    }
    s->prefix[s->n] = at;
    s->eprefix[s->n] = el;
    s->size = at;
    s->nelems = el;
    s->xsize = x;
}

struct lm_dt_sig *lm_dts_basic(struct lm_datatype *const *basics, size_t n)
{
    struct lm_dt_sig *s = sig_alloc(n);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        s->e[i] = (struct lm_dt_sigent){1, basics[i], NULL};
    sig_finish(s);
    return s;
}

void lm_dts_retain(struct lm_dt_sig *s)
{
    if (s)
        s->refcount++;
}

void lm_dts_release(struct lm_dt_sig *s)
{
    if (!s || --s->refcount > 0)
        return;
    for (size_t i = 0; i < s->n; i++)
        lm_dts_release(s->e[i].child);
    free(s);
}

/* Growing entry list with merging of equal neighbours. */
struct sigbuf {
    struct lm_dt_sigent *e;
    size_t n, cap;
};

static bool sb_push(struct sigbuf *b, size_t count, struct lm_datatype *basic,
                    struct lm_dt_sig *child)
{
    if (count == 0)
        return true;
    if (b->n > 0) {
        struct lm_dt_sigent *last = &b->e[b->n - 1];
        if (last->basic == basic && last->child == child) {
            last->count += count;
            return true;
        }
    }
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 8;
        struct lm_dt_sigent *ne = realloc(b->e, ncap * sizeof *ne);
        if (!ne)
            return false;
        b->e = ne;
        b->cap = ncap;
    }
    b->e[b->n++] = (struct lm_dt_sigent){count, basic, child};
    return true;
}

int lm_dts_build(const struct lm_dt_sigitem *items, size_t n, struct lm_dt_sig **out)
{
    struct sigbuf b = {0};
    bool ok = true;
    *out = NULL;
    for (size_t i = 0; i < n && ok; i++) {
        const struct lm_dt_sig *s = items[i].sig;
        size_t count = items[i].count;
        if (!s || count == 0 || s->size == 0)
            continue;
        if (s->n == 1) {
            /* n x (m x T) = (n m) x T, for a basic T or a child */
            ok = sb_push(&b, count * s->e[0].count, s->e[0].basic, s->e[0].child);
        } else if (count == 1 && s->n <= LM_DTS_SPLICE_MAX) {
            for (size_t j = 0; j < s->n && ok; j++)
                ok = sb_push(&b, s->e[j].count, s->e[j].basic, s->e[j].child);
        } else {
            ok = sb_push(&b, count, NULL, (struct lm_dt_sig *)s);
        }
    }
    if (!ok) {
        free(b.e);
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory building a datatype signature");
    }
    if (b.n == 0) {
        free(b.e);
        return LM_OK;
    }
    if (b.n == 1 && !b.e[0].basic && b.e[0].count == 1) {
        /* exactly one instance of a child: that child */
        lm_dts_retain(b.e[0].child);
        *out = b.e[0].child;
        free(b.e);
        return LM_OK;
    }
    struct lm_dt_sig *s = sig_alloc(b.n);
    if (!s) {
        free(b.e);
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory building a datatype signature");
    }
    for (size_t i = 0; i < b.n; i++) {
        s->e[i] = b.e[i];
        lm_dts_retain(s->e[i].child);
    }
    free(b.e);
    sig_finish(s);
    *out = s;
    return LM_OK;
}

static size_t find_entry(const size_t *prefix, size_t n, size_t pos)
{
    size_t lo = 0, hi = n; /* prefix[lo] <= pos < prefix[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (prefix[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Basic elements in the first `bytes` (< s->size) bytes of one instance; -1 if partial. */
static ptrdiff_t sig_elements(const struct lm_dt_sig *s, size_t bytes)
{
    if (bytes == 0)
        return 0;
    size_t i = find_entry(s->prefix, s->n, bytes);
    const struct lm_dt_sigent *e = &s->e[i];
    size_t rem = bytes - s->prefix[i];
    size_t unit = e->basic ? e->basic->size : e->child->size;
    size_t uel = e->basic ? 1 : e->child->nelems;
    size_t k = rem / unit;
    ptrdiff_t n = (ptrdiff_t)(s->eprefix[i] + k * uel);
    rem -= k * unit;
    if (rem == 0)
        return n;
    if (e->basic)
        return -1;
    ptrdiff_t r = sig_elements(e->child, rem);
    return r < 0 ? -1 : n + r;
}

ptrdiff_t lm_dt_elements(const struct lm_datatype *dt, size_t bytes)
{
    if (bytes == 0)
        return 0;
    if (dt->size == 0 || !dt->sig)
        return -1;
    const struct lm_dt_sig *s = dt->sig;
    size_t whole = bytes / s->size, rem = bytes % s->size;
    ptrdiff_t n = (ptrdiff_t)(whole * s->nelems);
    if (rem == 0)
        return n;
    ptrdiff_t r = sig_elements(s, rem);
    return r < 0 ? -1 : n + r;
}

/* Bytes holding the first `el` (< s->nelems) basic elements of one instance. */
static size_t sig_bytes(const struct lm_dt_sig *s, size_t el)
{
    if (el == 0)
        return 0;
    size_t i = find_entry(s->eprefix, s->n, el);
    const struct lm_dt_sigent *e = &s->e[i];
    size_t rem = el - s->eprefix[i];
    size_t unit = e->basic ? e->basic->size : e->child->size;
    size_t uel = e->basic ? 1 : e->child->nelems;
    size_t k = rem / uel;
    size_t bytes = s->prefix[i] + k * unit;
    rem -= k * uel;
    return rem ? bytes + sig_bytes(e->child, rem) : bytes;
}

size_t lm_dt_elements_to_bytes(const struct lm_datatype *dt, size_t elements)
{
    if (!dt->sig || dt->sig->nelems == 0)
        return 0;
    const struct lm_dt_sig *s = dt->sig;
    size_t whole = elements / s->nelems, rem = elements % s->nelems;
    return whole * s->size + sig_bytes(s, rem);
}

int lm_dts_walk(const struct lm_dt_sig *s, size_t count, lm_dts_run_fn fn, void *ctx)
{
    if (s->n == 1 && s->e[0].basic)
        return fn(ctx, s->e[0].basic, count * s->e[0].count);
    for (size_t c = 0; c < count; c++)
        for (size_t i = 0; i < s->n; i++) {
            const struct lm_dt_sigent *e = &s->e[i];
            int rc = e->basic ? fn(ctx, e->basic, e->count)
                              : lm_dts_walk(e->child, e->count, fn, ctx);
            if (rc)
                return rc;
        }
    return 0;
}
