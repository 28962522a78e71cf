/* pt2pt.h - requests, matching, protocols and the progress engine.
 *
 * The API layer and (later) collectives call these with internal objects. A request is
 * the one object that tracks any pending operation; its pointer is the MPI_Request users
 * see and the cookie peers echo back in CTS/FIN/SYNC_ACK packets. Blocking calls are the
 * nonblocking ones plus lm_wait(), except the eager fast paths that complete in place.
 */
#ifndef LM_PT2PT_H
#define LM_PT2PT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "datatype/datatype.h"
#include "transport/transport.h"

struct lm_status {
    int source, tag, error;
    size_t bytes;
    bool cancelled;
};

/* LM_REQ_GREQ: a generalized request (MPI_Grequest_start); the API layer runs its
 * callbacks, pt2pt only keeps them. */
enum lm_req_kind {
    LM_REQ_SEND = 1,
    LM_REQ_RECV,
    LM_REQ_COMM,    /* communicator construction (MPI_Comm_idup): complete when returned */
    LM_REQ_GREQ,
    LM_REQ_COLL,    /* a collective schedule (src/coll) */
};

/* LM_MODE_BUFFERED only appears on persistent requests (MPI_Bsend_init): each MPI_Start
 * copies the message into the attached buffer and sends it from there. */
enum lm_send_mode { LM_MODE_STANDARD, LM_MODE_SYNC, LM_MODE_READY, LM_MODE_BUFFERED };

struct lm_bsend_block;

struct lm_request {
    uint32_t magic;
    uint8_t kind;            /* enum lm_req_kind */
    bool complete;
    bool user_freed;         /* MPI_Request_free: release when complete */
    bool persistent;         /* MPI_*_init: survives completion, restarted by MPI_Start */
    bool active;             /* persistent: started, not yet completed by a wait/test */
    bool cancel_pending;     /* send: CANCEL is out; completion waits for the reply */
    struct lm_status status;
    struct lm_comm *comm;    /* retained while the request lives */
    uint32_t ctx;            /* context id the operation runs on */

    void *buf;               /* user buffer */
    size_t count;
    struct lm_datatype *dt;  /* retained */
    int rank, tag;           /* peer rank (or MPI_ANY_SOURCE) and tag (or MPI_ANY_TAG) */
    size_t size;             /* send: message bytes; recv: buffer capacity in bytes */

    /* send side */
    uint8_t mode;            /* enum lm_send_mode */
    bool injected;           /* all our packets are handed to the transport */
    bool acked;              /* SYNC_ACK / FIN / last DATA sent, as the protocol requires */
    struct lm_peer *peer;
    const char *src;         /* contiguous bytes to send: user buffer or `packed` */
    void *packed;            /* owned copy of non-contiguous send data */
    uint64_t rreq;           /* receiver's cookie after CTS */
    size_t sent;             /* DATA bytes handed to the transport */
    uint64_t seq;            /* this message's id at the receiver (MPI_Cancel); 0: none */
    struct lm_bsend_block *bblock; /* buffered send: its space in the attached buffer */

    /* recv side */
    size_t received;         /* DATA bytes arrived */
    size_t msg_size;         /* size of the matched message */
    bool matched;            /* an arrival matched it (rendezvous data may still follow) */
    struct lm_request *next; /* posted-queue link */
    /* Allocate-on-match receive (lm_irecv_alloc): asked for the buffer once the message
     * size is known, so that a message of any size lands whole. */
    MPIX_Recv_alloc_function *alloc;
    void *alloc_state;

    /* generalized requests: the user's callbacks, run by src/api/grequest.c */
    MPI_Grequest_query_function *query_fn;
    MPI_Grequest_free_function *free_fn;
    MPI_Grequest_cancel_function *cancel_fn;
    void *extra_state;
    /* Every allocated request, so a peer failure can find those waiting on that peer. */
    struct lm_request *live_prev, *live_next;
    /* Kinds with their own machinery (collective schedules): MPI_Start calls start() for
     * them, and free_ext() releases `ext` when the request itself is released. */
    int (*start)(struct lm_request *req);
    void (*free_ext)(struct lm_request *req);
    void *ext;               /* kind-specific state (LM_REQ_COLL: the schedule) */
};

/* A persistent request that is not started (or whose completion was already reported)
 * behaves like MPI_REQUEST_NULL in the wait/test family, but stays allocated. */
static inline bool lm_request_inactive(const struct lm_request *req)
{
    return req->persistent && !req->active;
}

/* Requests */
struct lm_request *lm_request_alloc(int kind);
void lm_request_release(struct lm_request *req);
void lm_request_free_user(struct lm_request *req);  /* MPI_Request_free */
extern int lm_pt2pt_freed_sends;                     /* freed, still in flight */
int lm_request_finish(struct lm_request *req, struct lm_status *st); /* copy status, release */
/* Reports a completed send/recv request to the user: status out, then a persistent request
 * becomes inactive (*released = false), any other is released. Returns its error. */
int lm_request_reap(struct lm_request *req, struct lm_status *st, bool *released);
struct lm_request *lm_request_live(void);            /* first of every allocated request */

/* Operations. `dest`/`source` are ranks in comm (MPI_PROC_NULL, MPI_ANY_SOURCE allowed). */
int lm_isend(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
             struct lm_comm *comm, int mode, struct lm_request **out);
int lm_send(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
            struct lm_comm *comm, int mode);
int lm_irecv(void *buf, size_t count, struct lm_datatype *dt, int source, int tag,
             struct lm_comm *comm, struct lm_request **out);
int lm_recv(void *buf, size_t count, struct lm_datatype *dt, int source, int tag,
            struct lm_comm *comm, struct lm_status *st);
/* A receive of bytes whose buffer alloc(size, state) provides when a message matches
 * (MPIX_Irecv_alloc); not called for an empty message. It runs with the library lock held,
 * from whichever thread progresses; returning NULL fails the receive with MPI_ERR_NO_MEM
 * (the message is consumed). */
int lm_irecv_alloc(MPIX_Recv_alloc_function *alloc, void *state, int source, int tag,
                   struct lm_comm *comm, struct lm_request **out);
int lm_iprobe(int source, int tag, struct lm_comm *comm, bool *flag, struct lm_status *st);
int lm_probe(int source, int tag, struct lm_comm *comm, struct lm_status *st);

/* Starting a request whose fields (comm and dt retained, buf, count, dt, rank, tag, mode,
 * size) are filled: the protocol part of lm_isend/lm_irecv, reused by MPI_Start. On error
 * the request is complete with status.error set, and nothing refers to it. */
int lm_send_start(struct lm_request *req, uint32_t ctx);
int lm_recv_start(struct lm_request *req, uint32_t ctx);

/* Variants on an explicit context id (collectives use comm->ctx + 1). */
int lm_isend_ctx(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
                 struct lm_comm *comm, uint32_t ctx, int mode, struct lm_request **out);
int lm_irecv_ctx(void *buf, size_t count, struct lm_datatype *dt, int source, int tag,
                 struct lm_comm *comm, uint32_t ctx, struct lm_request **out);

/* Matched probes (MPI_Mprobe/Improbe): the message leaves the unexpected queue and is
 * owned by the handle (eager payload, or the rendezvous descriptor whose CTS waits for
 * lm_imrecv). The handle is the object's address; it starts with LM_MAGIC_MSG. */
#define LM_MAGIC_MSG 0x4c4d4d53U /* "LMMS" */
struct lm_message;
int lm_improbe(int source, int tag, struct lm_comm *comm, bool *flag, struct lm_message **msg,
               struct lm_status *st);
int lm_mprobe(int source, int tag, struct lm_comm *comm, struct lm_message **msg,
              struct lm_status *st);
/* Receives the message (consumed, even on error) into a new request. */
int lm_imrecv(void *buf, size_t count, struct lm_datatype *dt, struct lm_message *msg,
              struct lm_request **out);
bool lm_message_valid(const struct lm_message *msg);
struct lm_comm *lm_message_comm(const struct lm_message *msg);

/* Persistent requests (persistent.c): created inactive, started by lm_start. */
int lm_send_init(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
                 struct lm_comm *comm, int mode, struct lm_request **out);
int lm_recv_init(void *buf, size_t count, struct lm_datatype *dt, int source, int tag,
                 struct lm_comm *comm, struct lm_request **out);
int lm_start(struct lm_request *req);

/* MPI_Cancel for sends and receives (generalized requests are the API layer's). A receive
 * still in the posted queue completes at once as cancelled; a send asks the receiver to
 * drop the message if it is still unmatched there and completes when the answer comes.
 * Anything already matched or complete completes normally. */
int lm_cancel(struct lm_request *req);

/* Buffered mode (bsend.c): the one process-wide buffer of MPI_Buffer_attach. */
int lm_buffer_attach(void *buf, size_t size);
int lm_buffer_detach(void **buf, size_t *size); /* waits until buffered sends are out */
int lm_bsend(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
             struct lm_comm *comm);
void lm_bsend_block_free(struct lm_bsend_block *b);
bool lm_bsend_idle(void);

/* Progress and waiting. lm_wait_until() spins briefly, then sleeps on the transports'
 * doorbells until done(arg) is true. Called with the library lock held. */
int lm_progress(void);         /* returns the number of packets moved */
void lm_wait_until(bool (*done)(void *arg), void *arg);
int lm_wait(struct lm_request *req, struct lm_status *st); /* waits and releases */
bool lm_request_done(void *req);                            /* predicate for lm_wait_until */
/* Wakes a thread sleeping in lm_wait_until (something outside packet traffic completed a
 * request, e.g. MPI_Grequest_complete from another thread). */
void lm_progress_wake(void);

/* Work layered above pt2pt that advances from progress (collective schedules): while set,
 * lm_progress() calls it after moving packets; it returns how many steps it took. */
extern int (*lm_progress_hook)(void);

/* Matching queues are per context id. */
int lm_pt2pt_init(void);
void lm_pt2pt_finalize(void);
bool lm_pt2pt_idle(void);   /* nothing queued for sending */
void lm_progress_configure(void);           /* read LITEMPI_SPIN_NS etc. */
void lm_pt2pt_injected(struct lm_request *req); /* send queue -> protocol */

/* Packet output with per-peer FIFO ordering (sendq when the transport has no room). */
int lm_pkt_send(struct lm_peer *peer, const struct lm_pkt_hdr *hdr, const void *payload,
                size_t len, struct lm_request *req);

/* Peer failure (failure.c; lm_pt2pt_peer_failed is declared in transport.h). */
void lm_sendq_fail(struct lm_peer *peer, int err);              /* progress.c */
void lm_match_fail_posted(struct lm_peer *peer, bool wildcards, int err); /* protocol.c */
void lm_pt2pt_complete(struct lm_request *req);                 /* protocol.c */
/* A receive from `source` in comm that can never be matched because the senders are gone:
 * the error code, else LM_OK. Only worth calling when lm_proc.nfailed > 0. */
int lm_pt2pt_doomed(struct lm_comm *comm, int source);

#endif
