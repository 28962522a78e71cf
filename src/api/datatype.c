/* datatype.c - datatype calls of this milestone (the full chapter comes with the datatype
 * engine): sizes, extents, contiguous, vector, commit, free, and status element counts. */
#include <limits.h>

#include "api/api.h"

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

LM_EXPORT int PMPI_Type_size(MPI_Datatype datatype, int *size)
{
    static const char fn[] = "MPI_Type_size";
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *size = t->size > INT_MAX ? MPI_UNDEFINED : (int)t->size;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_size)

LM_EXPORT int PMPI_Type_get_extent(MPI_Datatype datatype, MPI_Aint *lb, MPI_Aint *extent)
{
    static const char fn[] = "MPI_Type_get_extent";
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *lb = t->lb;
    *extent = t->extent;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_get_extent)

static int new_type(MPI_Datatype *newtype, struct lm_datatype *t)
{
    *newtype = t->handle;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Type_contiguous(int count, MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    static const char fn[] = "MPI_Type_contiguous";
    LM_API_ENTER(fn);
    struct lm_datatype *old, *t;
    int rc;
    if ((rc = lm_check_count(count, "count")) != LM_OK ||
        (rc = lm_check_type_any(oldtype, &old, "oldtype")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!newtype)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "newtype is NULL"), fn);
    lm_lock();
    rc = lm_dt_contiguous((size_t)count, old, &t);
    lm_unlock();
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : new_type(newtype, t);
}
LM_WEAK_ALIAS(Type_contiguous)

LM_EXPORT int PMPI_Type_vector(int count, int blocklength, int stride, MPI_Datatype oldtype,
                               MPI_Datatype *newtype)
{
    static const char fn[] = "MPI_Type_vector";
    LM_API_ENTER(fn);
    struct lm_datatype *old, *t;
    int rc;
    if ((rc = lm_check_count(count, "count")) != LM_OK ||
        (rc = lm_check_count(blocklength, "blocklength")) != LM_OK ||
        (rc = lm_check_type_any(oldtype, &old, "oldtype")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!newtype)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "newtype is NULL"), fn);
    lm_lock();
    rc = lm_dt_vector((size_t)count, (size_t)blocklength, stride, old, &t);
    lm_unlock();
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : new_type(newtype, t);
}
LM_WEAK_ALIAS(Type_vector)

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
                            "datatype %s", t->name), fn);
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

LM_EXPORT int PMPI_Get_elements(const MPI_Status *status, MPI_Datatype datatype, int *count)
{
    static const char fn[] = "MPI_Get_elements";
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!status || !count)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "status or count is NULL"), fn);
    ptrdiff_t n = lm_dt_elements(t, lm_status_bytes(status));
    *count = n < 0 || n > INT_MAX ? MPI_UNDEFINED : (int)n;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Get_elements)
