/* pt2pt_alloc.c - MPIX_Recv_alloc / MPIX_Irecv_alloc: receiving a message of unknown size.
 *
 * The portable way is MPI_Mprobe, sizing a buffer from the status, then MPI_Mrecv: two calls
 * and two trips through the matching engine, and no nonblocking form that keeps the order of
 * posted receives (an MPI_Irecv needs its buffer up front). These extensions post an ordinary
 * receive of bytes at once, so it matches exactly where an MPI_Irecv posted at the same time
 * would, and ask the caller's allocator for the buffer when a message matches, with the
 * message's exact size. The Python module receives pickled objects this way.
 */
#include "api/api.h"

static int check_alloc_recv(MPIX_Recv_alloc_function *alloc, int source, int tag,
                            MPI_Comm comm, struct lm_comm **c)
{
    int rc;
    *c = NULL;
    if ((rc = lm_check_comm(comm, c, "comm")) != LM_OK)
        return rc;
    if ((rc = lm_check_rank(*c, source, true, "source")) != LM_OK ||
        (rc = lm_check_tag(tag, true, "tag")) != LM_OK)
        return rc;
    if (!alloc)
        return lm_err_detail(MPI_ERR_ARG, "alloc is NULL");
    return LM_OK;
}

LM_EXPORT int MPIX_Recv_alloc(MPIX_Recv_alloc_function *alloc, void *state, int source,
                              int tag, MPI_Comm comm, MPI_Status *status)
{
    static const char fn[] = "MPIX_Recv_alloc";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = check_alloc_recv(alloc, source, tag, comm, &c);
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    struct lm_request *req;
    struct lm_status st = {0};
    lm_lock();
    lm_call_enter(fn, "source", source, tag, c);
    rc = lm_irecv_alloc(alloc, state, source, tag, c, &req);
    if (rc == LM_OK)
        rc = lm_wait(req, &st);
    else if (req)
        lm_request_release(req);
    lm_unlock();
    lm_status_to_mpi(&st, status);
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(c, rc, fn);
}

LM_EXPORT int MPIX_Irecv_alloc(MPIX_Recv_alloc_function *alloc, void *state, int source,
                               int tag, MPI_Comm comm, MPI_Request *request)
{
    static const char fn[] = "MPIX_Irecv_alloc";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = check_alloc_recv(alloc, source, tag, comm, &c);
    if (rc == LM_OK && !request)
        rc = lm_err_detail(MPI_ERR_ARG, "request is NULL");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    struct lm_request *req = NULL;
    lm_lock();
    rc = lm_irecv_alloc(alloc, state, source, tag, c, &req);
    if (rc != LM_OK && req)
        lm_request_release(req);
    lm_unlock();
    if (rc != LM_OK) {
        *request = MPI_REQUEST_NULL;
        return lm_api_error(c, rc, fn);
    }
    *request = (MPI_Request)req;
    return MPI_SUCCESS;
}
