/* shm.c - the shared-memory transport for peers on the same node.
 *
 * Segment (one per node and job, created by the node's first rank, sized to what the local
 * ranks need):
 *   header | per-rank control (sleep flag, pid) | ring(r, s) for every receiver r, sender s
 * Each ring holds `ncells` cells of one packet header + up to `eager` payload bytes.
 * Large messages move by rendezvous in pt2pt: single copy through process_vm_readv (CMA)
 * where the kernel allows it, else DATA fragments through the cells.
 *
 * Every local rank maps the segment at init, also one whose LITEMPI_TRANSPORTS excludes shm
 * (MPMD -env): it writes what it allows into its control block, is counted as attached, and
 * unmaps again. So the node's first rank always creates the segment, and whether a pair may
 * use shm (both ends must allow it, transport.c) is read from the control blocks, with no
 * PMI round trip.
 *
 * Waking: a receiver about to sleep sets its flag, re-checks its rings, then polls its
 * doorbell, an abstract-namespace datagram socket. A sender that publishes a cell checks
 * the flag after a full fence and, if set, clears it and sends one byte. The two fences
 * (flag store then ring load; ring store then flag load) make it impossible for both
 * sides to miss each other (Dekker's pattern).
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/core.h"
#include "transport/shm/ring.h"
#include "transport/transport.h"

#define SHM_MAGIC 0x4c4954454d504953ULL /* "LITEMPIS" */
#define SHM_CELL_HDR 64                 /* packet header + length, padded to a cache line */
#define SHM_EAGER_DEFAULT 16384

struct shm_seg_hdr {
    _Atomic uint64_t magic;  /* written last by the creator */
    uint32_t nlocal, ncells;
    uint64_t cell_size;
    uint64_t total;
    _Atomic uint32_t attached;
};

struct shm_rank_ctl {
    alignas(64) _Atomic int32_t sleeping;
    int32_t pid;
    _Atomic uint32_t allows;  /* LM_TP_* of this rank | SHM_ALLOWS_SET, 0 until attached */
};
#define SHM_ALLOWS_SET 0x80000000u

struct shm_cell {
    struct lm_pkt_hdr hdr;
    uint64_t len;
};

struct shm_peer {
    int lidx;                /* local index of the peer */
    struct lm_ring out;      /* ring(peer, me): we produce */
    bool cma_failed;
};

static struct {
    char *base;
    size_t size;
    char path[600];
    int nlocal, me;          /* local index of this process */
    uint32_t ncells;
    size_t cell_size, eager;
    struct shm_rank_ctl *ctl;
    bool used;               /* we allow shm (else the segment was only joined and left) */
    struct lm_ring *in;      /* in[s] = ring(me, s): we consume */
    struct lm_peer **in_peer;
    int doorbell;            /* our datagram socket */
    struct sockaddr_un *bell_addr; /* every local rank's doorbell address */
    socklen_t bell_len;
    bool cma;
} shm = {.doorbell = -1};

static_assert(sizeof(struct shm_cell) <= SHM_CELL_HDR, "cell header must fit its slot");

static size_t ring_index(int r, int s, int n)
{
    return (size_t)r * (size_t)(n - 1) + (size_t)(s < r ? s : s - 1);
}

static size_t ring_bytes(void)
{
    return sizeof(struct lm_ring_shared) + (size_t)shm.ncells * shm.cell_size;
}

/* The header gets a cache line of its own; each rank's control block too. */
#define SHM_CTL_OFFSET 64
static_assert(sizeof(struct shm_seg_hdr) <= SHM_CTL_OFFSET, "segment header too large");

static size_t rings_offset(int n)
{
    size_t off = SHM_CTL_OFFSET + (size_t)n * sizeof(struct shm_rank_ctl);
    return (off + 4095) & ~(size_t)4095;
}

static struct lm_ring_shared *ring_at(int r, int s)
{
    return (struct lm_ring_shared *)(shm.base + rings_offset(shm.nlocal) +
                                     ring_index(r, s, shm.nlocal) * ring_bytes());
}

/* ---- segment setup ------------------------------------------------------------------------ */

static const char *tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

static int create_segment(const char *dir, size_t size, char *path, size_t pathlen)
{
    char tmp[700];
    snprintf(path, pathlen, "%s/litempi-%s-n%d", dir, lm_proc.pmi.kvsname, lm_proc.node);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    struct statvfs vfs;
    if (statvfs(dir, &vfs) == 0 && (size_t)vfs.f_bavail * vfs.f_frsize < size) {
        errno = ENOSPC;
        return -1;
    }
    int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    /* Reserve the pages now: a full /dev/shm fails here with ENOSPC instead of SIGBUS on
     * first touch in the middle of a run. */
    int err = posix_fallocate(fd, 0, (off_t)size);
    if (err) {
        close(fd);
        unlink(tmp);
        errno = err;
        return -1;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        unlink(tmp);
        return -1;
    }
    struct shm_seg_hdr *h = p;
    h->nlocal = (uint32_t)shm.nlocal;
    h->ncells = shm.ncells;
    h->cell_size = shm.cell_size;
    h->total = size;
    atomic_store_explicit(&h->attached, 0, memory_order_relaxed);
    atomic_store_explicit(&h->magic, SHM_MAGIC, memory_order_release);
    if (rename(tmp, path) != 0) {
        munmap(p, size);
        unlink(tmp);
        return -1;
    }
    shm.base = p;
    return 0;
}

static int open_segment(size_t size)
{
    char paths[2][600];
    snprintf(paths[0], sizeof paths[0], "/dev/shm/litempi-%s-n%d", lm_proc.pmi.kvsname,
             lm_proc.node);
    snprintf(paths[1], sizeof paths[1], "%s/litempi-%s-n%d", tmp_dir(), lm_proc.pmi.kvsname,
             lm_proc.node);
    uint64_t deadline = lm_now_ns() + 60ull * 1000000000ull;
    for (;;) {
        for (int i = 0; i < 2; i++) {
            int fd = open(paths[i], O_RDWR | O_CLOEXEC);
            if (fd < 0)
                continue;
            void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            close(fd);
            if (p == MAP_FAILED)
                return lm_err_detail(MPI_ERR_OTHER, "cannot map shared memory %s: %s",
                                     paths[i], strerror(errno));
            memcpy(shm.path, paths[i], sizeof shm.path);
            shm.base = p;
            return LM_OK;
        }
        if (lm_now_ns() > deadline)
            return lm_err_detail(MPI_ERR_OTHER,
                                 "shared memory segment %s never appeared (the node's first "
                                 "rank did not create it)", paths[0]);
        usleep(100);
    }
}

static size_t pick_ncells(int n)
{
    long c = lm_env_long("LITEMPI_SHM_CELLS", n <= 4 ? 32 : n <= 16 ? 16 : 8);
    size_t p = 2;
    while (p < (size_t)c && p < 4096)
        p <<= 1;
    return p;
}

static int shm_init(void)
{
    shm.nlocal = lm_proc.local_size;
    shm.me = lm_proc.local_rank;
    shm.ncells = (uint32_t)pick_ncells(shm.nlocal);
    shm.eager = SHM_EAGER_DEFAULT;
    shm.cell_size = SHM_CELL_HDR + ((shm.eager + 63) & ~(size_t)63);
    /* Single copy is opt-in: measured here, the two-copy pipeline through the cells
     * (both cores copying at once) is 1.5-2.5x faster than process_vm_readv from 32 KiB
     * to 256 MiB, whose page pinning dominates. */
    shm.cma = lm_env_bool("LITEMPI_SHM_CMA", false);
    size_t size = rings_offset(shm.nlocal) +
                  (size_t)shm.nlocal * (size_t)(shm.nlocal - 1) * ring_bytes();
    shm.size = size;

    if (shm.me == 0) {
        if (create_segment("/dev/shm", size, shm.path, sizeof shm.path) != 0) {
            int err1 = errno;
            if (create_segment(tmp_dir(), size, shm.path, sizeof shm.path) != 0) {
                struct statvfs vfs;
                unsigned long long avail = 0;
                if (statvfs("/dev/shm", &vfs) == 0)
                    avail = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
                return lm_err_detail(MPI_ERR_NO_MEM,
                    "cannot create the shared-memory segment: %zu bytes needed, %llu free "
                    "in /dev/shm (%s), and %s failed too (%s); free space there, point "
                    "TMPDIR at a larger file system, or lower LITEMPI_SHM_CELLS",
                    size, avail, strerror(err1), tmp_dir(), strerror(errno));
            }
        }
    } else {
        int rc = open_segment(size);
        if (rc != LM_OK)
            return rc;
        struct shm_seg_hdr *h = (struct shm_seg_hdr *)shm.base;
        while (atomic_load_explicit(&h->magic, memory_order_acquire) != SHM_MAGIC)
            usleep(50);
        if (h->nlocal != (uint32_t)shm.nlocal || h->ncells != shm.ncells ||
            h->cell_size != shm.cell_size)
            return lm_err_detail(MPI_ERR_OTHER,
                "shared-memory segment %s has another layout: set LITEMPI_SHM_CELLS alike "
                "on every rank", shm.path);
    }
    struct shm_seg_hdr *h = (struct shm_seg_hdr *)shm.base;
    shm.ctl = (struct shm_rank_ctl *)(shm.base + SHM_CTL_OFFSET);
    shm.ctl[shm.me].pid = (int32_t)getpid();
    unsigned mine;
    const char *addr;
    lm_transport_card(lm_proc.rank, &mine, &addr);
    shm.used = mine & LM_TP_SHM;
    atomic_store_explicit(&shm.ctl[shm.me].allows, mine | SHM_ALLOWS_SET, memory_order_release);

    /* Once every local rank has mapped the segment nobody needs its name any more:
     * unlinking now means a crash later cannot leak it. */
    if (atomic_fetch_add(&h->attached, 1) + 1 == (uint32_t)shm.nlocal)
        unlink(shm.path);
    if (!shm.used) { /* we only had to say so */
        munmap(shm.base, shm.size);
        shm.base = NULL;
        shm.ctl = NULL;
        return LM_OK;
    }

    shm.in = calloc((size_t)shm.nlocal, sizeof *shm.in);
    shm.in_peer = calloc((size_t)shm.nlocal, sizeof *shm.in_peer);
    shm.bell_addr = calloc((size_t)shm.nlocal, sizeof *shm.bell_addr);
    if (!shm.in || !shm.in_peer || !shm.bell_addr)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory setting up shared memory");
    for (int s = 0; s < shm.nlocal; s++) {
        if (s == shm.me)
            continue;
        struct lm_ring_shared *sh = ring_at(shm.me, s);
        lm_ring_attach(&shm.in[s], sh, (char *)(sh + 1), shm.ncells, shm.cell_size, false);
        shm.in_peer[s] = &lm_proc.peers[lm_proc.local_lpids[s]];
    }

    /* Doorbells: abstract unix datagram sockets, no file to clean up. */
    for (int i = 0; i < shm.nlocal; i++) {
        struct sockaddr_un *a = &shm.bell_addr[i];
        a->sun_family = AF_UNIX;
        int n = snprintf(a->sun_path + 1, sizeof a->sun_path - 1, "litempi-%s-%d-%d",
                         lm_proc.pmi.kvsname, lm_proc.node, i);
        if (n >= (int)sizeof a->sun_path - 1)
            n = (int)sizeof a->sun_path - 2;
        shm.bell_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
    }
    shm.doorbell = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (shm.doorbell < 0 ||
        bind(shm.doorbell, (struct sockaddr *)&shm.bell_addr[shm.me], shm.bell_len) != 0)
        return lm_err_detail(MPI_ERR_OTHER, "cannot create the shared-memory doorbell: %s",
                             strerror(errno));

    /* Let sibling ranks read our memory with process_vm_readv under Yama ptrace_scope 1. */
    if (shm.cma)
        prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
    return LM_OK;
}

static void shm_finalize(void)
{
    if (shm.doorbell >= 0)
        close(shm.doorbell);
    shm.doorbell = -1;
    /* The name stays until the last local rank attaches (it may not have yet); if one
     * never does, the launcher removes the file when the job ends. */
    if (shm.base)
        munmap(shm.base, shm.size);
    shm.base = NULL;
    for (int i = 0; i < lm_proc.npeers; i++) {
        struct lm_peer *p = &lm_proc.peers[i];
        if (p->tp == &lm_transport_shm) {
            free(p->tp_state);
            p->tp_state = NULL;
        }
    }
    free(shm.in);
    free(shm.in_peer);
    free(shm.bell_addr);
    shm.in = NULL;
    shm.in_peer = NULL;
    shm.bell_addr = NULL;
}

static int local_index_of(int lpid)
{
    for (int i = 0; i < lm_proc.local_size; i++)
        if (lm_proc.local_lpids[i] == lpid)
            return i;
    return -1;
}

/* A local peer is reachable when it allows shm too; it says so in its control block right
 * after the init fence, so on first contact we may have to wait a moment for it. */
static bool shm_can_reach(const struct lm_peer *peer)
{
    int lidx;
    if (!shm.used || peer->node != lm_proc.node || peer->lpid == lm_proc.rank ||
        (lidx = local_index_of(peer->lpid)) < 0)
        return false;
    uint64_t deadline = 0;
    uint32_t a;
    while (!((a = atomic_load_explicit(&shm.ctl[lidx].allows, memory_order_acquire)) &
             SHM_ALLOWS_SET)) {
        uint64_t now = lm_now_ns();
        if (!deadline)
            deadline = now + 60ull * 1000000000ull;
        else if (now > deadline)
            return false; /* it never finished MPI_Init */
        usleep(50);
    }
    return a & LM_TP_SHM;
}

static int shm_connect(struct lm_peer *peer)
{
    struct shm_peer *sp = calloc(1, sizeof *sp);
    if (!sp)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory connecting to a local peer");
    sp->lidx = local_index_of(peer->lpid);
    struct lm_ring_shared *sh = ring_at(sp->lidx, shm.me);
    lm_ring_attach(&sp->out, sh, (char *)(sh + 1), shm.ncells, shm.cell_size, true);
    peer->tp_state = sp;
    return LM_OK;
}

/* ---- data path ---------------------------------------------------------------------------- */

static void ring_doorbell(int lidx)
{
    struct shm_rank_ctl *c = &shm.ctl[lidx];
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(&c->sleeping, memory_order_relaxed) &&
        atomic_exchange_explicit(&c->sleeping, 0, memory_order_acq_rel)) {
        char b = 1;
        sendto(shm.doorbell, &b, 1, MSG_DONTWAIT, (struct sockaddr *)&shm.bell_addr[lidx],
               shm.bell_len);
    }
}

static int shm_send(struct lm_peer *peer, const struct lm_pkt_hdr *hdr, const struct iovec *iov,
                    int iovcnt)
{
    struct shm_peer *sp = peer->tp_state;
    struct shm_cell *cell = lm_ring_reserve(&sp->out);
    if (!cell)
        return LM_EAGAIN;
    cell->hdr = *hdr;
    char *dst = (char *)cell + SHM_CELL_HDR;
    size_t len = 0;
    for (int i = 0; i < iovcnt; i++) {
        memcpy(dst + len, iov[i].iov_base, iov[i].iov_len);
        len += iov[i].iov_len;
    }
    cell->len = len;
    lm_ring_commit(&sp->out);
    ring_doorbell(sp->lidx);
    return LM_OK;
}

static int shm_progress(void)
{
    int n = 0;
    for (int s = 0; s < shm.nlocal; s++) {
        if (s == shm.me)
            continue;
        struct lm_ring *r = &shm.in[s];
        struct shm_cell *cell;
        int got = 0;
        uint64_t fill = 0;
        while ((cell = lm_ring_peek(r))) {
            if (r->cached - r->mine > fill)
                fill = r->cached - r->mine;
            lm_pt2pt_deliver(shm.in_peer[s], &cell->hdr, (char *)cell + SHM_CELL_HDR,
                             cell->len);
            lm_ring_pop(r);
            got++;
        }
        /* A sender may sleep waiting for room in this ring: we just made some. Only a ring
         * that was at least half full can have a sender waiting for room, and the check
         * costs a full fence, so ping-pong traffic (one cell at a time) skips it; a sender
         * that still slept polls again within 10 ms (progress.c). */
        if (got) {
            if (fill > r->mask / 2)
                ring_doorbell(s);
            n += got;
        }
    }
    return n;
}

static int shm_read_remote(struct lm_peer *peer, void *dst, uint64_t remote, size_t len)
{
    struct shm_peer *sp = peer->tp_state;
    if (!shm.cma || sp->cma_failed)
        return MPI_ERR_UNSUPPORTED_OPERATION;
    pid_t pid = shm.ctl[sp->lidx].pid;
    size_t done = 0;
    while (done < len) {
        struct iovec l = {(char *)dst + done, len - done};
        struct iovec r = {(void *)(uintptr_t)(remote + done), len - done};
        ssize_t got = process_vm_readv(pid, &l, 1, &r, 1, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            if (done == 0) { /* not allowed here (EPERM, ENOSYS): use the cells from now on */
                sp->cma_failed = true;
                return MPI_ERR_UNSUPPORTED_OPERATION;
            }
            return lm_err_detail(MPI_ERR_OTHER, "process_vm_readv from pid %d failed: %s",
                                 (int)pid, strerror(errno));
        }
        done += (size_t)got;
    }
    return LM_OK;
}

/* ---- sleeping ----------------------------------------------------------------------------- */

static int shm_poll_fds(struct pollfd *fds, int max)
{
    if (max < 1 || shm.doorbell < 0)
        return 0;
    fds[0] = (struct pollfd){.fd = shm.doorbell, .events = POLLIN};
    return 1;
}

static bool shm_arm_sleep(void)
{
    atomic_store_explicit(&shm.ctl[shm.me].sleeping, 1, memory_order_seq_cst);
    atomic_thread_fence(memory_order_seq_cst);
    for (int s = 0; s < shm.nlocal; s++) {
        if (s != shm.me && lm_ring_has_data(&shm.in[s])) {
            atomic_store_explicit(&shm.ctl[shm.me].sleeping, 0, memory_order_relaxed);
            return false;
        }
    }
    return true;
}

static void shm_disarm_sleep(void)
{
    atomic_store_explicit(&shm.ctl[shm.me].sleeping, 0, memory_order_relaxed);
    char buf[64];
    while (recv(shm.doorbell, buf, sizeof buf, MSG_DONTWAIT) > 0)
        ;
}

const struct lm_transport lm_transport_shm = {
    .name = "shm",
    .eager_limit = SHM_EAGER_DEFAULT,
    .max_payload = SHM_EAGER_DEFAULT,
    .init = shm_init,
    .can_reach = shm_can_reach,
    .connect = shm_connect,
    .finalize = shm_finalize,
    .send = shm_send,
    .progress = shm_progress,
    .read_remote = shm_read_remote,
    .poll_fds = shm_poll_fds,
    .arm_sleep = shm_arm_sleep,
    .disarm_sleep = shm_disarm_sleep,
};
