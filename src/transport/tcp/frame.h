/* frame.h - the tcp wire format and the per-socket framing machines (frame.c).
 *
 * A stream socket carries, after a fixed-size hello, frames: the 48-byte packet header plus
 * the 8-byte payload length, then the payload. frame.c turns bytes into frames (struct
 * tcp_rx) and frames into bytes (struct tcp_tx), on one socket each, and knows nothing of
 * connections, peers or pt2pt: what to do with a frame is the caller's (struct
 * tcp_rx_sink). That keeps the byte-level edge cases (a header split anywhere, several
 * frames per read, writes the socket takes only part of, an end of stream in the middle of
 * a frame) testable without processes (tests/unit/test_tcp_frame.c).
 */
#ifndef LM_TCP_FRAME_H
#define LM_TCP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "transport/transport.h"

#define TCP_EAGER_LIMIT (64 * 1024)  /* larger messages: rendezvous (RTS/CTS/DATA) */
#define TCP_RBUF_SIZE (256 * 1024)   /* per-socket receive buffer */
#define TCP_KEY_LEN 32               /* job key: 128 random bits as hex */
#define TCP_TX_MAX_IOV 8             /* payload pieces of one frame */

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
    uint32_t status;           /* TCP_HELLO_* */
};
#define TCP_MAGIC "LiteMPI1"
#define TCP_HELLO_OK 0         /* request: the pair's connection; reply: kept */
#define TCP_HELLO_DUP 1        /* reply: we keep our own connection to you (lower rank wins) */
#define TCP_HELLO_LANE 0x100   /* request: data lane k is TCP_HELLO_LANE + k (lane.c) */

/* ---- receiving ------------------------------------------------------------------------ */

/* What the reader does with what it finds. Each call returns false when the caller must
 * stop reading this socket (it was closed or handed elsewhere): the machine then returns
 * at once and touches nothing more, since the callee may have reset it. */
struct tcp_rx_sink {
    /* The peer's hello, when the machine was told to expect one first (want_hello). */
    bool (*hello)(void *arg, const struct tcp_hello *h);
    /* A whole frame, or a piece of a DATA frame whose payload does not fit the buffer:
     * then hdr->addr is advanced to the piece's offset and len is the piece's size. */
    bool (*frame)(void *arg, const struct lm_pkt_hdr *hdr, const void *payload, size_t len);
    /* Optional: where the next len payload bytes of a streamed DATA frame (at hdr->addr)
     * may be received in place, or NULL to get them through frame() ... */
    void *(*dest)(void *arg, const struct lm_pkt_hdr *hdr, size_t len);
    /* ... and, after len bytes were received there, this. */
    bool (*placed)(void *arg, const struct lm_pkt_hdr *hdr, size_t len);
};

struct tcp_rx {
    char *buf;                 /* TCP_RBUF_SIZE bytes, allocated on first read */
    size_t rpos, rlen;         /* unparsed bytes are buf[rpos, rlen) */
    uint64_t stream_left;      /* payload bytes still to come of a large DATA frame */
    struct lm_pkt_hdr stream_hdr; /* its header; addr advances with each piece */
    bool want_hello;           /* the next bytes are a struct tcp_hello */
    bool hdr_next;             /* read just one frame header next (see frame.c) */
    bool data_only;            /* only DATA frames are valid (data lanes) */
};

enum tcp_rx_status {
    TCP_RX_OK,       /* read what there was (or the round budget is spent) */
    TCP_RX_STOP,     /* a sink call said stop */
    TCP_RX_EOF,      /* the peer closed the stream; *clean says whether between frames */
    TCP_RX_ERROR,    /* recv failed: errno */
    TCP_RX_BAD,      /* a malformed frame */
    TCP_RX_NOMEM,    /* no receive buffer */
};

/* Parses what is buffered: hands complete frames (and the start of a large DATA frame) to
 * the sink. Returns TCP_RX_OK, TCP_RX_STOP or TCP_RX_BAD. No system call. */
int lm_tcp_rx_parse(struct tcp_rx *rx, const struct tcp_rx_sink *sink, void *arg, int *delivered);

/* Where the next read into the buffer may go (at most *room bytes; compacts first) and,
 * after it, how many bytes arrived. For tests and for lm_tcp_rx_pump. */
char *lm_tcp_rx_space(struct tcp_rx *rx, size_t *room);
void lm_tcp_rx_commit(struct tcp_rx *rx, size_t n);

/* Reads from non-blocking socket fd and parses, a bounded number of rounds, leaving
 * nothing parsable unparsed. *delivered counts sink calls that delivered bytes; on
 * TCP_RX_EOF, *clean is true when the stream ended on a frame boundary. */
int lm_tcp_rx_pump(struct tcp_rx *rx, int fd, const struct tcp_rx_sink *sink, void *arg,
                   int *delivered, bool *clean);

/* True when no partial frame is buffered or streaming. */
static inline bool lm_tcp_rx_idle(const struct tcp_rx *rx)
{
    return rx->stream_left == 0 && rx->rpos == rx->rlen && !rx->want_hello;
}

/* Forget the stream (the socket was closed); keeps the buffer. */
void lm_tcp_rx_reset(struct tcp_rx *rx);

/* ---- sending -------------------------------------------------------------------------- */

/* A frame the socket took only part of. */
struct tcp_tx {
    bool partial;
    struct tcp_frame frame;
    size_t done;               /* bytes of frame + payload already written */
    size_t len;                /* payload bytes of that frame */
};

enum tcp_tx_status {
    TCP_TX_DONE,     /* all of the frame is written */
    TCP_TX_AGAIN,    /* the socket is full; tx remembers how far it got */
    TCP_TX_ERROR,    /* sendmsg failed: errno */
    TCP_TX_MISMATCH, /* another frame was offered while one was half written */
};

/* The iovec of what remains of frame f (header then payload) after tx->done bytes. */
int lm_tcp_tx_iov(const struct tcp_tx *tx, const struct iovec *iov, int iovcnt,
                  struct iovec *out);

/* Writes (the rest of) frame {hdr, payload iov[iovcnt] of len bytes} on non-blocking
 * socket fd. When tx is partial, the same frame must be offered again (same length; the
 * header is not looked at). */
int lm_tcp_tx_write(struct tcp_tx *tx, int fd, const struct lm_pkt_hdr *hdr,
                    const struct iovec *iov, int iovcnt, size_t len);

#endif
