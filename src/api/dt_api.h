/* dt_api.h - helpers shared by the datatype chapter's entry points (datatype.c,
 * type_create.c, type_query.c, pack.c): argument checks for counts and arrays in both the
 * int and the MPI_Count (large-count "_c") flavours, and handing a new type out. */
#ifndef LM_DT_API_H
#define LM_DT_API_H

#include <limits.h>

#include "api/api.h"

static inline int lm_check_count_c(MPI_Count count, const char *arg)
{
    if (count < 0)
        return lm_err_detail(MPI_ERR_COUNT, "invalid count: %s = %lld is negative", arg,
                             (long long)count);
    return LM_OK;
}

static inline int lm_check_nonneg(MPI_Count v, const char *arg)
{
    if (v < 0)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: %s = %lld is negative", arg,
                             (long long)v);
    return LM_OK;
}

/* An array argument of count entries must be non-NULL when count > 0. */
static inline int lm_check_array(const void *p, MPI_Count count, const char *arg)
{
    if (!p && count > 0)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: %s is NULL with %lld entries",
                             arg, (long long)count);
    return LM_OK;
}

/* Every entry non-negative (block lengths, sizes); from int or MPI_Count arrays. */
int lm_check_nonneg_ints(const int *a, MPI_Count n, const char *arg);
int lm_check_nonneg_counts(const MPI_Count *a, MPI_Count n, const char *arg);

/* int/MPI_Aint arrays widened to MPI_Count (freed by the caller; NULL on no memory). */
MPI_Count *lm_counts_from_ints(const int *a, MPI_Count n);
MPI_Count *lm_counts_from_aints(const MPI_Aint *a, MPI_Count n);

/* Hands out a new type: records its contents, sets *newtype. On error t is released. */
int lm_dt_api_finish(struct lm_datatype *t, int combiner, bool large, size_t ni,
                     const int *ints, size_t na, const MPI_Aint *aints, size_t nc,
                     const MPI_Count *counts, size_t nd, struct lm_datatype *const *types,
                     MPI_Datatype *newtype);

#endif
