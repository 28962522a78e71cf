/* failure.c - operations with a peer that is gone.
 *
 * A transport that loses a peer (tcp: the connection ended without the peer's goodbye) or
 * hears it leave (tcp: its BYE from MPI_Finalize) tells pt2pt once, from progress. From then
 * on nothing that needs that peer may wait forever:
 *  - packets queued for it are dropped and their requests complete with the error;
 *  - sends waiting for its answer (CTS, FIN, SYNC_ACK) and receives in the middle of its
 *    rendezvous DATA complete with the error;
 *  - posted receives naming it fail; if it died, so do MPI_ANY_SOURCE receives posted on
 *    communicators that contain it (their message may have been the dead rank's);
 *  - later sends to it fail at once (the transport answers with the error), and later
 *    receives or probes naming it fail unless a message it sent earlier is already here;
 *    a later MPI_ANY_SOURCE receive fails only when every other member of its communicator
 *    is gone.
 * The error is an MPI_ERR_OTHER-class code whose text names both ranks and the cause.
 * Peers we never talked to are not watched: their failure is the launcher's to report.
 */
#include "pt2pt/pt2pt.h"

void lm_pt2pt_peer_failed(struct lm_peer *peer, int err, bool died)
{
    if (peer->failed)
        return;
    peer->failed = err;
    lm_proc.nfailed++;
    lm_sendq_fail(peer, err);
    lm_match_fail_posted(peer, died, err);
    for (struct lm_request *r = lm_request_live(), *next; r; r = next) {
        next = r->live_next; /* completing r may release it */
        if (r->complete || !r->comm || (r->persistent && !r->active))
            continue; /* done, or an inactive persistent request: nothing is pending */
        bool hit = r->kind == LM_REQ_SEND
                       ? r->peer == peer
                       : r->kind == LM_REQ_RECV && r->matched &&
                             r->status.source >= 0 && r->status.source < r->comm->size &&
                             lm_peer_of(r->comm, r->status.source) == peer;
        if (hit) {
            r->status.error = err;
            r->cancel_pending = false; /* the CANCEL_ACK can never come */
            lm_pt2pt_complete(r);
        }
    }
}

int lm_pt2pt_doomed(struct lm_comm *comm, int source)
{
    if (source != MPI_ANY_SOURCE)
        return source >= 0 && source < comm->size ? lm_peer_of(comm, source)->failed : LM_OK;
    int err = LM_OK;
    for (int r = 0; r < comm->size; r++) {
        if (r == comm->rank)
            continue;
        int e = lm_peer_of(comm, r)->failed;
        if (!e)
            return LM_OK;
        err = e;
    }
    return err;
}
