/* datatype.c - the datatype chapter's basics: handle checks, sizes and extents (int, _c and
 * _x flavours), contiguous and vector constructors, commit, free, dup, and the status
 * queries MPI_Get_count / MPI_Get_elements. The other constructors are in type_create.c,
 * decoding and names in type_query.c, packing in pack.c. */
#include <limits.h>
#include <stdlib.h>

#include "api/dt_api.h"

int lm_check_type_any(MPI_Datatype h, struct lm_datatype **out, const char *arg)
{
    struct lm_datatype *t = lm_is_builtin(h) ? lm_dt_builtin(h) : (struct lm_datatype *)h;
    if (t && t->magic == LM_MAGIC_TYPE) {
        *out = t;
        return LM_OK;
    }
    *out = NULL;
    if (h == MPI_DATATYPE_NULL)
        return lm_err_detail(MPI_ERR_TYPE, "invalid datatype: %s is MPI_DATATYPE_NULL", arg);
    return lm_err_detail(MPI_ERR_TYPE, "invalid datatype: %s = %p is not a datatype (freed, "
                         "or not a predefined type LiteMPI knows)", arg, (void *)h);
}

int lm_check_type_slow(MPI_Datatype h, struct lm_datatype **out, const char *arg)
{
    int rc = lm_check_type_any(h, out, arg);
    if (rc != LM_OK)
        return rc;
    return lm_err_detail(MPI_ERR_TYPE, "invalid datatype: %s was not committed "
                         "(call MPI_Type_commit first)", arg);
}

/* ---- helpers of dt_api.h ----------------------------------------------------------------- */

int lm_check_nonneg_ints(const int *a, MPI_Count n, const char *arg)
{
    for (MPI_Count i = 0; i < n; i++)
        if (a[i] < 0)
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: %s[%lld] = %d is negative",
                                 arg, (long long)i, a[i]);
    return LM_OK;
}

int lm_check_nonneg_counts(const MPI_Count *a, MPI_Count n, const char *arg)
{
    for (MPI_Count i = 0; i < n; i++)
        if (a[i] < 0)
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: %s[%lld] = %lld is negative",
                                 arg, (long long)i, (long long)a[i]);
    return LM_OK;
}

MPI_Count *lm_counts_from_ints(const int *a, MPI_Count n)
{
    MPI_Count *c = malloc((size_t)(n > 0 ? n : 1) * sizeof *c);
    if (c)
        for (MPI_Count i = 0; i < n; i++)
            c[i] = a[i];
    return c;
}

MPI_Count *lm_counts_from_aints(const MPI_Aint *a, MPI_Count n)
{
    MPI_Count *c = malloc((size_t)(n > 0 ? n : 1) * sizeof *c);
    if (c)
        for (MPI_Count i = 0; i < n; i++)
            c[i] = a[i];
    return c;
}

int lm_dt_api_finish(struct lm_datatype *t, int combiner, bool large, size_t ni,
                     const int *ints, size_t na, const MPI_Aint *aints, size_t nc,
                     const MPI_Count *counts, size_t nd, struct lm_datatype *const *types,
                     MPI_Datatype *newtype)
{
    int rc = lm_dt_set_contents(t, combiner, large, ni, ints, na, aints, nc, counts, nd, types);
    if (rc != LM_OK) {
        lm_dt_release(t);
        return rc;
    }
    *newtype = t->handle;
    return LM_OK;
}

/* ---- sizes and extents ------------------------------------------------------------------- */

static int type_size(MPI_Datatype datatype, MPI_Count *size, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc == LM_OK)
        rc = lm_check_ptr(size, "size");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *size = (MPI_Count)t->size;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Type_size(MPI_Datatype datatype, int *size)
{
    MPI_Count s = 0;
    int rc = type_size(datatype, size ? &s : NULL, "MPI_Type_size");
    if (rc == MPI_SUCCESS)
        *size = s > INT_MAX ? MPI_UNDEFINED : (int)s;
    return rc;
}
LM_WEAK_ALIAS(Type_size)

LM_EXPORT int PMPI_Type_size_c(MPI_Datatype datatype, MPI_Count *size)
{
    return type_size(datatype, size, "MPI_Type_size_c");
}
LM_WEAK_ALIAS(Type_size_c)

LM_EXPORT int PMPI_Type_size_x(MPI_Datatype datatype, MPI_Count *size)
{
    return type_size(datatype, size, "MPI_Type_size_x");
}
LM_WEAK_ALIAS(Type_size_x)

static int type_extent(MPI_Datatype datatype, bool true_extent, MPI_Count *lb, MPI_Count *extent,
                       const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc == LM_OK)
        rc = lm_check_ptr(lb, true_extent ? "true_lb" : "lb");
    if (rc == LM_OK)
        rc = lm_check_ptr(extent, true_extent ? "true_extent" : "extent");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *lb = true_extent ? t->true_lb : t->lb;
    *extent = true_extent ? t->true_extent : t->extent;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Type_get_extent(MPI_Datatype datatype, MPI_Aint *lb, MPI_Aint *extent)
{
    MPI_Count l = 0, e = 0;
    int rc = type_extent(datatype, false, lb ? &l : NULL, extent ? &e : NULL,
                         "MPI_Type_get_extent");
    if (rc == MPI_SUCCESS) {
        *lb = (MPI_Aint)l;
        *extent = (MPI_Aint)e;
    }
    return rc;
}
LM_WEAK_ALIAS(Type_get_extent)

LM_EXPORT int PMPI_Type_get_extent_c(MPI_Datatype datatype, MPI_Count *lb, MPI_Count *extent)
{
    return type_extent(datatype, false, lb, extent, "MPI_Type_get_extent_c");
}
LM_WEAK_ALIAS(Type_get_extent_c)

LM_EXPORT int PMPI_Type_get_extent_x(MPI_Datatype datatype, MPI_Count *lb, MPI_Count *extent)
{
    return type_extent(datatype, false, lb, extent, "MPI_Type_get_extent_x");
}
LM_WEAK_ALIAS(Type_get_extent_x)

LM_EXPORT int PMPI_Type_get_true_extent(MPI_Datatype datatype, MPI_Aint *true_lb,
                                        MPI_Aint *true_extent)
{
    MPI_Count l = 0, e = 0;
    int rc = type_extent(datatype, true, true_lb ? &l : NULL, true_extent ? &e : NULL,
                         "MPI_Type_get_true_extent");
    if (rc == MPI_SUCCESS) {
        *true_lb = (MPI_Aint)l;
        *true_extent = (MPI_Aint)e;
    }
    return rc;
}
LM_WEAK_ALIAS(Type_get_true_extent)

LM_EXPORT int PMPI_Type_get_true_extent_c(MPI_Datatype datatype, MPI_Count *true_lb,
                                          MPI_Count *true_extent)
{
    return type_extent(datatype, true, true_lb, true_extent, "MPI_Type_get_true_extent_c");
}
LM_WEAK_ALIAS(Type_get_true_extent_c)

LM_EXPORT int PMPI_Type_get_true_extent_x(MPI_Datatype datatype, MPI_Count *true_lb,
                                          MPI_Count *true_extent)
{
    return type_extent(datatype, true, true_lb, true_extent, "MPI_Type_get_true_extent_x");
}
LM_WEAK_ALIAS(Type_get_true_extent_x)

/* ---- contiguous and vector --------------------------------------------------------------- */

static int type_contiguous(MPI_Count count, MPI_Datatype oldtype, MPI_Datatype *newtype,
                           bool large, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *old, *t;
    int rc;
    if ((rc = lm_check_count_c(count, "count")) != LM_OK ||
        (rc = lm_check_type_any(oldtype, &old, "oldtype")) != LM_OK ||
        (rc = lm_check_ptr(newtype, "newtype")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = lm_dt_contiguous((size_t)count, old, &t);
    if (rc == LM_OK) {
        int ci = (int)count;
        rc = lm_dt_api_finish(t, MPI_COMBINER_CONTIGUOUS, large, large ? 0 : 1, &ci, 0, NULL,
                              large ? 1 : 0, &count, 1, &old, newtype);
    }
    lm_unlock();
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : MPI_SUCCESS;
}

LM_EXPORT int PMPI_Type_contiguous(int count, MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    return type_contiguous(count, oldtype, newtype, false, "MPI_Type_contiguous");
}
LM_WEAK_ALIAS(Type_contiguous)

LM_EXPORT int PMPI_Type_contiguous_c(MPI_Count count, MPI_Datatype oldtype,
                                     MPI_Datatype *newtype)
{
    return type_contiguous(count, oldtype, newtype, true, "MPI_Type_contiguous_c");
}
LM_WEAK_ALIAS(Type_contiguous_c)

/* vector (stride in elements of oldtype) and hvector (stride in bytes) */
static int type_vector(MPI_Count count, MPI_Count blocklength, MPI_Count stride,
                       MPI_Datatype oldtype, MPI_Datatype *newtype, bool bytes, bool large,
                       const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *old, *t;
    int rc;
    if ((rc = lm_check_count_c(count, "count")) != LM_OK ||
        (rc = lm_check_nonneg(blocklength, "blocklength")) != LM_OK ||
        (rc = lm_check_type_any(oldtype, &old, "oldtype")) != LM_OK ||
        (rc = lm_check_ptr(newtype, "newtype")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = bytes ? lm_dt_hvector((size_t)count, (size_t)blocklength, (ptrdiff_t)stride, old, &t)
               : lm_dt_vector((size_t)count, (size_t)blocklength, (ptrdiff_t)stride, old, &t);
    if (rc == LM_OK) {
        int ints[3] = {(int)count, (int)blocklength, (int)stride};
        MPI_Aint aint = (MPI_Aint)stride;
        MPI_Count counts[3] = {count, blocklength, stride};
        int comb = bytes ? MPI_COMBINER_HVECTOR : MPI_COMBINER_VECTOR;
        if (large)
            rc = lm_dt_api_finish(t, comb, true, 0, NULL, 0, NULL, 3, counts, 1, &old, newtype);
        else
            rc = lm_dt_api_finish(t, comb, false, bytes ? 2 : 3, ints, bytes ? 1 : 0, &aint, 0,
                                  NULL, 1, &old, newtype);
    }
    lm_unlock();
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : MPI_SUCCESS;
}

LM_EXPORT int PMPI_Type_vector(int count, int blocklength, int stride, MPI_Datatype oldtype,
                               MPI_Datatype *newtype)
{
    return type_vector(count, blocklength, stride, oldtype, newtype, false, false,
                       "MPI_Type_vector");
}
LM_WEAK_ALIAS(Type_vector)

LM_EXPORT int PMPI_Type_vector_c(MPI_Count count, MPI_Count blocklength, MPI_Count stride,
                                 MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    return type_vector(count, blocklength, stride, oldtype, newtype, false, true,
                       "MPI_Type_vector_c");
}
LM_WEAK_ALIAS(Type_vector_c)

LM_EXPORT int PMPI_Type_create_hvector(int count, int blocklength, MPI_Aint stride,
                                       MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    return type_vector(count, blocklength, stride, oldtype, newtype, true, false,
                       "MPI_Type_create_hvector");
}
LM_WEAK_ALIAS(Type_create_hvector)

LM_EXPORT int PMPI_Type_create_hvector_c(MPI_Count count, MPI_Count blocklength,
                                         MPI_Count stride, MPI_Datatype oldtype,
                                         MPI_Datatype *newtype)
{
    return type_vector(count, blocklength, stride, oldtype, newtype, true, true,
                       "MPI_Type_create_hvector_c");
}
LM_WEAK_ALIAS(Type_create_hvector_c)

/* ---- commit, free, dup ------------------------------------------------------------------- */

LM_EXPORT int PMPI_Type_commit(MPI_Datatype *datatype)
{
    static const char fn[] = "MPI_Type_commit";
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    if (!datatype)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "datatype is NULL"), fn);
    int rc = lm_check_type_any(*datatype, &t, "*datatype");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = lm_dt_commit(t);
    lm_unlock();
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_commit)

LM_EXPORT int PMPI_Type_free(MPI_Datatype *datatype)
{
    static const char fn[] = "MPI_Type_free";
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    if (!datatype)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "datatype is NULL"), fn);
    int rc = lm_check_type_any(*datatype, &t, "*datatype");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (t->predefined)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_TYPE, "cannot free the predefined "
                            "datatype %s", t->name ? t->name : "(an MPI_Type_create_f90_* "
                            "type)"), fn);
    /* Cached attributes' delete callbacks run now, unlocked (they may call MPI). */
    if ((rc = lm_attr_delete_all(LM_OBJ_TYPE, (void *)t->handle, &t->attrs)) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    lm_dt_release(t);
    lm_unlock();
    *datatype = MPI_DATATYPE_NULL;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_free)

LM_EXPORT int PMPI_Type_dup(MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    static const char fn[] = "MPI_Type_dup";
    LM_API_ENTER(fn);
    struct lm_datatype *old, *t;
    int rc;
    if ((rc = lm_check_type_any(oldtype, &old, "oldtype")) != LM_OK ||
        (rc = lm_check_ptr(newtype, "newtype")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = lm_dt_dup(old, &t);
    if (rc == LM_OK)
        rc = lm_dt_api_finish(t, MPI_COMBINER_DUP, false, 0, NULL, 0, NULL, 0, NULL, 1, &old,
                              newtype);
    lm_unlock();
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    /* Cached attributes follow their copy callbacks, unlocked (they may call MPI). */
    rc = lm_attr_copy_all(LM_OBJ_TYPE, (void *)old->handle, &old->attrs, (void *)t->handle,
                          &t->attrs);
    if (rc != LM_OK) {
        MPI_Datatype h = *newtype;
        PMPI_Type_free(&h);
        *newtype = MPI_DATATYPE_NULL;
        return lm_api_error(NULL, rc, fn);
    }
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_dup)

/* ---- status queries ---------------------------------------------------------------------- */

LM_EXPORT int PMPI_Get_count(const MPI_Status *status, MPI_Datatype datatype, int *count)
{
    static const char fn[] = "MPI_Get_count";
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!status || !count)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "status or count is NULL"), fn);
    uint64_t bytes = lm_status_bytes(status);
    if (t->size == 0)
        *count = bytes == 0 ? 0 : MPI_UNDEFINED;
    else if (bytes % t->size || bytes / t->size > INT_MAX)
        *count = MPI_UNDEFINED;
    else
        *count = (int)(bytes / t->size);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Get_count)

static int get_elements(const MPI_Status *status, MPI_Datatype datatype, MPI_Count *count,
                        const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc == LM_OK && (!status || !count))
        rc = lm_err_detail(MPI_ERR_ARG, "status or count is NULL");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    ptrdiff_t n = lm_dt_elements(t, lm_status_bytes(status));
    *count = n < 0 ? MPI_UNDEFINED : (MPI_Count)n;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Get_elements(const MPI_Status *status, MPI_Datatype datatype, int *count)
{
    MPI_Count n = 0;
    int rc = get_elements(status, datatype, count ? &n : NULL, "MPI_Get_elements");
    if (rc == MPI_SUCCESS)
        *count = n > INT_MAX ? MPI_UNDEFINED : (int)n;
    return rc;
}
LM_WEAK_ALIAS(Get_elements)

LM_EXPORT int PMPI_Get_elements_c(const MPI_Status *status, MPI_Datatype datatype,
                                  MPI_Count *count)
{
    return get_elements(status, datatype, count, "MPI_Get_elements_c");
}
LM_WEAK_ALIAS(Get_elements_c)

LM_EXPORT int PMPI_Get_elements_x(const MPI_Status *status, MPI_Datatype datatype,
                                  MPI_Count *count)
{
    return get_elements(status, datatype, count, "MPI_Get_elements_x");
}
LM_WEAK_ALIAS(Get_elements_x)
