/* large_count.c: the MPI-4 large-count forms (MPI_X_c, MPI_Ix_c, MPI_X_init_c) of every
 * collective and MPI_Reduce_local_c, with MPI_Count counts and MPI_Count / MPI_Aint arrays
 * in the v and w forms, checked against a serial reference. (The counts are small: the
 * point is the argument handling; the engine counts in size_t throughout.)
 */
#include "coll_common.h"

enum { BLOCKING, NONBLOCKING, PERSISTENT };
static MPI_Comm comm;
static int p, me;

static void finish(int mode, MPI_Request *req, int rc, const char *what)
{
    TM_CHECK_RC(rc, what);
    if (rc != MPI_SUCCESS || mode == BLOCKING)
        return;
    if (mode == PERSISTENT)
        TM_CHECK_RC(MPI_Start(req), "MPI_Start");
    TM_CHECK_RC(MPI_Wait(req, MPI_STATUS_IGNORE), "MPI_Wait");
    if (mode == PERSISTENT)
        TM_CHECK_RC(MPI_Request_free(req), "MPI_Request_free");
}

#define CALL_C(mode, Name, IName, ...)                                                     \
    do {                                                                                   \
        MPI_Request req_ = MPI_REQUEST_NULL;                                               \
        int rc_ = mode == BLOCKING      ? MPI_##Name##_c(__VA_ARGS__)                      \
                  : mode == NONBLOCKING ? MPI_##IName##_c(__VA_ARGS__, &req_)              \
                  : MPI_##Name##_init_c(__VA_ARGS__, MPI_INFO_NULL, &req_);                \
        finish(mode, &req_, rc_, "MPI_" #Name "_c");                                       \
    } while (0)

static void run(int mode, MPI_Count n)
{
    const char *mname = mode == BLOCKING ? "blocking" : mode == NONBLOCKING ? "I" : "init";
    long np = (long)n * p;
    int *s = tm_malloc((size_t)np * sizeof(int) + 4), *r = tm_malloc((size_t)np * sizeof(int) + 4);
    MPI_Count *cnt = tm_malloc((size_t)p * sizeof *cnt);
    MPI_Aint *dsp = tm_malloc((size_t)p * sizeof *dsp), *bdsp = tm_malloc((size_t)p * sizeof *bdsp);
    MPI_Datatype *types = tm_malloc((size_t)p * sizeof *types);
    for (int k = 0; k < p; k++) {
        cnt[k] = n;
        dsp[k] = (MPI_Aint)k * n;
        bdsp[k] = dsp[k] * (MPI_Aint)sizeof(int);
        types[k] = MPI_INT;
    }
    int root = p - 1;

    for (long i = 0; i < n; i++)
        r[i] = me == root ? tc_val(root, i) : -1;
    CALL_C(mode, Bcast, Ibcast, r, n, MPI_INT, root, comm);
    TC_CHECK_INTS(r, n, tc_val(root, i), "bcast_c %s", mname);

    for (long i = 0; i < np; i++) {
        s[i] = tc_val(me, i % (n ? n : 1));
        r[i] = -1;
    }
    CALL_C(mode, Gather, Igather, s, n, MPI_INT, r, n, MPI_INT, root, comm);
    if (me == root)
        TC_CHECK_INTS(r, np, tc_val((int)(i / n), i % n), "gather_c %s", mname);
    for (long i = 0; i < np; i++)
        r[i] = -1;
    CALL_C(mode, Gatherv, Igatherv, s, n, MPI_INT, r, cnt, dsp, MPI_INT, root, comm);
    if (me == root)
        TC_CHECK_INTS(r, np, tc_val((int)(i / n), i % n), "gatherv_c %s", mname);
    CALL_C(mode, Allgather, Iallgather, s, n, MPI_INT, r, n, MPI_INT, comm);
    TC_CHECK_INTS(r, np, tc_val((int)(i / n), i % n), "allgather_c %s", mname);
    for (long i = 0; i < np; i++)
        r[i] = -1;
    CALL_C(mode, Allgatherv, Iallgatherv, s, n, MPI_INT, r, cnt, dsp, MPI_INT, comm);
    TC_CHECK_INTS(r, np, tc_val((int)(i / n), i % n), "allgatherv_c %s", mname);

    for (long i = 0; i < np; i++)
        s[i] = tc_val(me * 64 + (int)(i / n), i % n);
    CALL_C(mode, Alltoall, Ialltoall, s, n, MPI_INT, r, n, MPI_INT, comm);
    TC_CHECK_INTS(r, np, tc_val((int)(i / n) * 64 + me, i % n), "alltoall_c %s", mname);
    for (long i = 0; i < np; i++)
        r[i] = -1;
    CALL_C(mode, Alltoallv, Ialltoallv, s, cnt, dsp, MPI_INT, r, cnt, dsp, MPI_INT, comm);
    TC_CHECK_INTS(r, np, tc_val((int)(i / n) * 64 + me, i % n), "alltoallv_c %s", mname);
    for (long i = 0; i < np; i++)
        r[i] = -1;
    CALL_C(mode, Alltoallw, Ialltoallw, s, cnt, bdsp, types, r, cnt, bdsp, types, comm);
    TC_CHECK_INTS(r, np, tc_val((int)(i / n) * 64 + me, i % n), "alltoallw_c %s", mname);

    for (long i = 0; i < np; i++)
        s[i] = me == root ? tc_val((int)(i / n), i % n) : -1;
    CALL_C(mode, Scatter, Iscatter, s, n, MPI_INT, r, n, MPI_INT, root, comm);
    TC_CHECK_INTS(r, n, tc_val(me, i), "scatter_c %s", mname);
    for (long i = 0; i < n; i++)
        r[i] = -1;
    CALL_C(mode, Scatterv, Iscatterv, s, cnt, dsp, MPI_INT, r, n, MPI_INT, root, comm);
    TC_CHECK_INTS(r, n, tc_val(me, i), "scatterv_c %s", mname);

    for (long i = 0; i < np; i++)
        s[i] = tc_val(me, i);
    CALL_C(mode, Reduce, Ireduce, s, r, n, MPI_INT, MPI_SUM, root, comm);
    if (me == root)
        TC_CHECK_INTS(r, n, tc_sum_range(0, p - 1, i), "reduce_c %s", mname);
    CALL_C(mode, Allreduce, Iallreduce, s, r, n, MPI_INT, MPI_SUM, comm);
    TC_CHECK_INTS(r, n, tc_sum_range(0, p - 1, i), "allreduce_c %s", mname);
    CALL_C(mode, Reduce_scatter_block, Ireduce_scatter_block, s, r, n, MPI_INT, MPI_SUM, comm);
    TC_CHECK_INTS(r, n, tc_sum_range(0, p - 1, (long)me * n + i), "reduce_scatter_block_c %s",
                  mname);
    CALL_C(mode, Reduce_scatter, Ireduce_scatter, s, r, cnt, MPI_INT, MPI_SUM, comm);
    TC_CHECK_INTS(r, n, tc_sum_range(0, p - 1, (long)me * n + i), "reduce_scatter_c %s", mname);
    CALL_C(mode, Scan, Iscan, s, r, n, MPI_INT, MPI_SUM, comm);
    TC_CHECK_INTS(r, n, tc_sum_range(0, me, i), "scan_c %s", mname);
    CALL_C(mode, Exscan, Iexscan, s, r, n, MPI_INT, MPI_SUM, comm);
    if (me > 0)
        TC_CHECK_INTS(r, n, tc_sum_range(0, me - 1, i), "exscan_c %s", mname);

    free(s);
    free(r);
    free(cnt);
    free(dsp);
    free(bdsp);
    free(types);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_dup(MPI_COMM_WORLD, &comm);
    MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
    MPI_Comm_size(comm, &p);
    MPI_Comm_rank(comm, &me);
    for (int mode = BLOCKING; mode <= PERSISTENT; mode++) {
        run(mode, 1);
        run(mode, 1001);
    }
    /* MPI_Reduce_local_c, and negative large counts */
    int a[3] = {1, 2, 3}, b[3] = {10, 20, 30};
    TM_CHECK_RC(MPI_Reduce_local_c(a, b, 3, MPI_INT, MPI_SUM), "MPI_Reduce_local_c");
    TM_CHECK(b[0] == 11 && b[2] == 33, "MPI_Reduce_local_c: %d %d", b[0], b[2]);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    int rc = MPI_Reduce_local_c(a, b, -1, MPI_INT, MPI_SUM);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_COUNT, "Reduce_local_c(-1): %s", tm_errstr(rc));
    rc = MPI_Bcast_c(a, (MPI_Count)-5, MPI_INT, 0, comm);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_COUNT, "Bcast_c(-5): %s", tm_errstr(rc));
    MPI_Count bad[64];
    MPI_Aint dsp[64];
    for (int k = 0; k < 64; k++) {
        bad[k] = k == p - 1 ? -1 : 1;
        dsp[k] = k;
    }
    int big[64];
    rc = MPI_Allgatherv_c(a, 1, MPI_INT, big, bad, dsp, MPI_INT, comm);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_COUNT, "Allgatherv_c negative count: %s", tm_errstr(rc));
    MPI_Comm_free(&comm);
    return tm_finish();
}
