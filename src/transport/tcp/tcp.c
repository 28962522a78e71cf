/* tcp.c - the tcp transport: listener, readiness, progress, sleeping, finalize.
 *
 * Every rank of a multi-rank job that allows tcp listens (before the init fence, so the
 * address can go in its PMI card): on 127.0.0.1 when the process mapping puts the whole job
 * on this host, else on all interfaces, publishing its IPv4 addresses. Connections are made
 * lazily (conn.c). All sockets, the listener included, sit in one epoll set, and that one
 * descriptor is what a sleeping rank polls, so tcp readiness wakes the same poll() as the
 * shm doorbell.
 *
 * Cost for jobs that never use tcp: an idle listening socket and an epoll descriptor. While
 * no connection is open, progress() looks at the epoll set only every 128th call (and right
 * after a sleep, whose poll saw it), so shm's hot loop pays one increment and a branch.
 *
 * Finalize says goodbye: a BYE frame on every open connection, and a wait until each peer's
 * BYE (or its end) arrived. A peer answers a BYE at once with its own, so this waits only
 * for each peer to pass through progress, not for it to finalize; without it, closing a
 * socket with bytes still unread would reset the connection and the peer could take a
 * clean exit for a failure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pt2pt/pt2pt.h"
#include "transport/tcp/tcp.h"

struct tcp_global tcp = {.epfd = -1, .lfd = -1};

/* Our addresses for the card: loopback for a one-host job, else every IPv4 address of an
 * interface that is up and not loopback (127.0.0.1 on another host is another process);
 * loopback only when there is nothing else. */
static int card_addresses(bool one_host, int port, char *card, size_t len)
{
    size_t n = 0;
    card[0] = '\0';
    if (!one_host) {
        struct ifaddrs *ifs;
        if (getifaddrs(&ifs) == 0) {
            for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
                if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
                    !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
                    continue;
                char ip[INET_ADDRSTRLEN];
                struct sockaddr_in *sa = (struct sockaddr_in *)i->ifa_addr;
                if (!inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof ip))
                    continue;
                int w = snprintf(card + n, len - n, "%s%s:%d", n ? "," : "", ip, port);
                if (w < 0 || (size_t)w >= len - n - 24) /* keep room for loopback */
                    break;
                n += (size_t)w;
            }
            freeifaddrs(ifs);
        }
    }
    if (n == 0)
        snprintf(card, len, "127.0.0.1:%d", port);
    return LM_OK;
}

static int tcp_prepare(bool one_host, char *card, size_t len)
{
    /* As between hosts, on one host (tests, or hosts whose name maps wrongly). */
    if (lm_env_bool("LITEMPI_TCP_ALL_INTERFACES", false))
        one_host = false;
    tcp.nconns = lm_proc.npeers;
    tcp.conns = calloc((size_t)tcp.nconns, sizeof *tcp.conns);
    if (!tcp.conns)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory for %d tcp peers", tcp.nconns);
    for (int i = 0; i < tcp.nconns; i++) {
        tcp.conns[i].lpid = i;
        tcp.conns[i].fd = -1;
    }
    tcp.epfd = epoll_create1(EPOLL_CLOEXEC);
    tcp.lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (tcp.epfd < 0 || tcp.lfd < 0)
        return lm_err_detail(MPI_ERR_OTHER, "tcp: cannot create the listening socket: %s",
                             strerror(errno));
    struct sockaddr_in sa = {.sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(one_host ? INADDR_LOOPBACK : INADDR_ANY)};
    socklen_t salen = sizeof sa;
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = lm_tcp_evdata(TCP_TAG_LISTEN, tcp.lfd)};
    if (bind(tcp.lfd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(tcp.lfd, SOMAXCONN) != 0 ||
        getsockname(tcp.lfd, (struct sockaddr *)&sa, &salen) != 0 ||
        epoll_ctl(tcp.epfd, EPOLL_CTL_ADD, tcp.lfd, &ev) != 0)
        return lm_err_detail(MPI_ERR_OTHER, "tcp: cannot listen on %s: %s",
                             one_host ? "127.0.0.1" : "all interfaces", strerror(errno));
    return card_addresses(one_host, ntohs(sa.sin_port), card, len);
}

static int tcp_init(void)
{
    tcp.handshake_ns = (uint64_t)lm_env_long("LITEMPI_TCP_HANDSHAKE_MS", 2000) * 1000000ull;
    tcp.verbose = lm_env_bool("LITEMPI_VERBOSE", false);
    long lanes = lm_env_long("LITEMPI_TCP_LANES", 2);
    tcp.lanes = lanes < 1 ? 1 : lanes > TCP_MAX_LANES ? TCP_MAX_LANES : (int)lanes;
    return LM_OK;
}

static bool tcp_can_reach(const struct lm_peer *peer)
{
    return peer->lpid != lm_proc.rank && peer->lpid < tcp.nconns;
}

static int tcp_connect(struct lm_peer *peer)
{
    struct tcp_conn *c = lm_tcp_conn_of(peer->lpid);
    peer->tp_state = c;
    if (c->state == TCP_GONE)
        return c->err;
    if (c->state == TCP_IDLE)
        return lm_tcp_connect_start(c);
    return LM_OK; /* connecting, waiting for the peer's connection, or already open */
}

static struct tcp_pending *pending_by_fd(int fd)
{
    for (struct tcp_pending *p = tcp.pending; p; p = p->next)
        if (p->fd == fd)
            return p;
    return NULL;
}

static int tcp_progress(void)
{
    if (!tcp.check_now && (++tcp.tick & 127)) {
        if (tcp.nopen == 0)
            return 0;
        /* One open connection with nothing else going on (the common two-rank case): read
         * it directly, one system call instead of epoll_wait + recv per message. Its data
         * lanes matter only while DATA is due or one of ours is busy. The listener and
         * timers get the full path every 128th call. */
        struct tcp_conn *h = tcp.hot;
        if (tcp.nopen == 1 && h && h->fd >= 0 && h->state == TCP_OPEN && !h->tx_blocked &&
            !h->bye_wanted && !tcp.fail_pending && (!h->nlanes || lm_tcp_lanes_quiet(h))) {
            int got = lm_tcp_read(h);
            if (tcp.fail_pending) {
                tcp.fail_pending = false;
                lm_tcp_report_failures();
                got++;
            }
            return got;
        }
    }
    tcp.check_now = false;
    struct epoll_event ev[32];
    int n = epoll_wait(tcp.epfd, ev, 32, 0), delivered = 0;
    for (int i = 0; i < n; i++) {
        uint32_t tag = (uint32_t)(ev[i].data.u64 >> 32);
        int fd = (int)(uint32_t)ev[i].data.u64;
        if (tag == TCP_TAG_LISTEN) {
            lm_tcp_accept_ready();
            continue;
        }
        if (tag == TCP_TAG_PENDING) {
            struct tcp_pending *p = pending_by_fd(fd);
            if (p)
                lm_tcp_pending_ready(p);
            continue;
        }
        int lpid = (int)(tag & TCP_TAG_LPID_MASK);
        if (lpid >= tcp.nconns)
            continue;
        struct tcp_conn *c = lm_tcp_conn_of(lpid);
        if (tag >> 24) {
            delivered += lm_tcp_lane_event(c, tag >> 24, fd, ev[i].events);
            continue;
        }
        if (c->fd != fd)
            continue; /* an earlier event of this batch closed or replaced it */
        tcp.hot = c;
        if (c->state == TCP_CONNECTING) {
            lm_tcp_connect_ready(c, ev[i].events);
            continue;
        }
        if (ev[i].events & EPOLLOUT) {
            c->tx_blocked = false;
            lm_tcp_set_epollout(c, false);
            if (c->bye_wanted)
                lm_tcp_flush_bye(c);
            delivered++; /* pt2pt's queue may move now */
        }
        if (c->fd == fd && (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
            delivered += lm_tcp_read(c);
    }
    if (tcp.next_deadline) {
        uint64_t now = lm_now_ns();
        if (now >= tcp.next_deadline)
            lm_tcp_check_deadlines(now);
    }
    if (tcp.fail_pending) {
        tcp.fail_pending = false;
        lm_tcp_report_failures();
        delivered++;
    }
    return delivered;
}

/* ---- sleeping ----------------------------------------------------------------------------- */

static int tcp_poll_fds(struct pollfd *fds, int max)
{
    if (max < 1 || tcp.epfd < 0)
        return 0;
    fds[0] = (struct pollfd){.fd = tcp.epfd, .events = POLLIN};
    return 1;
}

static bool tcp_arm_sleep(void)
{
    /* Level-triggered epoll: whatever is unread keeps the descriptor readable, so there is
     * no window to close here. Only a failure noticed inside send() must not wait. */
    return !tcp.fail_pending;
}

static void tcp_disarm_sleep(void)
{
    tcp.check_now = true;
}

/* ---- finalize ----------------------------------------------------------------------------- */

static bool goodbyes_done(void *arg)
{
    (void)arg;
    for (int i = 0; i < tcp.nconns; i++) {
        struct tcp_conn *c = &tcp.conns[i];
        if (c->fd < 0)
            continue;
        if (c->bye_wanted && !lm_tcp_flush_bye(c))
            return false;
        if (!(c->bye_sent && c->bye_recv))
            return false;
    }
    return true;
}

static void tcp_finalize(void)
{
    for (int i = 0; i < tcp.nconns; i++) {
        struct tcp_conn *c = &tcp.conns[i];
        if (c->fd < 0)
            continue;
        if (c->state == TCP_OPEN || (c->state == TCP_GONE && !c->bye_sent)) {
            c->bye_wanted = true;
            lm_tcp_flush_bye(c);
        } else if (c->state != TCP_GONE) {
            lm_tcp_conn_close(c); /* never opened: nothing to say */
            c->state = TCP_IDLE;
        }
    }
    lm_wait_until(goodbyes_done, NULL);
    for (int i = 0; i < tcp.nconns; i++) {
        lm_tcp_conn_close(&tcp.conns[i]);
        lm_tcp_lanes_free(&tcp.conns[i]);
        free(tcp.conns[i].rx.buf);
    }
    lm_tcp_pending_free_all();
    if (tcp.lfd >= 0)
        close(tcp.lfd);
    if (tcp.epfd >= 0)
        close(tcp.epfd);
    free(tcp.conns);
    tcp = (struct tcp_global){.epfd = -1, .lfd = -1};
}

const struct lm_transport lm_transport_tcp = {
    .name = "tcp",
    .eager_limit = TCP_EAGER_LIMIT,
    .max_payload = TCP_FRAG,
    .init = tcp_init,
    .can_reach = tcp_can_reach,
    .connect = tcp_connect,
    .finalize = tcp_finalize,
    .send = lm_tcp_send,
    .progress = tcp_progress,
    .read_remote = NULL,
    .poll_fds = tcp_poll_fds,
    .arm_sleep = tcp_arm_sleep,
    .disarm_sleep = tcp_disarm_sleep,
    .prepare = tcp_prepare,
};
