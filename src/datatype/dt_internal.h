/* dt_internal.h - shared by the files of src/datatype only: the layout program and the
 * element signature. Other subsystems use datatype.h.
 *
 * Layout program. A node describes the data bytes of one instance, relative to an origin:
 *   BLOCKS  n blocks (off, len), in type-map order, adjacent ones merged;
 *   LIST    n entries, entry i = `count` instances of `child` at disp, disp + stride, ...
 * prefix[i] is the number of data bytes before block/entry i (prefix[n] = size), so a walk
 * can start at any byte with a binary search per level. Nodes are immutable once built and
 * shared between types by reference count.
 *
 * Signature. Entry i = `count` basic elements of one predefined type, or `count` repeats of
 * a child signature; prefix/eprefix give the bytes and basic elements before entry i.
 */
#ifndef LM_DT_INTERNAL_H
#define LM_DT_INTERNAL_H

#include "datatype/datatype.h"

enum { LM_DTN_BLOCKS, LM_DTN_LIST };

struct lm_dt_entry {
    ptrdiff_t disp;
    size_t count;
    ptrdiff_t stride;
    struct lm_dt_node *child;
};

struct lm_dt_node {
    int refcount;
    int kind;
    size_t n;
    size_t size;          /* data bytes of one instance */
    size_t nblk;          /* contiguous blocks when fully expanded (saturates at SIZE_MAX) */
    ptrdiff_t lo, hi;     /* data bytes lie in [lo, hi) from the origin */
    size_t *prefix;       /* n + 1 entries */
    struct lm_dt_block *blocks;   /* BLOCKS */
    struct lm_dt_entry *entries;  /* LIST */
};

/* One input of lm_dtn_build: count instances of node at disp, stride apart; node NULL
 * means a raw run of `count` bytes at disp. */
struct lm_dt_item {
    ptrdiff_t disp;
    size_t count;
    ptrdiff_t stride;
    struct lm_dt_node *node;
};

/* Builds the node for the concatenation of items (the caller keeps its references):
 * *out is NULL when there is no data, *off the origin shift to apply. */
int lm_dtn_build(struct lm_dt_item *items, size_t n, struct lm_dt_node **out, ptrdiff_t *off);
struct lm_dt_node *lm_dtn_blocks(const struct lm_dt_block *blocks, size_t n);
void lm_dtn_retain(struct lm_dt_node *nd);
void lm_dtn_release(struct lm_dt_node *nd);
/* Largest i with prefix[i] <= pos (pos < nd->size). */
size_t lm_dtn_find(const struct lm_dt_node *nd, size_t pos);
/* Appends every block of one instance at base to *blocks (merging adjacent ones), up to
 * limit blocks: returns false when it would exceed the limit or memory runs out. */
bool lm_dtn_expand(const struct lm_dt_node *nd, ptrdiff_t base, struct lm_dt_block **blocks,
                   size_t *n, size_t *cap, size_t limit);
/* Commit-time analysis for lm_dt_check_recv. */
void lm_dtn_analyze_overlap(struct lm_datatype *dt);

struct lm_dt_sigent {
    size_t count;
    struct lm_datatype *basic;   /* a basic predefined type, or NULL ... */
    struct lm_dt_sig *child;     /* ... and then a child signature */
};

struct lm_dt_sig {
    int refcount;
    size_t n;
    size_t size;        /* native bytes of one instance */
    size_t nelems;      /* basic elements of one instance */
    size_t xsize;       /* external32 bytes of one instance */
    size_t *prefix;     /* n + 1: native bytes before entry i */
    size_t *eprefix;    /* n + 1: basic elements before entry i */
    struct lm_dt_sigent *e;
};

/* One input of lm_dts_build: count repeats of sig. */
struct lm_dt_sigitem {
    size_t count;
    struct lm_dt_sig *sig;
};

int lm_dts_build(const struct lm_dt_sigitem *items, size_t n, struct lm_dt_sig **out);
/* Signature of one basic type (n == 1) or of a value/index pair (n == 2). */
struct lm_dt_sig *lm_dts_basic(struct lm_datatype *const *basics, size_t n);
void lm_dts_retain(struct lm_dt_sig *s);
void lm_dts_release(struct lm_dt_sig *s);
/* Calls fn(ctx, basic, n) for every run of basic elements of `count` instances, in order;
 * stops early when fn returns non-zero (and returns that). */
typedef int (*lm_dts_run_fn)(void *ctx, const struct lm_datatype *basic, size_t n);
int lm_dts_walk(const struct lm_dt_sig *s, size_t count, lm_dts_run_fn fn, void *ctx);

#endif
