/* Unit tests of the tcp handshake (src/transport/tcp/handshake.c, conn.c, lane.c), in one
 * process: a real listening socket on loopback, clients connecting to it, and the
 * transport's accept path driven by hand. A hello with the wrong job key, a wrong magic, a
 * rank outside the job or our own, garbage, a short hello followed by the end, and
 * silence are all closed without touching any peer's state; the right hello (even in
 * pieces) opens the pair's connection and is answered with our key; a data lane is only
 * accepted once that connection is open, and only once per lane number.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

#include "transport/tcp/tcp.h"

#define KEY "0123456789abcdef0123456789abcdef"
#define NRANKS 3 /* we are rank 0 */

static int port;

static int setup(void **state)
{
    (void)state;
    memset(&tcp, 0, sizeof tcp);
    tcp.epfd = epoll_create1(EPOLL_CLOEXEC);
    tcp.lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    assert_true(tcp.epfd >= 0 && tcp.lfd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    assert_int_equal(bind(tcp.lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(tcp.lfd, 16), 0);
    assert_int_equal(getsockname(tcp.lfd, (struct sockaddr *)&sa, &len), 0);
    port = ntohs(sa.sin_port);
    tcp.nconns = NRANKS;
    tcp.conns = calloc(NRANKS, sizeof *tcp.conns);
    assert_non_null(tcp.conns);
    for (int i = 0; i < NRANKS; i++) {
        tcp.conns[i].lpid = i;
        tcp.conns[i].fd = -1;
    }
    memcpy(tcp.key, KEY, TCP_KEY_LEN);
    tcp.have_key = true;
    tcp.handshake_ns = 1000000000ull;
    tcp.lanes = 2;
    lm_proc.rank = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lm_tcp_pending_free_all();
    for (int i = 0; i < tcp.nconns; i++) {
        lm_tcp_conn_close(&tcp.conns[i]);
        lm_tcp_lanes_free(&tcp.conns[i]);
        free(tcp.conns[i].rx.buf);
    }
    free(tcp.conns);
    close(tcp.lfd);
    close(tcp.epfd);
    memset(&tcp, 0, sizeof tcp);
    return 0;
}

/* A client connected to our listener, and our side of it accepted as a pending socket. */
static int client(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct timeval tv = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    int before = tcp.npending;
    for (int i = 0; i < 1000 && tcp.npending == before; i++) {
        lm_tcp_accept_ready();
        if (tcp.npending == before)
            usleep(1000);
    }
    assert_int_equal(tcp.npending, before + 1);
    return fd;
}

static struct tcp_hello hello(const char *key, int rank, uint32_t status)
{
    struct tcp_hello h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, TCP_MAGIC, sizeof h.magic);
    memcpy(h.key, key, TCP_KEY_LEN);
    h.rank = rank;
    h.status = status;
    return h;
}

/* Sends bytes from the client and lets the transport look at its pending socket. */
static void say(int fd, const void *p, size_t n)
{
    assert_int_equal(send(fd, p, n, MSG_NOSIGNAL), (ssize_t)n);
    usleep(1000); /* loopback delivers at once; this only makes it certain */
    assert_non_null(tcp.pending);
    lm_tcp_pending_ready(tcp.pending); /* the newest is first */
}

/* True when the server closed the client's connection (EOF or reset), without a reply. */
static bool closed_silently(int fd)
{
    char b[64];
    ssize_t n = recv(fd, b, sizeof b, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
}

static void assert_untouched(void)
{
    for (int i = 0; i < NRANKS; i++) {
        assert_int_equal(tcp.conns[i].state, TCP_IDLE);
        assert_int_equal(tcp.conns[i].fd, -1);
        assert_null(tcp.conns[i].lanes);
    }
    assert_int_equal(tcp.nopen, 0);
}

static void test_hello_check(void **state)
{
    (void)state;
    int r = -1;
    struct tcp_hello h = hello(KEY, 2, TCP_HELLO_OK);
    assert_true(lm_tcp_hello_check(&h, &r));
    assert_int_equal(r, 2);
    h.key[TCP_KEY_LEN - 1] ^= 1; /* one bit off in the last byte */
    assert_false(lm_tcp_hello_check(&h, &r));
    h = hello(KEY, 2, TCP_HELLO_OK);
    h.magic[0] = 'X';
    assert_false(lm_tcp_hello_check(&h, &r));
    h = hello(KEY, 2, TCP_HELLO_OK);
    tcp.have_key = false; /* no key known yet: nothing is accepted */
    assert_false(lm_tcp_hello_check(&h, &r));
    tcp.have_key = true;
}

static void test_wrong_key_rejected(void **state)
{
    (void)state;
    int fd = client();
    struct tcp_hello h = hello("ffffffffffffffffffffffffffffffff", 1, TCP_HELLO_OK);
    say(fd, &h, sizeof h);
    assert_int_equal(tcp.npending, 0);
    assert_true(closed_silently(fd));
    assert_untouched();
    close(fd);
}

static void test_bad_magic_and_ranks_rejected(void **state)
{
    (void)state;
    struct tcp_hello bad[4] = {hello(KEY, 1, TCP_HELLO_OK), hello(KEY, 0, TCP_HELLO_OK),
                               hello(KEY, NRANKS, TCP_HELLO_OK), hello(KEY, -1, TCP_HELLO_OK)};
    memcpy(bad[0].magic, "LiteMPI9", 8); /* another version, or not us at all */
    for (int i = 0; i < 4; i++) {
        int fd = client();
        say(fd, &bad[i], sizeof bad[i]);
        assert_int_equal(tcp.npending, 0);
        assert_true(closed_silently(fd));
        assert_untouched();
        close(fd);
    }
    /* An unknown request status. */
    int fd = client();
    struct tcp_hello h = hello(KEY, 1, 77);
    say(fd, &h, sizeof h);
    assert_int_equal(tcp.npending, 0);
    assert_true(closed_silently(fd));
    assert_untouched();
    close(fd);
}

static void test_garbage_short_and_silent(void **state)
{
    (void)state;
    /* Garbage of a hello's size. */
    int fd = client();
    char junk[sizeof(struct tcp_hello)];
    memset(junk, 0x5a, sizeof junk);
    say(fd, junk, sizeof junk);
    assert_int_equal(tcp.npending, 0);
    assert_true(closed_silently(fd));
    close(fd);

    /* Half a valid hello, then the client goes away. */
    fd = client();
    struct tcp_hello h = hello(KEY, 1, TCP_HELLO_OK);
    say(fd, &h, sizeof h / 2);
    assert_int_equal(tcp.npending, 1); /* still waiting for the rest */
    shutdown(fd, SHUT_WR);
    usleep(1000);
    lm_tcp_pending_ready(tcp.pending);
    assert_int_equal(tcp.npending, 0);
    close(fd);

    /* Nothing at all: dropped when its time is up. */
    fd = client();
    lm_tcp_check_deadlines(lm_now_ns());
    assert_int_equal(tcp.npending, 1);
    lm_tcp_check_deadlines(lm_now_ns() + 2 * tcp.handshake_ns);
    assert_int_equal(tcp.npending, 0);
    assert_true(closed_silently(fd));
    close(fd);
    assert_untouched();
}

static void test_valid_hello_in_pieces(void **state)
{
    (void)state;
    int fd = client();
    struct tcp_hello h = hello(KEY, 2, TCP_HELLO_OK);
    const char *p = (const char *)&h;
    say(fd, p, 5);
    say(fd, p + 5, 20);
    assert_int_equal(tcp.npending, 1);
    assert_int_equal(tcp.conns[2].state, TCP_IDLE);
    say(fd, p + 25, sizeof h - 25);
    assert_int_equal(tcp.npending, 0);
    assert_int_equal(tcp.conns[2].state, TCP_OPEN);
    assert_true(tcp.conns[2].fd >= 0);
    assert_int_equal(tcp.nopen, 1);
    struct tcp_hello reply;
    assert_int_equal(recv(fd, &reply, sizeof reply, MSG_WAITALL), (ssize_t)sizeof reply);
    int r;
    assert_true(lm_tcp_hello_check(&reply, &r));
    assert_int_equal(r, 0);
    assert_int_equal(reply.status, TCP_HELLO_OK);
    /* A second connection from the same rank is refused: one per pair. */
    int fd2 = client();
    say(fd2, &h, sizeof h);
    assert_true(closed_silently(fd2));
    assert_int_equal(tcp.nopen, 1);
    close(fd2);
    close(fd);
}

static void test_lanes_need_the_connection(void **state)
{
    (void)state;
    /* A lane before the pair's connection exists: refused. */
    int lane = client();
    struct tcp_hello lh = hello(KEY, 1, TCP_HELLO_LANE + 1);
    say(lane, &lh, sizeof lh);
    assert_true(closed_silently(lane));
    close(lane);
    assert_int_equal(tcp.conns[1].state, TCP_IDLE);

    int fd = client();
    struct tcp_hello h = hello(KEY, 1, TCP_HELLO_OK);
    say(fd, &h, sizeof h);
    assert_int_equal(tcp.conns[1].state, TCP_OPEN);

    /* Now lane 1 is taken, answered with our key; lane 0 and lanes past the last are not. */
    lane = client();
    say(lane, &lh, sizeof lh);
    struct tcp_hello reply;
    int r;
    assert_int_equal(recv(lane, &reply, sizeof reply, MSG_WAITALL), (ssize_t)sizeof reply);
    assert_true(lm_tcp_hello_check(&reply, &r));
    assert_int_equal(reply.status, TCP_HELLO_OK);
    assert_non_null(tcp.conns[1].lanes);
    assert_int_equal(tcp.conns[1].lanes->in[1].state, LANE_OPEN);
    assert_int_equal(tcp.conns[1].nlanes, 1);
    uint32_t refused[3] = {TCP_HELLO_LANE + 1, TCP_HELLO_LANE, TCP_HELLO_LANE + TCP_MAX_LANES};
    for (int i = 0; i < 3; i++) {
        int again = client();
        struct tcp_hello x = hello(KEY, 1, refused[i]);
        say(again, &x, sizeof x);
        assert_true(closed_silently(again));
        close(again);
    }
    assert_int_equal(tcp.conns[1].nlanes, 1);
    /* A wrong key on a lane is as unwelcome as anywhere. */
    int bad = client();
    struct tcp_hello bk = hello("ffffffffffffffffffffffffffffffff", 1, TCP_HELLO_LANE + 2);
    say(bad, &bk, sizeof bk);
    assert_true(closed_silently(bad));
    close(bad);
    assert_int_equal(tcp.conns[1].lanes->in[2].state, LANE_NONE);
    /* The connection going away takes its lanes along. */
    lm_tcp_conn_close(&tcp.conns[1]);
    assert_int_equal(tcp.conns[1].nlanes, 0);
    assert_true(closed_silently(lane));
    close(lane);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hello_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_key_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_magic_and_ranks_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_short_and_silent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_valid_hello_in_pieces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lanes_need_the_connection, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
