/* external32.c - the portable "external32" representation (MPI_Pack_external, and later
 * the external32 file data representation).
 *
 * external32 is big-endian, two's complement, IEEE 754, with sizes from the standard's
 * table: most types keep their native size here, but MPI_LONG and MPI_UNSIGNED_LONG are 4
 * bytes (only the low bytes travel, sign-extended back: values that fit are exact),
 * MPI_WCHAR is 2, and long double is IEEE binary128 (16 bytes) whatever the native format
 * (x87 80-bit extended here: converted, rounding to nearest on the way back).
 *
 * Conversion runs over the element signature: the data is first packed natively (or read
 * in place when contiguous), then every run of basic elements is converted to or from the
 * output.
 */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "datatype/dt_internal.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LM_BIG_ENDIAN 1
#else
#define LM_BIG_ENDIAN 0
#endif

size_t lm_dt_external_size(const struct lm_datatype *dt)
{
    return dt->sig ? dt->sig->xsize : 0;
}

static void store_be(unsigned char *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
}

static uint64_t load_be(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* A native unsigned integer of n <= 8 bytes. */
static uint64_t load_native(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[LM_BIG_ENDIAN ? n - 1 - i : i] << (8 * i);
    return v;
}

static void store_native(unsigned char *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[LM_BIG_ENDIAN ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

static void swap_units(unsigned char *dst, const unsigned char *src, size_t units, size_t u)
{
    if (LM_BIG_ENDIAN || u == 1) {
        memcpy(dst, src, units * u);
        return;
    }
    switch (u) {
    case 2:
        for (size_t i = 0; i < units; i++) {
            uint16_t v;
            memcpy(&v, src + 2 * i, 2);
            v = __builtin_bswap16(v);
            memcpy(dst + 2 * i, &v, 2);
        }
        return;
    case 4:
        for (size_t i = 0; i < units; i++) {
            uint32_t v;
            memcpy(&v, src + 4 * i, 4);
            v = __builtin_bswap32(v);
            memcpy(dst + 4 * i, &v, 4);
        }
        return;
    case 8:
        for (size_t i = 0; i < units; i++) {
            uint64_t v;
            memcpy(&v, src + 8 * i, 8);
            v = __builtin_bswap64(v);
            memcpy(dst + 8 * i, &v, 8);
        }
        return;
    default:
        for (size_t i = 0; i < units; i++)
            for (size_t j = 0; j < u; j++)
                dst[i * u + j] = src[i * u + u - 1 - j];
    }
}

/* ---- long double <-> binary128 ----------------------------------------------------------- */

#if LDBL_MANT_DIG == 64
/* x87 extended: 64-bit significand with an explicit integer bit, 15-bit exponent (the same
 * bias as binary128), sign; stored little-endian in the low 10 bytes. */
static void ldouble_to_ext(unsigned char *out, const unsigned char *in)
{
    uint64_t m = load_native(in, 8);
    unsigned se = (unsigned)load_native(in + 8, 2);
    uint64_t sign = se >> 15, exp = se & 0x7fff, f = m & 0x7fffffffffffffffULL;
    if (exp == 0 && (m >> 63))
        exp = 1; /* pseudo-denormal: the same value as the smallest normal exponent */
    store_be(out, sign << 63 | exp << 48 | f >> 15, 8);
    store_be(out + 8, f << 49, 8);
}

static void ldouble_from_ext(unsigned char *out, const unsigned char *in)
{
    uint64_t hi = load_be(in, 8), lo = load_be(in + 8, 8);
    uint64_t sign = hi >> 63, exp = (hi >> 48) & 0x7fff, fhi = hi & 0xffffffffffffULL;
    uint64_t f = fhi << 15 | lo >> 49, rest = lo & ((1ULL << 49) - 1);
    if (exp == 0x7fff) {
        if (fhi || lo) /* NaN: keep what fits of the payload, stay a (quiet) NaN */
            f |= 1ULL << 62;
    } else if (rest > (1ULL << 48) || (rest == (1ULL << 48) && (f & 1))) {
        /* round to nearest even; a carry out of the fraction bumps the exponent */
        if (++f >> 63) {
            f = 0;
            exp++;
        }
    }
    uint64_t m = f | (exp != 0 ? 1ULL << 63 : 0);
    memset(out, 0, sizeof(long double));
    store_native(out, m, 8);
    store_native(out + 8, sign << 15 | exp, 2);
}
#define LM_LDOUBLE_OK 1
#elif LDBL_MANT_DIG == 113
static void ldouble_to_ext(unsigned char *out, const unsigned char *in)
{
    swap_units(out, in, 1, 16);
}
static void ldouble_from_ext(unsigned char *out, const unsigned char *in)
{
    swap_units(out, in, 1, 16);
}
#define LM_LDOUBLE_OK 1
#else
#define LM_LDOUBLE_OK 0
#endif

/* ---- running the signature --------------------------------------------------------------- */

struct xconv {
    const unsigned char *src;
    unsigned char *dst;
    bool to_ext;
};

static int convert_run(void *ctx, const struct lm_datatype *b, size_t n)
{
    struct xconv *x = ctx;
    size_t ns = b->size, xs = b->xsize;
    size_t sin = x->to_ext ? ns : xs, sout = x->to_ext ? xs : ns;
    switch (b->xkind) {
    case LM_DTX_SWAP:
        swap_units(x->dst, x->src, n * ns / b->xunit, b->xunit);
        break;
    case LM_DTX_SINT:
    case LM_DTX_UINT:
        for (size_t i = 0; i < n; i++) {
            const unsigned char *s = x->src + i * sin;
            unsigned char *d = x->dst + i * sout;
            if (x->to_ext) {
                store_be(d, load_native(s, ns), xs); /* the low bytes */
            } else {
                uint64_t v = load_be(s, xs);
                if (b->xkind == LM_DTX_SINT && xs < 8 && (v >> (8 * xs - 1)) & 1)
                    v |= ~0ULL << (8 * xs); /* sign-extend */
                store_native(d, v, ns);
            }
        }
        break;
    case LM_DTX_LDOUBLE: {
#if LM_LDOUBLE_OK
        size_t units = ns / b->xunit, xu = xs / units;
        for (size_t i = 0; i < n * units; i++) {
            if (x->to_ext)
                ldouble_to_ext(x->dst + i * xu, x->src + i * b->xunit);
            else
                ldouble_from_ext(x->dst + i * b->xunit, x->src + i * xu);
        }
        break;
#else
        return lm_err_detail(MPI_ERR_CONVERSION, "external32: this platform's long double "
                             "format has no conversion to IEEE binary128");
#endif
    }
    default:
        return lm_err_detail(MPI_ERR_INTERN, "external32: no conversion for %s", b->name);
    }
    x->src += n * sin;
    x->dst += n * sout;
    return 0;
}

int lm_dt_pack_external(const struct lm_datatype *dt, const void *buf, size_t count, void *out)
{
    if (dt->size == 0 || count == 0)
        return LM_OK;
    size_t total = count * dt->size;
    const char *native = lm_dt_contig_base(dt, buf, count);
    char *tmp = NULL;
    if (!native) {
        tmp = malloc(total);
        if (!tmp)
            return lm_err_detail(MPI_ERR_NO_MEM, "out of memory packing %zu bytes to "
                                 "external32", total);
        lm_dt_pack(dt, buf, count, 0, tmp, total);
        native = tmp;
    }
    struct xconv x = {(const unsigned char *)native, out, true};
    int rc = lm_dts_walk(dt->sig, count, convert_run, &x);
    free(tmp);
    return rc;
}

int lm_dt_unpack_external(const struct lm_datatype *dt, const void *in, void *buf, size_t count)
{
    if (dt->size == 0 || count == 0)
        return LM_OK;
    size_t total = count * dt->size;
    char *native = (char *)lm_dt_contig_base(dt, buf, count);
    char *tmp = NULL;
    if (!native) {
        tmp = malloc(total);
        if (!tmp)
            return lm_err_detail(MPI_ERR_NO_MEM, "out of memory unpacking %zu bytes from "
                                 "external32", total);
        native = tmp;
    }
    struct xconv x = {in, (unsigned char *)native, false};
    int rc = lm_dts_walk(dt->sig, count, convert_run, &x);
    if (rc == LM_OK && tmp)
        lm_dt_unpack(dt, buf, count, 0, tmp, total);
    free(tmp);
    return rc;
}
