/* persistent.c - MPI_Start for persistent requests (MPI_Send_init and friends).
 *
 * A persistent request is an ordinary send or receive request (created by lm_send_init /
 * lm_recv_init in protocol.c, with its communicator and datatype retained) that is never
 * released by completion: the wait/test family reports it and marks it inactive, and each
 * start resets the protocol state and runs the same start code as MPI_Isend/MPI_Irecv on
 * the same object. Its address stays the cookie peers echo, which is safe because a
 * request is restarted only after everything of its previous round has arrived.
 * Buffered mode (MPI_Bsend_init) copies into the attached buffer at each start and is
 * complete at once, like MPI_Ibsend.
 */
#include "pt2pt/pt2pt.h"

int lm_start(struct lm_request *req)
{
    if (!req->persistent)
        return lm_err_detail(MPI_ERR_REQUEST, "MPI_Start on a request that is not persistent "
                             "(only requests from MPI_Send_init, MPI_Recv_init, ... can be "
                             "started)");
    if (req->active)
        return lm_err_detail(MPI_ERR_REQUEST, "MPI_Start on a persistent request that is "
                             "already active (complete it with a wait or test first)");
    if (req->start) /* kinds with their own machinery (collective schedules) */
        return req->start(req);
    req->complete = false;
    req->injected = false;
    req->acked = false;
    req->cancel_pending = false;
    req->sent = 0;
    req->rreq = 0;
    req->seq = 0;
    req->received = 0;
    req->msg_size = 0;
    req->next = NULL;
    int rc;
    if (req->kind == LM_REQ_RECV) {
        rc = lm_recv_start(req, req->ctx);
    } else if (req->mode == LM_MODE_BUFFERED) {
        rc = lm_bsend(req->buf, req->count, req->dt, req->rank, req->tag, req->comm);
        req->status = (struct lm_status){.source = req->rank == MPI_PROC_NULL ? MPI_PROC_NULL
                                                                              : MPI_ANY_SOURCE,
                                         .tag = MPI_ANY_TAG};
        req->complete = true;
    } else {
        rc = lm_send_start(req, req->ctx);
    }
    if (rc != LM_OK) {
        /* Nothing refers to it: it stays inactive and can be started again. */
        req->complete = false;
        return rc;
    }
    req->active = true;
    return LM_OK;
}
