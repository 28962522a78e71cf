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

enum lm_req_kind { LM_REQ_SEND = 1, LM_REQ_RECV, LM_REQ_COLL /* src/coll schedule */ };

enum lm_send_mode { LM_MODE_STANDARD, LM_MODE_SYNC, LM_MODE_READY };

struct lm_request {
    uint32_t magic;
    uint8_t kind;            /* enum lm_req_kind */
    bool complete;
    bool user_freed;         /* MPI_Request_free: release when complete */
    struct lm_status status;
    struct lm_comm *comm;    /* retained while the request lives */

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

    /* recv side */
    size_t received;         /* DATA bytes arrived */
    size_t msg_size;         /* size of the matched message */
    struct lm_request *next; /* posted-queue link */

    /* Kinds other than plain send/recv (collective schedules; persistent requests).
     * A persistent request survives Wait/Test: lm_request_finish() only deactivates it,
     * and MPI_Start calls start() to run it again. free_ext() releases `ext` when the
     * request itself is released. */
    bool persistent;         /* made by an *_init call */
    bool active;             /* persistent: started and not yet completed by Wait/Test */
    int (*start)(struct lm_request *req);
    void (*free_ext)(struct lm_request *req);
    void *ext;               /* kind-specific state (LM_REQ_COLL: the schedule) */
};

/* Requests */
struct lm_request *lm_request_alloc(int kind);
void lm_request_release(struct lm_request *req);
void lm_request_free_user(struct lm_request *req);  /* MPI_Request_free */
extern int lm_pt2pt_freed_sends;                     /* freed, still in flight */
int lm_request_finish(struct lm_request *req, struct lm_status *st); /* copy status, release */

/* Operations. `dest`/`source` are ranks in comm (MPI_PROC_NULL, MPI_ANY_SOURCE allowed). */
int lm_isend(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
             struct lm_comm *comm, int mode, struct lm_request **out);
int lm_send(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
            struct lm_comm *comm, int mode);
int lm_irecv(void *buf, size_t count, struct lm_datatype *dt, int source, int tag,
             struct lm_comm *comm, struct lm_request **out);
int lm_recv(void *buf, size_t count, struct lm_datatype *dt, int source, int tag,
            struct lm_comm *comm, struct lm_status *st);
int lm_iprobe(int source, int tag, struct lm_comm *comm, bool *flag, struct lm_status *st);
int lm_probe(int source, int tag, struct lm_comm *comm, struct lm_status *st);

/* Variants on an explicit context id (collectives use comm->ctx + 1). */
int lm_isend_ctx(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
                 struct lm_comm *comm, uint32_t ctx, int mode, struct lm_request **out);
int lm_irecv_ctx(void *buf, size_t count, struct lm_datatype *dt, int source, int tag,
                 struct lm_comm *comm, uint32_t ctx, struct lm_request **out);

/* Progress and waiting. lm_wait_until() spins briefly, then sleeps on the transports'
 * doorbells until done(arg) is true. Called with the library lock held. */
int lm_progress(void);         /* returns the number of packets moved */
void lm_wait_until(bool (*done)(void *arg), void *arg);
int lm_wait(struct lm_request *req, struct lm_status *st); /* waits and releases */
bool lm_request_done(void *req);                            /* predicate for lm_wait_until */

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

#endif
