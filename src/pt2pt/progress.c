/* progress.c - packet output with per-peer order, the progress engine and blocking waits.
 *
 * Output: a packet goes straight to the transport when the peer's send queue is empty;
 * when the transport has no room (LM_EAGAIN), or earlier packets are still queued, it is
 * parked in the peer's FIFO and pushed from progress. DATA streams (rendezvous without
 * single copy) are one queue item that emits max_payload-sized fragments as room appears.
 *
 * Waiting: a blocked call polls for a short spin budget (fast when the peer answers within
 * microseconds), then sleeps in poll() on the transports' doorbell descriptors. Peers ring
 * the doorbell only when we announced that we sleep, so the fast path costs no syscall.
 * With several threads (MPI_THREAD_MULTIPLE) one thread sleeps in poll() and the others on
 * a condition variable; whoever wakes broadcasts so every waiter re-checks its condition.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "pt2pt/pt2pt.h"



struct lm_sendq_item {
    struct lm_sendq_item *next;
    struct lm_pkt_hdr hdr;
    const char *payload;       /* not owned: the request's buffer outlives the item */
    size_t len, off;           /* DATA streams: bytes done so far */
    struct lm_request *req;    /* told when everything is injected; may be NULL */
};

static struct {
    struct lm_peer *pending;   /* peers with a non-empty send queue */
    uint64_t spin_ns;          /* spin budget before sleeping */
    uint64_t pause_ns;         /* polling before the spin starts yielding the CPU */
    int poll_timeout_ms;       /* safety net for a missed doorbell */
    bool poller_busy;          /* a thread sleeps in poll() */
    pthread_cond_t wake;
    int wake_fd;               /* eventfd in the poll set (threads only): lm_progress_wake */
} pg = {.spin_ns = 50000, .pause_ns = 1000, .poll_timeout_ms = 250,
        .wake = PTHREAD_COND_INITIALIZER, .wake_fd = -1};

/* Emit as much of an item as the transport accepts. True when it is fully injected. */
static bool push_item(struct lm_peer *peer, struct lm_sendq_item *it, int *err)
{
    const struct lm_transport *tp = peer->tp;
    if (it->hdr.kind != LM_PKT_DATA) {
        struct iovec iov = {(void *)it->payload, it->len};
        int rc = tp->send(peer, &it->hdr, &iov, it->len ? 1 : 0);
        if (rc == LM_EAGAIN)
            return false;
        *err = rc;
        return true;
    }
    do {
        size_t n = it->len - it->off;
        if (n > tp->max_payload)
            n = tp->max_payload;
        struct lm_pkt_hdr h = it->hdr;
        h.addr = it->off;
        struct iovec iov = {(void *)(it->payload + it->off), n};
        int rc = tp->send(peer, &h, &iov, n ? 1 : 0);
        if (rc == LM_EAGAIN)
            return false;
        if (rc != LM_OK) {
            *err = rc;
            return true;
        }
        it->off += n;
    } while (it->off < it->len);
    return true;
}

static void finish_item(struct lm_sendq_item *it, int err)
{
    if (it->req) {
        if (err != LM_OK) {
            it->req->status.error = err;
            it->req->acked = true;
            it->req->cancel_pending = false; /* the answer would come over the same path */
        }
        lm_pt2pt_injected(it->req);
    }
}

int lm_pkt_send(struct lm_peer *peer, const struct lm_pkt_hdr *hdr, const void *payload,
                size_t len, struct lm_request *req)
{
    int rc;
    if (!peer->tp && (rc = lm_transport_select(peer)) != LM_OK)
        return rc;
    struct lm_sendq_item local = {.hdr = *hdr, .payload = payload, .len = len, .req = req};
    if (!peer->sendq_head) {
        int err = LM_OK;
        if (push_item(peer, &local, &err)) {
            finish_item(&local, err);
            return err;
        }
    }
    struct lm_sendq_item *it = malloc(sizeof *it);
    if (!it)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory queueing a packet");
    *it = local;
    if (peer->sendq_tail)
        peer->sendq_tail->next = it;
    else
        peer->sendq_head = it;
    peer->sendq_tail = it;
    if (!peer->in_sendq_list) {
        peer->in_sendq_list = true;
        peer->sendq_next = pg.pending;
        pg.pending = peer;
    }
    return LM_OK;
}

/* The peer is gone: every queued packet is dropped and its request completes with err.
 * The peer stays in the pending list until push_pending() finds its queue empty. */
void lm_sendq_fail(struct lm_peer *peer, int err)
{
    struct lm_sendq_item *it = peer->sendq_head;
    peer->sendq_head = peer->sendq_tail = NULL;
    while (it) {
        struct lm_sendq_item *next = it->next;
        finish_item(it, err);
        free(it);
        it = next;
    }
}

/* Returns the number of queue items fully handed to transports. */
static int push_pending(void)
{
    int pushed = 0;
    struct lm_peer **link = &pg.pending;
    while (*link) {
        struct lm_peer *peer = *link;
        while (peer->sendq_head) {
            struct lm_sendq_item *it = peer->sendq_head;
            int err = LM_OK;
            if (!push_item(peer, it, &err))
                break;
            peer->sendq_head = it->next;
            if (!peer->sendq_head)
                peer->sendq_tail = NULL;
            finish_item(it, err);
            free(it);
            pushed++;
        }
        if (!peer->sendq_head) {
            peer->in_sendq_list = false;
            *link = peer->sendq_next;
        } else {
            link = &peer->sendq_next;
        }
    }
    return pushed;
}

void lm_progress_wake(void)
{
    if (!lm_proc.locking)
        return;
    if (pg.poller_busy && pg.wake_fd >= 0) {
        uint64_t one = 1;
        if (write(pg.wake_fd, &one, sizeof one) < 0) {
            /* counter full: a wakeup is pending anyway */
        }
    }
    pthread_cond_broadcast(&pg.wake);
}

bool lm_pt2pt_idle(void)
{
    return pg.pending == NULL && lm_pt2pt_freed_sends == 0;
}

int (*lm_progress_hook)(void);

int lm_progress(void)
{
    int n = lm_transport_progress_all();
    if (pg.pending)
        n += push_pending();
    if (lm_progress_hook)
        n += lm_progress_hook();
    return n;
}

/* ---- sleeping ----------------------------------------------------------------------------- */

static void sleep_on_doorbells(void)
{
    struct pollfd fds[16];
    int nfds = 0, ntp = lm_transport_count(), armed = 0;
    bool may_sleep = true;
    if (lm_proc.locking) {
        /* Other threads may complete requests without packets (MPI_Grequest_complete). */
        if (pg.wake_fd < 0)
            pg.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (pg.wake_fd >= 0)
            fds[nfds++] = (struct pollfd){.fd = pg.wake_fd, .events = POLLIN};
    }
    for (int i = 0; i < ntp; i++) {
        const struct lm_transport *tp = lm_transport_at(i);
        if (tp->poll_fds)
            nfds += tp->poll_fds(fds + nfds, (int)(sizeof fds / sizeof fds[0]) - nfds);
    }
    for (; armed < ntp; armed++) {
        const struct lm_transport *tp = lm_transport_at(armed);
        if (tp->arm_sleep && !tp->arm_sleep()) {
            may_sleep = false;
            break;
        }
    }
    /* Queued packets: a receiver that frees cells rings our doorbell if we are armed, so
     * after arming try once more (Dekker again: our flag store, then its head load). */
    if (may_sleep && pg.pending && push_pending() > 0)
        may_sleep = false;
    if (may_sleep) {
        int timeout = pg.pending ? 10 : pg.poll_timeout_ms;
        lm_proc.stats.sleeps++;
        lm_board_blocked();
        pg.poller_busy = true;
        lm_unlock();
        int rc = poll(fds, (nfds_t)nfds, timeout);
        lm_lock();
        pg.poller_busy = false;
        if (rc > 0)
            lm_proc.stats.wakeups++;
        if (rc > 0 && pg.wake_fd >= 0 && fds[0].fd == pg.wake_fd && fds[0].revents) {
            uint64_t v;
            if (read(pg.wake_fd, &v, sizeof v) < 0 && errno != EAGAIN)
                pg.wake_fd = -1; /* broken: fall back to the poll timeout */
        }
    }
    for (int i = 0; i < armed; i++) {
        const struct lm_transport *tp = lm_transport_at(i);
        if (tp->disarm_sleep)
            tp->disarm_sleep();
    }
    if (lm_proc.locking)
        pthread_cond_broadcast(&pg.wake);
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

void lm_wait_until(bool (*done)(void *arg), void *arg)
{
    lm_progress();
    if (done(arg))
        return;
    uint64_t start = lm_now_ns();
    unsigned spins = 0;
    bool yield_useful = true;
    for (;;) {
        if (lm_progress() > 0) {  /* things move: keep spinning, the end may be near */
            spins = 0;
            start = lm_now_ns();
            if (lm_proc.board_blocked)
                lm_board_running();
        }
        if (done(arg)) {
            if (lm_proc.board_blocked)
                lm_board_running();
            return;
        }
        uint64_t waited = lm_now_ns() - start;
        if (++spins < 16 || waited < pg.spin_ns) {
            /* Poll; past pause_ns also yield, so that with more ranks than cores the
             * process we wait for gets the CPU. A yield that comes back at once found
             * nobody else to run: more of them would only delay our reply (two ranks
             * can lock into a rhythm where each waits on the other's syscall), so stop
             * yielding for this wait. */
            if (waited < pg.pause_ns || !yield_useful) {
                cpu_relax();
                if (lm_proc.locking) { /* let other threads into the library */
                    lm_unlock();
                    lm_lock();
                }
            } else {
                uint64_t t0 = lm_now_ns();
                lm_unlock();
                sched_yield();
                lm_lock();
                if (lm_now_ns() - t0 < pg.pause_ns)
                    yield_useful = false;
            }
            continue;
        }
        if (lm_proc.locking && pg.poller_busy) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 10 * 1000000;
            if (ts.tv_nsec >= 1000000000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&pg.wake, &lm_proc.lock, &ts);
            continue;
        }
        sleep_on_doorbells();
        spins = 0;
        start = lm_now_ns();
        yield_useful = true;
    }
}

void lm_progress_configure(void)
{
    pg.spin_ns = (uint64_t)lm_env_long("LITEMPI_SPIN_NS", 50000);
    pg.pause_ns = (uint64_t)lm_env_long("LITEMPI_PAUSE_NS", 1000);
    pg.poll_timeout_ms = (int)lm_env_long("LITEMPI_POLL_TIMEOUT_MS", 250);
}
