/* Unit tests of pt2pt matching and protocols, driven by hand-made packets: posted vs
 * unexpected queues, wildcards, order, truncation, the synchronous acknowledgement and
 * the CTS/DATA rendezvous. A fake transport records what pt2pt sends back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pt2pt/pt2pt.h"

static struct lm_pkt_hdr sent[64];
static int nsent;

static int fake_send(struct lm_peer *peer, const struct lm_pkt_hdr *hdr, const struct iovec *iov,
                     int iovcnt)
{
    sent[nsent++] = *hdr;
    return LM_OK;
}
static int fake_progress(void) { return 0; }
static bool fake_reach(const struct lm_peer *p) { return true; }

static const struct lm_transport fake = {
    .name = "fake", .eager_limit = 64, .max_payload = 64, .can_reach = fake_reach,
    .send = fake_send, .progress = fake_progress,
};

static struct lm_peer peers[3];
static int lpids[3] = {0, 1, 2};
static struct lm_group group = {.refcount = 1, .size = 3, .lpids = lpids};
static struct lm_comm comm;
static struct lm_datatype *byte;

static int setup(void **state)
{
    lm_dt_builtins_init();
    byte = lm_dt_builtin(MPI_BYTE);
    lm_pt2pt_init();
    for (int i = 0; i < 3; i++)
        peers[i] = (struct lm_peer){.lpid = i, .tp = &fake};
    lm_proc.peers = peers;
    lm_proc.npeers = 3;
    comm = (struct lm_comm){.magic = LM_MAGIC_COMM, .refcount = 1000, .ctx = 4, .rank = 0,
                            .size = 3, .remote_size = 3,
                            .group = &group, .remote_group = &group};
    nsent = 0;
    return 0;
}

static int teardown(void **state)
{
    lm_pt2pt_finalize();
    return 0;
}

static void eager(int src, int tag, const char *data, uint8_t flags, uint64_t sreq)
{
    struct lm_pkt_hdr h = {.kind = LM_PKT_EAGER, .flags = flags, .ctx = comm.ctx, .src = src,
                           .tag = tag, .size = strlen(data), .sreq = sreq};
    lm_pt2pt_deliver(&peers[src], &h, data, strlen(data));
}

static void test_posted_wildcards(void **state)
{
    char a[16] = {0}, b[16] = {0};
    struct lm_request *ra, *rb;
    assert_int_equal(lm_irecv(a, 16, byte, MPI_ANY_SOURCE, 5, &comm, &ra), LM_OK);
    assert_int_equal(lm_irecv(b, 16, byte, 1, MPI_ANY_TAG, &comm, &rb), LM_OK);
    eager(1, 9, "nine", 0, 0);   /* only rb accepts tag 9 */
    assert_true(rb->complete);
    assert_false(ra->complete);
    eager(2, 5, "five", 0, 0);
    assert_true(ra->complete);
    struct lm_status st;
    assert_int_equal(lm_wait(ra, &st), LM_OK);
    assert_int_equal(st.source, 2);
    assert_int_equal(st.tag, 5);
    assert_int_equal(st.bytes, 4);
    assert_string_equal(a, "five");
    assert_int_equal(lm_wait(rb, &st), LM_OK);
    assert_int_equal(st.tag, 9);
    assert_string_equal(b, "nine");
}

static void test_unexpected_order_and_probe(void **state)
{
    char msg[16];
    for (int i = 0; i < 100; i++) {
        snprintf(msg, sizeof msg, "m%d", i);
        eager(1, 7, msg, 0, 0);
    }
    eager(2, 8, "other", 0, 0);
    bool flag;
    struct lm_status st;
    assert_int_equal(lm_iprobe(2, MPI_ANY_TAG, &comm, &flag, &st), LM_OK);
    assert_true(flag);
    assert_int_equal(st.tag, 8);
    assert_int_equal(st.bytes, 5);
    assert_int_equal(lm_iprobe(0, MPI_ANY_TAG, &comm, &flag, &st), LM_OK);
    assert_false(flag);
    for (int i = 0; i < 100; i++) { /* non-overtaking: same envelope arrives in order */
        char buf[16] = {0};
        assert_int_equal(lm_recv(buf, 16, byte, MPI_ANY_SOURCE, 7, &comm, &st), LM_OK);
        snprintf(msg, sizeof msg, "m%d", i);
        assert_string_equal(buf, msg);
    }
    char buf[16] = {0};
    assert_int_equal(lm_recv(buf, 16, byte, MPI_ANY_SOURCE, MPI_ANY_TAG, &comm, &st), LM_OK);
    assert_string_equal(buf, "other");
}

static void test_truncation(void **state)
{
    char small[4];
    struct lm_status st;
    eager(1, 1, "0123456789", 0, 0);
    int rc = lm_recv(small, 4, byte, 1, 1, &comm, &st);
    assert_int_equal(lm_err_class_of(rc), MPI_ERR_TRUNCATE);
    assert_memory_equal(small, "0123", 4);
    assert_int_equal(st.bytes, 4);
}

static void test_sync_ack(void **state)
{
    char buf[8];
    nsent = 0;
    eager(2, 3, "sync", LM_PKT_FLAG_SYNC, 0xabcdef);
    assert_int_equal(nsent, 0); /* not matched yet: no acknowledgement */
    assert_int_equal(lm_recv(buf, 8, byte, 2, 3, &comm, NULL), LM_OK);
    assert_int_equal(nsent, 1);
    assert_int_equal(sent[0].kind, LM_PKT_SYNC_ACK);
    assert_int_equal(sent[0].sreq, 0xabcdef);
}

static void test_rendezvous_cts_data(void **state)
{
    char buf[200] = {0}, src[150];
    for (int i = 0; i < 150; i++)
        src[i] = (char)(i * 3);
    struct lm_request *r;
    nsent = 0;
    assert_int_equal(lm_irecv(buf, 200, byte, 1, 2, &comm, &r), LM_OK);
    struct lm_pkt_hdr rts = {.kind = LM_PKT_RTS, .ctx = comm.ctx, .src = 1, .tag = 2,
                             .size = 150, .sreq = 77};
    lm_pt2pt_deliver(&peers[1], &rts, NULL, 0);
    assert_int_equal(nsent, 1); /* no read_remote in the fake: CTS */
    assert_int_equal(sent[0].kind, LM_PKT_CTS);
    assert_int_equal(sent[0].sreq, 77);
    struct lm_pkt_hdr d = {.kind = LM_PKT_DATA, .ctx = comm.ctx, .rreq = sent[0].rreq};
    d.addr = 100; /* fragments may come in any split; offsets place them */
    lm_pt2pt_deliver(&peers[1], &d, src + 100, 50);
    assert_false(r->complete);
    d.addr = 0;
    lm_pt2pt_deliver(&peers[1], &d, src, 100);
    assert_true(r->complete);
    struct lm_status st;
    assert_int_equal(lm_wait(r, &st), LM_OK);
    assert_int_equal(st.bytes, 150);
    assert_memory_equal(buf, src, 150);
}

static void test_proc_null(void **state)
{
    struct lm_status st;
    assert_int_equal(lm_recv(NULL, 10, byte, MPI_PROC_NULL, 1, &comm, &st), LM_OK);
    assert_int_equal(st.source, MPI_PROC_NULL);
    assert_int_equal(st.tag, MPI_ANY_TAG);
    assert_int_equal(st.bytes, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_posted_wildcards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unexpected_order_and_probe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sync_ack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rendezvous_cts_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_proc_null, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
