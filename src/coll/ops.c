/* ops.c - reduction operations: the predefined ops on every type they apply to, user ops,
 * and applying either to vectors.
 *
 * A predefined op on a predefined type is one kernel, out[i] = a[i] op b[i], generated per
 * (op, C type) by the macros below and found in a table indexed by op and type kind. The
 * three-operand form lets algorithms reduce straight from the send buffer into the
 * receive buffer without a copy first. Kernels are plain loops compiled at -O3 so they
 * vectorize; integer arithmetic goes through the unsigned type so overflow wraps instead
 * of being undefined.
 *
 * Which types each op applies to follows the standard's groups (C integer, Fortran
 * integer, floating point, logical, complex, byte, and the value/index pairs for
 * MINLOC/MAXLOC); like MPICH we also accept MPI_CHAR as a C integer. MPI_REPLACE and
 * MPI_NO_OP have kernels for RMA but are refused in collectives (MPI_ERR_OP).
 */
#if defined(__GNUC__) && !defined(__clang__) && !defined(__OPTIMIZE_SIZE__)
#pragma GCC optimize("O3")
#endif

#include <complex.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "coll/coll.h"

/* ---- type kinds ------------------------------------------------------------------------ */

enum tkind {
    TK_NONE, TK_I8, TK_U8, TK_I16, TK_U16, TK_I32, TK_U32, TK_I64, TK_U64, TK_I128,
    TK_F16, TK_F32, TK_F64, TK_FLD, TK_F128,
    TK_C16, TK_C32, TK_C64, TK_CLD, TK_C128,
    TK_BOOL, TK_L8, TK_L16, TK_L32, TK_L64, TK_L128,
    TK_FLOAT_INT, TK_DOUBLE_INT, TK_LONG_INT, TK_2INT, TK_SHORT_INT, TK_LDOUBLE_INT,
    TK_2FLOAT, TK_2DOUBLE,
    TK_COUNT
};

/* Groups of the standard's table (which ops apply). */
enum {
    G_CINT = 1, G_FINT = 2, G_FLOAT = 4, G_LOGICAL = 8, G_COMPLEX = 16, G_BYTE = 32,
    G_PAIR = 64
};

struct tinfo {
    uint8_t kind, group;
};

static const struct {
    MPI_Datatype handle;
    struct tinfo info;
} type_table[] = {
    {MPI_CHAR, {TK_I8, G_CINT}}, {MPI_SIGNED_CHAR, {TK_I8, G_CINT}},
    {MPI_INT8_T, {TK_I8, G_CINT}}, {MPI_UNSIGNED_CHAR, {TK_U8, G_CINT}},
    {MPI_UINT8_T, {TK_U8, G_CINT}}, {MPI_BYTE, {TK_U8, G_BYTE}},
    {MPI_SHORT, {TK_I16, G_CINT}}, {MPI_INT16_T, {TK_I16, G_CINT}},
    {MPI_UNSIGNED_SHORT, {TK_U16, G_CINT}}, {MPI_UINT16_T, {TK_U16, G_CINT}},
    {MPI_INT, {TK_I32, G_CINT}}, {MPI_INT32_T, {TK_I32, G_CINT}},
    {MPI_UNSIGNED, {TK_U32, G_CINT}}, {MPI_UINT32_T, {TK_U32, G_CINT}},
    {MPI_LONG, {sizeof(long) == 8 ? TK_I64 : TK_I32, G_CINT}},
    {MPI_UNSIGNED_LONG, {sizeof(long) == 8 ? TK_U64 : TK_U32, G_CINT}},
    {MPI_LONG_LONG, {TK_I64, G_CINT}}, {MPI_INT64_T, {TK_I64, G_CINT}},
    {MPI_UNSIGNED_LONG_LONG, {TK_U64, G_CINT}}, {MPI_UINT64_T, {TK_U64, G_CINT}},
    {MPI_INTEGER1, {TK_I8, G_FINT}}, {MPI_INTEGER2, {TK_I16, G_FINT}},
    {MPI_INTEGER, {TK_I32, G_FINT}}, {MPI_INTEGER4, {TK_I32, G_FINT}},
    {MPI_INTEGER8, {TK_I64, G_FINT}},
#ifdef __SIZEOF_INT128__
    {MPI_INTEGER16, {TK_I128, G_FINT}}, {MPI_LOGICAL16, {TK_L128, G_LOGICAL}},
#endif
    {MPI_AINT, {TK_I64, G_FINT}}, {MPI_OFFSET, {TK_I64, G_FINT}},
    {MPI_COUNT, {TK_I64, G_FINT}},
#ifdef __FLT16_MAX__
    {MPI_REAL2, {TK_F16, G_FLOAT}}, {MPI_COMPLEX4, {TK_C16, G_COMPLEX}},
#endif
    {MPI_FLOAT, {TK_F32, G_FLOAT}}, {MPI_REAL, {TK_F32, G_FLOAT}},
    {MPI_REAL4, {TK_F32, G_FLOAT}}, {MPI_DOUBLE, {TK_F64, G_FLOAT}},
    {MPI_DOUBLE_PRECISION, {TK_F64, G_FLOAT}}, {MPI_REAL8, {TK_F64, G_FLOAT}},
    {MPI_LONG_DOUBLE, {TK_FLD, G_FLOAT}},
#ifdef __FLT128_MAX__
    {MPI_REAL16, {TK_F128, G_FLOAT}}, {MPI_COMPLEX32, {TK_C128, G_COMPLEX}},
#endif
    {MPI_C_FLOAT_COMPLEX, {TK_C32, G_COMPLEX}}, {MPI_CXX_FLOAT_COMPLEX, {TK_C32, G_COMPLEX}},
    {MPI_COMPLEX, {TK_C32, G_COMPLEX}}, {MPI_COMPLEX8, {TK_C32, G_COMPLEX}},
    {MPI_C_DOUBLE_COMPLEX, {TK_C64, G_COMPLEX}}, {MPI_CXX_DOUBLE_COMPLEX, {TK_C64, G_COMPLEX}},
    {MPI_DOUBLE_COMPLEX, {TK_C64, G_COMPLEX}}, {MPI_COMPLEX16, {TK_C64, G_COMPLEX}},
    {MPI_C_LONG_DOUBLE_COMPLEX, {TK_CLD, G_COMPLEX}},
    {MPI_CXX_LONG_DOUBLE_COMPLEX, {TK_CLD, G_COMPLEX}},
    {MPI_C_BOOL, {TK_BOOL, G_LOGICAL}}, {MPI_CXX_BOOL, {TK_BOOL, G_LOGICAL}},
    {MPI_LOGICAL1, {TK_L8, G_LOGICAL}}, {MPI_LOGICAL2, {TK_L16, G_LOGICAL}},
    {MPI_LOGICAL, {TK_L32, G_LOGICAL}}, {MPI_LOGICAL4, {TK_L32, G_LOGICAL}},
    {MPI_LOGICAL8, {TK_L64, G_LOGICAL}},
    {MPI_FLOAT_INT, {TK_FLOAT_INT, G_PAIR}}, {MPI_DOUBLE_INT, {TK_DOUBLE_INT, G_PAIR}},
    {MPI_LONG_INT, {TK_LONG_INT, G_PAIR}}, {MPI_2INT, {TK_2INT, G_PAIR}},
    {MPI_2INTEGER, {TK_2INT, G_PAIR}}, {MPI_SHORT_INT, {TK_SHORT_INT, G_PAIR}},
    {MPI_LONG_DOUBLE_INT, {TK_LDOUBLE_INT, G_PAIR}}, {MPI_2REAL, {TK_2FLOAT, G_PAIR}},
    {MPI_2DOUBLE_PRECISION, {TK_2DOUBLE, G_PAIR}},
};

/* Predefined datatype handles are 0x2xx: indexed by their low byte (filled in
 * ops_tables_init, before main: the API layer reads it without the library lock). */
static struct tinfo type_infos[256];

static struct tinfo type_info(const struct lm_datatype *t)
{
    if (!t->predefined)
        return (struct tinfo){TK_NONE, 0};
    return type_infos[(uintptr_t)t->handle & 0xff];
}

/* ---- predefined ops -------------------------------------------------------------------- */

enum {
    OP_SUM, OP_MIN, OP_MAX, OP_PROD, OP_BAND, OP_BOR, OP_BXOR, OP_LAND, OP_LOR, OP_LXOR,
    OP_MINLOC, OP_MAXLOC, OP_REPLACE, OP_NO_OP, OP_COUNT
};

/* Which groups each op accepts (MPI 4.1 section 6.9.2). */
static const uint8_t op_groups[OP_COUNT] = {
    [OP_SUM] = G_CINT | G_FINT | G_FLOAT | G_COMPLEX,
    [OP_PROD] = G_CINT | G_FINT | G_FLOAT | G_COMPLEX,
    [OP_MIN] = G_CINT | G_FINT | G_FLOAT,
    [OP_MAX] = G_CINT | G_FINT | G_FLOAT,
    [OP_LAND] = G_CINT | G_LOGICAL,
    [OP_LOR] = G_CINT | G_LOGICAL,
    [OP_LXOR] = G_CINT | G_LOGICAL,
    [OP_BAND] = G_CINT | G_FINT | G_BYTE,
    [OP_BOR] = G_CINT | G_FINT | G_BYTE,
    [OP_BXOR] = G_CINT | G_FINT | G_BYTE,
    [OP_MINLOC] = G_PAIR,
    [OP_MAXLOC] = G_PAIR,
};

static struct lm_op builtin_ops[OP_COUNT];

static const struct {
    MPI_Op handle;
    const char *name;
} op_names[OP_COUNT] = {
    [OP_SUM] = {MPI_SUM, "MPI_SUM"}, [OP_MIN] = {MPI_MIN, "MPI_MIN"},
    [OP_MAX] = {MPI_MAX, "MPI_MAX"}, [OP_PROD] = {MPI_PROD, "MPI_PROD"},
    [OP_BAND] = {MPI_BAND, "MPI_BAND"}, [OP_BOR] = {MPI_BOR, "MPI_BOR"},
    [OP_BXOR] = {MPI_BXOR, "MPI_BXOR"}, [OP_LAND] = {MPI_LAND, "MPI_LAND"},
    [OP_LOR] = {MPI_LOR, "MPI_LOR"}, [OP_LXOR] = {MPI_LXOR, "MPI_LXOR"},
    [OP_MINLOC] = {MPI_MINLOC, "MPI_MINLOC"}, [OP_MAXLOC] = {MPI_MAXLOC, "MPI_MAXLOC"},
    [OP_REPLACE] = {MPI_REPLACE, "MPI_REPLACE"}, [OP_NO_OP] = {MPI_NO_OP, "MPI_NO_OP"},
};

/* predefined op handles are small constants (0x20..0x3f): one table lookup */
static int8_t op_slot[64];

__attribute__((constructor)) static void ops_tables_init(void)
{
    for (size_t i = 0; i < sizeof type_table / sizeof type_table[0]; i++)
        type_infos[(uintptr_t)type_table[i].handle & 0xff] = type_table[i].info;
    memset(op_slot, -1, sizeof op_slot);
    for (int i = 0; i < OP_COUNT; i++) {
        struct lm_op *op = &builtin_ops[i];
        op_slot[(uintptr_t)op_names[i].handle & 63] = (int8_t)i;
        op->refcount = 1;
        op->predefined = true;
        op->commutative = i != OP_REPLACE && i != OP_NO_OP;
        op->code = i;
        op->handle = op_names[i].handle;
        op->name = op_names[i].name;
        op->magic = LM_MAGIC_OP;
    }
}

struct lm_op *lm_op_builtin(MPI_Op handle)
{
    uintptr_t v = (uintptr_t)handle;
    int idx = v >= 0x20 && v < 0x60 ? op_slot[v & 63] : -1;
    if (idx < 0 || op_names[idx].handle != handle)
        return NULL;
    return &builtin_ops[idx];
}

/* ---- kernels --------------------------------------------------------------------------- */

typedef void (*kernel_fn)(const void *a, const void *b, void *out, size_t n);

#define KERNEL(name, T, EXPR)                                                                 \
    static void name(const void *a_, const void *b_, void *o_, size_t n)                      \
    {                                                                                         \
        const T *pa = a_, *pb = b_;                                                           \
        T *po = o_;                                                                           \
        for (size_t i = 0; i < n; i++) {                                                      \
            T x = pa[i], y = pb[i];                                                           \
            po[i] = (EXPR);                                                                   \
        }                                                                                     \
    }

/* integers: arithmetic through the unsigned type U so overflow wraps */
#define INT_KERNELS(S, T, U)                                                                  \
    KERNEL(sum_##S, T, (T)((U)x + (U)y))                                                      \
    KERNEL(prod_##S, T, (T)((U)x * (U)y))                                                     \
    KERNEL(max_##S, T, x > y ? x : y)                                                         \
    KERNEL(min_##S, T, x < y ? x : y)                                                         \
    KERNEL(land_##S, T, (T)((x != 0) & (y != 0)))                                             \
    KERNEL(lor_##S, T, (T)((x != 0) | (y != 0)))                                              \
    KERNEL(lxor_##S, T, (T)((x != 0) ^ (y != 0)))                                             \
    KERNEL(band_##S, T, (T)(x & y))                                                           \
    KERNEL(bor_##S, T, (T)(x | y))                                                            \
    KERNEL(bxor_##S, T, (T)(x ^ y))

#define FLOAT_KERNELS(S, T)                                                                   \
    KERNEL(sum_##S, T, x + y)                                                                 \
    KERNEL(prod_##S, T, x * y)                                                                \
    KERNEL(max_##S, T, x > y ? x : y)                                                         \
    KERNEL(min_##S, T, x < y ? x : y)

#define COMPLEX_KERNELS(S, T)                                                                 \
    KERNEL(sum_##S, T, x + y)                                                                 \
    KERNEL(prod_##S, T, x * y)

#define LOGICAL_KERNELS(S, T)                                                                 \
    KERNEL(land_##S, T, (T)((x != 0) & (y != 0)))                                             \
    KERNEL(lor_##S, T, (T)((x != 0) | (y != 0)))                                              \
    KERNEL(lxor_##S, T, (T)((x != 0) ^ (y != 0)))

INT_KERNELS(i8, int8_t, uint8_t)
INT_KERNELS(u8, uint8_t, uint8_t)
INT_KERNELS(i16, int16_t, uint16_t)
INT_KERNELS(u16, uint16_t, uint16_t)
INT_KERNELS(i32, int32_t, uint32_t)
INT_KERNELS(u32, uint32_t, uint32_t)
INT_KERNELS(i64, int64_t, uint64_t)
INT_KERNELS(u64, uint64_t, uint64_t)
#ifdef __SIZEOF_INT128__
INT_KERNELS(i128, __int128, unsigned __int128)
LOGICAL_KERNELS(l128, __int128)
#endif
#ifdef __FLT16_MAX__
FLOAT_KERNELS(f16, _Float16)
COMPLEX_KERNELS(c16, _Complex _Float16)
#endif
FLOAT_KERNELS(f32, float)
FLOAT_KERNELS(f64, double)
FLOAT_KERNELS(fld, long double)
#ifdef __FLT128_MAX__
FLOAT_KERNELS(f128, _Float128)
COMPLEX_KERNELS(c128, _Complex _Float128)
#endif
COMPLEX_KERNELS(c32, float complex)
COMPLEX_KERNELS(c64, double complex)
COMPLEX_KERNELS(cld, long double complex)
LOGICAL_KERNELS(bool, _Bool)
LOGICAL_KERNELS(l8, int8_t)
LOGICAL_KERNELS(l16, int16_t)
LOGICAL_KERNELS(l32, int32_t)
LOGICAL_KERNELS(l64, int64_t)

/* MINLOC / MAXLOC: the smaller (larger) value; on a tie the smaller index. */
#define PAIR_KERNELS(S, V, I)                                                                 \
    struct pair_##S {                                                                         \
        V v;                                                                                  \
        I i;                                                                                  \
    };                                                                                        \
    static void minloc_##S(const void *a_, const void *b_, void *o_, size_t n)                \
    {                                                                                         \
        const struct pair_##S *pa = a_, *pb = b_;                                             \
        struct pair_##S *po = o_;                                                             \
        for (size_t k = 0; k < n; k++) {                                                      \
            struct pair_##S x = pa[k], y = pb[k];                                             \
            if (x.v < y.v || (x.v == y.v && x.i < y.i))                                       \
                po[k] = x;                                                                    \
            else                                                                              \
                po[k] = y;                                                                    \
        }                                                                                     \
    }                                                                                         \
    static void maxloc_##S(const void *a_, const void *b_, void *o_, size_t n)                \
    {                                                                                         \
        const struct pair_##S *pa = a_, *pb = b_;                                             \
        struct pair_##S *po = o_;                                                             \
        for (size_t k = 0; k < n; k++) {                                                      \
            struct pair_##S x = pa[k], y = pb[k];                                             \
            if (x.v > y.v || (x.v == y.v && x.i < y.i))                                       \
                po[k] = x;                                                                    \
            else                                                                              \
                po[k] = y;                                                                    \
        }                                                                                     \
    }

PAIR_KERNELS(float_int, float, int)
PAIR_KERNELS(double_int, double, int)
PAIR_KERNELS(long_int, long, int)
PAIR_KERNELS(2int, int, int)
PAIR_KERNELS(short_int, short, int)
PAIR_KERNELS(ldouble_int, long double, int)
PAIR_KERNELS(2float, float, float)
PAIR_KERNELS(2double, double, double)

#define INT_ROW(K, S)                                                                         \
    [OP_SUM][K] = sum_##S, [OP_PROD][K] = prod_##S, [OP_MAX][K] = max_##S,                    \
    [OP_MIN][K] = min_##S, [OP_LAND][K] = land_##S, [OP_LOR][K] = lor_##S,                    \
    [OP_LXOR][K] = lxor_##S, [OP_BAND][K] = band_##S, [OP_BOR][K] = bor_##S,                  \
    [OP_BXOR][K] = bxor_##S
#define FLOAT_ROW(K, S)                                                                       \
    [OP_SUM][K] = sum_##S, [OP_PROD][K] = prod_##S, [OP_MAX][K] = max_##S,                    \
    [OP_MIN][K] = min_##S
#define COMPLEX_ROW(K, S) [OP_SUM][K] = sum_##S, [OP_PROD][K] = prod_##S
#define LOGICAL_ROW(K, S) [OP_LAND][K] = land_##S, [OP_LOR][K] = lor_##S, [OP_LXOR][K] = lxor_##S
#define PAIR_ROW(K, S) [OP_MINLOC][K] = minloc_##S, [OP_MAXLOC][K] = maxloc_##S

static const kernel_fn kernels[OP_COUNT][TK_COUNT] = {
    INT_ROW(TK_I8, i8), INT_ROW(TK_U8, u8), INT_ROW(TK_I16, i16), INT_ROW(TK_U16, u16),
    INT_ROW(TK_I32, i32), INT_ROW(TK_U32, u32), INT_ROW(TK_I64, i64), INT_ROW(TK_U64, u64),
#ifdef __SIZEOF_INT128__
    INT_ROW(TK_I128, i128), LOGICAL_ROW(TK_L128, l128),
#endif
#ifdef __FLT16_MAX__
    FLOAT_ROW(TK_F16, f16), COMPLEX_ROW(TK_C16, c16),
#endif
    FLOAT_ROW(TK_F32, f32), FLOAT_ROW(TK_F64, f64), FLOAT_ROW(TK_FLD, fld),
#ifdef __FLT128_MAX__
    FLOAT_ROW(TK_F128, f128), COMPLEX_ROW(TK_C128, c128),
#endif
    COMPLEX_ROW(TK_C32, c32), COMPLEX_ROW(TK_C64, c64), COMPLEX_ROW(TK_CLD, cld),
    LOGICAL_ROW(TK_BOOL, bool), LOGICAL_ROW(TK_L8, l8), LOGICAL_ROW(TK_L16, l16),
    LOGICAL_ROW(TK_L32, l32), LOGICAL_ROW(TK_L64, l64),
    PAIR_ROW(TK_FLOAT_INT, float_int), PAIR_ROW(TK_DOUBLE_INT, double_int),
    PAIR_ROW(TK_LONG_INT, long_int), PAIR_ROW(TK_2INT, 2int),
    PAIR_ROW(TK_SHORT_INT, short_int), PAIR_ROW(TK_LDOUBLE_INT, ldouble_int),
    PAIR_ROW(TK_2FLOAT, 2float), PAIR_ROW(TK_2DOUBLE, 2double),
};

/* ---- user ops -------------------------------------------------------------------------- */

int lm_op_create(MPI_User_function *fn, MPI_User_function_c *fn_c, bool commute,
                 struct lm_op **out)
{
    struct lm_op *op = calloc(1, sizeof *op);
    if (!op)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating an op");
    op->magic = LM_MAGIC_OP;
    op->refcount = 1;
    op->commutative = commute;
    op->code = -1;
    op->fn = fn;
    op->fn_c = fn_c;
    op->handle = (MPI_Op)op;
    op->name = "user op";
    *out = op;
    return LM_OK;
}

void lm_op_retain(struct lm_op *op)
{
    if (!op->predefined)
        op->refcount++;
}

void lm_op_release(struct lm_op *op)
{
    if (op->predefined || --op->refcount > 0)
        return;
    op->magic = 0;
    free(op);
}

/* ---- checks and application ------------------------------------------------------------ */

struct lm_datatype *lm_op_work_type(const struct lm_op *op, struct lm_datatype *dt)
{
    if (!op->predefined || dt->predefined)
        return dt;
    return dt->elem;
}

int lm_op_check(const struct lm_op *op, struct lm_datatype *dt)
{
    if (!op->predefined)
        return LM_OK;
    const char *tname = dt->name && *dt->name ? dt->name : "a derived datatype";
    if (op->code == OP_REPLACE || op->code == OP_NO_OP)
        return lm_err_detail(MPI_ERR_OP, "invalid op: %s is only for one-sided accumulate "
                             "operations, not for reductions", op->name);
    struct lm_datatype *w = lm_op_work_type(op, dt);
    if (!w)
        return lm_err_detail(MPI_ERR_OP, "invalid op: %s needs a datatype made of one "
                             "predefined type, but %s mixes several", op->name, tname);
    struct tinfo ti = type_info(w);
    if (ti.kind == TK_NONE || !(op_groups[op->code] & ti.group) || !kernels[op->code][ti.kind])
        return lm_err_detail(MPI_ERR_OP, "invalid op: %s is not defined for %s%s%s",
                             op->name, w->name ? w->name : "this type",
                             w == dt ? "" : " (the element type of ", w == dt ? "" : tname);
    return LM_OK;
}

/* Copy n elements of w from src to dst (user-op results out of place). */
static void copy_w(const void *src, void *dst, size_t n, struct lm_datatype *w)
{
    if (w->contig) {
        memcpy((char *)dst + w->true_lb, (const char *)src + w->true_lb, n * w->size);
        return;
    }
    lm_coll_copy(src, n, w, dst, n, w);
}

static void call_user(const struct lm_op *op, const void *in, void *inout, size_t n,
                      struct lm_datatype *w)
{
    MPI_Datatype h = w->handle;
    if (op->fn_c) {
        MPI_Count len = (MPI_Count)n;
        op->fn_c((void *)in, inout, &len, &h);
        return;
    }
    while (n > 0) {  /* MPI_User_function counts in int: call it per chunk */
        int len = n > INT_MAX ? INT_MAX : (int)n;
        op->fn((void *)in, inout, &len, &h);
        in = (const char *)in + (ptrdiff_t)len * w->extent;
        inout = (char *)inout + (ptrdiff_t)len * w->extent;
        n -= (size_t)len;
    }
}

void lm_op_apply(const struct lm_op *op, const void *a, const void *b, void *out, size_t n,
                 struct lm_datatype *w)
{
    if (n == 0)
        return;
    if (op->predefined) {
        if (op->code == OP_REPLACE) {       /* RMA: the origin's data replaces */
            if (out != a)
                copy_w(a, out, n, w);
            return;
        }
        if (op->code == OP_NO_OP) {
            if (out != b)
                copy_w(b, out, n, w);
            return;
        }
        kernels[op->code][type_info(w).kind](a, b, out, n);
        return;
    }
    /* user functions compute inout = in op inout; they run without the library lock, as
     * they may call MPI (and a binding's trampoline may wait for its own lock, such as
     * Python's GIL, which another thread holds while it calls MPI) */
    const void *in = a;
    if (out == a) {
        in = b;  /* only commutative ops get here (see coll.h): a op b == b op a */
    } else if (out != b) {
        copy_w(b, out, n, w);
    }
    lm_unlock();
    call_user(op, in, out, n, w);
    lm_lock();
}

/* The body of lm_op_reduce_local; dt and op are pinned by the caller. */
static int reduce_local(const void *inbuf, void *inoutbuf, size_t count, struct lm_datatype *dt,
                        struct lm_op *op)
{
    struct lm_datatype *w = lm_op_work_type(op, dt);
    if (w == dt) {
        lm_op_apply(op, inbuf, inoutbuf, inoutbuf, count, w);
        return LM_OK;
    }
    size_t n = count * (dt->size / w->size), bytes = count * dt->size;
    const char *ib = lm_dt_contig_base(dt, inbuf, count);
    char *ob = (char *)lm_dt_contig_base(dt, inoutbuf, count);
    if (ib && ob && w->contig) {
        lm_op_apply(op, ib, ob, ob, n, w);
        return LM_OK;
    }
    char *tmp = malloc(2 * bytes);
    if (!tmp)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory: %zu bytes for a reduction",
                             2 * bytes);
    lm_dt_pack(dt, inbuf, count, 0, tmp, bytes);
    lm_dt_pack(dt, inoutbuf, count, 0, tmp + bytes, bytes);
    lm_op_apply(op, tmp, tmp + bytes, tmp + bytes, n, w);
    lm_dt_unpack(dt, inoutbuf, count, 0, tmp + bytes, bytes);
    free(tmp);
    return LM_OK;
}

int lm_op_reduce_local(const void *inbuf, void *inoutbuf, size_t count, struct lm_datatype *dt,
                       struct lm_op *op)
{
    if (count == 0 || dt->size == 0)
        return LM_OK;
    if (op->predefined)
        return reduce_local(inbuf, inoutbuf, count, dt, op);
    /* The user function runs unlocked: another thread may free the op or the type meanwhile
     * (MPI_Op_free, MPI_Type_free), which must not pull them from under it. */
    lm_op_retain(op);
    lm_dt_retain(dt);
    int rc = reduce_local(inbuf, inoutbuf, count, dt, op);
    lm_dt_release(dt);
    lm_op_release(op);
    return rc;
}
