/* frame.c - frames on one stream socket: the byte-level state machines of the tcp
 * transport, kept apart from connections and pt2pt so they can be unit tested.
 *
 * Receiving (struct tcp_rx): reads go into a 256 KiB buffer, as much as the socket has
 * (several small frames per read), and whole frames are handed to the sink in place. The
 * payload of a DATA frame larger than what is buffered is a stream: it is received
 * straight into the user's buffer when the sink offers a destination (a contiguous
 * receive), else through ours piece by piece (each piece is a DATA frame at a later byte
 * offset). Whatever payload of such a frame came with the read that brought its header is
 * copied once from our buffer; to keep that small, the read after a stream asks for one
 * frame header only (hdr_next): rendezvous transfers are usually followed by more, and a
 * 56-byte read costs less than copying a quarter megabyte. Eager frames are at most
 * TCP_EAGER_LIMIT bytes and always fit the buffer. Nothing parsable is left in the buffer
 * when the pump returns, since only the socket (epoll) wakes a sleeping rank.
 *
 * Sending (struct tcp_tx): one sendmsg() of [frame header, payload...] per frame,
 * non-blocking, with MSG_NOSIGNAL (a dead peer must give EPIPE, not SIGPIPE). When the
 * socket takes only part of a frame, tx remembers how far it got and the caller offers the
 * same frame again later (pt2pt's per-peer FIFO keeps it at the head): no payload is
 * copied, even for a 2 GiB frame, and a frame is never abandoned half-written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "transport/tcp/frame.h"

#define FRAME sizeof(struct tcp_frame)

/* ---- receiving ------------------------------------------------------------------------ */

int lm_tcp_rx_parse(struct tcp_rx *rx, const struct tcp_rx_sink *sink, void *arg, int *delivered)
{
    if (rx->want_hello) {
        if (rx->rlen - rx->rpos < sizeof(struct tcp_hello))
            return TCP_RX_OK;
        struct tcp_hello h;
        memcpy(&h, rx->buf + rx->rpos, sizeof h);
        rx->rpos += sizeof h;
        rx->want_hello = false;
        if (!sink->hello(arg, &h))
            return TCP_RX_STOP;
    }
    while (rx->rlen - rx->rpos >= FRAME) {
        struct tcp_frame f;
        memcpy(&f, rx->buf + rx->rpos, sizeof f);
        size_t avail = rx->rlen - rx->rpos - FRAME;
        const char *payload = rx->buf + rx->rpos + FRAME;
        if (f.hdr.kind == LM_PKT_DATA) {
            if (f.len > avail) {
                /* A stream: what is here now, the rest as it arrives. */
                rx->rpos = rx->rlen = 0;
                rx->stream_hdr = f.hdr;
                rx->stream_hdr.addr += avail;
                rx->stream_left = f.len - avail;
                rx->hdr_next = false;
                if (avail) {
                    (*delivered)++;
                    if (!sink->frame(arg, &f.hdr, payload, avail))
                        return TCP_RX_STOP;
                }
                return TCP_RX_OK;
            }
        } else if (rx->data_only || f.len > TCP_EAGER_LIMIT) {
            return TCP_RX_BAD;
        } else if (f.len > avail) {
            return TCP_RX_OK; /* the rest of an eager frame is still to come */
        }
        rx->rpos += FRAME + (size_t)f.len;
        (*delivered)++;
        if (!sink->frame(arg, &f.hdr, payload, (size_t)f.len))
            return TCP_RX_STOP;
    }
    return TCP_RX_OK;
}

char *lm_tcp_rx_space(struct tcp_rx *rx, size_t *room)
{
    if (rx->rpos == rx->rlen) {
        rx->rpos = rx->rlen = 0;
    } else if (TCP_RBUF_SIZE - rx->rlen < TCP_EAGER_LIMIT + FRAME) {
        /* Room for a largest eager frame after the bytes we hold. */
        memmove(rx->buf, rx->buf + rx->rpos, rx->rlen - rx->rpos);
        rx->rlen -= rx->rpos;
        rx->rpos = 0;
    }
    *room = TCP_RBUF_SIZE - rx->rlen;
    return rx->buf + rx->rlen;
}

void lm_tcp_rx_commit(struct tcp_rx *rx, size_t n)
{
    rx->rlen += n;
    if (rx->rlen - rx->rpos >= FRAME)
        rx->hdr_next = false;
}

void lm_tcp_rx_reset(struct tcp_rx *rx)
{
    rx->rpos = rx->rlen = 0;
    rx->stream_left = 0;
    rx->want_hello = false;
    rx->hdr_next = rx->data_only;
}

int lm_tcp_rx_pump(struct tcp_rx *rx, int fd, const struct tcp_rx_sink *sink, void *arg,
                   int *delivered, bool *clean)
{
    if (!rx->buf && !(rx->buf = malloc(TCP_RBUF_SIZE)))
        return TCP_RX_NOMEM;
    /* Bounded rounds, so one busy socket cannot starve the others. A read that got less
     * than it asked for emptied the socket: no second system call to hear EAGAIN. */
    bool drained = false;
    for (int round = 0; round < 8; round++) {
        ssize_t n;
        if (rx->stream_left) {
            if (drained)
                break;
            size_t want = rx->stream_left > SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)rx->stream_left;
            char *dst = sink->dest ? sink->dest(arg, &rx->stream_hdr, want) : NULL;
            if (!dst) {
                dst = rx->buf;
                if (want > TCP_RBUF_SIZE)
                    want = TCP_RBUF_SIZE;
            }
            do
                n = recv(fd, dst, want, MSG_DONTWAIT);
            while (n < 0 && errno == EINTR);
            if (n > 0) {
                struct lm_pkt_hdr h = rx->stream_hdr;
                rx->stream_hdr.addr += (uint64_t)n;
                rx->stream_left -= (uint64_t)n;
                if (!rx->stream_left)
                    rx->hdr_next = true;
                drained = (size_t)n < want;
                (*delivered)++;
                if (!(dst == rx->buf ? sink->frame(arg, &h, dst, (size_t)n)
                                     : sink->placed(arg, &h, (size_t)n)))
                    return TCP_RX_STOP;
                continue;
            }
        } else {
            int st = lm_tcp_rx_parse(rx, sink, arg, delivered);
            if (st != TCP_RX_OK)
                return st;
            if (rx->stream_left)
                continue;
            if (drained)
                break;
            size_t room, have;
            char *p = lm_tcp_rx_space(rx, &room);
            have = rx->rlen - rx->rpos;
            if (rx->hdr_next && !rx->want_hello && have < FRAME)
                room = FRAME - have;
            do
                n = recv(fd, p, room, MSG_DONTWAIT);
            while (n < 0 && errno == EINTR);
            if (n > 0) {
                lm_tcp_rx_commit(rx, (size_t)n);
                drained = (size_t)n < room;
                continue;
            }
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n == 0) {
            /* Everything complete was parsed before this read. */
            *clean = lm_tcp_rx_idle(rx);
            return TCP_RX_EOF;
        }
        return TCP_RX_ERROR;
    }
    if (!rx->stream_left)
        return lm_tcp_rx_parse(rx, sink, arg, delivered);
    return TCP_RX_OK;
}

/* ---- sending -------------------------------------------------------------------------- */

int lm_tcp_tx_iov(const struct tcp_tx *tx, const struct iovec *iov, int iovcnt,
                  struct iovec *out)
{
    int n = 0;
    size_t skip = tx->done;
    if (skip < FRAME) {
        out[n++] = (struct iovec){(char *)&tx->frame + skip, FRAME - skip};
        skip = 0;
    } else {
        skip -= FRAME;
    }
    for (int i = 0; i < iovcnt; i++) {
        if (skip >= iov[i].iov_len) {
            skip -= iov[i].iov_len;
            continue;
        }
        out[n++] = (struct iovec){(char *)iov[i].iov_base + skip, iov[i].iov_len - skip};
        skip = 0;
    }
    return n;
}

int lm_tcp_tx_write(struct tcp_tx *tx, int fd, const struct lm_pkt_hdr *hdr,
                    const struct iovec *iov, int iovcnt, size_t len)
{
    if (!tx->partial) {
        tx->frame.hdr = *hdr;
        tx->frame.len = len;
        tx->len = len;
        tx->done = 0;
    } else if (len != tx->len) {
        return TCP_TX_MISMATCH;
    }
    struct iovec v[TCP_TX_MAX_IOV + 1];
    int n = lm_tcp_tx_iov(tx, iov, iovcnt, v);
    ssize_t w;
    size_t total = FRAME + len - tx->done;
    if (total <= 2048) {
        /* Small packets: one contiguous send() is measurably cheaper than sendmsg(). */
        char small[2048];
        size_t off = 0;
        for (int i = 0; i < n; i++) {
            memcpy(small + off, v[i].iov_base, v[i].iov_len);
            off += v[i].iov_len;
        }
        do
            w = send(fd, small, off, MSG_DONTWAIT | MSG_NOSIGNAL);
        while (w < 0 && errno == EINTR);
    } else {
        struct msghdr msg = {.msg_iov = v, .msg_iovlen = (size_t)n};
        do
            w = sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
        while (w < 0 && errno == EINTR);
    }
    if (w < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return TCP_TX_ERROR;
        w = 0;
    }
    tx->done += (size_t)w;
    if (tx->done == 0) {
        tx->partial = false; /* nothing went out: any frame may be offered next */
        return TCP_TX_AGAIN;
    }
    if (tx->done == FRAME + len) {
        tx->partial = false;
        return TCP_TX_DONE;
    }
    tx->partial = true;
    return TCP_TX_AGAIN;
}
