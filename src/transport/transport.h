/* transport.h - the interface every transport (self, shm, tcp) implements.
 *
 * A transport moves packets: a fixed header (the envelope and protocol fields) plus a
 * gathered payload. It knows nothing about matching, requests or datatypes; pt2pt owns the
 * protocols (eager, rendezvous, single copy) and asks the transport for its limits. Incoming
 * packets are handed to pt2pt through one callback, lm_pt2pt_deliver(), during progress().
 *
 * Blocked processes sleep: each transport exposes file descriptors to poll and a pair of
 * calls that announce/retract the intent to sleep, so a peer that queues a packet knows it
 * must ring the doorbell. The protocol is: arm_sleep() (store "sleeping", then re-check for
 * work; returns false if work is already there) -> poll() -> disarm_sleep().
 *
 * Selection (transport.c) is symmetric, so both ends of a pair always pick the same
 * transport: self for our own process; shm when both processes are on one node and both
 * allow shm; tcp when both allow tcp. What a process allows (LITEMPI_TRANSPORTS) is in its
 * PMI card, published before the init fence together with the transports' addresses.
 */
#ifndef LM_TRANSPORT_H
#define LM_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct lm_peer;
struct pollfd;

/* Packet kinds of the pt2pt protocols. */
enum lm_pkt_kind {
    LM_PKT_EAGER = 1, /* whole message in the payload */
    LM_PKT_RTS,       /* rendezvous request: size, sender cookie, maybe address for single copy */
    LM_PKT_CTS,       /* receiver is ready: stream DATA packets to rreq (size: bytes due) */
    LM_PKT_DATA,      /* one fragment of a rendezvous message at byte offset `addr` */
    LM_PKT_FIN,       /* receiver pulled the data by single copy: sender may complete */
    LM_PKT_SYNC_ACK,  /* a synchronous-mode eager message was matched */
    LM_PKT_CANCEL,    /* MPI_Cancel of a send: drop message `rreq` (its id) if unmatched */
    LM_PKT_CANCEL_ACK,/* answer to CANCEL, to sreq; FLAG_CANCELLED if it was dropped */
};

#define LM_PKT_FLAG_SYNC 0x1 /* EAGER/RTS of an Ssend: receiver must acknowledge the match */
#define LM_PKT_FLAG_CANCELLED 0x2 /* CANCEL_ACK: the message was removed */

/* 48 bytes; fields are in the sender's byte order (all peers share one host ABI for now). */
struct lm_pkt_hdr {
    uint8_t kind;   /* enum lm_pkt_kind */
    uint8_t flags;  /* LM_PKT_FLAG_* */
    uint16_t rsvd;
    uint32_t ctx;   /* context id of the communicator */
    int32_t src;    /* sender's rank in that communicator */
    int32_t tag;
    uint64_t size;  /* total message size in bytes */
    uint64_t sreq;  /* sender's request cookie */
    uint64_t rreq;  /* receiver's request cookie (CTS, DATA); EAGER/RTS/CANCEL: message id */
    uint64_t addr;  /* RTS: sender's buffer address (0: no single copy); DATA: byte offset */
};

struct lm_transport {
    const char *name;
    size_t eager_limit;   /* messages up to this many bytes are sent eagerly */
    size_t max_payload;   /* most payload bytes one send() may carry */

    /* Per-process setup after the PMI exchange; connect() binds a peer (sets peer->tp_state). */
    int (*init)(void);
    bool (*can_reach)(const struct lm_peer *peer);
    int (*connect)(struct lm_peer *peer);
    void (*finalize)(void);

    /* Queue one packet. Returns LM_OK, LM_EAGAIN when there is no room right now (pt2pt keeps
     * it and retries from progress; order per peer is preserved by pt2pt), or an error class.
     * The payload is copied or written before returning LM_OK.
     * A stream transport (tcp) may have taken part of the packet when it answers LM_EAGAIN:
     * the caller must offer the same packet (same payload bytes; the header may be ignored)
     * again before any other packet to that peer. pt2pt's per-peer FIFO does exactly that. */
    int (*send)(struct lm_peer *peer, const struct lm_pkt_hdr *hdr, const struct iovec *iov,
                int iovcnt);

    /* Deliver what has arrived; returns the number of packets handed to pt2pt. */
    int (*progress)(void);

    /* Optional single copy: read len bytes at `remote` in the peer's address space.
     * Returns LM_OK or an error (pt2pt then falls back to CTS/DATA). NULL if unsupported. */
    int (*read_remote)(struct lm_peer *peer, void *dst, uint64_t remote, size_t len);

    /* Sleeping: fds to add to the poll set, then arm/disarm around the poll. */
    int (*poll_fds)(struct pollfd *fds, int max);
    bool (*arm_sleep)(void);
    void (*disarm_sleep)(void);

    /* Optional, before the PMI fence of MPI_Init: open what peers need to reach us and
     * write its description (no spaces; PMI value characters) into card[len]. one_host:
     * the process mapping says every rank is on this host. */
    int (*prepare)(bool one_host, char *card, size_t len);
};

/* What a process allows (bits of its card's mask). */
#define LM_TP_SELF 0x1u
#define LM_TP_SHM 0x2u
#define LM_TP_TCP 0x4u

/* The transports compiled in; chosen per peer by lm_transport_select(). */
extern const struct lm_transport lm_transport_self;
extern const struct lm_transport lm_transport_shm;
extern const struct lm_transport lm_transport_tcp;

/* Before the init fence: choose our transports, let them open their endpoints, put our
 * card ("lm-card-<rank>" = "<mask>[,<transport addresses>]") in the PMI key-value space. */
int lm_transport_publish(bool one_host);
int lm_transport_init_all(void);
void lm_transport_finalize_all(void);
int lm_transport_select(struct lm_peer *peer);
int lm_transport_progress_all(void);
int lm_transport_count(void);
const struct lm_transport *lm_transport_at(int i);
/* A peer's card, read from PMI on first use and cached: its mask (LM_TP_*) and the part
 * after the mask ("" when none). Returns LM_OK or an error (card missing or malformed). */
int lm_transport_card(int lpid, unsigned *mask, const char **addr);
/* tcp: rank 0 makes sure the job has a key (our mpiexec pre-puts "lm-jobkey"; under other
 * process managers rank 0 generates one) before the init fence. */
int lm_tcp_jobkey_publish(void);

/* Implemented by pt2pt: the single entry for incoming packets. The payload is only valid
 * during the call. */
void lm_pt2pt_deliver(struct lm_peer *from, const struct lm_pkt_hdr *hdr, const void *payload,
                      size_t len);

/* Implemented by pt2pt: wakes a thread sleeping in a blocking wait. For packets that no
 * doorbell announces (self: another thread of this process queued one). */
void lm_progress_wake(void);

/* Implemented by pt2pt, for stream transports that can read straight into place: where
 * the len payload bytes of DATA packet hdr (at byte offset hdr->addr) belong, when the
 * receive buffer is contiguous and holds them; NULL means deliver them normally. After
 * writing there, lm_pt2pt_data_placed() counts them as arrived (it may complete the
 * receive). */
void *lm_pt2pt_data_dest(const struct lm_pkt_hdr *hdr, size_t len);
void lm_pt2pt_data_placed(const struct lm_pkt_hdr *hdr, size_t len);

/* Implemented by pt2pt: the peer is gone. died: it vanished (killed, connection reset);
 * otherwise it left cleanly (finalized) and only operations naming it can no longer finish.
 * Pending and later operations with it complete with err (an MPI_ERR_OTHER-class code).
 * Must not be called from inside send(): transports report from progress(). */
void lm_pt2pt_peer_failed(struct lm_peer *peer, int err, bool died);

#endif
