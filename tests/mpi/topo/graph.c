/* topo/graph.c: graph topologies (MPI_Graph_create): a ring with a self-loop and a
 * doubled edge, checked through Graphdims_get, Graph_get (whole and prefix),
 * Graph_neighbors(_count) for every node and Graph_map; graphs smaller than the
 * communicator, the empty graph, a hand-written table at 4 ranks, dup, and bad input. */
#include "../common.h"

static int size, rank;

#define CHECK_CLASS(rc, cls, what)                                                         \
    TM_CHECK((rc) != MPI_SUCCESS && tm_errclass(rc) == (cls),                              \
             "%s: got %d (%s), expected class %d", (what), (rc),                           \
             (rc) ? tm_errstr(rc) : "success", (cls))

/* The test graph on n nodes: node i -> i-1, i+1 (mod n); node 0 also -> 0 (self-loop);
 * nodes 1 and 2 (n >= 3) also -> each other again (a doubled edge). */
static int build(int n, int *index, int *edges)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        edges[k++] = (i + n - 1) % n;
        edges[k++] = (i + 1) % n;
        if (i == 0)
            edges[k++] = 0;
        if (n >= 3 && i == 1)
            edges[k++] = 2;
        if (n >= 3 && i == 2)
            edges[k++] = 1;
        index[i] = k;
    }
    return k;
}

static void check_graph(MPI_Comm g, int n, const int *index, const int *edges)
{
    int st, nn, ne, gs, gr;
    MPI_Comm_size(g, &gs);
    MPI_Comm_rank(g, &gr);
    TM_CHECK(gs == n && gr == rank, "graph comm size %d rank %d", gs, gr);
    MPI_Topo_test(g, &st);
    TM_CHECK(st == MPI_GRAPH, "Topo_test %d", st);
    TM_CHECK_RC(MPI_Graphdims_get(g, &nn, &ne), "Graphdims_get");
    TM_CHECK(nn == n && ne == index[n - 1], "Graphdims %d %d, expected %d %d", nn, ne, n,
             index[n - 1]);
    int gi[64], ge[256];
    TM_CHECK_RC(MPI_Graph_get(g, 64, 256, gi, ge), "Graph_get");
    for (int i = 0; i < n; i++)
        TM_CHECK(gi[i] == index[i], "index[%d] = %d, expected %d", i, gi[i], index[i]);
    for (int k = 0; k < index[n - 1]; k++)
        TM_CHECK(ge[k] == edges[k], "edges[%d] = %d, expected %d", k, ge[k], edges[k]);
    /* Prefixes: only that many entries are written. */
    int pi[3] = {-9, -9, -9}, pe[3] = {-9, -9, -9};
    TM_CHECK_RC(MPI_Graph_get(g, 1, 2, pi, pe), "Graph_get prefix");
    TM_CHECK(pi[0] == index[0] && pi[1] == -9 && pe[0] == edges[0] && pe[1] == edges[1] &&
             pe[2] == -9, "Graph_get prefix %d %d / %d %d %d", pi[0], pi[1], pe[0], pe[1],
             pe[2]);
    for (int r = 0; r < n; r++) {
        int cnt = -1, nb[16], start = r ? index[r - 1] : 0;
        TM_CHECK_RC(MPI_Graph_neighbors_count(g, r, &cnt), "Graph_neighbors_count");
        TM_CHECK(cnt == index[r] - start, "node %d has %d neighbours, expected %d", r, cnt,
                 index[r] - start);
        TM_CHECK_RC(MPI_Graph_neighbors(g, r, 16, nb), "Graph_neighbors");
        for (int k = 0; k < cnt && k < 16; k++)
            TM_CHECK(nb[k] == edges[start + k], "node %d neighbour %d = %d, expected %d", r, k,
                     nb[k], edges[start + k]);
        int one[2] = {-9, -9};
        TM_CHECK_RC(MPI_Graph_neighbors(g, r, 1, one), "Graph_neighbors max 1");
        TM_CHECK(one[0] == edges[start] && one[1] == -9, "Graph_neighbors prefix %d %d",
                 one[0], one[1]);
    }
}

static void test_ring(void)
{
    int index[64], edges[256];
    build(size, index, edges);
    MPI_Comm g;
    TM_CHECK_RC(MPI_Graph_create(MPI_COMM_WORLD, size, index, edges, 1, &g), "Graph_create");
    check_graph(g, size, index, edges);
    int nr = -1;
    TM_CHECK_RC(MPI_Graph_map(MPI_COMM_WORLD, size, index, edges, &nr), "Graph_map");
    TM_CHECK(nr == rank, "Graph_map %d", nr);
    /* Dup keeps the graph, on its own. */
    MPI_Comm d;
    MPI_Comm_dup(g, &d);
    MPI_Comm_free(&g);
    check_graph(d, size, index, edges);
    MPI_Comm_free(&d);

    /* Fewer nodes than processes. */
    if (size > 1) {
        int n = size - 1;
        build(n, index, edges);
        g = MPI_COMM_WORLD;
        TM_CHECK_RC(MPI_Graph_create(MPI_COMM_WORLD, n, index, edges, 0, &g), "smaller graph");
        TM_CHECK((rank < n) == (g != MPI_COMM_NULL), "smaller graph membership");
        if (g != MPI_COMM_NULL) {
            check_graph(g, n, index, edges);
            MPI_Comm_free(&g);
        }
        TM_CHECK_RC(MPI_Graph_map(MPI_COMM_WORLD, n, index, edges, &nr), "Graph_map");
        TM_CHECK(nr == (rank < n ? rank : MPI_UNDEFINED), "Graph_map smaller: %d", nr);
    }
    /* The empty graph: MPI_COMM_NULL everywhere. */
    g = MPI_COMM_WORLD;
    TM_CHECK_RC(MPI_Graph_create(MPI_COMM_WORLD, 0, NULL, NULL, 0, &g), "empty graph");
    TM_CHECK(g == MPI_COMM_NULL, "empty graph gives a communicator");
    /* Nodes without edges. */
    int zi[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    TM_CHECK_RC(MPI_Graph_create(MPI_COMM_WORLD, size, zi, NULL, 0, &g), "edgeless graph");
    int nn, ne, cnt;
    MPI_Graphdims_get(g, &nn, &ne);
    MPI_Graph_neighbors_count(g, rank, &cnt);
    TM_CHECK(nn == size && ne == 0 && cnt == 0, "edgeless graph: %d %d %d", nn, ne, cnt);
    MPI_Comm_free(&g);
}

static void test_table(void)
{
    if (size != 4)
        return;
    /* The ring-plus graph on 4 nodes, written out: 0: 3 1 0 | 1: 0 2 2 | 2: 1 3 1 | 3: 2 0 */
    static const int index[4] = {3, 6, 9, 11};
    static const int edges[11] = {3, 1, 0, 0, 2, 2, 1, 3, 1, 2, 0};
    int bi[4], be[16];
    int ne = build(4, bi, be);
    TM_CHECK(ne == 11, "build gives %d edges", ne);
    for (int i = 0; i < 4; i++)
        TM_CHECK(bi[i] == index[i], "build index[%d]", i);
    for (int k = 0; k < 11; k++)
        TM_CHECK(be[k] == edges[k], "build edges[%d]", k);
    MPI_Comm g;
    MPI_Graph_create(MPI_COMM_WORLD, 4, index, edges, 0, &g);
    static const int mine[4][3] = {{3, 1, 0}, {0, 2, 2}, {1, 3, 1}, {2, 0, -1}};
    int nb[3] = {-1, -1, -1}, cnt;
    MPI_Graph_neighbors_count(g, rank, &cnt);
    MPI_Graph_neighbors(g, rank, 3, nb);
    TM_CHECK(cnt == (rank == 3 ? 2 : 3), "rank %d count %d", rank, cnt);
    for (int k = 0; k < cnt; k++)
        TM_CHECK(nb[k] == mine[rank][k], "rank %d neighbour %d = %d, expected %d", rank, k,
                 nb[k], mine[rank][k]);
    MPI_Comm_free(&g);
}

static void test_errors(void)
{
    int index[64], edges[256], a, b;
    MPI_Comm g = MPI_COMM_WORLD;
    build(size, index, edges);
    CHECK_CLASS(MPI_Graph_create(MPI_COMM_WORLD, size + 1, index, edges, 0, &g), MPI_ERR_ARG,
                "nnodes > size");
    TM_CHECK(g == MPI_COMM_WORLD, "comm_graph changed on an argument error");
    CHECK_CLASS(MPI_Graph_create(MPI_COMM_WORLD, -1, index, edges, 0, &g), MPI_ERR_ARG,
                "nnodes -1");
    CHECK_CLASS(MPI_Graph_create(MPI_COMM_WORLD, size, NULL, edges, 0, &g), MPI_ERR_ARG,
                "index NULL");
    int saved = edges[0];
    edges[0] = size;
    int rc = MPI_Graph_create(MPI_COMM_WORLD, size, index, edges, 0, &g);
    CHECK_CLASS(rc, MPI_ERR_ARG, "edge to node size");
    TM_CHECK(strstr(tm_errstr(rc), "edges[0]") != NULL, "message: %s", tm_errstr(rc));
    edges[0] = -1;
    CHECK_CLASS(MPI_Graph_create(MPI_COMM_WORLD, size, index, edges, 0, &g), MPI_ERR_ARG,
                "edge to node -1");
    CHECK_CLASS(MPI_Graph_map(MPI_COMM_WORLD, size, index, edges, &a), MPI_ERR_ARG,
                "Graph_map bad edge");
    edges[0] = saved;
    if (size >= 2) {
        int bad[2] = {2, 1};
        CHECK_CLASS(MPI_Graph_create(MPI_COMM_WORLD, 2, bad, edges, 0, &g), MPI_ERR_ARG,
                    "decreasing index");
    }
    int negi[1] = {-1};
    CHECK_CLASS(MPI_Graph_create(MPI_COMM_WORLD, 1, negi, edges, 0, &g), MPI_ERR_ARG,
                "negative index[0]");
    CHECK_CLASS(MPI_Graphdims_get(MPI_COMM_WORLD, &a, &b), MPI_ERR_TOPOLOGY, "no topology");

    MPI_Graph_create(MPI_COMM_WORLD, size, index, edges, 0, &g);
    int nb[4], dims[1], per[1], co[1];
    CHECK_CLASS(MPI_Graph_neighbors(g, size, 4, nb), MPI_ERR_RANK, "Graph_neighbors rank size");
    CHECK_CLASS(MPI_Graph_neighbors(g, -1, 4, nb), MPI_ERR_RANK, "Graph_neighbors rank -1");
    CHECK_CLASS(MPI_Graph_neighbors(g, 0, -1, nb), MPI_ERR_ARG, "maxneighbors -1");
    CHECK_CLASS(MPI_Graph_neighbors_count(g, size, &a), MPI_ERR_RANK, "count of rank size");
    CHECK_CLASS(MPI_Graph_get(g, -1, 4, nb, nb), MPI_ERR_ARG, "maxindex -1");
    CHECK_CLASS(MPI_Graph_get(g, 4, -1, nb, nb), MPI_ERR_ARG, "maxedges -1");
    CHECK_CLASS(MPI_Cart_get(g, 1, dims, per, co), MPI_ERR_TOPOLOGY, "Cart_get on a graph");
    CHECK_CLASS(MPI_Dist_graph_neighbors_count(g, &a, &b, co), MPI_ERR_TOPOLOGY,
                "Dist_graph_neighbors_count on a graph");
    MPI_Comm_free(&g);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    test_ring();
    test_table();
    test_errors();
    return tm_finish();
}
