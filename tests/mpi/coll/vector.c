/* vector.c: the v and w forms (gatherv, scatterv, allgatherv, alltoallv, alltoallw) with
 * irregular counts (zeros included), displacements out of order with gaps that must stay
 * untouched, in-place forms; and non-contiguous derived datatypes (a strided vector type,
 * mixed with plain types of the same signature) through bcast, gather, scatter, allgather
 * and alltoall, large enough to take every algorithm's packed paths.
 */
#include "coll_common.h"

static MPI_Comm comm;
static int p, me;

#define GAP (-7)

static int cnt(int k, int m)  /* irregular, zero for some ranks */
{
    return ((k * 5 + 3) % 4) * m + (k % 3 == 1 ? 0 : 1) * (m > 1);
}

static int aval(int from, int to, long i)
{
    return tc_val(from * 64 + to, i);
}

static void test_gatherv_scatterv(int m, int root, int inplace)
{
    int *counts = tm_malloc((size_t)p * sizeof *counts);
    int *displs = tm_malloc((size_t)p * sizeof *displs);
    long total = 0;
    for (int k = p - 1; k >= 0; k--) {  /* blocks stored in reverse rank order, gaps of 2 */
        counts[k] = cnt(k, m);
        displs[k] = (int)total + 2;
        total += counts[k] + 2;
    }
    int *big = tm_malloc((size_t)(total + 1) * sizeof *big);
    int *mine = tm_malloc((size_t)(counts[me] + 1) * sizeof *mine);
    const char *ip = inplace ? " in place" : "";
    /* gatherv */
    for (long i = 0; i < total; i++)
        big[i] = GAP;
    for (long i = 0; i < counts[me]; i++) {
        mine[i] = tc_val(me, i);
        if (inplace && me == root)
            big[displs[me] + i] = mine[i];
    }
    TM_CHECK_RC(MPI_Gatherv(inplace && me == root ? MPI_IN_PLACE : mine, counts[me], MPI_INT,
                            big, counts, displs, MPI_INT, root, comm), "MPI_Gatherv");
    if (me == root) {
        for (long i = 0; i < total; i++) {
            int owner = -1;
            for (int k = 0; k < p; k++)
                if (i >= displs[k] && i < displs[k] + counts[k])
                    owner = k;
            int want = owner < 0 ? GAP : tc_val(owner, i - displs[owner]);
            if (big[i] != want) {
                TM_CHECK(0, "gatherv m=%d root=%d%s: element %ld is %d, expected %d", m, root,
                         ip, i, big[i], want);
                break;
            }
        }
    }
    /* scatterv: the same layout the other way */
    for (long i = 0; i < total; i++)
        big[i] = GAP;
    for (int k = 0; k < p; k++)
        for (long i = 0; i < counts[k]; i++)
            big[displs[k] + i] = me == root ? aval(root, k, i) : -1;
    for (long i = 0; i <= counts[me]; i++)
        mine[i] = GAP;
    TM_CHECK_RC(MPI_Scatterv(big, counts, displs, MPI_INT,
                             inplace && me == root ? MPI_IN_PLACE : mine, counts[me], MPI_INT,
                             root, comm), "MPI_Scatterv");
    if (!(inplace && me == root)) {
        TC_CHECK_INTS(mine, counts[me], aval(root, me, i), "scatterv m=%d root=%d", m, root);
        TM_CHECK(mine[counts[me]] == GAP, "scatterv wrote past the receive count");
    }
    free(counts);
    free(displs);
    free(big);
    free(mine);
}

static void test_allgatherv(int m, int inplace)
{
    int *counts = tm_malloc((size_t)p * sizeof *counts);
    int *displs = tm_malloc((size_t)p * sizeof *displs);
    long total = 0;
    for (int k = p - 1; k >= 0; k--) {
        counts[k] = cnt(k, m);
        displs[k] = (int)total + 1;
        total += counts[k] + 1;
    }
    int *big = tm_malloc((size_t)(total + 1) * sizeof *big);
    int *mine = tm_malloc((size_t)(counts[me] + 1) * sizeof *mine);
    for (long i = 0; i < total; i++)
        big[i] = GAP;
    for (long i = 0; i < counts[me]; i++) {
        mine[i] = tc_val(me, i);
        if (inplace)
            big[displs[me] + i] = mine[i];
    }
    TM_CHECK_RC(MPI_Allgatherv(inplace ? MPI_IN_PLACE : mine, counts[me], MPI_INT, big, counts,
                               displs, MPI_INT, comm), "MPI_Allgatherv");
    for (long i = 0; i < total; i++) {
        int owner = -1;
        for (int k = 0; k < p; k++)
            if (i >= displs[k] && i < displs[k] + counts[k])
                owner = k;
        int want = owner < 0 ? GAP : tc_val(owner, i - displs[owner]);
        if (big[i] != want) {
            TM_CHECK(0, "allgatherv m=%d%s: element %ld is %d, expected %d", m,
                     inplace ? " in place" : "", i, big[i], want);
            break;
        }
    }
    free(counts);
    free(displs);
    free(big);
    free(mine);
}

/* alltoallv / alltoallw: rank a sends cnt2(a, b) ints to rank b; in place the counts
 * must be symmetric (what a sends to b sits where a receives b's block) */
static int cnt2(int a, int b, int m, int inplace)
{
    if (inplace)
        return ((a + b) % 4) * m / 2 + ((a * b) % 3 == 0 ? 0 : 1);
    return ((a + 2 * b) % 4) * m / 2 + ((a + b) % 3 == 0 ? 0 : 1);
}

static void test_alltoallvw(int m, int w, int inplace)
{
    int *sc = tm_malloc((size_t)p * sizeof(int)), *sd = tm_malloc((size_t)p * sizeof(int));
    int *rc = tm_malloc((size_t)p * sizeof(int)), *rd = tm_malloc((size_t)p * sizeof(int));
    MPI_Datatype *st = tm_malloc((size_t)p * sizeof *st), *rt = tm_malloc((size_t)p * sizeof *rt);
    long stot = 0, rtot = 0;
    for (int k = p - 1; k >= 0; k--) {   /* reverse order with gaps */
        sc[k] = cnt2(me, k, m, inplace);
        rc[k] = cnt2(k, me, m, inplace);
        sd[k] = (int)stot;
        rd[k] = (int)rtot + 1;
        stot += sc[k];
        rtot += rc[k] + 1;
        st[k] = rt[k] = MPI_INT;
    }
    int *sbuf = tm_malloc((size_t)(stot + 1) * sizeof(int));
    int *rbuf = tm_malloc((size_t)(rtot + 1) * sizeof(int));
    for (long i = 0; i < rtot; i++)
        rbuf[i] = GAP;
    for (int k = 0; k < p; k++)
        for (long i = 0; i < sc[k]; i++) {
            if (inplace)
                rbuf[rd[k] + i] = aval(me, k, i);
            else
                sbuf[sd[k] + i] = aval(me, k, i);
        }
    int *sdw = sd, *rdw = rd;
    int *sdb = tm_malloc((size_t)p * sizeof(int)), *rdb = tm_malloc((size_t)p * sizeof(int));
    if (w) {   /* w: byte displacements; odd peers receive through a strided type */
        for (int k = 0; k < p; k++) {
            sdb[k] = sd[k] * (int)sizeof(int);
            rdb[k] = rd[k] * (int)sizeof(int);
        }
        sdw = sdb;
        rdw = rdb;
    }
    int r;
    if (w)
        r = MPI_Alltoallw(inplace ? MPI_IN_PLACE : sbuf, sc, sdw, st, rbuf, rc, rdw, rt, comm);
    else
        r = MPI_Alltoallv(inplace ? MPI_IN_PLACE : sbuf, sc, sd, MPI_INT, rbuf, rc, rd, MPI_INT,
                          comm);
    TM_CHECK_RC(r, w ? "MPI_Alltoallw" : "MPI_Alltoallv");
    for (long i = 0; i < rtot; i++) {
        int owner = -1;
        for (int k = 0; k < p; k++)
            if (i >= rd[k] && i < rd[k] + rc[k])
                owner = k;
        int want = owner < 0 ? GAP : aval(owner, me, i - rd[owner]);
        if (rbuf[i] != want) {
            TM_CHECK(0, "alltoall%s m=%d%s: element %ld is %d, expected %d", w ? "w" : "v", m,
                     inplace ? " in place" : "", i, rbuf[i], want);
            break;
        }
    }
    free(sc);
    free(sd);
    free(rc);
    free(rd);
    free(st);
    free(rt);
    free(sbuf);
    free(rbuf);
    free(sdb);
    free(rdb);
}

/* Alltoallw with a different type on each side: sender uses n ints, receiver a strided
 * vector type holding n ints with holes (same type signature). */
static void test_alltoallw_types(int m)
{
    int n = m + 1;
    MPI_Datatype strided;
    MPI_Type_vector(n, 1, 2, MPI_INT, &strided);
    MPI_Type_commit(&strided);
    int *sc = tm_malloc((size_t)p * sizeof(int)), *sd = tm_malloc((size_t)p * sizeof(int));
    int *rc = tm_malloc((size_t)p * sizeof(int)), *rd = tm_malloc((size_t)p * sizeof(int));
    MPI_Datatype *st = tm_malloc((size_t)p * sizeof *st), *rt = tm_malloc((size_t)p * sizeof *rt);
    int *sbuf = tm_malloc((size_t)p * n * sizeof(int));
    int *rbuf = tm_malloc((size_t)p * 2 * n * sizeof(int));
    for (int k = 0; k < p; k++) {
        sc[k] = n;
        st[k] = MPI_INT;
        sd[k] = k * n * (int)sizeof(int);
        rc[k] = 1;
        rt[k] = strided;
        rd[k] = (p - 1 - k) * 2 * n * (int)sizeof(int);
        for (int i = 0; i < n; i++)
            sbuf[k * n + i] = aval(me, k, i);
    }
    for (int i = 0; i < p * 2 * n; i++)
        rbuf[i] = GAP;
    TM_CHECK_RC(MPI_Alltoallw(sbuf, sc, sd, st, rbuf, rc, rd, rt, comm), "MPI_Alltoallw types");
    for (int k = 0; k < p; k++) {
        int *at = rbuf + (p - 1 - k) * 2 * n;
        for (int i = 0; i < 2 * n; i++) {
            int want = i % 2 ? GAP : aval(k, me, i / 2);
            if (i == 2 * n - 1)
                want = GAP;
            if (at[i] != want) {
                TM_CHECK(0, "alltoallw strided from %d: int %d is %d, expected %d", k, i, at[i],
                         want);
                break;
            }
        }
    }
    MPI_Type_free(&strided);
    free(sc);
    free(sd);
    free(rc);
    free(rd);
    free(st);
    free(rt);
    free(sbuf);
    free(rbuf);
}

/* ---- derived types through the regular collectives ------------------------------------- */

/* vec: 3 blocks of 2 ints, stride 3 -> 6 ints of data in an extent of 8 ints */
static MPI_Datatype vec, six;
#define VEXT 8
static int vec_data_at(int j)  /* j-th data int of an element: position in the extent */
{
    return (j / 2) * 3 + j % 2;
}

static void fill_vec(int *buf, int n, int (*f)(int, long), int who)
{
    for (long i = 0; i < (long)n * VEXT; i++)
        buf[i] = GAP;
    for (long e = 0; e < n; e++)
        for (int j = 0; j < 6; j++)
            buf[e * VEXT + vec_data_at(j)] = f(who, e * 6 + j);
}

static int check_vec(const int *buf, int n, int who, const char *what)
{
    for (long e = 0; e < n; e++) {
        for (int k = 0; k < VEXT; k++) {
            int want = GAP;
            for (int j = 0; j < 6; j++)
                if (vec_data_at(j) == k)
                    want = tc_val(who, e * 6 + j);
            if (buf[e * VEXT + k] != want) {
                TM_CHECK(0, "%s: element %ld int %d is %d, expected %d%s", what, e, k,
                         buf[e * VEXT + k], want, want == GAP ? " (a hole)" : "");
                return 0;
            }
        }
    }
    return 1;
}

static void test_derived(int n)
{
    int *v = tm_malloc((size_t)(n + 1) * VEXT * p * sizeof(int));
    int *c = tm_malloc((size_t)(n + 1) * 6 * p * sizeof(int));
    char what[80];
    /* bcast of strided data */
    for (int root = 0; root < p; root += (p > 2 ? p - 1 : 1)) {
        fill_vec(v, n, tc_val, me == root ? root : 999);
        TM_CHECK_RC(MPI_Bcast(v, n, vec, root, comm), "MPI_Bcast vec");
        snprintf(what, sizeof what, "bcast vec n=%d root=%d", n, root);
        check_vec(v, n, root, what);
        /* gather: contiguous ints in, strided out at the root */
        for (long i = 0; i < (long)n * 6; i++)
            c[i] = tc_val(me, i);
        for (long i = 0; i < (long)n * VEXT * p; i++)
            v[i] = GAP;
        TM_CHECK_RC(MPI_Gather(c, n, six, v, n, vec, root, comm), "MPI_Gather six->vec");
        if (me == root)
            for (int k = 0; k < p; k++) {
                snprintf(what, sizeof what, "gather vec n=%d root=%d block %d", n, root, k);
                if (!check_vec(v + (long)k * n * VEXT, n, k, what))
                    break;
            }
        /* scatter: strided at the root, contiguous ints out */
        for (int k = 0; k < p; k++)
            fill_vec(v + (long)k * n * VEXT, n, tc_val, k);
        for (long i = 0; i < (long)n * 6; i++)
            c[i] = GAP;
        TM_CHECK_RC(MPI_Scatter(v, n, vec, c, n * 6, MPI_INT, root, comm), "MPI_Scatter vec");
        TC_CHECK_INTS(c, (long)n * 6, tc_val(me, i), "scatter vec n=%d root=%d", n, root);
    }
    /* allgather: contiguous in, strided out */
    for (long i = 0; i < (long)n * 6; i++)
        c[i] = tc_val(me, i);
    for (long i = 0; i < (long)n * VEXT * p; i++)
        v[i] = GAP;
    TM_CHECK_RC(MPI_Allgather(c, n * 6, MPI_INT, v, n, vec, comm), "MPI_Allgather vec");
    for (int k = 0; k < p; k++) {
        snprintf(what, sizeof what, "allgather vec n=%d block %d", n, k);
        if (!check_vec(v + (long)k * n * VEXT, n, k, what))
            break;
    }
    /* alltoall: strided both ways, in place too */
    for (int ip = 0; ip < 2; ip++) {
        int *s = tm_malloc((size_t)(n + 1) * VEXT * p * sizeof(int));
        for (int k = 0; k < p; k++)
            fill_vec((ip ? v : s) + (long)k * n * VEXT, n, tc_val, me * 64 + k);
        if (!ip)
            for (long i = 0; i < (long)n * VEXT * p; i++)
                v[i] = GAP;
        TM_CHECK_RC(MPI_Alltoall(ip ? MPI_IN_PLACE : s, n, vec, v, n, vec, comm),
                    "MPI_Alltoall vec");
        for (int k = 0; k < p; k++) {
            snprintf(what, sizeof what, "alltoall vec n=%d%s block %d", n, ip ? " in place" : "",
                     k);
            if (!check_vec(v + (long)k * n * VEXT, n, k * 64 + me, what))
                break;
        }
        free(s);
    }
    free(v);
    free(c);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_dup(MPI_COMM_WORLD, &comm);
    MPI_Comm_size(comm, &p);
    MPI_Comm_rank(comm, &me);
    MPI_Type_vector(3, 2, 3, MPI_INT, &vec);
    MPI_Type_commit(&vec);
    MPI_Type_contiguous(6, MPI_INT, &six);
    MPI_Type_commit(&six);
    static const int ms[] = {0, 1, 5, 4099};
    for (int c = 0; c < 4; c++) {
        int m = ms[c];
        for (int root = 0; root < p; root++) {
            if (m > 100 && root > 0 && root < p - 1)
                continue;
            for (int ip = 0; ip < 2; ip++)
                test_gatherv_scatterv(m, root, ip);
        }
        for (int ip = 0; ip < 2; ip++) {
            test_allgatherv(m, ip);
            test_alltoallvw(m, 0, ip);
            test_alltoallvw(m, 1, ip);
        }
        test_alltoallw_types(m);
    }
    static const int ns[] = {0, 1, 3, 2731};  /* 2731 elements: 64 KiB of data each */
    for (int c = 0; c < 4; c++)
        test_derived(ns[c]);
    MPI_Type_free(&vec);
    MPI_Type_free(&six);
    MPI_Comm_free(&comm);
    return tm_finish();
}
