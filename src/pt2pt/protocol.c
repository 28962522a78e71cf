/* protocol.c - matching and the eager / rendezvous protocols.
 *
 * Sender                                   Receiver
 *   size <= eager limit:  EAGER(+payload) ->  match or park in the unexpected queue
 *                         <- SYNC_ACK         (only for synchronous mode)
 *   larger:               RTS(addr?)  ->      on match: single copy from addr, then FIN,
 *                         <- FIN               or, without single copy, CTS and the sender
 *                         <- CTS               streams DATA fragments of max_payload bytes.
 *                         DATA...     ->
 *
 * Cancelling a send (MPI_Cancel):
 *                         CANCEL(seq) ->      drop the message if it still waits in the
 *                         <- CANCEL_ACK       unexpected queue; the flag says whether it did.
 * Every nonblocking EAGER/RTS carries a message id (`seq`, in the header's rreq field) so
 * the receiver finds exactly that message; the request cookie alone could name a recycled
 * request. A send with a CANCEL out completes only after the answer, which echoes its
 * cookie. A message that was matched (or taken by MPI_Mprobe) is not cancelled: the send
 * completes normally and MPI_Test_cancelled says false.
 *
 * Matching is per context id: a posted queue (receives in posting order) and an unexpected
 * queue (arrivals in order). Transports are FIFO per peer and pt2pt keeps per-peer FIFO
 * order on output, which gives MPI's non-overtaking rule without sequence numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt2pt/pt2pt.h"

/* An arrival nobody asked for yet. Taken by MPI_Mprobe it becomes the message handle:
 * then magic is LM_MAGIC_MSG and it holds its context id and communicator. */
struct lm_unexp {
    uint32_t magic;
    uint32_t ctx;
    struct lm_unexp *next;
    struct lm_peer *peer;
    struct lm_comm *comm;
    int src, tag;
    uint8_t kind, flags;
    uint64_t size, sreq, addr, seq;
    size_t len;              /* eager payload bytes held in data[] */
    char data[];
};

struct lm_matchq {
    struct lm_request *posted_head, *posted_tail;
    struct lm_unexp *unexp_head, *unexp_tail;
};

static struct {
    struct lm_matchq *q[LM_MAX_CTX];
} pt;

int lm_pt2pt_init(void)
{
    memset(&pt, 0, sizeof pt);
    return LM_OK;
}

void lm_pt2pt_finalize(void)
{
    for (int i = 0; i < LM_MAX_CTX; i++) {
        struct lm_matchq *q = pt.q[i];
        if (!q)
            continue;
        for (struct lm_unexp *u = q->unexp_head, *n; u; u = n) {
            n = u->next;
            free(u);
        }
        free(q);
        pt.q[i] = NULL;
    }
}

static struct lm_matchq *matchq(uint32_t ctx)
{
    if (ctx >= LM_MAX_CTX)
        return NULL;
    if (!pt.q[ctx])
        pt.q[ctx] = calloc(1, sizeof(struct lm_matchq));
    return pt.q[ctx];
}

static inline bool envelope_matches(int want_src, int want_tag, int src, int tag)
{
    return (want_src == src || want_src == MPI_ANY_SOURCE) &&
           (want_tag == tag || (want_tag == MPI_ANY_TAG && tag >= 0));
}

/* Sends the user freed before completion: MPI_Finalize waits for them. */
int lm_pt2pt_freed_sends;

/* Message ids for MPI_Cancel; 0 means "not cancellable" (the blocking fast path). */
static uint64_t next_seq;

/* ---- completion helpers ------------------------------------------------------------------ */

static void complete(struct lm_request *req)
{
    req->complete = true;
    if (req->user_freed) {
        if (req->kind == LM_REQ_SEND)
            lm_pt2pt_freed_sends--;
        lm_request_release(req);
    }
}

void lm_pt2pt_complete(struct lm_request *req)
{
    complete(req);
}

static void send_maybe_complete(struct lm_request *req)
{
    if (req->injected && req->acked && !req->cancel_pending)
        complete(req);
}

/* Receive side: message of `size` bytes from `src` with `tag` matched request `req`. */
static void recv_set_status(struct lm_request *req, int src, int tag, size_t size)
{
    req->status.source = src;
    req->status.tag = tag;
    req->msg_size = size;
    if (size > req->size) {
        req->status.bytes = req->size;
        req->status.error = lm_err_detail(MPI_ERR_TRUNCATE,
            "message truncated: %zu bytes arrived from rank %d (tag %d) but the receive "
            "buffer holds %zu bytes", size, src, tag, req->size);
    } else {
        req->status.bytes = size;
    }
}

static void send_ctrl(struct lm_peer *peer, uint8_t kind, uint32_t ctx, uint64_t sreq,
                      uint64_t rreq)
{
    struct lm_pkt_hdr h = {.kind = kind, .ctx = ctx, .sreq = sreq, .rreq = rreq};
    lm_pkt_send(peer, &h, NULL, 0, NULL);
}

/* Rendezvous matched on the receive side: pull by single copy, or ask for DATA. */
static void rndv_start(struct lm_request *req, struct lm_peer *peer, uint32_t ctx,
                       uint64_t sreq, uint64_t addr)
{
    size_t want = req->msg_size < req->size ? req->msg_size : req->size;
    if (!peer->tp && lm_transport_select(peer) != LM_OK)
        addr = 0; /* the CTS below reports the failure through lm_pkt_send */
    if (addr && peer->tp->read_remote) {
        const char *base = lm_dt_contig_base(req->dt, req->buf, req->count);
        int rc;
        if (base) {
            rc = peer->tp->read_remote(peer, (void *)base, addr, want);
        } else {
            char *tmp = malloc(want ? want : 1);
            rc = tmp ? peer->tp->read_remote(peer, tmp, addr, want) : MPI_ERR_NO_MEM;
            if (rc == LM_OK)
                lm_dt_unpack(req->dt, req->buf, req->count, 0, tmp, want);
            free(tmp);
        }
        if (rc == LM_OK) {
            send_ctrl(peer, LM_PKT_FIN, ctx, sreq, 0);
            complete(req);
            return;
        }
    }
    req->received = 0;
    /* The CTS says how many DATA bytes will come (a stream transport that reads extra
     * sockets only while DATA is due uses it: tcp's data lanes). */
    struct lm_pkt_hdr cts = {.kind = LM_PKT_CTS, .ctx = ctx, .sreq = sreq,
                             .rreq = (uint64_t)(uintptr_t)req, .size = req->msg_size};
    lm_pkt_send(peer, &cts, NULL, 0, NULL);
}

/* An arrival (EAGER/RTS) meets a receive request. */
static void deliver_to_request(struct lm_request *req, struct lm_peer *peer, uint32_t ctx,
                               int src, int tag, uint8_t kind, uint8_t flags, uint64_t size,
                               uint64_t sreq, uint64_t addr, const void *payload, size_t len)
{
    req->matched = true;
    void *got = NULL;
    if (req->alloc && size > 0 && (got = req->alloc((MPI_Count)size, req->alloc_state))) {
        req->buf = got;
        req->count = req->size = (size_t)size;
    }
    recv_set_status(req, src, tag, size);
    if (req->alloc && size > 0 && !got)
        req->status.error = lm_err_detail(MPI_ERR_NO_MEM, "out of memory receiving a "
                                          "%llu-byte message from rank %d (tag %d)",
                                          (unsigned long long)size, src, tag);
    if (kind == LM_PKT_EAGER) {
        size_t n = len < req->size ? len : req->size;
        lm_dt_unpack(req->dt, req->buf, req->count, 0, payload, n);
        if (flags & LM_PKT_FLAG_SYNC)
            send_ctrl(peer, LM_PKT_SYNC_ACK, ctx, sreq, 0);
        complete(req);
    } else {
        rndv_start(req, peer, ctx, sreq, addr);
    }
}

/* ---- incoming packets -------------------------------------------------------------------- */

static void unexp_unlink(struct lm_matchq *q, struct lm_unexp *prev, struct lm_unexp *u)
{
    if (prev)
        prev->next = u->next;
    else
        q->unexp_head = u->next;
    if (q->unexp_tail == u)
        q->unexp_tail = prev;
    u->next = NULL;
}

/* A sender asks to cancel message `seq`: drop it if it still waits unmatched. */
static void cancel_request_arrived(struct lm_peer *from, const struct lm_pkt_hdr *h)
{
    struct lm_matchq *q = matchq(h->ctx);
    uint8_t done = 0;
    struct lm_unexp *prev = NULL;
    for (struct lm_unexp *u = q ? q->unexp_head : NULL; u; prev = u, u = u->next) {
        if (u->seq == h->rreq && u->peer == from) {
            unexp_unlink(q, prev, u);
            free(u);
            done = LM_PKT_FLAG_CANCELLED;
            break;
        }
    }
    struct lm_pkt_hdr a = {.kind = LM_PKT_CANCEL_ACK, .flags = done, .ctx = h->ctx,
                           .sreq = h->sreq};
    lm_pkt_send(from, &a, NULL, 0, NULL);
}

static void deliver_data(const struct lm_pkt_hdr *h, const void *payload, size_t len)
{
    struct lm_request *req = (struct lm_request *)(uintptr_t)h->rreq;
    size_t off = h->addr;
    if (off < req->size) {
        size_t n = len;
        if (n > req->size - off)
            n = req->size - off;
        lm_dt_unpack(req->dt, req->buf, req->count, off, payload, n);
    }
    req->received += len;
    if (req->received >= req->msg_size)
        complete(req);
}

void *lm_pt2pt_data_dest(const struct lm_pkt_hdr *h, size_t len)
{
    struct lm_request *req = (struct lm_request *)(uintptr_t)h->rreq;
    const char *base = lm_dt_contig_base(req->dt, req->buf, req->count);
    if (!base || h->addr > req->size || len > req->size - h->addr)
        return NULL;
    return (char *)base + h->addr;
}

void lm_pt2pt_data_placed(const struct lm_pkt_hdr *h, size_t len)
{
    struct lm_request *req = (struct lm_request *)(uintptr_t)h->rreq;
    req->received += len;
    if (req->received >= req->msg_size)
        complete(req);
}

void lm_pt2pt_deliver(struct lm_peer *from, const struct lm_pkt_hdr *h, const void *payload,
                      size_t len)
{
    switch (h->kind) {
    case LM_PKT_EAGER:
    case LM_PKT_RTS: {
        struct lm_matchq *q = matchq(h->ctx);
        if (!q)
            return;
        struct lm_request *prev = NULL;
        for (struct lm_request *r = q->posted_head; r; prev = r, r = r->next) {
            if (!envelope_matches(r->rank, r->tag, h->src, h->tag))
                continue;
            if (prev)
                prev->next = r->next;
            else
                q->posted_head = r->next;
            if (q->posted_tail == r)
                q->posted_tail = prev;
            r->next = NULL;
            deliver_to_request(r, from, h->ctx, h->src, h->tag, h->kind, h->flags, h->size,
                               h->sreq, h->addr, payload, len);
            return;
        }
        size_t keep = h->kind == LM_PKT_EAGER ? len : 0;
        struct lm_unexp *u = malloc(sizeof *u + keep);
        if (!u) {
            fprintf(stderr, "litempi: rank %d: out of memory queueing an unexpected message\n",
                    lm_proc.rank);
            lm_core_abort(1, "out of memory");
        }
        *u = (struct lm_unexp){.peer = from, .src = h->src, .tag = h->tag, .kind = h->kind,
                               .flags = h->flags, .size = h->size, .sreq = h->sreq,
                               .addr = h->addr, .seq = h->rreq, .len = keep};
        if (keep)
            memcpy(u->data, payload, keep);
        if (q->unexp_tail)
            q->unexp_tail->next = u;
        else
            q->unexp_head = u;
        q->unexp_tail = u;
        return;
    }
    case LM_PKT_CTS: {
        struct lm_request *req = (struct lm_request *)(uintptr_t)h->sreq;
        req->rreq = h->rreq;
        req->sent = 0;
        req->injected = false;
        req->acked = true;
        /* The DATA stream goes through the send queue so it interleaves fairly with
         * other traffic to this peer and resumes when the transport has room again. */
        struct lm_pkt_hdr d = {.kind = LM_PKT_DATA, .ctx = h->ctx, .rreq = h->rreq,
                               .size = req->size};
        lm_pkt_send(req->peer, &d, req->src, req->size, req);
        return;
    }
    case LM_PKT_DATA:
        deliver_data(h, payload, len);
        return;
    case LM_PKT_FIN:
    case LM_PKT_SYNC_ACK: {
        struct lm_request *req = (struct lm_request *)(uintptr_t)h->sreq;
        req->acked = true;
        send_maybe_complete(req);
        return;
    }
    case LM_PKT_CANCEL:
        cancel_request_arrived(from, h);
        return;
    case LM_PKT_CANCEL_ACK: {
        struct lm_request *req = (struct lm_request *)(uintptr_t)h->sreq;
        req->cancel_pending = false;
        if (h->flags & LM_PKT_FLAG_CANCELLED) {
            /* The receiver dropped the message: no SYNC_ACK, CTS or FIN will come. */
            req->status.cancelled = true;
            req->injected = req->acked = true;
        }
        send_maybe_complete(req);
        return;
    }
    default:
        fprintf(stderr, "litempi: rank %d: dropping packet of unknown kind %d\n", lm_proc.rank,
                h->kind);
    }
}

/* Called by the send queue once a request's packets are all with the transport. */
void lm_pt2pt_injected(struct lm_request *req)
{
    req->injected = true;
    send_maybe_complete(req);
}

/* ---- sending ------------------------------------------------------------------------------ */

static int send_prepare(struct lm_request *req, const void *buf, size_t count,
                        struct lm_datatype *dt)
{
    const char *base = lm_dt_contig_base(dt, buf, count);
    if (base) {
        req->src = base;
        return LM_OK;
    }
    if (!req->packed) /* a persistent request keeps it from start to start */
        req->packed = malloc(req->size ? req->size : 1);
    if (!req->packed)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory packing a %zu-byte message",
                             req->size);
    lm_dt_pack(dt, buf, count, 0, req->packed, req->size);
    req->src = req->packed;
    return LM_OK;
}

int lm_send_start(struct lm_request *req, uint32_t ctx)
{
    req->ctx = ctx;
    req->status = (struct lm_status){.source = MPI_ANY_SOURCE, .tag = MPI_ANY_TAG};
    if (req->rank == MPI_PROC_NULL) {
        req->status.source = MPI_PROC_NULL;
        req->complete = true;
        return LM_OK;
    }
    req->peer = lm_peer_of(req->comm, req->rank);
    int rc = req->peer->failed;
    if (rc != LM_OK || (!req->peer->tp && (rc = lm_transport_select(req->peer)) != LM_OK))
        goto fail;
    if ((rc = send_prepare(req, req->buf, req->count, req->dt)) != LM_OK)
        goto fail;

    req->seq = ++next_seq;
    struct lm_pkt_hdr h = {.ctx = ctx, .src = req->comm->rank, .tag = req->tag,
                           .size = req->size, .sreq = (uint64_t)(uintptr_t)req,
                           .rreq = req->seq};
    if (req->size <= req->peer->tp->eager_limit) {
        h.kind = LM_PKT_EAGER;
        if (req->mode == LM_MODE_SYNC)
            h.flags = LM_PKT_FLAG_SYNC;
        else
            req->acked = true;
        return lm_pkt_send(req->peer, &h, req->src, req->size, req);
    }
    h.kind = LM_PKT_RTS;
    if (req->peer->tp->read_remote)
        h.addr = (uint64_t)(uintptr_t)req->src;
    /* RTS is a control packet: the request completes on FIN, or after the last DATA
     * fragment when the receiver answers CTS instead. */
    req->injected = true;
    if ((rc = lm_pkt_send(req->peer, &h, NULL, 0, NULL)) == LM_OK)
        return LM_OK;

fail:
    req->complete = true;
    req->status.error = rc;
    return rc;
}

/* The fields lm_send_start needs; retains comm and dt. */
static void send_fill(struct lm_request *req, const void *buf, size_t count,
                      struct lm_datatype *dt, int dest, int tag, struct lm_comm *comm, int mode)
{
    req->comm = comm;
    comm->refcount++;
    req->dt = dt;
    lm_dt_retain(dt);
    req->buf = (void *)buf;
    req->count = count;
    req->rank = dest;
    req->tag = tag;
    req->mode = (uint8_t)mode;
    req->size = count * dt->size;
}

int lm_isend_ctx(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
                 struct lm_comm *comm, uint32_t ctx, int mode, struct lm_request **out)
{
    struct lm_request *req = lm_request_alloc(LM_REQ_SEND);
    *out = req;
    if (!req)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory allocating a request");
    send_fill(req, buf, count, dt, dest, tag, comm, mode);
    return lm_send_start(req, ctx);
}

int lm_send_init(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
                 struct lm_comm *comm, int mode, struct lm_request **out)
{
    struct lm_request *req = lm_request_alloc(LM_REQ_SEND);
    *out = req;
    if (!req)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory allocating a request");
    send_fill(req, buf, count, dt, dest, tag, comm, mode);
    req->persistent = true;
    req->ctx = comm->ctx;
    return LM_OK;
}

int lm_isend(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
             struct lm_comm *comm, int mode, struct lm_request **out)
{
    return lm_isend_ctx(buf, count, dt, dest, tag, comm, comm->ctx, mode, out);
}

int lm_send(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
            struct lm_comm *comm, int mode)
{
    if (dest == MPI_PROC_NULL)
        return LM_OK;
    /* Fast path: a contiguous eager message to a peer with an empty send queue goes straight
     * into the transport with no request at all. */
    struct lm_peer *peer = lm_peer_of(comm, dest);
    size_t size = count * dt->size;
    const char *base;
    if (mode != LM_MODE_SYNC && peer->tp && !peer->sendq_head &&
        size <= peer->tp->eager_limit && (base = lm_dt_contig_base(dt, buf, count))) {
        struct lm_pkt_hdr h = {.kind = LM_PKT_EAGER, .ctx = comm->ctx, .src = comm->rank,
                               .tag = tag, .size = size};
        struct iovec iov = {(void *)base, size};
        int rc = peer->tp->send(peer, &h, &iov, size ? 1 : 0);
        if (rc != LM_EAGAIN)
            return rc;
    }
    struct lm_request *req;
    int rc = lm_isend(buf, count, dt, dest, tag, comm, mode, &req);
    if (rc != LM_OK) {
        lm_request_release(req);
        return rc;
    }
    return lm_wait(req, NULL);
}

/* ---- receiving ---------------------------------------------------------------------------- */

int lm_recv_start(struct lm_request *req, uint32_t ctx)
{
    req->ctx = ctx;
    req->status = (struct lm_status){0};
    if (req->rank == MPI_PROC_NULL) {
        req->status.source = MPI_PROC_NULL;
        req->status.tag = MPI_ANY_TAG;
        req->complete = true;
        return LM_OK;
    }
    struct lm_matchq *q = matchq(ctx);
    if (!q) {
        req->complete = true;
        return req->status.error = lm_err_detail(MPI_ERR_INTERN, "context id %u out of range",
                                                 ctx);
    }
    struct lm_unexp *prev = NULL;
    for (struct lm_unexp *u = q->unexp_head; u; prev = u, u = u->next) {
        if (!envelope_matches(req->rank, req->tag, u->src, u->tag))
            continue;
        unexp_unlink(q, prev, u);
        deliver_to_request(req, u->peer, ctx, u->src, u->tag, u->kind, u->flags, u->size,
                           u->sreq, u->addr, u->data, u->len);
        free(u);
        return LM_OK;
    }
    int rc;
    if (lm_proc.nfailed && (rc = lm_pt2pt_doomed(req->comm, req->rank)) != LM_OK) {
        req->status.error = rc;
        req->complete = true;
        return LM_OK;
    }
    if (q->posted_tail)
        q->posted_tail->next = req;
    else
        q->posted_head = req;
    q->posted_tail = req;
    return LM_OK;
}

static void recv_fill(struct lm_request *req, void *buf, size_t count, struct lm_datatype *dt,
                      int source, int tag, struct lm_comm *comm)
{
    req->comm = comm;
    comm->refcount++;
    req->dt = dt;
    lm_dt_retain(dt);
    req->buf = buf;
    req->count = count;
    req->rank = source;
    req->tag = tag;
    req->size = count * dt->size;
}

int lm_irecv_ctx(void *buf, size_t count, struct lm_datatype *dt, int source, int tag,
                 struct lm_comm *comm, uint32_t ctx, struct lm_request **out)
{
    struct lm_request *req = lm_request_alloc(LM_REQ_RECV);
    *out = req;
    if (!req)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory allocating a request");
    recv_fill(req, buf, count, dt, source, tag, comm);
    return lm_recv_start(req, ctx);
}

int lm_irecv_alloc(MPIX_Recv_alloc_function *alloc, void *state, int source, int tag,
                   struct lm_comm *comm, struct lm_request **out)
{
    struct lm_request *req = lm_request_alloc(LM_REQ_RECV);
    *out = req;
    if (!req)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory allocating a request");
    recv_fill(req, NULL, 0, lm_dt_builtin(MPI_BYTE), source, tag, comm);
    req->alloc = alloc;
    req->alloc_state = state;
    return lm_recv_start(req, comm->ctx);
}

int lm_recv_init(void *buf, size_t count, struct lm_datatype *dt, int source, int tag,
                 struct lm_comm *comm, struct lm_request **out)
{
    struct lm_request *req = lm_request_alloc(LM_REQ_RECV);
    *out = req;
    if (!req)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory allocating a request");
    recv_fill(req, buf, count, dt, source, tag, comm);
    req->persistent = true;
    req->ctx = comm->ctx;
    return LM_OK;
}

int lm_irecv(void *buf, size_t count, struct lm_datatype *dt, int source, int tag,
             struct lm_comm *comm, struct lm_request **out)
{
    return lm_irecv_ctx(buf, count, dt, source, tag, comm, comm->ctx, out);
}

int lm_recv(void *buf, size_t count, struct lm_datatype *dt, int source, int tag,
            struct lm_comm *comm, struct lm_status *st)
{
    struct lm_request *req;
    int rc = lm_irecv(buf, count, dt, source, tag, comm, &req);
    if (rc != LM_OK) {
        lm_request_release(req);
        return rc;
    }
    return lm_wait(req, st);
}

/* ---- probing ------------------------------------------------------------------------------ */

int lm_iprobe(int source, int tag, struct lm_comm *comm, bool *flag, struct lm_status *st)
{
    if (source == MPI_PROC_NULL) {
        *flag = true;
        *st = (struct lm_status){.source = MPI_PROC_NULL, .tag = MPI_ANY_TAG};
        return LM_OK;
    }
    lm_progress();
    struct lm_matchq *q = matchq(comm->ctx);
    for (struct lm_unexp *u = q ? q->unexp_head : NULL; u; u = u->next) {
        if (envelope_matches(source, tag, u->src, u->tag)) {
            *flag = true;
            *st = (struct lm_status){.source = u->src, .tag = u->tag, .bytes = u->size};
            return LM_OK;
        }
    }
    *flag = false;
    return lm_proc.nfailed ? lm_pt2pt_doomed(comm, source) : LM_OK;
}

struct probe_arg {
    int source, tag;
    struct lm_comm *comm;
    struct lm_status *st;
    bool found;
    int err;
};

static bool probe_done(void *arg)
{
    struct probe_arg *p = arg;
    struct lm_matchq *q = matchq(p->comm->ctx);
    for (struct lm_unexp *u = q ? q->unexp_head : NULL; u; u = u->next) {
        if (envelope_matches(p->source, p->tag, u->src, u->tag)) {
            *p->st = (struct lm_status){.source = u->src, .tag = u->tag, .bytes = u->size};
            return p->found = true;
        }
    }
    /* No sender left that could ever match: give up with the failure's error. */
    return lm_proc.nfailed && (p->err = lm_pt2pt_doomed(p->comm, p->source)) != LM_OK;
}

int lm_probe(int source, int tag, struct lm_comm *comm, struct lm_status *st)
{
    if (source == MPI_PROC_NULL) {
        *st = (struct lm_status){.source = MPI_PROC_NULL, .tag = MPI_ANY_TAG};
        return LM_OK;
    }
    struct probe_arg p = {source, tag, comm, st, false, LM_OK};
    lm_wait_until(probe_done, &p);
    if (!p.found)
        *st = (struct lm_status){.source = source, .tag = tag, .error = p.err};
    return p.err;
}

/* ---- peer failure ------------------------------------------------------------------------- */

static bool comm_has(struct lm_comm *comm, int lpid)
{
    for (int i = 0; i < comm->size; i++)
        if (comm->group->lpids[i] == lpid)
            return true;
    return false;
}

/* Posted receives that name the gone peer fail; with wildcards (it died, rather than left
 * cleanly), so do MPI_ANY_SOURCE receives on communicators it belongs to, since the message
 * they wait for may have been its (the choice ULFM makes for MPI_ERR_PROC_FAILED_PENDING). */
void lm_match_fail_posted(struct lm_peer *peer, bool wildcards, int err)
{
    for (int i = 0; i < LM_MAX_CTX; i++) {
        struct lm_matchq *q = pt.q[i];
        if (!q)
            continue;
        struct lm_request *prev = NULL, *r = q->posted_head;
        while (r) {
            struct lm_request *next = r->next;
            bool hit = r->rank == MPI_ANY_SOURCE
                           ? wildcards && comm_has(r->comm, peer->lpid)
                           : lm_peer_of(r->comm, r->rank) == peer;
            if (!hit) {
                prev = r;
                r = next;
                continue;
            }
            if (prev)
                prev->next = next;
            else
                q->posted_head = next;
            if (q->posted_tail == r)
                q->posted_tail = prev;
            r->next = NULL;
            r->status.error = err;
            complete(r);
            r = next;
        }
    }
}

/* ---- matched probes ------------------------------------------------------------------------ */

/* Takes the first unexpected message matching (source, tag) off the queue of comm's context
 * and makes it a message handle. */
static struct lm_unexp *unexp_take(int source, int tag, struct lm_comm *comm)
{
    struct lm_matchq *q = matchq(comm->ctx);
    struct lm_unexp *prev = NULL;
    for (struct lm_unexp *u = q ? q->unexp_head : NULL; u; prev = u, u = u->next) {
        if (!envelope_matches(source, tag, u->src, u->tag))
            continue;
        unexp_unlink(q, prev, u);
        u->magic = LM_MAGIC_MSG;
        u->ctx = comm->ctx;
        u->comm = comm;
        comm->refcount++;
        return u;
    }
    return NULL;
}

static void message_status(const struct lm_unexp *u, struct lm_status *st)
{
    *st = (struct lm_status){.source = u->src, .tag = u->tag, .bytes = u->size};
}

int lm_improbe(int source, int tag, struct lm_comm *comm, bool *flag, struct lm_message **msg,
               struct lm_status *st)
{
    lm_progress();
    struct lm_unexp *u = unexp_take(source, tag, comm);
    *flag = u != NULL;
    *msg = (struct lm_message *)u;
    if (u)
        message_status(u, st);
    return LM_OK;
}

struct mprobe_arg {
    int source, tag;
    struct lm_comm *comm;
    struct lm_unexp *found;
};

static bool mprobe_done(void *arg)
{
    struct mprobe_arg *p = arg;
    return (p->found = unexp_take(p->source, p->tag, p->comm)) != NULL;
}

int lm_mprobe(int source, int tag, struct lm_comm *comm, struct lm_message **msg,
              struct lm_status *st)
{
    struct mprobe_arg p = {source, tag, comm, NULL};
    lm_wait_until(mprobe_done, &p);
    *msg = (struct lm_message *)p.found;
    message_status(p.found, st);
    return LM_OK;
}

bool lm_message_valid(const struct lm_message *msg)
{
    return ((const struct lm_unexp *)msg)->magic == LM_MAGIC_MSG;
}

struct lm_comm *lm_message_comm(const struct lm_message *msg)
{
    return ((const struct lm_unexp *)msg)->comm;
}

int lm_imrecv(void *buf, size_t count, struct lm_datatype *dt, struct lm_message *msg,
              struct lm_request **out)
{
    struct lm_unexp *u = (struct lm_unexp *)msg;
    struct lm_request *req = lm_request_alloc(LM_REQ_RECV);
    *out = req;
    u->magic = 0;
    if (!req) {
        /* The message is consumed either way: a rendezvous sender would wait forever for a
         * CTS, so this is fatal for that peer's send; report it here. */
        lm_comm_release(u->comm);
        free(u);
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory allocating a request");
    }
    /* The request inherits the message's reference to the communicator. */
    req->comm = u->comm;
    req->dt = dt;
    lm_dt_retain(dt);
    req->buf = buf;
    req->count = count;
    req->rank = u->src;
    req->tag = u->tag;
    req->size = count * dt->size;
    req->ctx = u->ctx;
    deliver_to_request(req, u->peer, u->ctx, u->src, u->tag, u->kind, u->flags, u->size,
                       u->sreq, u->addr, u->data, u->len);
    free(u);
    return LM_OK;
}

/* ---- cancel -------------------------------------------------------------------------------- */

static void cancel_recv(struct lm_request *req)
{
    struct lm_matchq *q = matchq(req->ctx);
    struct lm_request *prev = NULL;
    for (struct lm_request *r = q ? q->posted_head : NULL; r; prev = r, r = r->next) {
        if (r != req)
            continue;
        if (prev)
            prev->next = r->next;
        else
            q->posted_head = r->next;
        if (q->posted_tail == r)
            q->posted_tail = prev;
        r->next = NULL;
        r->status = (struct lm_status){.source = MPI_ANY_SOURCE, .tag = MPI_ANY_TAG,
                                       .cancelled = true};
        complete(r);
        return;
    }
    /* Not posted any more: matched, the data is on its way. */
}

int lm_cancel(struct lm_request *req)
{
    if (req->complete)
        return LM_OK;
    if (req->kind == LM_REQ_RECV) {
        cancel_recv(req);
        return LM_OK;
    }
    if (req->kind != LM_REQ_SEND || req->cancel_pending || req->seq == 0)
        return LM_OK;
    struct lm_pkt_hdr h = {.kind = LM_PKT_CANCEL, .ctx = req->ctx,
                           .sreq = (uint64_t)(uintptr_t)req, .rreq = req->seq};
    req->cancel_pending = true;
    int rc = lm_pkt_send(req->peer, &h, NULL, 0, NULL);
    if (rc != LM_OK) {
        req->cancel_pending = false;
        send_maybe_complete(req);
    }
    return rc;
}
