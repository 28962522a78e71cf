/* status.c - setting and reading the opaque part of a status: MPI_Status_set_elements(_x),
 * MPI_Status_set_cancelled, MPI_Test_cancelled (for generalized requests' query_fn and for
 * cancelled operations).
 *
 * A status holds the message size in bytes (MPI_internal[0..1]) and the cancelled flag
 * ([2]); see lm_status_to_mpi. Setting an element count stores the bytes that many basic
 * elements of the datatype occupy in the packed stream, so MPI_Get_elements with the same
 * datatype gives the count back and MPI_Get_count gives count / (elements per datatype
 * item) when that divides, else MPI_UNDEFINED, as the standard requires.
 */
#include <limits.h>

#include "api/api.h"

/* Bytes of `n` basic elements of t: the inverse of lm_dt_elements(). */
static int elements_to_bytes(const struct lm_datatype *t, int64_t n, uint64_t *bytes)
{
    *bytes = lm_dt_elements_to_bytes(t, (size_t)n);
    return LM_OK;
}

static int set_elements(MPI_Status *status, MPI_Datatype datatype, int64_t count,
                        const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc == LM_OK && status == MPI_STATUS_IGNORE)
        rc = lm_err_detail(MPI_ERR_ARG, "status is MPI_STATUS_IGNORE (NULL)");
    if (rc == LM_OK && count < 0)
        rc = lm_err_detail(MPI_ERR_COUNT, "invalid count: count = %lld is negative",
                           (long long)count);
    uint64_t bytes = 0;
    if (rc == LM_OK)
        rc = elements_to_bytes(t, count, &bytes);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    status->MPI_internal[0] = (int)(uint32_t)bytes;
    status->MPI_internal[1] = (int)(uint32_t)(bytes >> 32);
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Status_set_elements(MPI_Status *status, MPI_Datatype datatype, int count)
{
    return set_elements(status, datatype, count, "MPI_Status_set_elements");
}
LM_WEAK_ALIAS(Status_set_elements)

LM_EXPORT int PMPI_Status_set_elements_x(MPI_Status *status, MPI_Datatype datatype,
                                         MPI_Count count)
{
    return set_elements(status, datatype, count, "MPI_Status_set_elements_x");
}
LM_WEAK_ALIAS(Status_set_elements_x)

LM_EXPORT int PMPI_Status_set_cancelled(MPI_Status *status, int flag)
{
    static const char fn[] = "MPI_Status_set_cancelled";
    LM_API_ENTER(fn);
    if (status == MPI_STATUS_IGNORE)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "status is MPI_STATUS_IGNORE "
                                                "(NULL)"), fn);
    status->MPI_internal[2] = flag != 0;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Status_set_cancelled)

LM_EXPORT int PMPI_Test_cancelled(const MPI_Status *status, int *flag)
{
    static const char fn[] = "MPI_Test_cancelled";
    LM_API_ENTER(fn);
    if (status == MPI_STATUS_IGNORE || !flag)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "%s is NULL",
                                                flag ? "status" : "flag"), fn);
    *flag = status->MPI_internal[2] != 0;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Test_cancelled)
