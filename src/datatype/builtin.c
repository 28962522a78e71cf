/* builtin.c - the predefined datatypes: a 256-entry table indexed by the low byte of the
 * standard ABI handle, their names, alignments and external32 sizes; MPI_Type_match_size;
 * the cached types MPI_Type_create_f90_* returns.
 *
 * Value/index pair types (MPI_DOUBLE_INT, ...) are predefined but not basic: their layout
 * may have a hole and their signature is the two basic types, as the standard defines them
 * through a struct. Reductions still treat a pair as one element (elem is the pair).
 */
#include <complex.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/core.h"
#include "datatype/dt_internal.h"

#define LM_DT_NBUILTIN 256
static struct lm_datatype builtin[LM_DT_NBUILTIN];
static bool builtins_ready;

struct builtin_desc {
    int code;            /* handle value */
    const char *name;
    size_t size;         /* 0: encoded in the handle (fixed-size types) */
    size_t align;        /* 0: the size */
    uint8_t xkind;       /* external32 conversion */
    uint8_t xunit;       /* native bytes per swapped unit; 0: the size */
    uint8_t xsize;       /* external32 bytes; 0: the size */
    int first, second;   /* pair types: the two basic members */
};

#define PLAIN(code, name, ctype) \
    {code, name, sizeof(ctype), _Alignof(ctype), LM_DTX_SWAP, 0, 0, 0, 0}
#define CPLX(code, name, ctype, part) \
    {code, name, sizeof(ctype), _Alignof(ctype), LM_DTX_SWAP, sizeof(part), 0, 0, 0}
#define FIXED(code, name) {code, name, 0, 0, LM_DTX_SWAP, 0, 0, 0, 0}
#define FCPLX(code, name) {code, name, 0, 0, LM_DTX_SWAP, 0xff, 0, 0, 0}
#define PAIR(code, name, a, b, ca, cb) \
    {code, name, sizeof(struct { a x; b y; }), _Alignof(struct { a x; b y; }), 0, 0, 0, ca, cb}

static const struct builtin_desc builtin_descs[] = {
    PLAIN(0x201, "MPI_AINT", MPI_Aint),
    PLAIN(0x202, "MPI_COUNT", MPI_Count),
    PLAIN(0x203, "MPI_OFFSET", MPI_Offset),
    {0x207, "MPI_PACKED", 1, 1, LM_DTX_SWAP, 0, 0, 0, 0},
    PLAIN(0x208, "MPI_SHORT", short),
    PLAIN(0x209, "MPI_INT", int),
    {0x20a, "MPI_LONG", sizeof(long), _Alignof(long), LM_DTX_SINT, 0, 4, 0, 0},
    PLAIN(0x20b, "MPI_LONG_LONG", long long),
    PLAIN(0x20c, "MPI_UNSIGNED_SHORT", unsigned short),
    PLAIN(0x20d, "MPI_UNSIGNED", unsigned),
    {0x20e, "MPI_UNSIGNED_LONG", sizeof(long), _Alignof(long), LM_DTX_UINT, 0, 4, 0, 0},
    PLAIN(0x20f, "MPI_UNSIGNED_LONG_LONG", unsigned long long),
    PLAIN(0x210, "MPI_FLOAT", float),
    CPLX(0x212, "MPI_C_FLOAT_COMPLEX", float complex, float),
    CPLX(0x213, "MPI_CXX_FLOAT_COMPLEX", float complex, float),
    PLAIN(0x214, "MPI_DOUBLE", double),
    CPLX(0x216, "MPI_C_DOUBLE_COMPLEX", double complex, double),
    CPLX(0x217, "MPI_CXX_DOUBLE_COMPLEX", double complex, double),
    {0x218, "MPI_LOGICAL", 4, 4, LM_DTX_SWAP, 0, 0, 0, 0},
    {0x219, "MPI_INTEGER", 4, 4, LM_DTX_SWAP, 0, 0, 0, 0},
    {0x21a, "MPI_REAL", 4, 4, LM_DTX_SWAP, 0, 0, 0, 0},
    {0x21b, "MPI_COMPLEX", 8, 4, LM_DTX_SWAP, 4, 0, 0, 0},
    {0x21c, "MPI_DOUBLE_PRECISION", 8, 8, LM_DTX_SWAP, 0, 0, 0, 0},
    {0x21d, "MPI_DOUBLE_COMPLEX", 16, 8, LM_DTX_SWAP, 8, 0, 0, 0},
    {0x21e, "MPI_CHARACTER", 1, 1, LM_DTX_SWAP, 0, 0, 0, 0},
    {0x220, "MPI_LONG_DOUBLE", sizeof(long double), _Alignof(long double), LM_DTX_LDOUBLE,
     sizeof(long double), 16, 0, 0},
    {0x224, "MPI_C_LONG_DOUBLE_COMPLEX", sizeof(long double complex),
     _Alignof(long double complex), LM_DTX_LDOUBLE, sizeof(long double), 32, 0, 0},
    {0x225, "MPI_CXX_LONG_DOUBLE_COMPLEX", sizeof(long double complex),
     _Alignof(long double complex), LM_DTX_LDOUBLE, sizeof(long double), 32, 0, 0},
    PAIR(0x228, "MPI_FLOAT_INT", float, int, 0x210, 0x209),
    PAIR(0x229, "MPI_DOUBLE_INT", double, int, 0x214, 0x209),
    PAIR(0x22a, "MPI_LONG_INT", long, int, 0x20a, 0x209),
    PAIR(0x22b, "MPI_2INT", int, int, 0x209, 0x209),
    PAIR(0x22c, "MPI_SHORT_INT", short, int, 0x208, 0x209),
    PAIR(0x22d, "MPI_LONG_DOUBLE_INT", long double, int, 0x220, 0x209),
    PAIR(0x230, "MPI_2REAL", float, float, 0x21a, 0x21a),
    PAIR(0x231, "MPI_2DOUBLE_PRECISION", double, double, 0x21c, 0x21c),
    PAIR(0x232, "MPI_2INTEGER", int, int, 0x219, 0x219),
    PLAIN(0x238, "MPI_C_BOOL", _Bool),
    {0x239, "MPI_CXX_BOOL", 1, 1, LM_DTX_SWAP, 0, 0, 0, 0},
    {0x23c, "MPI_WCHAR", sizeof(wchar_t), _Alignof(wchar_t), LM_DTX_UINT, 0, 2, 0, 0},
    /* fixed-size types: size is encoded in the handle (bits 3-5 = log2 size) */
    FIXED(0x240, "MPI_INT8_T"),
    FIXED(0x241, "MPI_UINT8_T"),
    FIXED(0x243, "MPI_CHAR"),
    FIXED(0x244, "MPI_SIGNED_CHAR"),
    FIXED(0x245, "MPI_UNSIGNED_CHAR"),
    FIXED(0x247, "MPI_BYTE"),
    FIXED(0x248, "MPI_INT16_T"),
    FIXED(0x249, "MPI_UINT16_T"),
    FIXED(0x250, "MPI_INT32_T"),
    FIXED(0x251, "MPI_UINT32_T"),
    FIXED(0x258, "MPI_INT64_T"),
    FIXED(0x259, "MPI_UINT64_T"),
    FIXED(0x2c0, "MPI_LOGICAL1"),
    FIXED(0x2c1, "MPI_INTEGER1"),
    FIXED(0x2c8, "MPI_LOGICAL2"),
    FIXED(0x2c9, "MPI_INTEGER2"),
    FIXED(0x2ca, "MPI_REAL2"),
    FIXED(0x2d0, "MPI_LOGICAL4"),
    FIXED(0x2d1, "MPI_INTEGER4"),
    FIXED(0x2d2, "MPI_REAL4"),
    FCPLX(0x2d3, "MPI_COMPLEX4"),
    FIXED(0x2d8, "MPI_LOGICAL8"),
    FIXED(0x2d9, "MPI_INTEGER8"),
    FIXED(0x2da, "MPI_REAL8"),
    FCPLX(0x2db, "MPI_COMPLEX8"),
    FIXED(0x2e0, "MPI_LOGICAL16"),
    FIXED(0x2e1, "MPI_INTEGER16"),
    FIXED(0x2e2, "MPI_REAL16"),
    FCPLX(0x2e3, "MPI_COMPLEX16"),
    FCPLX(0x2eb, "MPI_COMPLEX32"),
};

#define NDESCS (sizeof builtin_descs / sizeof builtin_descs[0])

static int init_one(const struct builtin_desc *d)
{
    struct lm_datatype *t = &builtin[d->code & 0xff];
    size_t size = d->size ? d->size : (size_t)1 << ((d->code >> 3) & 7);
    t->magic = LM_MAGIC_TYPE;
    t->refcount = 1;
    t->predefined = true;
    t->committed = true;
    t->has_bounds = true;
    t->handle = (MPI_Datatype)(intptr_t)d->code;
    t->name = d->name;
    t->combiner = MPI_COMBINER_NAMED;
    t->size = size;
    t->lb = t->true_lb = 0;
    t->elem = t;
    if (!d->first) {
        /* a basic type: one block, one element */
        bool fcplx = d->xunit == 0xff; /* Fortran COMPLEXn: two reals of n/2 bytes */
        t->align = d->align ? d->align : fcplx ? size / 2 : size;
        t->extent = t->true_extent = (ptrdiff_t)size;
        t->contig = t->one_block = true;
        t->xkind = d->xkind;
        t->xunit = (uint8_t)(fcplx ? size / 2 : d->xunit ? d->xunit : size);
        t->xsize = (uint8_t)(d->xsize ? d->xsize : size);
        t->nelems = 1;
        struct lm_dt_block b = {0, size};
        t->prog = lm_dtn_blocks(&b, 1);
        struct lm_datatype *self = t;
        t->sig = lm_dts_basic(&self, 1);
        return t->prog && t->sig ? LM_OK : MPI_ERR_NO_MEM;
    }
    return LM_OK;
}

static int init_pair(const struct builtin_desc *d)
{
    struct lm_datatype *t = &builtin[d->code & 0xff];
    struct lm_datatype *a = &builtin[d->first & 0xff], *b = &builtin[d->second & 0xff];
    /* members at 0 and at the second's alignment after the first */
    size_t off2 = (a->size + b->align - 1) / b->align * b->align;
    struct lm_dt_block blocks[2] = {{0, a->size}, {(ptrdiff_t)off2, b->size}};
    size_t nb = 2;
    if (off2 == a->size) {
        blocks[0].len += b->size;
        nb = 1;
    }
    t->align = d->align;
    t->extent = (ptrdiff_t)d->size;
    t->true_extent = (ptrdiff_t)(off2 + b->size);
    t->size = a->size + b->size;
    t->one_block = nb == 1;
    t->contig = nb == 1 && t->extent == (ptrdiff_t)t->size;
    t->nelems = 2;
    t->prog = lm_dtn_blocks(blocks, nb);
    struct lm_datatype *members[2] = {a, b};
    t->sig = lm_dts_basic(members, 2);
    return t->prog && t->sig ? LM_OK : MPI_ERR_NO_MEM;
}

void lm_dt_builtins_init(void)
{
    if (builtins_ready)
        return;
    int rc = LM_OK;
    for (size_t i = 0; i < NDESCS; i++)
        if (init_one(&builtin_descs[i]) != LM_OK)
            rc = MPI_ERR_NO_MEM;
    for (size_t i = 0; i < NDESCS; i++)
        if (builtin_descs[i].first && init_pair(&builtin_descs[i]) != LM_OK)
            rc = MPI_ERR_NO_MEM;
    if (rc != LM_OK)
        lm_core_abort(MPI_ERR_NO_MEM, "out of memory setting up the predefined datatypes");
    builtins_ready = true;
}

struct lm_datatype *lm_dt_builtin(MPI_Datatype handle)
{
    uintptr_t v = (uintptr_t)handle;
    if (v <= 0x200 || v > 0x2ff)
        return NULL;
    struct lm_datatype *t = &builtin[v & 0xff];
    return t->magic == LM_MAGIC_TYPE ? t : NULL;
}

/* ---- MPI_Type_match_size ----------------------------------------------------------------- */

struct lm_datatype *lm_dt_match_size(int typeclass, size_t size)
{
    /* Fortran's sized types, as MPI_SIZEOF + MPI_Type_match_size are meant for; the sizes
     * LiteMPI has types for. */
    static const struct { int cls; size_t size; uintptr_t code; } table[] = {
        {MPI_TYPECLASS_INTEGER, 1, 0x2c1}, {MPI_TYPECLASS_INTEGER, 2, 0x2c9},
        {MPI_TYPECLASS_INTEGER, 4, 0x2d1}, {MPI_TYPECLASS_INTEGER, 8, 0x2d9},
        {MPI_TYPECLASS_INTEGER, 16, 0x2e1},
        {MPI_TYPECLASS_REAL, 2, 0x2ca}, {MPI_TYPECLASS_REAL, 4, 0x2d2},
        {MPI_TYPECLASS_REAL, 8, 0x2da}, {MPI_TYPECLASS_REAL, 16, 0x2e2},
        {MPI_TYPECLASS_COMPLEX, 4, 0x2d3}, {MPI_TYPECLASS_COMPLEX, 8, 0x2db},
        {MPI_TYPECLASS_COMPLEX, 16, 0x2e3}, {MPI_TYPECLASS_COMPLEX, 32, 0x2eb},
        {MPIX_TYPECLASS_LOGICAL, 1, 0x2c0}, {MPIX_TYPECLASS_LOGICAL, 2, 0x2c8},
        {MPIX_TYPECLASS_LOGICAL, 4, 0x2d0}, {MPIX_TYPECLASS_LOGICAL, 8, 0x2d8},
        {MPIX_TYPECLASS_LOGICAL, 16, 0x2e0},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].cls == typeclass && table[i].size == size)
            return lm_dt_builtin((MPI_Datatype)table[i].code);
    return NULL;
}

/* ---- MPI_Type_create_f90_* ------------------------------------------------------------- */

/* The types returned are predefined (never freed) copies of a sized Fortran type that
 * remember (combiner, p, r) as their contents; one per distinct argument set, kept for the
 * whole run. */
struct f90_type {
    struct lm_datatype t;
    struct f90_type *next;
};
static struct f90_type *f90_types;

/* gfortran's selected_real_kind / selected_int_kind, restricted to the kinds MPI names. */
static uintptr_t f90_base(int combiner, int p, int r)
{
    if (combiner == MPI_COMBINER_F90_INTEGER) {
        if (r <= 2)
            return 0x2c1;
        if (r <= 4)
            return 0x2c9;
        if (r <= 9)
            return 0x2d1;
        if (r <= 18)
            return 0x2d9;
        if (r <= 38)
            return 0x2e1;
        return 0;
    }
    int pp = p == MPI_UNDEFINED ? 0 : p, rr = r == MPI_UNDEFINED ? 0 : r;
    int kind;
    if (pp <= 6 && rr <= 37)
        kind = 4;
    else if (pp <= 15 && rr <= 307)
        kind = 8;
    else if (pp <= 33 && rr <= 4931)
        kind = 16;
    else
        return 0;
    if (combiner == MPI_COMBINER_F90_REAL)
        return kind == 4 ? 0x2d2 : kind == 8 ? 0x2da : 0x2e2;
    return kind == 4 ? 0x2db : kind == 8 ? 0x2e3 : 0x2eb;
}

int lm_dt_f90(int combiner, int p, int r, struct lm_datatype **out)
{
    int ints[2] = {p, r};
    size_t ni = 2;
    if (combiner == MPI_COMBINER_F90_INTEGER) {
        ints[0] = r;
        ni = 1;
    }
    for (struct f90_type *f = f90_types; f; f = f->next) {
        const struct lm_dt_contents *c = f->t.contents;
        if (f->t.combiner == combiner && c->ni == ni &&
            memcmp(c->ints, ints, ni * sizeof(int)) == 0) {
            *out = &f->t;
            return LM_OK;
        }
    }
    uintptr_t code = f90_base(combiner, p, r);
    if (!code) {
        if (combiner == MPI_COMBINER_F90_INTEGER)
            return lm_err_detail(MPI_ERR_ARG, "no Fortran INTEGER kind has a range of %d "
                                 "decimal digits (at most 38)", r);
        return lm_err_detail(MPI_ERR_ARG, "no Fortran %s kind has precision %d and range %d "
                             "(at most 33 and 4931)",
                             combiner == MPI_COMBINER_F90_REAL ? "REAL" : "COMPLEX", p, r);
    }
    struct lm_datatype *base = lm_dt_builtin((MPI_Datatype)code);
    struct f90_type *f = calloc(1, sizeof *f);
    if (!f)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating a Fortran 90 datatype");
    f->t = *base;
    f->t.handle = (MPI_Datatype)&f->t;
    f->t.name = NULL;
    f->t.user_name = NULL;
    f->t.elem = base;
    f->t.attrs = NULL;
    f->t.contents = NULL;
    int rc = lm_dt_set_contents(&f->t, combiner, false, ni, ints, 0, NULL, 0, NULL, 0, NULL);
    if (rc != LM_OK) {
        free(f);
        return rc;
    }
    lm_dtn_retain(f->t.prog);
    lm_dts_retain(f->t.sig);
    f->next = f90_types;
    f90_types = f;
    *out = &f->t;
    return LM_OK;
}
