/* wire.c - a connection's frames to and from pt2pt.
 *
 * The byte work is frame.c's; here are the decisions that need the connection: which
 * socket a packet goes out on (DATA may take a data lane, lane.c), what a full socket
 * means (EPOLLOUT armed, later sends answer LM_EAGAIN without a system call until it has
 * room), and what each incoming frame is (a packet for pt2pt, the peer's BYE, the answer to
 * our hello, or a malformed frame that ends the connection).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "transport/tcp/tcp.h"

/* Writes (the rest of) one frame on the connection's socket. LM_OK when all of it is out,
 * LM_EAGAIN when the socket is full (tx remembers the position), or an error after
 * marking the peer gone. */
static int write_frame(struct tcp_conn *c, const struct lm_pkt_hdr *hdr, const struct iovec *iov,
                       int iovcnt, size_t len)
{
    switch (lm_tcp_tx_write(&c->tx, c->fd, hdr, iov, iovcnt, len)) {
    case TCP_TX_DONE:
        return LM_OK;
    case TCP_TX_AGAIN:
        c->tx_blocked = true;
        lm_tcp_set_epollout(c, true);
        return LM_EAGAIN;
    case TCP_TX_MISMATCH:
        return lm_err_detail(MPI_ERR_INTERN, "tcp: a different packet (%zu bytes) was offered "
                             "to rank %d while one of %zu bytes was half written", len, c->lpid,
                             c->tx.len);
    default:
        lm_tcp_conn_fail(c, "sending failed", errno);
        return c->err;
    }
}

int lm_tcp_send(struct lm_peer *peer, const struct lm_pkt_hdr *hdr, const struct iovec *iov,
                int iovcnt)
{
    struct tcp_conn *c = peer->tp_state;
    if (c->state != TCP_OPEN)
        return c->state == TCP_GONE ? c->err : LM_EAGAIN; /* still connecting */
    if (iovcnt > TCP_TX_MAX_IOV)
        return lm_err_detail(MPI_ERR_INTERN, "tcp: %d payload pieces (at most %d)", iovcnt,
                             TCP_TX_MAX_IOV);
    size_t len = 0;
    for (int i = 0; i < iovcnt; i++)
        len += iov[i].iov_len;
    if (hdr->kind == LM_PKT_DATA && tcp.lanes > 1)
        return lm_tcp_lane_send(c, hdr, iov, iovcnt, len);
    if (hdr->kind == LM_PKT_CTS && tcp.lanes > 1 && !c->tx.partial) {
        int rc = c->tx_blocked ? LM_EAGAIN : write_frame(c, hdr, iov, iovcnt, len);
        if (rc == LM_OK || (rc == LM_EAGAIN && c->tx.partial))
            c->rx_due += hdr->size; /* sent, or half out and bound to finish */
        return rc;
    }
    if (c->tx_blocked)
        return LM_EAGAIN;
    return write_frame(c, hdr, iov, iovcnt, len);
}

/* The lane code's way onto the connection's own socket. */
int lm_tcp_conn_write(struct tcp_conn *c, const struct lm_pkt_hdr *hdr, const struct iovec *iov,
                      int iovcnt, size_t len)
{
    return write_frame(c, hdr, iov, iovcnt, len);
}

bool lm_tcp_flush_bye(struct tcp_conn *c)
{
    if (c->bye_sent || c->fd < 0)
        return true;
    if (c->tx.partial && c->tx.frame.hdr.kind != TCP_KIND_BYE) {
        /* A packet stuck half-written (only an erroneous program gets here): no clean
         * goodbye is possible, the peer will see the connection end. */
        c->bye_sent = true;
        c->bye_wanted = false;
        lm_tcp_conn_close(c);
        return true;
    }
    /* Our data lanes first: the peer must have read all they carry before our BYE. */
    if (c->tx_blocked || !lm_tcp_lanes_closed(c))
        return false;
    struct lm_pkt_hdr bye = {.kind = TCP_KIND_BYE};
    int rc = write_frame(c, &bye, NULL, 0, 0);
    if (rc == LM_EAGAIN)
        return false;
    c->bye_wanted = false;
    c->bye_sent = true;
    /* Both goodbyes said: nothing more can come either way. */
    if (rc == LM_OK && c->bye_recv)
        lm_tcp_conn_close(c);
    return true;
}

static void peer_left(struct tcp_conn *c)
{
    c->bye_recv = true;
    if (c->state != TCP_GONE) {
        c->state = TCP_GONE;
        c->died = false;
        c->err = lm_err_detail(MPI_ERR_OTHER, "rank %d has called MPI_Finalize: rank %d can no "
                               "longer communicate with it", c->lpid, lm_proc.rank);
        tcp.fail_pending = true;
    }
    lm_tcp_lanes_drop(c); /* nothing more goes to a peer that left */
    if (!c->bye_sent) {
        c->bye_wanted = true;
        lm_tcp_flush_bye(c); /* closes once sent */
    } else {
        lm_tcp_conn_close(c);
    }
}

/* ---- the connection's sink: frames to pt2pt ------------------------------------------- */

static bool conn_hello(void *arg, const struct tcp_hello *h)
{
    return lm_tcp_hello_reply(arg, h);
}

static bool conn_frame(void *arg, const struct lm_pkt_hdr *hdr, const void *payload, size_t len)
{
    struct tcp_conn *c = arg;
    if (hdr->kind == TCP_KIND_BYE) {
        peer_left(c);
        return false;
    }
    if (c->state != TCP_OPEN)
        return false; /* nothing is read from a peer that said BYE or failed */
    if (hdr->kind == LM_PKT_DATA)
        lm_tcp_data_arrived(c, len);
    lm_pt2pt_deliver(&lm_proc.peers[c->lpid], hdr, payload, len);
    return c->state == TCP_OPEN; /* a send inside the delivery may have found the peer gone */
}

static void *conn_dest(void *arg, const struct lm_pkt_hdr *hdr, size_t len)
{
    (void)arg;
    return lm_pt2pt_data_dest(hdr, len);
}

static bool conn_placed(void *arg, const struct lm_pkt_hdr *hdr, size_t len)
{
    struct tcp_conn *c = arg;
    lm_tcp_data_arrived(c, len);
    lm_pt2pt_data_placed(hdr, len);
    return c->state == TCP_OPEN;
}

const struct tcp_rx_sink lm_tcp_conn_sink = {conn_hello, conn_frame, conn_dest, conn_placed};

int lm_tcp_read(struct tcp_conn *c)
{
    int delivered = 0;
    bool clean = false;
    switch (lm_tcp_rx_pump(&c->rx, c->fd, &lm_tcp_conn_sink, c, &delivered, &clean)) {
    case TCP_RX_EOF:
        lm_tcp_conn_fail(c, clean ? "the peer closed the connection without saying goodbye"
                                  : "the connection ended in the middle of a frame", 0);
        break;
    case TCP_RX_ERROR:
        lm_tcp_conn_fail(c, "receiving failed", errno);
        break;
    case TCP_RX_BAD:
        lm_tcp_conn_fail(c, "malformed frame", 0);
        break;
    case TCP_RX_NOMEM:
        lm_tcp_conn_fail(c, "out of memory for the receive buffer", ENOMEM);
        break;
    default: /* OK, or STOP: the sink already dealt with the connection */
        break;
    }
    return delivered;
}
