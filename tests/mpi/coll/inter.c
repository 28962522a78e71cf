/* inter.c: every collective the standard defines on intercommunicators, checked against a
 * serial reference on every rank (MPI-4.1 §6.2.2: data cross between the groups; roots are
 * MPI_ROOT / MPI_PROC_NULL in the root's group and the root's remote rank in the other).
 *
 *   inter [blocking|nonblocking|persistent]
 *
 * The mode picks the form of every call: MPI_X, MPI_IX + MPI_Wait, or MPI_X_init started
 * twice with new input data before the second start. Three intercommunicators are tried:
 * world split by rank parity, rank 0 against the rest, and the first 2p/3 ranks against
 * the rest with local ranks in reverse world order. Counts 0, 1, odd and large (bcast and
 * allreduce also beyond 1 MiB), every root group with its first and last rank as root, the
 * v and w forms with uneven and empty blocks, MPI_SUM and a non-commutative user op (the
 * remote group's ranks must be combined in rank order). Also: nonblocking intercommunicator
 * collectives overlapping each other, the local communicator's and point-to-point traffic
 * on the intercommunicator; MPI_Comm_idup of an intercommunicator; the large-count _c
 * forms; and the errors (bad roots, MPI_IN_PLACE, scan/exscan) with their classes.
 * Semantics cross-checked: the blocking form passes under MPICH 4.0.2 (mpiexec.mpich).
 */
#include "coll_common.h"

enum { BLOCKING, NONBLOCKING, PERSISTENT };
static int mode = BLOCKING;

static MPI_Comm ic = MPI_COMM_NULL, lc = MPI_COMM_NULL;   /* intercomm, its local group */
static int p, me;
static int g, lr, L, R;            /* my group, local rank, local and remote sizes */
static int *members[2], nmem[2];   /* world ranks of each group, by local rank */
static int *lw, *rw;               /* members[g], members[1 - g] */
static const char *split_name = "";

static MPI_Request preq = MPI_REQUEST_NULL;   /* the persistent request of a test */

static int passes(void)
{
    return mode == PERSISTENT ? 2 : 1;
}

static void wait_req(MPI_Request *req, int rc, const char *what)
{
    TM_CHECK_RC(rc, what);
    if (rc != MPI_SUCCESS)
        return;
    TM_CHECK_RC(MPI_Wait(req, MPI_STATUS_IGNORE), "MPI_Wait");
    if (mode == PERSISTENT)
        TM_CHECK(*req != MPI_REQUEST_NULL, "%s: persistent request freed by MPI_Wait", what);
    else
        TM_CHECK(*req == MPI_REQUEST_NULL, "%s: request not freed by MPI_Wait", what);
}

/* One call in the current mode; pass `gen` 0 creates the persistent request, every pass
 * starts it. end_calls() frees it after the last pass. */
#define CALL(gen, Name, IName, InitName, ...)                                              \
    do {                                                                                   \
        if (mode == BLOCKING) {                                                            \
            TM_CHECK_RC(MPI_##Name(__VA_ARGS__), "MPI_" #Name);                            \
        } else if (mode == NONBLOCKING) {                                                  \
            MPI_Request r_ = MPI_REQUEST_NULL;                                             \
            wait_req(&r_, MPI_##IName(__VA_ARGS__, &r_), "MPI_" #IName);                   \
        } else {                                                                           \
            int rc_ = MPI_SUCCESS;                                                         \
            if ((gen) == 0)                                                                \
                rc_ = MPI_##InitName(__VA_ARGS__, MPI_INFO_NULL, &preq);                   \
            if (rc_ == MPI_SUCCESS)                                                        \
                rc_ = MPI_Start(&preq);                                                    \
            wait_req(&preq, rc_, "MPI_" #InitName);                                        \
        }                                                                                  \
    } while (0)

static void end_calls(void)
{
    if (mode == PERSISTENT && preq != MPI_REQUEST_NULL)
        TM_CHECK_RC(MPI_Request_free(&preq), "MPI_Request_free");
    preq = MPI_REQUEST_NULL;
}

/* Inputs: functions of (world rank, index, pass). */
static int V(int w, long i, int gen)
{
    return tc_val(w, i) + gen * 7;
}

static tc_aff VA(int w, long i, int gen)
{
    tc_aff f = tc_aff_val(w, i);
    f.b += (unsigned)gen;
    return f;
}

/* The remote group's sum / composition (in its rank order) of element i. */
static int remote_sum(long i, int gen)
{
    int s = 0;
    for (int k = 0; k < R; k++)
        s += V(rw[k], i, gen);
    return s;
}

static tc_aff remote_aff(long i, int gen)
{
    tc_aff acc = {1u, 0u};
    for (int k = 0; k < R; k++)
        acc = tc_compose(acc, VA(rw[k], i, gen));
    return acc;
}

static void *xmalloc(size_t n)
{
    return tm_malloc(n);
}

static int *ints(long n, int v)
{
    int *b = xmalloc((size_t)n * sizeof *b);
    for (long i = 0; i < n; i++)
        b[i] = v;
    return b;
}

/* The root argument for root group rg, root local rank rl. */
static int root_arg(int rg, int rl)
{
    if (g != rg)
        return rl;
    return lr == rl ? MPI_ROOT : MPI_PROC_NULL;
}

/* Uneven block sizes with empty ones: block of (local) rank k for count n. */
static int cv(int k, int n)
{
    return n == 0 || k % 3 == 1 ? 0 : n + k;
}

/* Displacements of nb blocks of cv() sizes in reverse order, one unused element between
 * blocks; returns the total length. */
static long rev_displs(int nb, int n, int *displs)
{
    long at = 0;
    for (int k = nb - 1; k >= 0; k--) {
        displs[k] = (int)at;
        at += cv(k, n) + 1;
    }
    return at;
}

/* ---- the collectives ------------------------------------------------------------------ */

static void t_barrier(void)
{
    /* The last rank of group 1 arrives 40 ms late; nobody may leave before it arrives.
     * t0 is taken before a synchronizing exchange the late rank leaves only after every
     * rank has reached it, so t1 - t0 >= 40 ms on every rank whatever the scheduling. */
    int late = g == 1 && lr == L - 1;
    for (int gen = 0; gen < passes(); gen++) {
        double t0 = MPI_Wtime();
        tm_barrier();
        if (late)
            tm_sleep_ms(40);
        CALL(gen, Barrier, Ibarrier, Barrier_init, ic);
        double t1 = MPI_Wtime();
        if (!late)
            TM_CHECK(t1 - t0 >= 0.039, "%s: barrier returned after %.3f s, before the late "
                     "rank of the other group arrived", split_name, t1 - t0);
    }
    end_calls();
}

static void t_bcast(int n, int rg, int rl)
{
    int root = root_arg(rg, rl), rw0 = members[rg][rl];
    int *b = xmalloc((size_t)n * sizeof *b);
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < n; i++)
            b[i] = root == MPI_ROOT ? V(rw0, i, gen) : -1;
        CALL(gen, Bcast, Ibcast, Bcast_init, b, n, MPI_INT, root, ic);
        if (root == MPI_PROC_NULL)
            TC_CHECK_INTS(b, n, -1, "%s: bcast n=%d: MPI_PROC_NULL rank's buffer", split_name, n);
        else
            TC_CHECK_INTS(b, n, V(rw0, i, gen), "%s: bcast n=%d root %d/%d", split_name, n,
                          rg, rl);
    }
    end_calls();
    free(b);
}

static void t_gather(int n, int rg, int rl)
{
    int root = root_arg(rg, rl);
    int *s = xmalloc((size_t)n * sizeof *s), *r = xmalloc((size_t)n * R * sizeof *r);
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < n; i++)
            s[i] = V(me, i, gen);
        for (long i = 0; i < (long)n * R; i++)
            r[i] = -1;
        CALL(gen, Gather, Igather, Gather_init, s, n, MPI_INT, r, n, MPI_INT, root, ic);
        if (root == MPI_ROOT)
            TC_CHECK_INTS(r, (long)n * R, V(rw[i / n], i % n, gen), "%s: gather n=%d root "
                          "%d/%d", split_name, n, rg, rl);
        else
            TC_CHECK_INTS(r, (long)n * R, -1, "%s: gather n=%d: non-root's recvbuf",
                          split_name, n);
    }
    end_calls();
    free(s);
    free(r);
}

static void t_gatherv(int n, int rg, int rl)
{
    int root = root_arg(rg, rl);
    int *counts = xmalloc((size_t)R * sizeof(int)), *displs = xmalloc((size_t)R * sizeof(int));
    for (int k = 0; k < R; k++)
        counts[k] = cv(k, n);
    long total = rev_displs(R, n, displs);
    int mine = cv(lr, n);
    int *s = xmalloc((size_t)mine * sizeof *s), *r = xmalloc((size_t)total * sizeof *r);
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < mine; i++)
            s[i] = V(me, i, gen);
        for (long i = 0; i < total; i++)
            r[i] = -1;
        CALL(gen, Gatherv, Igatherv, Gatherv_init, s, mine, MPI_INT, r, counts, displs,
             MPI_INT, root, ic);
        for (int k = 0; k < R; k++) {
            int c = root == MPI_ROOT ? counts[k] : 0;
            TC_CHECK_INTS(r + displs[k], c, V(rw[k], i, gen), "%s: gatherv n=%d block %d",
                          split_name, n, k);
            TC_CHECK_INTS(r + displs[k] + c, counts[k] + 1 - c, -1, "%s: gatherv n=%d after "
                          "block %d", split_name, n, k);
        }
    }
    end_calls();
    free(s);
    free(r);
    free(counts);
    free(displs);
}

static void t_scatter(int n, int rg, int rl)
{
    int root = root_arg(rg, rl), rw0 = members[rg][rl];
    int *s = xmalloc((size_t)n * R * sizeof *s), *r = xmalloc((size_t)n * sizeof *r);
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < (long)n * R; i++)
            s[i] = root == MPI_ROOT ? V(rw0, i, gen) : -2;
        for (long i = 0; i < n; i++)
            r[i] = -1;
        CALL(gen, Scatter, Iscatter, Scatter_init, s, n, MPI_INT, r, n, MPI_INT, root, ic);
        if (root >= 0)
            TC_CHECK_INTS(r, n, V(rw0, (long)lr * n + i, gen), "%s: scatter n=%d root %d/%d",
                          split_name, n, rg, rl);
        else
            TC_CHECK_INTS(r, n, -1, "%s: scatter n=%d: root group's recvbuf", split_name, n);
    }
    end_calls();
    free(s);
    free(r);
}

static void t_scatterv(int n, int rg, int rl)
{
    int root = root_arg(rg, rl), rw0 = members[rg][rl];
    /* the root's arrays describe the remote group (R ranks); a receiver's block is laid
     * out the same way over its own group (L ranks) */
    int nb = root == MPI_ROOT ? R : L;
    int *counts = xmalloc((size_t)nb * sizeof(int)), *displs = xmalloc((size_t)nb * sizeof(int));
    for (int k = 0; k < nb; k++)
        counts[k] = cv(k, n);
    long total = rev_displs(nb, n, displs);
    int mine = root >= 0 ? cv(lr, n) : 0;
    int *s = xmalloc((size_t)total * sizeof *s), *r = xmalloc((size_t)mine * sizeof *r);
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < total; i++)
            s[i] = V(rw0, i, gen);
        for (long i = 0; i < mine; i++)
            r[i] = -1;
        CALL(gen, Scatterv, Iscatterv, Scatterv_init, s, counts, displs, MPI_INT, r, mine,
             MPI_INT, root, ic);
        if (root >= 0)
            TC_CHECK_INTS(r, mine, V(rw0, displs[lr] + i, gen), "%s: scatterv n=%d root "
                          "%d/%d", split_name, n, rg, rl);
    }
    end_calls();
    free(s);
    free(r);
    free(counts);
    free(displs);
}

static void t_allgather(int n)
{
    int *s = xmalloc((size_t)n * sizeof *s), *r = xmalloc((size_t)n * R * sizeof *r);
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < n; i++)
            s[i] = V(me, i, gen);
        for (long i = 0; i < (long)n * R; i++)
            r[i] = -1;
        CALL(gen, Allgather, Iallgather, Allgather_init, s, n, MPI_INT, r, n, MPI_INT, ic);
        TC_CHECK_INTS(r, (long)n * R, V(rw[i / n], i % n, gen), "%s: allgather n=%d",
                      split_name, n);
    }
    end_calls();
    free(s);
    free(r);
}

static void t_allgatherv(int n)
{
    int *counts = xmalloc((size_t)R * sizeof(int)), *displs = xmalloc((size_t)R * sizeof(int));
    for (int k = 0; k < R; k++)
        counts[k] = cv(k, n);
    long total = rev_displs(R, n, displs);
    int mine = cv(lr, n);
    int *s = xmalloc((size_t)mine * sizeof *s), *r = xmalloc((size_t)total * sizeof *r);
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < mine; i++)
            s[i] = V(me, i, gen);
        for (long i = 0; i < total; i++)
            r[i] = -1;
        CALL(gen, Allgatherv, Iallgatherv, Allgatherv_init, s, mine, MPI_INT, r, counts,
             displs, MPI_INT, ic);
        for (int k = 0; k < R; k++) {
            TC_CHECK_INTS(r + displs[k], counts[k], V(rw[k], i, gen), "%s: allgatherv n=%d "
                          "block %d", split_name, n, k);
            TC_CHECK_INTS(r + displs[k] + counts[k], 1, -1, "%s: allgatherv n=%d gap after "
                          "block %d", split_name, n, k);
        }
    }
    end_calls();
    free(s);
    free(r);
    free(counts);
    free(displs);
}

static void t_alltoall(int n)
{
    int *s = xmalloc((size_t)n * R * sizeof *s), *r = xmalloc((size_t)n * R * sizeof *r);
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < (long)n * R; i++) {
            s[i] = V(me, i, gen);   /* block j (i / n) goes to remote rank j */
            r[i] = -1;
        }
        CALL(gen, Alltoall, Ialltoall, Alltoall_init, s, n, MPI_INT, r, n, MPI_INT, ic);
        TC_CHECK_INTS(r, (long)n * R, V(rw[i / n], (long)lr * n + i % n, gen), "%s: alltoall "
                      "n=%d", split_name, n);
    }
    end_calls();
    free(s);
    free(r);
}

/* alltoallv/w: elements from local rank a of one group to rank b of the other */
static int c2(int a, int b, int n)
{
    return n == 0 || (a + 2 * b) % 3 == 0 ? 0 : n + a + b;
}

#define KEY(j, i) ((long)(j) * 1000003L + (i))

static void t_alltoallv(int n, int w)
{
    int *sc = xmalloc((size_t)R * sizeof(int)), *sd = xmalloc((size_t)R * sizeof(int));
    int *rc = xmalloc((size_t)R * sizeof(int)), *rd = xmalloc((size_t)R * sizeof(int));
    MPI_Datatype *st = xmalloc((size_t)R * sizeof *st), *rt = xmalloc((size_t)R * sizeof *rt);
    MPI_Datatype strided;   /* an int with the extent of two: fills every other slot */
    MPI_Type_create_resized(MPI_INT, 0, 2 * (MPI_Aint)sizeof(int), &strided);
    MPI_Type_commit(&strided);
    long stot = 0, rtot = 0;
    for (int j = 0; j < R; j++) {
        sc[j] = c2(lr, j, n);
        sd[j] = (int)stot;
        stot += sc[j];
        st[j] = MPI_INT;
    }
    for (int k = R - 1; k >= 0; k--) {   /* receive blocks in reverse order with a gap */
        rc[k] = c2(k, lr, n);
        int stride = w && k % 2 ? 2 : 1;
        rd[k] = (int)rtot;
        rtot += (long)rc[k] * stride + 1;
        rt[k] = stride == 2 ? strided : MPI_INT;
    }
    int *s = xmalloc((size_t)stot * sizeof *s), *r = xmalloc((size_t)rtot * sizeof *r);
    int *sdb = xmalloc((size_t)R * sizeof(int)), *rdb = xmalloc((size_t)R * sizeof(int));
    for (int k = 0; k < R; k++) {   /* alltoallw: displacements in bytes */
        sdb[k] = sd[k] * (int)sizeof(int);
        rdb[k] = rd[k] * (int)sizeof(int);
    }
    for (int gen = 0; gen < passes(); gen++) {
        for (int j = 0; j < R; j++)
            for (long i = 0; i < sc[j]; i++)
                s[sd[j] + i] = V(me, KEY(j, i), gen);
        for (long i = 0; i < rtot; i++)
            r[i] = -1;
        if (w)
            CALL(gen, Alltoallw, Ialltoallw, Alltoallw_init, s, sc, sdb, st, r, rc, rdb, rt,
                 ic);
        else
            CALL(gen, Alltoallv, Ialltoallv, Alltoallv_init, s, sc, sd, MPI_INT, r, rc, rd,
                 MPI_INT, ic);
        for (int k = 0; k < R; k++) {
            int stride = w && k % 2 ? 2 : 1;
            for (long i = 0; i < (long)rc[k] * stride + 1; i++) {
                int want = i % stride == 0 && i / stride < rc[k]
                           ? V(rw[k], KEY(lr, i / stride), gen) : -1;
                if (r[rd[k] + i] != want) {
                    TM_CHECK(0, "%s: alltoall%c n=%d block from %d: element %ld is %d, "
                             "expected %d", split_name, w ? 'w' : 'v', n, k, i, r[rd[k] + i],
                             want);
                    break;
                }
            }
        }
    }
    end_calls();
    MPI_Type_free(&strided);
    free(s);
    free(r);
    free(sc);
    free(sd);
    free(rc);
    free(rd);
    free(st);
    free(rt);
    free(sdb);
    free(rdb);
}

static void t_reduce(int n, int rg, int rl, int aff)
{
    int root = root_arg(rg, rl);
    MPI_Datatype t = aff ? tc_aff_type : MPI_INT;
    MPI_Op op = aff ? tc_aff_op : MPI_SUM;
    size_t es = aff ? sizeof(tc_aff) : sizeof(int);
    void *s = xmalloc((size_t)n * es), *r = xmalloc((size_t)n * es);
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < n; i++) {
            if (aff) {
                ((tc_aff *)s)[i] = VA(me, i, gen);
                ((tc_aff *)r)[i] = (tc_aff){7u, 7u};
            } else {
                ((int *)s)[i] = V(me, i, gen);
                ((int *)r)[i] = -1;
            }
        }
        CALL(gen, Reduce, Ireduce, Reduce_init, s, r, n, t, op, root, ic);
        if (root == MPI_ROOT && aff)
            TC_CHECK_AFF(((tc_aff *)r), n, remote_aff(i, gen), "%s: reduce (user op) n=%d "
                         "root %d/%d", split_name, n, rg, rl);
        else if (root == MPI_ROOT)
            TC_CHECK_INTS(((int *)r), n, remote_sum(i, gen), "%s: reduce n=%d root %d/%d",
                          split_name, n, rg, rl);
        else if (!aff)
            TC_CHECK_INTS(((int *)r), n, -1, "%s: reduce n=%d: non-root's recvbuf",
                          split_name, n);
    }
    end_calls();
    free(s);
    free(r);
}

static void t_allreduce(int n, int aff)
{
    MPI_Datatype t = aff ? tc_aff_type : MPI_INT;
    MPI_Op op = aff ? tc_aff_op : MPI_SUM;
    size_t es = aff ? sizeof(tc_aff) : sizeof(int);
    void *s = xmalloc((size_t)n * es), *r = xmalloc((size_t)n * es);
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < n; i++) {
            if (aff) {
                ((tc_aff *)s)[i] = VA(me, i, gen);
                ((tc_aff *)r)[i] = (tc_aff){7u, 7u};
            } else {
                ((int *)s)[i] = V(me, i, gen);
                ((int *)r)[i] = -1;
            }
        }
        CALL(gen, Allreduce, Iallreduce, Allreduce_init, s, r, n, t, op, ic);
        if (aff)
            TC_CHECK_AFF(((tc_aff *)r), n, remote_aff(i, gen), "%s: allreduce (user op) n=%d",
                         split_name, n);
        else
            TC_CHECK_INTS(((int *)r), n, remote_sum(i, gen), "%s: allreduce n=%d", split_name,
                          n);
    }
    end_calls();
    free(s);
    free(r);
}

/* reduce_scatter: both groups reduce vectors of T elements, cut in the local group by
 * uneven local recvcounts; block: recvcount n * R in each group (T = n * L * R). */
static void t_reduce_scatter(int n, int block, int aff)
{
    MPI_Datatype t = aff ? tc_aff_type : MPI_INT;
    MPI_Op op = aff ? tc_aff_op : MPI_SUM;
    size_t es = aff ? sizeof(tc_aff) : sizeof(int);
    int *counts = xmalloc((size_t)L * sizeof(int));
    long total = 0, off = 0;
    if (block) {
        for (int k = 0; k < L; k++)
            counts[k] = n * R;
        total = (long)n * R * L;
    } else {
        total = n == 0 ? 0 : 3L * n + 1;
        for (int k = 0; k < L; k++)   /* the first L - 1 ranks take a third each, at most */
            counts[k] = k == L - 1 ? (int)(total - (long)(L - 1) * (total / 3 / L))
                                   : (int)(total / 3 / L);
    }
    for (int k = 0; k < lr; k++)
        off += counts[k];
    int mine = counts[lr];
    void *s = xmalloc((size_t)total * es), *r = xmalloc((size_t)mine * es);
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < total; i++) {
            if (aff)
                ((tc_aff *)s)[i] = VA(me, i, gen);
            else
                ((int *)s)[i] = V(me, i, gen);
        }
        for (long i = 0; i < mine; i++) {
            if (aff)
                ((tc_aff *)r)[i] = (tc_aff){7u, 7u};
            else
                ((int *)r)[i] = -1;
        }
        if (block)
            CALL(gen, Reduce_scatter_block, Ireduce_scatter_block, Reduce_scatter_block_init,
                 s, r, mine, t, op, ic);
        else
            CALL(gen, Reduce_scatter, Ireduce_scatter, Reduce_scatter_init, s, r, counts, t,
                 op, ic);
        if (aff)
            TC_CHECK_AFF(((tc_aff *)r), mine, remote_aff(off + i, gen), "%s: reduce_scatter%s "
                         "(user op) n=%d", split_name, block ? "_block" : "", n);
        else
            TC_CHECK_INTS(((int *)r), mine, remote_sum(off + i, gen), "%s: reduce_scatter%s "
                          "n=%d", split_name, block ? "_block" : "", n);
    }
    end_calls();
    free(s);
    free(r);
    free(counts);
}

/* The large-count forms (MPI_Count counts, MPI_Aint displacements). */
static void t_large_count(int n)
{
    MPI_Count *cnt = xmalloc((size_t)R * sizeof *cnt), *lcnt = xmalloc((size_t)L * sizeof *lcnt);
    MPI_Aint *dsp = xmalloc((size_t)R * sizeof *dsp);
    MPI_Datatype *types = xmalloc((size_t)R * sizeof *types);
    int *d32 = xmalloc((size_t)R * sizeof(int));
    long total = rev_displs(R, n, d32);
    for (int k = 0; k < R; k++) {
        cnt[k] = cv(k, n);
        dsp[k] = d32[k];
        types[k] = MPI_INT;
    }
    int *s = ints((long)n * R + n + L + 1, 0), *r = ints(total + (long)n * R + 1, -1);
    int root = root_arg(0, 0), mine = cv(lr, n);
    for (int gen = 0; gen < passes(); gen++) {   /* bcast_c from group 0's first rank */
        for (long i = 0; i < n; i++)
            r[i] = root == MPI_ROOT ? V(members[0][0], i, gen) : -1;
        CALL(gen, Bcast_c, Ibcast_c, Bcast_init_c, r, n, MPI_INT, root, ic);
        if (root != MPI_PROC_NULL)
            TC_CHECK_INTS(r, n, V(members[0][0], i, gen), "%s: bcast_c n=%d", split_name, n);
    }
    end_calls();
    for (int gen = 0; gen < passes(); gen++) {   /* allgatherv_c */
        for (long i = 0; i < mine; i++)
            s[i] = V(me, i, gen);
        for (long i = 0; i < total; i++)
            r[i] = -1;
        CALL(gen, Allgatherv_c, Iallgatherv_c, Allgatherv_init_c, s, mine, MPI_INT, r, cnt,
             dsp, MPI_INT, ic);
        for (int k = 0; k < R; k++)
            TC_CHECK_INTS(r + dsp[k], cnt[k], V(rw[k], i, gen), "%s: allgatherv_c n=%d block "
                          "%d", split_name, n, k);
    }
    end_calls();
    for (int k = 0; k < R; k++) {   /* alltoallw_c, uniform blocks: byte displacements */
        cnt[k] = n;
        dsp[k] = (MPI_Aint)k * n * (MPI_Aint)sizeof(int);
    }
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < (long)n * R; i++) {
            s[i] = V(me, i, gen);
            r[i] = -1;
        }
        CALL(gen, Alltoallw_c, Ialltoallw_c, Alltoallw_init_c, s, cnt, dsp, types, r, cnt,
             dsp, types, ic);
        TC_CHECK_INTS(r, (long)n * R, V(rw[i / n], (long)lr * n + i % n, gen),
                      "%s: alltoallw_c n=%d", split_name, n);
    }
    end_calls();
    /* reduce_scatter_c: every local rank gets n * R elements */
    for (int k = 0; k < L; k++)
        lcnt[k] = (MPI_Count)n * R;
    int *big = ints((long)n * R * L, 0);
    for (int gen = 0; gen < passes(); gen++) {
        for (long i = 0; i < (long)n * R * L; i++)
            big[i] = V(me, i, gen);
        for (long i = 0; i < (long)n * R; i++)
            r[i] = -1;
        CALL(gen, Reduce_scatter_c, Ireduce_scatter_c, Reduce_scatter_init_c, big, r, lcnt,
             MPI_INT, MPI_SUM, ic);
        TC_CHECK_INTS(r, (long)n * R, remote_sum((long)lr * n * R + i, gen),
                      "%s: reduce_scatter_c n=%d", split_name, n);
    }
    end_calls();
    free(big);
    free(s);
    free(r);
    free(cnt);
    free(lcnt);
    free(dsp);
    free(types);
    free(d32);
}

/* ---- overlap: nonblocking collectives on the intercomm, on its duplicate, on the local
 * communicator and point-to-point traffic on the intercomm, all in flight together ------- */

static void t_overlap(void)
{
    enum { N = 9 };
    int sa[N], ra[N], sb[N], rb[N], lsum[N], la[N], bc[N], ga[4 * N * 8], gs[N];
    MPI_Request rq[8];
    MPI_Comm dup;
    int nr = 0;
    /* a wildcard receive on the intercomm must not see collective traffic */
    int wild = -5;
    MPI_Request wreq;
    TM_CHECK_RC(MPI_Irecv(&wild, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, ic, &wreq),
                "MPI_Irecv(ANY_SOURCE, ANY_TAG)");
    for (int i = 0; i < N; i++) {
        sa[i] = V(me, i, 0);
        sb[i] = V(me, i, 3);
        la[i] = me * 10 + i;
        gs[i] = V(me, i, 5);
        bc[i] = -1;
        ra[i] = rb[i] = lsum[i] = -1;
    }
    int root = root_arg(1, 0);
    if (root == MPI_ROOT)
        for (int i = 0; i < N; i++)
            bc[i] = V(me, i, 9);
    TM_CHECK_RC(MPI_Iallreduce(sa, ra, N, MPI_INT, MPI_SUM, ic, &rq[nr++]), "MPI_Iallreduce");
    TM_CHECK_RC(MPI_Ibcast(bc, N, MPI_INT, root, ic, &rq[nr++]), "MPI_Ibcast");
    /* a blocking constructor's agreement (over local_comm and the intercomm) meanwhile */
    TM_CHECK_RC(MPI_Comm_dup(ic, &dup), "MPI_Comm_dup(intercomm)");
    TM_CHECK_RC(MPI_Iallreduce(la, lsum, N, MPI_INT, MPI_SUM, lc, &rq[nr++]),
                "MPI_Iallreduce(local comm)");
    TM_CHECK_RC(MPI_Ibarrier(ic, &rq[nr++]), "MPI_Ibarrier");
    TM_CHECK_RC(MPI_Iallreduce(sb, rb, N, MPI_INT, MPI_SUM, dup, &rq[nr++]),
                "MPI_Iallreduce(dup)");
    TM_CHECK_RC(MPI_Iallgather(gs, N, MPI_INT, ga, N, MPI_INT, ic, &rq[nr++]),
                "MPI_Iallgather");
    /* point-to-point on the intercomm meanwhile: to remote rank lr % R, tag 5 */
    int token = me, got;
    TM_CHECK_RC(MPI_Isend(&token, 1, MPI_INT, lr % R, 5, ic, &rq[nr++]), "MPI_Isend");
    TM_CHECK_RC(MPI_Waitall(nr, rq, MPI_STATUSES_IGNORE), "MPI_Waitall");
    TC_CHECK_INTS(ra, N, remote_sum(i, 0), "%s: overlapped iallreduce", split_name);
    TC_CHECK_INTS(rb, N, remote_sum(i, 3), "%s: overlapped iallreduce on the dup", split_name);
    if (root != MPI_PROC_NULL)
        TC_CHECK_INTS(bc, N, V(members[1][0], i, 9), "%s: overlapped ibcast", split_name);
    TC_CHECK_INTS(ga, (long)N * R, V(rw[i / N], i % N, 5), "%s: overlapped iallgather",
                  split_name);
    for (int i = 0; i < N; i++) {
        int want = 0;
        for (int k = 0; k < L; k++)
            want += lw[k] * 10 + i;
        TM_CHECK(lsum[i] == want, "%s: local allreduce element %d is %d, expected %d",
                 split_name, i, lsum[i], want);
    }
    /* the wildcard receive takes the first point-to-point message, if any is for us */
    int expect = 0;
    for (int k = 0; k < R; k++)
        expect += k % L == lr;
    MPI_Status st;
    if (expect > 0) {
        TM_CHECK_RC(MPI_Wait(&wreq, &st), "MPI_Wait(wildcard)");
        TM_CHECK(st.MPI_TAG == 5 && st.MPI_SOURCE % L == lr && wild == rw[st.MPI_SOURCE],
                 "%s: wildcard receive got tag %d from %d (value %d)", split_name, st.MPI_TAG,
                 st.MPI_SOURCE, wild);
        for (int k = 0; k < R; k++)
            if (k % L == lr && k != st.MPI_SOURCE) {
                TM_CHECK_RC(MPI_Recv(&got, 1, MPI_INT, k, 5, ic, MPI_STATUS_IGNORE), "MPI_Recv");
                TM_CHECK(got == rw[k], "%s: pt2pt from %d carried %d", split_name, k, got);
            }
    } else {
        int flag = 1;
        TM_CHECK_RC(MPI_Test(&wreq, &flag, &st), "MPI_Test(wildcard)");
        TM_CHECK(!flag, "%s: a wildcard receive on the intercomm matched a message (tag %d "
                 "from %d)", split_name, st.MPI_TAG, st.MPI_SOURCE);
        if (!flag) {
            TM_CHECK_RC(MPI_Cancel(&wreq), "MPI_Cancel");
            TM_CHECK_RC(MPI_Wait(&wreq, &st), "MPI_Wait(cancelled)");
            MPI_Test_cancelled(&st, &flag);
            TM_CHECK(flag, "%s: wildcard receive not cancelled", split_name);
        }
    }
    TM_CHECK_RC(MPI_Comm_free(&dup), "MPI_Comm_free");
}

/* MPI_Comm_idup of an intercommunicator, and a collective on the copy. */
static void t_idup(void)
{
    MPI_Comm d = MPI_COMM_NULL;
    MPI_Request rq;
    TM_CHECK_RC(MPI_Comm_idup(ic, &d, &rq), "MPI_Comm_idup(intercomm)");
    TM_CHECK_RC(MPI_Wait(&rq, MPI_STATUS_IGNORE), "MPI_Wait(idup)");
    int flag = 0, rs = -1, ls = -1;
    MPI_Comm_test_inter(d, &flag);
    MPI_Comm_remote_size(d, &rs);
    MPI_Comm_size(d, &ls);
    TM_CHECK(flag && rs == R && ls == L, "%s: idup'ed intercomm: inter %d, sizes %d/%d",
             split_name, flag, ls, rs);
    int s[3] = {V(me, 0, 1), V(me, 1, 1), V(me, 2, 1)}, r[3] = {-1, -1, -1};
    TM_CHECK_RC(MPI_Allreduce(s, r, 3, MPI_INT, MPI_SUM, d), "MPI_Allreduce(idup)");
    TC_CHECK_INTS(r, 3, remote_sum(i, 1), "%s: allreduce on the idup'ed intercomm",
                  split_name);
    TM_CHECK_RC(MPI_Comm_free(&d), "MPI_Comm_free(idup)");
}

/* ---- errors --------------------------------------------------------------------------- */

#define EXPECT(cls, call)                                                                  \
    do {                                                                                   \
        int rc_ = (call);                                                                  \
        TM_CHECK(tm_errclass(rc_) == (cls), "%s: %s returned %s, expected class %d",       \
                 split_name, #call, rc_ == MPI_SUCCESS ? "MPI_SUCCESS" : tm_errstr(rc_),   \
                 (cls));                                                                   \
    } while (0)

static void t_errors(void)
{
    int s[64] = {0}, r[64 * 8] = {0}, counts[64], displs[64];
    MPI_Request req = MPI_REQUEST_NULL;
    MPI_Datatype types[64];
    for (int i = 0; i < 64; i++) {
        counts[i] = 1;
        displs[i] = i;
        types[i] = MPI_INT;
    }
    /* roots: beyond the remote group, negative non-special, and (on every rank) a rank of
     * the local group is only valid as a remote rank */
    EXPECT(MPI_ERR_ROOT, MPI_Bcast(s, 1, MPI_INT, R, ic));
    EXPECT(MPI_ERR_ROOT, MPI_Bcast(s, 1, MPI_INT, -7, ic));
    EXPECT(MPI_ERR_ROOT, MPI_Reduce(s, r, 1, MPI_INT, MPI_SUM, R + 2, ic));
    EXPECT(MPI_ERR_ROOT, MPI_Gather(s, 1, MPI_INT, r, 1, MPI_INT, MPI_ANY_SOURCE, ic));
    EXPECT(MPI_ERR_ROOT, MPI_Iscatterv(s, counts, displs, MPI_INT, r, 1, MPI_INT, R, ic,
                                       &req));
    TM_CHECK(req == MPI_REQUEST_NULL, "failed MPI_Iscatterv left a request");
    EXPECT(MPI_ERR_ROOT, MPI_Gatherv_init(s, 1, MPI_INT, r, counts, displs, MPI_INT, -9, ic,
                                          MPI_INFO_NULL, &req));
    TM_CHECK(req == MPI_REQUEST_NULL, "failed MPI_Gatherv_init left a request");
    {
        int rc = MPI_Bcast(s, 1, MPI_INT, R + 5, ic);
        const char *msg = tm_errstr(rc);
        TM_CHECK(strstr(msg, "MPI_ROOT") && strstr(msg, "MPI_PROC_NULL"), "%s: bad-root "
                 "message does not explain the intercommunicator rules: %s", split_name, msg);
    }
    /* MPI_ROOT and MPI_PROC_NULL are not roots on an intracommunicator */
    MPI_Comm_set_errhandler(lc, MPI_ERRORS_RETURN);
    EXPECT(MPI_ERR_ROOT, MPI_Bcast(s, 1, MPI_INT, MPI_ROOT, lc));
    EXPECT(MPI_ERR_ROOT, MPI_Reduce(s, r, 1, MPI_INT, MPI_SUM, MPI_PROC_NULL, lc));

    /* MPI_IN_PLACE is never allowed on an intercommunicator */
    EXPECT(MPI_ERR_BUFFER, MPI_Allreduce(MPI_IN_PLACE, r, 1, MPI_INT, MPI_SUM, ic));
    EXPECT(MPI_ERR_BUFFER, MPI_Iallreduce(MPI_IN_PLACE, r, 1, MPI_INT, MPI_SUM, ic, &req));
    TM_CHECK(req == MPI_REQUEST_NULL, "failed MPI_Iallreduce left a request");
    EXPECT(MPI_ERR_BUFFER, MPI_Allgather(MPI_IN_PLACE, 1, MPI_INT, r, 1, MPI_INT, ic));
    EXPECT(MPI_ERR_BUFFER, MPI_Allgatherv(MPI_IN_PLACE, 1, MPI_INT, r, counts, displs,
                                          MPI_INT, ic));
    EXPECT(MPI_ERR_BUFFER, MPI_Alltoall(MPI_IN_PLACE, 1, MPI_INT, r, 1, MPI_INT, ic));
    EXPECT(MPI_ERR_BUFFER, MPI_Alltoallv(MPI_IN_PLACE, counts, displs, MPI_INT, r, counts,
                                         displs, MPI_INT, ic));
    EXPECT(MPI_ERR_BUFFER, MPI_Alltoallw(MPI_IN_PLACE, counts, displs, types, r, counts,
                                         displs, types, ic));
    EXPECT(MPI_ERR_BUFFER, MPI_Reduce_scatter_block(MPI_IN_PLACE, r, 1, MPI_INT, MPI_SUM,
                                                    ic));
    EXPECT(MPI_ERR_BUFFER, MPI_Reduce_scatter_init(MPI_IN_PLACE, r, counts, MPI_INT, MPI_SUM,
                                                   ic, MPI_INFO_NULL, &req));
    TM_CHECK(req == MPI_REQUEST_NULL, "failed MPI_Reduce_scatter_init left a request");
    {
        int rc = MPI_Allreduce(MPI_IN_PLACE, r, 1, MPI_INT, MPI_SUM, ic);
        TM_CHECK(strstr(tm_errstr(rc), "MPI_IN_PLACE") != NULL, "%s: in-place message: %s",
                 split_name, tm_errstr(rc));
    }
    /* rooted, with group 0 = {world rank 0} as the root group (run on the rank0-vs-rest
     * split), so every rank detects the error: the senders' MPI_IN_PLACE and the root's
     * MPI_IN_PLACE buffers fail. (An MPI_PROC_NULL rank passes nothing significant and
     * would go on alone: ranks must only ever fail together.) */
    int root = root_arg(0, 0);
    EXPECT(MPI_ERR_BUFFER, MPI_Gather(MPI_IN_PLACE, 1, MPI_INT,
                                      root == MPI_ROOT ? MPI_IN_PLACE : r, 1, MPI_INT, root,
                                      ic));
    EXPECT(MPI_ERR_BUFFER, MPI_Reduce(MPI_IN_PLACE, root == MPI_ROOT ? MPI_IN_PLACE : r, 1,
                                      MPI_INT, MPI_SUM, root, ic));
    EXPECT(MPI_ERR_BUFFER, MPI_Scatter(root == MPI_ROOT ? MPI_IN_PLACE : s, 1, MPI_INT,
                                       MPI_IN_PLACE, 1, MPI_INT, root, ic));
    EXPECT(MPI_ERR_BUFFER, MPI_Bcast(MPI_IN_PLACE, 1, MPI_INT, root, ic));

    /* scan and exscan are intracommunicator-only */
    EXPECT(MPI_ERR_COMM, MPI_Scan(s, r, 1, MPI_INT, MPI_SUM, ic));
    EXPECT(MPI_ERR_COMM, MPI_Exscan(s, r, 1, MPI_INT, MPI_SUM, ic));
    EXPECT(MPI_ERR_COMM, MPI_Iscan(s, r, 1, MPI_INT, MPI_SUM, ic, &req));
    TM_CHECK(req == MPI_REQUEST_NULL, "failed MPI_Iscan left a request");
    EXPECT(MPI_ERR_COMM, MPI_Exscan_init(s, r, 1, MPI_INT, MPI_SUM, ic, MPI_INFO_NULL, &req));
    EXPECT(MPI_ERR_COMM, MPI_Scan_c(s, r, 1, MPI_INT, MPI_SUM, ic));
    {
        int rc = MPI_Scan(s, r, 1, MPI_INT, MPI_SUM, ic);
        TM_CHECK(strstr(tm_errstr(rc), "intercommunicator") != NULL, "%s: scan message: %s",
                 split_name, tm_errstr(rc));
    }
    /* the usual argument checks still apply where significant */
    EXPECT(MPI_ERR_COUNT, MPI_Allreduce(s, r, -1, MPI_INT, MPI_SUM, ic));
    EXPECT(MPI_ERR_TYPE, MPI_Allgather(s, 1, MPI_DATATYPE_NULL, r, 1, MPI_INT, ic));
    EXPECT(MPI_ERR_OP, MPI_Allreduce(s, r, 1, MPI_INT, MPI_OP_NULL, ic));
    /* every rank must still agree afterwards: one good collective */
    TM_CHECK_RC(MPI_Barrier(ic), "MPI_Barrier after the errors");
}

/* ---- driver --------------------------------------------------------------------------- */

/* Builds the intercommunicator of split s; returns 0 when the size does not allow it. */
static int make_inter(int split)
{
    int color[64], key[64];
    for (int w = 0; w < p; w++) {
        switch (split) {
        case 0:
            color[w] = w % 2;
            key[w] = w;
            break;
        case 1:
            color[w] = w < 1 ? 0 : 1;
            key[w] = w;
            break;
        default:
            color[w] = w < 2 * p / 3 ? 0 : 1;
            key[w] = -w;
            break;
        }
    }
    static const char *names[] = {"parity", "rank0-vs-rest", "thirds-reversed"};
    split_name = names[split];
    for (int c = 0; c < 2; c++) {
        nmem[c] = 0;
        free(members[c]);
        members[c] = xmalloc((size_t)p * sizeof(int));
        for (int w = 0; w < p; w++)
            if (color[w] == c)
                members[c][nmem[c]++] = w;
        /* by key, then world rank (insertion sort) */
        for (int i = 1; i < nmem[c]; i++)
            for (int j = i; j > 0 && key[members[c][j - 1]] > key[members[c][j]]; j--) {
                int t = members[c][j];
                members[c][j] = members[c][j - 1];
                members[c][j - 1] = t;
            }
    }
    if (nmem[0] == 0 || nmem[1] == 0)
        return 0;
    g = color[me];
    lw = members[g];
    rw = members[1 - g];
    L = nmem[g];
    R = nmem[1 - g];
    TM_CHECK_RC(MPI_Comm_split(MPI_COMM_WORLD, g, key[me], &lc), "MPI_Comm_split");
    MPI_Comm_rank(lc, &lr);
    TM_CHECK(lw[lr] == me, "%s: local rank %d is world %d, expected %d", split_name, lr, me,
             lw[lr]);
    TM_CHECK_RC(MPI_Intercomm_create(lc, 0, MPI_COMM_WORLD, rw[0], 100 + split, &ic),
                "MPI_Intercomm_create");
    MPI_Comm_set_errhandler(ic, MPI_ERRORS_RETURN);
    int rs = -1;
    MPI_Comm_remote_size(ic, &rs);
    TM_CHECK(rs == R, "%s: remote size %d, expected %d", split_name, rs, R);
    return 1;
}

static const int counts[] = {0, 1, 7, 65539};
#define NCOUNTS (int)(sizeof counts / sizeof counts[0])

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &me);
    MPI_Comm_size(MPI_COMM_WORLD, &p);
    if (argc > 1 && !strcmp(argv[1], "nonblocking"))
        mode = NONBLOCKING;
    else if (argc > 1 && !strcmp(argv[1], "persistent"))
        mode = PERSISTENT;
    tc_setup();
    for (int split = 0; split < 3 && p >= 2 && p <= 64; split++) {
        if (!make_inter(split))
            continue;
        t_barrier();
        for (int ci = 0; ci < NCOUNTS; ci++) {
            int n = counts[ci];
            for (int rg = 0; rg < 2; rg++) {
                int ends[2] = {0, nmem[rg] - 1};
                for (int e = 0; e < (ends[1] > 0 ? 2 : 1); e++) {
                    t_bcast(n, rg, ends[e]);
                    t_gather(n, rg, ends[e]);
                    t_gatherv(n, rg, ends[e]);
                    t_scatter(n, rg, ends[e]);
                    t_scatterv(n, rg, ends[e]);
                    t_reduce(n, rg, ends[e], 0);
                    if (n < 1000)
                        t_reduce(n, rg, ends[e], 1);
                }
            }
            t_allgather(n);
            t_allgatherv(n);
            t_alltoall(n);
            t_alltoallv(n, 0);
            t_alltoallv(n, 1);
            t_allreduce(n, 0);
            t_allreduce(n, 1);
            t_reduce_scatter(n, 0, 0);
            t_reduce_scatter(n, 0, 1);
            t_reduce_scatter(n, 1, 0);
            if (n < 1000)
                t_reduce_scatter(n, 1, 1);
            t_large_count(n < 1000 ? n : 4099);
        }
        /* beyond 1 MiB */
        t_bcast(300007, 0, 0);
        t_allreduce(300007, 0);
        t_overlap();
        t_idup();
        if (split == 1)   /* group 0 is one rank: no MPI_PROC_NULL roots */
            t_errors();
        MPI_Comm_free(&ic);
        MPI_Comm_free(&lc);
    }
    free(members[0]);
    free(members[1]);
    tc_teardown();
    return tm_finish();
}
