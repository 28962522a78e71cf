/* lane.c - data lanes: extra sockets per peer pair that large transfers are striped over.
 *
 * Why: on loopback (and on fast links) one tcp stream is limited by the kernel's per-socket
 * work, which the two ends do in turn rather than at once; two streams overlap it. Measured
 * on the 2-core development VM, a plain C sender moving 512 KiB messages got about 5 GB/s
 * on one socket and 9-10 on two, and MPICH's UCX does the same (each 1 MiB rendezvous is
 * two 512 KiB puts on two connections). So pt2pt cuts DATA into TCP_FRAG (512 KiB) frames
 * (the transport's max_payload) and the frames of a transfer go round robin over the
 * pair's connection and its data lanes, whichever socket has room.
 *
 * Only DATA frames travel on lanes: they carry the receive request and their byte offset,
 * so their order between sockets does not matter, and everything that must stay ordered
 * (envelopes, CTS, acknowledgements, BYE) stays on the pair's connection. Lanes are
 * directional: out lanes are opened by the sending side, on its first DATA frame to the
 * peer, so there are no simultaneous connects to resolve; the peer's listener accepts them
 * like any connection (job key, rank), with hello status TCP_HELLO_LANE + k, and only while
 * its connection with us is open. A lane that cannot be opened is simply not used.
 *
 * Ending: a lane that ends on a frame boundary is closed quietly; one that ends inside a
 * frame lost data and fails the peer, as does a send error on an open lane. Finalize shuts
 * our out lanes down (SHUT_WR) and waits until the peer has read them to the end and
 * closed them before the BYE goes out on the connection, so the peer never sees our BYE
 * with DATA of ours still unread. Lanes never outlive the connection's socket.
 *
 * LITEMPI_TCP_LANES (default 2, at most TCP_MAX_LANES) is the number of sockets per
 * direction, the connection included; 1 turns lanes off.
 */
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

static uint64_t lane_evdata(const struct tcp_conn *c, unsigned code, int fd)
{
    return lm_tcp_evdata((code << 24) | (uint32_t)c->lpid, fd);
}

static struct tcp_lanes *lanes_of(struct tcp_conn *c)
{
    if (!c->lanes) {
        struct tcp_lanes *L = calloc(1, sizeof *L);
        if (!L)
            return NULL;
        for (int k = 0; k < TCP_MAX_LANES; k++) {
            L->out[k].fd = L->in[k].fd = -1;
            L->in[k].rx.data_only = true;
            L->in[k].rx.hdr_next = true;
        }
        c->lanes = L;
    }
    return c->lanes;
}

static void lane_close(struct tcp_conn *c, struct tcp_lane *l)
{
    if (l->fd >= 0) {
        close(l->fd); /* also leaves the epoll set */
        l->fd = -1;
        c->nlanes--;
    }
    l->state = LANE_DEAD;
    l->tx_blocked = l->epollout = false;
    l->tx.partial = false;
    lm_tcp_rx_reset(&l->rx);
    free(l->rx.buf);
    l->rx.buf = NULL;
}

static void lane_epollout(struct tcp_conn *c, struct tcp_lane *l, unsigned k, bool on)
{
    if (l->epollout == on || l->fd < 0)
        return;
    struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0),
                             .data.u64 = lane_evdata(c, k, l->fd)};
    if (epoll_ctl(tcp.epfd, EPOLL_CTL_MOD, l->fd, &ev) == 0)
        l->epollout = on;
}

static void lane_connected(struct tcp_conn *c, struct tcp_lane *l, unsigned k)
{
    if (lm_tcp_send_hello(l->fd, TCP_HELLO_LANE + k) != 0) {
        lane_close(c, l);
        return;
    }
    l->state = LANE_HELLO_SENT;
    l->hgot = 0;
    lane_epollout(c, l, k, false);
}

/* Opens our out lanes to c's peer, at the address its connection uses. */
static void lanes_start(struct tcp_conn *c)
{
    struct tcp_lanes *L = lanes_of(c);
    if (!L)
        return;
    L->started = true;
    struct sockaddr_in sa;
    if (!lm_tcp_card_addr(c->lpid, c->addr_idx, &sa))
        return;
    for (unsigned k = 1; k < (unsigned)tcp.lanes; k++) {
        struct tcp_lane *l = &L->out[k];
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            break;
        int one = 1, r;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        do
            r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
        while (r < 0 && errno == EINTR);
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.u64 = lane_evdata(c, k, fd)};
        if ((r < 0 && errno != EINPROGRESS) || epoll_ctl(tcp.epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
            close(fd);
            l->state = LANE_DEAD;
            continue;
        }
        l->fd = fd;
        l->epollout = true;
        l->state = LANE_CONNECTING;
        c->nlanes++;
        if (r == 0)
            lane_connected(c, l, k);
    }
}

/* ---- sending -------------------------------------------------------------------------- */

static int lane_write(struct tcp_conn *c, struct tcp_lane *l, unsigned k,
                      const struct lm_pkt_hdr *hdr, const struct iovec *iov, int iovcnt,
                      size_t len)
{
    switch (lm_tcp_tx_write(&l->tx, l->fd, hdr, iov, iovcnt, len)) {
    case TCP_TX_DONE:
        return LM_OK;
    case TCP_TX_AGAIN:
        l->tx_blocked = true;
        lane_epollout(c, l, k, true);
        return LM_EAGAIN;
    case TCP_TX_MISMATCH:
        return lm_err_detail(MPI_ERR_INTERN, "tcp: a different packet (%zu bytes) was offered "
                             "to rank %d while one of %zu bytes was half written on lane %u",
                             len, c->lpid, l->tx.len, k);
    default:
        lm_tcp_conn_fail(c, "sending on a data lane failed", errno);
        return c->err;
    }
}

int lm_tcp_lane_send(struct tcp_conn *c, const struct lm_pkt_hdr *hdr, const struct iovec *iov,
                     int iovcnt, size_t len)
{
    struct tcp_lanes *L = c->lanes;
    if (!L || !L->started) {
        lanes_start(c);
        L = c->lanes;
    }
    /* A frame half written goes on where it is (the caller offers it again). */
    if (c->tx.partial)
        return c->tx_blocked ? LM_EAGAIN : lm_tcp_conn_write(c, hdr, iov, iovcnt, len);
    if (!L)
        return c->tx_blocked ? LM_EAGAIN : lm_tcp_conn_write(c, hdr, iov, iovcnt, len);
    for (unsigned k = 1; k < (unsigned)tcp.lanes; k++) {
        struct tcp_lane *l = &L->out[k];
        if (l->tx.partial)
            return l->tx_blocked ? LM_EAGAIN : lane_write(c, l, k, hdr, iov, iovcnt, len);
    }
    /* Round robin from the socket after the last one used, skipping full ones; a socket
     * that took nothing passes the frame on to the next. */
    unsigned n = (unsigned)tcp.lanes;
    for (unsigned i = 0; i < n; i++) {
        unsigned k = (L->rr + i) % n;
        int rc;
        if (k == 0) {
            if (c->tx_blocked)
                continue;
            rc = lm_tcp_conn_write(c, hdr, iov, iovcnt, len);
            if (rc == LM_EAGAIN && !c->tx.partial)
                continue;
        } else {
            struct tcp_lane *l = &L->out[k];
            if (l->state != LANE_OPEN || l->tx_blocked)
                continue;
            rc = lane_write(c, l, k, hdr, iov, iovcnt, len);
            if (rc == LM_EAGAIN && !l->tx.partial)
                continue;
        }
        L->rr = k + 1;
        return rc;
    }
    return LM_EAGAIN;
}

/* ---- receiving ------------------------------------------------------------------------ */

static bool lane_frame(void *arg, const struct lm_pkt_hdr *hdr, const void *payload, size_t len)
{
    struct tcp_conn *c = arg;
    if (c->state != TCP_OPEN)
        return false;
    lm_tcp_data_arrived(c, len);
    lm_pt2pt_deliver(&lm_proc.peers[c->lpid], hdr, payload, len);
    return c->state == TCP_OPEN;
}

static void *lane_dest(void *arg, const struct lm_pkt_hdr *hdr, size_t len)
{
    (void)arg;
    return lm_pt2pt_data_dest(hdr, len);
}

static bool lane_placed(void *arg, const struct lm_pkt_hdr *hdr, size_t len)
{
    struct tcp_conn *c = arg;
    lm_tcp_data_arrived(c, len);
    lm_pt2pt_data_placed(hdr, len);
    return c->state == TCP_OPEN;
}

static const struct tcp_rx_sink lane_sink = {NULL, lane_frame, lane_dest, lane_placed};

static int in_lane_read(struct tcp_conn *c, struct tcp_lane *l)
{
    int delivered = 0;
    bool clean = false;
    switch (lm_tcp_rx_pump(&l->rx, l->fd, &lane_sink, c, &delivered, &clean)) {
    case TCP_RX_EOF:
        if (clean)
            lane_close(c, l); /* the peer is done with it */
        else
            lm_tcp_conn_fail(c, "a data lane ended in the middle of a frame", 0);
        break;
    case TCP_RX_ERROR:
        lm_tcp_conn_fail(c, "receiving on a data lane failed", errno);
        break;
    case TCP_RX_BAD:
        lm_tcp_conn_fail(c, "malformed frame on a data lane", 0);
        break;
    case TCP_RX_NOMEM:
        lm_tcp_conn_fail(c, "out of memory for a receive buffer", ENOMEM);
        break;
    default:
        break;
    }
    return delivered;
}

/* The peer's answer to an out lane's hello. */
static void out_lane_hello(struct tcp_conn *c, struct tcp_lane *l)
{
    ssize_t n;
    do
        n = recv(l->fd, (char *)&l->hello + l->hgot, sizeof l->hello - l->hgot, MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (n <= 0) {
        lane_close(c, l); /* refused: we do without */
        return;
    }
    l->hgot += (size_t)n;
    if (l->hgot < sizeof l->hello)
        return;
    int r;
    if (lm_tcp_hello_check(&l->hello, &r) && r == c->lpid && l->hello.status == TCP_HELLO_OK) {
        l->state = LANE_OPEN;
        if (tcp.verbose)
            fprintf(stderr, "litempi: rank %d: data lane %d to rank %d open\n", lm_proc.rank,
                    (int)(l - c->lanes->out), c->lpid);
    } else {
        lane_close(c, l);
    }
}

int lm_tcp_lane_event(struct tcp_conn *c, unsigned code, int fd, uint32_t events)
{
    struct tcp_lanes *L = c->lanes;
    bool in = code > TCP_LANE_IN;
    unsigned k = in ? code - TCP_LANE_IN : code;
    if (!L || k == 0 || k >= TCP_MAX_LANES)
        return 0;
    struct tcp_lane *l = in ? &L->in[k] : &L->out[k];
    if (l->fd != fd)
        return 0; /* closed earlier in this batch */
    if (in)
        return in_lane_read(c, l);
    int delivered = 0;
    switch (l->state) {
    case LANE_CONNECTING: {
        int err = 0;
        socklen_t elen = sizeof err;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0)
            err = errno;
        if (err == 0 && (events & EPOLLOUT))
            lane_connected(c, l, k);
        else if (err != 0 || (events & (EPOLLERR | EPOLLHUP)))
            lane_close(c, l);
        break;
    }
    case LANE_HELLO_SENT:
        out_lane_hello(c, l);
        break;
    case LANE_OPEN:
    case LANE_CLOSING:
        if (events & EPOLLOUT) {
            l->tx_blocked = false;
            lane_epollout(c, l, k, false);
            delivered++; /* pt2pt's queue may move now */
        }
        if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
            /* The peer sends nothing on our lanes after its hello: this is their end. */
            char b[64];
            ssize_t n;
            do
                n = recv(fd, b, sizeof b, MSG_DONTWAIT);
            while (n < 0 && errno == EINTR);
            if (n > 0) {
                lm_tcp_conn_fail(c, "unexpected bytes on a data lane", 0);
            } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                bool was_closing = l->state == LANE_CLOSING;
                if (l->tx.partial) {
                    lm_tcp_conn_fail(c, "a data lane closed in the middle of a frame", 0);
                } else {
                    lane_close(c, l);
                    if (was_closing && c->bye_wanted)
                        lm_tcp_flush_bye(c);
                }
                delivered++;
            }
        }
        break;
    default:
        break;
    }
    return delivered;
}

bool lm_tcp_lanes_quiet(const struct tcp_conn *c)
{
    if (c->rx_due)
        return false; /* DATA may come on the peer's lanes */
    const struct tcp_lanes *L = c->lanes;
    for (int k = 1; k < TCP_MAX_LANES; k++) {
        const struct tcp_lane *l = &L->out[k];
        if ((l->state != LANE_OPEN && l->state != LANE_DEAD && l->state != LANE_NONE) ||
            l->tx_blocked)
            return false; /* connecting, closing, or waiting for room */
    }
    return true;
}

/* ---- the peer's lanes, accepted --------------------------------------------------------- */

bool lm_tcp_lane_adopt(struct tcp_pending *p, int r, unsigned k)
{
    struct tcp_conn *c = &tcp.conns[r];
    if (k == 0 || k >= TCP_MAX_LANES || c->state != TCP_OPEN)
        return false;
    struct tcp_lanes *L = lanes_of(c);
    if (!L || L->in[k].state != LANE_NONE)
        return false;
    struct tcp_lane *l = &L->in[k];
    struct epoll_event ev = {.events = EPOLLIN,
                             .data.u64 = lane_evdata(c, TCP_LANE_IN + k, p->fd)};
    if (epoll_ctl(tcp.epfd, EPOLL_CTL_MOD, p->fd, &ev) != 0 ||
        lm_tcp_send_hello(p->fd, TCP_HELLO_OK) != 0)
        return false;
    l->fd = p->fd;
    p->fd = -1; /* the descriptor moves to the lane */
    l->state = LANE_OPEN;
    c->nlanes++;
    if (tcp.verbose)
        fprintf(stderr, "litempi: rank %d: data lane %u from rank %d accepted\n", lm_proc.rank,
                k, r);
    return true;
}

/* ---- ending ----------------------------------------------------------------------------- */

void lm_tcp_lanes_drop(struct tcp_conn *c)
{
    struct tcp_lanes *L = c->lanes;
    if (!L)
        return;
    L->started = true; /* never reopened */
    for (int k = 1; k < TCP_MAX_LANES; k++) {
        if (L->out[k].fd >= 0 || L->out[k].state != LANE_NONE)
            lane_close(c, &L->out[k]);
        if (L->in[k].fd >= 0 || L->in[k].state != LANE_NONE)
            lane_close(c, &L->in[k]);
    }
}

bool lm_tcp_lanes_closed(struct tcp_conn *c)
{
    struct tcp_lanes *L = c->lanes;
    if (!L)
        return true;
    bool done = true;
    for (int k = 1; k < TCP_MAX_LANES; k++) {
        struct tcp_lane *l = &L->out[k];
        switch (l->state) {
        case LANE_CONNECTING:
        case LANE_HELLO_SENT:
            lane_close(c, l); /* never carried anything */
            break;
        case LANE_OPEN:
            if (l->tx.partial) {
                lane_close(c, l); /* erroneous program: no clean end possible */
                break;
            }
            shutdown(l->fd, SHUT_WR);
            l->state = LANE_CLOSING;
            done = false;
            break;
        case LANE_CLOSING:
            done = false;
            break;
        default:
            break;
        }
    }
    return done;
}

void lm_tcp_lanes_free(struct tcp_conn *c)
{
    lm_tcp_lanes_drop(c);
    free(c->lanes);
    c->lanes = NULL;
}
