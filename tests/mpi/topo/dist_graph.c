/* topo/dist_graph.c: distributed graphs. create_adjacent keeps the given order and weights
 * (a doubled edge included); MPI_Dist_graph_create with edges named by rank 0 only, by
 * each source, and by arbitrary processes (a deterministic pseudo-random graph with
 * self-loops and repeated edges), weighted and not, checked against the documented order
 * (edges in order of the naming rank, then of their position in its arrays); MPI_UNWEIGHTED
 * and MPI_WEIGHTS_EMPTY; dup; and bad input on one process failing the call everywhere. */
#include "../common.h"

static int size, rank;

#define CHECK_CLASS(rc, cls, what)                                                         \
    TM_CHECK((rc) != MPI_SUCCESS && tm_errclass(rc) == (cls),                              \
             "%s: got %d (%s), expected class %d", (what), (rc),                           \
             (rc) ? tm_errstr(rc) : "success", (cls))

#define MAXE 256

/* A process's part of an MPI_Dist_graph_create call. */
struct spec {
    int n, sources[MAXE], degrees[MAXE], dest[MAXE], weights[MAXE];
    int nedges;
};

/* Expected adjacency of one process. */
struct adj {
    int in, out, src[MAXE], sw[MAXE], dst[MAXE], dw[MAXE];
};

/* Simulates the documented order: every naming rank in order, its edges in order. */
static void expected(const struct spec *all, int me, struct adj *a)
{
    a->in = a->out = 0;
    for (int o = 0; o < size; o++) {
        const struct spec *s = &all[o];
        for (int i = 0, j = 0; i < s->n; i++)
            for (int k = 0; k < s->degrees[i]; k++, j++) {
                if (s->sources[i] == me) {
                    a->dw[a->out] = s->weights[j];
                    a->dst[a->out++] = s->dest[j];
                }
                if (s->dest[j] == me) {
                    a->sw[a->in] = s->weights[j];
                    a->src[a->in++] = s->sources[i];
                }
            }
    }
}

static void check_adj(MPI_Comm g, const struct adj *a, int weighted, const char *what)
{
    int in, out, w, st;
    MPI_Topo_test(g, &st);
    TM_CHECK(st == MPI_DIST_GRAPH, "%s: Topo_test %d", what, st);
    TM_CHECK_RC(MPI_Dist_graph_neighbors_count(g, &in, &out, &w), "neighbors_count");
    TM_CHECK(in == a->in && out == a->out && (w != 0) == (weighted != 0),
             "%s: in %d out %d weighted %d, expected %d %d %d", what, in, out, w, a->in,
             a->out, weighted);
    if (in != a->in || out != a->out)
        return;
    int src[MAXE], sw[MAXE], dst[MAXE], dw[MAXE];
    for (int i = 0; i < MAXE; i++)
        sw[i] = dw[i] = -77;
    TM_CHECK_RC(MPI_Dist_graph_neighbors(g, MAXE, src, weighted ? sw : MPI_UNWEIGHTED, MAXE,
                                         dst, weighted ? dw : MPI_UNWEIGHTED),
                "Dist_graph_neighbors");
    for (int i = 0; i < in; i++)
        TM_CHECK(src[i] == a->src[i] && (!weighted || sw[i] == a->sw[i]),
                 "%s: source %d = %d (w %d), expected %d (w %d)", what, i, src[i], sw[i],
                 a->src[i], a->sw[i]);
    for (int i = 0; i < out; i++)
        TM_CHECK(dst[i] == a->dst[i] && (!weighted || dw[i] == a->dw[i]),
                 "%s: destination %d = %d (w %d), expected %d (w %d)", what, i, dst[i], dw[i],
                 a->dst[i], a->dw[i]);
    /* Shorter arrays get a prefix; weights of an unweighted graph are not written. */
    if (in > 0 && out > 0) {
        int s1[2] = {-5, -5}, w1[2] = {-5, -5}, d1[2] = {-5, -5}, x1[2] = {-5, -5};
        TM_CHECK_RC(MPI_Dist_graph_neighbors(g, 1, s1, w1, 1, d1, x1), "prefix");
        TM_CHECK(s1[0] == a->src[0] && s1[1] == -5 && d1[0] == a->dst[0] && d1[1] == -5,
                 "%s: prefix %d %d %d %d", what, s1[0], s1[1], d1[0], d1[1]);
        TM_CHECK(weighted ? (w1[0] == a->sw[0] && x1[0] == a->dw[0] && w1[1] == -5)
                          : (w1[0] == -5 && x1[0] == -5),
                 "%s: prefix weights %d %d", what, w1[0], x1[0]);
    }
}

/* Runs MPI_Dist_graph_create with every process's spec and checks this one's result. */
static void run_create(struct spec *all, int weighted, const char *what)
{
    struct spec *s = &all[rank];
    MPI_Comm g;
    int rc = MPI_Dist_graph_create(MPI_COMM_WORLD, s->n, s->sources, s->degrees, s->dest,
                                   weighted ? s->weights : MPI_UNWEIGHTED, MPI_INFO_NULL, 1, &g);
    TM_CHECK_RC(rc, what);
    if (rc != MPI_SUCCESS)
        return;
    struct adj a;
    expected(all, rank, &a);
    check_adj(g, &a, weighted, what);
    int gs, gr;
    MPI_Comm_size(g, &gs);
    MPI_Comm_rank(g, &gr);
    TM_CHECK(gs == size && gr == rank, "%s: size %d rank %d", what, gs, gr);
    MPI_Comm d;
    MPI_Comm_dup(g, &d);
    MPI_Comm_free(&g);
    check_adj(d, &a, weighted, what);
    MPI_Comm_free(&d);
}

static void add_edge(struct spec *s, int src, int dst, int w)
{
    /* One source entry per edge keeps things simple; consecutive edges of one source are
     * merged into one entry with a larger degree to exercise degrees > 1. */
    if (s->n > 0 && s->sources[s->n - 1] == src) {
        s->degrees[s->n - 1]++;
    } else {
        s->sources[s->n] = src;
        s->degrees[s->n++] = 1;
    }
    s->weights[s->nedges] = w;
    s->dest[s->nedges++] = dst;
}

static void test_create(void)
{
    static struct spec all[8];
    /* Rank 0 names every edge: a ring both ways, a self-loop on every process and a
     * doubled edge r -> r+1. */
    memset(all, 0, sizeof all);
    for (int r = 0; r < size; r++) {
        add_edge(&all[0], r, (r + 1) % size, 10 * r + 1);
        add_edge(&all[0], r, (r + size - 1) % size, 10 * r + 2);
        add_edge(&all[0], r, r, 10 * r + 3);
        add_edge(&all[0], r, (r + 1) % size, 10 * r + 4);
    }
    run_create(all, 1, "rank 0 names all (weighted)");
    run_create(all, 0, "rank 0 names all (unweighted)");

    /* Every process names its own out-edges: destinations keep the order given. */
    memset(all, 0, sizeof all);
    for (int r = 0; r < size; r++) {
        add_edge(&all[r], r, (r + 2) % size, r + 100);
        add_edge(&all[r], r, (r + 1) % size, r + 200);
        add_edge(&all[r], r, 0, r + 300);
    }
    run_create(all, 1, "own out-edges (weighted)");
    run_create(all, 0, "own out-edges (unweighted)");

    /* Arbitrary: each process names edges between other processes (LCG, same on all). */
    memset(all, 0, sizeof all);
    unsigned x = 12345u + (unsigned)size;
    for (int o = 0; o < size; o++) {
        int m = (int)(x % 9u);   /* 0..8 edges, some processes name none */
        for (int e = 0; e < m; e++) {
            x = x * 1103515245u + 12345u;
            int s = (int)((x >> 8) % (unsigned)size);
            x = x * 1103515245u + 12345u;
            int d = (int)((x >> 8) % (unsigned)size);
            add_edge(&all[o], s, d, (int)((x >> 4) % 1000u));
        }
        x = x * 1103515245u + 12345u;
    }
    run_create(all, 1, "arbitrary (weighted)");
    run_create(all, 0, "arbitrary (unweighted)");

    /* No edges at all, weighted through MPI_WEIGHTS_EMPTY. */
    MPI_Comm g;
    int in, out, w;
    TM_CHECK_RC(MPI_Dist_graph_create(MPI_COMM_WORLD, 0, NULL, NULL, NULL, MPI_WEIGHTS_EMPTY,
                                      MPI_INFO_NULL, 0, &g), "empty weighted");
    MPI_Dist_graph_neighbors_count(g, &in, &out, &w);
    TM_CHECK(in == 0 && out == 0 && w == 1, "empty weighted: %d %d %d", in, out, w);
    MPI_Comm_free(&g);
    TM_CHECK_RC(MPI_Dist_graph_create(MPI_COMM_WORLD, 0, NULL, NULL, NULL, MPI_UNWEIGHTED,
                                      MPI_INFO_NULL, 0, &g), "empty unweighted");
    MPI_Dist_graph_neighbors_count(g, &in, &out, &w);
    TM_CHECK(in == 0 && out == 0 && w == 0, "empty unweighted: %d %d %d", in, out, w);
    MPI_Comm_free(&g);

    /* Rank 0 gives weighted edges; the others give none and say MPI_UNWEIGHTED. */
    memset(all, 0, sizeof all);
    for (int r = 0; r < size; r++)
        add_edge(&all[0], r, (r + 1) % size, r + 7);
    {
        struct spec *s = &all[rank];
        int rc = MPI_Dist_graph_create(MPI_COMM_WORLD, s->n, s->sources, s->degrees, s->dest,
                                       rank == 0 ? s->weights : MPI_UNWEIGHTED, MPI_INFO_NULL,
                                       0, &g);
        TM_CHECK_RC(rc, "weights from rank 0 only");
        struct adj a;
        expected(all, rank, &a);
        if (rc == MPI_SUCCESS) {
            check_adj(g, &a, 1, "weights from rank 0 only");
            MPI_Comm_free(&g);
        }
    }
    /* An info object is accepted. */
    MPI_Info info;
    MPI_Info_create(&info);
    MPI_Info_set(info, "some_hint", "1");
    TM_CHECK_RC(MPI_Dist_graph_create(MPI_COMM_WORLD, 0, NULL, NULL, NULL, MPI_UNWEIGHTED, info,
                                      0, &g), "with info");
    MPI_Comm_free(&g);
    MPI_Info_free(&info);
}

static void test_adjacent(void)
{
    /* Out: r+1, r+2, r+1 again; in (the matching order): r-1, r-2, r-1. */
    int n = size;
    int src[3] = {(rank + n - 1) % n, (rank + n - 2) % n, (rank + n - 1) % n};
    int dst[3] = {(rank + 1) % n, (rank + 2) % n, (rank + 1) % n};
    int sw[3] = {1, 2, 3}, dw[3] = {4, 5, 6};
    struct adj a = {.in = 3, .out = 3};
    for (int i = 0; i < 3; i++) {
        a.src[i] = src[i];
        a.sw[i] = sw[i];
        a.dst[i] = dst[i];
        a.dw[i] = dw[i];
    }
    MPI_Comm g;
    TM_CHECK_RC(MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 3, src, sw, 3, dst, dw,
                                               MPI_INFO_NULL, 0, &g), "adjacent weighted");
    check_adj(g, &a, 1, "adjacent weighted");
    MPI_Comm_free(&g);
    TM_CHECK_RC(MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 3, src, MPI_UNWEIGHTED, 3, dst,
                                               MPI_UNWEIGHTED, MPI_INFO_NULL, 0, &g),
                "adjacent unweighted");
    check_adj(g, &a, 0, "adjacent unweighted");
    MPI_Comm_free(&g);
    /* Sources only (rank 0 hears from everyone), weights empty on the other side. */
    struct adj b = {0};
    int all[8];
    for (int r = 0; r < n; r++) {
        all[r] = r;
        b.sw[r] = r;
    }
    int to0[1] = {0}, w1[1] = {rank};
    if (rank == 0) {
        b.in = n;
        for (int r = 0; r < n; r++)
            b.src[r] = r;
    }
    b.out = 1;
    b.dst[0] = 0;
    b.dw[0] = rank;
    TM_CHECK_RC(MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, rank == 0 ? n : 0,
                                               rank == 0 ? all : NULL,
                                               rank == 0 ? all : MPI_WEIGHTS_EMPTY, 1, to0, w1,
                                               MPI_INFO_NULL, 0, &g), "gather graph");
    check_adj(g, &b, 1, "gather graph");
    MPI_Comm_free(&g);
    /* No edges anywhere. */
    TM_CHECK_RC(MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 0, NULL, MPI_WEIGHTS_EMPTY, 0,
                                               NULL, MPI_WEIGHTS_EMPTY, MPI_INFO_NULL, 0, &g),
                "adjacent empty");
    struct adj e = {0};
    check_adj(g, &e, 1, "adjacent empty");
    MPI_Comm_free(&g);
}

static void test_errors(void)
{
    MPI_Comm g = MPI_COMM_WORLD;
    int one[1] = {1}, me[1] = {rank}, bad[1] = {size}, w[1] = {5}, negw[1] = {-1};
    /* A bad destination on one process only: every process fails alike. */
    int rc = MPI_Dist_graph_create(MPI_COMM_WORLD, 1, me, one,
                                   rank == size - 1 ? bad : me, MPI_UNWEIGHTED, MPI_INFO_NULL,
                                   0, &g);
    CHECK_CLASS(rc, MPI_ERR_RANK, "destination = size on the last rank");
    TM_CHECK(g == MPI_COMM_NULL, "no communicator after a failed create");
    if (rank == size - 1)
        TM_CHECK(strstr(tm_errstr(rc), "destinations[0]") != NULL, "message: %s",
                 tm_errstr(rc));
    else
        TM_CHECK(strstr(tm_errstr(rc), "rank") != NULL, "message: %s", tm_errstr(rc));
    int negd[1] = {-1};
    rc = MPI_Dist_graph_create(MPI_COMM_WORLD, 1, me, rank == 0 ? negd : one, me,
                               MPI_UNWEIGHTED, MPI_INFO_NULL, 0, &g);
    CHECK_CLASS(rc, MPI_ERR_ARG, "negative degree on rank 0");
    rc = MPI_Dist_graph_create(MPI_COMM_WORLD, rank == 0 ? -1 : 0, me, one, me, MPI_UNWEIGHTED,
                               MPI_INFO_NULL, 0, &g);
    CHECK_CLASS(rc, MPI_ERR_ARG, "n = -1 on rank 0");
    rc = MPI_Dist_graph_create(MPI_COMM_WORLD, 1, rank == 0 ? bad : me, one, me,
                               MPI_UNWEIGHTED, MPI_INFO_NULL, 0, &g);
    CHECK_CLASS(rc, MPI_ERR_RANK, "source = size on rank 0");
    rc = MPI_Dist_graph_create(MPI_COMM_WORLD, 1, me, one, me, rank == 0 ? negw : w,
                               MPI_INFO_NULL, 0, &g);
    CHECK_CLASS(rc, MPI_ERR_ARG, "negative weight on rank 0");
    rc = MPI_Dist_graph_create(MPI_COMM_WORLD, 1, me, one, me, MPI_WEIGHTS_EMPTY,
                               MPI_INFO_NULL, 0, &g);
    CHECK_CLASS(rc, MPI_ERR_ARG, "MPI_WEIGHTS_EMPTY with an edge");
    if (size >= 2) {
        /* Edges without weights on rank 1, weighted edges on the others. */
        rc = MPI_Dist_graph_create(MPI_COMM_WORLD, 1, me, one, me,
                                   rank == 1 ? MPI_UNWEIGHTED : w, MPI_INFO_NULL, 0, &g);
        CHECK_CLASS(rc, MPI_ERR_ARG, "weighted and unweighted edges mixed");
    }
    /* create_adjacent checks locally. */
    CHECK_CLASS(MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 1, bad, MPI_UNWEIGHTED, 0, NULL,
                                               MPI_UNWEIGHTED, MPI_INFO_NULL, 0, &g),
                MPI_ERR_RANK, "adjacent source = size");
    CHECK_CLASS(MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 0, NULL, MPI_UNWEIGHTED, 1, bad,
                                               MPI_UNWEIGHTED, MPI_INFO_NULL, 0, &g),
                MPI_ERR_RANK, "adjacent destination = size");
    CHECK_CLASS(MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, -1, NULL, MPI_UNWEIGHTED, 0,
                                               NULL, MPI_UNWEIGHTED, MPI_INFO_NULL, 0, &g),
                MPI_ERR_ARG, "adjacent indegree -1");
    CHECK_CLASS(MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 1, me, MPI_UNWEIGHTED, 1, me, w,
                                               MPI_INFO_NULL, 0, &g),
                MPI_ERR_ARG, "sourceweights MPI_UNWEIGHTED, destweights given");
    CHECK_CLASS(MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 1, me, negw, 1, me, w,
                                               MPI_INFO_NULL, 0, &g),
                MPI_ERR_ARG, "negative source weight");
    CHECK_CLASS(MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 1, NULL, w, 0, NULL, w,
                                               MPI_INFO_NULL, 0, &g),
                MPI_ERR_ARG, "sources NULL");
    CHECK_CLASS(MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 0, NULL, MPI_UNWEIGHTED, 0, NULL,
                                               MPI_UNWEIGHTED, (MPI_Info)(void *)MPI_COMM_WORLD, 0, &g),
                MPI_ERR_INFO, "bad info");
    int a, b, c;
    CHECK_CLASS(MPI_Dist_graph_neighbors_count(MPI_COMM_WORLD, &a, &b, &c), MPI_ERR_TOPOLOGY,
                "neighbors_count without a topology");
    MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 1, me, MPI_UNWEIGHTED, 1, me,
                                   MPI_UNWEIGHTED, MPI_INFO_NULL, 0, &g);
    int s[1], d[1];
    CHECK_CLASS(MPI_Dist_graph_neighbors(g, -1, s, MPI_UNWEIGHTED, 1, d, MPI_UNWEIGHTED),
                MPI_ERR_ARG, "maxindegree -1");
    CHECK_CLASS(MPI_Graph_neighbors_count(g, 0, &a), MPI_ERR_TOPOLOGY,
                "Graph_neighbors_count on a distributed graph");
    CHECK_CLASS(MPI_Cart_shift(g, 0, 1, &a, &b), MPI_ERR_TOPOLOGY,
                "Cart_shift on a distributed graph");
    MPI_Comm_free(&g);
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
    test_adjacent();
    test_create();
    test_errors();
    return tm_finish();
}
