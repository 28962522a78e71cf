/* basic.c: every intracommunicator collective checked against a serial reference on every
 * rank: counts 0, 1, odd and large, every root, in-place forms, a predefined op (MPI_SUM)
 * and a non-commutative user op (affine-map composition) for the reductions.
 *
 *   basic [blocking|nonblocking|persistent]
 *
 * The mode picks the form of every call: MPI_X, MPI_IX + MPI_Wait, or MPI_X_init started
 * twice (the first run on scratch data, so a reused schedule is checked) + MPI_Request_free.
 * ctest runs it with LITEMPI_COLL_<FAMILY> forcing each algorithm in turn.
 */
#include "coll_common.h"

enum { BLOCKING, NONBLOCKING, PERSISTENT };
static int mode = BLOCKING;
static MPI_Comm comm;
static int p, me;

/* Completes a nonblocking or persistent call's request. */
static void finish(MPI_Request *req, int rc, const char *what)
{
    TM_CHECK_RC(rc, what);
    if (rc != MPI_SUCCESS)
        return;
    if (mode == PERSISTENT) {
        TM_CHECK_RC(MPI_Start(req), "MPI_Start");
        TM_CHECK_RC(MPI_Wait(req, MPI_STATUS_IGNORE), "MPI_Wait (persistent)");
        TM_CHECK(*req != MPI_REQUEST_NULL, "%s: persistent request freed by MPI_Wait", what);
        TM_CHECK_RC(MPI_Request_free(req), "MPI_Request_free");
    } else {
        TM_CHECK_RC(MPI_Wait(req, MPI_STATUS_IGNORE), "MPI_Wait");
        TM_CHECK(*req == MPI_REQUEST_NULL, "%s: request not freed by MPI_Wait", what);
    }
}

/* Dispatch one call in the current mode: X(args) / Ix(args, &req) / X_init(args, info,
 * &req). For persistent requests the data are set up by the caller before; finish() then
 * starts once (a second start is covered in persistent.c). */
#define CALL(Name, IName, ...)                                                             \
    do {                                                                                   \
        MPI_Request req_ = MPI_REQUEST_NULL;                                               \
        if (mode == BLOCKING)                                                              \
            TM_CHECK_RC(MPI_##Name(__VA_ARGS__), "MPI_" #Name);                            \
        else if (mode == NONBLOCKING)                                                      \
            finish(&req_, MPI_##IName(__VA_ARGS__, &req_), "MPI_" #IName);                 \
        else                                                                               \
            finish(&req_, MPI_##Name##_init(__VA_ARGS__, MPI_INFO_NULL, &req_),            \
                   "MPI_" #Name "_init");                                                  \
    } while (0)

static void *xmalloc(size_t n)
{
    return tm_malloc(n);
}

static void t_barrier(void)
{
    MPI_Request req = MPI_REQUEST_NULL;
    if (mode == BLOCKING)
        TM_CHECK_RC(MPI_Barrier(comm), "MPI_Barrier");
    else if (mode == NONBLOCKING)
        finish(&req, MPI_Ibarrier(comm, &req), "MPI_Ibarrier");
    else
        finish(&req, MPI_Barrier_init(comm, MPI_INFO_NULL, &req), "MPI_Barrier_init");
}

/* Barrier semantics: rank 0 arrives late; nobody may leave before it arrives. */
static void t_barrier_order(void)
{
    double t0 = MPI_Wtime();
    if (me == 0)
        tm_sleep_ms(20);
    t_barrier();
    double t1 = MPI_Wtime();
    if (me != 0)
        TM_CHECK(t1 - t0 >= 0.015, "barrier returned after %.3f s, before rank 0 arrived",
                 t1 - t0);
}

static void t_bcast(int n, int root)
{
    int *buf = xmalloc((size_t)n * sizeof *buf);
    for (long i = 0; i < n; i++)
        buf[i] = me == root ? tc_val(root, i) : -1;
    CALL(Bcast, Ibcast, buf, n, MPI_INT, root, comm);
    TC_CHECK_INTS(buf, n, tc_val(root, i), "bcast n=%d root=%d", n, root);
    free(buf);
}

static void t_gather(int n, int root, int inplace)
{
    int *s = xmalloc((size_t)n * sizeof *s), *r = xmalloc((size_t)n * p * sizeof *r);
    for (long i = 0; i < n; i++)
        s[i] = tc_val(me, i);
    for (long i = 0; i < (long)n * p; i++)
        r[i] = -1;
    const void *sb = s;
    if (inplace && me == root) {
        for (long i = 0; i < n; i++)
            r[(long)root * n + i] = tc_val(me, i);
        sb = MPI_IN_PLACE;
    }
    CALL(Gather, Igather, sb, n, MPI_INT, r, n, MPI_INT, root, comm);
    if (me == root)
        TC_CHECK_INTS(r, (long)n * p, tc_val((int)(i / n), i % n), "gather n=%d root=%d%s", n,
                      root, inplace ? " in place" : "");
    free(s);
    free(r);
}

static void t_scatter(int n, int root, int inplace)
{
    int *s = xmalloc((size_t)n * p * sizeof *s), *r = xmalloc((size_t)n * sizeof *r);
    for (long i = 0; i < (long)n * p; i++)
        s[i] = me == root ? tc_val((int)(i / n), i % n) : -1;
    for (long i = 0; i < n; i++)
        r[i] = -1;
    void *rb = inplace && me == root ? MPI_IN_PLACE : r;
    CALL(Scatter, Iscatter, s, n, MPI_INT, rb, n, MPI_INT, root, comm);
    if (rb != MPI_IN_PLACE)
        TC_CHECK_INTS(r, n, tc_val(me, i), "scatter n=%d root=%d", n, root);
    else
        TC_CHECK_INTS(s, (long)n * p, tc_val((int)(i / n), i % n), "scatter in place: sendbuf");
    free(s);
    free(r);
}

static void t_allgather(int n, int inplace)
{
    int *s = xmalloc((size_t)n * sizeof *s), *r = xmalloc((size_t)n * p * sizeof *r);
    for (long i = 0; i < n; i++)
        s[i] = tc_val(me, i);
    for (long i = 0; i < (long)n * p; i++)
        r[i] = (i / n == me && inplace) ? tc_val(me, i % n) : -1;
    CALL(Allgather, Iallgather, inplace ? MPI_IN_PLACE : s, n, MPI_INT, r, n, MPI_INT, comm);
    TC_CHECK_INTS(r, (long)n * p, tc_val((int)(i / n), i % n), "allgather n=%d%s", n,
                  inplace ? " in place" : "");
    free(s);
    free(r);
}

static int a2a_val(int from, int to, long i)
{
    return tc_val(from * 64 + to, i);
}

static void t_alltoall(int n, int inplace)
{
    int *s = xmalloc((size_t)n * p * sizeof *s), *r = xmalloc((size_t)n * p * sizeof *r);
    for (long i = 0; i < (long)n * p; i++) {
        s[i] = a2a_val(me, (int)(i / n), i % n);
        r[i] = inplace ? s[i] : -1;
    }
    CALL(Alltoall, Ialltoall, inplace ? MPI_IN_PLACE : s, n, MPI_INT, r, n, MPI_INT, comm);
    TC_CHECK_INTS(r, (long)n * p, a2a_val((int)(i / n), me, i % n), "alltoall n=%d%s", n,
                  inplace ? " in place" : "");
    free(s);
    free(r);
}

static void t_reduce(int n, int root, int inplace)
{
    int *s = xmalloc((size_t)n * sizeof *s), *r = xmalloc((size_t)n * sizeof *r);
    tc_aff *fs = xmalloc((size_t)n * sizeof *fs), *fr = xmalloc((size_t)n * sizeof *fr);
    for (long i = 0; i < n; i++) {
        s[i] = tc_val(me, i);
        r[i] = inplace && me == root ? s[i] : -1;
        fs[i] = tc_aff_val(me, i);
        fr[i] = inplace && me == root ? fs[i] : (tc_aff){0, 0};
    }
    int ip = inplace && me == root;
    CALL(Reduce, Ireduce, ip ? MPI_IN_PLACE : s, r, n, MPI_INT, MPI_SUM, root, comm);
    CALL(Reduce, Ireduce, ip ? MPI_IN_PLACE : fs, fr, n, tc_aff_type, tc_aff_op, root, comm);
    if (me == root) {
        TC_CHECK_INTS(r, n, tc_sum_range(0, p - 1, i), "reduce sum n=%d root=%d%s", n, root,
                      ip ? " in place" : "");
        TC_CHECK_AFF(fr, n, tc_aff_range(0, p - 1, i), "reduce affine n=%d root=%d%s", n, root,
                     ip ? " in place" : "");
    }
    free(s);
    free(r);
    free(fs);
    free(fr);
}

static void t_allreduce(int n, int inplace)
{
    int *s = xmalloc((size_t)n * sizeof *s), *r = xmalloc((size_t)n * sizeof *r);
    tc_aff *fs = xmalloc((size_t)n * sizeof *fs), *fr = xmalloc((size_t)n * sizeof *fr);
    double *ds = xmalloc((size_t)n * sizeof *ds), *dr = xmalloc((size_t)n * sizeof *dr);
    for (long i = 0; i < n; i++) {
        s[i] = tc_val(me, i);
        r[i] = inplace ? s[i] : -1;
        fs[i] = tc_aff_val(me, i);
        fr[i] = inplace ? fs[i] : (tc_aff){0, 0};
        ds[i] = (double)((me * 37 + i) % (p + 3));
        dr[i] = inplace ? ds[i] : -1;
    }
    CALL(Allreduce, Iallreduce, inplace ? MPI_IN_PLACE : s, r, n, MPI_INT, MPI_SUM, comm);
    CALL(Allreduce, Iallreduce, inplace ? MPI_IN_PLACE : fs, fr, n, tc_aff_type, tc_aff_op, comm);
    CALL(Allreduce, Iallreduce, inplace ? MPI_IN_PLACE : ds, dr, n, MPI_DOUBLE, MPI_MAX, comm);
    const char *ip = inplace ? " in place" : "";
    TC_CHECK_INTS(r, n, tc_sum_range(0, p - 1, i), "allreduce sum n=%d%s", n, ip);
    TC_CHECK_AFF(fr, n, tc_aff_range(0, p - 1, i), "allreduce affine n=%d%s", n, ip);
    for (long i = 0; i < n; i++) {
        double want = -1;
        for (int q = 0; q < p; q++)
            if ((double)((q * 37 + i) % (p + 3)) > want)
                want = (double)((q * 37 + i) % (p + 3));
        if (dr[i] != want) {
            TM_CHECK(0, "allreduce max n=%d%s: element %ld is %g, expected %g", n, ip, i,
                     dr[i], want);
            break;
        }
    }
    free(s);
    free(r);
    free(fs);
    free(fr);
    free(ds);
    free(dr);
}

/* reduce_scatter(_block): block k of the full vector (counts[k] elements) goes to rank k */
static void t_reduce_scatter(int n, int block, int inplace)
{
    int *counts = xmalloc((size_t)p * sizeof *counts);
    long total = 0, off = 0;
    for (int k = 0; k < p; k++) {
        counts[k] = block ? n : (n + k * 3) % (n + 2);  /* includes zero counts */
        if (k < me)
            off += counts[k];
        total += counts[k];
    }
    int mine = counts[me];
    int *s = xmalloc((size_t)total * sizeof *s), *r = xmalloc((size_t)total * sizeof *r);
    tc_aff *fs = xmalloc((size_t)total * sizeof *fs), *fr = xmalloc((size_t)total * sizeof *fr);
    for (long i = 0; i < total; i++) {
        s[i] = tc_val(me, i);
        r[i] = inplace ? s[i] : -1;
        fs[i] = tc_aff_val(me, i);
        fr[i] = inplace ? fs[i] : (tc_aff){0, 0};
    }
    const char *what = block ? "reduce_scatter_block" : "reduce_scatter";
    if (block) {
        CALL(Reduce_scatter_block, Ireduce_scatter_block, inplace ? MPI_IN_PLACE : s, r, n,
             MPI_INT, MPI_SUM, comm);
        CALL(Reduce_scatter_block, Ireduce_scatter_block, inplace ? MPI_IN_PLACE : fs, fr, n,
             tc_aff_type, tc_aff_op, comm);
    } else {
        CALL(Reduce_scatter, Ireduce_scatter, inplace ? MPI_IN_PLACE : s, r, counts, MPI_INT,
             MPI_SUM, comm);
        CALL(Reduce_scatter, Ireduce_scatter, inplace ? MPI_IN_PLACE : fs, fr, counts,
             tc_aff_type, tc_aff_op, comm);
    }
    TC_CHECK_INTS(r, mine, tc_sum_range(0, p - 1, off + i), "%s sum n=%d%s", what, n,
                  inplace ? " in place" : "");
    TC_CHECK_AFF(fr, mine, tc_aff_range(0, p - 1, off + i), "%s affine n=%d%s", what, n,
                 inplace ? " in place" : "");
    free(counts);
    free(s);
    free(r);
    free(fs);
    free(fr);
}

static void t_scan(int n, int ex, int inplace)
{
    int *s = xmalloc((size_t)n * sizeof *s), *r = xmalloc((size_t)n * sizeof *r);
    tc_aff *fs = xmalloc((size_t)n * sizeof *fs), *fr = xmalloc((size_t)n * sizeof *fr);
    for (long i = 0; i < n; i++) {
        s[i] = tc_val(me, i);
        r[i] = inplace ? s[i] : -1;
        fs[i] = tc_aff_val(me, i);
        fr[i] = inplace ? fs[i] : (tc_aff){0, 0};
    }
    const void *sb = inplace ? MPI_IN_PLACE : (const void *)s;
    const void *fsb = inplace ? MPI_IN_PLACE : (const void *)fs;
    const char *ip = inplace ? " in place" : "";
    if (ex) {
        CALL(Exscan, Iexscan, sb, r, n, MPI_INT, MPI_SUM, comm);
        CALL(Exscan, Iexscan, fsb, fr, n, tc_aff_type, tc_aff_op, comm);
        if (me > 0) {
            TC_CHECK_INTS(r, n, tc_sum_range(0, me - 1, i), "exscan sum n=%d%s", n, ip);
            TC_CHECK_AFF(fr, n, tc_aff_range(0, me - 1, i), "exscan affine n=%d%s", n, ip);
        } else if (!inplace) {
            TC_CHECK_INTS(r, n, -1, "exscan on rank 0 must leave recvbuf alone");
        }
    } else {
        CALL(Scan, Iscan, sb, r, n, MPI_INT, MPI_SUM, comm);
        CALL(Scan, Iscan, fsb, fr, n, tc_aff_type, tc_aff_op, comm);
        TC_CHECK_INTS(r, n, tc_sum_range(0, me, i), "scan sum n=%d%s", n, ip);
        TC_CHECK_AFF(fr, n, tc_aff_range(0, me, i), "scan affine n=%d%s", n, ip);
    }
    free(s);
    free(r);
    free(fs);
    free(fr);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    tc_setup();
    if (argc > 1 && !strcmp(argv[1], "nonblocking"))
        mode = NONBLOCKING;
    else if (argc > 1 && !strcmp(argv[1], "persistent"))
        mode = PERSISTENT;
    /* on a duplicate, so context ids other than MPI_COMM_WORLD's are exercised */
    MPI_Comm_dup(MPI_COMM_WORLD, &comm);
    MPI_Comm_size(comm, &p);
    MPI_Comm_rank(comm, &me);

    t_barrier_order();
    for (int c = 0; c < TC_NCOUNTS; c++) {
        int n = tc_counts[c];
        int big = n > 1000;
        for (int root = 0; root < p; root++) {
            if (big && root != 0 && root != p - 1)
                continue;  /* large messages: the first and last root are enough */
            t_bcast(n, root);
            for (int ip = 0; ip < 2; ip++) {
                t_gather(n, root, ip);
                t_scatter(n, root, ip);
                t_reduce(n, root, ip);
            }
        }
        for (int ip = 0; ip < 2; ip++) {
            t_allgather(n, ip);
            t_alltoall(big ? n / 16 : n, ip);
            t_allreduce(n, ip);
            t_reduce_scatter(big ? n / 8 : n, 1, ip);
            t_reduce_scatter(big ? n / 8 : n, 0, ip);
            t_scan(n, 0, ip);
            t_scan(n, 1, ip);
        }
        t_barrier();
    }
    MPI_Comm_free(&comm);
    tc_teardown();
    return tm_finish();
}
