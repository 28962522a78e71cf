/* topo/nbr_topos.h: the topologies the neighborhood collective tests run over, with every
 * rank's neighbour lists computed here from each topology's definition (not asked of the
 * library), so a test can tell which block of which rank must land in each receive slot.
 *
 * Cartesian: periodic and open rings, 2-D grids half periodic and fully periodic, a 3-D
 * grid with dimensions of size 1 (periodic: self both ways; open: no neighbours), and a
 * 2 x n/2 torus (a periodic dimension of 2: both neighbours are one process). Graph: a
 * ring with a self-loop and a doubled edge. Distributed graph: asymmetric adjacent lists
 * with a repeated edge, a gather onto rank 0, no edges at all, edges named by arbitrary
 * processes, and a weighted asymmetric graph from MPI_Dist_graph_create. */
#ifndef NBR_TOPOS_H
#define NBR_TOPOS_H

#include "../common.h"

static int size, rank;

/* The call (evaluated once) must fail with error class cls. */
#define CHECK_CLASS(call, cls, what)                                                       \
    do {                                                                                   \
        int cc_rc_ = (call);                                                               \
        TM_CHECK(cc_rc_ != MPI_SUCCESS && tm_errclass(cc_rc_) == (cls),                    \
                 "%s: got %d (%s), expected class %d", (what), cc_rc_,                     \
                 cc_rc_ ? tm_errstr(cc_rc_) : "success", (cls));                           \
    } while (0)

#define MAXN 32
#define SENTINEL (-1)

/* Every rank's neighbour lists. */
struct topo {
    const char *name;
    MPI_Comm comm;
    int cart;                        /* Cartesian: block s lands in block s ^ 1 */
    int weighted;                    /* distributed graph with weights */
    int large;                       /* worth running the large-count cases on */
    int nin[8], nout[8];
    int src[8][MAXN], dst[8][MAXN];
    int srcw[8][MAXN], dstw[8][MAXN];
};

/* Which block the sender of my receive slot i put in it (-1: none, MPI_PROC_NULL). */
static TM_UNUSED int sent_block(const struct topo *t, int i)
{
    if (t->cart)
        return i ^ 1;
    int s = t->src[rank][i], occ = 0;
    if (s == MPI_PROC_NULL)
        return -1;
    for (int a = 0; a < i; a++)
        occ += t->src[rank][a] == s;
    for (int j = 0; j < t->nout[s]; j++)
        if (t->dst[s][j] == rank && occ-- == 0)
            return j;
    return -1;
}

/* Distributed graphs: the library's lists (and weights) must be the computed ones. */
static TM_UNUSED void check_lists(const struct topo *t)
{
    int kind;
    MPI_Topo_test(t->comm, &kind);
    if (kind != MPI_DIST_GRAPH)
        return;
    int in, out, w, s[MAXN], d[MAXN], sw[MAXN], dw[MAXN];
    MPI_Dist_graph_neighbors_count(t->comm, &in, &out, &w);
    TM_CHECK(in == t->nin[rank] && out == t->nout[rank], "%s: degrees %d %d, expected %d %d",
             t->name, in, out, t->nin[rank], t->nout[rank]);
    TM_CHECK(!w == !t->weighted, "%s: weighted = %d", t->name, w);
    if (t->weighted) {
        MPI_Dist_graph_neighbors(t->comm, MAXN, s, sw, MAXN, d, dw);
    } else {
        MPI_Dist_graph_neighbors(t->comm, MAXN, s, MPI_UNWEIGHTED, MAXN, d, MPI_UNWEIGHTED);
    }
    for (int i = 0; i < in && i < t->nin[rank]; i++) {
        TM_CHECK(s[i] == t->src[rank][i], "%s: source %d", t->name, i);
        TM_CHECK(!t->weighted || sw[i] == t->srcw[rank][i], "%s: source weight %d = %d, "
                 "expected %d", t->name, i, sw[i], t->srcw[rank][i]);
    }
    for (int i = 0; i < out && i < t->nout[rank]; i++) {
        TM_CHECK(d[i] == t->dst[rank][i], "%s: destination %d", t->name, i);
        TM_CHECK(!t->weighted || dw[i] == t->dstw[rank][i], "%s: destination weight %d = %d, "
                 "expected %d", t->name, i, dw[i], t->dstw[rank][i]);
    }
}

static TM_UNUSED int *alloc_ints(size_t n, int fill)
{
    int *p = tm_malloc(sizeof(int) * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        p[i] = fill;
    return p;
}

/* ---- topologies ------------------------------------------------------------------------------ */

static void cart_topo(struct topo *t, const char *name, int nd, const int *dims,
                      const int *periods)
{
    memset(t, 0, sizeof *t);
    t->name = name;
    t->cart = 1;
    MPI_Cart_create(MPI_COMM_WORLD, nd, dims, periods, 0, &t->comm);
    int n = 1;
    for (int d = 0; d < nd; d++)
        n *= dims[d];
    for (int r = 0; r < n; r++) {
        int c[3], x = r;
        for (int d = nd - 1; d >= 0; d--) {
            c[d] = x % dims[d];
            x /= dims[d];
        }
        t->nin[r] = t->nout[r] = 2 * nd;
        for (int d = 0; d < nd; d++) {
            for (int dir = 0; dir < 2; dir++) {
                int v = c[d] + (dir ? 1 : -1), nb;
                if (periods[d])
                    v = (v + dims[d]) % dims[d];
                if (v < 0 || v >= dims[d]) {
                    nb = MPI_PROC_NULL;
                } else {
                    int cc[3] = {c[0], c[1], c[2]};
                    cc[d] = v;
                    nb = 0;
                    for (int e = 0; e < nd; e++)
                        nb = nb * dims[e] + cc[e];
                }
                t->src[r][2 * d + dir] = t->dst[r][2 * d + dir] = nb;
            }
        }
    }
}

static void graph_topo(struct topo *t)
{
    memset(t, 0, sizeof *t);
    t->name = "graph";
    int index[8], edges[64], k = 0, n = size;
    for (int i = 0; i < n; i++) {
        int start = k;
        edges[k++] = (i + n - 1) % n;
        edges[k++] = (i + 1) % n;
        if (i == 0)
            edges[k++] = 0;                 /* self-loop */
        if (n >= 3 && i == 1)
            edges[k++] = 2;                 /* doubled edge 1 - 2 */
        if (n >= 3 && i == 2)
            edges[k++] = 1;
        index[i] = k;
        t->nin[i] = t->nout[i] = k - start;
        for (int e = start; e < k; e++)
            t->src[i][e - start] = t->dst[i][e - start] = edges[e];
    }
    MPI_Graph_create(MPI_COMM_WORLD, n, index, edges, 0, &t->comm);
}

/* Out: r+1, r+2, r+1; in: r-1, r-2, r-1 (given to create_adjacent). */
static void adjacent_topo(struct topo *t)
{
    memset(t, 0, sizeof *t);
    t->name = "dist adjacent";
    int n = size;
    for (int r = 0; r < n; r++) {
        t->nin[r] = t->nout[r] = 3;
        int in[3] = {(r + n - 1) % n, (r + n - 2) % n, (r + n - 1) % n};
        int out[3] = {(r + 1) % n, (r + 2) % n, (r + 1) % n};
        memcpy(t->src[r], in, sizeof in);
        memcpy(t->dst[r], out, sizeof out);
    }
    MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 3, t->src[rank], MPI_UNWEIGHTED, 3,
                                   t->dst[rank], MPI_UNWEIGHTED, MPI_INFO_NULL, 0, &t->comm);
}

/* Rank 0 hears from everyone; nobody sends to anyone else. */
static void gather_topo(struct topo *t)
{
    memset(t, 0, sizeof *t);
    t->name = "dist gather";
    for (int r = 0; r < size; r++) {
        t->src[0][r] = r;
        t->nout[r] = 1;
        t->dst[r][0] = 0;
    }
    t->nin[0] = size;
    MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, t->nin[rank], t->src[rank], MPI_UNWEIGHTED,
                                   1, t->dst[rank], MPI_UNWEIGHTED, MPI_INFO_NULL, 0,
                                   &t->comm);
}

static void empty_topo(struct topo *t)
{
    memset(t, 0, sizeof *t);
    t->name = "dist empty";
    MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 0, NULL, MPI_UNWEIGHTED, 0, NULL,
                                   MPI_UNWEIGHTED, MPI_INFO_NULL, 0, &t->comm);
}

/* MPI_Dist_graph_create with edges named by arbitrary processes (an LCG, the same on every
 * rank); neighbour order as documented: by naming rank, then position. */
static void arbitrary_topo(struct topo *t)
{
    memset(t, 0, sizeof *t);
    t->name = "dist arbitrary";
    int my_n = 0, my_src[MAXN], my_deg[MAXN], my_dst[MAXN];
    unsigned x = 777u + (unsigned)size;
    for (int o = 0; o < size; o++) {
        int m = 1 + (int)((x >> 3) % 4u);
        for (int e = 0; e < m; e++) {
            x = x * 1103515245u + 12345u;
            int s = (int)((x >> 8) % (unsigned)size);
            x = x * 1103515245u + 12345u;
            int d = (int)((x >> 8) % (unsigned)size);
            if (t->nout[s] >= MAXN || t->nin[d] >= MAXN)
                continue;
            t->dst[s][t->nout[s]++] = d;
            t->src[d][t->nin[d]++] = s;
            if (o == rank) {
                my_src[my_n] = s;
                my_deg[my_n] = 1;
                my_dst[my_n++] = d;
            }
        }
        x = x * 1103515245u + 12345u;
    }
    int rc = MPI_Dist_graph_create(MPI_COMM_WORLD, my_n, my_src, my_deg, my_dst, MPI_UNWEIGHTED,
                                   MPI_INFO_NULL, 0, &t->comm);
    TM_CHECK_RC(rc, "Dist_graph_create");
}

/* Weighted and asymmetric, from MPI_Dist_graph_create: rank o names its own edges
 * o -> o+1 (weight 10o + 1) and o -> o+3 (weight 10o + 3), so it hears from o-1 and o-3;
 * every rank except the last also names the edge last -> o (weight 7), so the last rank
 * sends to everyone and hears from nobody extra. */
static void weighted_topo(struct topo *t)
{
    memset(t, 0, sizeof *t);
    t->name = "dist weighted";
    t->weighted = 1;
    int n = size, last = n - 1;
    int my_n = 0, my_src[4], my_deg[4], my_dst[8], my_w[8], k = 0;
    for (int o = 0; o < n; o++) {
        /* node o's edges, in the order o names them: (o: o+1, o+3), then (last: o) */
        int es[3] = {o, o, last}, ed[3] = {(o + 1) % n, (o + 3) % n, o};
        int ew[3] = {10 * o + 1, 10 * o + 3, 7};
        int ne = o == last ? 2 : 3;
        for (int e = 0; e < ne; e++) {
            int s = es[e], d = ed[e];
            t->dstw[s][t->nout[s]] = ew[e];
            t->dst[s][t->nout[s]++] = d;
            t->srcw[d][t->nin[d]] = ew[e];
            t->src[d][t->nin[d]++] = s;
        }
        if (o == rank) {
            my_src[my_n] = o;
            my_deg[my_n++] = 2;
            for (int e = 0; e < 2; e++) {
                my_dst[k] = ed[e];
                my_w[k++] = ew[e];
            }
            if (o != last) {
                my_src[my_n] = last;
                my_deg[my_n++] = 1;
                my_dst[k] = o;
                my_w[k++] = 7;
            }
        }
    }
    int rc = MPI_Dist_graph_create(MPI_COMM_WORLD, my_n, my_src, my_deg, my_dst, my_w,
                                   MPI_INFO_NULL, 0, &t->comm);
    TM_CHECK_RC(rc, "Dist_graph_create (weighted)");
}

/* Runs run(t) over every topology (run frees t->comm), on the ranks each one includes.
 * t->large marks a few (a grid, a torus with both neighbours one process, a graph, a
 * weighted distributed graph) for the slower large-count cases. */
static TM_UNUSED void for_each_topo(void (*run)(struct topo *t))
{
    static struct topo t;
    {
        int dims[1] = {size}, p1[1] = {1}, p0[1] = {0};
        cart_topo(&t, "periodic ring", 1, dims, p1);
        t.large = 1;
        run(&t);
        cart_topo(&t, "line", 1, dims, p0);
        run(&t);
    }
    {
        int dims[2] = {0, 0}, periods[2] = {1, 0};
        MPI_Dims_create(size, 2, dims);
        cart_topo(&t, "2-D half periodic", 2, dims, periods);
        run(&t);
        int pp[2] = {1, 1};
        cart_topo(&t, "2-D torus", 2, dims, pp);
        run(&t);
    }
    {
        /* Size-1 dimensions, periodic (self both ways) and not (no neighbours). */
        int dims[3] = {1, 1, size}, periods[3] = {1, 0, 1};
        cart_topo(&t, "3-D with 1-wide dims", 3, dims, periods);
        run(&t);
    }
    if (size >= 2) {
        /* A periodic dimension of 2: both neighbours are the same process. */
        int dims[2] = {2, size / 2}, periods[2] = {1, 1};
        cart_topo(&t, "2 x n/2 torus", 2, dims, periods);
        t.large = 1;
        if (t.comm != MPI_COMM_NULL)
            run(&t);
        else
            TM_CHECK(rank >= 2 * (size / 2), "rank %d left out of the 2 x n/2 grid", rank);
    }
    graph_topo(&t);
    t.large = 1;
    run(&t);
    adjacent_topo(&t);
    run(&t);
    gather_topo(&t);
    run(&t);
    empty_topo(&t);
    run(&t);
    arbitrary_topo(&t);
    run(&t);
    weighted_topo(&t);
    t.large = 1;
    run(&t);
}

#endif
