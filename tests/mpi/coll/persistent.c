/* persistent.c: persistent collectives (MPI-4 MPI_*_init).
 *  - each collective initialized once and started several times with new data in between;
 *  - MPI_Startall of several persistent collectives, completed with MPI_Waitall, mixed with
 *    blocking collectives on the same communicator;
 *  - inactive requests: MPI_Wait/MPI_Test/MPI_Request_get_status return at once with an
 *    empty status, Waitany/Testany skip them; MPI_Request_free of an inactive request;
 *  - the datatype and op may be freed after the init call.
 */
#include "coll_common.h"

static MPI_Comm comm;
static int p, me;

#define ROUNDS 4

static void start_wait(MPI_Request *req, const char *what)
{
    TM_CHECK_RC(MPI_Start(req), what);
    TM_CHECK_RC(MPI_Wait(req, MPI_STATUS_IGNORE), what);
    TM_CHECK(*req != MPI_REQUEST_NULL, "%s: MPI_Wait freed a persistent request", what);
}

static void test_repeated(int n)
{
    int *s = tm_malloc((size_t)n * p * sizeof(int)), *r = tm_malloc((size_t)n * p * sizeof(int));
    int *b = tm_malloc((size_t)n * sizeof(int));
    tc_aff *fs = tm_malloc((size_t)n * sizeof(tc_aff)), *fr = tm_malloc((size_t)n * sizeof(tc_aff));
    memset(s, 0, (size_t)n * p * sizeof(int));  /* filled before every start */
    MPI_Request ar, bc, ag, aa, sc, fa, rs;
    TM_CHECK_RC(MPI_Allreduce_init(s, r, n, MPI_INT, MPI_SUM, comm, MPI_INFO_NULL, &ar),
                "MPI_Allreduce_init");
    TM_CHECK_RC(MPI_Bcast_init(b, n, MPI_INT, p / 2, comm, MPI_INFO_NULL, &bc),
                "MPI_Bcast_init");
    TM_CHECK_RC(MPI_Allgather_init(s, n, MPI_INT, r, n, MPI_INT, comm, MPI_INFO_NULL, &ag),
                "MPI_Allgather_init");
    TM_CHECK_RC(MPI_Alltoall_init(s, n, MPI_INT, r, n, MPI_INT, comm, MPI_INFO_NULL, &aa),
                "MPI_Alltoall_init");
    TM_CHECK_RC(MPI_Scan_init(s, r, n, MPI_INT, MPI_SUM, comm, MPI_INFO_NULL, &sc),
                "MPI_Scan_init");
    TM_CHECK_RC(MPI_Allreduce_init(MPI_IN_PLACE, fr, n, tc_aff_type, tc_aff_op, comm,
                                   MPI_INFO_NULL, &fa), "MPI_Allreduce_init in place");
    TM_CHECK_RC(MPI_Reduce_scatter_block_init(s, r, n, MPI_INT, MPI_SUM, comm, MPI_INFO_NULL,
                                              &rs), "MPI_Reduce_scatter_block_init");
    for (int round = 0; round < ROUNDS; round++) {
        int who = me + round * 10;   /* new data every round */
        for (long i = 0; i < (long)n * p; i++)
            s[i] = tc_val(who, i);
        start_wait(&ar, "allreduce");
        TC_CHECK_INTS(r, n, tc_sum_range(round * 10, p - 1 + round * 10, i),
                      "persistent allreduce n=%d round %d", n, round);
        for (long i = 0; i < n; i++)
            b[i] = me == p / 2 ? tc_val(who, i) : -1;
        start_wait(&bc, "bcast");
        TC_CHECK_INTS(b, n, tc_val(p / 2 + round * 10, i), "persistent bcast n=%d round %d", n,
                      round);
        start_wait(&ag, "allgather");
        TC_CHECK_INTS(r, (long)n * p, tc_val((int)(i / n) + round * 10, i % n),
                      "persistent allgather n=%d round %d", n, round);
        start_wait(&aa, "alltoall");
        TC_CHECK_INTS(r, (long)n * p, tc_val((int)(i / n) + round * 10, me * (long)n + i % n),
                      "persistent alltoall n=%d round %d", n, round);
        start_wait(&sc, "scan");
        TC_CHECK_INTS(r, n, tc_sum_range(round * 10, me + round * 10, i),
                      "persistent scan n=%d round %d", n, round);
        for (long i = 0; i < n; i++)
            fr[i] = tc_aff_val(who, i);
        start_wait(&fa, "allreduce affine");
        TC_CHECK_AFF(fr, n, tc_aff_range(round * 10, p - 1 + round * 10, i),
                     "persistent in-place affine allreduce n=%d round %d", n, round);
        start_wait(&rs, "reduce_scatter_block");
        TC_CHECK_INTS(r, n, tc_sum_range(round * 10, p - 1 + round * 10, me * (long)n + i),
                      "persistent reduce_scatter_block n=%d round %d", n, round);
    }
    MPI_Request all[] = {ar, bc, ag, aa, sc, fa, rs};
    for (int i = 0; i < 7; i++) {
        TM_CHECK_RC(MPI_Request_free(&all[i]), "MPI_Request_free");
        TM_CHECK(all[i] == MPI_REQUEST_NULL, "MPI_Request_free did not null the handle");
    }
    free(s); free(r); free(b); free(fs); free(fr);
}

static void test_startall(void)
{
    enum { K = 5 };
    MPI_Request req[K];
    int x[K], y[K], g[K][64], base = me * 3;
    for (int k = 0; k < K - 1; k++)
        TM_CHECK_RC(MPI_Allreduce_init(&x[k], &y[k], 1, MPI_INT, k % 2 ? MPI_MAX : MPI_SUM,
                                       comm, MPI_INFO_NULL, &req[k]), "MPI_Allreduce_init");
    TM_CHECK_RC(MPI_Allgather_init(&base, 1, MPI_INT, g[0], 1, MPI_INT, comm, MPI_INFO_NULL,
                                   &req[K - 1]), "MPI_Allgather_init");
    for (int round = 0; round < 3; round++) {
        for (int k = 0; k < K - 1; k++) {
            x[k] = me + k + round;
            y[k] = -1;
        }
        base = me * 3 + round;
        TM_CHECK_RC(MPI_Startall(K, req), "MPI_Startall");
        int z = 0, one = 1;   /* a blocking collective while the persistent ones run */
        TM_CHECK_RC(MPI_Allreduce(&one, &z, 1, MPI_INT, MPI_SUM, comm), "MPI_Allreduce");
        TM_CHECK(z == p, "blocking allreduce among persistent ones: %d", z);
        TM_CHECK_RC(MPI_Waitall(K, req, MPI_STATUSES_IGNORE), "MPI_Waitall");
        for (int k = 0; k < K - 1; k++) {
            int want = k % 2 ? p - 1 + k + round : p * (p - 1) / 2 + p * (k + round);
            TM_CHECK(y[k] == want, "Startall round %d request %d: %d, expected %d", round, k,
                     y[k], want);
        }
        for (int q = 0; q < p; q++)
            TM_CHECK(g[0][q] == q * 3 + round, "Startall allgather round %d: [%d] = %d", round,
                     q, g[0][q]);
    }
    /* inactive requests */
    MPI_Status st;
    int flag = 0, idx = 7;
    st.MPI_TAG = 99;
    TM_CHECK_RC(MPI_Wait(&req[0], &st), "MPI_Wait on an inactive request");
    TM_CHECK(st.MPI_TAG == MPI_ANY_TAG && st.MPI_SOURCE == MPI_ANY_SOURCE,
             "inactive request: status not empty (source %d tag %d)", st.MPI_SOURCE, st.MPI_TAG);
    TM_CHECK_RC(MPI_Test(&req[1], &flag, MPI_STATUS_IGNORE), "MPI_Test inactive");
    TM_CHECK(flag == 1 && req[1] != MPI_REQUEST_NULL, "MPI_Test on an inactive request: flag %d",
             flag);
    flag = 0;
    TM_CHECK_RC(MPI_Request_get_status(req[2], &flag, MPI_STATUS_IGNORE), "get_status");
    TM_CHECK(flag == 1, "MPI_Request_get_status on an inactive request: flag %d", flag);
    TM_CHECK_RC(MPI_Waitany(K, req, &idx, MPI_STATUS_IGNORE), "MPI_Waitany all inactive");
    TM_CHECK(idx == MPI_UNDEFINED, "MPI_Waitany over inactive requests: index %d", idx);
    TM_CHECK_RC(MPI_Testany(K, req, &idx, &flag, MPI_STATUS_IGNORE), "MPI_Testany");
    TM_CHECK(idx == MPI_UNDEFINED && flag, "MPI_Testany over inactive requests: %d %d", idx,
             flag);
    /* one started among inactive ones: Waitany finds it */
    x[3] = 1;
    TM_CHECK_RC(MPI_Start(&req[3]), "MPI_Start");
    TM_CHECK_RC(MPI_Waitany(K, req, &idx, MPI_STATUS_IGNORE), "MPI_Waitany");
    TM_CHECK(idx == 3 && y[3] == 1, "MPI_Waitany picked %d (result %d)", idx, y[3]);
    for (int k = 0; k < K; k++)
        TM_CHECK_RC(MPI_Request_free(&req[k]), "MPI_Request_free");
}

static void test_freed_args(void)
{
    MPI_Datatype two;
    MPI_Op op;
    MPI_Type_contiguous(2, MPI_INT, &two);
    MPI_Type_commit(&two);
    MPI_Op_create(tc_aff_fn, 0, &op);
    tc_aff in = tc_aff_val(me, 0), out = {0, 0};
    MPI_Request req;
    /* tc_aff is two unsigned: the contiguous(2, MPI_INT) type has the same layout */
    TM_CHECK_RC(MPI_Allreduce_init(&in, &out, 1, two, op, comm, MPI_INFO_NULL, &req),
                "MPI_Allreduce_init");
    MPI_Type_free(&two);
    MPI_Op_free(&op);
    for (int round = 0; round < 2; round++) {
        out = (tc_aff){0, 0};
        start_wait(&req, "allreduce with freed type and op");
        tc_aff want = tc_aff_range(0, p - 1, 0);
        TM_CHECK(out.a == want.a && out.b == want.b, "freed type/op: (%u,%u), expected (%u,%u)",
                 out.a, out.b, want.a, want.b);
    }
    TM_CHECK_RC(MPI_Request_free(&req), "MPI_Request_free");
    /* free a started persistent request: it completes on its own */
    int x = 1, y = 0;
    TM_CHECK_RC(MPI_Allreduce_init(&x, &y, 1, MPI_INT, MPI_SUM, comm, MPI_INFO_NULL, &req),
                "MPI_Allreduce_init");
    TM_CHECK_RC(MPI_Start(&req), "MPI_Start");
    TM_CHECK_RC(MPI_Request_free(&req), "MPI_Request_free of an active request");
    TM_CHECK_RC(MPI_Barrier(comm), "MPI_Barrier");
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    tc_setup();
    MPI_Comm_dup(MPI_COMM_WORLD, &comm);
    MPI_Comm_size(comm, &p);
    MPI_Comm_rank(comm, &me);
    for (int c = 0; c < TC_NCOUNTS; c++)
        test_repeated(tc_counts[c] > 1000 ? tc_counts[c] / 8 : tc_counts[c]);
    test_startall();
    test_freed_args();
    MPI_Comm_free(&comm);
    tc_teardown();
    return tm_finish();
}
