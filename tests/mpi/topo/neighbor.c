/* topo/neighbor.c: the blocking neighborhood collectives (allgather, allgatherv, alltoall,
 * alltoallv, alltoallw) on every topology of nbr_topos.h: periodic and non-periodic grids
 * (with dimensions of size 1 and 2, where both neighbours are one process), a graph with a
 * self-loop and a doubled edge, distributed graphs (asymmetric, weighted, repeated edges,
 * no edges, and ones built by MPI_Dist_graph_create from edges named by arbitrary
 * processes). Every rank checks every received block against what its neighbour sent,
 * computed from the topology's definition; MPI_PROC_NULL neighbours' blocks must stay
 * untouched. Counts 0, 1, odd and over 1 MiB; gapped and reversed displacements;
 * non-contiguous types; and bad input. The other forms (nonblocking, persistent, large
 * counts) are in ineighbor.c. */
#include "nbr_topos.h"

#define LARGE ((1 << 18) + 3)   /* ints: just over 1 MiB per block */

/* The value element k of block j sent by rank s carries. */
static int val(int s, int j, int k)
{
    return ((s * 32 + j) << 20) + k;
}

/* Checks count elements at p: from rank s block j, or untouched for MPI_PROC_NULL. */
static void check_block(const struct topo *t, const char *op, int i, const int *p, int count,
                        int j)
{
    int s = t->src[rank][i];
    for (int k = 0; k < count; k++) {
        int want = s == MPI_PROC_NULL ? SENTINEL : val(s, j, k);
        if (p[k] != want) {
            TM_CHECK(0, "%s %s: slot %d (from %d) element %d of %d = %d, expected %d",
                     t->name, op, i, s, k, count, p[k], want);
            return;
        }
    }
}

static void run_allgather(const struct topo *t, int count)
{
    int nin = t->nin[rank];
    int *sb = alloc_ints((size_t)count, 0), *rb = alloc_ints((size_t)count * nin, SENTINEL);
    for (int k = 0; k < count; k++)
        sb[k] = val(rank, 0, k);
    TM_CHECK_RC(MPI_Neighbor_allgather(sb, count, MPI_INT, rb, count, MPI_INT, t->comm),
                "Neighbor_allgather");
    for (int i = 0; i < nin; i++)
        check_block(t, "allgather", i, rb + (size_t)i * count, count, 0);
    free(sb);
    free(rb);
}

/* How many ints rank s sends in allgatherv, and to its block j in alltoallv/w. */
static int vcount(int s)
{
    return (s * 7 + 1) % 4;
}

static int wcount(int s, int j)
{
    return (s + 3 * j) % 5;
}

static void run_allgatherv(const struct topo *t)
{
    int nin = t->nin[rank], c = vcount(rank);
    int rc[MAXN], dis[MAXN], total = 0;
    /* Reversed order with a gap of 2 between blocks. */
    for (int i = nin - 1; i >= 0; i--) {
        int s = t->src[rank][i];
        rc[i] = s == MPI_PROC_NULL ? 3 : vcount(s);
        dis[i] = total;
        total += rc[i] + 2;
    }
    int *sb = alloc_ints((size_t)c, 0), *rb = alloc_ints((size_t)total, SENTINEL);
    for (int k = 0; k < c; k++)
        sb[k] = val(rank, 0, k);
    TM_CHECK_RC(MPI_Neighbor_allgatherv(sb, c, MPI_INT, rb, rc, dis, MPI_INT, t->comm),
                "Neighbor_allgatherv");
    for (int i = 0; i < nin; i++) {
        check_block(t, "allgatherv", i, rb + dis[i], rc[i], 0);
        TM_CHECK(rb[dis[i] + rc[i]] == SENTINEL && rb[dis[i] + rc[i] + 1] == SENTINEL,
                 "%s allgatherv: gap after slot %d written", t->name, i);
    }
    free(sb);
    free(rb);
}

static void run_alltoall(const struct topo *t, int count)
{
    int nin = t->nin[rank], nout = t->nout[rank];
    int *sb = alloc_ints((size_t)count * nout, 0), *rb = alloc_ints((size_t)count * nin,
                                                                      SENTINEL);
    for (int j = 0; j < nout; j++)
        for (int k = 0; k < count; k++)
            sb[(size_t)j * count + k] = val(rank, j, k);
    TM_CHECK_RC(MPI_Neighbor_alltoall(sb, count, MPI_INT, rb, count, MPI_INT, t->comm),
                "Neighbor_alltoall");
    for (int i = 0; i < nin; i++)
        check_block(t, "alltoall", i, rb + (size_t)i * count, count, sent_block(t, i));
    free(sb);
    free(rb);
}

static void run_alltoallv(const struct topo *t)
{
    int nin = t->nin[rank], nout = t->nout[rank];
    int sc[MAXN], sd[MAXN], rc[MAXN], rd[MAXN], stot = 0, rtot = 0;
    for (int j = nout - 1; j >= 0; j--) {
        sc[j] = wcount(rank, j);
        sd[j] = stot;
        stot += sc[j] + 1;
    }
    for (int i = nin - 1; i >= 0; i--) {
        int s = t->src[rank][i];
        rc[i] = s == MPI_PROC_NULL ? 2 : wcount(s, sent_block(t, i));
        rd[i] = rtot;
        rtot += rc[i] + 1;
    }
    int *sb = alloc_ints((size_t)stot, 0), *rb = alloc_ints((size_t)rtot, SENTINEL);
    for (int j = 0; j < nout; j++)
        for (int k = 0; k < sc[j]; k++)
            sb[sd[j] + k] = val(rank, j, k);
    TM_CHECK_RC(MPI_Neighbor_alltoallv(sb, sc, sd, MPI_INT, rb, rc, rd, MPI_INT, t->comm),
                "Neighbor_alltoallv");
    for (int i = 0; i < nin; i++) {
        check_block(t, "alltoallv", i, rb + rd[i], rc[i], sent_block(t, i));
        TM_CHECK(rb[rd[i] + rc[i]] == SENTINEL, "%s alltoallv: gap after slot %d written",
                 t->name, i);
    }
    free(sb);
    free(rb);
}

/* Odd blocks go out of a strided layout (a vector type: every other int); every block is
 * received as one contiguous type of its whole length. Displacements are in bytes. */
static void run_alltoallw(const struct topo *t)
{
    int nin = t->nin[rank], nout = t->nout[rank];
    int sc[MAXN], rc[MAXN];
    MPI_Aint sd[MAXN], rd[MAXN];
    MPI_Datatype st[MAXN], rt[MAXN];
    size_t stot = 0, rtot = 0;
    for (int j = 0; j < nout; j++) {
        int c = wcount(rank, j);
        sd[j] = (MPI_Aint)(stot * sizeof(int));
        if (j % 2 && c > 0) {
            MPI_Type_vector(c, 1, 2, MPI_INT, &st[j]);
            MPI_Type_commit(&st[j]);
            sc[j] = 1;
            stot += 2 * (size_t)c;
        } else {
            st[j] = MPI_INT;
            sc[j] = c;
            stot += (size_t)c + 1;
        }
    }
    for (int i = nin - 1; i >= 0; i--) {
        int s = t->src[rank][i];
        int c = s == MPI_PROC_NULL ? 2 : wcount(s, sent_block(t, i));
        rd[i] = (MPI_Aint)(rtot * sizeof(int));
        rtot += (size_t)c + 1;
        if (c > 0) {
            MPI_Type_contiguous(c, MPI_INT, &rt[i]);
            MPI_Type_commit(&rt[i]);
            rc[i] = 1;
        } else {
            rt[i] = MPI_INT;
            rc[i] = 0;
        }
    }
    int *sb = alloc_ints(stot, 0), *rb = alloc_ints(rtot, SENTINEL);
    for (int j = 0; j < nout; j++) {
        int c = wcount(rank, j), stride = st[j] == MPI_INT ? 1 : 2;
        for (int k = 0; k < c; k++)
            sb[sd[j] / (MPI_Aint)sizeof(int) + k * stride] = val(rank, j, k);
    }
    TM_CHECK_RC(MPI_Neighbor_alltoallw(sb, sc, sd, st, rb, rc, rd, rt, t->comm),
                "Neighbor_alltoallw");
    for (int i = 0; i < nin; i++) {
        int s = t->src[rank][i];
        int c = s == MPI_PROC_NULL ? 2 : wcount(s, sent_block(t, i));
        int *p = rb + rd[i] / (MPI_Aint)sizeof(int);
        check_block(t, "alltoallw", i, p, c, sent_block(t, i));
        TM_CHECK(p[c] == SENTINEL, "%s alltoallw: gap after slot %d written", t->name, i);
    }
    for (int j = 0; j < nout; j++)
        if (st[j] != MPI_INT)
            MPI_Type_free(&st[j]);
    for (int i = 0; i < nin; i++)
        if (rt[i] != MPI_INT)
            MPI_Type_free(&rt[i]);
    free(sb);
    free(rb);
}

static void run_all(struct topo *t)
{
    check_lists(t);
    int counts[] = {0, 1, 5, LARGE};
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        run_allgather(t, counts[c]);
        run_alltoall(t, counts[c]);
    }
    run_allgatherv(t);
    run_alltoallv(t);
    run_alltoallw(t);
    /* Twice in a row, so a fast rank's second round meets a slow rank's first. */
    run_alltoall(t, 3);
    run_alltoall(t, 3);
    MPI_Comm_free(&t->comm);
}

static void test_errors(void)
{
    struct topo t;
    int dims[1] = {size}, periods[1] = {1};
    cart_topo(&t, "ring", 1, dims, periods);
    MPI_Comm c = t.comm;
    MPI_Comm_set_errhandler(c, MPI_ERRORS_RETURN);
    int sb[4] = {1, 2, 3, 4}, rb[8], cnt[2] = {1, 1}, dis[2] = {0, 1};
    MPI_Aint ad[2] = {0, 4};
    MPI_Datatype ty[2] = {MPI_INT, MPI_INT}, bad[2] = {MPI_INT, MPI_DATATYPE_NULL};
    CHECK_CLASS(MPI_Neighbor_allgather(sb, 1, MPI_INT, rb, 1, MPI_INT, MPI_COMM_WORLD),
                MPI_ERR_TOPOLOGY, "allgather without a topology");
    CHECK_CLASS(MPI_Neighbor_alltoallw(sb, cnt, ad, ty, rb, cnt, ad, ty, MPI_COMM_SELF),
                MPI_ERR_TOPOLOGY, "alltoallw without a topology");
    CHECK_CLASS(MPI_Neighbor_alltoall(sb, 1, MPI_INT, rb, 1, MPI_INT, MPI_COMM_NULL),
                MPI_ERR_COMM, "MPI_COMM_NULL");
    CHECK_CLASS(MPI_Neighbor_allgather(MPI_IN_PLACE, 1, MPI_INT, rb, 1, MPI_INT, c),
                MPI_ERR_BUFFER, "MPI_IN_PLACE");
    CHECK_CLASS(MPI_Neighbor_alltoall(sb, 1, MPI_INT, MPI_IN_PLACE, 1, MPI_INT, c),
                MPI_ERR_BUFFER, "MPI_IN_PLACE recvbuf");
    CHECK_CLASS(MPI_Neighbor_allgather(sb, -1, MPI_INT, rb, 1, MPI_INT, c), MPI_ERR_COUNT,
                "sendcount -1");
    CHECK_CLASS(MPI_Neighbor_alltoall(sb, 1, MPI_INT, rb, -2, MPI_INT, c), MPI_ERR_COUNT,
                "recvcount -2");
    CHECK_CLASS(MPI_Neighbor_alltoall(sb, 1, MPI_DATATYPE_NULL, rb, 1, MPI_INT, c),
                MPI_ERR_TYPE, "sendtype null");
    CHECK_CLASS(MPI_Neighbor_allgather(NULL, 1, MPI_INT, rb, 1, MPI_INT, c), MPI_ERR_BUFFER,
                "sendbuf NULL");
    CHECK_CLASS(MPI_Neighbor_allgatherv(sb, 1, MPI_INT, rb, NULL, dis, MPI_INT, c),
                MPI_ERR_ARG, "recvcounts NULL");
    int negc[2] = {1, -1};
    int rc = MPI_Neighbor_alltoallv(sb, cnt, dis, MPI_INT, rb, negc, dis, MPI_INT, c);
    CHECK_CLASS(rc, MPI_ERR_COUNT, "recvcounts[1] = -1");
    TM_CHECK(strstr(tm_errstr(rc), "recvcounts[1]") != NULL, "message: %s", tm_errstr(rc));
    CHECK_CLASS(MPI_Neighbor_alltoallw(sb, cnt, ad, bad, rb, cnt, ad, ty, c), MPI_ERR_TYPE,
                "sendtypes[1] null");
    CHECK_CLASS(MPI_Neighbor_alltoallw(sb, cnt, ad, ty, rb, cnt, ad, NULL, c), MPI_ERR_ARG,
                "recvtypes NULL");
    MPI_Datatype uncommitted;
    MPI_Type_contiguous(2, MPI_INT, &uncommitted);
    CHECK_CLASS(MPI_Neighbor_alltoall(sb, 1, MPI_INT, rb, 1, uncommitted, c), MPI_ERR_TYPE,
                "uncommitted recvtype");
    MPI_Type_free(&uncommitted);
    /* Longer messages than the receive blocks: every receiver sees the truncation. */
    CHECK_CLASS(MPI_Neighbor_allgather(sb, 2, MPI_INT, rb, 1, MPI_INT, c), MPI_ERR_TRUNCATE,
                "truncated");
    /* The communicator still works afterwards. */
    run_alltoall(&t, 2);
    MPI_Comm_free(&t.comm);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    if (size > 8) {
        fprintf(stderr, "this test runs on up to 8 ranks\n");
        return 1;
    }
    for_each_topo(run_all);
    test_errors();
    return tm_finish();
}
