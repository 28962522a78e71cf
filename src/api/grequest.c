/* grequest.c - generalized requests (MPI_Grequest_start/complete) and their callbacks.
 *
 * A generalized request is an lm_request of kind LM_REQ_GREQ that only the user completes.
 * The callbacks run as the standard says: query_fn fills the status whenever a wait, test
 * or MPI_Request_get_status reports the completed request; free_fn runs once, when the
 * request is released: from the wait/test that completes it (after query_fn), or, if the
 * user called MPI_Request_free, from whichever of MPI_Request_free and
 * MPI_Grequest_complete comes last; cancel_fn runs from MPI_Cancel with complete telling
 * whether MPI_Grequest_complete was already called. The first error a callback returns is
 * what the MPI call returns (query_fn before free_fn). User code runs without the library
 * lock, so callbacks may call MPI.
 */
#include "api/api.h"

int lm_greq_query(struct lm_request *r, MPI_Status *status)
{
    MPI_Status tmp = {.MPI_ERROR = MPI_SUCCESS};
    MPI_Status *st = status == MPI_STATUS_IGNORE ? &tmp : status;
    int keep_error = st->MPI_ERROR;
    /* A query_fn that sets nothing reports an empty status. */
    lm_status_empty(st);
    int rc = MPI_SUCCESS;
    if (r->query_fn) {
        lm_unlock();
        rc = r->query_fn(r->extra_state, st);
        lm_lock();
    }
    st->MPI_ERROR = keep_error;
    return rc;
}

int lm_greq_free(struct lm_request *r)
{
    int rc = MPI_SUCCESS;
    if (r->free_fn) {
        lm_unlock();
        rc = r->free_fn(r->extra_state);
        lm_lock();
    }
    lm_request_release(r);
    return rc;
}

int lm_greq_cancel(struct lm_request *r)
{
    if (!r->cancel_fn)
        return MPI_SUCCESS;
    int complete = r->complete;
    lm_unlock();
    int rc = r->cancel_fn(r->extra_state, complete);
    lm_lock();
    return rc;
}

LM_EXPORT int PMPI_Grequest_start(MPI_Grequest_query_function *query_fn,
                                  MPI_Grequest_free_function *free_fn,
                                  MPI_Grequest_cancel_function *cancel_fn, void *extra_state,
                                  MPI_Request *request)
{
    static const char fn[] = "MPI_Grequest_start";
    LM_API_ENTER(fn);
    if (!request)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "request is NULL"), fn);
    lm_lock();
    struct lm_request *r = lm_request_alloc(LM_REQ_GREQ);
    lm_unlock();
    if (!r) {
        *request = MPI_REQUEST_NULL;
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_NO_MEM, "out of memory allocating a "
                                                "generalized request"), fn);
    }
    r->status.source = MPI_ANY_SOURCE;
    r->status.tag = MPI_ANY_TAG;
    r->query_fn = query_fn;
    r->free_fn = free_fn;
    r->cancel_fn = cancel_fn;
    r->extra_state = extra_state;
    *request = (MPI_Request)r;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Grequest_start)

LM_EXPORT int PMPI_Grequest_complete(MPI_Request request)
{
    static const char fn[] = "MPI_Grequest_complete";
    LM_API_ENTER(fn);
    struct lm_request *r;
    int rc = lm_check_request(request, &r, "request");
    if (rc == LM_OK && !r)
        rc = lm_err_detail(MPI_ERR_REQUEST, "request is MPI_REQUEST_NULL");
    else if (rc == LM_OK && r->kind != LM_REQ_GREQ)
        rc = lm_err_detail(MPI_ERR_REQUEST, "request = %p is not a generalized request "
                           "(from MPI_Grequest_start)", (void *)request);
    else if (rc == LM_OK && r->complete)
        rc = lm_err_detail(MPI_ERR_REQUEST, "MPI_Grequest_complete called twice on request "
                           "%p", (void *)request);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    r->complete = true;
    if (r->user_freed)
        rc = lm_greq_free(r); /* MPI_Request_free came first: free_fn runs now */
    else
        lm_progress_wake();
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Grequest_complete)
