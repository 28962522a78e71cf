/* tcp/stranger: a process that is not part of the job connects to a rank's tcp port.
 *
 * Rank 0 plays the stranger against rank 1: it finds rank 1's listening socket through
 * /proc (the socket inodes of rank 1's descriptors, matched against the LISTEN entries of
 * /proc/net/tcp) and, with plain sockets, tries
 *   - garbage as the first bytes,
 *   - a well-formed hello (LiteMPI's 48-byte layout: magic "LiteMPI1", 32 key characters,
 *     int32 rank, uint32 status) with a wrong key, followed by an eager packet aimed at a
 *     receive rank 1 has posted,
 *   - such a packet without any hello,
 *   - nothing at all, a partial hello, and more silent connections than a rank keeps
 *     pending (they must all be closed within the handshake deadline).
 * After each attempt rank 1 must have closed the connection, and a ping-pong between the
 * two ranks must still work. The posted receive must match only the real message that
 * rank 0 sends at the end through MPI. Other ranks run a ring meanwhile. This is a
 * white-box test of LiteMPI's handshake (it knows the hello's layout). */
#include "../common.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#define TAG_CTL 10
#define TAG_TRAP 77
#define NSILENT 70 /* more than the 64 unauthenticated connections a rank keeps */

enum { CMD_PING = 1, CMD_DONE = 2 };

/* The port rank `pid` listens on (loopback or any address), or -1. */
static int listening_port(long pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/fd", pid);
    DIR *d = opendir(path);
    if (!d) {
        return -1;
    }
    unsigned long inodes[256];
    int ninodes = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && ninodes < 256) {
        char link[340], target[128];
        snprintf(link, sizeof link, "%s/%s", path, e->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0) {
            continue;
        }
        target[n] = '\0';
        unsigned long ino;
        if (sscanf(target, "socket:[%lu]", &ino) == 1) {
            inodes[ninodes++] = ino;
        }
    }
    closedir(d);
    FILE *f = fopen("/proc/net/tcp", "r");
    if (!f) {
        return -1;
    }
    char line[512];
    int port = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned addr, lport, st;
        unsigned long ino;
        /* LISTEN on 127.0.0.1 (a one-host job): not a socket inherited from a launcher. */
        if (sscanf(line, " %*d: %x:%x %*x:%*x %x %*x:%*x %*x:%*x %*x %*u %*d %lu", &addr, &lport,
                   &st, &ino) != 4 || st != 0x0A || addr != 0x0100007Fu) {
            continue;
        }
        for (int i = 0; i < ninodes; i++) {
            if (inodes[i] == ino) {
                port = (int)lport;
            }
        }
    }
    fclose(f);
    return port;
}

static int stranger_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        TM_CHECK(0, "stranger cannot connect to port %d: %s", port, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

/* True when the peer closed fd (EOF or reset) within ms milliseconds. */
static int closed_within(int fd, int ms)
{
    double t0 = MPI_Wtime();
    while ((MPI_Wtime() - t0) * 1000 < ms) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 50) > 0) {
            char buf[256];
            ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
                return 1;
            }
            TM_CHECK(n < 0, "rank 1 answered a stranger with %zd bytes", n);
        }
    }
    return 0;
}

static void send_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) {
            return; /* rank 1 may already have closed it: fine */
        }
        p += w;
        n -= (size_t)w;
    }
}

struct hello {
    char magic[8];
    char key[32];
    int32_t rank;
    uint32_t status;
};

/* A LiteMPI eager packet header + payload length (56 bytes), aimed at rank 1's trap. */
struct frame {
    uint8_t kind, flags;
    uint16_t rsvd;
    uint32_t ctx;
    int32_t src, tag;
    uint64_t size, sreq, rreq, addr, len;
};

static void ping(void)
{
    int cmd = CMD_PING, back = 0;
    MPI_Send(&cmd, 1, MPI_INT, 1, TAG_CTL, MPI_COMM_WORLD);
    MPI_Recv(&back, 1, MPI_INT, 1, TAG_CTL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    TM_CHECK(back == CMD_PING + 100, "pong after a stranger: got %d", back);
}

static void stranger(int port)
{
    struct frame evil = {.kind = 1, .ctx = 0, .src = 0, .tag = TAG_TRAP, .size = 4, .len = 4};
    int fd;

    /* Garbage first. */
    if ((fd = stranger_connect(port)) >= 0) {
        char junk[4096];
        for (size_t i = 0; i < sizeof junk; i++) {
            junk[i] = (char)(i * 7 + 3);
        }
        send_all(fd, junk, sizeof junk);
        TM_CHECK(closed_within(fd, 5000), "garbage: rank 1 kept the connection open");
        close(fd);
    }
    ping();

    /* A well-formed hello with the wrong key, then a packet for the trap receive. */
    if ((fd = stranger_connect(port)) >= 0) {
        struct hello h;
        memset(&h, 0, sizeof h);
        memcpy(h.magic, "LiteMPI1", 8);
        memset(h.key, 'a', sizeof h.key);
        h.rank = 0;
        send_all(fd, &h, sizeof h);
        send_all(fd, &evil, sizeof evil);
        send_all(fd, "EVIL", 4);
        TM_CHECK(closed_within(fd, 5000), "wrong key: rank 1 kept the connection open");
        close(fd);
    }
    ping();

    /* A packet with no hello at all. */
    if ((fd = stranger_connect(port)) >= 0) {
        send_all(fd, &evil, sizeof evil);
        send_all(fd, "EVIL", 4);
        TM_CHECK(closed_within(fd, 5000), "bare packet: rank 1 kept the connection open");
        close(fd);
    }
    ping();

    /* Silence, a partial hello, and a crowd of silent connections, all at once: each must
     * be closed by the handshake deadline (2 s by default), the crowd beyond the pending
     * limit sooner. */
    int fds[NSILENT + 2];
    int n = 0;
    for (int i = 0; i < NSILENT + 2; i++) {
        if ((fds[n] = stranger_connect(port)) >= 0) {
            n++;
        }
    }
    if (n > 1) {
        send_all(fds[1], "LiteMPI1aaaa", 12);
    }
    ping();
    int open_left = 0;
    for (int i = 0; i < n; i++) {
        if (!closed_within(fds[i], 8000)) {
            open_left++;
        }
        close(fds[i]);
    }
    TM_CHECK(open_left == 0, "%d of %d silent connections were still open after 8 s", open_left,
             n);
    ping();
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    if (tm_size < 2) {
        return tm_finish();
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    if (tm_rank == 1) {
        long pid = (long)getpid();
        char trap[16] = "";
        MPI_Request trap_req;
        MPI_Irecv(trap, sizeof trap, MPI_CHAR, MPI_ANY_SOURCE, TAG_TRAP, MPI_COMM_WORLD,
                  &trap_req);
        MPI_Send(&pid, 1, MPI_LONG, 0, TAG_CTL, MPI_COMM_WORLD);
        for (;;) {
            int cmd = 0, flag = 0;
            MPI_Recv(&cmd, 1, MPI_INT, 0, TAG_CTL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (cmd == CMD_DONE) {
                break; /* the real message follows */
            }
            MPI_Test(&trap_req, &flag, MPI_STATUS_IGNORE);
            TM_CHECK(!flag, "the trap receive matched a stranger's packet ('%.4s')", trap);
            if (flag) {
                break;
            }
            cmd += 100;
            MPI_Send(&cmd, 1, MPI_INT, 0, TAG_CTL, MPI_COMM_WORLD);
        }
        MPI_Status st;
        TM_CHECK_RC(MPI_Wait(&trap_req, &st), "MPI_Wait(trap)");
        TM_CHECK(st.MPI_SOURCE == 0 && !strcmp(trap, "GOOD"),
                 "trap receive got '%.15s' from %d, expected 'GOOD' from 0", trap, st.MPI_SOURCE);
    } else if (tm_rank == 0) {
        long pid = 0;
        MPI_Recv(&pid, 1, MPI_LONG, 1, TAG_CTL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        int port = listening_port(pid);
        TM_CHECK(port > 0, "rank 1 (pid %ld) has no listening tcp socket", pid);
        if (port > 0) {
            stranger(port);
        }
        int cmd = CMD_DONE;
        MPI_Send(&cmd, 1, MPI_INT, 1, TAG_CTL, MPI_COMM_WORLD);
        MPI_Send("GOOD", 5, MPI_CHAR, 1, TAG_TRAP, MPI_COMM_WORLD);
    }
    /* Everyone: a ring, so the other ranks' traffic goes on too. */
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    for (int lap = 0; lap < 20; lap++) {
        int out = tm_rank * 1000 + lap, in = -1;
        TM_CHECK_RC(MPI_Sendrecv(&out, 1, MPI_INT, right, 5, &in, 1, MPI_INT, left, 5,
                                 MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                    "MPI_Sendrecv");
        TM_CHECK(in == left * 1000 + lap, "ring lap %d: got %d", lap, in);
    }
    return tm_finish();
}
