/* layout.c - the layout program: building, normalising and flattening nodes, and the
 * commit-time check for receive layouts that overlap themselves.
 *
 * lm_dtn_build takes a constructor's runs ("count instances of node X at disp, stride
 * apart") and simplifies them before making a node:
 *   - a single-block child repeated at exactly its length is one longer block;
 *   - a run of one instance of a one-entry list is that entry, shifted;
 *   - a run of a one-entry list that continues seamlessly (stride == count * inner stride)
 *     is one longer run of the inner child;
 *   - touching raw blocks merge.
 * What is left becomes a BLOCKS node when every run is a plain block, or when the whole
 * thing expands to few blocks (LM_DT_FLAT_MAX) and is irregular; otherwise a LIST node that
 * keeps repetitions as loops. A single strided run always stays a loop: pack.c has a tight
 * path for "count blocks of len bytes, stride apart".
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "datatype/dt_internal.h"

/* Irregular layouts that expand to at most this many blocks become one block list. */
#define LM_DT_FLAT_MAX 256
/* The overlap analysis expands at most this many blocks (beyond: assumed not to overlap). */
#define LM_DT_OVERLAP_MAX ((size_t)1 << 20)

static size_t sat_mul(size_t a, size_t b)
{
    size_t r;
    return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}

static size_t sat_add(size_t a, size_t b)
{
    size_t r;
    return __builtin_add_overflow(a, b, &r) ? SIZE_MAX : r;
}

static struct lm_dt_node *node_alloc(int kind, size_t n)
{
    size_t body = kind == LM_DTN_BLOCKS ? sizeof(struct lm_dt_block) : sizeof(struct lm_dt_entry);
    struct lm_dt_node *nd = malloc(sizeof *nd + (n + 1) * sizeof(size_t) + n * body);
    if (!nd)
        return NULL;
    memset(nd, 0, sizeof *nd);
    nd->refcount = 1;
    nd->kind = kind;
    nd->n = n;
    nd->prefix = (size_t *)(nd + 1);
    if (kind == LM_DTN_BLOCKS)
        nd->blocks = (struct lm_dt_block *)(nd->prefix + n + 1);
    else
        nd->entries = (struct lm_dt_entry *)(nd->prefix + n + 1);
    return nd;
}

struct lm_dt_node *lm_dtn_blocks(const struct lm_dt_block *blocks, size_t n)
{
    struct lm_dt_node *nd = node_alloc(LM_DTN_BLOCKS, n);
    if (!nd)
        return NULL;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        nd->blocks[i] = blocks[i];
        nd->prefix[i] = at;
        at += blocks[i].len;
        ptrdiff_t end = blocks[i].off + (ptrdiff_t)blocks[i].len;
        if (i == 0 || blocks[i].off < nd->lo)
            nd->lo = blocks[i].off;
        if (i == 0 || end > nd->hi)
            nd->hi = end;
    }
    nd->prefix[n] = at;
    nd->size = at;
    nd->nblk = n;
    return nd;
}

void lm_dtn_retain(struct lm_dt_node *nd)
{
    if (nd)
        nd->refcount++;
}

void lm_dtn_release(struct lm_dt_node *nd)
{
    if (!nd || --nd->refcount > 0)
        return;
    if (nd->kind == LM_DTN_LIST)
        for (size_t i = 0; i < nd->n; i++)
            lm_dtn_release(nd->entries[i].child);
    free(nd);
}

size_t lm_dtn_find(const struct lm_dt_node *nd, size_t pos)
{
    size_t lo = 0, hi = nd->n; /* prefix[lo] <= pos < prefix[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (nd->prefix[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* ---- expansion ------------------------------------------------------------------------- */

static bool push_block(struct lm_dt_block **blocks, size_t *n, size_t *cap, size_t limit,
                       ptrdiff_t off, size_t len)
{
    if (*n > 0) {
        struct lm_dt_block *last = &(*blocks)[*n - 1];
        if (last->off + (ptrdiff_t)last->len == off) {
            last->len += len;
            return true;
        }
    }
    if (*n >= limit)
        return false;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        struct lm_dt_block *nb = realloc(*blocks, ncap * sizeof *nb);
        if (!nb)
            return false;
        *blocks = nb;
        *cap = ncap;
    }
    (*blocks)[(*n)++] = (struct lm_dt_block){off, len};
    return true;
}

bool lm_dtn_expand(const struct lm_dt_node *nd, ptrdiff_t base, struct lm_dt_block **blocks,
                   size_t *n, size_t *cap, size_t limit)
{
    if (nd->kind == LM_DTN_BLOCKS) {
        for (size_t i = 0; i < nd->n; i++)
            if (!push_block(blocks, n, cap, limit, base + nd->blocks[i].off, nd->blocks[i].len))
                return false;
        return true;
    }
    for (size_t i = 0; i < nd->n; i++) {
        const struct lm_dt_entry *e = &nd->entries[i];
        for (size_t j = 0; j < e->count; j++)
            if (!lm_dtn_expand(e->child, base + e->disp + (ptrdiff_t)j * e->stride, blocks, n,
                               cap, limit))
                return false;
    }
    return true;
}

/* ---- building -------------------------------------------------------------------------- */

static void simplify(struct lm_dt_item *it)
{
    for (;;) {
        const struct lm_dt_node *nd = it->node;
        if (!nd || it->count == 0)
            return;
        if (nd->kind == LM_DTN_BLOCKS && nd->n == 1) {
            ptrdiff_t off = nd->blocks[0].off;
            size_t len = nd->blocks[0].len;
            if (it->count == 1) {
                *it = (struct lm_dt_item){it->disp + off, len, 0, NULL};
            } else if (it->stride == (ptrdiff_t)len) {
                size_t total;
                if (__builtin_mul_overflow(len, it->count, &total))
                    return;
                *it = (struct lm_dt_item){it->disp + off, total, 0, NULL};
            }
            return;
        }
        if (nd->kind == LM_DTN_LIST && nd->n == 1) {
            const struct lm_dt_entry *e = &nd->entries[0];
            if (it->count == 1) {
                *it = (struct lm_dt_item){it->disp + e->disp, e->count, e->stride, e->child};
                continue;
            }
            if (e->count == 1) {
                *it = (struct lm_dt_item){it->disp + e->disp, it->count, it->stride, e->child};
                continue;
            }
            ptrdiff_t span;
            size_t total;
            if (!__builtin_mul_overflow((ptrdiff_t)e->count, e->stride, &span) &&
                span == it->stride && !__builtin_mul_overflow(e->count, it->count, &total)) {
                *it = (struct lm_dt_item){it->disp + e->disp, total, e->stride, e->child};
                continue;
            }
        }
        return;
    }
}

static bool item_empty(const struct lm_dt_item *it)
{
    return it->count == 0 || (it->node && it->node->size == 0);
}

int lm_dtn_build(struct lm_dt_item *items, size_t n, struct lm_dt_node **out, ptrdiff_t *off)
{
    *out = NULL;
    *off = 0;
    /* Simplify, drop empty runs, merge touching raw blocks (in place). */
    size_t m = 0;
    bool all_raw = true;
    for (size_t i = 0; i < n; i++) {
        struct lm_dt_item it = items[i];
        if (item_empty(&it))
            continue;
        simplify(&it);
        if (item_empty(&it))
            continue;
        if (!it.node && m > 0 && !items[m - 1].node &&
            items[m - 1].disp + (ptrdiff_t)items[m - 1].count == it.disp) {
            items[m - 1].count += it.count;
            continue;
        }
        all_raw = all_raw && !it.node;
        items[m++] = it;
    }
    if (m == 0)
        return LM_OK;

    if (m == 1 && items[0].node && items[0].count == 1) {
        lm_dtn_retain(items[0].node);
        *out = items[0].node;
        *off = items[0].disp;
        return LM_OK;
    }

    size_t expanded = 0;
    for (size_t i = 0; i < m; i++)
        expanded = sat_add(expanded, items[i].node ? sat_mul(items[i].count, items[i].node->nblk)
                                                   : 1);
    if (all_raw || (m > 1 && expanded <= LM_DT_FLAT_MAX) ||
        (m == 1 && expanded <= LM_DT_FLAT_MAX && items[0].node->kind == LM_DTN_BLOCKS &&
         items[0].node->n > 1 && items[0].count <= 4)) {
        struct lm_dt_block *blocks = NULL;
        size_t nb = 0, cap = 0;
        bool ok = true;
        for (size_t i = 0; i < m && ok; i++) {
            const struct lm_dt_item *it = &items[i];
            if (!it->node) {
                ok = push_block(&blocks, &nb, &cap, SIZE_MAX, it->disp, it->count);
                continue;
            }
            for (size_t j = 0; j < it->count && ok; j++)
                ok = lm_dtn_expand(it->node, it->disp + (ptrdiff_t)j * it->stride, &blocks, &nb,
                                   &cap, SIZE_MAX);
        }
        struct lm_dt_node *nd = ok ? lm_dtn_blocks(blocks, nb) : NULL;
        free(blocks);
        if (!nd)
            return lm_err_detail(MPI_ERR_NO_MEM, "out of memory flattening a datatype "
                                 "(%zu blocks)", expanded);
        *out = nd;
        return LM_OK;
    }

    struct lm_dt_node *nd = node_alloc(LM_DTN_LIST, m);
    if (!nd)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory building a datatype layout");
    size_t at = 0, nblk = 0;
    for (size_t i = 0; i < m; i++) {
        struct lm_dt_item *it = &items[i];
        struct lm_dt_node *child = it->node;
        size_t count = it->count;
        if (!child) {
            /* a raw block inside a list: a one-block leaf */
            struct lm_dt_block b = {0, it->count};
            child = lm_dtn_blocks(&b, 1);
            if (!child) {
                nd->n = i;
                lm_dtn_release(nd);
                return lm_err_detail(MPI_ERR_NO_MEM, "out of memory building a datatype layout");
            }
            count = 1;
        } else {
            lm_dtn_retain(child);
        }
        nd->entries[i] = (struct lm_dt_entry){it->disp, count, it->stride, child};
        nd->prefix[i] = at;
        at += count * child->size;
        nblk = sat_add(nblk, sat_mul(count, child->nblk));
        ptrdiff_t first = it->disp, last = it->disp + (ptrdiff_t)(count - 1) * it->stride;
        ptrdiff_t lo = (first < last ? first : last) + child->lo;
        ptrdiff_t hi = (first < last ? last : first) + child->hi;
        if (i == 0 || lo < nd->lo)
            nd->lo = lo;
        if (i == 0 || hi > nd->hi)
            nd->hi = hi;
    }
    nd->prefix[m] = at;
    nd->size = at;
    nd->nblk = nblk;
    if (m == 1 && nd->entries[0].disp != 0) {
        /* keep single-entry lists at origin 0 so they compare and combine easily */
        *off = nd->entries[0].disp;
        nd->lo -= *off;
        nd->hi -= *off;
        nd->entries[0].disp = 0;
    }
    *out = nd;
    return LM_OK;
}

/* ---- overlap analysis -------------------------------------------------------------------- */

static int block_cmp(const void *a, const void *b)
{
    const struct lm_dt_block *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Sorted blocks of one instance, or NULL when too many (then *n = 0). */
static struct lm_dt_block *sorted_blocks(const struct lm_dt_node *nd, size_t *n)
{
    struct lm_dt_block *blocks = NULL;
    size_t cap = 0;
    *n = 0;
    if (nd->nblk > LM_DT_OVERLAP_MAX ||
        !lm_dtn_expand(nd, 0, &blocks, n, &cap, LM_DT_OVERLAP_MAX)) {
        free(blocks);
        *n = 0;
        return NULL;
    }
    qsort(blocks, *n, sizeof *blocks, block_cmp);
    return blocks;
}

static bool sorted_overlap(const struct lm_dt_block *b, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (b[i].off < b[i - 1].off + (ptrdiff_t)b[i - 1].len)
            return true;
    return false;
}

/* Do sorted, self-disjoint a and a shifted by s (> 0) share a byte? */
static bool shifted_overlap(const struct lm_dt_block *a, size_t n, ptrdiff_t s)
{
    size_t i = 0, j = 0;
    while (i < n && j < n) {
        ptrdiff_t a0 = a[i].off, a1 = a0 + (ptrdiff_t)a[i].len;
        ptrdiff_t b0 = a[j].off + s, b1 = b0 + (ptrdiff_t)a[j].len;
        if (a1 <= b0)
            i++;
        else if (b1 <= a0)
            j++;
        else
            return true;
    }
    return false;
}

void lm_dtn_analyze_overlap(struct lm_datatype *dt)
{
    dt->overlap_self = false;
    dt->overlap_k = 0;
    if (!dt->prog || dt->size == 0)
        return;
    ptrdiff_t span = dt->true_extent;
    ptrdiff_t e = dt->extent < 0 ? -dt->extent : dt->extent;
    bool may_cross = e < span;
    if (dt->prog->nblk <= 1 && !may_cross)
        return;
    size_t n;
    struct lm_dt_block *b = sorted_blocks(dt->prog, &n);
    if (!b)
        return; /* too large to check: assumed fine */
    if (sorted_overlap(b, n)) {
        dt->overlap_self = true;
    } else if (may_cross) {
        if (e == 0) {
            dt->overlap_k = 1;
        } else {
            size_t kmax = (size_t)((span - 1) / e);
            if (sat_mul(kmax, n) <= LM_DT_OVERLAP_MAX * 4)
                for (size_t k = 1; k <= kmax; k++)
                    if (shifted_overlap(b, n, (ptrdiff_t)k * e)) {
                        dt->overlap_k = k;
                        break;
                    }
        }
    }
    free(b);
}
