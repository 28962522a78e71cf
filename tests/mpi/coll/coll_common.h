/* coll_common.h: helpers for the collective tests (tests/mpi/coll/).
 *
 * Inputs are functions of (rank, index) so every rank can compute the serial reference
 * result of any collective by itself. The non-commutative user op is composition of affine
 * maps x -> a*x + b over unsigned 32-bit integers: associative, not commutative, and the
 * result depends on the exact order of every operand, so a reduction that combines ranks
 * out of order is caught.
 */
#ifndef TM_COLL_COMMON_H
#define TM_COLL_COMMON_H

#include "../common.h"

/* Element counts every collective is tried with: empty, one, odd, and large enough for
 * the large-message algorithms and rendezvous (256 KiB of ints). */
static const int tc_counts[] = {0, 1, 7, 65539};
#define TC_NCOUNTS (int)(sizeof tc_counts / sizeof tc_counts[0])

static TM_UNUSED int tc_val(int rank, long i)
{
    return (int)((rank + 1) * 1000 + (i % 100003) * 3 + (i % 7));
}

/* affine maps, composed: (f o g)(x) = f(g(x)) */
typedef struct {
    unsigned a, b;
} tc_aff;

static TM_UNUSED tc_aff tc_aff_val(int rank, long i)
{
    tc_aff f = {2u * (unsigned)(rank + (int)(i % 13)) + 3u, (unsigned)(rank * 7 + i)};
    return f;
}

static TM_UNUSED tc_aff tc_compose(tc_aff f, tc_aff g)
{
    tc_aff h = {f.a * g.a, f.a * g.b + f.b};
    return h;
}

/* MPI_User_function: inout[i] = in[i] o inout[i] (in holds the lower ranks) */
static TM_UNUSED void tc_aff_fn(void *in, void *inout, int *len, MPI_Datatype *dt)
{
    (void)dt;
    tc_aff *x = in, *y = inout;
    for (int i = 0; i < *len; i++)
        y[i] = tc_compose(x[i], y[i]);
}

static MPI_Datatype tc_aff_type = MPI_DATATYPE_NULL;
static MPI_Op tc_aff_op = MPI_OP_NULL;

static TM_UNUSED void tc_setup(void)
{
    MPI_Type_contiguous(2, MPI_UNSIGNED, &tc_aff_type);
    MPI_Type_commit(&tc_aff_type);
    MPI_Op_create(tc_aff_fn, 0, &tc_aff_op);
}

static TM_UNUSED void tc_teardown(void)
{
    MPI_Op_free(&tc_aff_op);
    MPI_Type_free(&tc_aff_type);
}

/* Reference: f_lo o ... o f_hi for element i (identity when lo > hi) */
static TM_UNUSED tc_aff tc_aff_range(int lo, int hi, long i)
{
    tc_aff acc = {1u, 0u};
    for (int r = lo; r <= hi; r++)
        acc = tc_compose(acc, tc_aff_val(r, i));
    return acc;
}

/* Sum of tc_val over ranks lo..hi */
static TM_UNUSED int tc_sum_range(int lo, int hi, long i)
{
    int s = 0;
    for (int r = lo; r <= hi; r++)
        s += tc_val(r, i);
    return s;
}

/* Checks n ints against expect(i); reports the first mismatch only. */
#define TC_CHECK_INTS(buf, n, expect_expr, ...)                                            \
    do {                                                                                   \
        for (long i_ = 0; i_ < (long)(n); i_++) {                                          \
            long i = i_;                                                                   \
            (void)i;                                                                       \
            int want_ = (expect_expr);                                                     \
            if ((buf)[i_] != want_) {                                                      \
                char what_[200];                                                           \
                snprintf(what_, sizeof what_, __VA_ARGS__);                                \
                tm_fail(__FILE__, __LINE__, "%s: element %ld is %d, expected %d", what_,   \
                        i_, (buf)[i_], want_);                                             \
                break;                                                                     \
            }                                                                              \
        }                                                                                  \
    } while (0)

#define TC_CHECK_AFF(buf, n, expect_expr, ...)                                             \
    do {                                                                                   \
        for (long i_ = 0; i_ < (long)(n); i_++) {                                          \
            long i = i_;                                                                   \
            tc_aff want_ = (expect_expr);                                                  \
            if ((buf)[i_].a != want_.a || (buf)[i_].b != want_.b) {                        \
                char what_[200];                                                           \
                snprintf(what_, sizeof what_, __VA_ARGS__);                                \
                tm_fail(__FILE__, __LINE__, "%s: element %ld is (%u,%u), expected (%u,%u)", \
                        what_, i_, (buf)[i_].a, (buf)[i_].b, want_.a, want_.b);            \
                break;                                                                     \
            }                                                                              \
        }                                                                                  \
    } while (0)

#endif
