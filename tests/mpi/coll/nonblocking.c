/* nonblocking.c: nonblocking collectives in flight together and with point-to-point.
 *  - many different collectives started on one communicator, completed in reverse order;
 *  - wildcard point-to-point receives never match collective traffic;
 *  - two communicators whose collectives ranks start in opposite orders;
 *  - progress: a rank blocked in MPI_Recv still forwards a pending MPI_Ibcast that the
 *    sender of that message waits for (a chain through all ranks);
 *  - Test polling, Waitany/Waitsome/Testall, MPI_Request_free of a running collective
 *    (also right before MPI_Finalize, which must finish it).
 */
#include "coll_common.h"

static MPI_Comm comm;
static int p, me;

static void test_many_in_flight(int n)
{
    enum { K = 8 };
    MPI_Request req[K];
    int *b = tm_malloc((size_t)n * sizeof(int)), *s = tm_malloc((size_t)n * sizeof(int));
    int *r = tm_malloc((size_t)n * sizeof(int)), *g = tm_malloc((size_t)n * p * sizeof(int));
    int *a2 = tm_malloc((size_t)n * p * sizeof(int)), *a2r = tm_malloc((size_t)n * p * sizeof(int));
    int *sc = tm_malloc((size_t)n * sizeof(int)), *ex = tm_malloc((size_t)n * sizeof(int));
    tc_aff *fs = tm_malloc((size_t)n * sizeof(tc_aff)), *fr = tm_malloc((size_t)n * sizeof(tc_aff));
    for (long i = 0; i < n; i++) {
        b[i] = me == p - 1 ? tc_val(p - 1, i) : -1;
        s[i] = tc_val(me, i);
        fs[i] = tc_aff_val(me, i);
        ex[i] = -1;
    }
    for (long i = 0; i < (long)n * p; i++)
        a2[i] = tc_val(me * 64 + (int)(i / (n ? n : 1)), i % (n ? n : 1));
    int k = 0;
    TM_CHECK_RC(MPI_Ibcast(b, n, MPI_INT, p - 1, comm, &req[k++]), "Ibcast");
    TM_CHECK_RC(MPI_Iallreduce(s, r, n, MPI_INT, MPI_SUM, comm, &req[k++]), "Iallreduce");
    TM_CHECK_RC(MPI_Iallgather(s, n, MPI_INT, g, n, MPI_INT, comm, &req[k++]), "Iallgather");
    TM_CHECK_RC(MPI_Ialltoall(a2, n, MPI_INT, a2r, n, MPI_INT, comm, &req[k++]), "Ialltoall");
    TM_CHECK_RC(MPI_Iscan(s, sc, n, MPI_INT, MPI_SUM, comm, &req[k++]), "Iscan");
    TM_CHECK_RC(MPI_Iexscan(s, ex, n, MPI_INT, MPI_SUM, comm, &req[k++]), "Iexscan");
    TM_CHECK_RC(MPI_Iallreduce(fs, fr, n, tc_aff_type, tc_aff_op, comm, &req[k++]),
                "Iallreduce affine");
    TM_CHECK_RC(MPI_Ibarrier(comm, &req[k++]), "Ibarrier");
    for (int i = K - 1; i >= 0; i--)   /* reverse order */
        TM_CHECK_RC(MPI_Wait(&req[i], MPI_STATUS_IGNORE), "MPI_Wait");
    TC_CHECK_INTS(b, n, tc_val(p - 1, i), "Ibcast n=%d", n);
    TC_CHECK_INTS(r, n, tc_sum_range(0, p - 1, i), "Iallreduce n=%d", n);
    TC_CHECK_INTS(g, (long)n * p, tc_val((int)(i / n), i % n), "Iallgather n=%d", n);
    TC_CHECK_INTS(a2r, (long)n * p, tc_val((int)(i / n) * 64 + me, i % n), "Ialltoall n=%d", n);
    TC_CHECK_INTS(sc, n, tc_sum_range(0, me, i), "Iscan n=%d", n);
    if (me > 0)
        TC_CHECK_INTS(ex, n, tc_sum_range(0, me - 1, i), "Iexscan n=%d", n);
    TC_CHECK_AFF(fr, n, tc_aff_range(0, p - 1, i), "Iallreduce affine n=%d", n);
    free(b); free(s); free(r); free(g); free(a2); free(a2r); free(sc); free(ex); free(fs);
    free(fr);
}

static void test_wildcard_pt2pt(void)
{
    int got = -1, x = me, y = 0;
    MPI_Request rr, cr;
    MPI_Status st;
    TM_CHECK_RC(MPI_Irecv(&got, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, comm, &rr), "Irecv");
    TM_CHECK_RC(MPI_Iallreduce(&x, &y, 1, MPI_INT, MPI_SUM, comm, &cr), "Iallreduce");
    TM_CHECK_RC(MPI_Barrier(comm), "Barrier");
    TM_CHECK_RC(MPI_Wait(&cr, MPI_STATUS_IGNORE), "Wait");
    int flag = 0;
    TM_CHECK_RC(MPI_Test(&rr, &flag, &st), "Test");
    TM_CHECK(!flag, "a wildcard receive matched collective traffic (got %d)", got);
    TM_CHECK_RC(MPI_Barrier(comm), "Barrier");  /* everyone has checked before anyone sends */
    int to = (me + 1) % p;
    TM_CHECK_RC(MPI_Send(&me, 1, MPI_INT, to, 5, comm), "Send");
    TM_CHECK_RC(MPI_Wait(&rr, &st), "Wait");
    TM_CHECK(got == (me - 1 + p) % p && st.MPI_TAG == 5, "wildcard receive got %d tag %d",
             got, st.MPI_TAG);
    TM_CHECK(y == p * (p - 1) / 2, "Iallreduce next to a wildcard receive: %d", y);
}

static void test_two_comms(void)
{
    MPI_Comm other;
    MPI_Comm_dup(comm, &other);
    MPI_Request req[2];
    /* even ranks start on comm first, odd ranks on other first: allowed, as each
     * communicator sees its collectives in the same order everywhere */
    MPI_Comm first, second;
    first = me % 2 ? other : comm;
    second = me % 2 ? comm : other;
    int s1 = 0, s2 = 0;
    int v1 = me % 2 ? 100 : 1, v2 = me % 2 ? 1 : 100;  /* value on comm = 1, on other = 100 */
    TM_CHECK_RC(MPI_Iallreduce(&v1, &s1, 1, MPI_INT, MPI_SUM, first, &req[0]), "Iallreduce a");
    TM_CHECK_RC(MPI_Iallreduce(&v2, &s2, 1, MPI_INT, MPI_SUM, second, &req[1]), "Iallreduce b");
    int idx, done = 0;
    while (done < 2) {
        TM_CHECK_RC(MPI_Waitany(2, req, &idx, MPI_STATUS_IGNORE), "Waitany");
        done++;
    }
    int on_comm = me % 2 ? s2 : s1, on_other = me % 2 ? s1 : s2;
    TM_CHECK(on_comm == p && on_other == 100 * p, "two communicators in opposite orders: %d, "
             "%d (expected %d, %d)", on_comm, on_other, p, 100 * p);
    MPI_Comm_free(&other);
}

/* rank r receives from r + 1, which sends only once its MPI_Ibcast is done, which may need
 * rank r to forward the data while it sits in MPI_Recv */
static void test_progress_chain(int n)
{
    int *b = tm_malloc((size_t)n * sizeof(int));
    for (long i = 0; i < n; i++)
        b[i] = me == 0 ? tc_val(0, i) : -1;
    MPI_Request req;
    TM_CHECK_RC(MPI_Ibcast(b, n, MPI_INT, 0, comm, &req), "Ibcast");
    int token = 0;
    if (me < p - 1)
        TM_CHECK_RC(MPI_Recv(&token, 1, MPI_INT, me + 1, 9, comm, MPI_STATUS_IGNORE), "Recv");
    TM_CHECK_RC(MPI_Wait(&req, MPI_STATUS_IGNORE), "Wait");
    if (me > 0)
        TM_CHECK_RC(MPI_Send(&me, 1, MPI_INT, me - 1, 9, comm), "Send");
    TC_CHECK_INTS(b, n, tc_val(0, i), "Ibcast with the receiver blocked elsewhere n=%d", n);
    free(b);
}

static void test_polling(void)
{
    MPI_Request req[3];
    int x = me, s = 0, m = 0, flag = 0, outcount, idx[3];
    TM_CHECK_RC(MPI_Ibarrier(comm, &req[0]), "Ibarrier");
    TM_CHECK_RC(MPI_Iallreduce(&x, &s, 1, MPI_INT, MPI_SUM, comm, &req[1]), "Iallreduce");
    TM_CHECK_RC(MPI_Iallreduce(&x, &m, 1, MPI_INT, MPI_MAX, comm, &req[2]), "Iallreduce");
    long spins = 0;
    while (!flag) {
        TM_CHECK_RC(MPI_Testall(3, req, &flag, MPI_STATUSES_IGNORE), "Testall");
        spins++;
    }
    TM_CHECK(s == p * (p - 1) / 2 && m == p - 1, "Testall: sum %d max %d", s, m);
    TM_CHECK(req[0] == MPI_REQUEST_NULL, "Testall did not free completed requests");
    TM_CHECK_RC(MPI_Ibarrier(comm, &req[0]), "Ibarrier");
    TM_CHECK_RC(MPI_Iallreduce(&x, &s, 1, MPI_INT, MPI_SUM, comm, &req[1]), "Iallreduce");
    int total = 0;
    while (total < 2) {
        TM_CHECK_RC(MPI_Waitsome(2, req, &outcount, idx, MPI_STATUSES_IGNORE), "Waitsome");
        total += outcount;
    }
    /* Request_free on a running collective: it still completes; later calls still work */
    TM_CHECK_RC(MPI_Ibarrier(comm, &req[0]), "Ibarrier");
    TM_CHECK_RC(MPI_Request_free(&req[0]), "Request_free");
    TM_CHECK_RC(MPI_Allreduce(&x, &s, 1, MPI_INT, MPI_SUM, comm), "Allreduce");
    TM_CHECK(s == p * (p - 1) / 2, "Allreduce after a freed Ibarrier: %d", s);
    /* status of a completed collective: empty, no error */
    MPI_Status st;
    TM_CHECK_RC(MPI_Ibarrier(comm, &req[0]), "Ibarrier");
    TM_CHECK_RC(MPI_Wait(&req[0], &st), "Wait");
    TM_CHECK(st.MPI_SOURCE == MPI_ANY_SOURCE && st.MPI_TAG == MPI_ANY_TAG,
             "collective status: source %d tag %d", st.MPI_SOURCE, st.MPI_TAG);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    tc_setup();
    MPI_Comm_dup(MPI_COMM_WORLD, &comm);
    MPI_Comm_size(comm, &p);
    MPI_Comm_rank(comm, &me);
    for (int c = 0; c < TC_NCOUNTS; c++)
        test_many_in_flight(tc_counts[c] > 1000 ? tc_counts[c] / 8 : tc_counts[c]);
    test_wildcard_pt2pt();
    test_two_comms();
    for (int c = 0; c < TC_NCOUNTS; c++)
        test_progress_chain(tc_counts[c]);
    test_polling();
    /* rank 0 frees a running allreduce and goes on to MPI_Finalize: the others still need
     * its part, which MPI_Finalize must finish */
    int x = me, y = -1;
    MPI_Request fr;
    TM_CHECK_RC(MPI_Iallreduce(&x, &y, 1, MPI_INT, MPI_SUM, comm, &fr), "Iallreduce");
    if (me == 0) {
        TM_CHECK_RC(MPI_Request_free(&fr), "Request_free");
    } else {
        TM_CHECK_RC(MPI_Wait(&fr, MPI_STATUS_IGNORE), "Wait");
        TM_CHECK(y == p * (p - 1) / 2, "allreduce freed on rank 0: %d", y);
    }
    MPI_Comm_free(&comm);
    tc_teardown();
    return tm_finish();
}
