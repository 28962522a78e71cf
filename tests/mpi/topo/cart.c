/* topo/cart.c: Cartesian topologies at any size: rings and grids (periodic and not) with
 * their coordinates, ranks and shifts checked against hand-computed tables (4 and 8
 * ranks) and coordinate arithmetic (every size); fewer processes than the communicator
 * (MPI_COMM_NULL on the rest), zero dimensions, sub-grids, Cart_map, Topo_test, dup, and
 * the error classes of bad input. */
#include "../common.h"

static int size, rank;

#define CHECK_CLASS(rc, cls, what)                                                         \
    TM_CHECK((rc) != MPI_SUCCESS && tm_errclass(rc) == (cls),                              \
             "%s: got %d (%s), expected class %d", (what), (rc),                           \
             (rc) ? tm_errstr(rc) : "success", (cls))

/* Row-major coordinates of r in a grid (the test's own arithmetic). */
static void coords_of(int r, int nd, const int *dims, int *c)
{
    for (int d = nd - 1; d >= 0; d--) {
        c[d] = r % dims[d];
        r /= dims[d];
    }
}

static int rank_of(int nd, const int *dims, const int *c)
{
    int r = 0;
    for (int d = 0; d < nd; d++)
        r = r * dims[d] + c[d];
    return r;
}

/* Expected neighbour of r at distance disp along dimension d (MPI_PROC_NULL off the end). */
static int neighbour(int r, int nd, const int *dims, const int *periods, int d, int disp)
{
    int c[8];
    coords_of(r, nd, dims, c);
    long long v = (long long)c[d] + disp;
    if (periods[d])
        v = ((v % dims[d]) + dims[d]) % dims[d];
    else if (v < 0 || v >= dims[d])
        return MPI_PROC_NULL;
    c[d] = (int)v;
    return rank_of(nd, dims, c);
}

/* Checks everything a grid communicator reports about itself. */
static void check_grid(MPI_Comm cart, int nd, const int *dims, const int *periods,
                       int want_rank)
{
    int n = 1, csize, crank, status, got_nd;
    for (int d = 0; d < nd; d++)
        n *= dims[d];
    MPI_Comm_size(cart, &csize);
    MPI_Comm_rank(cart, &crank);
    TM_CHECK(csize == n, "grid of %d has size %d", n, csize);
    TM_CHECK(crank == want_rank, "rank %d, expected %d", crank, want_rank);
    TM_CHECK_RC(MPI_Topo_test(cart, &status), "Topo_test");
    TM_CHECK(status == MPI_CART, "Topo_test gives %d", status);
    TM_CHECK_RC(MPI_Cartdim_get(cart, &got_nd), "Cartdim_get");
    TM_CHECK(got_nd == nd, "Cartdim_get %d, expected %d", got_nd, nd);
    int gd[8], gp[8], gc[8], want[8];
    TM_CHECK_RC(MPI_Cart_get(cart, nd, gd, gp, gc), "Cart_get");
    coords_of(crank, nd, dims, want);
    for (int d = 0; d < nd; d++) {
        TM_CHECK(gd[d] == dims[d] && (gp[d] != 0) == (periods[d] != 0) && gc[d] == want[d],
                 "Cart_get dim %d: %d/%d/%d, expected %d/%d/%d", d, gd[d], gp[d], gc[d],
                 dims[d], periods[d], want[d]);
    }
    for (int r = 0; r < n; r++) {
        int c[8], back = -1;
        TM_CHECK_RC(MPI_Cart_coords(cart, r, nd, c), "Cart_coords");
        coords_of(r, nd, dims, want);
        for (int d = 0; d < nd; d++)
            TM_CHECK(c[d] == want[d], "Cart_coords(%d)[%d] = %d, expected %d", r, d, c[d],
                     want[d]);
        TM_CHECK_RC(MPI_Cart_rank(cart, c, &back), "Cart_rank");
        TM_CHECK(back == r, "Cart_rank(Cart_coords(%d)) = %d", r, back);
    }
    for (int d = 0; d < nd; d++) {
        int disps[] = {1, -1, 0, 2, -3, dims[d], dims[d] + 1, -dims[d] - 1};
        for (size_t k = 0; k < sizeof disps / sizeof disps[0]; k++) {
            int src = -7, dst = -7, disp = disps[k];
            TM_CHECK_RC(MPI_Cart_shift(cart, d, disp, &src, &dst), "Cart_shift");
            int ws = neighbour(crank, nd, dims, periods, d, -disp);
            int wd = neighbour(crank, nd, dims, periods, d, disp);
            TM_CHECK(src == ws && dst == wd, "Cart_shift(dim %d, disp %d) from %d: %d/%d, "
                     "expected %d/%d", d, disp, crank, src, dst, ws, wd);
        }
    }
}

/* Hand-computed shifts by +1 (source, dest per dimension) from `me`, if it is in the list. */
struct shift_row {
    int me;
    int nbr[3][2];
};

static void check_table(MPI_Comm cart, int nd, const struct shift_row *rows, int nrows)
{
    for (int i = 0; i < nrows; i++) {
        if (rows[i].me != rank)
            continue;
        for (int d = 0; d < nd; d++) {
            int s, t;
            MPI_Cart_shift(cart, d, 1, &s, &t);
            TM_CHECK(s == rows[i].nbr[d][0] && t == rows[i].nbr[d][1], "rank %d dim %d: "
                     "shift +1 gives %d/%d, table says %d/%d", rank, d, s, t,
                     rows[i].nbr[d][0], rows[i].nbr[d][1]);
        }
    }
}

static void test_tables(void)
{
    const int P = MPI_PROC_NULL;
    MPI_Comm cart;
    if (size == 4) {
        /* 2x2, periodic in dimension 0 only: (0,0)=0 (0,1)=1 (1,0)=2 (1,1)=3. */
        int dims[2] = {2, 2}, periods[2] = {1, 0};
        MPI_Cart_create(MPI_COMM_WORLD, 2, dims, periods, 0, &cart);
        static const struct shift_row rows[] = {
            {0, {{2, 2}, {P, 1}}}, {1, {{3, 3}, {0, P}}},
            {2, {{0, 0}, {P, 3}}}, {3, {{1, 1}, {2, P}}}};
        check_table(cart, 2, rows, 4);
        MPI_Comm_free(&cart);
    }
    if (size == 8) {
        /* 2x2x2, periodic in dimensions 0 and 2: rank = 4x + 2y + z. */
        int dims[3] = {2, 2, 2}, periods[3] = {1, 0, 1};
        MPI_Cart_create(MPI_COMM_WORLD, 3, dims, periods, 0, &cart);
        static const struct shift_row rows[] = {
            {0, {{4, 4}, {P, 2}, {1, 1}}}, {5, {{1, 1}, {P, 7}, {4, 4}}},
            {6, {{2, 2}, {4, P}, {7, 7}}}, {3, {{7, 7}, {1, P}, {2, 2}}}};
        check_table(cart, 3, rows, 4);
        MPI_Comm_free(&cart);
        /* 4x2 periodic in dimension 0: rank = 2x + y. */
        int d2[2] = {4, 2}, p2[2] = {1, 0};
        MPI_Cart_create(MPI_COMM_WORLD, 2, d2, p2, 0, &cart);
        static const struct shift_row rows2[] = {
            {0, {{6, 2}, {P, 1}}}, {7, {{5, 1}, {6, P}}}, {4, {{2, 6}, {P, 5}}}};
        check_table(cart, 2, rows2, 3);
        MPI_Comm_free(&cart);
    }
}

static void test_grids(void)
{
    MPI_Comm cart;
    /* Rings, periodic and not. */
    for (int per = 0; per <= 1; per++) {
        int dims[1] = {size}, periods[1] = {per};
        TM_CHECK_RC(MPI_Cart_create(MPI_COMM_WORLD, 1, dims, periods, 1, &cart), "ring");
        check_grid(cart, 1, dims, periods, rank);
        int s, d;
        MPI_Cart_shift(cart, 0, 1, &s, &d);
        if (per) {
            TM_CHECK(s == (rank + size - 1) % size && d == (rank + 1) % size,
                     "ring shift %d/%d", s, d);
        } else {
            TM_CHECK(s == (rank ? rank - 1 : MPI_PROC_NULL) &&
                     d == (rank < size - 1 ? rank + 1 : MPI_PROC_NULL), "line shift %d/%d",
                     s, d);
        }
        MPI_Comm_free(&cart);
    }
    /* 2-D and 3-D from MPI_Dims_create, every periodicity pattern. */
    for (int nd = 2; nd <= 3; nd++) {
        for (int pat = 0; pat < (1 << nd); pat++) {
            int dims[3] = {0, 0, 0}, periods[3];
            MPI_Dims_create(size, nd, dims);
            for (int d = 0; d < nd; d++)
                periods[d] = (pat >> d) & 1;
            TM_CHECK_RC(MPI_Cart_create(MPI_COMM_WORLD, nd, dims, periods, 0, &cart), "grid");
            check_grid(cart, nd, dims, periods, rank);
            /* A periodic coordinate wraps; a non-periodic one must be in range. */
            int c[3] = {0, 0, 0};
            coords_of(rank, nd, dims, c);
            int cw[3] = {c[0] - dims[0], c[1] + 3 * dims[1], c[2]}, r = -1;
            int rc = MPI_Cart_rank(cart, cw, &r);
            if (periods[0] && periods[1])
                TM_CHECK(rc == MPI_SUCCESS && r == rank, "wrapped coords: rc %d rank %d", rc,
                         r);
            else
                CHECK_CLASS(rc, MPI_ERR_ARG, "out-of-range coords in a non-periodic dim");
            MPI_Comm_free(&cart);
        }
    }
    /* Fewer processes than the communicator: the rest get MPI_COMM_NULL. */
    if (size > 1) {
        int dims[2] = {size - 1, 1}, periods[2] = {1, 1};
        cart = MPI_COMM_WORLD;
        TM_CHECK_RC(MPI_Cart_create(MPI_COMM_WORLD, 2, dims, periods, 0, &cart), "short grid");
        if (rank == size - 1) {
            TM_CHECK(cart == MPI_COMM_NULL, "last rank should get MPI_COMM_NULL");
        } else {
            TM_CHECK(cart != MPI_COMM_NULL, "rank %d got MPI_COMM_NULL", rank);
            if (cart != MPI_COMM_NULL) {
                check_grid(cart, 2, dims, periods, rank);
                MPI_Comm_free(&cart);
            }
        }
    }
    /* A single-process grid on any size. */
    {
        int dims[3] = {1, 1, 1}, periods[3] = {1, 0, 1};
        MPI_Cart_create(MPI_COMM_WORLD, 3, dims, periods, 0, &cart);
        TM_CHECK((rank == 0) == (cart != MPI_COMM_NULL), "1x1x1 grid membership");
        if (cart != MPI_COMM_NULL) {
            check_grid(cart, 3, dims, periods, rank);
            int s, d;
            MPI_Cart_shift(cart, 0, 1, &s, &d);
            TM_CHECK(s == 0 && d == 0, "periodic 1-wide shift %d/%d", s, d);
            MPI_Cart_shift(cart, 1, 1, &s, &d);
            TM_CHECK(s == MPI_PROC_NULL && d == MPI_PROC_NULL, "1-wide line shift %d/%d", s,
                     d);
            MPI_Comm_free(&cart);
        }
    }
}

static void test_zero_dims(void)
{
    MPI_Comm cart = MPI_COMM_WORLD;
    TM_CHECK_RC(MPI_Cart_create(MPI_COMM_WORLD, 0, NULL, NULL, 0, &cart), "0-d grid");
    TM_CHECK((rank == 0) == (cart != MPI_COMM_NULL), "0-d grid membership");
    if (cart == MPI_COMM_NULL)
        return;
    int n = -1, s = -1, r = -1, st;
    MPI_Comm_size(cart, &s);
    MPI_Cartdim_get(cart, &n);
    TM_CHECK(s == 1 && n == 0, "0-d grid: size %d ndims %d", s, n);
    TM_CHECK_RC(MPI_Cart_rank(cart, NULL, &r), "Cart_rank 0-d");
    TM_CHECK(r == 0, "0-d Cart_rank %d", r);
    TM_CHECK_RC(MPI_Cart_get(cart, 0, NULL, NULL, NULL), "Cart_get 0-d");
    TM_CHECK_RC(MPI_Cart_coords(cart, 0, 0, NULL), "Cart_coords 0-d");
    int a, b;
    CHECK_CLASS(MPI_Cart_shift(cart, 0, 1, &a, &b), MPI_ERR_ARG, "Cart_shift on a 0-d grid");
    MPI_Comm sub;
    TM_CHECK_RC(MPI_Cart_sub(cart, NULL, &sub), "Cart_sub 0-d");
    MPI_Cartdim_get(sub, &n);
    MPI_Topo_test(sub, &st);
    TM_CHECK(n == 0 && st == MPI_CART, "sub of 0-d: ndims %d topo %d", n, st);
    MPI_Comm_free(&sub);
    MPI_Comm_free(&cart);
}

static void test_sub(void)
{
    int dims[3] = {0, 0, 0}, periods[3] = {1, 0, 1};
    MPI_Comm cart, sub;
    MPI_Dims_create(size, 3, dims);
    MPI_Cart_create(MPI_COMM_WORLD, 3, dims, periods, 0, &cart);
    int c[3];
    coords_of(rank, 3, dims, c);
    MPI_Group wg;
    MPI_Comm_group(MPI_COMM_WORLD, &wg);
    for (int mask = 0; mask < 8; mask++) {
        int remain[3], kd[3], kp[3], kc[3], nk = 0, n = 1;
        for (int d = 0; d < 3; d++) {
            remain[d] = (mask >> d) & 1;
            if (remain[d]) {
                kd[nk] = dims[d];
                kp[nk] = periods[d];
                kc[nk++] = c[d];
                n *= dims[d];
            }
        }
        TM_CHECK_RC(MPI_Cart_sub(cart, remain, &sub), "Cart_sub");
        int s, r, nd;
        MPI_Comm_size(sub, &s);
        MPI_Comm_rank(sub, &r);
        MPI_Cartdim_get(sub, &nd);
        TM_CHECK(s == n && nd == nk, "sub %d: size %d ndims %d, expected %d %d", mask, s, nd,
                 n, nk);
        TM_CHECK(r == rank_of(nk, kd, kc), "sub %d: rank %d, expected %d", mask, r,
                 rank_of(nk, kd, kc));
        int gd[3], gp[3], gc[3];
        MPI_Cart_get(sub, 3, gd, gp, gc);
        for (int d = 0; d < nk; d++)
            TM_CHECK(gd[d] == kd[d] && gp[d] == kp[d] && gc[d] == kc[d], "sub %d dim %d", mask,
                     d);
        /* Members: same dropped coordinates, ordered by the kept ones. */
        MPI_Group sg;
        MPI_Comm_group(sub, &sg);
        for (int i = 0; i < s; i++) {
            int w, sc[3], wc[3];
            MPI_Group_translate_ranks(sg, 1, &i, wg, &w);
            coords_of(i, nk, kd, sc);
            coords_of(w, 3, dims, wc);
            for (int d = 0, k = 0; d < 3; d++) {
                int want = remain[d] ? sc[k++] : c[d];
                TM_CHECK(wc[d] == want, "sub %d member %d is world %d: coord %d = %d, "
                         "expected %d", mask, i, w, d, wc[d], want);
            }
        }
        MPI_Group_free(&sg);
        if (nk > 0)
            check_grid(sub, nk, kd, kp, r);
        MPI_Comm_free(&sub);
    }
    MPI_Group_free(&wg);
    MPI_Comm_free(&cart);
}

static void test_misc(void)
{
    int st = -1, nr = -2;
    TM_CHECK_RC(MPI_Topo_test(MPI_COMM_WORLD, &st), "Topo_test world");
    TM_CHECK(st == MPI_UNDEFINED, "world topology %d", st);
    int dims[2] = {0, 0}, periods[2] = {0, 1};
    MPI_Dims_create(size, 2, dims);
    TM_CHECK_RC(MPI_Cart_map(MPI_COMM_WORLD, 2, dims, periods, &nr), "Cart_map");
    TM_CHECK(nr == rank, "Cart_map full grid: %d", nr);
    int one[1] = {1};
    TM_CHECK_RC(MPI_Cart_map(MPI_COMM_WORLD, 1, one, periods, &nr), "Cart_map 1");
    TM_CHECK(nr == (rank == 0 ? 0 : MPI_UNDEFINED), "Cart_map 1-process grid: %d", nr);
    TM_CHECK_RC(MPI_Cart_map(MPI_COMM_WORLD, 0, NULL, NULL, &nr), "Cart_map 0-d");
    TM_CHECK(nr == (rank == 0 ? 0 : MPI_UNDEFINED), "Cart_map 0-d: %d", nr);

    /* Dup keeps the topology; split does not. */
    MPI_Comm cart, dup, split;
    MPI_Cart_create(MPI_COMM_WORLD, 2, dims, periods, 0, &cart);
    MPI_Comm_dup(cart, &dup);
    MPI_Comm_free(&cart);       /* the copy stands alone */
    check_grid(dup, 2, dims, periods, rank);
    MPI_Comm_split(dup, 0, rank, &split);
    MPI_Topo_test(split, &st);
    TM_CHECK(st == MPI_UNDEFINED, "split of a grid has topology %d", st);
    /* A grid made from a grid communicator replaces the topology. */
    int d1[1] = {size}, p1[1] = {1};
    MPI_Comm_free(&split);
    MPI_Cart_create(dup, 1, d1, p1, 0, &cart);
    check_grid(cart, 1, d1, p1, rank);
    MPI_Comm_free(&cart);
    MPI_Comm_free(&dup);
}

static void test_errors(void)
{
    MPI_Comm cart = MPI_COMM_WORLD;
    int dims[3] = {size, 1, 1}, periods[3] = {0, 0, 0}, c[3], a, b;
    CHECK_CLASS(MPI_Cart_create(MPI_COMM_WORLD, -1, dims, periods, 0, &cart), MPI_ERR_DIMS,
                "ndims -1");
    TM_CHECK(cart == MPI_COMM_WORLD, "comm_cart changed on an argument error");
    int zero[2] = {size, 0};
    CHECK_CLASS(MPI_Cart_create(MPI_COMM_WORLD, 2, zero, periods, 0, &cart), MPI_ERR_DIMS,
                "dims[1] = 0");
    int neg[1] = {-2};
    CHECK_CLASS(MPI_Cart_create(MPI_COMM_WORLD, 1, neg, periods, 0, &cart), MPI_ERR_DIMS,
                "dims[0] = -2");
    int big[2] = {size, 2};
    int rc = MPI_Cart_create(MPI_COMM_WORLD, 2, big, periods, 0, &cart);
    CHECK_CLASS(rc, MPI_ERR_ARG, "grid larger than the group");
    TM_CHECK(strstr(tm_errstr(rc), "processes") != NULL, "message: %s", tm_errstr(rc));
    int huge[3] = {65536, 65536, 65536};
    CHECK_CLASS(MPI_Cart_create(MPI_COMM_WORLD, 3, huge, periods, 0, &cart), MPI_ERR_ARG,
                "grid of 2^48 processes");
    CHECK_CLASS(MPI_Cart_create(MPI_COMM_WORLD, 1, NULL, periods, 0, &cart), MPI_ERR_ARG,
                "dims NULL");
    CHECK_CLASS(MPI_Cart_create(MPI_COMM_NULL, 1, dims, periods, 0, &cart), MPI_ERR_COMM,
                "MPI_COMM_NULL");
    CHECK_CLASS(MPI_Cart_map(MPI_COMM_WORLD, 2, big, periods, &a), MPI_ERR_ARG,
                "Cart_map too big");
    /* Queries on communicators without a grid. */
    CHECK_CLASS(MPI_Cart_get(MPI_COMM_WORLD, 1, dims, periods, c), MPI_ERR_TOPOLOGY,
                "Cart_get on world");
    CHECK_CLASS(MPI_Cart_shift(MPI_COMM_SELF, 0, 1, &a, &b), MPI_ERR_TOPOLOGY,
                "Cart_shift on self");
    CHECK_CLASS(MPI_Cartdim_get(MPI_COMM_WORLD, &a), MPI_ERR_TOPOLOGY, "Cartdim_get");
    CHECK_CLASS(MPI_Cart_sub(MPI_COMM_WORLD, periods, &cart), MPI_ERR_TOPOLOGY, "Cart_sub");
    rc = MPI_Cart_coords(MPI_COMM_WORLD, 0, 1, c);
    CHECK_CLASS(rc, MPI_ERR_TOPOLOGY, "Cart_coords on world");
    TM_CHECK(strstr(tm_errstr(rc), "no topology") != NULL, "message: %s", tm_errstr(rc));

    int d2[2] = {size, 1}, p2[2] = {0, 1};
    MPI_Cart_create(MPI_COMM_WORLD, 2, d2, p2, 0, &cart);
    MPI_Comm_set_errhandler(cart, MPI_ERRORS_RETURN);
    c[0] = size;
    c[1] = 0;
    CHECK_CLASS(MPI_Cart_rank(cart, c, &a), MPI_ERR_ARG, "coords[0] = size, non-periodic");
    c[0] = -1;
    CHECK_CLASS(MPI_Cart_rank(cart, c, &a), MPI_ERR_ARG, "coords[0] = -1, non-periodic");
    c[0] = 0;
    c[1] = -5;
    TM_CHECK_RC(MPI_Cart_rank(cart, c, &a), "periodic coordinate -5");
    TM_CHECK(a == 0, "periodic wrap gives %d", a);
    CHECK_CLASS(MPI_Cart_coords(cart, size, 2, c), MPI_ERR_RANK, "Cart_coords rank = size");
    CHECK_CLASS(MPI_Cart_coords(cart, -1, 2, c), MPI_ERR_RANK, "Cart_coords rank = -1");
    CHECK_CLASS(MPI_Cart_coords(cart, 0, 1, c), MPI_ERR_ARG, "Cart_coords maxdims 1 < 2");
    CHECK_CLASS(MPI_Cart_shift(cart, 2, 1, &a, &b), MPI_ERR_ARG, "direction 2 of 2");
    CHECK_CLASS(MPI_Cart_shift(cart, -1, 1, &a, &b), MPI_ERR_ARG, "direction -1");
    CHECK_CLASS(MPI_Cart_get(cart, -1, dims, periods, c), MPI_ERR_ARG, "maxdims -1");
    /* A short array gets the leading dimensions. */
    int one_d = -1, one_p = -1, one_c = -1;
    TM_CHECK_RC(MPI_Cart_get(cart, 1, &one_d, &one_p, &one_c), "Cart_get maxdims 1");
    TM_CHECK(one_d == size && one_p == 0 && one_c == rank, "Cart_get prefix %d %d %d", one_d,
             one_p, one_c);
    CHECK_CLASS(MPI_Graphdims_get(cart, &a, &b), MPI_ERR_TOPOLOGY, "Graphdims_get on a grid");
    CHECK_CLASS(MPI_Graph_neighbors_count(cart, 0, &a), MPI_ERR_TOPOLOGY,
                "Graph_neighbors_count on a grid");
    CHECK_CLASS(MPI_Dist_graph_neighbors_count(cart, &a, &b, c), MPI_ERR_TOPOLOGY,
                "Dist_graph_neighbors_count on a grid");
    MPI_Comm_free(&cart);

    /* Topologies are for intracommunicators. */
    if (size >= 2) {
        MPI_Comm half, inter;
        int color = rank < size / 2;
        MPI_Comm_split(MPI_COMM_WORLD, color, rank, &half);
        MPI_Intercomm_create(half, 0, MPI_COMM_WORLD, color ? size / 2 : 0, 7, &inter);
        MPI_Comm_set_errhandler(inter, MPI_ERRORS_RETURN);
        int one[1] = {1}, st = 0;
        CHECK_CLASS(MPI_Cart_create(inter, 1, one, periods, 0, &cart), MPI_ERR_COMM,
                    "Cart_create on an intercommunicator");
        TM_CHECK_RC(MPI_Topo_test(inter, &st), "Topo_test inter");
        TM_CHECK(st == MPI_UNDEFINED, "intercommunicator topology %d", st);
        MPI_Comm_free(&inter);
        MPI_Comm_free(&half);
    }
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    test_tables();
    test_grids();
    test_zero_dims();
    test_sub();
    test_misc();
    test_errors();
    return tm_finish();
}
