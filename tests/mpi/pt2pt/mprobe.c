/* pt2pt/mprobe: matched probe and receive. MPI_Mprobe/MPI_Improbe return a message handle
 * whose status gives the size to allocate; MPI_Mrecv/MPI_Imrecv receive exactly that
 * message (every protocol size) and null the handle. A probed message is gone from the
 * matching queue: a later wildcard receive or probe cannot steal it, and a message sent
 * afterwards goes to that receive. Many senders with wildcards keep per-sender order.
 * MPI_PROC_NULL gives MPI_MESSAGE_NO_PROC, whose receive has the MPI_PROC_NULL status.
 * Truncation, error classes, and communicator isolation. */
#include "../common.h"

#define BIG 65539

static int right, left;
static MPI_Comm ctl; /* go-messages, invisible to the wildcard receives under test */

static void check_proc_null_status(const MPI_Status *st, const char *what)
{
    int count = -1;
    MPI_Get_count(st, MPI_BYTE, &count);
    TM_CHECK(st->MPI_SOURCE == MPI_PROC_NULL && st->MPI_TAG == MPI_ANY_TAG && count == 0,
             "%s: status source %d tag %d count %d, expected the MPI_PROC_NULL status", what,
             st->MPI_SOURCE, st->MPI_TAG, count);
}

static void proc_null_and_errors(void)
{
    MPI_Message m = MPI_MESSAGE_NULL;
    MPI_Status st;
    int flag = 0, x = 5;
    TM_CHECK_RC(MPI_Mprobe(MPI_PROC_NULL, 3, MPI_COMM_WORLD, &m, &st), "Mprobe(PROC_NULL)");
    TM_CHECK(m == MPI_MESSAGE_NO_PROC, "Mprobe(PROC_NULL) did not give MPI_MESSAGE_NO_PROC");
    check_proc_null_status(&st, "Mprobe(PROC_NULL)");
    TM_CHECK_RC(MPI_Mrecv(&x, 1, MPI_INT, &m, &st), "Mrecv(MESSAGE_NO_PROC)");
    TM_CHECK(m == MPI_MESSAGE_NULL && x == 5, "Mrecv(NO_PROC): handle not nulled or data written");
    check_proc_null_status(&st, "Mrecv(MESSAGE_NO_PROC)");

    TM_CHECK_RC(MPI_Improbe(MPI_PROC_NULL, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &m, &st),
                "Improbe(PROC_NULL)");
    TM_CHECK(flag && m == MPI_MESSAGE_NO_PROC, "Improbe(PROC_NULL): flag %d", flag);
    MPI_Request r;
    TM_CHECK_RC(MPI_Imrecv(&x, 1, MPI_INT, &m, &r), "Imrecv(MESSAGE_NO_PROC)");
    TM_CHECK(m == MPI_MESSAGE_NULL, "Imrecv(NO_PROC) did not null the handle");
    TM_CHECK_RC(MPI_Wait(&r, &st), "Wait(Imrecv NO_PROC)");
    check_proc_null_status(&st, "Imrecv(MESSAGE_NO_PROC)");

    /* Nothing there: flag false, handle untouched. */
    m = MPI_MESSAGE_NULL;
    flag = 1;
    TM_CHECK_RC(MPI_Improbe(MPI_ANY_SOURCE, 12345, MPI_COMM_WORLD, &flag, &m, &st), "Improbe");
    TM_CHECK(!flag && m == MPI_MESSAGE_NULL, "Improbe found a message that was never sent");

    m = MPI_MESSAGE_NULL;
    TM_CHECK_CLASS(MPI_Mrecv(&x, 1, MPI_INT, &m, &st), MPI_ERR_REQUEST, "Mrecv(MESSAGE_NULL)");
    TM_CHECK_CLASS(MPI_Imrecv(&x, 1, MPI_INT, &m, &r), MPI_ERR_REQUEST,
                   "Imrecv(MESSAGE_NULL)");
    TM_CHECK_CLASS(MPI_Mprobe(tm_size, 0, MPI_COMM_WORLD, &m, &st), MPI_ERR_RANK,
                   "Mprobe(source = size)");
    TM_CHECK_CLASS(MPI_Improbe(0, -7, MPI_COMM_WORLD, &flag, &m, &st), MPI_ERR_TAG,
                   "Improbe(tag -7)");
    TM_CHECK_CLASS(MPI_Improbe(0, 0, MPI_COMM_NULL, &flag, &m, &st), MPI_ERR_COMM,
                   "Improbe(MPI_COMM_NULL)");
    m = MPI_MESSAGE_NO_PROC;
    TM_CHECK_CLASS(MPI_Mrecv(&x, -1, MPI_INT, &m, &st), MPI_ERR_COUNT, "Mrecv(count -1)");
}

/* Every size around the ring, probed with and without wildcards. */
static void all_sizes(void)
{
    size_t maxn = tm_sizes[TM_NSIZES - 1];
    unsigned char *sbuf = tm_malloc(maxn * TM_NSIZES);
    MPI_Request sreq[TM_NSIZES];
    for (size_t k = 0; k < TM_NSIZES; k++) {
        tm_fill(sbuf + k * maxn, tm_sizes[k], (unsigned)(tm_rank * 10 + k));
        MPI_Isend(sbuf + k * maxn, (int)tm_sizes[k], MPI_BYTE, right, (int)k, MPI_COMM_WORLD,
                  &sreq[k]);
    }
    for (size_t k = 0; k < TM_NSIZES; k++) {
        MPI_Message m = MPI_MESSAGE_NULL;
        MPI_Status st;
        int count = -1, use_any = (int)(k % 2);
        if (k % 3 == 2) {
            int flag = 0;
            double t0 = MPI_Wtime();
            while (!flag && MPI_Wtime() - t0 < 60) {
                TM_CHECK_RC(MPI_Improbe(use_any ? MPI_ANY_SOURCE : left, MPI_ANY_TAG,
                                        MPI_COMM_WORLD, &flag, &m, &st), "Improbe");
            }
            TM_CHECK(flag, "Improbe never found message %zu", k);
        } else {
            TM_CHECK_RC(MPI_Mprobe(use_any ? MPI_ANY_SOURCE : left, MPI_ANY_TAG, MPI_COMM_WORLD,
                                   &m, &st), "Mprobe");
        }
        MPI_Get_count(&st, MPI_BYTE, &count);
        TM_CHECK(st.MPI_SOURCE == left && st.MPI_TAG == (int)k && count == (int)tm_sizes[k],
                 "probe %zu: source %d tag %d count %d, expected %d %zu %zu", k, st.MPI_SOURCE,
                 st.MPI_TAG, count, left, k, tm_sizes[k]);
        TM_CHECK(m != MPI_MESSAGE_NULL && m != MPI_MESSAGE_NO_PROC, "probe %zu: bad handle", k);
        unsigned char *rbuf = tm_malloc((size_t)count);
        MPI_Status rs;
        if (k % 2) {
            TM_CHECK_RC(MPI_Mrecv(rbuf, count, MPI_BYTE, &m, &rs), "Mrecv");
        } else {
            MPI_Request r;
            TM_CHECK_RC(MPI_Imrecv(rbuf, count, MPI_BYTE, &m, &r), "Imrecv");
            TM_CHECK_RC(MPI_Wait(&r, &rs), "Wait(Imrecv)");
        }
        TM_CHECK(m == MPI_MESSAGE_NULL, "receive %zu did not null the message handle", k);
        int rcount = -1;
        MPI_Get_count(&rs, MPI_BYTE, &rcount);
        TM_CHECK(rs.MPI_SOURCE == left && rs.MPI_TAG == (int)k && rcount == count,
                 "matched receive %zu: source %d tag %d count %d", k, rs.MPI_SOURCE, rs.MPI_TAG,
                 rcount);
        TM_CHECK_BUF(rbuf, tm_sizes[k], (unsigned)(left * 10 + k), "matched receive of %zu bytes",
                     tm_sizes[k]);
        free(rbuf);
    }
    MPI_Waitall((int)TM_NSIZES, sreq, MPI_STATUSES_IGNORE);
    free(sbuf);
}

/* After a wildcard Mprobe took message 1, a wildcard receive posted next must get message
 * 2 (sent only after the receive is posted), and probes must not see message 1. */
static void no_stealing(int n)
{
    unsigned char *m1 = tm_malloc((size_t)n), *m2 = tm_malloc((size_t)n);
    unsigned char *r1 = tm_malloc((size_t)n), *r2 = tm_malloc((size_t)n);
    tm_fill(m1, (size_t)n, (unsigned)tm_rank + 1);
    tm_fill(m2, (size_t)n, (unsigned)tm_rank + 2);
    MPI_Request s1, s2, rq, g;
    MPI_Isend(m1, n, MPI_BYTE, right, 1, MPI_COMM_WORLD, &s1);

    MPI_Message msg;
    MPI_Status st;
    TM_CHECK_RC(MPI_Mprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &msg, &st),
                "Mprobe(ANY, ANY)");
    TM_CHECK(st.MPI_SOURCE == left && st.MPI_TAG == 1, "Mprobe got source %d tag %d",
             st.MPI_SOURCE, st.MPI_TAG);
    MPI_Irecv(r2, n, MPI_BYTE, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &rq);
    int flag = 1;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
    TM_CHECK(!flag, "Iprobe still sees the message Mprobe took (%d bytes)", n);
    MPI_Message other = MPI_MESSAGE_NULL;
    flag = 1;
    MPI_Improbe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &other, MPI_STATUS_IGNORE);
    TM_CHECK(!flag, "a second Improbe got the message Mprobe took (%d bytes)", n);
    flag = 1;
    MPI_Test(&rq, &flag, MPI_STATUS_IGNORE);
    TM_CHECK(!flag, "the wildcard receive stole the probed message (%d bytes)", n);

    /* Now the left neighbour may send message 2. */
    int go = 1;
    MPI_Isend(&go, 1, MPI_INT, left, 0, ctl, &g);
    MPI_Recv(&go, 1, MPI_INT, right, 0, ctl, MPI_STATUS_IGNORE);
    MPI_Isend(m2, n, MPI_BYTE, right, 2, MPI_COMM_WORLD, &s2);

    TM_CHECK_RC(MPI_Wait(&rq, &st), "Wait(wildcard receive)");
    TM_CHECK(st.MPI_SOURCE == left && st.MPI_TAG == 2, "wildcard receive got source %d tag %d",
             st.MPI_SOURCE, st.MPI_TAG);
    TM_CHECK_BUF(r2, (size_t)n, (unsigned)left + 2, "message 2 (%d bytes)", n);
    TM_CHECK_RC(MPI_Mrecv(r1, n, MPI_BYTE, &msg, &st), "Mrecv(message 1)");
    TM_CHECK(st.MPI_TAG == 1, "Mrecv got tag %d", st.MPI_TAG);
    TM_CHECK_BUF(r1, (size_t)n, (unsigned)left + 1, "message 1 (%d bytes)", n);
    MPI_Wait(&s1, MPI_STATUS_IGNORE);
    MPI_Wait(&s2, MPI_STATUS_IGNORE);
    MPI_Wait(&g, MPI_STATUS_IGNORE);
    free(m1);
    free(m2);
    free(r1);
    free(r2);
}

/* Every other rank sends NM messages of mixed sizes to rank 0, which takes them in
 * whatever order with wildcard matched probes, sizing each buffer from the status. */
#define NM 24
static void many_senders(void)
{
    static const int sizes[] = {0, 3, 100, 4096, 17000, BIG};
    enum { NS = sizeof sizes / sizeof sizes[0] };
    if (tm_rank != 0) {
        unsigned char *buf = tm_malloc((size_t)BIG * NM);
        MPI_Request r[NM];
        for (int i = 0; i < NM; i++) {
            int n = sizes[(i + tm_rank) % NS];
            tm_fill(buf + (size_t)i * BIG, (size_t)n, (unsigned)(tm_rank * 1000 + i));
            MPI_Isend(buf + (size_t)i * BIG, n, MPI_BYTE, 0, i, MPI_COMM_WORLD, &r[i]);
        }
        MPI_Waitall(NM, r, MPI_STATUSES_IGNORE);
        free(buf);
        return;
    }
    int *next = calloc((size_t)tm_size, sizeof(int));
    for (int k = 0; k < (tm_size - 1) * NM; k++) {
        MPI_Message m;
        MPI_Status st;
        int count = -1;
        TM_CHECK_RC(MPI_Mprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &m, &st), "Mprobe");
        MPI_Get_count(&st, MPI_BYTE, &count);
        int src = st.MPI_SOURCE, i = st.MPI_TAG;
        TM_CHECK(src > 0 && src < tm_size && i == next[src],
                 "from %d got tag %d, expected %d (order)", src, i, src > 0 ? next[src] : -1);
        if (src > 0 && src < tm_size)
            next[src] = i + 1;
        int want = sizes[(i + src) % NS];
        TM_CHECK(count == want, "from %d tag %d: count %d, expected %d", src, i, count, want);
        unsigned char *buf = tm_malloc((size_t)count);
        TM_CHECK_RC(MPI_Mrecv(buf, count, MPI_BYTE, &m, &st), "Mrecv");
        TM_CHECK_BUF(buf, (size_t)count, (unsigned)(src * 1000 + i), "from %d tag %d", src, i);
        free(buf);
    }
    free(next);
}

static void truncation_and_isolation(void)
{
    static const int sizes[] = {100, BIG};
    for (int k = 0; k < 2; k++) {
        int n = sizes[k];
        unsigned char *s = tm_malloc((size_t)n), *r = tm_malloc((size_t)n);
        tm_fill(s, (size_t)n, (unsigned)tm_rank + 3);
        MPI_Request sr;
        MPI_Isend(s, n, MPI_BYTE, right, 4, MPI_COMM_WORLD, &sr);
        MPI_Message m;
        MPI_Status st;
        MPI_Mprobe(left, 4, MPI_COMM_WORLD, &m, &st);
        TM_CHECK_CLASS(MPI_Mrecv(r, n / 2, MPI_BYTE, &m, &st), MPI_ERR_TRUNCATE,
                       "Mrecv into half the space");
        TM_CHECK(m == MPI_MESSAGE_NULL, "truncated Mrecv did not consume the message");
        TM_CHECK_BUF(r, (size_t)n / 2, (unsigned)left + 3, "truncated Mrecv of %d bytes", n);
        TM_CHECK_RC(MPI_Wait(&sr, MPI_STATUS_IGNORE), "send of a truncated message");
        free(s);
        free(r);
    }
    /* A message on a duplicate communicator is invisible to probes on the original. */
    MPI_Comm dup;
    MPI_Comm_dup(MPI_COMM_WORLD, &dup);
    int v = tm_rank, got = -1, flag = 1;
    MPI_Request sr;
    MPI_Isend(&v, 1, MPI_INT, right, 5, dup, &sr);
    MPI_Message m = MPI_MESSAGE_NULL, other = MPI_MESSAGE_NULL;
    MPI_Status st;
    TM_CHECK_RC(MPI_Mprobe(left, 5, dup, &m, &st), "Mprobe on the duplicate");
    MPI_Improbe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &other, &st);
    TM_CHECK(!flag, "Improbe on MPI_COMM_WORLD saw a message of its duplicate");
    flag = 1;
    MPI_Improbe(MPI_ANY_SOURCE, MPI_ANY_TAG, dup, &flag, &other, &st);
    TM_CHECK(!flag, "Improbe found the message already taken by Mprobe");
    TM_CHECK_RC(MPI_Mrecv(&got, 1, MPI_INT, &m, &st), "Mrecv on the duplicate");
    TM_CHECK(got == left, "duplicate: got %d, expected %d", got, left);
    MPI_Wait(&sr, MPI_STATUS_IGNORE);
    MPI_Comm_free(&dup);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    /* Errors with no communicator (MPI_MESSAGE_NULL) are raised on MPI_COMM_SELF. */
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    right = (tm_rank + 1) % tm_size;
    left = (tm_rank + tm_size - 1) % tm_size;
    MPI_Comm_dup(MPI_COMM_WORLD, &ctl);

    /* Phases use wildcards: barriers keep one phase's messages out of the next. */
    proc_null_and_errors();
    all_sizes();
    tm_barrier();
    no_stealing(7);
    tm_barrier();
    no_stealing(BIG);
    tm_barrier();
    no_stealing(0);
    tm_barrier();
    many_senders();
    tm_barrier();
    truncation_and_isolation();

    MPI_Comm_free(&ctl);
    return tm_finish();
}
