/* pt2pt/completion: MPI_Wait/Test, MPI_Waitany/Testany, MPI_Waitall/Testall and
 * MPI_Waitsome/Testsome over arrays that mix real requests with MPI_REQUEST_NULL; arrays of
 * only null requests (and empty arrays) give MPI_UNDEFINED index/outcount and complete at
 * once; a receive whose message has not been sent yet does not test complete. The peer
 * sends only after a "go" message, so "not yet complete" is certain, not timing. */
#include "../common.h"

#define K 8           /* real requests per array */
#define N (2 * K + 1) /* with null requests at even positions */
#define TAG_GO 900

static int right, left;

static void expect_empty(const MPI_Status *st, const char *what)
{
    int count = -1;
    MPI_Get_count(st, MPI_INT, &count);
    TM_CHECK(st->MPI_SOURCE == MPI_ANY_SOURCE && st->MPI_TAG == MPI_ANY_TAG && count == 0,
             "%s: status not empty (source %d tag %d count %d)", what, st->MPI_SOURCE,
             st->MPI_TAG, count);
}

/* Posts K receives from `left` into the odd slots of reqs (tags base..base+K-1). */
static void post(MPI_Request *reqs, int *in, int base)
{
    for (int i = 0; i < N; i++) {
        reqs[i] = MPI_REQUEST_NULL;
    }
    for (int j = 0; j < K; j++) {
        in[j] = -1;
        MPI_Irecv(&in[j], 1, MPI_INT, left, base + j, MPI_COMM_WORLD, &reqs[2 * j + 1]);
    }
}

/* Tells the left neighbour to send, then sends our K messages to the right (reverse tag
 * order) once the right neighbour said go. */
static void go_and_send(int base, MPI_Request *sreq, int *out)
{
    int dummy = 0;
    MPI_Request h;
    MPI_Isend(&dummy, 0, MPI_INT, left, TAG_GO, MPI_COMM_WORLD, &h);
    MPI_Recv(&dummy, 0, MPI_INT, right, TAG_GO, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    for (int j = K - 1; j >= 0; j--) {
        out[j] = tm_rank * 1000 + base + j;
        MPI_Isend(&out[j], 1, MPI_INT, right, base + j, MPI_COMM_WORLD, &sreq[j]);
    }
    MPI_Wait(&h, MPI_STATUS_IGNORE);
}

static void check_value(int j, int got, int base, const char *what)
{
    TM_CHECK(got == left * 1000 + base + j, "%s: slot %d got %d, expected %d", what, j, got,
             left * 1000 + base + j);
}

static void all_null_cases(void)
{
    MPI_Request nulls[3] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL, MPI_REQUEST_NULL};
    MPI_Status st, sts[3];
    int idx = 0, flag = 0, outcount = 0, indices[3];

    TM_CHECK_RC(MPI_Waitany(3, nulls, &idx, &st), "Waitany(all null)");
    TM_CHECK(idx == MPI_UNDEFINED, "Waitany(all null) index %d", idx);
    expect_empty(&st, "Waitany(all null)");
    idx = 0;
    TM_CHECK_RC(MPI_Testany(3, nulls, &idx, &flag, &st), "Testany(all null)");
    TM_CHECK(flag && idx == MPI_UNDEFINED, "Testany(all null) flag %d index %d", flag, idx);
    expect_empty(&st, "Testany(all null)");
    TM_CHECK_RC(MPI_Waitall(3, nulls, sts), "Waitall(all null)");
    for (int i = 0; i < 3; i++) {
        expect_empty(&sts[i], "Waitall(all null)");
    }
    flag = 0;
    TM_CHECK_RC(MPI_Testall(3, nulls, &flag, sts), "Testall(all null)");
    TM_CHECK(flag, "Testall(all null) flag %d", flag);
    TM_CHECK_RC(MPI_Waitsome(3, nulls, &outcount, indices, sts), "Waitsome(all null)");
    TM_CHECK(outcount == MPI_UNDEFINED, "Waitsome(all null) outcount %d", outcount);
    outcount = 0;
    TM_CHECK_RC(MPI_Testsome(3, nulls, &outcount, indices, sts), "Testsome(all null)");
    TM_CHECK(outcount == MPI_UNDEFINED, "Testsome(all null) outcount %d", outcount);

    /* Empty arrays. */
    idx = 0;
    TM_CHECK_RC(MPI_Waitany(0, nulls, &idx, &st), "Waitany(0)");
    TM_CHECK(idx == MPI_UNDEFINED, "Waitany(count 0) index %d", idx);
    flag = 0;
    idx = 0;
    TM_CHECK_RC(MPI_Testany(0, nulls, &idx, &flag, &st), "Testany(0)");
    TM_CHECK(flag && idx == MPI_UNDEFINED, "Testany(count 0) flag %d index %d", flag, idx);
    TM_CHECK_RC(MPI_Waitall(0, nulls, sts), "Waitall(0)");
    flag = 0;
    TM_CHECK_RC(MPI_Testall(0, nulls, &flag, sts), "Testall(0)");
    TM_CHECK(flag, "Testall(count 0) flag %d", flag);
    outcount = 0;
    TM_CHECK_RC(MPI_Waitsome(0, nulls, &outcount, indices, sts), "Waitsome(0)");
    TM_CHECK(outcount == MPI_UNDEFINED, "Waitsome(count 0) outcount %d", outcount);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    right = (tm_rank + 1) % tm_size;
    left = (tm_rank + tm_size - 1) % tm_size;
    MPI_Request reqs[N], sreq[K];
    MPI_Status st, sts[N];
    int in[K], out[K], flag, idx, outcount, indices[N];

    all_null_cases();

    /* Wait / Test on one request; Test is false until the peer was told to send. */
    {
        int v = -1, o = tm_rank;
        MPI_Request r, s;
        MPI_Irecv(&v, 1, MPI_INT, left, 1, MPI_COMM_WORLD, &r);
        flag = 1;
        TM_CHECK_RC(MPI_Test(&r, &flag, &st), "MPI_Test");
        TM_CHECK(!flag && r != MPI_REQUEST_NULL, "Test completed a receive whose message was not "
                                                 "sent yet");
        int dummy = 0;
        MPI_Request h;
        MPI_Isend(&dummy, 0, MPI_INT, left, TAG_GO, MPI_COMM_WORLD, &h);
        MPI_Recv(&dummy, 0, MPI_INT, right, TAG_GO, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Isend(&o, 1, MPI_INT, right, 1, MPI_COMM_WORLD, &s);
        flag = 0;
        double t0 = MPI_Wtime();
        while (!flag && MPI_Wtime() - t0 < 30.0) {
            MPI_Test(&r, &flag, &st);
        }
        TM_CHECK(flag && r == MPI_REQUEST_NULL && v == left && st.MPI_SOURCE == left &&
                     st.MPI_TAG == 1,
                 "Test loop: flag %d value %d source %d", flag, v, st.MPI_SOURCE);
        TM_CHECK_RC(MPI_Wait(&s, &st), "MPI_Wait (send)");
        TM_CHECK(s == MPI_REQUEST_NULL, "Wait did not free the send request");
        MPI_Wait(&h, MPI_STATUS_IGNORE);
    }

    /* Waitany */
    post(reqs, in, 100);
    idx = -5;
    flag = 1;
    MPI_Testany(N, reqs, &idx, &flag, &st);
    TM_CHECK(!flag, "Testany completed (index %d) before anything was sent", idx);
    go_and_send(100, sreq, out);
    {
        int done[K] = {0};
        for (int c = 0; c < K; c++) {
            idx = -5;
            TM_CHECK_RC(MPI_Waitany(N, reqs, &idx, &st), "MPI_Waitany");
            TM_CHECK(idx >= 0 && idx < N && idx % 2 == 1, "Waitany index %d", idx);
            if (idx >= 0 && idx < N && idx % 2 == 1) {
                int j = idx / 2;
                TM_CHECK(!done[j], "Waitany returned index %d twice", idx);
                done[j] = 1;
                TM_CHECK(reqs[idx] == MPI_REQUEST_NULL, "Waitany did not free request %d", idx);
                TM_CHECK(st.MPI_TAG == 100 + j && st.MPI_SOURCE == left,
                         "Waitany index %d: tag %d source %d", idx, st.MPI_TAG, st.MPI_SOURCE);
                check_value(j, in[j], 100, "Waitany");
            }
        }
        MPI_Waitany(N, reqs, &idx, &st);
        TM_CHECK(idx == MPI_UNDEFINED, "Waitany after all completed: index %d", idx);
    }
    MPI_Waitall(K, sreq, MPI_STATUSES_IGNORE);

    /* Testany */
    post(reqs, in, 200);
    go_and_send(200, sreq, out);
    {
        int got = 0;
        double t0 = MPI_Wtime();
        while (got < K && MPI_Wtime() - t0 < 30.0) {
            flag = 0;
            idx = -5;
            TM_CHECK_RC(MPI_Testany(N, reqs, &idx, &flag, &st), "MPI_Testany");
            if (flag) {
                TM_CHECK(idx >= 0 && idx % 2 == 1 && idx < N, "Testany index %d", idx);
                if (idx < 0 || idx % 2 != 1 || idx >= N) {
                    break;
                }
                check_value(idx / 2, in[idx / 2], 200, "Testany");
                TM_CHECK(st.MPI_TAG == 200 + idx / 2, "Testany status tag %d", st.MPI_TAG);
                got++;
            } else {
                TM_CHECK(idx == MPI_UNDEFINED, "Testany with flag false: index %d", idx);
            }
        }
        TM_CHECK(got == K, "Testany completed %d of %d", got, K);
        flag = 0;
        MPI_Testany(N, reqs, &idx, &flag, &st);
        TM_CHECK(flag && idx == MPI_UNDEFINED, "Testany after all: flag %d index %d", flag, idx);
    }
    MPI_Waitall(K, sreq, MPI_STATUSES_IGNORE);

    /* Waitall: statuses of null entries are empty */
    post(reqs, in, 300);
    flag = 1;
    MPI_Testall(N, reqs, &flag, sts);
    TM_CHECK(!flag, "Testall true before anything was sent");
    go_and_send(300, sreq, out);
    TM_CHECK_RC(MPI_Waitall(N, reqs, sts), "MPI_Waitall");
    for (int i = 0; i < N; i++) {
        TM_CHECK(reqs[i] == MPI_REQUEST_NULL, "Waitall left request %d", i);
        if (i % 2 == 0) {
            expect_empty(&sts[i], "Waitall null entry");
        } else {
            TM_CHECK(sts[i].MPI_TAG == 300 + i / 2 && sts[i].MPI_SOURCE == left,
                     "Waitall entry %d: tag %d source %d", i, sts[i].MPI_TAG, sts[i].MPI_SOURCE);
            check_value(i / 2, in[i / 2], 300, "Waitall");
        }
    }
    MPI_Waitall(K, sreq, MPI_STATUSES_IGNORE);

    /* Testall */
    post(reqs, in, 400);
    go_and_send(400, sreq, out);
    {
        flag = 0;
        double t0 = MPI_Wtime();
        while (!flag && MPI_Wtime() - t0 < 30.0) {
            TM_CHECK_RC(MPI_Testall(N, reqs, &flag, sts), "MPI_Testall");
        }
        TM_CHECK(flag, "Testall never completed");
        for (int i = 1; i < N; i += 2) {
            TM_CHECK(reqs[i] == MPI_REQUEST_NULL, "Testall left request %d", i);
            TM_CHECK(sts[i].MPI_TAG == 400 + i / 2, "Testall entry %d: tag %d", i, sts[i].MPI_TAG);
            check_value(i / 2, in[i / 2], 400, "Testall");
        }
    }
    MPI_Waitall(K, sreq, MPI_STATUSES_IGNORE);

    /* Waitsome and Testsome */
    for (int use_test = 0; use_test < 2; use_test++) {
        int base = 500 + 100 * use_test;
        const char *name = use_test ? "Testsome" : "Waitsome";
        post(reqs, in, base);
        if (use_test) {
            outcount = -5;
            MPI_Testsome(N, reqs, &outcount, indices, sts);
            TM_CHECK(outcount == 0, "Testsome before anything was sent: outcount %d", outcount);
        }
        go_and_send(base, sreq, out);
        int done[K] = {0}, got = 0;
        double t0 = MPI_Wtime();
        while (got < K && MPI_Wtime() - t0 < 30.0) {
            outcount = -5;
            int rc = use_test ? MPI_Testsome(N, reqs, &outcount, indices, sts)
                              : MPI_Waitsome(N, reqs, &outcount, indices, sts);
            TM_CHECK_RC(rc, name);
            TM_CHECK(outcount >= (use_test ? 0 : 1) && outcount <= K - got, "%s outcount %d", name,
                     outcount);
            if (outcount < 0 || outcount > K - got) {
                break;
            }
            for (int c = 0; c < outcount; c++) {
                int i = indices[c];
                TM_CHECK(i >= 0 && i < N && i % 2 == 1 && !done[i / 2], "%s index %d", name, i);
                if (i < 0 || i >= N || i % 2 != 1 || done[i / 2]) {
                    continue;
                }
                done[i / 2] = 1;
                TM_CHECK(reqs[i] == MPI_REQUEST_NULL, "%s did not free request %d", name, i);
                TM_CHECK(sts[c].MPI_TAG == base + i / 2 && sts[c].MPI_SOURCE == left,
                         "%s status %d: tag %d source %d", name, c, sts[c].MPI_TAG,
                         sts[c].MPI_SOURCE);
                check_value(i / 2, in[i / 2], base, name);
                got++;
            }
        }
        TM_CHECK(got == K, "%s completed %d of %d", name, got, K);
        outcount = 0;
        MPI_Waitsome(N, reqs, &outcount, indices, sts);
        TM_CHECK(outcount == MPI_UNDEFINED, "%s: afterwards outcount %d", name, outcount);
        MPI_Waitall(K, sreq, MPI_STATUSES_IGNORE);
    }

    return tm_finish();
}
