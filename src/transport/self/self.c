/* self.c - messages from a process to itself.
 *
 * Packets are queued in process memory and delivered from progress(), never from inside
 * send(): delivering re-entrantly would let a receive complete in the middle of the send
 * call that produced it. Queueing wakes a thread that sleeps in a blocking call (under
 * MPI_THREAD_MULTIPLE the receiver may be another thread). Large messages use rendezvous with read_remote() as a memcpy, so
 * they are copied once, straight from the send buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "transport/transport.h"

struct self_pkt {
    struct self_pkt *next;
    struct lm_pkt_hdr hdr;
    size_t len;
    char payload[];
};

static struct {
    struct self_pkt *head, *tail;
} self;

static int self_init(void)
{
    self.head = self.tail = NULL;
    return LM_OK;
}

static bool self_can_reach(const struct lm_peer *peer)
{
    return peer->lpid == lm_proc.rank;
}

static int self_send(struct lm_peer *peer, const struct lm_pkt_hdr *hdr,
                     const struct iovec *iov, int iovcnt)
{
    size_t len = 0;
    for (int i = 0; i < iovcnt; i++)
        len += iov[i].iov_len;
    struct self_pkt *p = malloc(sizeof *p + len);
    if (!p)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory sending %zu bytes to self", len);
    p->next = NULL;
    p->hdr = *hdr;
    p->len = len;
    size_t off = 0;
    for (int i = 0; i < iovcnt; i++) {
        memcpy(p->payload + off, iov[i].iov_base, iov[i].iov_len);
        off += iov[i].iov_len;
    }
    if (self.tail)
        self.tail->next = p;
    else
        self.head = p;
    self.tail = p;
    /* With threads, the receiver may be another thread asleep on the doorbells. */
    lm_progress_wake();
    return LM_OK;
}

static int self_progress(void)
{
    int n = 0;
    /* Deliver only what is queued now: deliveries may queue replies (FIN, CTS). */
    struct self_pkt *p = self.head;
    self.head = self.tail = NULL;
    while (p) {
        struct self_pkt *next = p->next;
        lm_pt2pt_deliver(&lm_proc.peers[lm_proc.rank], &p->hdr, p->payload, p->len);
        free(p);
        n++;
        p = next;
    }
    return n;
}

static int self_read_remote(struct lm_peer *peer, void *dst, uint64_t remote, size_t len)
{
    memmove(dst, (const void *)(uintptr_t)remote, len);
    return LM_OK;
}

static bool self_arm_sleep(void)
{
    return self.head == NULL;
}

static void self_finalize(void)
{
    for (struct self_pkt *p = self.head, *n; p; p = n) {
        n = p->next;
        free(p);
    }
    self.head = self.tail = NULL;
}

const struct lm_transport lm_transport_self = {
    .name = "self",
    .eager_limit = 16384,
    .max_payload = (size_t)-1,
    .init = self_init,
    .can_reach = self_can_reach,
    .finalize = self_finalize,
    .send = self_send,
    .progress = self_progress,
    .read_remote = self_read_remote,
    .arm_sleep = self_arm_sleep,
};
