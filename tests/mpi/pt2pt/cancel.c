/* pt2pt/cancel: MPI_Cancel and MPI_Test_cancelled.
 * - A receive not matched yet is always cancelled (specific source, wildcards, persistent);
 *   a later message does not go to it. A receive already matched completes normally.
 * - A send whose message the receiver has not matched yet (synchronous eager, and any
 *   rendezvous size) is cancelled: the receiver never sees it. LiteMPI documents this, so
 *   the test insists on it. A standard eager send usually completed at once and cannot be
 *   cancelled; either outcome is accepted, and the receiver then checks it agrees.
 * - A send to a posted receive, an MPI_Ibsend, and sends to MPI_PROC_NULL are not cancelled.
 * - Error classes: MPI_REQUEST_NULL, an inactive persistent request. */
#include "../common.h"

#define BIG 65539

static int right, left;
static MPI_Comm ctl; /* handshakes, out of the way of the messages under test */

static int cancelled_of(const MPI_Status *st)
{
    int flag = -1;
    TM_CHECK_RC(MPI_Test_cancelled(st, &flag), "Test_cancelled");
    return flag;
}

/* Neighbour barrier on ctl: returns when both neighbours have reached the same point. */
static void sync_ring(void)
{
    int a = 0, b[2];
    MPI_Request r[4];
    MPI_Isend(&a, 1, MPI_INT, right, 0, ctl, &r[0]);
    MPI_Isend(&a, 1, MPI_INT, left, 0, ctl, &r[1]);
    MPI_Irecv(&b[0], 1, MPI_INT, left, 0, ctl, &r[2]);
    MPI_Irecv(&b[1], 1, MPI_INT, right, 0, ctl, &r[3]);
    MPI_Waitall(4, r, MPI_STATUSES_IGNORE);
}

static void errors(void)
{
    MPI_Request r = MPI_REQUEST_NULL;
    TM_CHECK_CLASS(MPI_Cancel(&r), MPI_ERR_REQUEST, "Cancel(MPI_REQUEST_NULL)");
    int x;
    MPI_Recv_init(&x, 1, MPI_INT, left, 1, MPI_COMM_WORLD, &r);
    TM_CHECK_CLASS(MPI_Cancel(&r), MPI_ERR_REQUEST, "Cancel(inactive persistent request)");
    MPI_Request_free(&r);
    int flag;
    TM_CHECK_CLASS(MPI_Test_cancelled(MPI_STATUS_IGNORE, &flag), MPI_ERR_ARG,
                   "Test_cancelled(MPI_STATUS_IGNORE)");
}

static void receives(void)
{
    int buf[4] = {0};
    MPI_Status st;
    /* Unmatched receives, every kind of envelope; completed by Wait, Test, Waitany. */
    const int srcs[3] = {left, MPI_ANY_SOURCE, left};
    const int tags[3] = {100, 100, MPI_ANY_TAG};
    for (int k = 0; k < 3; k++) {
        MPI_Request r;
        MPI_Irecv(buf, 4, MPI_INT, srcs[k], tags[k], MPI_COMM_WORLD, &r);
        TM_CHECK_RC(MPI_Cancel(&r), "Cancel(receive)");
        TM_CHECK(r != MPI_REQUEST_NULL, "Cancel nulled the handle");
        if (k == 0) {
            TM_CHECK_RC(MPI_Wait(&r, &st), "Wait(cancelled receive)");
        } else if (k == 1) {
            int flag = 0;
            double t0 = MPI_Wtime();
            while (!flag && MPI_Wtime() - t0 < 30)
                MPI_Test(&r, &flag, &st);
            TM_CHECK(flag, "cancelled receive never tested complete");
        } else {
            int idx = -1;
            TM_CHECK_RC(MPI_Waitany(1, &r, &idx, &st), "Waitany(cancelled receive)");
            TM_CHECK(idx == 0, "Waitany index %d", idx);
        }
        TM_CHECK(r == MPI_REQUEST_NULL, "cancelled receive %d not freed by completion", k);
        TM_CHECK(cancelled_of(&st) == 1, "receive %d not reported cancelled (source %d tag %d)",
                 k, st.MPI_SOURCE, st.MPI_TAG);
    }
    /* Cancel, then free without waiting. */
    MPI_Request r;
    MPI_Irecv(buf, 4, MPI_INT, left, 100, MPI_COMM_WORLD, &r);
    MPI_Cancel(&r);
    TM_CHECK_RC(MPI_Request_free(&r), "Request_free(cancelled receive)");

    /* Those receives are gone: a message with their envelope goes to a new receive. */
    sync_ring();
    int v = tm_rank + 1000, got = -1;
    MPI_Request s;
    MPI_Isend(&v, 1, MPI_INT, right, 100, MPI_COMM_WORLD, &s);
    TM_CHECK_RC(MPI_Recv(&got, 1, MPI_INT, left, 100, MPI_COMM_WORLD, &st), "Recv after cancels");
    TM_CHECK(got == left + 1000 && cancelled_of(&st) == 0, "after cancels got %d", got);
    MPI_Wait(&s, MPI_STATUS_IGNORE);

    /* A matched receive cannot be cancelled: it completes with the data. */
    for (int big = 0; big < 2; big++) {
        int n = big ? BIG : 5;
        unsigned char *sb = tm_malloc((size_t)n), *rb = tm_malloc((size_t)n);
        tm_fill(sb, (size_t)n, (unsigned)tm_rank + 9);
        MPI_Irecv(rb, n, MPI_BYTE, left, 101, MPI_COMM_WORLD, &r);
        sync_ring();
        MPI_Isend(sb, n, MPI_BYTE, right, 101, MPI_COMM_WORLD, &s);
        int flag = 0;
        double t0 = MPI_Wtime();
        while (!flag && MPI_Wtime() - t0 < 30)
            MPI_Request_get_status(r, &flag, MPI_STATUS_IGNORE);
        TM_CHECK_RC(MPI_Cancel(&r), "Cancel(completed receive)");
        TM_CHECK_RC(MPI_Wait(&r, &st), "Wait");
        TM_CHECK(cancelled_of(&st) == 0, "a completed receive was reported cancelled");
        TM_CHECK_BUF(rb, (size_t)n, (unsigned)left + 9, "receive cancelled after completion");
        MPI_Wait(&s, MPI_STATUS_IGNORE);
        free(sb);
        free(rb);
    }

    /* Persistent receive: cancel one activation, the next one still works. */
    int pv = -1;
    MPI_Recv_init(&pv, 1, MPI_INT, left, 102, MPI_COMM_WORLD, &r);
    MPI_Request keep = r;
    MPI_Start(&r);
    TM_CHECK_RC(MPI_Cancel(&r), "Cancel(active persistent receive)");
    MPI_Wait(&r, &st);
    TM_CHECK(r == keep && cancelled_of(&st) == 1, "persistent receive not cancelled");
    MPI_Start(&r);
    sync_ring(); /* the left neighbour cancelled too: now it may send */
    v = tm_rank + 2000;
    MPI_Isend(&v, 1, MPI_INT, right, 102, MPI_COMM_WORLD, &s);
    MPI_Wait(&r, &st);
    TM_CHECK(pv == left + 2000 && cancelled_of(&st) == 0 && st.MPI_SOURCE == left,
             "restarted persistent receive got %d from %d", pv, st.MPI_SOURCE);
    MPI_Wait(&s, MPI_STATUS_IGNORE);
    MPI_Request_free(&r);
}

/* Sends the right neighbour has not matched: cancelled, and never delivered. */
static void unmatched_sends(void)
{
    enum { NK = 5 };
    const int sizes[NK] = {7, 0, BIG, BIG, 1048577};
    const int sync[NK] = {1, 1, 0, 1, 0};
    unsigned char *sb = tm_malloc(1048577);
    MPI_Request r[NK];
    for (int k = 0; k < NK; k++) {
        if (sync[k])
            MPI_Issend(sb, sizes[k], MPI_BYTE, right, 200 + k, MPI_COMM_WORLD, &r[k]);
        else
            MPI_Isend(sb, sizes[k], MPI_BYTE, right, 200 + k, MPI_COMM_WORLD, &r[k]);
        TM_CHECK_RC(MPI_Cancel(&r[k]), "Cancel(send)");
    }
    MPI_Status st[NK];
    TM_CHECK_RC(MPI_Waitall(NK, r, st), "Waitall(cancelled sends)");
    for (int k = 0; k < NK; k++)
        TM_CHECK(cancelled_of(&st[k]) == 1, "unmatched %s send of %d bytes not cancelled",
                 sync[k] ? "synchronous" : "standard", sizes[k]);

    /* A persistent rendezvous send: cancel one activation, deliver the next. */
    MPI_Request p;
    tm_fill(sb, BIG, (unsigned)tm_rank + 60);
    MPI_Send_init(sb, BIG, MPI_BYTE, right, 210, MPI_COMM_WORLD, &p);
    MPI_Start(&p);
    MPI_Cancel(&p);
    MPI_Status ps;
    MPI_Wait(&p, &ps);
    TM_CHECK(cancelled_of(&ps) == 1, "persistent send activation not cancelled");

    sync_ring(); /* the left neighbour's cancels are done: nothing of them is here */
    for (int k = 0; k < NK; k++) {
        int flag = 1;
        MPI_Iprobe(left, 200 + k, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
        TM_CHECK(!flag, "cancelled send of %d bytes (tag %d) arrived anyway", sizes[k], 200 + k);
    }
    int flag = 1;
    MPI_Iprobe(left, 210, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
    TM_CHECK(!flag, "cancelled persistent send arrived anyway");
    sync_ring(); /* both neighbours looked: the next activation may go */

    unsigned char *rb = tm_malloc(BIG);
    MPI_Request rr;
    MPI_Irecv(rb, BIG, MPI_BYTE, left, 210, MPI_COMM_WORLD, &rr);
    MPI_Start(&p);
    MPI_Wait(&rr, MPI_STATUS_IGNORE);
    MPI_Wait(&p, &ps);
    TM_CHECK(cancelled_of(&ps) == 0, "second persistent send activation reported cancelled");
    TM_CHECK_BUF(rb, BIG, (unsigned)left + 60, "persistent send after a cancelled activation");
    MPI_Request_free(&p);
    free(sb);
    free(rb);
}

/* Cancel every other one of many synchronous sends: the rest arrive, in order. */
static void mixed(void)
{
    enum { K = 16 };
    int out[K], in[K];
    MPI_Request r[K];
    MPI_Status st[K];
    for (int i = 0; i < K; i++) {
        out[i] = tm_rank * 100 + i;
        MPI_Issend(&out[i], 1, MPI_INT, right, 300, MPI_COMM_WORLD, &r[i]);
    }
    for (int i = 1; i < K; i += 2)
        MPI_Cancel(&r[i]);
    for (int i = 1; i < K; i += 2) {
        MPI_Wait(&r[i], &st[i]);
        TM_CHECK(cancelled_of(&st[i]) == 1, "odd synchronous send %d not cancelled", i);
    }
    sync_ring();
    for (int i = 0; i < K / 2; i++) {
        in[i] = -1;
        MPI_Recv(&in[i], 1, MPI_INT, left, 300, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        TM_CHECK(in[i] == left * 100 + 2 * i, "message %d: got %d, expected %d", i, in[i],
                 left * 100 + 2 * i);
    }
    for (int i = 0; i < K; i += 2) {
        MPI_Wait(&r[i], &st[i]);
        TM_CHECK(cancelled_of(&st[i]) == 0, "even synchronous send %d reported cancelled", i);
    }
    sync_ring();
    int flag = 1;
    MPI_Iprobe(left, 300, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
    TM_CHECK(!flag, "a cancelled message arrived");
}

/* Sends that cannot be cancelled: completed eager, matched, buffered, to MPI_PROC_NULL. */
static void uncancellable(void)
{
    int bsize = 64 + MPI_BSEND_OVERHEAD;
    char *attached = tm_malloc((size_t)bsize);
    MPI_Buffer_attach(attached, bsize);
    unsigned char *sb = tm_malloc(BIG), *rb = tm_malloc(BIG);
    tm_fill(sb, BIG, (unsigned)tm_rank + 70);
    MPI_Request r[4], rr;
    MPI_Status st[4];
    /* A posted receive for the rendezvous one: the RTS matches on arrival. */
    MPI_Irecv(rb, BIG, MPI_BYTE, left, 401, MPI_COMM_WORLD, &rr);
    sync_ring();
    MPI_Isend(sb, 16, MPI_BYTE, right, 400, MPI_COMM_WORLD, &r[0]);
    MPI_Isend(sb, BIG, MPI_BYTE, right, 401, MPI_COMM_WORLD, &r[1]);
    MPI_Ibsend(sb, 64, MPI_BYTE, right, 402, MPI_COMM_WORLD, &r[2]);
    MPI_Isend(sb, 16, MPI_BYTE, MPI_PROC_NULL, 403, MPI_COMM_WORLD, &r[3]);
    for (int k = 0; k < 4; k++)
        TM_CHECK_RC(MPI_Cancel(&r[k]), "Cancel");
    MPI_Waitall(4, r, st);
    int c0 = cancelled_of(&st[0]);
    TM_CHECK(cancelled_of(&st[1]) == 0, "send to a posted receive reported cancelled");
    TM_CHECK(cancelled_of(&st[2]) == 0, "MPI_Ibsend reported cancelled");
    TM_CHECK(cancelled_of(&st[3]) == 0, "send to MPI_PROC_NULL reported cancelled");
    /* Tell the right neighbour whether the eager one went. */
    int lc = -1;
    MPI_Sendrecv(&c0, 1, MPI_INT, right, 1, &lc, 1, MPI_INT, left, 1, ctl, MPI_STATUS_IGNORE);
    unsigned char small[64];
    if (lc == 0) {
        MPI_Recv(small, 16, MPI_BYTE, left, 400, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        TM_CHECK_BUF(small, 16, (unsigned)left + 70, "uncancelled eager send");
    } else {
        int flag = 1;
        MPI_Iprobe(left, 400, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
        TM_CHECK(!flag, "eager send reported cancelled but delivered");
    }
    MPI_Wait(&rr, MPI_STATUS_IGNORE);
    TM_CHECK_BUF(rb, BIG, (unsigned)left + 70, "rendezvous send to a posted receive");
    MPI_Recv(small, 64, MPI_BYTE, left, 402, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    TM_CHECK_BUF(small, 64, (unsigned)left + 70, "buffered send after cancel");
    void *b;
    int sz;
    MPI_Buffer_detach(&b, &sz);
    free(attached);
    free(sb);
    free(rb);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    right = (tm_rank + 1) % tm_size;
    left = (tm_rank + tm_size - 1) % tm_size;
    MPI_Comm_dup(MPI_COMM_WORLD, &ctl);

    errors();
    receives();
    sync_ring();
    unmatched_sends();
    sync_ring();
    mixed();
    sync_ring();
    uncancellable();

    MPI_Comm_free(&ctl);
    return tm_finish();
}
