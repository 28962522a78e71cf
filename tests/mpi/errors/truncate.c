/* errors/truncate: a message longer than the receive buffer gives MPI_ERR_TRUNCATE (with
 * MPI_ERRORS_RETURN) for small (eager) and large (rendezvous) messages, through MPI_Recv,
 * MPI_Irecv + MPI_Wait, and MPI_Waitall/MPI_Waitsome, which report MPI_ERR_IN_STATUS with
 * each status's MPI_ERROR set (MPI_SUCCESS for the good ones). Memory past the receive
 * buffer is never written, the sender's call succeeds, and the next messages between the
 * same pair arrive intact (the protocol state survives the error). Ranks pair up (0-1,
 * 2-3, ...); an odd rank out runs the same cases with itself. */
#include "../common.h"

#define GUARD 4096
#define GUARD_BYTE 0xA5

static void check_guard(const unsigned char *g, const char *what)
{
    for (int i = 0; i < GUARD; i++) {
        if (g[i] != GUARD_BYTE) {
            tm_fail(__FILE__, __LINE__, "%s: byte %d past the receive buffer was overwritten",
                    what, i);
            return;
        }
    }
}

static void expect_truncate(int rc, const char *what)
{
    TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == MPI_ERR_TRUNCATE,
             "%s: returned %d (class %d), expected MPI_ERR_TRUNCATE", what, rc, tm_errclass(rc));
}

/* One sender -> receiver exchange of `n` ints, truncated to `short_n` ints; sender and
 * receiver may be the same rank. */
static void run_cases(int sender, int receiver, int n, int short_n, const char *label)
{
    int me = tm_rank;
    size_t bytes = (size_t)n * sizeof(int);
    unsigned char *sbuf = tm_malloc(bytes * 3);
    unsigned char *rbuf = tm_malloc(bytes + GUARD);
    size_t short_bytes = (size_t)short_n * sizeof(int);
    MPI_Request sreq[3] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL, MPI_REQUEST_NULL};
    char what[128];
    unsigned seed = (unsigned)(sender * 10 + receiver);

    /* Case 1: blocking MPI_Recv into a short buffer, then an intact full-size message. */
    if (me == sender) {
        tm_fill(sbuf, bytes, seed);
        tm_fill(sbuf + bytes, bytes, seed + 1);
        TM_CHECK_RC(MPI_Isend(sbuf, n, MPI_INT, receiver, 1, MPI_COMM_WORLD, &sreq[0]), "Isend");
        TM_CHECK_RC(MPI_Isend(sbuf + bytes, n, MPI_INT, receiver, 1, MPI_COMM_WORLD, &sreq[1]),
                    "Isend");
    }
    if (me == receiver) {
        MPI_Status st;
        memset(rbuf, GUARD_BYTE, bytes + GUARD);
        snprintf(what, sizeof what, "%s: Recv of %d ints into %d", label, n, short_n);
        expect_truncate(MPI_Recv(rbuf, short_n, MPI_INT, sender, 1, MPI_COMM_WORLD, &st), what);
        check_guard(rbuf + short_bytes, what);
        memset(rbuf, 0, bytes);
        snprintf(what, sizeof what, "%s: message after a truncated one", label);
        TM_CHECK_RC(MPI_Recv(rbuf, n, MPI_INT, sender, 1, MPI_COMM_WORLD, &st), what);
        TM_CHECK_BUF(rbuf, bytes, seed + 1, "%s", what);
    }
    if (me == sender) {
        snprintf(what, sizeof what, "%s: sender's Waitall (case 1)", label);
        TM_CHECK_RC(MPI_Waitall(2, sreq, MPI_STATUSES_IGNORE), what);
    }

    /* Case 2: MPI_Irecv + MPI_Wait into a short buffer. */
    if (me == sender) {
        TM_CHECK_RC(MPI_Isend(sbuf, n, MPI_INT, receiver, 2, MPI_COMM_WORLD, &sreq[0]), "Isend");
    }
    if (me == receiver) {
        MPI_Request r = MPI_REQUEST_NULL;
        memset(rbuf, GUARD_BYTE, bytes + GUARD);
        snprintf(what, sizeof what, "%s: Irecv+Wait of %d ints into %d", label, n, short_n);
        TM_CHECK_RC(MPI_Irecv(rbuf, short_n, MPI_INT, sender, 2, MPI_COMM_WORLD, &r), "Irecv");
        expect_truncate(MPI_Wait(&r, MPI_STATUS_IGNORE), what);
        check_guard(rbuf + short_bytes, what);
    }
    if (me == sender) {
        snprintf(what, sizeof what, "%s: sender's Wait (case 2)", label);
        TM_CHECK_RC(MPI_Wait(&sreq[0], MPI_STATUS_IGNORE), what);
    }

    /* Case 3: MPI_Waitall over a good receive, a truncated one and a good one. */
    if (me == sender) {
        tm_fill(sbuf + 2 * bytes, bytes, seed + 2);
        MPI_Isend(sbuf, n, MPI_INT, receiver, 3, MPI_COMM_WORLD, &sreq[0]);
        MPI_Isend(sbuf + bytes, n, MPI_INT, receiver, 4, MPI_COMM_WORLD, &sreq[1]);
        MPI_Isend(sbuf + 2 * bytes, n, MPI_INT, receiver, 5, MPI_COMM_WORLD, &sreq[2]);
    }
    if (me == receiver) {
        unsigned char *a = tm_malloc(bytes), *c = tm_malloc(bytes);
        MPI_Request r[3];
        MPI_Status st[3];
        for (int i = 0; i < 3; i++) {
            st[i].MPI_ERROR = -1;
        }
        memset(rbuf, GUARD_BYTE, bytes + GUARD);
        MPI_Irecv(a, n, MPI_INT, sender, 3, MPI_COMM_WORLD, &r[0]);
        MPI_Irecv(rbuf, short_n, MPI_INT, sender, 4, MPI_COMM_WORLD, &r[1]);
        MPI_Irecv(c, n, MPI_INT, sender, 5, MPI_COMM_WORLD, &r[2]);
        snprintf(what, sizeof what, "%s: Waitall with one truncated receive", label);
        int rc = MPI_Waitall(3, r, st);
        TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == MPI_ERR_IN_STATUS,
                 "%s: returned %d (class %d), expected MPI_ERR_IN_STATUS", what, rc,
                 tm_errclass(rc));
        /* The standard lets MPI_Waitall return once an error is known: requests that had
         * not completed yet report MPI_ERR_PENDING and stay active. */
        for (int i = 0; i < 3; i += 2) {
            if (st[i].MPI_ERROR == MPI_ERR_PENDING) {
                TM_CHECK(r[i] != MPI_REQUEST_NULL, "%s: pending request %d was freed", what, i);
                TM_CHECK_RC(MPI_Wait(&r[i], &st[i]), "Wait on a request Waitall left pending");
            } else {
                TM_CHECK(st[i].MPI_ERROR == MPI_SUCCESS, "%s: good receive %d has MPI_ERROR %d",
                         what, i, st[i].MPI_ERROR);
                TM_CHECK(r[i] == MPI_REQUEST_NULL, "%s: completed request %d not freed", what, i);
            }
        }
        TM_CHECK(r[1] == MPI_REQUEST_NULL, "%s: the truncated request was not freed", what);
        TM_CHECK(tm_errclass(st[1].MPI_ERROR) == MPI_ERR_TRUNCATE,
                 "%s: truncated receive's MPI_ERROR is %d (class %d)", what, st[1].MPI_ERROR,
                 tm_errclass(st[1].MPI_ERROR));
        TM_CHECK(st[0].MPI_SOURCE == sender && st[0].MPI_TAG == 3 && st[2].MPI_SOURCE == sender &&
                     st[2].MPI_TAG == 5,
                 "%s: statuses source %d tag %d / source %d tag %d", what, st[0].MPI_SOURCE,
                 st[0].MPI_TAG, st[2].MPI_SOURCE, st[2].MPI_TAG);
        TM_CHECK_BUF(a, bytes, seed, "%s: first message", what);
        TM_CHECK_BUF(c, bytes, seed + 2, "%s: third message", what);
        check_guard(rbuf + short_bytes, what);
        free(a);
        free(c);
    }
    if (me == sender) {
        snprintf(what, sizeof what, "%s: sender's Waitall (case 3)", label);
        TM_CHECK_RC(MPI_Waitall(3, sreq, MPI_STATUSES_IGNORE), what);
    }

    /* Case 4: MPI_Waitsome reports MPI_ERR_IN_STATUS too; Probe first sees the full size. */
    if (me == sender) {
        MPI_Isend(sbuf, n, MPI_INT, receiver, 6, MPI_COMM_WORLD, &sreq[0]);
    }
    if (me == receiver) {
        MPI_Status st;
        int count = -1;
        MPI_Probe(sender, 6, MPI_COMM_WORLD, &st);
        MPI_Get_count(&st, MPI_INT, &count);
        TM_CHECK(count == n, "%s: Probe count %d, expected %d", label, count, n);
        MPI_Request r = MPI_REQUEST_NULL;
        int outcount = -1, idx = -1;
        st.MPI_ERROR = -1;
        memset(rbuf, GUARD_BYTE, bytes + GUARD);
        MPI_Irecv(rbuf, short_n, MPI_INT, sender, 6, MPI_COMM_WORLD, &r);
        snprintf(what, sizeof what, "%s: Waitsome with a truncated receive", label);
        int rc = MPI_Waitsome(1, &r, &outcount, &idx, &st);
        TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == MPI_ERR_IN_STATUS,
                 "%s: returned %d (class %d), expected MPI_ERR_IN_STATUS", what, rc,
                 tm_errclass(rc));
        TM_CHECK(outcount == 1 && idx == 0, "%s: outcount %d index %d", what, outcount, idx);
        TM_CHECK(tm_errclass(st.MPI_ERROR) == MPI_ERR_TRUNCATE, "%s: MPI_ERROR %d", what,
                 st.MPI_ERROR);
        check_guard(rbuf + short_bytes, what);
    }
    if (me == sender) {
        MPI_Wait(&sreq[0], MPI_STATUS_IGNORE);
    }

    /* Finally the pair still talks: a full-size message is intact. */
    if (me == sender) {
        MPI_Isend(sbuf + bytes, n, MPI_INT, receiver, 7, MPI_COMM_WORLD, &sreq[0]);
    }
    if (me == receiver) {
        memset(rbuf, 0, bytes);
        MPI_Recv(rbuf, n, MPI_INT, sender, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        TM_CHECK_BUF(rbuf, bytes, seed + 1, "%s: message after all truncations", label);
    }
    if (me == sender) {
        MPI_Wait(&sreq[0], MPI_STATUS_IGNORE);
    }
    free(sbuf);
    free(rbuf);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);

    int partner = tm_rank ^ 1;
    if (partner >= tm_size) {
        partner = tm_rank;
    }
    int lo = tm_rank < partner ? tm_rank : partner, hi = tm_rank < partner ? partner : tm_rank;
    static const struct {
        int n, short_n;
        const char *label;
    } cases[] = {
        {16, 8, "small"},
        {1, 0, "one int into zero"},
        {262144, 131072, "1 MiB"},
        {262144, 262143, "1 MiB, one int short"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_cases(lo, hi, cases[i].n, cases[i].short_n, cases[i].label);
        run_cases(hi, lo, cases[i].n, cases[i].short_n, cases[i].label);
    }
    return tm_finish();
}
