/* datatype/layouts: subarray and darray types against hand-computed element lists (C and
 * Fortran order; block, cyclic, cyclic(k), none and default distribution arguments), then
 * a distributed check: every rank sends its darray part of a global array (values = global
 * index) to rank 0, which verifies that each element arrives exactly once, and receives it
 * back scattered into place through the same type. */
#include "../common.h"

/* The elements of `t` over an int array whose values are their indices, in order. */
static int gather(MPI_Datatype t, int nglobal, int *out, int max)
{
    int *a = tm_malloc((size_t)nglobal * sizeof *a);
    for (int i = 0; i < nglobal; i++)
        a[i] = i;
    int size = 0;
    MPI_Type_size(t, &size);
    int n = size / (int)sizeof(int);
    TM_CHECK(n <= max, "type holds %d ints, more than %d", n, max);
    MPI_Status st;
    MPI_Sendrecv(a, 1, t, 0, 3, out, max, MPI_INT, 0, 3, MPI_COMM_SELF, &st);
    int got = -1;
    MPI_Get_count(&st, MPI_INT, &got);
    TM_CHECK(got == n, "received %d ints, type size says %d", got, n);
    free(a);
    return n;
}

static void expect_list(MPI_Datatype t, int nglobal, const int *want, int nwant,
                        const char *what)
{
    int got[256];
    int n = gather(t, nglobal, got, 256);
    TM_CHECK(n == nwant, "%s: %d elements, expected %d", what, n, nwant);
    for (int i = 0; i < n && i < nwant; i++)
        if (got[i] != want[i]) {
            TM_CHECK(0, "%s: element %d is index %d, expected %d", what, i, got[i], want[i]);
            break;
        }
}

static void test_subarray(void)
{
    MPI_Datatype t;
    int sizes[3] = {4, 3, 5}, sub[3] = {2, 2, 3}, st[3] = {1, 0, 2};
    MPI_Type_create_subarray(3, sizes, sub, st, MPI_ORDER_C, MPI_INT, &t);
    MPI_Type_commit(&t);
    static const int c_order[12] = {17, 18, 19, 22, 23, 24, 32, 33, 34, 37, 38, 39};
    expect_list(t, 60, c_order, 12, "subarray C");
    MPI_Type_free(&t);
    MPI_Type_create_subarray(3, sizes, sub, st, MPI_ORDER_FORTRAN, MPI_INT, &t);
    MPI_Type_commit(&t);
    static const int f_order[12] = {25, 26, 29, 30, 37, 38, 41, 42, 49, 50, 53, 54};
    expect_list(t, 60, f_order, 12, "subarray Fortran");
    MPI_Type_free(&t);
    /* a subarray of a subarray's element type: rows of 2 doubles as the unit */
    MPI_Datatype pair, t2;
    MPI_Type_contiguous(2, MPI_INT, &pair);
    int s2[1] = {6}, ss2[1] = {2}, st2[1] = {3};
    MPI_Type_create_subarray(1, s2, ss2, st2, MPI_ORDER_C, pair, &t2);
    MPI_Type_commit(&t2);
    static const int rows[4] = {6, 7, 8, 9};
    expect_list(t2, 12, rows, 4, "subarray of pairs");
    MPI_Aint lb, ext;
    MPI_Type_get_extent(t2, &lb, &ext);
    TM_CHECK(lb == 0 && ext == 48, "subarray of pairs: lb %ld extent %ld", (long)lb, (long)ext);
    MPI_Type_free(&t2);
    MPI_Type_free(&pair);
}

static MPI_Datatype darray1(int size, int rank, int g, int dist, int darg)
{
    MPI_Datatype t;
    int ps = size;
    TM_CHECK_RC(MPI_Type_create_darray(size, rank, 1, &g, &dist, &darg, &ps, MPI_ORDER_C, MPI_INT,
                                       &t), "darray");
    MPI_Type_commit(&t);
    return t;
}

static void test_darray_lists(void)
{
    static const int block[3][4] = {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}};
    static const int nblock[3] = {4, 4, 2};
    static const int cyc[3][4] = {{0, 3, 6, 9}, {1, 4, 7}, {2, 5, 8}};
    static const int ncyc[3] = {4, 3, 3};
    static const int cyc3[3][4] = {{0, 1, 2, 9}, {3, 4, 5}, {6, 7, 8}};
    static const int ncyc3[3] = {4, 3, 3};
    static const int block5[3][5] = {{0, 1, 2, 3, 4}, {5, 6, 7, 8, 9}, {0}};
    static const int nblock5[3] = {5, 5, 0};
    for (int r = 0; r < 3; r++) {
        char what[64];
        MPI_Datatype t = darray1(3, r, 10, MPI_DISTRIBUTE_BLOCK, MPI_DISTRIBUTE_DFLT_DARG);
        snprintf(what, sizeof what, "block(default) rank %d", r);
        expect_list(t, 10, block[r], nblock[r], what);
        MPI_Type_free(&t);
        t = darray1(3, r, 10, MPI_DISTRIBUTE_CYCLIC, MPI_DISTRIBUTE_DFLT_DARG);
        snprintf(what, sizeof what, "cyclic(default) rank %d", r);
        expect_list(t, 10, cyc[r], ncyc[r], what);
        MPI_Type_free(&t);
        t = darray1(3, r, 10, MPI_DISTRIBUTE_CYCLIC, 3);
        snprintf(what, sizeof what, "cyclic(3) rank %d", r);
        expect_list(t, 10, cyc3[r], ncyc3[r], what);
        MPI_Type_free(&t);
        t = darray1(3, r, 10, MPI_DISTRIBUTE_BLOCK, 5);
        snprintf(what, sizeof what, "block(5) rank %d", r);
        expect_list(t, 10, block5[r], nblock5[r], what);
        MPI_Aint lb, ext;
        MPI_Type_get_extent(t, &lb, &ext);
        TM_CHECK(lb == 0 && ext == 40, "darray extent is the whole array: %ld %ld", (long)lb,
                 (long)ext);
        MPI_Type_free(&t);
    }
    /* 4 x 6 over a 2 x 2 grid: rows block, columns cyclic(2); the grid is row-major */
    int g[2] = {4, 6}, dist[2] = {MPI_DISTRIBUTE_BLOCK, MPI_DISTRIBUTE_CYCLIC};
    int dargs[2] = {MPI_DISTRIBUTE_DFLT_DARG, 2}, ps[2] = {2, 2};
    MPI_Datatype t;
    MPI_Type_create_darray(4, 1, 2, g, dist, dargs, ps, MPI_ORDER_C, MPI_INT, &t);
    MPI_Type_commit(&t);
    static const int r1[4] = {2, 3, 8, 9};
    expect_list(t, 24, r1, 4, "2-D C rank 1");
    MPI_Type_free(&t);
    MPI_Type_create_darray(4, 2, 2, g, dist, dargs, ps, MPI_ORDER_C, MPI_INT, &t);
    MPI_Type_commit(&t);
    static const int r2[8] = {12, 13, 16, 17, 18, 19, 22, 23};
    expect_list(t, 24, r2, 8, "2-D C rank 2");
    MPI_Type_free(&t);
    MPI_Type_create_darray(4, 1, 2, g, dist, dargs, ps, MPI_ORDER_FORTRAN, MPI_INT, &t);
    MPI_Type_commit(&t);
    static const int f1[4] = {8, 9, 12, 13};
    expect_list(t, 24, f1, 4, "2-D Fortran rank 1");
    MPI_Type_free(&t);
    /* NONE: every rank of a 1-process dimension has all of it */
    int gn[2] = {3, 2}, dn[2] = {MPI_DISTRIBUTE_NONE, MPI_DISTRIBUTE_BLOCK};
    int an[2] = {MPI_DISTRIBUTE_DFLT_DARG, MPI_DISTRIBUTE_DFLT_DARG}, pn[2] = {1, 2};
    MPI_Type_create_darray(2, 1, 2, gn, dn, an, pn, MPI_ORDER_C, MPI_INT, &t);
    MPI_Type_commit(&t);
    static const int n1[3] = {1, 3, 5};
    expect_list(t, 6, n1, 3, "NONE x BLOCK rank 1");
    MPI_Type_free(&t);
}

/* Each rank's darray part of a global array, checked for exact coverage at rank 0. */
static void test_distributed(int dist0, int darg0, int order)
{
    int P = tm_size;
    int g[2] = {7, 2 * P + 1}, dist[2] = {dist0, MPI_DISTRIBUTE_CYCLIC};
    int dargs[2] = {darg0, 2}, ps[2] = {1, P};
    if (P % 2 == 0) {
        ps[0] = 2;
        ps[1] = P / 2;
    }
    if (dist0 == MPI_DISTRIBUTE_NONE) {
        ps[0] = 1;
        ps[1] = P;
    }
    if (dist0 == MPI_DISTRIBUTE_BLOCK && darg0 != MPI_DISTRIBUTE_DFLT_DARG &&
        darg0 * ps[0] < g[0])
        dargs[0] = g[0];
    int n = g[0] * g[1];
    MPI_Datatype t;
    TM_CHECK_RC(MPI_Type_create_darray(P, tm_rank, 2, g, dist, dargs, ps, order, MPI_INT, &t),
                "darray");
    MPI_Type_commit(&t);
    int *a = tm_malloc((size_t)n * sizeof *a);
    for (int i = 0; i < n; i++)
        a[i] = i;
    int size;
    MPI_Type_size(t, &size);
    int mine = size / (int)sizeof(int);
    if (tm_rank != 0) {
        MPI_Send(a, 1, t, 0, 9, MPI_COMM_WORLD);
    } else {
        int *seen = calloc((size_t)n, sizeof *seen);
        int *buf = tm_malloc((size_t)n * sizeof *buf);
        int total = 0;
        for (int r = 0; r < P; r++) {
            MPI_Status st;
            int cnt;
            if (r == 0)
                MPI_Sendrecv(a, 1, t, 0, 9, buf, n, MPI_INT, 0, 9, MPI_COMM_SELF, &st);
            else
                MPI_Recv(buf, n, MPI_INT, r, 9, MPI_COMM_WORLD, &st);
            MPI_Get_count(&st, MPI_INT, &cnt);
            for (int i = 0; i < cnt; i++) {
                TM_CHECK(buf[i] >= 0 && buf[i] < n, "rank %d sent index %d", r, buf[i]);
                if (buf[i] >= 0 && buf[i] < n)
                    seen[buf[i]]++;
                /* both orders walk the local indices as the array is laid out */
                if (i > 0)
                    TM_CHECK(buf[i] > buf[i - 1], "rank %d: elements not ascending", r);
            }
            total += cnt;
        }
        TM_CHECK(total == n, "darray parts hold %d elements in all, the array %d", total, n);
        for (int i = 0; i < n; i++)
            TM_CHECK(seen[i] == 1, "global element %d owned %d times", i, seen[i]);
        free(seen);
        free(buf);
    }
    /* and back: rank 0 sends each rank its part packed; they scatter it in place */
    int *local = tm_malloc((size_t)(mine ? mine : 1) * sizeof *local);
    int *b = tm_malloc((size_t)n * sizeof *b);
    for (int i = 0; i < n; i++)
        b[i] = -1;
    MPI_Sendrecv(a, 1, t, 0, 10, local, mine, MPI_INT, 0, 10, MPI_COMM_SELF, MPI_STATUS_IGNORE);
    MPI_Sendrecv(local, mine, MPI_INT, 0, 11, b, 1, t, 0, 11, MPI_COMM_SELF, MPI_STATUS_IGNORE);
    int back = 0;
    for (int i = 0; i < n; i++) {
        TM_CHECK(b[i] == -1 || b[i] == i, "scattered element %d holds %d", i, b[i]);
        back += b[i] == i;
    }
    TM_CHECK(back == mine, "scattered %d elements back, own %d", back, mine);
    free(local);
    free(b);
    free(a);
    MPI_Type_free(&t);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    test_subarray();
    test_darray_lists();
    test_distributed(MPI_DISTRIBUTE_BLOCK, MPI_DISTRIBUTE_DFLT_DARG, MPI_ORDER_C);
    test_distributed(MPI_DISTRIBUTE_CYCLIC, MPI_DISTRIBUTE_DFLT_DARG, MPI_ORDER_FORTRAN);
    test_distributed(MPI_DISTRIBUTE_NONE, MPI_DISTRIBUTE_DFLT_DARG, MPI_ORDER_C);
    test_distributed(MPI_DISTRIBUTE_BLOCK, 4, MPI_ORDER_FORTRAN);
    return tm_finish();
}
