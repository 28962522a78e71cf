/* start.c - MPI_Start and MPI_Startall: (re)activate persistent requests.
 *
 * A persistent request carries its own start function (req->start): collective schedules
 * (src/coll) set it today, persistent point-to-point requests will too, so these calls
 * know nothing about the kinds they start. Starting an active request, or a request that
 * is not persistent, is MPI_ERR_REQUEST.
 */
#include <stdio.h>

#include "api/api.h"

static int check_startable(MPI_Request h, struct lm_request **out, const char *arg)
{
    int rc = lm_check_request(h, out, arg);
    if (rc != LM_OK)
        return rc;
    struct lm_request *r = *out;
    if (!r)
        return lm_err_detail(MPI_ERR_REQUEST, "invalid request: %s is MPI_REQUEST_NULL", arg);
    if (!r->persistent || !r->start)
        return lm_err_detail(MPI_ERR_REQUEST, "invalid request: %s is not a persistent "
                             "request (only MPI_*_init requests can be started)", arg);
    if (r->active)
        return lm_err_detail(MPI_ERR_REQUEST, "invalid request: %s is already active (wait "
                             "for it to complete before starting it again)", arg);
    return LM_OK;
}

LM_EXPORT int PMPI_Start(MPI_Request *request)
{
    static const char fn[] = "MPI_Start";
    LM_API_ENTER(fn);
    struct lm_request *r;
    if (!request)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "request is NULL"), fn);
    lm_lock();
    int rc = check_startable(*request, &r, "*request");
    if (rc == LM_OK)
        rc = r->start(r);
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(r ? r->comm : NULL, rc, fn);
}
LM_WEAK_ALIAS(Start)

LM_EXPORT int PMPI_Startall(int count, MPI_Request array_of_requests[])
{
    static const char fn[] = "MPI_Startall";
    LM_API_ENTER(fn);
    int rc = lm_check_count(count, "count");
    if (rc == LM_OK && count > 0 && !array_of_requests)
        rc = lm_err_detail(MPI_ERR_ARG, "array_of_requests is NULL");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    struct lm_request *r = NULL;
    lm_lock();
    /* check everything first, so an error starts nothing */
    for (int i = 0; rc == LM_OK && i < count; i++) {
        char arg[48];
        snprintf(arg, sizeof arg, "array_of_requests[%d]", i);
        rc = check_startable(array_of_requests[i], &r, arg);
        for (int j = 0; rc == LM_OK && j < i; j++)
            if (array_of_requests[j] == array_of_requests[i])
                rc = lm_err_detail(MPI_ERR_REQUEST, "invalid request: %s appears twice", arg);
    }
    for (int i = 0; rc == LM_OK && i < count; i++) {
        r = (struct lm_request *)array_of_requests[i];
        rc = r->start(r);
    }
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(r ? r->comm : NULL, rc, fn);
}
LM_WEAK_ALIAS(Startall)
