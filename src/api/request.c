/* request.c - completion calls: wait/test and their any/all/some forms, request_free,
 * request_get_status. A completed request is released and its handle set to
 * MPI_REQUEST_NULL; null handles count as inactive (empty status). */
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"

/* The handler that applies to a request's error: its communicator's. */
static struct lm_errhandler *req_errh(struct lm_request *r)
{
    return r && r->comm ? r->comm->errh : NULL;
}

/* Null handles and inactive persistent requests: what the any/some forms skip. */
static bool inactive(MPI_Request h)
{
    struct lm_request *r = (struct lm_request *)h;
    return h == MPI_REQUEST_NULL || (r->persistent && !r->active);
}

/* Finish a completed request: status out, release (persistent ones: deactivate), handle
 * nulled. Returns its error. */
static int finish(MPI_Request *h, MPI_Status *status, struct lm_errhandler **errh)
{
    struct lm_request *r = (struct lm_request *)*h;
    struct lm_status st;
    *errh = req_errh(r);
    bool persistent = r->persistent;
    if (persistent && !r->active) {
        lm_status_empty(status);
        return LM_OK;
    }
    int rc = lm_request_finish(r, &st);
    lm_status_to_mpi(&st, status);
    if (!persistent)
        *h = MPI_REQUEST_NULL;
    return rc;
}

static int check_array(int count, const MPI_Request reqs[], const char *fn)
{
    int rc = lm_check_count(count, "count");
    if (rc == LM_OK && count > 0 && !reqs)
        rc = lm_err_detail(MPI_ERR_ARG, "array_of_requests is NULL");
    for (int i = 0; rc == LM_OK && i < count; i++) {
        struct lm_request *r;
        char arg[48];
        snprintf(arg, sizeof arg, "array_of_requests[%d]", i);
        rc = lm_check_request(reqs[i], &r, arg);
    }
    return rc;
}

LM_EXPORT int PMPI_Wait(MPI_Request *request, MPI_Status *status)
{
    static const char fn[] = "MPI_Wait";
    LM_API_ENTER(fn);
    struct lm_request *r;
    int rc;
    if (!request)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "request is NULL"), fn);
    if ((rc = lm_check_request(*request, &r, "*request")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!r) {
        lm_status_empty(status);
        return MPI_SUCCESS;
    }
    struct lm_errhandler *e;
    lm_lock();
    if (!r->complete)
        lm_wait_until(lm_request_done, r);
    rc = finish(request, status, &e);
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error_errh(e, rc, fn);
}
LM_WEAK_ALIAS(Wait)

LM_EXPORT int PMPI_Test(MPI_Request *request, int *flag, MPI_Status *status)
{
    static const char fn[] = "MPI_Test";
    LM_API_ENTER(fn);
    struct lm_request *r;
    int rc;
    if (!request || !flag)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "request or flag is NULL"), fn);
    if ((rc = lm_check_request(*request, &r, "*request")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!r) {
        *flag = 1;
        lm_status_empty(status);
        return MPI_SUCCESS;
    }
    struct lm_errhandler *e = NULL;
    lm_lock();
    if (!r->complete)
        lm_progress();
    *flag = r->complete;
    rc = r->complete ? finish(request, status, &e) : LM_OK;
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error_errh(e, rc, fn);
}
LM_WEAK_ALIAS(Test)

/* ---- any ---------------------------------------------------------------------------------- */

struct array_arg {
    int count;
    MPI_Request *reqs;
};

static int first_complete(const struct array_arg *a, bool *any_active)
{
    *any_active = false;
    for (int i = 0; i < a->count; i++) {
        if (inactive(a->reqs[i]))
            continue;
        *any_active = true;
        if (((struct lm_request *)a->reqs[i])->complete)
            return i;
    }
    return -1;
}

static bool any_done(void *arg)
{
    bool active;
    return first_complete(arg, &active) >= 0 || !active;
}

static int any_common(int count, MPI_Request reqs[], int *index, int *flag, MPI_Status *status,
                      bool block, const char *fn)
{
    LM_API_ENTER(fn);
    int rc = check_array(count, reqs, fn);
    if (rc == LM_OK && !index)
        rc = lm_err_detail(MPI_ERR_ARG, "index is NULL");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    struct array_arg a = {count, reqs};
    struct lm_errhandler *e = NULL;
    bool active;
    lm_lock();
    if (block)
        lm_wait_until(any_done, &a);
    else
        lm_progress();
    int i = first_complete(&a, &active);
    if (flag)
        *flag = i >= 0 || !active;
    *index = MPI_UNDEFINED;
    if (i >= 0) {
        *index = i;
        rc = finish(&reqs[i], status, &e);
    } else if (!active) {
        lm_status_empty(status);
    }
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error_errh(e, rc, fn);
}

LM_EXPORT int PMPI_Waitany(int count, MPI_Request array_of_requests[], int *index,
                           MPI_Status *status)
{
    return any_common(count, array_of_requests, index, NULL, status, true, "MPI_Waitany");
}
LM_WEAK_ALIAS(Waitany)

LM_EXPORT int PMPI_Testany(int count, MPI_Request array_of_requests[], int *index, int *flag,
                           MPI_Status *status)
{
    if (!flag)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "flag is NULL"), "MPI_Testany");
    return any_common(count, array_of_requests, index, flag, status, false, "MPI_Testany");
}
LM_WEAK_ALIAS(Testany)

/* ---- all ---------------------------------------------------------------------------------- */

static bool all_done(void *arg)
{
    struct array_arg *a = arg;
    for (int i = 0; i < a->count; i++)
        if (a->reqs[i] != MPI_REQUEST_NULL && !((struct lm_request *)a->reqs[i])->complete)
            return false;
    return true;
}

/* Finish every request of a completed set; MPI_ERR_IN_STATUS if any failed. */
static int finish_all(int count, MPI_Request reqs[], MPI_Status statuses[],
                      struct lm_errhandler **errh)
{
    int errors = 0, first = LM_OK;
    for (int i = 0; i < count; i++) {
        MPI_Status *st = statuses == MPI_STATUSES_IGNORE ? MPI_STATUS_IGNORE : &statuses[i];
        if (reqs[i] == MPI_REQUEST_NULL) {
            lm_status_empty(st);
            continue;
        }
        struct lm_errhandler *e;
        int rc = finish(&reqs[i], st, &e);
        if (st != MPI_STATUS_IGNORE)
            st->MPI_ERROR = rc;
        if (rc != LM_OK && errors++ == 0) {
            first = rc;
            *errh = e;
        }
    }
    if (errors == 0)
        return LM_OK;
    if (statuses == MPI_STATUSES_IGNORE)
        return first;
    return lm_err_detail(MPI_ERR_IN_STATUS, "%d of %d requests failed; see each status's "
                         "MPI_ERROR (first: %s)", errors, count, lm_err_string(first));
}

LM_EXPORT int PMPI_Waitall(int count, MPI_Request array_of_requests[],
                           MPI_Status array_of_statuses[])
{
    static const char fn[] = "MPI_Waitall";
    LM_API_ENTER(fn);
    int rc = check_array(count, array_of_requests, fn);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    struct array_arg a = {count, array_of_requests};
    struct lm_errhandler *e = NULL;
    lm_lock();
    lm_wait_until(all_done, &a);
    rc = finish_all(count, array_of_requests, array_of_statuses, &e);
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error_errh(e, rc, fn);
}
LM_WEAK_ALIAS(Waitall)

LM_EXPORT int PMPI_Testall(int count, MPI_Request array_of_requests[], int *flag,
                           MPI_Status array_of_statuses[])
{
    static const char fn[] = "MPI_Testall";
    LM_API_ENTER(fn);
    int rc = check_array(count, array_of_requests, fn);
    if (rc == LM_OK && !flag)
        rc = lm_err_detail(MPI_ERR_ARG, "flag is NULL");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    struct array_arg a = {count, array_of_requests};
    struct lm_errhandler *e = NULL;
    lm_lock();
    lm_progress();
    *flag = all_done(&a);
    if (*flag)
        rc = finish_all(count, array_of_requests, array_of_statuses, &e);
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error_errh(e, rc, fn);
}
LM_WEAK_ALIAS(Testall)

/* ---- some --------------------------------------------------------------------------------- */

static int some_common(int incount, MPI_Request reqs[], int *outcount, int indices[],
                       MPI_Status statuses[], bool block, const char *fn)
{
    LM_API_ENTER(fn);
    int rc = check_array(incount, reqs, fn);
    if (rc == LM_OK && (!outcount || (incount > 0 && !indices)))
        rc = lm_err_detail(MPI_ERR_ARG, "outcount or array_of_indices is NULL");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    struct array_arg a = {incount, reqs};
    struct lm_errhandler *e = NULL;
    bool active;
    lm_lock();
    if (block)
        lm_wait_until(any_done, &a);
    else
        lm_progress();
    first_complete(&a, &active);
    if (!active) {
        *outcount = MPI_UNDEFINED;
        lm_unlock();
        return MPI_SUCCESS;
    }
    int n = 0, errors = 0, first = LM_OK;
    for (int i = 0; i < incount; i++) {
        if (inactive(reqs[i]) || !((struct lm_request *)reqs[i])->complete)
            continue;
        MPI_Status *st = statuses == MPI_STATUSES_IGNORE ? MPI_STATUS_IGNORE : &statuses[n];
        struct lm_errhandler *ei;
        int r = finish(&reqs[i], st, &ei);
        if (st != MPI_STATUS_IGNORE)
            st->MPI_ERROR = r;
        if (r != LM_OK && errors++ == 0) {
            first = r;
            e = ei;
        }
        indices[n++] = i;
    }
    *outcount = n;
    lm_unlock();
    if (errors == 0)
        return MPI_SUCCESS;
    rc = statuses == MPI_STATUSES_IGNORE ? first
         : lm_err_detail(MPI_ERR_IN_STATUS, "%d completed requests failed; see each "
                         "status's MPI_ERROR", errors);
    return lm_api_error_errh(e, rc, fn);
}

LM_EXPORT int PMPI_Waitsome(int incount, MPI_Request array_of_requests[], int *outcount,
                            int array_of_indices[], MPI_Status array_of_statuses[])
{
    return some_common(incount, array_of_requests, outcount, array_of_indices,
                       array_of_statuses, true, "MPI_Waitsome");
}
LM_WEAK_ALIAS(Waitsome)

LM_EXPORT int PMPI_Testsome(int incount, MPI_Request array_of_requests[], int *outcount,
                            int array_of_indices[], MPI_Status array_of_statuses[])
{
    return some_common(incount, array_of_requests, outcount, array_of_indices,
                       array_of_statuses, false, "MPI_Testsome");
}
LM_WEAK_ALIAS(Testsome)

/* ---- free / status ------------------------------------------------------------------------ */

LM_EXPORT int PMPI_Request_free(MPI_Request *request)
{
    static const char fn[] = "MPI_Request_free";
    LM_API_ENTER(fn);
    struct lm_request *r;
    int rc;
    if (!request)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "request is NULL"), fn);
    if ((rc = lm_check_request(*request, &r, "*request")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!r)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_REQUEST, "request is MPI_REQUEST_NULL"),
                            fn);
    lm_lock();
    lm_request_free_user(r);
    lm_unlock();
    *request = MPI_REQUEST_NULL;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Request_free)

LM_EXPORT int PMPI_Request_get_status(MPI_Request request, int *flag, MPI_Status *status)
{
    static const char fn[] = "MPI_Request_get_status";
    LM_API_ENTER(fn);
    struct lm_request *r;
    int rc;
    if (!flag)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "flag is NULL"), fn);
    if ((rc = lm_check_request(request, &r, "request")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!r) {
        *flag = 1;
        lm_status_empty(status);
        return MPI_SUCCESS;
    }
    lm_lock();
    if (inactive(request)) {
        lm_unlock();
        *flag = 1;
        lm_status_empty(status);
        return MPI_SUCCESS;
    }
    if (!r->complete)
        lm_progress();
    *flag = r->complete;
    if (r->complete)
        lm_status_to_mpi(&r->status, status);
    rc = r->complete ? r->status.error : LM_OK;
    struct lm_errhandler *e = req_errh(r);
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error_errh(e, rc, fn);
}
LM_WEAK_ALIAS(Request_get_status)
