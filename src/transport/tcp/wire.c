/* wire.c - frames on a tcp stream.
 *
 * Output: one sendmsg() of [frame header, payload...] per packet, non-blocking, with
 * MSG_NOSIGNAL (a dead peer must give EPIPE, not kill us with SIGPIPE). When the socket
 * takes only part of a frame we remember how much went out and answer LM_EAGAIN: pt2pt
 * offers the same packet again (its per-peer FIFO keeps it at the head), and we go on from
 * where the socket stopped. So no payload is ever copied, even for a 2 GiB DATA frame, and a
 * frame is never abandoned half-written. A full socket sets tx_blocked and EPOLLOUT, so
 * retries cost no system call until the socket has room again.
 *
 * Input: reads go into the connection's buffer, as much as the socket has (several small
 * frames per read), and whole frames are handed to pt2pt in place. The rest of a DATA frame
 * larger than what is buffered is received straight into the user's buffer when pt2pt says
 * it is contiguous (lm_pt2pt_data_dest), else through ours piece by piece: DATA carries its
 * byte offset, so each piece is just a DATA packet with a later offset. Eager frames are at
 * most TCP_EAGER_LIMIT bytes and always fit the buffer. Nothing is left buffered unparsed
 * when progress returns, since only the socket wakes a sleeping rank.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "transport/tcp/tcp.h"

#define MAX_IOV 8

/* Writes (the rest of) one frame. LM_OK when all of it is out, LM_EAGAIN when the socket
 * is full (tx state remembers the position), or an error after marking the peer gone. */
static int write_frame(struct tcp_conn *c, const struct tcp_frame *f, const struct iovec *iov,
                       int iovcnt, size_t len)
{
    if (!c->tx_partial || c->tx_done == 0) {
        c->tx_frame = *f;
        c->tx_len = len;
        c->tx_done = 0;
    } else if (len != c->tx_len) {
        return lm_err_detail(MPI_ERR_INTERN, "tcp: a different packet (%zu bytes) was offered "
                             "to rank %d while one of %zu bytes was half written", len, c->lpid,
                             c->tx_len);
    }
    struct iovec v[MAX_IOV + 1];
    int n = 0;
    size_t skip = c->tx_done;
    if (skip < sizeof c->tx_frame) {
        v[n++] = (struct iovec){(char *)&c->tx_frame + skip, sizeof c->tx_frame - skip};
        skip = 0;
    } else {
        skip -= sizeof c->tx_frame;
    }
    for (int i = 0; i < iovcnt; i++) {
        if (skip >= iov[i].iov_len) {
            skip -= iov[i].iov_len;
            continue;
        }
        v[n++] = (struct iovec){(char *)iov[i].iov_base + skip, iov[i].iov_len - skip};
        skip = 0;
    }
    ssize_t w;
    size_t total = sizeof c->tx_frame + len - c->tx_done;
    if (total <= 2048) {
        /* Small packets: one contiguous send() is measurably cheaper than sendmsg(). */
        char small[2048];
        size_t off = 0;
        for (int i = 0; i < n; i++) {
            memcpy(small + off, v[i].iov_base, v[i].iov_len);
            off += v[i].iov_len;
        }
        do
            w = send(c->fd, small, off, MSG_DONTWAIT | MSG_NOSIGNAL);
        while (w < 0 && errno == EINTR);
    } else {
        struct msghdr msg = {.msg_iov = v, .msg_iovlen = (size_t)n};
        do
            w = sendmsg(c->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
        while (w < 0 && errno == EINTR);
    }
    if (w < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            lm_tcp_conn_fail(c, "sending failed", errno);
            return c->err;
        }
        w = 0;
    }
    c->tx_done += (size_t)w;
    if (c->tx_done == sizeof c->tx_frame + len) {
        c->tx_partial = false;
        return LM_OK;
    }
    c->tx_partial = true;
    c->tx_blocked = true;
    lm_tcp_set_epollout(c, true);
    return LM_EAGAIN;
}

int lm_tcp_send(struct lm_peer *peer, const struct lm_pkt_hdr *hdr, const struct iovec *iov,
                int iovcnt)
{
    struct tcp_conn *c = peer->tp_state;
    if (c->state != TCP_OPEN)
        return c->state == TCP_GONE ? c->err : LM_EAGAIN; /* still connecting */
    if (c->tx_blocked)
        return LM_EAGAIN;
    if (iovcnt > MAX_IOV)
        return lm_err_detail(MPI_ERR_INTERN, "tcp: %d payload pieces (at most %d)", iovcnt,
                             MAX_IOV);
    size_t len = 0;
    for (int i = 0; i < iovcnt; i++)
        len += iov[i].iov_len;
    struct tcp_frame f = {.hdr = *hdr, .len = len};
    return write_frame(c, &f, iov, iovcnt, len);
}

bool lm_tcp_flush_bye(struct tcp_conn *c)
{
    if (c->bye_sent || c->fd < 0)
        return true;
    if (c->tx_partial && c->tx_frame.hdr.kind != TCP_KIND_BYE) {
        /* A packet stuck half-written (only an erroneous program gets here): no clean
         * goodbye is possible, the peer will see the connection end. */
        c->bye_sent = true;
        c->bye_wanted = false;
        lm_tcp_conn_close(c);
        return true;
    }
    if (c->tx_blocked)
        return false;
    struct tcp_frame f = {.hdr = {.kind = TCP_KIND_BYE}};
    int rc = write_frame(c, &f, NULL, 0, 0);
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
    if (!c->bye_sent) {
        c->bye_wanted = true;
        lm_tcp_flush_bye(c); /* closes once sent */
    } else {
        lm_tcp_conn_close(c);
    }
}

/* Hands complete frames in rbuf to pt2pt. Returns false when the connection went away. */
static bool parse(struct tcp_conn *c, struct lm_peer *peer, int *delivered)
{
    if (c->state == TCP_HELLO_SENT) {
        if (c->rlen - c->rpos < sizeof(struct tcp_hello))
            return true;
        struct tcp_hello h;
        memcpy(&h, c->rbuf + c->rpos, sizeof h);
        c->rpos += sizeof h;
        if (!lm_tcp_hello_reply(c, &h))
            return false;
    }
    while (c->rlen - c->rpos >= sizeof(struct tcp_frame)) {
        struct tcp_frame f;
        memcpy(&f, c->rbuf + c->rpos, sizeof f);
        size_t avail = c->rlen - c->rpos - sizeof f;
        if (f.hdr.kind == TCP_KIND_BYE) {
            c->rpos += sizeof f;
            peer_left(c);
            return false;
        }
        if (c->state != TCP_OPEN)
            return false; /* nothing is read from a peer that said BYE or failed */
        if (f.hdr.kind == LM_PKT_DATA && f.len > avail) {
            /* Large DATA: what is here now, then the rest as it arrives. */
            c->rpos += sizeof f;
            if (avail) {
                lm_pt2pt_deliver(peer, &f.hdr, c->rbuf + c->rpos, avail);
                (*delivered)++;
            }
            c->rpos = c->rlen = 0;
            c->stream_hdr = f.hdr;
            c->stream_hdr.addr += avail;
            c->stream_left = f.len - avail;
            return c->state == TCP_OPEN;
        }
        if (f.hdr.kind != LM_PKT_DATA && f.len > TCP_EAGER_LIMIT) {
            lm_tcp_conn_fail(c, "malformed frame", 0);
            return false;
        }
        if (f.len > avail)
            return true;
        c->rpos += sizeof f;
        lm_pt2pt_deliver(peer, &f.hdr, c->rbuf + c->rpos, (size_t)f.len);
        (*delivered)++;
        c->rpos += (size_t)f.len;
        if (c->state != TCP_OPEN) /* a send inside the delivery found the peer gone */
            return false;
    }
    return true;
}

int lm_tcp_read(struct tcp_conn *c)
{
    struct lm_peer *peer = &lm_proc.peers[c->lpid];
    int delivered = 0;
    if (!c->rbuf && !(c->rbuf = malloc(TCP_RBUF_SIZE))) {
        lm_tcp_conn_fail(c, "out of memory for the receive buffer", ENOMEM);
        return 0;
    }
    /* Bounded rounds, so one busy peer cannot starve the others. A read that got less than
     * it asked for emptied the socket: no second system call to hear EAGAIN. */
    bool drained = false;
    for (int round = 0; round < 8 && c->fd >= 0; round++) {
        ssize_t n;
        if (c->stream_left) {
            if (drained)
                break;
            /* Straight into the receive buffer when it is contiguous (no second copy),
             * else through ours. */
            size_t want = c->stream_left > SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)c->stream_left;
            char *dst = lm_pt2pt_data_dest(&c->stream_hdr, want);
            if (!dst) {
                dst = c->rbuf;
                if (want > TCP_RBUF_SIZE)
                    want = TCP_RBUF_SIZE;
            }
            do
                n = recv(c->fd, dst, want, MSG_DONTWAIT);
            while (n < 0 && errno == EINTR);
            if (n > 0) {
                struct lm_pkt_hdr h = c->stream_hdr;
                c->stream_hdr.addr += (uint64_t)n;
                c->stream_left -= (uint64_t)n;
                if (dst == c->rbuf)
                    lm_pt2pt_deliver(peer, &h, c->rbuf, (size_t)n);
                else
                    lm_pt2pt_data_placed(&h, (size_t)n);
                delivered++;
                drained = (size_t)n < want;
                continue;
            }
        } else {
            if (!parse(c, peer, &delivered))
                break;
            if (c->stream_left)
                continue;
            if (drained)
                break;
            if (c->rpos == c->rlen) {
                c->rpos = c->rlen = 0;
            } else if (TCP_RBUF_SIZE - c->rlen < TCP_EAGER_LIMIT + sizeof(struct tcp_frame)) {
                /* Room for a largest frame after the bytes we hold. */
                memmove(c->rbuf, c->rbuf + c->rpos, c->rlen - c->rpos);
                c->rlen -= c->rpos;
                c->rpos = 0;
            }
            size_t room = TCP_RBUF_SIZE - c->rlen;
            do
                n = recv(c->fd, c->rbuf + c->rlen, room, MSG_DONTWAIT);
            while (n < 0 && errno == EINTR);
            if (n > 0) {
                c->rlen += (size_t)n;
                drained = (size_t)n < room;
                continue;
            }
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n == 0)
            lm_tcp_conn_fail(c, "the peer closed the connection without saying goodbye", 0);
        else
            lm_tcp_conn_fail(c, "receiving failed", errno);
        break;
    }
    /* Nothing may stay buffered unparsed when we leave: epoll only reports the socket. */
    if (c->fd >= 0 && !c->stream_left)
        parse(c, peer, &delivered);
    return delivered;
}
