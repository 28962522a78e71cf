/* ops.c: reduction operations. Every predefined op on every predefined type it applies to
 * (MPI_Allreduce across ranks and MPI_Reduce_local, checked against a serial reference),
 * MPI_ERR_OP for every op on types it does not apply to (and for MPI_REPLACE, MPI_NO_OP,
 * MPI_OP_NULL), MINLOC/MAXLOC on the pair types with ties, user ops (MPI_Op_create and
 * MPI_Op_create_c, commutative or not, MPI_Op_commutative, MPI_Op_free), and predefined
 * ops on derived types of one element type, contiguous and strided (holes untouched).
 */
#include <complex.h>
#include <stdbool.h>

#include "coll_common.h"

#define N 6

static MPI_Comm comm;
static int p, me;

static const MPI_Op all_ops[] = {MPI_SUM, MPI_PROD, MPI_MAX, MPI_MIN, MPI_BAND, MPI_BOR,
                                 MPI_BXOR, MPI_LAND, MPI_LOR, MPI_LXOR, MPI_MINLOC,
                                 MPI_MAXLOC, MPI_REPLACE, MPI_NO_OP};
static const char *const op_names[] = {"SUM", "PROD", "MAX", "MIN", "BAND", "BOR", "BXOR",
                                       "LAND", "LOR", "LXOR", "MINLOC", "MAXLOC", "REPLACE",
                                       "NO_OP"};
#define NOPS (int)(sizeof all_ops / sizeof all_ops[0])
enum { O_SUM, O_PROD, O_MAX, O_MIN, O_BAND, O_BOR, O_BXOR, O_LAND, O_LOR, O_LXOR };

/* Both the collective and MPI_Reduce_local must refuse op on dt with MPI_ERR_OP. */
static void expect_err_op(MPI_Op op, MPI_Datatype dt, const char *what)
{
    char in[64] = {0}, out[64] = {0};
    int rc = MPI_Allreduce(in, out, 1, dt, op, comm);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_OP, "%s: MPI_Allreduce returned %s, expected "
             "MPI_ERR_OP", what, tm_errstr(rc));
    rc = MPI_Reduce_local(in, out, 1, dt, op);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_OP, "%s: MPI_Reduce_local returned %s, expected "
             "MPI_ERR_OP", what, tm_errstr(rc));
}

/* generator: small values, negative too for signed types, {1,2} magnitude for PROD */
static long long gen(int op, int r, long i, int is_signed)
{
    long long v;
    if (op == O_PROD)
        v = (r + i) % 2 + 1;
    else if (op >= O_LAND)
        v = (r + i) % 3 == 0 ? 0 : (r + i) % 3;
    else
        v = (r * 3 + i * 5) % 8;
    if (is_signed && op != O_PROD && (r + i) % 2)
        v = -v;
    if (is_signed && op == O_PROD && (r + 2 * i) % 3 == 0)
        v = -v;
    return v;
}

static long long ref_int(int op, long long a, long long b)
{
    switch (op) {
    case O_SUM: return a + b;
    case O_PROD: return a * b;
    case O_MAX: return a > b ? a : b;
    case O_MIN: return a < b ? a : b;
    case O_BAND: return a & b;
    case O_BOR: return a | b;
    case O_BXOR: return a ^ b;
    case O_LAND: return (a != 0) && (b != 0);
    case O_LOR: return (a != 0) || (b != 0);
    default: return (a != 0) != (b != 0);
    }
}

/* Integer types: ops O_SUM..O_LXOR, those in `valid` (bitmask) must work. */
#define INT_TEST(NAME, T, DT, SIGNED, VALID)                                                  \
    static void test_##NAME(void)                                                             \
    {                                                                                         \
        for (int op = 0; op < NOPS; op++) {                                                   \
            char what[64];                                                                    \
            snprintf(what, sizeof what, "%s on %s", op_names[op], #DT);                       \
            if (op > O_LXOR || !((VALID) & (1 << op))) {                                      \
                expect_err_op(all_ops[op], DT, what);                                         \
                continue;                                                                     \
            }                                                                                 \
            T in[N], out[N], loc[N];                                                          \
            for (long i = 0; i < N; i++) {                                                    \
                in[i] = (T)gen(op, me, i, SIGNED);                                            \
                loc[i] = (T)gen(op, me + 1, i, SIGNED);                                       \
                out[i] = 0;                                                                   \
            }                                                                                 \
            TM_CHECK_RC(MPI_Allreduce(in, out, N, DT, all_ops[op], comm), what);             \
            for (long i = 0; i < N; i++) {                                                    \
                long long acc = (long long)(T)gen(op, 0, i, SIGNED);                          \
                for (int r = 1; r < p; r++)                                                   \
                    acc = (long long)(T)ref_int(op, acc, (long long)(T)gen(op, r, i, SIGNED)); \
                if (out[i] != (T)acc) {                                                       \
                    TM_CHECK(0, "%s: element %ld is %lld, expected %lld", what, i,            \
                             (long long)out[i], (long long)(T)acc);                           \
                    break;                                                                    \
                }                                                                             \
            }                                                                                 \
            TM_CHECK_RC(MPI_Reduce_local(in, loc, N, DT, all_ops[op]), what);                \
            for (long i = 0; i < N; i++) {                                                    \
                T want = (T)ref_int(op, (long long)in[i], (long long)(T)gen(op, me + 1, i,    \
                                                                           SIGNED));          \
                if (loc[i] != want) {                                                         \
                    TM_CHECK(0, "%s (Reduce_local): element %ld is %lld, expected %lld", what,\
                             i, (long long)loc[i], (long long)want);                          \
                    break;                                                                    \
                }                                                                             \
            }                                                                                 \
        }                                                                                     \
    }

#define ARITH ((1 << O_SUM) | (1 << O_PROD) | (1 << O_MAX) | (1 << O_MIN))
#define BITS ((1 << O_BAND) | (1 << O_BOR) | (1 << O_BXOR))
#define LOGIC ((1 << O_LAND) | (1 << O_LOR) | (1 << O_LXOR))
#define C_INT (ARITH | BITS | LOGIC)
#define F_INT (ARITH | BITS)

INT_TEST(char, signed char, MPI_CHAR, 1, C_INT)
INT_TEST(schar, signed char, MPI_SIGNED_CHAR, 1, C_INT)
INT_TEST(uchar, unsigned char, MPI_UNSIGNED_CHAR, 0, C_INT)
INT_TEST(short, short, MPI_SHORT, 1, C_INT)
INT_TEST(ushort, unsigned short, MPI_UNSIGNED_SHORT, 0, C_INT)
INT_TEST(int, int, MPI_INT, 1, C_INT)
INT_TEST(unsigned, unsigned, MPI_UNSIGNED, 0, C_INT)
INT_TEST(long, long, MPI_LONG, 1, C_INT)
INT_TEST(ulong, unsigned long, MPI_UNSIGNED_LONG, 0, C_INT)
INT_TEST(llong, long long, MPI_LONG_LONG, 1, C_INT)
INT_TEST(ullong, unsigned long long, MPI_UNSIGNED_LONG_LONG, 0, C_INT)
INT_TEST(i8, int8_t, MPI_INT8_T, 1, C_INT)
INT_TEST(u8, uint8_t, MPI_UINT8_T, 0, C_INT)
INT_TEST(i16, int16_t, MPI_INT16_T, 1, C_INT)
INT_TEST(u16, uint16_t, MPI_UINT16_T, 0, C_INT)
INT_TEST(i32, int32_t, MPI_INT32_T, 1, C_INT)
INT_TEST(u32, uint32_t, MPI_UINT32_T, 0, C_INT)
INT_TEST(i64, int64_t, MPI_INT64_T, 1, C_INT)
INT_TEST(u64, uint64_t, MPI_UINT64_T, 0, C_INT)
INT_TEST(integer, int32_t, MPI_INTEGER, 1, F_INT)
INT_TEST(integer1, int8_t, MPI_INTEGER1, 1, F_INT)
INT_TEST(integer2, int16_t, MPI_INTEGER2, 1, F_INT)
INT_TEST(integer4, int32_t, MPI_INTEGER4, 1, F_INT)
INT_TEST(integer8, int64_t, MPI_INTEGER8, 1, F_INT)
INT_TEST(aint, MPI_Aint, MPI_AINT, 1, F_INT)
INT_TEST(offset, MPI_Offset, MPI_OFFSET, 1, F_INT)
INT_TEST(count, MPI_Count, MPI_COUNT, 1, F_INT)
INT_TEST(byte, unsigned char, MPI_BYTE, 0, BITS)
INT_TEST(cbool, _Bool, MPI_C_BOOL, 0, LOGIC)
INT_TEST(cxxbool, _Bool, MPI_CXX_BOOL, 0, LOGIC)
INT_TEST(logical, int32_t, MPI_LOGICAL, 0, LOGIC)

/* Floating point: SUM PROD MAX MIN, exact on small integers. */
#define FLOAT_TEST(NAME, T, DT)                                                               \
    static void test_##NAME(void)                                                             \
    {                                                                                         \
        for (int op = 0; op < NOPS; op++) {                                                   \
            char what[64];                                                                    \
            snprintf(what, sizeof what, "%s on %s", op_names[op], #DT);                       \
            if (op > O_MIN) {                                                                 \
                expect_err_op(all_ops[op], DT, what);                                         \
                continue;                                                                     \
            }                                                                                 \
            T in[N], out[N];                                                                  \
            for (long i = 0; i < N; i++) {                                                    \
                in[i] = (T)gen(op, me, i, 1);                                                 \
                out[i] = 0;                                                                   \
            }                                                                                 \
            TM_CHECK_RC(MPI_Allreduce(in, out, N, DT, all_ops[op], comm), what);             \
            for (long i = 0; i < N; i++) {                                                    \
                long long acc = gen(op, 0, i, 1);                                             \
                for (int r = 1; r < p; r++)                                                   \
                    acc = ref_int(op, acc, gen(op, r, i, 1));                                 \
                if (out[i] != (T)acc) {                                                       \
                    TM_CHECK(0, "%s: element %ld is %Lg, expected %lld", what, i,             \
                             (long double)out[i], acc);                                       \
                    break;                                                                    \
                }                                                                             \
            }                                                                                 \
            T loc[N];                                                                         \
            for (long i = 0; i < N; i++)                                                      \
                loc[i] = (T)gen(op, me + 1, i, 1);                                            \
            TM_CHECK_RC(MPI_Reduce_local(in, loc, N, DT, all_ops[op]), what);                \
            for (long i = 0; i < N; i++)                                                      \
                TM_CHECK(loc[i] == (T)ref_int(op, gen(op, me, i, 1), gen(op, me + 1, i, 1)),  \
                         "%s (Reduce_local): element %ld", what, i);                         \
        }                                                                                     \
    }

FLOAT_TEST(float, float, MPI_FLOAT)
FLOAT_TEST(double, double, MPI_DOUBLE)
FLOAT_TEST(ldouble, long double, MPI_LONG_DOUBLE)
FLOAT_TEST(real, float, MPI_REAL)
FLOAT_TEST(dprec, double, MPI_DOUBLE_PRECISION)
FLOAT_TEST(real4, float, MPI_REAL4)
FLOAT_TEST(real8, double, MPI_REAL8)
#ifdef __FLT16_MAX__
FLOAT_TEST(real2, _Float16, MPI_REAL2)
#endif
#ifdef __FLT128_MAX__
FLOAT_TEST(real16, _Float128, MPI_REAL16)
#endif

/* Complex: SUM and PROD on small Gaussian integers (exact). */
#define COMPLEX_TEST(NAME, T, DT)                                                             \
    static void test_##NAME(void)                                                             \
    {                                                                                         \
        for (int op = 0; op < NOPS; op++) {                                                   \
            char what[64];                                                                    \
            snprintf(what, sizeof what, "%s on %s", op_names[op], #DT);                       \
            if (op > O_PROD) {                                                                \
                expect_err_op(all_ops[op], DT, what);                                         \
                continue;                                                                     \
            }                                                                                 \
            T in[N], out[N];                                                                  \
            for (long i = 0; i < N; i++) {                                                    \
                in[i] = (T)((me + i) % 3 - 1) + (T)((me * 2 + i) % 2) * (T)I;                 \
                out[i] = 0;                                                                   \
            }                                                                                 \
            TM_CHECK_RC(MPI_Allreduce(in, out, N, DT, all_ops[op], comm), what);             \
            for (long i = 0; i < N; i++) {                                                    \
                long double complex acc = op == O_SUM ? 0 : 1;                                \
                for (int r = 0; r < p; r++) {                                                 \
                    long double complex v = (long double)((r + i) % 3 - 1) +                  \
                                            (long double)((r * 2 + i) % 2) * I;               \
                    acc = op == O_SUM ? acc + v : acc * v;                                    \
                }                                                                             \
                if (out[i] != (T)acc) {                                                       \
                    TM_CHECK(0, "%s: element %ld is %Lg%+Lgi, expected %Lg%+Lgi", what, i,    \
                             (long double)creall(out[i]), (long double)cimagl(out[i]),        \
                             creall(acc), cimagl(acc));                                       \
                    break;                                                                    \
                }                                                                             \
            }                                                                                 \
        }                                                                                     \
    }

COMPLEX_TEST(cfloat, float complex, MPI_C_FLOAT_COMPLEX)
COMPLEX_TEST(cdouble, double complex, MPI_C_DOUBLE_COMPLEX)
COMPLEX_TEST(cldouble, long double complex, MPI_C_LONG_DOUBLE_COMPLEX)
COMPLEX_TEST(complex, float complex, MPI_COMPLEX)
COMPLEX_TEST(dcomplex, double complex, MPI_DOUBLE_COMPLEX)
COMPLEX_TEST(cxxcfloat, float complex, MPI_CXX_FLOAT_COMPLEX)
COMPLEX_TEST(cxxcdouble, double complex, MPI_CXX_DOUBLE_COMPLEX)

/* MINLOC / MAXLOC on the value/index pairs: values repeat across ranks, so ties pick the
 * smaller index. */
#define PAIR_TEST(NAME, V, IDX, DT)                                                           \
    static void test_##NAME(void)                                                             \
    {                                                                                         \
        struct {                                                                              \
            V v;                                                                              \
            IDX i;                                                                            \
        } in[N], out[N];                                                                      \
        for (int o = 0; o < 2; o++) {                                                         \
            MPI_Op op = o ? MPI_MAXLOC : MPI_MINLOC;                                          \
            for (long i = 0; i < N; i++) {                                                    \
                in[i].v = (V)(((me / 2) * 7 + i * 3) % 5); /* 2k, 2k+1 tie */                 \
                in[i].i = (IDX)(me * 10 + i);                                                 \
            }                                                                                 \
            TM_CHECK_RC(MPI_Allreduce(in, out, N, DT, op, comm), #DT);                        \
            for (long i = 0; i < N; i++) {                                                    \
                long best = -1, bi = 0;                                                       \
                for (int r = 0; r < p; r++) {                                                 \
                    long v = ((r / 2) * 7 + i * 3) % 5;                                       \
                    if (best < 0 || (o ? v > best : v < best)) {                              \
                        best = v;                                                             \
                        bi = r * 10 + i;                                                      \
                    }                                                                         \
                }                                                                             \
                TM_CHECK(out[i].v == (V)best && out[i].i == (IDX)bi,                          \
                         "%s on %s: element %ld is (%g, %g), expected (%ld, %ld)",            \
                         o ? "MAXLOC" : "MINLOC", #DT, i, (double)out[i].v,                   \
                         (double)out[i].i, best, bi);                                         \
            }                                                                                 \
        }                                                                                     \
        expect_err_op(MPI_SUM, DT, "SUM on " #DT);                                            \
        expect_err_op(MPI_MAX, DT, "MAX on " #DT);                                            \
    }

PAIR_TEST(float_int, float, int, MPI_FLOAT_INT)
PAIR_TEST(double_int, double, int, MPI_DOUBLE_INT)
PAIR_TEST(long_int, long, int, MPI_LONG_INT)
PAIR_TEST(two_int, int, int, MPI_2INT)
PAIR_TEST(short_int, short, int, MPI_SHORT_INT)
PAIR_TEST(ldouble_int, long double, int, MPI_LONG_DOUBLE_INT)
PAIR_TEST(two_real, float, float, MPI_2REAL)
PAIR_TEST(two_dprec, double, double, MPI_2DOUBLE_PRECISION)
PAIR_TEST(two_integer, int, int, MPI_2INTEGER)

/* ---- user ops ------------------------------------------------------------------------- */

static int user_calls;

static void max_fn(void *in, void *inout, int *len, MPI_Datatype *dt)
{
    int *a = in, *b = inout;
    user_calls++;
    if (*dt != MPI_INT)
        return;  /* would show up as a wrong result */
    for (int i = 0; i < *len; i++)
        b[i] = a[i] > b[i] ? a[i] : b[i];
}

/* non-commutative, large-count form: inout = in * 10 + inout (digits in rank order) */
static void digits_fn_c(void *in, void *inout, MPI_Count *len, MPI_Datatype *dt)
{
    (void)dt;
    long long *a = in, *b = inout;
    user_calls++;
    for (MPI_Count i = 0; i < *len; i++) {
        long long scale = 1;
        for (long long t = b[i] / 10; t > 0; t /= 10)
            scale *= 10;
        /* a's digits go in front of b's: a * 10^(digits of b) + b */
        b[i] = a[i] * scale * 10 + b[i];
    }
}

static void test_user_ops(void)
{
    MPI_Op umax, digits;
    int commute = -1;
    TM_CHECK_RC(MPI_Op_create(max_fn, 1, &umax), "MPI_Op_create");
    TM_CHECK_RC(MPI_Op_create_c(digits_fn_c, 0, &digits), "MPI_Op_create_c");
    TM_CHECK_RC(MPI_Op_commutative(umax, &commute), "MPI_Op_commutative");
    TM_CHECK(commute == 1, "user op created commutative reports %d", commute);
    TM_CHECK_RC(MPI_Op_commutative(digits, &commute), "MPI_Op_commutative");
    TM_CHECK(commute == 0, "user op created non-commutative reports %d", commute);
    TM_CHECK_RC(MPI_Op_commutative(MPI_SUM, &commute), "MPI_Op_commutative(MPI_SUM)");
    TM_CHECK(commute == 1, "MPI_SUM commutative = %d", commute);

    int in[N], out[N];
    for (long i = 0; i < N; i++)
        in[i] = (int)((me * 13 + i * 7) % 11);
    TM_CHECK_RC(MPI_Allreduce(in, out, N, MPI_INT, umax, comm), "allreduce user max");
    for (long i = 0; i < N; i++) {
        int want = 0;
        for (int r = 0; r < p; r++)
            if ((r * 13 + i * 7) % 11 > want)
                want = (int)((r * 13 + i * 7) % 11);
        TM_CHECK(out[i] == want, "user max: element %ld is %d, expected %d", i, out[i], want);
    }
    /* digits: rank r contributes digit (r % 9) + 1; the result spells them in rank order */
    long long d = me % 9 + 1, dr = 0, want = 0;
    for (int r = 0; r < p && r < 18; r++)
        want = want * 10 + r % 9 + 1;
    TM_CHECK_RC(MPI_Allreduce(&d, &dr, 1, MPI_LONG_LONG, digits, comm), "allreduce digits");
    TM_CHECK(dr == want, "non-commutative user op: %lld, expected %lld", dr, want);
    TM_CHECK_RC(MPI_Reduce(&d, &dr, 1, MPI_LONG_LONG, digits, p - 1, comm), "reduce digits");
    if (me == p - 1)
        TM_CHECK(dr == want, "non-commutative reduce at root %d: %lld, expected %lld", p - 1,
                 dr, want);
    /* Reduce_local: inout = in op inout */
    long long a = 12, b = 345;
    TM_CHECK_RC(MPI_Reduce_local(&a, &b, 1, MPI_LONG_LONG, digits), "Reduce_local digits");
    TM_CHECK(b == 12345, "Reduce_local(in=12, inout=345) with a non-commutative op: %lld", b);
    TM_CHECK(user_calls > 0, "user functions never called");

    TM_CHECK_RC(MPI_Op_free(&umax), "MPI_Op_free");
    TM_CHECK(umax == MPI_OP_NULL, "MPI_Op_free did not set MPI_OP_NULL");
    TM_CHECK_RC(MPI_Op_free(&digits), "MPI_Op_free");
    MPI_Op sum = MPI_SUM;
    int rc = MPI_Op_free(&sum);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_OP, "MPI_Op_free(MPI_SUM) returned %s", tm_errstr(rc));
    rc = MPI_Op_commutative(MPI_OP_NULL, &commute);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_OP, "MPI_Op_commutative(MPI_OP_NULL) returned %s",
             tm_errstr(rc));
    rc = MPI_Op_create(NULL, 1, &sum);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_ARG, "MPI_Op_create(NULL) returned %s", tm_errstr(rc));
}

/* An op freed while a nonblocking reduction that uses it is pending still works. */
static void test_free_while_pending(void)
{
    MPI_Op umax;
    MPI_Op_create(max_fn, 1, &umax);
    int in = me, out = -1;
    MPI_Request req;
    TM_CHECK_RC(MPI_Iallreduce(&in, &out, 1, MPI_INT, umax, comm, &req), "Iallreduce");
    TM_CHECK_RC(MPI_Op_free(&umax), "MPI_Op_free while pending");
    TM_CHECK_RC(MPI_Wait(&req, MPI_STATUS_IGNORE), "MPI_Wait");
    TM_CHECK(out == p - 1, "reduction with a freed op: %d, expected %d", out, p - 1);
}

/* ---- derived types with predefined ops ------------------------------------------------- */

static void test_derived(void)
{
    /* contiguous: 3 ints per element, sum */
    MPI_Datatype tri, strided;
    MPI_Type_contiguous(3, MPI_INT, &tri);
    MPI_Type_commit(&tri);
    int in[3 * N], out[3 * N];
    for (int i = 0; i < 3 * N; i++) {
        in[i] = tc_val(me, i);
        out[i] = -1;
    }
    TM_CHECK_RC(MPI_Allreduce(in, out, N, tri, MPI_SUM, comm), "allreduce contiguous type");
    TC_CHECK_INTS(out, 3 * N, tc_sum_range(0, p - 1, i), "allreduce of contiguous(3, INT)");
    TM_CHECK_RC(MPI_Scan(in, out, N, tri, MPI_SUM, comm), "scan contiguous type");
    TC_CHECK_INTS(out, 3 * N, tc_sum_range(0, me, i), "scan of contiguous(3, INT)");

    /* strided: every other double of 2-element blocks; holes must stay untouched */
    MPI_Type_vector(2, 1, 2, MPI_DOUBLE, &strided);
    MPI_Type_commit(&strided);
    MPI_Aint lb, ext;
    MPI_Type_get_extent(strided, &lb, &ext);
    int per = (int)(ext / (MPI_Aint)sizeof(double));  /* 3 doubles per element */
    double din[3 * N + 3], dout[3 * N + 3];
    for (int i = 0; i < 3 * N + 3; i++) {
        din[i] = (double)((me * 5 + i) % 7);
        dout[i] = -7.5;
    }
    for (int algo = 0; algo < 2; algo++) {
        for (int i = 0; i < 3 * N + 3; i++)
            dout[i] = -7.5;
        if (algo == 0)
            TM_CHECK_RC(MPI_Allreduce(din, dout, N, strided, MPI_MAX, comm), "allreduce strided");
        else
            TM_CHECK_RC(MPI_Reduce(din, dout, N, strided, MPI_MAX, 0, comm), "reduce strided");
        if (algo == 1 && me != 0)
            continue;
        for (int e = 0; e < N; e++) {
            for (int k = 0; k < per; k++) {
                int at = e * per + k;
                bool data = k == 0 || k == 2;
                double want = -7.5;
                if (data) {
                    want = -1;
                    for (int r = 0; r < p; r++)
                        if ((double)((r * 5 + at) % 7) > want)
                            want = (double)((r * 5 + at) % 7);
                }
                TM_CHECK(dout[at] == want, "%s of vector(2,1,2,DOUBLE): double %d is %g, "
                         "expected %g%s", algo ? "reduce" : "allreduce", at, dout[at], want,
                         data ? "" : " (a hole)");
            }
        }
    }
    /* in place, and reduce_scatter_block with the strided type */
    for (int i = 0; i < 3 * N + 3; i++)
        dout[i] = din[i];
    TM_CHECK_RC(MPI_Allreduce(MPI_IN_PLACE, dout, N, strided, MPI_SUM, comm),
                "allreduce strided in place");
    for (int e = 0; e < N; e++) {
        int at = e * per;
        double want = 0;
        for (int r = 0; r < p; r++)
            want += (double)((r * 5 + at) % 7);
        TM_CHECK(dout[at] == want && dout[at + 1] == din[at + 1],
                 "allreduce strided in place: element %d is %g (hole %g), expected %g", e,
                 dout[at], dout[at + 1], want);
    }
    expect_err_op(MPI_BAND, strided, "BAND on vector of DOUBLE");
    MPI_Type_free(&tri);
    MPI_Type_free(&strided);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_dup(MPI_COMM_WORLD, &comm);
    MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    MPI_Comm_size(comm, &p);
    MPI_Comm_rank(comm, &me);

    test_char(); test_schar(); test_uchar(); test_short(); test_ushort(); test_int();
    test_unsigned(); test_long(); test_ulong(); test_llong(); test_ullong();
    test_i8(); test_u8(); test_i16(); test_u16(); test_i32(); test_u32(); test_i64();
    test_u64(); test_integer(); test_integer1(); test_integer2(); test_integer4();
    test_integer8(); test_aint(); test_offset(); test_count(); test_byte(); test_cbool();
    test_cxxbool(); test_logical();
    test_float(); test_double(); test_ldouble(); test_real(); test_dprec(); test_real4();
    test_real8();
#ifdef __FLT16_MAX__
    test_real2();
#endif
#ifdef __FLT128_MAX__
    test_real16();
#endif
    test_cfloat(); test_cdouble(); test_cldouble(); test_complex(); test_dcomplex();
    test_cxxcfloat(); test_cxxcdouble();
    test_float_int(); test_double_int(); test_long_int(); test_two_int(); test_short_int();
    test_ldouble_int(); test_two_real(); test_two_dprec(); test_two_integer();
    expect_err_op(MPI_SUM, MPI_WCHAR, "SUM on MPI_WCHAR");
    expect_err_op(MPI_SUM, MPI_PACKED, "SUM on MPI_PACKED");
    expect_err_op(MPI_MAX, MPI_CHARACTER, "MAX on MPI_CHARACTER");
    expect_err_op(MPI_OP_NULL, MPI_INT, "MPI_OP_NULL");
    test_user_ops();
    test_free_while_pending();
    test_derived();
    MPI_Comm_free(&comm);
    return tm_finish();
}
