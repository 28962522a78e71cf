/* conn.c - the life of a tcp connection: lazy connect, accept, one connection per pair,
 * failure.
 *
 * Connecting: on first contact (transport selection calls connect()), we read the peer's
 * addresses from its PMI card and start a non-blocking connect, trying the addresses in
 * order. Once connected we send our hello and wait for the peer's; packets queue in pt2pt
 * (send() answers LM_EAGAIN) until then.
 *
 * Accepting: an accepted socket is a struct tcp_pending until its first bytes are a hello
 * with the job key and a plausible rank, read within tcp.handshake_ns. Anything else (no
 * key, garbage, silence, a rank out of range) is closed without touching any peer state.
 *
 * Both sides may connect at once. The rule, applied where the second hello arrives, keeps
 * the connection started by the lower rank: the lower rank answers the higher rank's hello
 * with TCP_HELLO_DUP (its own connection is on the way), the higher rank drops its own
 * attempt when the lower rank's hello arrives. No packet is ever sent on a connection before
 * its hello exchange completes, so nothing has to move between sockets. A rank refused with
 * DUP waits for the peer's connection and tries again after a second if none came.
 *
 * Failure: a connection that ends without the peer's BYE (EOF, reset, refused) marks the
 * peer gone; pt2pt is told from progress (never from inside send(), whose caller may be
 * walking the send queue), and every later send to it fails at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport/tcp/tcp.h"

#define RETRY_NS 1000000000ull /* after DUP, connect again if the peer's connection is late */

struct tcp_conn *lm_tcp_conn_of(int lpid)
{
    return &tcp.conns[lpid];
}

static void note_deadline(uint64_t t)
{
    if (tcp.next_deadline == 0 || t < tcp.next_deadline)
        tcp.next_deadline = t;
}

void lm_tcp_set_epollout(struct tcp_conn *c, bool on)
{
    if (c->epollout == on || c->fd < 0)
        return;
    struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0),
                             .data.u64 = lm_tcp_evdata((uint32_t)c->lpid, c->fd)};
    if (epoll_ctl(tcp.epfd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
        c->epollout = on;
}

static void drop_fd(struct tcp_conn *c)
{
    if (c->fd < 0)
        return;
    close(c->fd); /* also leaves the epoll set */
    c->fd = -1;
    c->epollout = false;
    c->tx_blocked = false;
    c->tx.partial = false;
    lm_tcp_rx_reset(&c->rx);
    lm_tcp_lanes_drop(c); /* lanes never outlive the connection */
    tcp.nopen--;
}

void lm_tcp_conn_close(struct tcp_conn *c)
{
    drop_fd(c);
}

void lm_tcp_conn_fail(struct tcp_conn *c, const char *why, int sys_errno)
{
    if (c->state == TCP_GONE && c->died)
        return;
    drop_fd(c);
    if (c->state == TCP_GONE) /* it had said BYE: a late error changes nothing */
        return;
    c->state = TCP_GONE;
    c->died = true;
    c->err = lm_err_detail(MPI_ERR_OTHER, "rank %d lost its tcp connection to rank %d: %s%s%s "
                           "(the peer died or its host is unreachable)", lm_proc.rank, c->lpid,
                           why, sys_errno ? ": " : "", sys_errno ? strerror(sys_errno) : "");
    tcp.fail_pending = true;
    if (tcp.verbose)
        fprintf(stderr, "litempi: %s\n", lm_err_string(c->err));
}

void lm_tcp_report_failures(void)
{
    for (int i = 0; i < tcp.nconns; i++) {
        struct tcp_conn *c = &tcp.conns[i];
        if (c->state == TCP_GONE && !c->fail_reported) {
            c->fail_reported = true;
            lm_pt2pt_peer_failed(&lm_proc.peers[i], c->err, c->died);
        }
    }
}

/* Address n ("a.b.c.d:port") of a card's comma list, or false when there is none. */
static bool card_addr(const char *list, int n, struct sockaddr_in *sa)
{
    const char *p = list;
    for (int i = 0; i < n && p; i++) {
        p = strchr(p, ',');
        if (p)
            p++;
    }
    if (!p || !*p)
        return false;
    char host[64];
    const char *colon = strchr(p, ':');
    size_t hl = colon ? (size_t)(colon - p) : 0;
    if (!colon || hl == 0 || hl >= sizeof host)
        return false;
    memcpy(host, p, hl);
    host[hl] = '\0';
    long port = strtol(colon + 1, NULL, 10);
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    return port > 0 && port < 65536 && inet_pton(AF_INET, host, &sa->sin_addr) == 1;
}

bool lm_tcp_card_addr(int lpid, int n, struct sockaddr_in *sa)
{
    unsigned mask;
    const char *addrs;
    return lm_transport_card(lpid, &mask, &addrs) == LM_OK && card_addr(addrs, n, sa);
}

int lm_tcp_send_hello(int fd, uint32_t status)
{
    struct tcp_hello h;
    lm_tcp_hello_make(&h, status);
    ssize_t n;
    do
        n = send(fd, &h, sizeof h, MSG_DONTWAIT | MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    /* A fresh socket always has room for 48 bytes; anything else is a broken socket. */
    return n == (ssize_t)sizeof h ? 0 : -1;
}

static void set_nodelay(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void connected(struct tcp_conn *c)
{
    if (lm_tcp_send_hello(c->fd, TCP_HELLO_OK) != 0) {
        int e = errno;
        drop_fd(c);
        c->addr_idx++;
        if (lm_tcp_connect_start(c) != LM_OK && c->state != TCP_GONE)
            lm_tcp_conn_fail(c, "cannot send the hello", e);
        return;
    }
    c->state = TCP_HELLO_SENT;
    c->rx.want_hello = true; /* the peer's answer comes first */
    lm_tcp_set_epollout(c, false);
}

/* Starts (or, after a failed address, continues) connecting to c's peer. */
int lm_tcp_connect_start(struct tcp_conn *c)
{
    int rc = lm_tcp_key_load();
    if (rc != LM_OK)
        return rc;
    unsigned mask;
    const char *addrs;
    if ((rc = lm_transport_card(c->lpid, &mask, &addrs)) != LM_OK)
        return rc;
    int last_errno = 0;
    struct sockaddr_in sa;
    while (card_addr(addrs, c->addr_idx, &sa)) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return lm_err_detail(MPI_ERR_OTHER, "cannot create a tcp socket: %s",
                                 strerror(errno));
        set_nodelay(fd);
        int r;
        do
            r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
        while (r < 0 && errno == EINTR);
        if (r < 0 && errno != EINPROGRESS) {
            last_errno = errno;
            close(fd);
            c->addr_idx++;
            continue;
        }
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT,
                                 .data.u64 = lm_tcp_evdata((uint32_t)c->lpid, fd)};
        if (epoll_ctl(tcp.epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
            close(fd);
            return lm_err_detail(MPI_ERR_OTHER, "epoll_ctl: %s", strerror(errno));
        }
        c->fd = fd;
        c->epollout = true;
        tcp.nopen++;
        c->state = TCP_CONNECTING;
        if (r == 0)
            connected(c);
        return LM_OK;
    }
    char why[160];
    snprintf(why, sizeof why, "cannot connect to any of its addresses (%.100s)", addrs);
    lm_tcp_conn_fail(c, why, last_errno);
    return LM_OK; /* the failure is reported from progress; sends get c->err */
}

/* EPOLLOUT (or an error) on a connecting socket. */
void lm_tcp_connect_ready(struct tcp_conn *c, uint32_t events)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        err = errno;
    if (err == 0 && !(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
        return;
    if (err == 0 && (events & EPOLLOUT)) {
        connected(c);
        return;
    }
    drop_fd(c);
    c->state = TCP_IDLE;
    c->addr_idx++;
    if (lm_tcp_connect_start(c) != LM_OK && c->state != TCP_GONE)
        lm_tcp_conn_fail(c, "connect failed", err);
}

/* ---- accepting ------------------------------------------------------------------------ */

static void pending_free(struct tcp_pending *p)
{
    for (struct tcp_pending **pp = &tcp.pending; *pp; pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            break;
        }
    }
    if (p->fd >= 0)
        close(p->fd);
    tcp.npending--;
    free(p);
}

void lm_tcp_pending_free_all(void)
{
    while (tcp.pending)
        pending_free(tcp.pending);
}

void lm_tcp_accept_ready(void)
{
    for (;;) {
        int fd = accept4(tcp.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return; /* EAGAIN, or out of descriptors: the backlog keeps the rest */
        }
        /* A flood of silent strangers must not eat our descriptors: the oldest goes. */
        if (tcp.npending >= TCP_MAX_PENDING) {
            struct tcp_pending *old = tcp.pending;
            while (old->next)
                old = old->next;
            pending_free(old);
        }
        struct tcp_pending *p = calloc(1, sizeof *p);
        struct epoll_event ev = {.events = EPOLLIN,
                                 .data.u64 = lm_tcp_evdata(TCP_TAG_PENDING, fd)};
        if (!p || epoll_ctl(tcp.epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
            free(p);
            close(fd);
            continue;
        }
        set_nodelay(fd);
        p->fd = fd;
        p->deadline = lm_now_ns() + tcp.handshake_ns;
        note_deadline(p->deadline);
        p->next = tcp.pending;
        tcp.pending = p;
        tcp.npending++;
    }
}

/* An authenticated connection from rank r: keep it or refuse it (one per pair). */
static void adopt(struct tcp_pending *p, int r)
{
    struct tcp_conn *c = &tcp.conns[r];
    int fd = p->fd;
    bool keep;
    switch (c->state) {
    case TCP_IDLE:
    case TCP_WAIT_PEER:
        keep = true;
        break;
    case TCP_CONNECTING:
    case TCP_HELLO_SENT:
        /* Both connected at once: the lower rank's connection wins. */
        keep = r < lm_proc.rank;
        if (keep)
            drop_fd(c);
        break;
    default: /* OPEN or GONE: one connection per pair, and a gone peer stays gone */
        keep = false;
    }
    if (!keep) {
        if (tcp.verbose)
            fprintf(stderr, "litempi: rank %d: refused a second tcp connection from rank %d "
                    "(ours to it wins)\n", lm_proc.rank, r);
        if (c->state == TCP_CONNECTING || c->state == TCP_HELLO_SENT)
            lm_tcp_send_hello(fd, TCP_HELLO_DUP);
        pending_free(p);
        return;
    }
    p->fd = -1; /* the descriptor moves to the connection */
    pending_free(p);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = lm_tcp_evdata((uint32_t)r, fd)};
    if (epoll_ctl(tcp.epfd, EPOLL_CTL_MOD, fd, &ev) != 0 ||
        lm_tcp_send_hello(fd, TCP_HELLO_OK) != 0) {
        close(fd);
        return;
    }
    c->fd = fd;
    c->epollout = false;
    c->state = TCP_OPEN;
    tcp.nopen++;
    if (tcp.verbose)
        fprintf(stderr, "litempi: rank %d: tcp connection from rank %d accepted\n",
                lm_proc.rank, r);
}

void lm_tcp_pending_ready(struct tcp_pending *p)
{
    ssize_t n;
    do
        n = recv(p->fd, p->buf + p->got, sizeof p->buf - p->got, MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (n <= 0) {
        pending_free(p);
        return;
    }
    p->got += (size_t)n;
    if (p->got < sizeof p->buf)
        return;
    struct tcp_hello h;
    memcpy(&h, p->buf, sizeof h);
    int r;
    if (lm_tcp_key_load() != LM_OK || !lm_tcp_hello_check(&h, &r) || r < 0 ||
        r >= tcp.nconns || r == lm_proc.rank) {
        if (tcp.verbose)
            fprintf(stderr, "litempi: rank %d: closed a tcp connection that did not present "
                    "the job key\n", lm_proc.rank);
        pending_free(p);
        return;
    }
    if (h.status >= TCP_HELLO_LANE && h.status < TCP_HELLO_LANE + TCP_MAX_LANES) {
        /* One of the peer's data lanes (lane.c). */
        if (!lm_tcp_lane_adopt(p, r, h.status - TCP_HELLO_LANE) && tcp.verbose)
            fprintf(stderr, "litempi: rank %d: refused data lane %u from rank %d\n",
                    lm_proc.rank, h.status - TCP_HELLO_LANE, r);
        pending_free(p);
        return;
    }
    if (h.status != TCP_HELLO_OK) {
        pending_free(p);
        return;
    }
    adopt(p, r);
}

/* ---- timers ----------------------------------------------------------------------------- */

void lm_tcp_check_deadlines(uint64_t now)
{
    tcp.next_deadline = 0;
    for (struct tcp_pending *p = tcp.pending, *next; p; p = next) {
        next = p->next;
        if (p->deadline <= now)
            pending_free(p); /* said nothing useful in time */
        else
            note_deadline(p->deadline);
    }
    for (int i = 0; i < tcp.nconns; i++) {
        struct tcp_conn *c = &tcp.conns[i];
        if (c->state != TCP_WAIT_PEER)
            continue;
        if (c->retry_at <= now) {
            c->state = TCP_IDLE;
            if (lm_tcp_connect_start(c) != LM_OK && c->state != TCP_GONE)
                lm_tcp_conn_fail(c, "reconnect failed", 0);
        } else {
            note_deadline(c->retry_at);
        }
    }
}

/* The reply to our hello (called by wire.c with the first bytes of the stream). Returns
 * false when the connection is no longer usable. */
bool lm_tcp_hello_reply(struct tcp_conn *c, const struct tcp_hello *h)
{
    int r;
    if (!lm_tcp_hello_check(h, &r) || r != c->lpid) {
        /* Not our peer at that address (another process has the port now, or another
         * host's address space): try its next address. */
        drop_fd(c);
        c->state = TCP_IDLE;
        c->addr_idx++;
        if (lm_tcp_connect_start(c) != LM_OK && c->state != TCP_GONE)
            lm_tcp_conn_fail(c, "no address of it answered with the job key", 0);
        return false;
    }
    if (tcp.verbose)
        fprintf(stderr, "litempi: rank %d: tcp connection to rank %d %s\n", lm_proc.rank,
                c->lpid, h->status == TCP_HELLO_DUP ? "refused: its own comes" : "open");
    if (h->status == TCP_HELLO_DUP) {
        /* The peer keeps the connection it started to us: wait for it. */
        drop_fd(c);
        c->state = TCP_WAIT_PEER;
        c->retry_at = lm_now_ns() + RETRY_NS;
        note_deadline(c->retry_at);
        return false;
    }
    c->state = TCP_OPEN;
    return true;
}
