/* topo/dims.c: MPI_Dims_create (local): balanced grids for hand-checked cases, fixed
 * entries, the "as close as possible" criterion checked against a brute-force search for
 * every nnodes up to 300 and ndims up to 5, large and prime node counts, and the errors
 * (MPI_ERR_DIMS for impossible or negative dimensions, MPI_ERR_ARG for nnodes). */
#include "../common.h"

static void expect(int nnodes, int ndims, const int *in, const int *want)
{
    int dims[8];
    memcpy(dims, in, sizeof(int) * (size_t)ndims);
    int rc = MPI_Dims_create(nnodes, ndims, dims);
    TM_CHECK_RC(rc, "MPI_Dims_create");
    for (int i = 0; i < ndims; i++)
        TM_CHECK(dims[i] == want[i], "Dims_create(%d, %d): dims[%d] = %d, expected %d",
                 nnodes, ndims, i, dims[i], want[i]);
}

static void expect_err(int nnodes, int ndims, int *dims, int cls, const char *what)
{
    int rc = MPI_Dims_create(nnodes, ndims, dims);
    TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == cls, "%s: got %d (%s), expected class %d",
             what, rc, rc ? tm_errstr(rc) : "success", cls);
}

/* Smallest (max - min) and, among those, smallest max over non-increasing factorisations
 * of m into k factors, each at most `cap`. */
static void brute(int m, int k, int cap, int first, int *best_spread, int *best_max, int top)
{
    if (k == 1) {
        if (m > cap)
            return;
        int t = first ? m : top;
        int spread = t - m;
        if (spread < *best_spread || (spread == *best_spread && t < *best_max)) {
            *best_spread = spread;
            *best_max = t;
        }
        return;
    }
    for (int f = cap < m ? cap : m; f >= 1; f--)
        if (m % f == 0)
            brute(m / f, k - 1, f, 0, best_spread, best_max, first ? f : top);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);

    /* Hand-computed: the most even grids, largest first. */
    expect(12, 2, (int[]){0, 0}, (int[]){4, 3});
    expect(8, 3, (int[]){0, 0, 0}, (int[]){2, 2, 2});
    expect(6, 2, (int[]){0, 0}, (int[]){3, 2});
    expect(7, 2, (int[]){0, 0}, (int[]){7, 1});
    expect(16, 4, (int[]){0, 0, 0, 0}, (int[]){2, 2, 2, 2});
    expect(36, 3, (int[]){0, 0, 0}, (int[]){4, 3, 3});
    expect(24, 3, (int[]){0, 0, 0}, (int[]){4, 3, 2});
    expect(1, 3, (int[]){0, 0, 0}, (int[]){1, 1, 1});
    expect(720, 3, (int[]){0, 0, 0}, (int[]){10, 9, 8});
    expect(30, 4, (int[]){0, 0, 0, 0}, (int[]){5, 3, 2, 1});
    expect(1000, 4, (int[]){0, 0, 0, 0}, (int[]){8, 5, 5, 5});
    /* Ties on max - min go to the smaller largest dimension: 9x8x5 (spread 4, max 9) over
     * 10x6x6 (spread 4, max 10); 20x18x14 over 21x16x15. */
    expect(360, 3, (int[]){0, 0, 0}, (int[]){9, 8, 5});
    expect(5040, 3, (int[]){0, 0, 0}, (int[]){20, 18, 14});
    expect(5, 1, (int[]){0}, (int[]){5});
    /* Fixed entries stay; the free ones are filled in non-increasing order. */
    expect(36, 3, (int[]){0, 3, 0}, (int[]){4, 3, 3});
    expect(12, 3, (int[]){0, 1, 0}, (int[]){4, 1, 3});
    expect(8, 3, (int[]){2, 0, 2}, (int[]){2, 2, 2});
    expect(24, 4, (int[]){0, 2, 0, 0}, (int[]){3, 2, 2, 2});
    expect(6, 2, (int[]){2, 3}, (int[]){2, 3});
    expect(60, 3, (int[]){5, 0, 0}, (int[]){5, 4, 3});
    /* No dimensions: a grid of one process. */
    expect(1, 0, (int[]){0}, (int[]){0});
    /* Large and prime node counts. */
    expect(1 << 30, 2, (int[]){0, 0}, (int[]){32768, 32768});
    expect(2147483647, 2, (int[]){0, 0}, (int[]){2147483647, 1});
    expect(2147483647, 3, (int[]){0, 0, 0}, (int[]){2147483647, 1, 1});
    expect(1 << 30, 3, (int[]){0, 0, 0}, (int[]){1024, 1024, 1024});
    {
        /* A highly composite count over many dimensions finishes quickly. */
        int dims[10] = {0};
        double t0 = MPI_Wtime();
        TM_CHECK_RC(MPI_Dims_create(735134400, 10, dims), "Dims_create(735134400, 10)");
        long long p = 1;
        for (int i = 0; i < 10; i++) {
            p *= dims[i];
            TM_CHECK(i == 0 || dims[i] <= dims[i - 1], "735134400: not non-increasing");
        }
        TM_CHECK(p == 735134400, "735134400: product %lld", p);
        TM_CHECK(MPI_Wtime() - t0 < 10.0, "Dims_create(735134400, 10) took %.1f s",
                 MPI_Wtime() - t0);
    }

    {
        /* Many free dimensions: the ones go last, the search stays shallow. */
        static int dims[100000];
        TM_CHECK_RC(MPI_Dims_create(12, 100000, dims), "Dims_create(12, 100000)");
        TM_CHECK(dims[0] == 3 && dims[1] == 2 && dims[2] == 2 && dims[3] == 1 &&
                 dims[99999] == 1, "Dims_create(12, 100000): %d %d %d %d ... %d", dims[0],
                 dims[1], dims[2], dims[3], dims[99999]);
        memset(dims, 0, sizeof dims);
        dims[5] = 7;
        TM_CHECK_RC(MPI_Dims_create(7, 100000, dims), "Dims_create(7, 100000)");
        TM_CHECK(dims[0] == 1 && dims[5] == 7 && dims[99999] == 1, "Dims_create(7, 100000) "
                 "with a fixed 7: %d %d %d", dims[0], dims[5], dims[99999]);
    }
    expect(20, 4, (int[]){0, 0, 0, 0}, (int[]){5, 2, 2, 1});

    /* The criterion, against brute force. */
    for (int n = 1; n <= 300; n++) {
        for (int k = 1; k <= 5; k++) {
            int dims[5] = {0, 0, 0, 0, 0};
            int rc = MPI_Dims_create(n, k, dims);
            TM_CHECK_RC(rc, "MPI_Dims_create");
            long long p = 1;
            for (int i = 0; i < k; i++) {
                p *= dims[i];
                TM_CHECK(i == 0 || dims[i] <= dims[i - 1], "Dims_create(%d, %d): dims[%d] = %d "
                         "> dims[%d] = %d", n, k, i, dims[i], i - 1, dims[i - 1]);
            }
            TM_CHECK(p == n, "Dims_create(%d, %d): product %lld", n, k, p);
            int bs = 1 << 30, bm = 1 << 30;
            brute(n, k, n, 1, &bs, &bm, 0);
            TM_CHECK(dims[0] - dims[k - 1] == bs && dims[0] == bm, "Dims_create(%d, %d): "
                     "spread %d max %d, best is spread %d max %d", n, k,
                     dims[0] - dims[k - 1], dims[0], bs, bm);
        }
    }

    /* Errors. */
    expect_err(8, 2, (int[]){3, 0}, MPI_ERR_DIMS, "nnodes 8 with a fixed 3");
    expect_err(8, 2, (int[]){2, 2}, MPI_ERR_DIMS, "all fixed 2x2 for nnodes 8");
    expect_err(8, 2, (int[]){-1, 0}, MPI_ERR_DIMS, "negative dims entry");
    expect_err(8, -1, (int[]){0}, MPI_ERR_DIMS, "ndims -1");
    expect_err(2, 0, (int[]){0}, MPI_ERR_DIMS, "ndims 0 with 2 nodes");
    expect_err(0, 2, (int[]){0, 0}, MPI_ERR_ARG, "nnodes 0");
    expect_err(-4, 2, (int[]){0, 0}, MPI_ERR_ARG, "nnodes -4");
    expect_err(4, 2, NULL, MPI_ERR_ARG, "dims NULL");
    {
        int dims[2] = {3, 0};
        int rc = MPI_Dims_create(8, 2, dims);
        TM_CHECK(strstr(tm_errstr(rc), "nnodes = 8") != NULL, "message names nnodes: %s",
                 tm_errstr(rc));
        TM_CHECK(dims[0] == 3 && dims[1] == 0, "dims changed on error: %d %d", dims[0],
                 dims[1]);
    }
    return tm_finish();
}
