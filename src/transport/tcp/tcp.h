/* tcp.h - private interface between the files of the tcp transport.
 *
 *   tcp.c        the vtable: listener and epoll set, progress dispatch, sleeping, finalize
 *   conn.c       connection life: lazy connect, accept, simultaneous connects, failure
 *   handshake.c  the job key and the hello every connection starts with
 *   wire.c       framing: gathered non-blocking writes that survive partial writes, and
 *                reads that deliver whole frames (or large DATA frames piece by piece)
 *
 * One connection per peer pair. Each peer has one struct tcp_conn for the life of the
 * process (indexed by lpid); its socket may change while connecting (a simultaneous
 * connect from the peer can replace ours), which is why epoll events carry (lpid, fd) and a
 * stale fd is ignored. Connections still proving who they are (accepted, no key yet) are
 * struct tcp_pending objects that touch no peer state until the key checks out.
 */
#ifndef LM_TCP_H
#define LM_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "transport/transport.h"

#define TCP_EAGER_LIMIT (64 * 1024)          /* larger messages: rendezvous (RTS/CTS/DATA) */
#define TCP_MAX_PAYLOAD (256u * 1024 * 1024) /* most bytes in one DATA frame */
#define TCP_RBUF_SIZE (256 * 1024)           /* per-connection receive buffer */
#define TCP_KEY_LEN 32                       /* job key: 128 random bits as hex */
#define TCP_MAX_PENDING 64                   /* unauthenticated connections kept at once */

/* Every frame: the packet header plus the payload length that follows. */
struct tcp_frame {
    struct lm_pkt_hdr hdr;
    uint64_t len;
};

/* Frame kinds private to tcp (pt2pt kinds are small numbers). */
#define TCP_KIND_BYE 0xb0 /* we are finalizing: nothing more will come from us */

/* The first bytes on every connection, both ways: the connecting side says who it is and
 * proves it belongs to the job; the accepting side answers with the same proof and whether
 * it keeps the connection. */
struct tcp_hello {
    char magic[8];             /* TCP_MAGIC */
    char key[TCP_KEY_LEN];
    int32_t rank;              /* the sender's process id (world rank) */
    uint32_t status;           /* reply: TCP_HELLO_OK or TCP_HELLO_DUP */
};
#define TCP_MAGIC "LiteMPI1"
#define TCP_HELLO_OK 0
#define TCP_HELLO_DUP 1        /* we keep our own connection to you (the lower rank's wins) */

enum tcp_state {
    TCP_IDLE,        /* no socket */
    TCP_CONNECTING,  /* non-blocking connect in progress */
    TCP_HELLO_SENT,  /* our hello is out, waiting for the reply */
    TCP_WAIT_PEER,   /* the peer refused our connection: its own is on the way */
    TCP_OPEN,        /* packets flow */
    TCP_GONE,        /* the peer left (BYE) or failed; `err` says which */
};

struct tcp_conn {
    int lpid;
    int fd;                    /* -1 when none */
    enum tcp_state state;
    int addr_idx;              /* which of the peer's published addresses we try */
    uint64_t retry_at;         /* TCP_WAIT_PEER: connect again at this time if still alone */
    bool epollout;             /* EPOLLOUT is in the interest set */
    bool tx_blocked;           /* the socket buffer was full: wait for EPOLLOUT */

    /* A frame the socket took only part of (tcp_send returned LM_EAGAIN). */
    bool tx_partial;
    struct tcp_frame tx_frame;
    size_t tx_done;            /* bytes of frame + payload already written */
    size_t tx_len;             /* payload bytes of that frame */

    /* Receiving. */
    char *rbuf;
    size_t rpos, rlen;         /* unparsed bytes are rbuf[rpos, rlen) */
    uint64_t stream_left;      /* bytes still to come of a large DATA frame */
    struct lm_pkt_hdr stream_hdr; /* its header; addr advances with each piece */

    bool bye_sent, bye_recv;
    bool bye_wanted;           /* finalize wants a BYE out once the socket has room */
    int err;                   /* TCP_GONE: error code for operations with this peer */
    bool died;                 /* TCP_GONE by failure, not by BYE */
    bool fail_reported;        /* pt2pt was told */
};

struct tcp_pending {
    struct tcp_pending *next;
    int fd;
    size_t got;
    char buf[sizeof(struct tcp_hello)];
    uint64_t deadline;
};

struct tcp_global {
    int epfd, lfd;
    struct tcp_conn *conns;     /* by lpid */
    int nconns;
    int nopen;                  /* conns with a socket: progress polls when > 0 */
    struct tcp_conn *hot;       /* the connection of the latest event (fast path) */
    struct tcp_pending *pending;
    int npending;
    char key[TCP_KEY_LEN + 1];
    bool have_key;
    unsigned tick;              /* progress calls while no connection is open */
    bool check_now;             /* after a sleep: look at the sockets at once */
    bool fail_pending;          /* a connection failed inside send(): report it */
    uint64_t handshake_ns;      /* how long a stranger may take to present the key */
    uint64_t next_deadline;     /* earliest pending/retry deadline (0: none) */
    bool verbose;
};

extern struct tcp_global tcp;

/* conn.c */
struct tcp_conn *lm_tcp_conn_of(int lpid);
int lm_tcp_connect_start(struct tcp_conn *c);
void lm_tcp_accept_ready(void);
void lm_tcp_pending_ready(struct tcp_pending *p);
void lm_tcp_connect_ready(struct tcp_conn *c, uint32_t events);
void lm_tcp_conn_fail(struct tcp_conn *c, const char *why, int sys_errno);
void lm_tcp_conn_close(struct tcp_conn *c);
void lm_tcp_report_failures(void);
void lm_tcp_check_deadlines(uint64_t now);
void lm_tcp_set_epollout(struct tcp_conn *c, bool on);
void lm_tcp_pending_free_all(void);
bool lm_tcp_hello_reply(struct tcp_conn *c, const struct tcp_hello *h);

/* handshake.c */
int lm_tcp_key_load(void);
void lm_tcp_hello_make(struct tcp_hello *h, uint32_t status);
bool lm_tcp_hello_check(const struct tcp_hello *h, int *rank);

/* wire.c */
int lm_tcp_send(struct lm_peer *peer, const struct lm_pkt_hdr *hdr, const struct iovec *iov,
                int iovcnt);
int lm_tcp_read(struct tcp_conn *c);          /* returns packets delivered */
bool lm_tcp_flush_bye(struct tcp_conn *c);    /* true once our BYE is out */

/* epoll user data: lpid (or a tag) in the high half, fd in the low half. */
#define TCP_TAG_LISTEN 0xffffffffu
#define TCP_TAG_PENDING 0xfffffffeu
static inline uint64_t lm_tcp_evdata(uint32_t tag, int fd)
{
    return ((uint64_t)tag << 32) | (uint32_t)fd;
}

#endif
