/* datatype.c - predefined types, the constructors this milestone needs, commit and
 * resumable pack/unpack.
 *
 * Every constructor goes through one builder (build_hindexed): a list of byte
 * displacements, each repeating the old type `blocklen` times. Blocks of the new element are
 * the old type's blocks shifted accordingly, merged when they touch, so a vector of
 * contiguous rows becomes one block per row and a contiguous of contiguous stays one block.
 */
#include "datatype/datatype.h"

#include <complex.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/core.h"

/* ---- predefined types ---------------------------------------------------------------- */

#define LM_DT_NBUILTIN 256
static struct lm_datatype builtin[LM_DT_NBUILTIN];
static struct lm_dt_block builtin_block[LM_DT_NBUILTIN];
static struct lm_dt_block pair_blocks[LM_DT_NBUILTIN][2];

struct builtin_desc {
    int code;            /* handle value */
    const char *name;
    size_t size;
    size_t second_off;   /* pair types: offset of the int; 0 otherwise */
    size_t second_size;
    size_t extent;       /* pair types only */
};

#define PAIR(code, name, a, b) \
    { code, name, sizeof(a), offsetof(struct { a x; b y; }, y), sizeof(b), \
      sizeof(struct { a x; b y; }) }

static const struct builtin_desc builtin_descs[] = {
    {0x201, "MPI_AINT", sizeof(MPI_Aint), 0, 0, 0},
    {0x202, "MPI_COUNT", sizeof(MPI_Count), 0, 0, 0},
    {0x203, "MPI_OFFSET", sizeof(MPI_Offset), 0, 0, 0},
    {0x207, "MPI_PACKED", 1, 0, 0, 0},
    {0x208, "MPI_SHORT", sizeof(short), 0, 0, 0},
    {0x209, "MPI_INT", sizeof(int), 0, 0, 0},
    {0x20a, "MPI_LONG", sizeof(long), 0, 0, 0},
    {0x20b, "MPI_LONG_LONG", sizeof(long long), 0, 0, 0},
    {0x20c, "MPI_UNSIGNED_SHORT", sizeof(unsigned short), 0, 0, 0},
    {0x20d, "MPI_UNSIGNED", sizeof(unsigned), 0, 0, 0},
    {0x20e, "MPI_UNSIGNED_LONG", sizeof(unsigned long), 0, 0, 0},
    {0x20f, "MPI_UNSIGNED_LONG_LONG", sizeof(unsigned long long), 0, 0, 0},
    {0x210, "MPI_FLOAT", sizeof(float), 0, 0, 0},
    {0x212, "MPI_C_FLOAT_COMPLEX", sizeof(float complex), 0, 0, 0},
    {0x213, "MPI_CXX_FLOAT_COMPLEX", sizeof(float complex), 0, 0, 0},
    {0x214, "MPI_DOUBLE", sizeof(double), 0, 0, 0},
    {0x216, "MPI_C_DOUBLE_COMPLEX", sizeof(double complex), 0, 0, 0},
    {0x217, "MPI_CXX_DOUBLE_COMPLEX", sizeof(double complex), 0, 0, 0},
    {0x218, "MPI_LOGICAL", 4, 0, 0, 0},
    {0x219, "MPI_INTEGER", 4, 0, 0, 0},
    {0x21a, "MPI_REAL", 4, 0, 0, 0},
    {0x21b, "MPI_COMPLEX", 8, 0, 0, 0},
    {0x21c, "MPI_DOUBLE_PRECISION", 8, 0, 0, 0},
    {0x21d, "MPI_DOUBLE_COMPLEX", 16, 0, 0, 0},
    {0x21e, "MPI_CHARACTER", 1, 0, 0, 0},
    {0x220, "MPI_LONG_DOUBLE", sizeof(long double), 0, 0, 0},
    {0x224, "MPI_C_LONG_DOUBLE_COMPLEX", sizeof(long double complex), 0, 0, 0},
    {0x225, "MPI_CXX_LONG_DOUBLE_COMPLEX", sizeof(long double complex), 0, 0, 0},
    PAIR(0x228, "MPI_FLOAT_INT", float, int),
    PAIR(0x229, "MPI_DOUBLE_INT", double, int),
    PAIR(0x22a, "MPI_LONG_INT", long, int),
    PAIR(0x22b, "MPI_2INT", int, int),
    PAIR(0x22c, "MPI_SHORT_INT", short, int),
    PAIR(0x22d, "MPI_LONG_DOUBLE_INT", long double, int),
    PAIR(0x230, "MPI_2REAL", float, float),
    PAIR(0x231, "MPI_2DOUBLE_PRECISION", double, double),
    PAIR(0x232, "MPI_2INTEGER", int, int),
    {0x238, "MPI_C_BOOL", sizeof(_Bool), 0, 0, 0},
    {0x239, "MPI_CXX_BOOL", 1, 0, 0, 0},
    {0x23c, "MPI_WCHAR", sizeof(wchar_t), 0, 0, 0},
    /* fixed-size types: size is encoded in the handle (bits 3-5 = log2 size) */
    {0x240, "MPI_INT8_T", 0, 0, 0, 0},
    {0x241, "MPI_UINT8_T", 0, 0, 0, 0},
    {0x243, "MPI_CHAR", 0, 0, 0, 0},
    {0x244, "MPI_SIGNED_CHAR", 0, 0, 0, 0},
    {0x245, "MPI_UNSIGNED_CHAR", 0, 0, 0, 0},
    {0x247, "MPI_BYTE", 0, 0, 0, 0},
    {0x248, "MPI_INT16_T", 0, 0, 0, 0},
    {0x249, "MPI_UINT16_T", 0, 0, 0, 0},
    {0x250, "MPI_INT32_T", 0, 0, 0, 0},
    {0x251, "MPI_UINT32_T", 0, 0, 0, 0},
    {0x258, "MPI_INT64_T", 0, 0, 0, 0},
    {0x259, "MPI_UINT64_T", 0, 0, 0, 0},
    {0x2c0, "MPI_LOGICAL1", 0, 0, 0, 0},
    {0x2c1, "MPI_INTEGER1", 0, 0, 0, 0},
    {0x2c8, "MPI_LOGICAL2", 0, 0, 0, 0},
    {0x2c9, "MPI_INTEGER2", 0, 0, 0, 0},
    {0x2ca, "MPI_REAL2", 0, 0, 0, 0},
    {0x2d0, "MPI_LOGICAL4", 0, 0, 0, 0},
    {0x2d1, "MPI_INTEGER4", 0, 0, 0, 0},
    {0x2d2, "MPI_REAL4", 0, 0, 0, 0},
    {0x2d3, "MPI_COMPLEX4", 0, 0, 0, 0},
    {0x2d8, "MPI_LOGICAL8", 0, 0, 0, 0},
    {0x2d9, "MPI_INTEGER8", 0, 0, 0, 0},
    {0x2da, "MPI_REAL8", 0, 0, 0, 0},
    {0x2db, "MPI_COMPLEX8", 0, 0, 0, 0},
    {0x2e0, "MPI_LOGICAL16", 0, 0, 0, 0},
    {0x2e1, "MPI_INTEGER16", 0, 0, 0, 0},
    {0x2e2, "MPI_REAL16", 0, 0, 0, 0},
    {0x2e3, "MPI_COMPLEX16", 0, 0, 0, 0},
    {0x2eb, "MPI_COMPLEX32", 0, 0, 0, 0},
};

void lm_dt_builtins_init(void)
{
    for (size_t i = 0; i < sizeof builtin_descs / sizeof builtin_descs[0]; i++) {
        const struct builtin_desc *d = &builtin_descs[i];
        int idx = d->code & 0xff;
        struct lm_datatype *t = &builtin[idx];
        size_t size = d->size;
        if (d->code >= 0x240)
            size = (size_t)1 << ((d->code >> 3) & 7);
        if (d->code == 0x2d3 || d->code == 0x2db || d->code == 0x2e3 || d->code == 0x2eb)
            size = (size_t)1 << ((d->code >> 3) & 7); /* COMPLEXn: n is the total size */
        t->magic = LM_MAGIC_TYPE;
        t->refcount = 1;
        t->predefined = true;
        t->committed = true;
        t->handle = (MPI_Datatype)(intptr_t)d->code;
        t->name = d->name;
        t->combiner = MPI_COMBINER_NAMED;
        t->lb = t->true_lb = 0;
        if (d->second_size) {
            /* value/index pair: two blocks, maybe with a hole between them */
            pair_blocks[idx][0] = (struct lm_dt_block){0, size};
            pair_blocks[idx][1] = (struct lm_dt_block){(ptrdiff_t)d->second_off, d->second_size};
            t->blocks = pair_blocks[idx];
            t->nblocks = 2;
            t->size = size + d->second_size;
            t->extent = (ptrdiff_t)d->extent;
            t->true_extent = (ptrdiff_t)(d->second_off + d->second_size);
            if (d->second_off == size && t->extent == (ptrdiff_t)t->size) {
                pair_blocks[idx][0].len = t->size;
                t->nblocks = 1;
            }
            t->contig = t->nblocks == 1;
            t->elem = NULL;
            t->nelems = 2;
        } else {
            builtin_block[idx] = (struct lm_dt_block){0, size};
            t->blocks = &builtin_block[idx];
            t->nblocks = 1;
            t->size = size;
            t->extent = t->true_extent = (ptrdiff_t)size;
            t->contig = true;
            t->elem = t;
            t->nelems = 1;
        }
    }
}

struct lm_datatype *lm_dt_builtin(MPI_Datatype handle)
{
    uintptr_t v = (uintptr_t)handle;
    if (v <= 0x200 || v > 0x2ff)
        return NULL;
    struct lm_datatype *t = &builtin[v & 0xff];
    return t->magic == LM_MAGIC_TYPE ? t : NULL;
}

/* ---- constructors ---------------------------------------------------------------------- */

/* n entries: entry i places blocklens[i] copies of old at byte displacement displs[i]. */
static int build_hindexed(size_t n, const size_t *blocklens, const ptrdiff_t *displs,
                          struct lm_datatype *old, int combiner, struct lm_datatype **out)
{
    size_t nblocks = 0;
    for (size_t i = 0; i < n; i++)
        nblocks += blocklens[i] * (size_t)old->nblocks;

    struct lm_datatype *t = calloc(1, sizeof *t);
    if (!t)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating a datatype");
    t->blocks = malloc((nblocks ? nblocks : 1) * sizeof *t->blocks);
    if (!t->blocks) {
        free(t);
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory: datatype with %zu blocks", nblocks);
    }
    t->magic = LM_MAGIC_TYPE;
    t->refcount = 1;
    t->combiner = combiner;
    t->handle = (MPI_Datatype)t;

    bool have_bounds = false;
    ptrdiff_t lb = 0, ub = 0, tlb = 0, tub = 0;
    size_t nb = 0, size = 0;
    for (size_t i = 0; i < n; i++) {
        if (blocklens[i] == 0)
            continue;
        for (size_t j = 0; j < blocklens[i]; j++) {
            ptrdiff_t base = displs[i] + (ptrdiff_t)j * old->extent;
            for (int k = 0; k < old->nblocks; k++) {
                ptrdiff_t off = base + old->blocks[k].off;
                size_t len = old->blocks[k].len;
                if (len == 0)
                    continue;
                if (nb > 0 && t->blocks[nb - 1].off + (ptrdiff_t)t->blocks[nb - 1].len == off)
                    t->blocks[nb - 1].len += len;
                else
                    t->blocks[nb++] = (struct lm_dt_block){off, len};
            }
        }
        ptrdiff_t first = displs[i], last = displs[i] + (ptrdiff_t)(blocklens[i] - 1) * old->extent;
        ptrdiff_t lo = first < last ? first : last, hi = first < last ? last : first;
        ptrdiff_t blb = lo + old->lb, bub = hi + old->lb + old->extent;
        ptrdiff_t btlb = lo + old->true_lb, btub = hi + old->true_lb + old->true_extent;
        if (!have_bounds) {
            lb = blb; ub = bub; tlb = btlb; tub = btub;
            have_bounds = true;
        } else {
            if (blb < lb) lb = blb;
            if (bub > ub) ub = bub;
            if (btlb < tlb) tlb = btlb;
            if (btub > tub) tub = btub;
        }
        size += blocklens[i] * old->size;
    }
    t->nblocks = (int)nb;
    t->size = size;
    t->lb = lb;
    t->extent = ub - lb;
    t->true_lb = tlb;
    t->true_extent = tub - tlb;
    t->contig = nb <= 1 && (ptrdiff_t)size == t->extent &&
                (nb == 0 || t->blocks[0].off == t->true_lb);
    if (nb == 0)
        t->true_lb = t->lb;
    t->elem = old->elem;
    t->nelems = 0;
    for (size_t i = 0; i < n; i++)
        t->nelems += blocklens[i] * old->nelems;
    *out = t;
    return LM_OK;
}

int lm_dt_contiguous(size_t count, struct lm_datatype *old, struct lm_datatype **out)
{
    ptrdiff_t displ = 0;
    return build_hindexed(1, &count, &displ, old, MPI_COMBINER_CONTIGUOUS, out);
}

int lm_dt_vector(size_t count, size_t blocklen, ptrdiff_t stride, struct lm_datatype *old,
                 struct lm_datatype **out)
{
    size_t *lens = malloc((count ? count : 1) * sizeof *lens);
    ptrdiff_t *displs = malloc((count ? count : 1) * sizeof *displs);
    if (!lens || !displs) {
        free(lens);
        free(displs);
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating a vector type");
    }
    for (size_t i = 0; i < count; i++) {
        lens[i] = blocklen;
        displs[i] = (ptrdiff_t)i * stride * old->extent;
    }
    int rc = build_hindexed(count, lens, displs, old, MPI_COMBINER_VECTOR, out);
    free(lens);
    free(displs);
    return rc;
}

int lm_dt_commit(struct lm_datatype *dt)
{
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
    free(dt->blocks);
    free(dt);
}

/* ---- pack / unpack -------------------------------------------------------------------- */

/* Walk the packed stream [offset, offset+len) and call copy(user, packed, n) per piece. */
#define WALK(dt, buf, count, offset, len, COPY)                                                \
    do {                                                                                       \
        size_t elem_i = (offset) / (dt)->size;                                                 \
        size_t in_elem = (offset) % (dt)->size;                                                \
        int blk = 0;                                                                           \
        while (blk < (dt)->nblocks && in_elem >= (dt)->blocks[blk].len)                        \
            in_elem -= (dt)->blocks[blk++].len;                                                \
        size_t done = 0;                                                                       \
        while (done < (len) && elem_i < (count)) {                                             \
            const struct lm_dt_block *b = &(dt)->blocks[blk];                                  \
            size_t n = b->len - in_elem;                                                       \
            if (n > (len) - done)                                                              \
                n = (len) - done;                                                              \
            char *user = (char *)(buf) + (ptrdiff_t)elem_i * (dt)->extent + b->off +           \
                         (ptrdiff_t)in_elem;                                                   \
            COPY(user, done, n);                                                               \
            done += n;                                                                         \
            in_elem += n;                                                                      \
            if (in_elem == b->len) {                                                           \
                in_elem = 0;                                                                   \
                if (++blk == (dt)->nblocks) {                                                  \
                    blk = 0;                                                                   \
                    elem_i++;                                                                  \
                }                                                                              \
            }                                                                                  \
        }                                                                                      \
    } while (0)

void lm_dt_pack(const struct lm_datatype *dt, const void *buf, size_t count, size_t offset,
                void *out, size_t len)
{
    if (len == 0 || dt->size == 0)
        return;
    const char *base = lm_dt_contig_base(dt, buf, count);
    if (base) {
        memcpy(out, base + offset, len);
        return;
    }
#define PACK_COPY(user, at, n) memcpy((char *)out + (at), (user), (n))
    WALK(dt, buf, count, offset, len, PACK_COPY);
#undef PACK_COPY
}

void lm_dt_unpack(const struct lm_datatype *dt, void *buf, size_t count, size_t offset,
                  const void *in, size_t len)
{
    if (len == 0 || dt->size == 0)
        return;
    const char *base = lm_dt_contig_base(dt, buf, count);
    if (base) {
        memcpy((char *)base + offset, in, len);
        return;
    }
#define UNPACK_COPY(user, at, n) memcpy((user), (const char *)in + (at), (n))
    WALK(dt, buf, count, offset, len, UNPACK_COPY);
#undef UNPACK_COPY
}

ptrdiff_t lm_dt_elements(const struct lm_datatype *dt, size_t bytes)
{
    if (bytes == 0)
        return 0;
    if (dt->elem) {
        size_t es = dt->elem->size;
        return bytes % es ? -1 : (ptrdiff_t)(bytes / es);
    }
    /* Mixed element sizes (value/index pairs and types built from them): whole elements
     * count nelems each; a partial element counts the basic members it fully holds. */
    size_t whole = bytes / dt->size, rem = bytes % dt->size;
    ptrdiff_t n = (ptrdiff_t)(whole * dt->nelems);
    if (rem == 0)
        return n;
    struct lm_datatype *pair = NULL;
    if (dt->predefined)
        pair = (struct lm_datatype *)dt;
    if (!pair || rem != pair->blocks[0].len)
        return -1;
    return n + 1;
}
