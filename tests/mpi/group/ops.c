/* group/ops: every MPI_Group_* call against hand-computed expectations, on every rank.
 *
 * The world group W = (0..n-1). E = incl(W, evens), O = excl(W, evens) = odds,
 * R = incl(W, reversed). Expected results, from the standard's definitions:
 *   union(E, O)        = evens then odds          (first group's order, then the new ones)
 *   union(O, W)        = odds then evens
 *   intersection(W, R) = W order                  (first group's order)
 *   intersection(R, E) = evens, descending
 *   difference(W, E)   = odds; difference(E, W) = MPI_GROUP_EMPTY
 *   range_incl((n-1, 0, -2)) = n-1, n-3, ...; range_excl((0, n-1, 3)) = ranks not 0 mod 3
 * Errors (MPI_ERRORS_RETURN on MPI_COMM_SELF, which handles errors not tied to a
 * communicator): duplicate or out-of-range ranks give MPI_ERR_RANK, bad ranges (zero
 * stride, out of range, overlapping) MPI_ERR_ARG, MPI_GROUP_NULL MPI_ERR_GROUP, negative n
 * MPI_ERR_ARG. (MPICH 4.0 differs in two corners: it accepts duplicate ranks in
 * MPI_Group_incl, and translates MPI_PROC_NULL into MPI_GROUP_EMPTY as MPI_UNDEFINED.) */
#include "../common.h"

static int n;

/* The group's members as world ranks. */
static void members(MPI_Group g, int *out, int *size)
{
    MPI_Group w;
    MPI_Comm_group(MPI_COMM_WORLD, &w);
    MPI_Group_size(g, size);
    int *idx = tm_malloc(sizeof *idx * (size_t)(*size + 1));
    for (int i = 0; i < *size; i++)
        idx[i] = i;
    MPI_Group_translate_ranks(g, *size, idx, w, out);
    free(idx);
    MPI_Group_free(&w);
}

static void expect(MPI_Group g, const int *want, int wn, const char *what)
{
    int *got = tm_malloc(sizeof *got * (size_t)(n + 1)), gn = -1;
    members(g, got, &gn);
    TM_CHECK(gn == wn, "%s: size %d, expected %d", what, gn, wn);
    for (int i = 0; i < gn && i < wn; i++)
        TM_CHECK(got[i] == want[i], "%s: rank %d is world rank %d, expected %d", what, i,
                 got[i], want[i]);
    /* MPI_Group_rank: our position, or MPI_UNDEFINED. */
    int pos = MPI_UNDEFINED, r = -5;
    for (int i = 0; i < wn; i++)
        if (want[i] == tm_rank)
            pos = i;
    MPI_Group_rank(g, &r);
    TM_CHECK(r == pos, "%s: MPI_Group_rank gave %d, expected %d", what, r, pos);
    free(got);
}

static void expect_class(int rc, int cls, const char *what)
{
    TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == cls,
             "%s returned %d (class %d: %s), expected class %d", what, rc, tm_errclass(rc),
             rc == MPI_SUCCESS ? "success" : tm_errstr(rc), cls);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    n = tm_size;
    int *l = tm_malloc(sizeof *l * (size_t)(2 * n + 2));
    int *l2 = tm_malloc(sizeof *l2 * (size_t)(2 * n + 2));
    int k;
    MPI_Group w, e, o, rv, g;

    MPI_Comm_group(MPI_COMM_WORLD, &w);
    for (int i = 0; i < n; i++)
        l[i] = i;
    expect(w, l, n, "world group");
    int res = -1;
    MPI_Group_compare(w, w, &res);
    TM_CHECK(res == MPI_IDENT, "compare(W, W) = %d", res);

    /* E = evens, O = odds, R = reversed */
    k = 0;
    for (int i = 0; i < n; i += 2)
        l[k++] = i;
    TM_CHECK_RC(MPI_Group_incl(w, k, l, &e), "MPI_Group_incl evens");
    expect(e, l, k, "incl evens");
    int ne = k;
    TM_CHECK_RC(MPI_Group_excl(w, ne, l, &o), "MPI_Group_excl evens");
    k = 0;
    for (int i = 1; i < n; i += 2)
        l[k++] = i;
    expect(o, l, k, "excl evens (odds)");
    int no = k;
    for (int i = 0; i < n; i++)
        l[i] = n - 1 - i;
    TM_CHECK_RC(MPI_Group_incl(w, n, l, &rv), "MPI_Group_incl reversed");
    expect(rv, l, n, "incl reversed");
    MPI_Group_compare(w, rv, &res);
    TM_CHECK(res == (n == 1 ? MPI_IDENT : MPI_SIMILAR), "compare(W, reversed) = %d", res);
    MPI_Group_compare(w, e, &res);
    TM_CHECK(res == (n == 1 ? MPI_IDENT : MPI_UNEQUAL), "compare(W, E) = %d", res);

    /* union */
    k = 0;
    for (int i = 0; i < n; i += 2)
        l[k++] = i;
    for (int i = 1; i < n; i += 2)
        l[k++] = i;
    TM_CHECK_RC(MPI_Group_union(e, o, &g), "MPI_Group_union(E, O)");
    expect(g, l, n, "union(E, O)");
    MPI_Group_compare(g, w, &res);
    TM_CHECK(res == (n <= 2 ? MPI_IDENT : MPI_SIMILAR), "compare(union(E,O), W) = %d", res);
    MPI_Group_free(&g);
    TM_CHECK(g == MPI_GROUP_NULL, "MPI_Group_free did not set MPI_GROUP_NULL");
    k = 0;
    for (int i = 1; i < n; i += 2)
        l[k++] = i;
    for (int i = 0; i < n; i += 2)
        l[k++] = i;
    MPI_Group_union(o, w, &g);
    expect(g, l, n, "union(O, W)");
    MPI_Group_free(&g);
    MPI_Group_union(e, e, &g);
    MPI_Group_compare(g, e, &res);
    TM_CHECK(res == MPI_IDENT, "union(E, E) compares %d with E", res);
    MPI_Group_free(&g);

    /* intersection */
    for (int i = 0; i < n; i++)
        l[i] = i;
    MPI_Group_intersection(w, rv, &g);
    expect(g, l, n, "intersection(W, R)");
    MPI_Group_free(&g);
    k = 0;
    for (int i = n - 1; i >= 0; i--)
        if (i % 2 == 0)
            l[k++] = i;
    MPI_Group_intersection(rv, e, &g);
    expect(g, l, k, "intersection(R, E)");
    MPI_Group_free(&g);
    MPI_Group_intersection(e, o, &g);
    TM_CHECK(g == MPI_GROUP_EMPTY, "intersection(E, O) is not MPI_GROUP_EMPTY");
    MPI_Group_free(&g);

    /* difference */
    k = 0;
    for (int i = 1; i < n; i += 2)
        l[k++] = i;
    MPI_Group_difference(w, e, &g);
    expect(g, l, k, "difference(W, E)");
    MPI_Group_free(&g);
    MPI_Group_difference(e, w, &g);
    TM_CHECK(g == MPI_GROUP_EMPTY, "difference(E, W) is not MPI_GROUP_EMPTY");
    MPI_Group_free(&g);

    /* MPI_GROUP_EMPTY itself */
    int sz = -1, rk = -1;
    MPI_Group_size(MPI_GROUP_EMPTY, &sz);
    MPI_Group_rank(MPI_GROUP_EMPTY, &rk);
    TM_CHECK(sz == 0 && rk == MPI_UNDEFINED, "GROUP_EMPTY: size %d rank %d", sz, rk);
    MPI_Group_incl(w, 0, NULL, &g);
    TM_CHECK(g == MPI_GROUP_EMPTY, "incl of 0 ranks is not MPI_GROUP_EMPTY");
    MPI_Group_free(&g);
    MPI_Group_union(MPI_GROUP_EMPTY, e, &g);
    MPI_Group_compare(g, e, &res);
    TM_CHECK(res == MPI_IDENT, "union(EMPTY, E) compares %d with E", res);
    MPI_Group_free(&g);
    MPI_Group_compare(MPI_GROUP_EMPTY, w, &res);
    TM_CHECK(res == MPI_UNEQUAL, "compare(EMPTY, W) = %d", res);
    for (int i = 0; i < n; i++)
        l[i] = i;
    MPI_Group_excl(w, n, l, &g);
    TM_CHECK(g == MPI_GROUP_EMPTY, "excl of everyone is not MPI_GROUP_EMPTY");
    MPI_Group_free(&g);

    /* ranges: (n-1, 0, -2) and, excluded, (0, n-1, 3) */
    int r1[1][3] = {{n - 1, 0, -2}};
    k = 0;
    for (int i = n - 1; i >= 0; i -= 2)
        l[k++] = i;
    TM_CHECK_RC(MPI_Group_range_incl(w, 1, r1, &g), "MPI_Group_range_incl");
    expect(g, l, k, "range_incl (n-1, 0, -2)");
    MPI_Group_free(&g);
    int r2[1][3] = {{0, n - 1, 3}};
    k = 0;
    for (int i = 0; i < n; i++)
        if (i % 3)
            l[k++] = i;
    TM_CHECK_RC(MPI_Group_range_excl(w, 1, r2, &g), "MPI_Group_range_excl");
    if (k == 0)
        TM_CHECK(g == MPI_GROUP_EMPTY, "range_excl of all is not MPI_GROUP_EMPTY");
    expect(g, l, k, "range_excl (0, n-1, 3)");
    MPI_Group_free(&g);
    /* two ranges, the second a single rank: (0, 0, 1), (n-1, 1, -1) when n > 1 */
    if (n > 1) {
        int r3[2][3] = {{0, 0, 1}, {n - 1, 1, -1}};
        l[0] = 0;
        for (int i = 1; i < n; i++)
            l[i] = n - i;
        MPI_Group_range_incl(w, 2, r3, &g);
        expect(g, l, n, "range_incl (0,0,1),(n-1,1,-1)");
        MPI_Group_free(&g);
    }

    /* translate_ranks: PROC_NULL stays, absent ranks are MPI_UNDEFINED */
    int in[4] = {MPI_PROC_NULL, 0, n - 1, n / 2}, out[4] = {-9, -9, -9, -9};
    TM_CHECK_RC(MPI_Group_translate_ranks(w, 4, in, e, out), "translate W -> E");
    TM_CHECK(out[0] == MPI_PROC_NULL, "PROC_NULL translated to %d", out[0]);
    TM_CHECK(out[1] == 0, "world 0 in E is %d", out[1]);
    TM_CHECK(out[2] == ((n - 1) % 2 ? MPI_UNDEFINED : (n - 1) / 2), "world %d in E is %d",
             n - 1, out[2]);
    TM_CHECK(out[3] == ((n / 2) % 2 ? MPI_UNDEFINED : (n / 2) / 2), "world %d in E is %d",
             n / 2, out[3]);
    for (int i = 0; i < n; i++)
        l[i] = i;
    MPI_Group_translate_ranks(w, n, l, rv, l2);
    for (int i = 0; i < n; i++)
        TM_CHECK(l2[i] == n - 1 - i, "world %d in R is %d", i, l2[i]);
    TM_CHECK_RC(MPI_Group_translate_ranks(w, 0, NULL, e, NULL), "translate of 0 ranks");
    MPI_Group_translate_ranks(e, 1, in, MPI_GROUP_EMPTY, out);
    TM_CHECK(out[0] == MPI_PROC_NULL, "PROC_NULL into EMPTY gave %d", out[0]);

    /* A group outlives its communicator. */
    MPI_Comm d;
    MPI_Comm_dup(MPI_COMM_WORLD, &d);
    MPI_Comm_group(d, &g);
    MPI_Comm_free(&d);
    for (int i = 0; i < n; i++)
        l[i] = i;
    expect(g, l, n, "group of a freed duplicate");
    MPI_Group_free(&g);

    /* ---- errors --------------------------------------------------------------------- */
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN); /* MPI-3 routed them there */
    int bad[2] = {0, 0};
    g = MPI_GROUP_NULL;
    expect_class(MPI_Group_incl(w, 2, bad, &g), MPI_ERR_RANK, "incl with a duplicate rank");
    bad[0] = n;
    expect_class(MPI_Group_incl(w, 1, bad, &g), MPI_ERR_RANK, "incl of rank n");
    bad[0] = -1;
    expect_class(MPI_Group_excl(w, 1, bad, &g), MPI_ERR_RANK, "excl of rank -1");
    expect_class(MPI_Group_incl(w, -1, bad, &g), MPI_ERR_ARG, "incl with n = -1");
    int rz[1][3] = {{0, 0, 0}};
    /* (first > last with a positive stride is also refused) */
    expect_class(MPI_Group_range_incl(w, 1, rz, &g), MPI_ERR_ARG, "range with stride 0");
    int rb[1][3] = {{0, n, 1}};
    expect_class(MPI_Group_range_incl(w, 1, rb, &g), MPI_ERR_ARG, "range up to rank n");
    int rd[2][3] = {{0, 0, 1}, {0, 0, 1}};
    expect_class(MPI_Group_range_excl(w, 2, rd, &g), MPI_ERR_ARG, "ranges naming 0 twice");
    in[0] = n;
    expect_class(MPI_Group_translate_ranks(w, 1, in, e, out), MPI_ERR_RANK,
                 "translate of rank n");
    expect_class(MPI_Group_size(MPI_GROUP_NULL, &sz), MPI_ERR_GROUP, "size of GROUP_NULL");
    expect_class(MPI_Group_union(w, MPI_GROUP_NULL, &g), MPI_ERR_GROUP,
                 "union with GROUP_NULL");
    g = MPI_GROUP_NULL;
    expect_class(MPI_Group_free(&g), MPI_ERR_GROUP, "free of GROUP_NULL");
    TM_CHECK(g == MPI_GROUP_NULL, "failed free changed the handle");
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_ARE_FATAL);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);

    MPI_Group_free(&rv);
    MPI_Group_free(&o);
    MPI_Group_free(&e);
    MPI_Group_free(&w);
    (void)no;
    free(l);
    free(l2);
    return tm_finish();
}
