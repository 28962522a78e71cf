/* build.c - the type constructors, lifetime (retain/release/commit), names and decoding
 * records.
 *
 * Every constructor reduces to lm_dt_create over "parts" (count copies of a type at a
 * displacement, stride apart), which computes the bounds as the standard defines them on
 * the type map (lb/ub markers from resized types win; zero-length blocks contribute
 * nothing), the size, the element type, and builds the layout program and the signature
 * from the parts' own. Vectors are "count copies of (blocklen copies of old)" so they stay
 * one loop however long; subarray and darray are nests of such runs, one per dimension,
 * resized to the full array as the standard specifies.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "datatype/dt_internal.h"

static struct lm_datatype *type_alloc(void)
{
    struct lm_datatype *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->magic = LM_MAGIC_TYPE;
    t->refcount = 1;
    t->handle = (MPI_Datatype)t;
    t->combiner = MPI_COMBINER_NAMED;
    t->align = 1;
    return t;
}

static void set_flags(struct lm_datatype *t)
{
    const struct lm_dt_node *p = t->prog;
    t->one_block = p && p->kind == LM_DTN_BLOCKS && p->n == 1;
    t->contig = t->one_block && t->extent == (ptrdiff_t)t->size;
}

static int too_big(void)
{
    return lm_err_detail(MPI_ERR_COUNT, "datatype too large: its size or bounds overflow the "
                         "address space");
}

int lm_dt_create(const struct lm_dt_part *parts, size_t nparts, bool pad,
                 struct lm_datatype **out)
{
    *out = NULL;
    struct lm_datatype *t = type_alloc();
    struct lm_dt_item *items = malloc((nparts ? nparts : 1) * sizeof *items);
    struct lm_dt_sigitem *sitems = malloc((nparts ? nparts : 1) * sizeof *sitems);
    int rc = LM_OK;
    if (!t || !items || !sitems) {
        rc = lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating a datatype");
        goto done;
    }

    size_t size = 0, nelems = 0, ni = 0, align = 1;
    bool has_bounds = false, has_data = false, markers = false, mixed = false;
    ptrdiff_t lb = 0, ub = 0, tlb = 0, tub = 0;
    /* the element type: common to the parts with data (the first part's when none has) */
    struct lm_datatype *elem = NULL, *elem0 = nparts ? parts[0].type->elem : NULL;
    for (size_t i = 0; i < nparts; i++) {
        const struct lm_dt_part *p = &parts[i];
        struct lm_datatype *T = p->type;
        if (p->count == 0)
            continue;
        size_t psize, pel;
        if (__builtin_mul_overflow(p->count, T->size, &psize) ||
            __builtin_add_overflow(size, psize, &size) ||
            __builtin_mul_overflow(p->count, T->nelems, &pel) ||
            __builtin_add_overflow(nelems, pel, &nelems)) {
            rc = too_big();
            goto done;
        }
        if (T->size > 0) {
            if (!T->elem || (elem && T->elem != elem))
                mixed = true;
            else
                elem = T->elem;
        }
        markers = markers || T->has_markers;
        if (T->align > align)
            align = T->align;
        ptrdiff_t span, last;
        if (__builtin_mul_overflow((ptrdiff_t)(p->count - 1), p->stride, &span) ||
            __builtin_add_overflow(p->disp, span, &last)) {
            rc = too_big();
            goto done;
        }
        ptrdiff_t lo = p->disp < last ? p->disp : last, hi = p->disp < last ? last : p->disp;
        if (T->has_bounds) {
            /* lb/ub markers of every copy: min of the lbs, max of the ubs */
            ptrdiff_t blb = lo + T->lb, bub = hi + T->lb + T->extent;
            if (!has_bounds || blb < lb)
                lb = blb;
            if (!has_bounds || bub > ub)
                ub = bub;
            has_bounds = true;
        }
        if (T->size > 0) {
            ptrdiff_t btlb = lo + T->true_lb, btub = hi + T->true_lb + T->true_extent;
            if (!has_data || btlb < tlb)
                tlb = btlb;
            if (!has_data || btub > tub)
                tub = btub;
            has_data = true;
            items[ni] = (struct lm_dt_item){p->disp + T->prog_off, p->count, p->stride, T->prog};
            sitems[ni] = (struct lm_dt_sigitem){p->count, T->sig};
            ni++;
        }
    }
    if (pad && has_bounds && !markers && align > 1) {
        /* the standard's epsilon: round the extent up to the largest alignment */
        ptrdiff_t ext = ub - lb, a = (ptrdiff_t)align;
        ext = (ext + a - 1) / a * a;
        ub = lb + ext;
    }
    t->size = size;
    t->nelems = nelems;
    t->lb = lb;
    t->extent = ub - lb;
    t->true_lb = tlb;
    t->true_extent = tub - tlb;
    t->has_bounds = has_bounds;
    t->has_markers = markers;
    t->align = align;
    t->elem = mixed ? NULL : elem ? elem : elem0;
    if ((rc = lm_dtn_build(items, ni, &t->prog, &t->prog_off)) != LM_OK ||
        (rc = lm_dts_build(sitems, ni, &t->sig)) != LM_OK)
        goto done;
    set_flags(t);

done:
    free(items);
    free(sitems);
    if (rc != LM_OK) {
        if (t) {
            lm_dtn_release(t->prog);
            lm_dts_release(t->sig);
            free(t);
        }
        return rc;
    }
    *out = t;
    return LM_OK;
}

int lm_dt_contiguous(size_t count, struct lm_datatype *old, struct lm_datatype **out)
{
    struct lm_dt_part p = {0, count, old->extent, old};
    return lm_dt_create(&p, 1, false, out);
}

int lm_dt_hvector(size_t count, size_t blocklen, ptrdiff_t stride, struct lm_datatype *old,
                  struct lm_datatype **out)
{
    if (blocklen == 1 || count == 0 || blocklen == 0) {
        struct lm_dt_part p = {0, blocklen ? count : 0, stride, old};
        return lm_dt_create(&p, 1, false, out);
    }
    /* count copies of (blocklen copies of old): stays a single loop however large */
    struct lm_datatype *block;
    int rc = lm_dt_contiguous(blocklen, old, &block);
    if (rc != LM_OK)
        return rc;
    struct lm_dt_part p = {0, count, stride, block};
    rc = lm_dt_create(&p, 1, false, out);
    lm_dt_release(block);
    return rc;
}

int lm_dt_vector(size_t count, size_t blocklen, ptrdiff_t stride, struct lm_datatype *old,
                 struct lm_datatype **out)
{
    ptrdiff_t bytes;
    if (__builtin_mul_overflow(stride, old->extent, &bytes))
        return too_big();
    return lm_dt_hvector(count, blocklen, bytes, old, out);
}

int lm_dt_hindexed(size_t count, const size_t *blocklens, const ptrdiff_t *displs,
                   struct lm_datatype *old, struct lm_datatype **out)
{
    struct lm_dt_part *parts = malloc((count ? count : 1) * sizeof *parts);
    if (!parts)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating an indexed datatype");
    for (size_t i = 0; i < count; i++)
        parts[i] = (struct lm_dt_part){displs[i], blocklens[i], old->extent, old};
    int rc = count ? lm_dt_create(parts, count, false, out) : lm_dt_contiguous(0, old, out);
    free(parts);
    return rc;
}

int lm_dt_struct(size_t count, const size_t *blocklens, const ptrdiff_t *displs,
                 struct lm_datatype *const *types, struct lm_datatype **out)
{
    struct lm_dt_part *parts = malloc((count ? count : 1) * sizeof *parts);
    if (!parts)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating a struct datatype");
    for (size_t i = 0; i < count; i++)
        parts[i] = (struct lm_dt_part){displs[i], blocklens[i], types[i]->extent, types[i]};
    int rc = lm_dt_create(parts, count, true, out);
    free(parts);
    return rc;
}

/* A new type with old's data (layout and signature shared) and bounds to be set. */
static struct lm_datatype *same_data(struct lm_datatype *old)
{
    struct lm_datatype *t = type_alloc();
    if (!t)
        return NULL;
    t->size = old->size;
    t->true_lb = old->true_lb;
    t->true_extent = old->true_extent;
    t->align = old->align;
    t->prog = old->prog;
    t->prog_off = old->prog_off;
    lm_dtn_retain(t->prog);
    t->sig = old->sig;
    lm_dts_retain(t->sig);
    t->nelems = old->nelems;
    t->elem = old->elem;
    return t;
}

int lm_dt_resized(struct lm_datatype *old, ptrdiff_t lb, ptrdiff_t extent,
                  struct lm_datatype **out)
{
    struct lm_datatype *t = same_data(old);
    if (!t)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating a resized datatype");
    t->lb = lb;
    t->extent = extent;
    t->has_bounds = true;
    t->has_markers = true;
    set_flags(t);
    *out = t;
    return LM_OK;
}

int lm_dt_dup(struct lm_datatype *old, struct lm_datatype **out)
{
    struct lm_datatype *t = same_data(old);
    if (!t)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory duplicating a datatype");
    t->lb = old->lb;
    t->extent = old->extent;
    t->has_bounds = old->has_bounds;
    t->has_markers = old->has_markers;
    t->large = old->large;
    t->committed = old->committed;
    t->overlap_self = old->overlap_self;
    t->overlap_k = old->overlap_k;
    set_flags(t);
    *out = t;
    return LM_OK;
}

/* Replaces *cur by a type made of parts (which may refer to *cur). */
static int step(struct lm_datatype **cur, const struct lm_dt_part *parts, size_t n)
{
    struct lm_datatype *next;
    int rc = lm_dt_create(parts, n, false, &next);
    if (rc != LM_OK)
        return rc;
    lm_dt_release(*cur);
    *cur = next;
    return LM_OK;
}

static int finish_array(struct lm_datatype *cur, ptrdiff_t extent, struct lm_datatype **out)
{
    int rc = lm_dt_resized(cur, 0, extent, out);
    lm_dt_release(cur);
    return rc;
}

int lm_dt_subarray(int ndims, const size_t *sizes, const size_t *subsizes,
                   const size_t *starts, int order, struct lm_datatype *old,
                   struct lm_datatype **out)
{
    struct lm_datatype *cur = old;
    lm_dt_retain(cur);
    ptrdiff_t stride = old->extent; /* bytes between neighbours along dimension d */
    for (int k = 0; k < ndims; k++) {
        int d = order == MPI_ORDER_C ? ndims - 1 - k : k; /* fastest dimension first */
        ptrdiff_t disp;
        if (__builtin_mul_overflow((ptrdiff_t)starts[d], stride, &disp)) {
            lm_dt_release(cur);
            return too_big();
        }
        struct lm_dt_part p = {disp, subsizes[d], stride, cur};
        int rc = step(&cur, &p, 1);
        if (rc == LM_OK && __builtin_mul_overflow(stride, (ptrdiff_t)sizes[d], &stride))
            rc = too_big();
        if (rc != LM_OK) {
            lm_dt_release(cur);
            return rc;
        }
    }
    return finish_array(cur, stride, out);
}

int lm_dt_darray(int size, int rank, int ndims, const size_t *gsizes, const int *distribs,
                 const int *dargs, const int *psizes, int order, struct lm_datatype *old,
                 struct lm_datatype **out)
{
    (void)size;
    /* process coordinates: the grid is row-major whatever the array order */
    int *coords = malloc((size_t)ndims * sizeof *coords);
    if (!coords)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating a darray datatype");
    for (int d = ndims - 1, r = rank; d >= 0; d--) {
        coords[d] = r % psizes[d];
        r /= psizes[d];
    }
    struct lm_datatype *cur = old;
    lm_dt_retain(cur);
    ptrdiff_t stride = old->extent;
    int rc = LM_OK;
    for (int k = 0; k < ndims && rc == LM_OK; k++) {
        int d = order == MPI_ORDER_C ? ndims - 1 - k : k;
        size_t g = gsizes[d], p = (size_t)psizes[d], c = (size_t)coords[d];
        struct lm_dt_part parts[2];
        size_t np = 1;
        if (distribs[d] == MPI_DISTRIBUTE_NONE) {
            parts[0] = (struct lm_dt_part){0, g, stride, cur};
            rc = step(&cur, parts, 1);
        } else if (distribs[d] == MPI_DISTRIBUTE_BLOCK) {
            size_t b = dargs[d] == MPI_DISTRIBUTE_DFLT_DARG ? (g + p - 1) / p : (size_t)dargs[d];
            size_t start = c * b, n = start >= g ? 0 : (g - start < b ? g - start : b);
            parts[0] = (struct lm_dt_part){(ptrdiff_t)start * stride, n, stride, cur};
            rc = step(&cur, parts, 1);
        } else {
            /* cyclic(b): global blocks of b elements dealt round-robin; the last block of
             * the dimension may be short */
            size_t b = dargs[d] == MPI_DISTRIBUTE_DFLT_DARG ? 1 : (size_t)dargs[d];
            size_t nblocks = (g + b - 1) / b;
            size_t mine = nblocks > c ? (nblocks - c - 1) / p + 1 : 0;
            size_t nfull = mine, partial = 0;
            if (mine > 0 && g % b != 0 && (nblocks - 1) % p == c) {
                nfull--;
                partial = g % b;
            }
            struct lm_datatype *block; /* b neighbours along this dimension */
            struct lm_dt_part bp = {0, b, stride, cur};
            rc = lm_dt_create(&bp, 1, false, &block);
            if (rc != LM_OK)
                break;
            parts[0] = (struct lm_dt_part){(ptrdiff_t)(c * b) * stride, nfull,
                                           (ptrdiff_t)(p * b) * stride, block};
            if (partial) {
                parts[1] = (struct lm_dt_part){(ptrdiff_t)((nblocks - 1) * b) * stride, partial,
                                               stride, cur};
                np = 2;
            }
            rc = step(&cur, parts, np);
            lm_dt_release(block);
        }
        if (rc == LM_OK && __builtin_mul_overflow(stride, (ptrdiff_t)g, &stride))
            rc = too_big();
    }
    free(coords);
    if (rc != LM_OK) {
        lm_dt_release(cur);
        return rc;
    }
    return finish_array(cur, stride, out);
}

/* ---- decoding records -------------------------------------------------------------------- */

int lm_dt_set_contents(struct lm_datatype *t, int combiner, bool large, size_t ni,
                       const int *ints, size_t na, const MPI_Aint *aints, size_t nc,
                       const MPI_Count *counts, size_t nd, struct lm_datatype *const *types)
{
    size_t bytes = sizeof(struct lm_dt_contents) + nd * sizeof(struct lm_datatype *) +
                   na * sizeof(MPI_Aint) + nc * sizeof(MPI_Count) + ni * sizeof(int);
    struct lm_dt_contents *c = malloc(bytes);
    if (!c)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory recording a datatype's arguments");
    c->ni = ni;
    c->na = na;
    c->nc = nc;
    c->nd = nd;
    /* pointer-aligned arrays first, ints last */
    c->types = (struct lm_datatype **)(c + 1);
    c->aints = (MPI_Aint *)(c->types + nd);
    c->counts = (MPI_Count *)(c->aints + na);
    c->ints = (int *)(c->counts + nc);
    if (ni)
        memcpy(c->ints, ints, ni * sizeof *ints);
    if (na)
        memcpy(c->aints, aints, na * sizeof *aints);
    if (nc)
        memcpy(c->counts, counts, nc * sizeof *counts);
    for (size_t i = 0; i < nd; i++) {
        c->types[i] = types[i];
        lm_dt_retain(types[i]);
    }
    t->combiner = combiner;
    t->large = large;
    t->contents = c;
    return LM_OK;
}

/* ---- lifetime ---------------------------------------------------------------------------- */

int lm_dt_commit(struct lm_datatype *dt)
{
    if (dt->committed)
        return LM_OK;
    lm_dtn_analyze_overlap(dt);
    dt->committed = true;
    return LM_OK;
}

void lm_dt_retain(struct lm_datatype *dt)
{
    if (!dt->predefined)
        dt->refcount++;
}

void lm_dt_release(struct lm_datatype *dt)
{
    if (dt->predefined || --dt->refcount > 0)
        return;
    lm_attr_list_free(&dt->attrs);   /* normally emptied by MPI_Type_free already */
    dt->magic = 0;
    lm_dtn_release(dt->prog);
    lm_dts_release(dt->sig);
    if (dt->contents) {
        for (size_t i = 0; i < dt->contents->nd; i++)
            lm_dt_release(dt->contents->types[i]);
        free(dt->contents);
    }
    free(dt->user_name);
    free(dt);
}

int lm_dt_check_recv_slow(const struct lm_datatype *dt, size_t count, const char *arg)
{
    if (dt->overlap_self)
        return lm_err_detail(MPI_ERR_TYPE, "invalid datatype: %s writes some bytes more than "
                             "once (overlapping blocks), which a receive buffer must not", arg);
    return lm_err_detail(MPI_ERR_TYPE, "invalid datatype: %zu elements of %s overlap each "
                         "other (its extent %td is smaller than its data span %td), which a "
                         "receive buffer must not", count, arg, dt->extent, dt->true_extent);
}

/* ---- names ------------------------------------------------------------------------------- */

int lm_dt_set_name(struct lm_datatype *dt, const char *name)
{
    size_t len = strnlen(name, MPI_MAX_OBJECT_NAME - 1);
    char *copy = malloc(len + 1);
    if (!copy)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory naming a datatype");
    memcpy(copy, name, len);
    copy[len] = '\0';
    free(dt->user_name);
    dt->user_name = copy;
    return LM_OK;
}

const char *lm_dt_get_name(const struct lm_datatype *dt)
{
    if (dt->user_name)
        return dt->user_name;
    return dt->name ? dt->name : "";
}
