/* request.c - completion calls: wait/test and their any/all/some forms, request_free,
 * request_get_status, start/startall and cancel.
 *
 * A completed request is reported and then released, its handle set to MPI_REQUEST_NULL;
 * a persistent one instead becomes inactive and keeps its handle. Null handles and
 * inactive persistent requests are "inactive" entries: an empty status, and they never
 * count as completing. Generalized requests go through their callbacks (grequest.c):
 * query_fn fills the status, free_fn runs when the request is released. Waitany/Testany
 * scan from where the previous call stopped, so a request that completes all the time
 * cannot starve the ones after it; Waitsome/Testsome return every completed request. */
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"

/* Where a request's error goes: its communicator (retained, so the handler can be called
 * with it after the request is gone; lm_api_error_put releases it). Only a failed request
 * takes the reference: NULL otherwise, which means MPI_COMM_SELF's handler. */
static struct lm_comm *req_errc(struct lm_request *r)
{
    if (!r || !r->comm || r->status.error == LM_OK)
        return NULL;
    lm_comm_retain(r->comm);
    return r->comm;
}

/* Drop a reference req_errc() took that will not be used (lock held). */
static void drop_errc(struct lm_comm *c)
{
    if (c)
        lm_comm_release(c);
}

/* Return value of a completion call (lock not held): success, or the error through the
 * handler of the request's communicator. */
static int err_out(struct lm_comm *e, int rc, const char *fn)
{
    if (rc != LM_OK)
        return lm_api_error_put(e, rc, fn);
    if (e) {
        lm_lock();
        drop_errc(e);
        lm_unlock();
    }
    return MPI_SUCCESS;
}

static inline bool inactive(MPI_Request h)
{
    return h == MPI_REQUEST_NULL || lm_request_inactive((struct lm_request *)h);
}

static inline bool done(MPI_Request h)
{
    return !inactive(h) && ((struct lm_request *)h)->complete;
}

/* Report a completed request: status out, then release (handle nulled) or deactivate.
 * Returns its error. Called with the lock held (generalized requests drop it around their
 * callbacks). */
static int finish(MPI_Request *h, MPI_Status *status, struct lm_comm **errh)
{
    struct lm_request *r = (struct lm_request *)*h;
    *errh = req_errc(r);
    if (r->kind == LM_REQ_GREQ) {
        int rc = lm_greq_query(r, status);
        int rc2 = lm_greq_free(r);
        *h = MPI_REQUEST_NULL;
        return rc != MPI_SUCCESS ? rc : rc2;
    }
    struct lm_status st;
    bool released;
    int rc = lm_request_reap(r, &st, &released);
    lm_status_to_mpi(&st, status);
    if (released)
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
    if (!r || lm_request_inactive(r)) {
        lm_status_empty(status);
        return MPI_SUCCESS;
    }
    struct lm_comm *e;
    lm_lock();
    if (!r->complete)
        lm_wait_until(lm_request_done, r);
    rc = finish(request, status, &e);
    lm_unlock();
    return err_out(e, rc, fn);
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
    if (!r || lm_request_inactive(r)) {
        *flag = 1;
        lm_status_empty(status);
        return MPI_SUCCESS;
    }
    struct lm_comm *e = NULL;
    lm_lock();
    if (!r->complete)
        lm_progress();
    *flag = r->complete;
    rc = r->complete ? finish(request, status, &e) : LM_OK;
    lm_unlock();
    return err_out(e, rc, fn);
}
LM_WEAK_ALIAS(Test)

/* ---- any ---------------------------------------------------------------------------------- */

struct array_arg {
    int count;
    MPI_Request *reqs;
};

/* Where the next Waitany/Testany scan starts: one past the index it returned last. */
static unsigned any_next;

/* A completed entry, scanning from `start` round the array; -1 if none. */
static int first_complete(const struct array_arg *a, int start, bool *any_active)
{
    *any_active = false;
    for (int k = 0; k < a->count; k++) {
        int i = start + k < a->count ? start + k : start + k - a->count;
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
    return first_complete(arg, 0, &active) >= 0 || !active;
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
    struct lm_comm *e = NULL;
    bool active;
    lm_lock();
    if (block)
        lm_wait_until(any_done, &a);
    else
        lm_progress();
    int start = count > 0 ? (int)(any_next % (unsigned)count) : 0;
    int i = first_complete(&a, start, &active);
    if (flag)
        *flag = i >= 0 || !active;
    *index = MPI_UNDEFINED;
    if (i >= 0) {
        *index = i;
        any_next = (unsigned)i + 1;
        rc = finish(&reqs[i], status, &e);
    } else if (!active) {
        lm_status_empty(status);
    }
    lm_unlock();
    return err_out(e, rc, fn);
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
        if (!inactive(a->reqs[i]) && !((struct lm_request *)a->reqs[i])->complete)
            return false;
    return true;
}

/* Finish every request of a completed set; MPI_ERR_IN_STATUS if any failed. */
static int finish_all(int count, MPI_Request reqs[], MPI_Status statuses[],
                      struct lm_comm **errh)
{
    int errors = 0, first = LM_OK;
    for (int i = 0; i < count; i++) {
        MPI_Status *st = statuses == MPI_STATUSES_IGNORE ? MPI_STATUS_IGNORE : &statuses[i];
        if (inactive(reqs[i])) {
            lm_status_empty(st);
            continue;
        }
        struct lm_comm *e;
        int rc = finish(&reqs[i], st, &e);
        if (st != MPI_STATUS_IGNORE)
            st->MPI_ERROR = rc;
        if (rc != LM_OK && errors++ == 0) {
            first = rc;
            *errh = e;
        } else {
            drop_errc(e);
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
    struct lm_comm *e = NULL;
    lm_lock();
    lm_wait_until(all_done, &a);
    rc = finish_all(count, array_of_requests, array_of_statuses, &e);
    lm_unlock();
    return err_out(e, rc, fn);
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
    struct lm_comm *e = NULL;
    lm_lock();
    lm_progress();
    *flag = all_done(&a);
    if (*flag)
        rc = finish_all(count, array_of_requests, array_of_statuses, &e);
    lm_unlock();
    return err_out(e, rc, fn);
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
    struct lm_comm *e = NULL;
    bool active;
    lm_lock();
    if (block)
        lm_wait_until(any_done, &a);
    else
        lm_progress();
    first_complete(&a, 0, &active);
    if (!active) {
        *outcount = MPI_UNDEFINED;
        lm_unlock();
        return MPI_SUCCESS;
    }
    int n = 0, errors = 0, first = LM_OK;
    for (int i = 0; i < incount; i++) {
        if (!done(reqs[i]))
            continue;
        MPI_Status *st = statuses == MPI_STATUSES_IGNORE ? MPI_STATUS_IGNORE : &statuses[n];
        struct lm_comm *ei;
        int r = finish(&reqs[i], st, &ei);
        if (st != MPI_STATUS_IGNORE)
            st->MPI_ERROR = r;
        if (r != LM_OK && errors++ == 0) {
            first = r;
            e = ei;
        } else {
            drop_errc(ei);
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
    return lm_api_error_put(e, rc, fn);
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
    *request = MPI_REQUEST_NULL;
    if (r->kind == LM_REQ_GREQ) {
        /* free_fn runs now if MPI_Grequest_complete was called, else from there. */
        struct lm_comm *e = req_errc(r);
        if (r->complete)
            rc = lm_greq_free(r);
        else
            r->user_freed = true;
        lm_unlock();
        return err_out(e, rc, fn);
    }
    lm_request_free_user(r);
    lm_unlock();
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
    if (!r || lm_request_inactive(r)) {
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
    if (!r->complete)
        rc = LM_OK;
    else if (r->kind == LM_REQ_GREQ)
        rc = lm_greq_query(r, status); /* the request stays: no free_fn */
    else {
        lm_status_to_mpi(&r->status, status);
        rc = r->status.error;
    }
    struct lm_comm *e = req_errc(r);
    lm_unlock();
    return err_out(e, rc, fn);
}
LM_WEAK_ALIAS(Request_get_status)

/* ---- start / cancel ------------------------------------------------------------------------ */

/* The one request MPI_Start and MPI_Cancel act on: a valid, non-null handle. */
static int active_handle(MPI_Request *request, struct lm_request **r)
{
    int rc;
    if (!request)
        return lm_err_detail(MPI_ERR_ARG, "request is NULL");
    if ((rc = lm_check_request(*request, r, "*request")) != LM_OK)
        return rc;
    if (!*r)
        return lm_err_detail(MPI_ERR_REQUEST, "request is MPI_REQUEST_NULL");
    return LM_OK;
}

LM_EXPORT int PMPI_Start(MPI_Request *request)
{
    static const char fn[] = "MPI_Start";
    LM_API_ENTER(fn);
    struct lm_request *r;
    int rc = active_handle(request, &r);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = lm_start(r);
    struct lm_comm *e = req_errc(r);
    lm_unlock();
    return err_out(e, rc, fn);
}
LM_WEAK_ALIAS(Start)

LM_EXPORT int PMPI_Startall(int count, MPI_Request array_of_requests[])
{
    static const char fn[] = "MPI_Startall";
    LM_API_ENTER(fn);
    int rc = check_array(count, array_of_requests, fn);
    /* Check every entry first so a bad one starts nothing. */
    for (int i = 0; rc == LM_OK && i < count; i++) {
        struct lm_request *r = (struct lm_request *)array_of_requests[i];
        if (array_of_requests[i] == MPI_REQUEST_NULL)
            rc = lm_err_detail(MPI_ERR_REQUEST, "array_of_requests[%d] is MPI_REQUEST_NULL",
                               i);
        else if (!r->persistent)
            rc = lm_err_detail(MPI_ERR_REQUEST, "array_of_requests[%d] is not a persistent "
                               "request", i);
        else if (r->active)
            rc = lm_err_detail(MPI_ERR_REQUEST, "array_of_requests[%d] is already active", i);
    }
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    struct lm_comm *e = NULL;
    lm_lock();
    for (int i = 0; i < count; i++) {
        struct lm_request *r = (struct lm_request *)array_of_requests[i];
        int ri = lm_start(r);
        if (ri != LM_OK && rc == LM_OK) {
            rc = ri;
            e = req_errc(r);
        }
    }
    lm_unlock();
    return err_out(e, rc, fn);
}
LM_WEAK_ALIAS(Startall)

LM_EXPORT int PMPI_Cancel(MPI_Request *request)
{
    static const char fn[] = "MPI_Cancel";
    LM_API_ENTER(fn);
    struct lm_request *r;
    int rc = active_handle(request, &r);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (lm_request_inactive(r))
        return lm_api_error_put(req_errc(r), lm_err_detail(MPI_ERR_REQUEST, "MPI_Cancel on "
                                 "an inactive persistent request (start it first)"), fn);
    lm_lock();
    struct lm_comm *e = req_errc(r);
    rc = r->kind == LM_REQ_GREQ ? lm_greq_cancel(r) : lm_cancel(r);
    lm_unlock();
    return err_out(e, rc, fn);
}
LM_WEAK_ALIAS(Cancel)
