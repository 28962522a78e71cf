/* cart.c - Cartesian topologies: the grid attached to a communicator, rank <-> coordinate
 * mapping, shifts, sub-grids, and MPI_Dims_create's balanced factorisation.
 *
 * Ranks are laid out in row-major order (the last dimension varies fastest), as MPI
 * specifies, and a process keeps its rank (reorder is ignored). A grid with zero
 * dimensions is one process. The topology object is one allocation (struct followed by
 * dims and periods), so duplicating it for MPI_Comm_dup is one copy.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "topo/topo.h"

static void cart_free(struct lm_topo *t)
{
    free(t);
}

static int cart_alloc(int ndims, struct lm_cart **out);

static int cart_dup(const struct lm_topo *t, struct lm_topo **out)
{
    const struct lm_cart *c = (const struct lm_cart *)t;
    struct lm_cart *n;
    int rc = cart_alloc(c->ndims, &n);
    if (rc != LM_OK)
        return rc;
    if (c->ndims > 0) {
        memcpy(n->dims, c->dims, sizeof *n->dims * (size_t)c->ndims);
        memcpy(n->periods, c->periods, sizeof *n->periods * (size_t)c->ndims);
    }
    *out = &n->base;
    return LM_OK;
}

static int cart_alloc(int ndims, struct lm_cart **out)
{
    struct lm_cart *c = malloc(sizeof *c + sizeof(int) * 2 * (size_t)ndims);
    if (!c)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory for a %d-dimensional grid", ndims);
    c->base = (struct lm_topo){.kind = MPI_CART, .dup = cart_dup, .free = cart_free};
    c->ndims = ndims;
    c->dims = ndims > 0 ? (int *)(c + 1) : NULL;
    c->periods = ndims > 0 ? c->dims + ndims : NULL;
    *out = c;
    return LM_OK;
}

/* Attaches a grid to a communicator the caller just built (released on failure). */
static int attach(struct lm_comm **comm, int ndims, const int *dims, const int *periods)
{
    struct lm_cart *c;
    int rc = cart_alloc(ndims, &c);
    if (rc != LM_OK) {
        lm_comm_release(*comm);
        *comm = NULL;
        return rc;
    }
    for (int i = 0; i < ndims; i++) {
        c->dims[i] = dims[i];
        c->periods[i] = periods[i] != 0;
    }
    (*comm)->topo = &c->base;
    return LM_OK;
}

int lm_cart_create(struct lm_comm *comm, int ndims, const int *dims, const int *periods,
                   struct lm_comm **out)
{
    long long n = 1;
    for (int i = 0; i < ndims; i++)
        n *= dims[i];
    int rc = lm_topo_comm_create(comm, (int)n, out);
    if (rc != LM_OK || !*out)
        return rc;
    return attach(out, ndims, dims, periods);
}

void lm_cart_coords(const struct lm_cart *cart, int rank, int *coords)
{
    for (int d = cart->ndims - 1; d >= 0; d--) {
        coords[d] = rank % cart->dims[d];
        rank /= cart->dims[d];
    }
}

int lm_cart_rank(const struct lm_cart *cart, const int *coords, int *rank)
{
    int r = 0;
    for (int d = 0; d < cart->ndims; d++) {
        int n = cart->dims[d], c = coords[d];
        if (cart->periods[d])
            c = (int)(((long long)c % n + n) % n);
        else if (c < 0 || c >= n)
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: coords[%d] = %d is outside "
                                 "0..%d in non-periodic dimension %d", d, c, n - 1, d);
        r = r * n + c;
    }
    *rank = r;
    return LM_OK;
}

/* Coordinate c + delta in dimension d, or -1 past the end of a non-periodic one. */
static int step(const struct lm_cart *cart, int d, int c, long long delta)
{
    long long n = cart->dims[d], v = c + delta;
    if (cart->periods[d])
        return (int)((v % n + n) % n);
    return v < 0 || v >= n ? -1 : (int)v;
}

void lm_cart_shift(const struct lm_cart *cart, int rank, int direction, int disp,
                   int *source, int *dest)
{
    int coords[cart->ndims];
    lm_cart_coords(cart, rank, coords);
    int here = coords[direction];
    int to = step(cart, direction, here, disp), from = step(cart, direction, here,
                                                             -(long long)disp);
    *dest = *source = MPI_PROC_NULL;
    if (to >= 0) {
        coords[direction] = to;
        lm_cart_rank(cart, coords, dest);
    }
    if (from >= 0) {
        coords[direction] = from;
        lm_cart_rank(cart, coords, source);
    }
}

int lm_cart_sub(struct lm_comm *comm, const int *remain_dims, struct lm_comm **out)
{
    const struct lm_cart *cart = (const struct lm_cart *)comm->topo;
    int nd = cart->ndims, kept = 0;
    int coords[nd > 0 ? nd : 1], dims[nd > 0 ? nd : 1], periods[nd > 0 ? nd : 1];
    lm_cart_coords(cart, comm->rank, coords);
    /* The dropped coordinates name the sub-grid; ordering by old rank keeps the kept
     * coordinates in row-major order. */
    int color = 0;
    for (int d = 0; d < nd; d++) {
        if (remain_dims[d]) {
            dims[kept] = cart->dims[d];
            periods[kept++] = cart->periods[d];
        } else {
            color = color * cart->dims[d] + coords[d];
        }
    }
    int rc = lm_comm_split(comm, color, comm->rank, out);
    if (rc != LM_OK)
        return rc;
    return attach(out, kept, dims, periods);
}

/* ---- MPI_Dims_create ------------------------------------------------------------------------ */

/* r^k compared with n without overflow: -1, 0, 1. */
static int pow_cmp(long long r, int k, long long n)
{
    long long p = 1;
    for (int i = 0; i < k; i++) {
        if (p > n / r)
            return 1;
        p *= r;
    }
    return p < n ? -1 : p > n;
}

/* Largest r with r^k <= n (n >= 1, k >= 1). */
static long long root_floor(long long n, int k)
{
    long long lo = 1, hi = n;
    while (lo < hi) {
        long long mid = lo + (hi - lo + 1) / 2;
        if (pow_cmp(mid, k, n) <= 0)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

struct dims_search {
    int k;                 /* free dimensions */
    const int *divs;       /* divisors of the free product, ascending */
    int ndivs;
    int *cur, *best;       /* non-increasing factors */
    long long best_spread; /* LLONG_MAX: none yet */
};

/* Chooses cur[i..k-1] (each <= cur[i-1]) with product `rest`. The spread of a completed
 * choice is cur[0] - cur[k-1], and cur[k-1] <= root(rest, k - i), which bounds what this
 * branch can reach: prune when that cannot beat the best found. cur[0] is tried in
 * ascending order, so among equal spreads the first found has the smallest maximum. */
static void dims_choose(struct dims_search *s, int i, long long rest)
{
    if (i == s->k - 1) {
        if (i > 0 && rest > s->cur[i - 1])
            return;
        s->cur[i] = (int)rest;
        long long spread = s->cur[0] - rest;
        if (spread < s->best_spread) {
            s->best_spread = spread;
            memcpy(s->best, s->cur, sizeof *s->cur * (size_t)s->k);
        }
        return;
    }
    int left = s->k - i;
    long long lo = root_floor(rest, left);   /* cur[i] >= ceil(root), cur[k-1] <= lo */
    if (pow_cmp(lo, left, rest) < 0)
        lo++;
    for (int j = 0; j < s->ndivs; j++) {
        long long f = s->divs[j];
        if (f < lo || rest % f)
            continue;
        if (i > 0 && f > s->cur[i - 1])
            break;
        long long top = i == 0 ? f : s->cur[0];
        /* The rest's smallest factor is at most root(rest / f, left - 1). */
        if (top - root_floor(rest / f, left - 1) >= s->best_spread) {
            if (i == 0)
                break;    /* grows with f */
            continue;
        }
        s->cur[i] = (int)f;
        dims_choose(s, i + 1, rest / f);
    }
}

int lm_dims_create(int nnodes, int ndims, int *dims)
{
    long long fixed = 1;
    int k = 0;
    for (int i = 0; i < ndims; i++) {
        if (dims[i] > 0)
            fixed *= dims[i];
        else
            k++;
        if (fixed > nnodes)
            break;
    }
    if (k == 0 ? fixed != nnodes : nnodes % fixed != 0)
        return lm_err_detail(MPI_ERR_DIMS, "invalid dimensions: the fixed entries of dims "
                             "multiply to %lld, which %s nnodes = %d", fixed,
                             k == 0 ? "is not" : "does not divide", nnodes);
    if (k == 0)
        return LM_OK;
    long long m = nnodes / fixed;
    /* At most omega(m) (prime factors with multiplicity, <= 31) entries can exceed 1, so
     * the search fills omega(m) + 1 of the free entries at most (padding with ones keeps
     * max and min) and the recursion stays shallow however many dimensions are free. */
    int omega = 0;
    for (long long q = m, p = 2; q > 1; p++) {
        if (p * p > q) {
            omega++;
            break;
        }
        while (q % p == 0) {
            q /= p;
            omega++;
        }
    }
    if (k > omega + 1)
        k = omega + 1;
    /* Divisors of m, ascending: trial division up to sqrt(m). */
    int ndivs = 0, cap = 64;
    int *divs = malloc(sizeof *divs * (size_t)cap), *hi = NULL;
    int nhi = 0;
    int *cur = malloc(sizeof *cur * (size_t)k), *best = malloc(sizeof *best * (size_t)k);
    int rc = LM_OK;
    if (!divs || !cur || !best || !(hi = malloc(sizeof *hi * (size_t)cap))) {
        rc = lm_err_detail(MPI_ERR_NO_MEM, "out of memory in MPI_Dims_create");
        goto out;
    }
    for (long long d = 1; d * d <= m; d++) {
        if (m % d)
            continue;
        if (ndivs == cap) {
            int *a = realloc(divs, sizeof *a * (size_t)cap * 2), *b;
            if (a)
                divs = a;
            b = a ? realloc(hi, sizeof *b * (size_t)cap * 2) : NULL;
            if (!b) {
                rc = lm_err_detail(MPI_ERR_NO_MEM, "out of memory in MPI_Dims_create");
                goto out;
            }
            hi = b;
            cap *= 2;
        }
        divs[ndivs++] = (int)d;
        if (d * d != m)
            hi[nhi++] = (int)(m / d);
    }
    /* Append the large divisors (found in descending order), then all are ascending. */
    {
        int *a = realloc(divs, sizeof *a * (size_t)(ndivs + nhi));
        if (!a) {
            rc = lm_err_detail(MPI_ERR_NO_MEM, "out of memory in MPI_Dims_create");
            goto out;
        }
        divs = a;
        for (int i = nhi - 1; i >= 0; i--)
            divs[ndivs++] = hi[i];
    }
    struct dims_search s = {.k = k, .divs = divs, .ndivs = ndivs, .cur = cur, .best = best,
                            .best_spread = LLONG_MAX};
    dims_choose(&s, 0, m);
    /* Free entries get the factors in non-increasing order, left to right, then ones. */
    for (int i = 0, j = 0; i < ndims; i++)
        if (dims[i] == 0)
            dims[i] = j < k ? best[j++] : 1;
out:
    free(divs);
    free(hi);
    free(cur);
    free(best);
    return rc;
}
