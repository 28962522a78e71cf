/* tcp.h - private interface between the files of the tcp transport.
 *
 *   tcp.c        the vtable: listener and epoll set, progress dispatch, sleeping, finalize
 *   conn.c       connection life: lazy connect, accept, simultaneous connects, failure
 *   handshake.c  the job key and the hello every connection starts with
 *   frame.c      the wire format on one socket: the receive and send state machines
 *                (frame.h; unit tested on their own)
 *   wire.c       a connection's frames to and from pt2pt, BYE
 *   lane.c       data lanes: extra sockets per pair that large DATA transfers are striped over
 *
 * One connection per peer pair carries every packet kind, in order. Each peer has one
 * struct tcp_conn for the life of the process (indexed by lpid); its socket may change
 * while connecting (a simultaneous connect from the peer can replace ours), which is why
 * epoll events carry (tag, fd) and a stale fd is ignored. Connections still proving who
 * they are (accepted, no key yet) are struct tcp_pending objects that touch no peer state
 * until the key checks out. Data lanes only ever carry DATA frames (whose byte offsets make
 * their order irrelevant); they are opened on the first rendezvous transfer to a peer.
 */
#ifndef LM_TCP_H
#define LM_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "transport/tcp/frame.h"
#include "transport/transport.h"

struct sockaddr_in;

#define TCP_MAX_PENDING 64                   /* unauthenticated connections kept at once */
#define TCP_FRAG (512 * 1024)    /* max_payload: most bytes in one DATA frame, the unit
                                  * striped over data lanes */
#define TCP_MAX_LANES 4          /* data lanes per direction, the connection itself included */

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

    struct tcp_tx tx;          /* a frame the socket took only part of */
    struct tcp_rx rx;
    struct tcp_lanes *lanes;   /* extra data connections (lane.c), NULL until the first */
    int nlanes;                /* lane sockets open: progress reads them through epoll */
    uint64_t rx_due;           /* DATA bytes the peer still owes us (our CTSs' sizes): while
                                * 0, no lane can have anything for us */

    bool bye_sent, bye_recv;
    bool bye_wanted;           /* finalize wants a BYE out once the socket has room */
    int err;                   /* TCP_GONE: error code for operations with this peer */
    bool died;                 /* TCP_GONE by failure, not by BYE */
    bool fail_reported;        /* pt2pt was told */
};

/* Data lanes (lane.c): extra connections of a pair that carry only DATA frames, so a
 * large transfer is striped over several sockets. Each direction has its own: out[k] were
 * opened by us and we send on them, in[k] by the peer and we read them. Index 0 is unused
 * (lane 0 is the pair's connection). */
enum tcp_lane_state {
    LANE_NONE,        /* never opened */
    LANE_CONNECTING,  /* out: non-blocking connect in progress */
    LANE_HELLO_SENT,  /* out: waiting for the peer's answer */
    LANE_OPEN,
    LANE_CLOSING,     /* out: finalize shut down our side, waiting for the peer's close */
    LANE_DEAD,        /* closed, or could not be opened; never reopened */
};

struct tcp_lane {
    int fd;                    /* -1 when none */
    enum tcp_lane_state state;
    bool tx_blocked, epollout; /* out: as for the connection */
    struct tcp_tx tx;          /* out */
    struct tcp_rx rx;          /* in */
    struct tcp_hello hello;    /* out: the peer's answer, hgot bytes of it so far */
    size_t hgot;
};

struct tcp_lanes {
    struct tcp_lane out[TCP_MAX_LANES], in[TCP_MAX_LANES];
    bool started;              /* our out lanes were opened (or tried) */
    unsigned rr;               /* round robin over the lanes for the next DATA frame */
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
    int lanes;                  /* LITEMPI_TCP_LANES: DATA lanes per direction, >= 1 */
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

bool lm_tcp_card_addr(int lpid, int n, struct sockaddr_in *sa);
int lm_tcp_send_hello(int fd, uint32_t status);

/* wire.c */
int lm_tcp_send(struct lm_peer *peer, const struct lm_pkt_hdr *hdr, const struct iovec *iov,
                int iovcnt);
int lm_tcp_read(struct tcp_conn *c);          /* returns packets delivered */
bool lm_tcp_flush_bye(struct tcp_conn *c);    /* true once our BYE is out */
int lm_tcp_conn_write(struct tcp_conn *c, const struct lm_pkt_hdr *hdr, const struct iovec *iov,
                      int iovcnt, size_t len);
extern const struct tcp_rx_sink lm_tcp_conn_sink;

/* lane.c */
int lm_tcp_lane_send(struct tcp_conn *c, const struct lm_pkt_hdr *hdr, const struct iovec *iov,
                     int iovcnt, size_t len);
int lm_tcp_lane_event(struct tcp_conn *c, unsigned code, int fd, uint32_t events);
bool lm_tcp_lane_adopt(struct tcp_pending *p, int r, unsigned k);
void lm_tcp_lanes_drop(struct tcp_conn *c);
bool lm_tcp_lanes_closed(struct tcp_conn *c);  /* finalize: out lanes shut down and done */
bool lm_tcp_lanes_quiet(const struct tcp_conn *c); /* nothing for epoll to tell on lanes */
void lm_tcp_lanes_free(struct tcp_conn *c);

/* DATA payload bytes arrived from c's peer, on any of its sockets. */
static inline void lm_tcp_data_arrived(struct tcp_conn *c, size_t len)
{
    c->rx_due = c->rx_due > len ? c->rx_due - len : 0;
}

/* epoll user data: a tag in the high half, fd in the low half. The tag is the peer's lpid
 * (below 2^24) with, in the top byte, which of its sockets: 0 the connection, 1..3 our
 * lane k, 5..7 its lane k (TCP_LANE_IN + k); or one of these: */
#define TCP_TAG_LISTEN 0xffffffffu
#define TCP_TAG_PENDING 0xfffffffeu
#define TCP_LANE_IN 4u
#define TCP_TAG_LPID_MASK 0xffffffu
static inline uint64_t lm_tcp_evdata(uint32_t tag, int fd)
{
    return ((uint64_t)tag << 32) | (uint32_t)fd;
}

#endif
