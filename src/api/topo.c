/* topo.c - process topology calls: Cartesian (create, get, rank, coords, shift, sub, map,
 * Cartdim_get, Dims_create), graph (create, get, neighbors, map, Graphdims_get),
 * distributed graph (create, create_adjacent, neighbors), Topo_test, and the
 * neighborhood collectives in all their forms: blocking, nonblocking (MPI_Ineighbor_*),
 * persistent (MPI_Neighbor_*_init), each also with large counts (_c).
 *
 * The arrays every process passes alike (dims, periods, a graph's index and edges) are
 * checked here; MPI_Dist_graph_create's per-process edges are checked by src/topo after
 * the processes agree, so one bad process fails the call everywhere. Calls that take an
 * array length (maxdims, maxindex, maxneighbors, ...) write at most that many entries, and
 * only MPI_Cart_coords, which must give a whole coordinate, insists on enough room.
 *
 * Error classes: MPI_ERR_TOPOLOGY for a communicator without the needed topology,
 * MPI_ERR_DIMS for bad dimension counts or sizes (and Dims_create's impossible grids),
 * MPI_ERR_RANK for ranks out of range, MPI_ERR_ARG for the rest.
 */
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"
#include "topo/topo.h"

/* The communicator argument: errors with it go to MPI_COMM_SELF's handler (returns false
 * with *ret set). */
static bool get_comm(MPI_Comm comm, const char *arg, struct lm_comm **c, const char *fn,
                     int *ret)
{
    int rc = lm_check_comm(comm, c, arg);
    if (rc != LM_OK)
        *ret = lm_api_error(NULL, rc, fn);
    return rc == LM_OK;
}

/* Stores a constructor's result: the handle, or MPI_COMM_NULL. */
static int out_comm(struct lm_comm *n, int rc, struct lm_comm *parent, MPI_Comm *newcomm,
                    const char *fn)
{
    if (rc != LM_OK) {
        *newcomm = MPI_COMM_NULL;
        return lm_api_error(parent, rc, fn);
    }
    *newcomm = n ? n->handle : MPI_COMM_NULL;
    return MPI_SUCCESS;
}

static int check_count_ptr(const void *p, int n, const char *arg)
{
    if (n > 0 && !p)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: %s is NULL with %d entries", arg,
                             n);
    return LM_OK;
}

static int check_max(int max, const char *arg)
{
    if (max < 0)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: %s = %d is negative", arg, max);
    return LM_OK;
}

static inline int min_int(int a, int b)
{
    return a < b ? a : b;
}

/* ---- Cartesian ------------------------------------------------------------------------------ */

/* A grid description (MPI_Cart_create, MPI_Cart_map); *nprocs = its number of processes. */
static int check_grid(const struct lm_comm *c, int ndims, const int *dims, const int *periods,
                      int *nprocs)
{
    int rc;
    if (ndims < 0)
        return lm_err_detail(MPI_ERR_DIMS, "invalid dimensions: ndims = %d is negative",
                             ndims);
    if ((rc = check_count_ptr(dims, ndims, "dims")) != LM_OK ||
        (rc = check_count_ptr(periods, ndims, "periods")) != LM_OK)
        return rc;
    long long n = 1;
    for (int i = 0; i < ndims; i++) {
        if (dims[i] <= 0)
            return lm_err_detail(MPI_ERR_DIMS, "invalid dimensions: dims[%d] = %d (each "
                                 "dimension needs at least one process)", i, dims[i]);
        if (n <= c->size)
            n *= dims[i];
    }
    if (n > c->size) {
        char grid[160];
        int len = 0;
        for (int i = 0; i < ndims && len < (int)sizeof grid - 16; i++)
            len += snprintf(grid + len, sizeof grid - (size_t)len, "%s%d", i ? "x" : "",
                            dims[i]);
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: the grid %s needs more "
                             "processes than the %d of comm_old", grid, c->size);
    }
    *nprocs = (int)n;
    return LM_OK;
}

LM_EXPORT int PMPI_Cart_create(MPI_Comm comm_old, int ndims, const int dims[],
                               const int periods[], int reorder, MPI_Comm *comm_cart)
{
    static const char fn[] = "MPI_Cart_create";
    LM_API_ENTER(fn);
    struct lm_comm *c, *n = NULL;
    int rc, nprocs;
    if (!get_comm(comm_old, "comm_old", &c, fn, &rc))
        return rc;
    (void)reorder;   /* ranks are kept, as MPI allows */
    if ((rc = lm_check_intra(c, "comm_old")) != LM_OK ||
        (rc = lm_check_ptr(comm_cart, "comm_cart")) != LM_OK ||
        (rc = check_grid(c, ndims, dims, periods, &nprocs)) != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    lm_call_enter(fn, NULL, 0, 0, c);
    rc = lm_cart_create(c, ndims, dims, periods, &n);
    lm_unlock();
    return out_comm(n, rc, c, comm_cart, fn);
}
LM_WEAK_ALIAS(Cart_create)

LM_EXPORT int PMPI_Cart_map(MPI_Comm comm, int ndims, const int dims[], const int periods[],
                            int *newrank)
{
    static const char fn[] = "MPI_Cart_map";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc, nprocs;
    if (!get_comm(comm, "comm", &c, fn, &rc))
        return rc;
    if ((rc = lm_check_intra(c, "comm")) != LM_OK ||
        (rc = lm_check_ptr(newrank, "newrank")) != LM_OK ||
        (rc = check_grid(c, ndims, dims, periods, &nprocs)) != LM_OK)
        return lm_api_error(c, rc, fn);
    *newrank = c->rank < nprocs ? c->rank : MPI_UNDEFINED;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Cart_map)

/* The Cartesian topology of comm, or an error dispatched on comm (returns NULL). */
static const struct lm_cart *get_cart(MPI_Comm comm, struct lm_comm **c, const char *fn,
                                      int *ret)
{
    struct lm_topo *t;
    if (!get_comm(comm, "comm", c, fn, ret))
        return NULL;
    int rc = lm_topo_get(*c, MPI_CART, &t);
    if (rc != LM_OK) {
        *ret = lm_api_error(*c, rc, fn);
        return NULL;
    }
    return (const struct lm_cart *)t;
}

LM_EXPORT int PMPI_Cartdim_get(MPI_Comm comm, int *ndims)
{
    static const char fn[] = "MPI_Cartdim_get";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    const struct lm_cart *cart = get_cart(comm, &c, fn, &rc);
    if (!cart)
        return rc;
    if ((rc = lm_check_ptr(ndims, "ndims")) != LM_OK)
        return lm_api_error(c, rc, fn);
    *ndims = cart->ndims;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Cartdim_get)

LM_EXPORT int PMPI_Cart_get(MPI_Comm comm, int maxdims, int dims[], int periods[],
                            int coords[])
{
    static const char fn[] = "MPI_Cart_get";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    const struct lm_cart *cart = get_cart(comm, &c, fn, &rc);
    if (!cart)
        return rc;
    int n = min_int(maxdims, cart->ndims);
    if ((rc = check_max(maxdims, "maxdims")) != LM_OK ||
        (rc = check_count_ptr(dims, n, "dims")) != LM_OK ||
        (rc = check_count_ptr(periods, n, "periods")) != LM_OK ||
        (rc = check_count_ptr(coords, n, "coords")) != LM_OK)
        return lm_api_error(c, rc, fn);
    int mine[cart->ndims > 0 ? cart->ndims : 1];
    lm_cart_coords(cart, c->rank, mine);
    for (int i = 0; i < n; i++) {
        dims[i] = cart->dims[i];
        periods[i] = cart->periods[i];
        coords[i] = mine[i];
    }
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Cart_get)

LM_EXPORT int PMPI_Cart_rank(MPI_Comm comm, const int coords[], int *rank)
{
    static const char fn[] = "MPI_Cart_rank";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    const struct lm_cart *cart = get_cart(comm, &c, fn, &rc);
    if (!cart)
        return rc;
    if ((rc = check_count_ptr(coords, cart->ndims, "coords")) != LM_OK ||
        (rc = lm_check_ptr(rank, "rank")) != LM_OK ||
        (rc = lm_cart_rank(cart, coords, rank)) != LM_OK)
        return lm_api_error(c, rc, fn);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Cart_rank)

LM_EXPORT int PMPI_Cart_coords(MPI_Comm comm, int rank, int maxdims, int coords[])
{
    static const char fn[] = "MPI_Cart_coords";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    const struct lm_cart *cart = get_cart(comm, &c, fn, &rc);
    if (!cart)
        return rc;
    if (rank < 0 || rank >= c->size)
        rc = lm_err_detail(MPI_ERR_RANK, "invalid rank: rank = %d, but the grid has %d "
                           "process%s (0..%d)", rank, c->size, c->size == 1 ? "" : "es",
                           c->size - 1);
    else if (maxdims < cart->ndims)
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: maxdims = %d, but the grid has %d "
                           "dimensions", maxdims, cart->ndims);
    else
        rc = check_count_ptr(coords, cart->ndims, "coords");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_cart_coords(cart, rank, coords);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Cart_coords)

LM_EXPORT int PMPI_Cart_shift(MPI_Comm comm, int direction, int disp, int *rank_source,
                              int *rank_dest)
{
    static const char fn[] = "MPI_Cart_shift";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    const struct lm_cart *cart = get_cart(comm, &c, fn, &rc);
    if (!cart)
        return rc;
    if (direction < 0 || direction >= cart->ndims)
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: direction = %d, but the grid has "
                           "%d dimension%s%s", direction, cart->ndims,
                           cart->ndims == 1 ? "" : "s", cart->ndims == 0 ? " (none to shift "
                           "along)" : "");
    else if ((rc = lm_check_ptr(rank_source, "rank_source")) == LM_OK)
        rc = lm_check_ptr(rank_dest, "rank_dest");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_cart_shift(cart, c->rank, direction, disp, rank_source, rank_dest);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Cart_shift)

LM_EXPORT int PMPI_Cart_sub(MPI_Comm comm, const int remain_dims[], MPI_Comm *newcomm)
{
    static const char fn[] = "MPI_Cart_sub";
    LM_API_ENTER(fn);
    struct lm_comm *c, *n = NULL;
    int rc;
    const struct lm_cart *cart = get_cart(comm, &c, fn, &rc);
    if (!cart)
        return rc;
    if ((rc = check_count_ptr(remain_dims, cart->ndims, "remain_dims")) != LM_OK ||
        (rc = lm_check_ptr(newcomm, "newcomm")) != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    lm_call_enter(fn, NULL, 0, 0, c);
    rc = lm_cart_sub(c, remain_dims, &n);
    lm_unlock();
    return out_comm(n, rc, c, newcomm, fn);
}
LM_WEAK_ALIAS(Cart_sub)

LM_EXPORT int PMPI_Dims_create(int nnodes, int ndims, int dims[])
{
    static const char fn[] = "MPI_Dims_create";
    LM_API_ENTER(fn);
    int rc = LM_OK;
    if (nnodes <= 0)
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: nnodes = %d (must be positive)",
                           nnodes);
    else if (ndims < 0)
        rc = lm_err_detail(MPI_ERR_DIMS, "invalid dimensions: ndims = %d is negative", ndims);
    else
        rc = check_count_ptr(dims, ndims, "dims");
    for (int i = 0; rc == LM_OK && i < ndims; i++)
        if (dims[i] < 0)
            rc = lm_err_detail(MPI_ERR_DIMS, "invalid dimensions: dims[%d] = %d is negative",
                               i, dims[i]);
    if (rc == LM_OK)
        rc = lm_dims_create(nnodes, ndims, dims);
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Dims_create)

/* ---- graphs --------------------------------------------------------------------------------- */

/* A graph description (MPI_Graph_create, MPI_Graph_map). */
static int check_graph(const struct lm_comm *c, int nnodes, const int *index, const int *edges)
{
    int rc;
    if (nnodes < 0 || nnodes > c->size)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: nnodes = %d (comm_old has %d "
                             "processes)", nnodes, c->size);
    if ((rc = check_count_ptr(index, nnodes, "index")) != LM_OK)
        return rc;
    if (nnodes > 0 && index[0] < 0)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: index[0] = %d is negative",
                             index[0]);
    for (int i = 1; i < nnodes; i++)
        if (index[i] < index[i - 1])
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: index[%d] = %d is less than "
                                 "index[%d] = %d (index holds cumulative degrees)", i,
                                 index[i], i - 1, index[i - 1]);
    int nedges = nnodes ? index[nnodes - 1] : 0;
    if ((rc = check_count_ptr(edges, nedges, "edges")) != LM_OK)
        return rc;
    for (int k = 0; k < nedges; k++)
        if (edges[k] < 0 || edges[k] >= nnodes)
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: edges[%d] = %d is not a node "
                                 "(0..%d)", k, edges[k], nnodes - 1);
    return LM_OK;
}

LM_EXPORT int PMPI_Graph_create(MPI_Comm comm_old, int nnodes, const int index[],
                                const int edges[], int reorder, MPI_Comm *comm_graph)
{
    static const char fn[] = "MPI_Graph_create";
    LM_API_ENTER(fn);
    struct lm_comm *c, *n = NULL;
    int rc;
    if (!get_comm(comm_old, "comm_old", &c, fn, &rc))
        return rc;
    (void)reorder;
    if ((rc = lm_check_intra(c, "comm_old")) != LM_OK ||
        (rc = lm_check_ptr(comm_graph, "comm_graph")) != LM_OK ||
        (rc = check_graph(c, nnodes, index, edges)) != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    lm_call_enter(fn, NULL, 0, 0, c);
    rc = lm_graph_create(c, nnodes, index, edges, &n);
    lm_unlock();
    return out_comm(n, rc, c, comm_graph, fn);
}
LM_WEAK_ALIAS(Graph_create)

LM_EXPORT int PMPI_Graph_map(MPI_Comm comm, int nnodes, const int index[], const int edges[],
                             int *newrank)
{
    static const char fn[] = "MPI_Graph_map";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    if (!get_comm(comm, "comm", &c, fn, &rc))
        return rc;
    if ((rc = lm_check_intra(c, "comm")) != LM_OK ||
        (rc = lm_check_ptr(newrank, "newrank")) != LM_OK ||
        (rc = check_graph(c, nnodes, index, edges)) != LM_OK)
        return lm_api_error(c, rc, fn);
    *newrank = c->rank < nnodes ? c->rank : MPI_UNDEFINED;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Graph_map)

static const struct lm_graph *get_graph(MPI_Comm comm, struct lm_comm **c, const char *fn,
                                        int *ret)
{
    struct lm_topo *t;
    if (!get_comm(comm, "comm", c, fn, ret))
        return NULL;
    int rc = lm_topo_get(*c, MPI_GRAPH, &t);
    if (rc != LM_OK) {
        *ret = lm_api_error(*c, rc, fn);
        return NULL;
    }
    return (const struct lm_graph *)t;
}

LM_EXPORT int PMPI_Graphdims_get(MPI_Comm comm, int *nnodes, int *nedges)
{
    static const char fn[] = "MPI_Graphdims_get";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    const struct lm_graph *g = get_graph(comm, &c, fn, &rc);
    if (!g)
        return rc;
    if ((rc = lm_check_ptr(nnodes, "nnodes")) != LM_OK ||
        (rc = lm_check_ptr(nedges, "nedges")) != LM_OK)
        return lm_api_error(c, rc, fn);
    *nnodes = g->nnodes;
    *nedges = g->index[g->nnodes - 1];
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Graphdims_get)

LM_EXPORT int PMPI_Graph_get(MPI_Comm comm, int maxindex, int maxedges, int index[],
                             int edges[])
{
    static const char fn[] = "MPI_Graph_get";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    const struct lm_graph *g = get_graph(comm, &c, fn, &rc);
    if (!g)
        return rc;
    int ni = min_int(maxindex, g->nnodes), ne = min_int(maxedges, g->index[g->nnodes - 1]);
    if ((rc = check_max(maxindex, "maxindex")) != LM_OK ||
        (rc = check_max(maxedges, "maxedges")) != LM_OK ||
        (rc = check_count_ptr(index, ni, "index")) != LM_OK ||
        (rc = check_count_ptr(edges, ne, "edges")) != LM_OK)
        return lm_api_error(c, rc, fn);
    for (int i = 0; i < ni; i++)
        index[i] = g->index[i];
    for (int k = 0; k < ne; k++)
        edges[k] = g->edges[k];
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Graph_get)

static int check_node(const struct lm_graph *g, int rank)
{
    if (rank < 0 || rank >= g->nnodes)
        return lm_err_detail(MPI_ERR_RANK, "invalid rank: rank = %d, but the graph has %d "
                             "node%s (0..%d)", rank, g->nnodes, g->nnodes == 1 ? "" : "s",
                             g->nnodes - 1);
    return LM_OK;
}

LM_EXPORT int PMPI_Graph_neighbors_count(MPI_Comm comm, int rank, int *nneighbors)
{
    static const char fn[] = "MPI_Graph_neighbors_count";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    const struct lm_graph *g = get_graph(comm, &c, fn, &rc);
    if (!g)
        return rc;
    if ((rc = check_node(g, rank)) != LM_OK ||
        (rc = lm_check_ptr(nneighbors, "nneighbors")) != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_graph_neighbors(g, rank, nneighbors);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Graph_neighbors_count)

LM_EXPORT int PMPI_Graph_neighbors(MPI_Comm comm, int rank, int maxneighbors, int neighbors[])
{
    static const char fn[] = "MPI_Graph_neighbors";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc, count = 0;
    const struct lm_graph *g = get_graph(comm, &c, fn, &rc);
    if (!g)
        return rc;
    if ((rc = check_node(g, rank)) != LM_OK || (rc = check_max(maxneighbors, "maxneighbors"))
        != LM_OK)
        return lm_api_error(c, rc, fn);
    const int *list = lm_graph_neighbors(g, rank, &count);
    int n = min_int(maxneighbors, count);
    if ((rc = check_count_ptr(neighbors, n, "neighbors")) != LM_OK)
        return lm_api_error(c, rc, fn);
    for (int i = 0; i < n; i++)
        neighbors[i] = list[i];
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Graph_neighbors)

/* ---- distributed graphs --------------------------------------------------------------------- */

/* One side of an adjacency (sources or destinations with their weights). */
static int check_side(const struct lm_comm *c, int degree, const int *ranks, const int *weights,
                      bool weighted, const char *deg_arg, const char *ranks_arg,
                      const char *w_arg)
{
    int rc;
    if (degree < 0)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: %s = %d is negative", deg_arg,
                             degree);
    if ((rc = check_count_ptr(ranks, degree, ranks_arg)) != LM_OK)
        return rc;
    for (int i = 0; i < degree; i++)
        if (ranks[i] < 0 || ranks[i] >= c->size)
            return lm_err_detail(MPI_ERR_RANK, "invalid rank: %s[%d] = %d, but comm_old has %d "
                                 "ranks", ranks_arg, i, ranks[i], c->size);
    if (!weighted || degree == 0)
        return LM_OK;
    if (weights == MPI_UNWEIGHTED || weights == MPI_WEIGHTS_EMPTY || !weights)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: %s is %s with %s = %d in a "
                             "weighted graph", w_arg, weights == MPI_UNWEIGHTED
                             ? "MPI_UNWEIGHTED" : weights ? "MPI_WEIGHTS_EMPTY" : "NULL",
                             deg_arg, degree);
    for (int i = 0; i < degree; i++)
        if (weights[i] < 0)
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: %s[%d] = %d is negative",
                                 w_arg, i, weights[i]);
    return LM_OK;
}

LM_EXPORT int PMPI_Dist_graph_create_adjacent(MPI_Comm comm_old, int indegree,
                                              const int sources[], const int *sourceweights,
                                              int outdegree, const int destinations[],
                                              const int *destweights, MPI_Info info,
                                              int reorder, MPI_Comm *comm_dist_graph)
{
    static const char fn[] = "MPI_Dist_graph_create_adjacent";
    LM_API_ENTER(fn);
    struct lm_comm *c, *n = NULL;
    struct lm_info *hints;
    int rc;
    if (!get_comm(comm_old, "comm_old", &c, fn, &rc))
        return rc;
    (void)reorder;
    /* Unweighted only when both sides say so; a side with no edges may say either. */
    bool weighted = sourceweights != MPI_UNWEIGHTED || destweights != MPI_UNWEIGHTED;
    if ((rc = lm_check_intra(c, "comm_old")) != LM_OK ||
        (rc = lm_check_info(info, &hints, true, "info")) != LM_OK ||
        (rc = lm_check_ptr(comm_dist_graph, "comm_dist_graph")) != LM_OK ||
        (rc = check_side(c, indegree, sources, sourceweights, weighted, "indegree", "sources",
                         "sourceweights")) != LM_OK ||
        (rc = check_side(c, outdegree, destinations, destweights, weighted, "outdegree",
                         "destinations", "destweights")) != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    lm_call_enter(fn, NULL, 0, 0, c);
    rc = lm_dist_graph_create_adjacent(c, indegree, sources, sourceweights, outdegree,
                                       destinations, destweights, weighted, &n);
    lm_unlock();
    return out_comm(n, rc, c, comm_dist_graph, fn);
}
LM_WEAK_ALIAS(Dist_graph_create_adjacent)

LM_EXPORT int PMPI_Dist_graph_create(MPI_Comm comm_old, int n, const int sources[],
                                     const int degrees[], const int destinations[],
                                     const int *weights, MPI_Info info, int reorder,
                                     MPI_Comm *comm_dist_graph)
{
    static const char fn[] = "MPI_Dist_graph_create";
    LM_API_ENTER(fn);
    struct lm_comm *c, *nc = NULL;
    struct lm_info *hints;
    int rc;
    if (!get_comm(comm_old, "comm_old", &c, fn, &rc))
        return rc;
    (void)reorder;
    if ((rc = lm_check_intra(c, "comm_old")) != LM_OK ||
        (rc = lm_check_info(info, &hints, true, "info")) != LM_OK ||
        (rc = lm_check_ptr(comm_dist_graph, "comm_dist_graph")) != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    lm_call_enter(fn, NULL, 0, 0, c);
    rc = lm_dist_graph_create(c, n, sources, degrees, destinations, weights, &nc);
    lm_unlock();
    return out_comm(nc, rc, c, comm_dist_graph, fn);
}
LM_WEAK_ALIAS(Dist_graph_create)

static const struct lm_dist_graph *get_dist(MPI_Comm comm, struct lm_comm **c, const char *fn,
                                            int *ret)
{
    struct lm_topo *t;
    if (!get_comm(comm, "comm", c, fn, ret))
        return NULL;
    int rc = lm_topo_get(*c, MPI_DIST_GRAPH, &t);
    if (rc != LM_OK) {
        *ret = lm_api_error(*c, rc, fn);
        return NULL;
    }
    return (const struct lm_dist_graph *)t;
}

LM_EXPORT int PMPI_Dist_graph_neighbors_count(MPI_Comm comm, int *indegree, int *outdegree,
                                              int *weighted)
{
    static const char fn[] = "MPI_Dist_graph_neighbors_count";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    const struct lm_dist_graph *g = get_dist(comm, &c, fn, &rc);
    if (!g)
        return rc;
    if ((rc = lm_check_ptr(indegree, "indegree")) != LM_OK ||
        (rc = lm_check_ptr(outdegree, "outdegree")) != LM_OK ||
        (rc = lm_check_ptr(weighted, "weighted")) != LM_OK)
        return lm_api_error(c, rc, fn);
    *indegree = g->indegree;
    *outdegree = g->outdegree;
    *weighted = g->weighted;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Dist_graph_neighbors_count)

/* A weights array the caller wants filled (not MPI_UNWEIGHTED or a placeholder). */
static bool wants_weights(const int *w)
{
    return w && w != MPI_UNWEIGHTED && w != MPI_WEIGHTS_EMPTY;
}

LM_EXPORT int PMPI_Dist_graph_neighbors(MPI_Comm comm, int maxindegree, int sources[],
                                        int *sourceweights, int maxoutdegree,
                                        int destinations[], int *destweights)
{
    static const char fn[] = "MPI_Dist_graph_neighbors";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    const struct lm_dist_graph *g = get_dist(comm, &c, fn, &rc);
    if (!g)
        return rc;
    int ni = min_int(maxindegree, g->indegree), no = min_int(maxoutdegree, g->outdegree);
    if ((rc = check_max(maxindegree, "maxindegree")) != LM_OK ||
        (rc = check_max(maxoutdegree, "maxoutdegree")) != LM_OK ||
        (rc = check_count_ptr(sources, ni, "sources")) != LM_OK ||
        (rc = check_count_ptr(destinations, no, "destinations")) != LM_OK)
        return lm_api_error(c, rc, fn);
    /* Weights are written only for a weighted graph, into arrays the caller gave. */
    bool sw = g->weighted && wants_weights(sourceweights);
    bool dw = g->weighted && wants_weights(destweights);
    for (int i = 0; i < ni; i++) {
        sources[i] = g->sources[i];
        if (sw)
            sourceweights[i] = g->srcweights[i];
    }
    for (int i = 0; i < no; i++) {
        destinations[i] = g->destinations[i];
        if (dw)
            destweights[i] = g->dstweights[i];
    }
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Dist_graph_neighbors)

LM_EXPORT int PMPI_Topo_test(MPI_Comm comm, int *status)
{
    static const char fn[] = "MPI_Topo_test";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    if (!get_comm(comm, "comm", &c, fn, &rc))
        return rc;
    if ((rc = lm_check_ptr(status, "status")) != LM_OK)
        return lm_api_error(c, rc, fn);
    *status = lm_topo_kind(c);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Topo_test)

/* ---- neighborhood collectives --------------------------------------------------------------- */

/* Every form of every neighborhood collective goes through one checker per collective
 * (fixed: allgather and alltoall; allgatherv; alltoallv; alltoallw), which fills the
 * blocks of both directions (indegree receive blocks, then outdegree send blocks, in one
 * allocation); the form only decides what happens next (nbr_end): run and wait, start, or
 * keep a persistent request. The _c forms (big) take MPI_Count counts and MPI_Aint
 * displacements (alltoallw's displacements are MPI_Aint in both). */
enum nbr_mode { NBR_BLOCKING, NBR_NONBLOCKING, NBR_PERSISTENT };

struct nbr_call {
    const char *fn;
    enum nbr_mode mode;
    bool big;
    MPI_Info info;           /* persistent forms */
    MPI_Request *request;    /* nonblocking and persistent forms */
    struct lm_comm *comm;
    struct lm_nbrs nb;
    struct lm_nbr_block *recv, *send;
};

static int nbr_begin(struct nbr_call *k, MPI_Comm comm, const void *sendbuf,
                     const void *recvbuf)
{
    int rc;
    struct lm_info *info;
    k->recv = k->send = NULL;
    k->nb = (struct lm_nbrs){0};
    if ((rc = lm_check_comm(comm, &k->comm, "comm")) != LM_OK)
        return rc;
    if (k->mode != NBR_BLOCKING && !k->request)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: request is NULL");
    if (k->mode == NBR_PERSISTENT && (rc = lm_check_info(k->info, &info, true, "info")) != LM_OK)
        return rc;
    if (sendbuf == MPI_IN_PLACE || recvbuf == MPI_IN_PLACE)
        return lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: %s is MPI_IN_PLACE, which "
                             "neighborhood collectives do not accept",
                             sendbuf == MPI_IN_PLACE ? "sendbuf" : "recvbuf");
    if ((rc = lm_nbrs_get(k->comm, &k->nb)) != LM_OK)
        return rc;
    size_t n = (size_t)k->nb.indegree + (size_t)k->nb.outdegree;
    if (!(k->recv = malloc(sizeof *k->recv * (n ? n : 1))))
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory for %zu neighbour blocks", n);
    k->send = k->recv + k->nb.indegree;
    return LM_OK;
}

/* Runs, starts or keeps the exchange (rc: the checks' verdict) and dispatches any error. */
static int nbr_end(struct nbr_call *k, int rc)
{
    struct lm_request *req = NULL;
    if (rc == LM_OK) {
        lm_lock();
        if (k->mode == NBR_BLOCKING) {
            lm_call_enter(k->fn, NULL, 0, 0, k->comm);
            rc = lm_neighbor_start(k->comm, &k->nb, k->send, k->recv, false, &req);
            if (rc == LM_OK)
                rc = lm_wait(req, NULL);
        } else {
            rc = lm_neighbor_start(k->comm, &k->nb, k->send, k->recv,
                                   k->mode == NBR_PERSISTENT, &req);
        }
        lm_unlock();
    }
    if (k->mode != NBR_BLOCKING && k->request)
        *k->request = req ? (MPI_Request)req : MPI_REQUEST_NULL;
    free(k->recv);
    lm_nbrs_release(&k->nb);
    if (!k->comm)
        return lm_api_error(NULL, rc, k->fn);
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(k->comm, rc, k->fn);
}

static int check_ncount(MPI_Count count, const char *arg)
{
    if (count < 0)
        return lm_err_detail(MPI_ERR_COUNT, "invalid count: %s = %lld is negative", arg,
                             (long long)count);
    return LM_OK;
}

/* Entry i of a v form's counts (int, or MPI_Count in the _c forms) and displacements
 * (int, or MPI_Aint). */
static MPI_Count cnt_at(const struct nbr_call *k, const void *counts, int i)
{
    return k->big ? ((const MPI_Count *)counts)[i] : ((const int *)counts)[i];
}

static MPI_Aint dsp_at(const struct nbr_call *k, const void *displs, int i)
{
    return k->big ? ((const MPI_Aint *)displs)[i] : ((const int *)displs)[i];
}

/* One block: count elements of dt at base + offset (bytes), checked; `recv`: a receive
 * block, whose layout must not write a byte twice. */
static int set_block(struct lm_nbr_block *b, const void *base, ptrdiff_t offset,
                     MPI_Count count, struct lm_datatype *dt, bool recv, const char *what,
                     int i)
{
    char arg[48];  /* argument names are only formatted for error messages */
    /* Integer arithmetic: base may be MPI_BOTTOM (NULL) with absolute displacements. */
    b->buf = (void *)((uintptr_t)base + (uintptr_t)offset);
    b->count = (size_t)count;
    b->dt = dt;
    if (count < 0) {
        snprintf(arg, sizeof arg, "%s[%d]", what, i);
        return check_ncount(count, arg);
    }
    if (!b->buf && count > 0 && dt->size > 0 && dt->true_lb == 0)
        return lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: the block for neighbour %d is "
                             "at NULL with %s %lld", i, what, (long long)count);
    if (recv && lm_dt_check_recv(dt, (size_t)count, what) != LM_OK) {
        snprintf(arg, sizeof arg, "the datatype of receive block %d", i);
        return lm_dt_check_recv_slow(dt, (size_t)count, arg);
    }
    return LM_OK;
}

static int type_arg(MPI_Datatype h, struct lm_datatype **t, const char *what, int i)
{
    char arg[48];
    int rc = lm_check_type(h, t, what);
    if (rc == LM_OK || i < 0)
        return rc;
    snprintf(arg, sizeof arg, "%s[%d]", what, i);   /* again, for the message */
    return lm_check_type(h, t, arg);
}

static int check_arrays(const void *a, const void *b, int n, const char *an, const char *bn)
{
    int rc = check_count_ptr(a, n, an);
    return rc != LM_OK ? rc : check_count_ptr(b, n, bn);
}

/* allgather (one send block for every destination) and alltoall (consecutive blocks) */
static int nbr_fixed(struct nbr_call *k, bool alltoall, const void *sendbuf,
                     MPI_Count sendcount, MPI_Datatype sendtype, void *recvbuf,
                     MPI_Count recvcount, MPI_Datatype recvtype, MPI_Comm comm)
{
    LM_API_ENTER(k->fn);
    struct lm_datatype *st, *rt;
    int rc = nbr_begin(k, comm, sendbuf, recvbuf);
    if (rc == LM_OK && (rc = check_ncount(sendcount, "sendcount")) == LM_OK &&
        (rc = check_ncount(recvcount, "recvcount")) == LM_OK &&
        (rc = type_arg(sendtype, &st, "sendtype", -1)) == LM_OK &&
        (rc = type_arg(recvtype, &rt, "recvtype", -1)) == LM_OK) {
        ptrdiff_t sstride = alltoall ? (ptrdiff_t)sendcount * st->extent : 0;
        ptrdiff_t rstride = (ptrdiff_t)recvcount * rt->extent;
        for (int j = 0; j < k->nb.outdegree && rc == LM_OK; j++)
            rc = set_block(&k->send[j], sendbuf, j * sstride, sendcount, st, false,
                           "sendcount", j);
        for (int i = 0; i < k->nb.indegree && rc == LM_OK; i++)
            rc = set_block(&k->recv[i], recvbuf, i * rstride, recvcount, rt, true,
                           "recvcount", i);
    }
    return nbr_end(k, rc);
}

static int nbr_allgatherv(struct nbr_call *k, const void *sendbuf, MPI_Count sendcount,
                          MPI_Datatype sendtype, void *recvbuf, const void *recvcounts,
                          const void *displs, MPI_Datatype recvtype, MPI_Comm comm)
{
    LM_API_ENTER(k->fn);
    struct lm_datatype *st, *rt;
    int rc = nbr_begin(k, comm, sendbuf, recvbuf);
    if (rc == LM_OK && (rc = check_ncount(sendcount, "sendcount")) == LM_OK &&
        (rc = type_arg(sendtype, &st, "sendtype", -1)) == LM_OK &&
        (rc = type_arg(recvtype, &rt, "recvtype", -1)) == LM_OK &&
        (rc = check_arrays(recvcounts, displs, k->nb.indegree, "recvcounts", "displs"))
            == LM_OK) {
        for (int j = 0; j < k->nb.outdegree && rc == LM_OK; j++)
            rc = set_block(&k->send[j], sendbuf, 0, sendcount, st, false, "sendcount", j);
        for (int i = 0; i < k->nb.indegree && rc == LM_OK; i++)
            rc = set_block(&k->recv[i], recvbuf, dsp_at(k, displs, i) * rt->extent,
                           cnt_at(k, recvcounts, i), rt, true, "recvcounts", i);
    }
    return nbr_end(k, rc);
}

static int nbr_alltoallv(struct nbr_call *k, const void *sendbuf, const void *sendcounts,
                         const void *sdispls, MPI_Datatype sendtype, void *recvbuf,
                         const void *recvcounts, const void *rdispls, MPI_Datatype recvtype,
                         MPI_Comm comm)
{
    LM_API_ENTER(k->fn);
    struct lm_datatype *st, *rt;
    int rc = nbr_begin(k, comm, sendbuf, recvbuf);
    if (rc == LM_OK && (rc = type_arg(sendtype, &st, "sendtype", -1)) == LM_OK &&
        (rc = type_arg(recvtype, &rt, "recvtype", -1)) == LM_OK &&
        (rc = check_arrays(sendcounts, sdispls, k->nb.outdegree, "sendcounts", "sdispls"))
            == LM_OK &&
        (rc = check_arrays(recvcounts, rdispls, k->nb.indegree, "recvcounts", "rdispls"))
            == LM_OK) {
        for (int j = 0; j < k->nb.outdegree && rc == LM_OK; j++)
            rc = set_block(&k->send[j], sendbuf, dsp_at(k, sdispls, j) * st->extent,
                           cnt_at(k, sendcounts, j), st, false, "sendcounts", j);
        for (int i = 0; i < k->nb.indegree && rc == LM_OK; i++)
            rc = set_block(&k->recv[i], recvbuf, dsp_at(k, rdispls, i) * rt->extent,
                           cnt_at(k, recvcounts, i), rt, true, "recvcounts", i);
    }
    return nbr_end(k, rc);
}

/* Displacements in bytes, MPI_Aint in every form. */
static int nbr_alltoallw(struct nbr_call *k, const void *sendbuf, const void *sendcounts,
                         const MPI_Aint *sdispls, const MPI_Datatype *sendtypes, void *recvbuf,
                         const void *recvcounts, const MPI_Aint *rdispls,
                         const MPI_Datatype *recvtypes, MPI_Comm comm)
{
    LM_API_ENTER(k->fn);
    struct lm_datatype *t;
    int rc = nbr_begin(k, comm, sendbuf, recvbuf);
    if (rc == LM_OK &&
        (rc = check_arrays(sendcounts, sdispls, k->nb.outdegree, "sendcounts", "sdispls"))
            == LM_OK &&
        (rc = check_count_ptr(sendtypes, k->nb.outdegree, "sendtypes")) == LM_OK &&
        (rc = check_arrays(recvcounts, rdispls, k->nb.indegree, "recvcounts", "rdispls"))
            == LM_OK &&
        (rc = check_count_ptr(recvtypes, k->nb.indegree, "recvtypes")) == LM_OK) {
        for (int j = 0; j < k->nb.outdegree && rc == LM_OK; j++)
            if ((rc = type_arg(sendtypes[j], &t, "sendtypes", j)) == LM_OK)
                rc = set_block(&k->send[j], sendbuf, sdispls[j], cnt_at(k, sendcounts, j), t,
                               false, "sendcounts", j);
        for (int i = 0; i < k->nb.indegree && rc == LM_OK; i++)
            if ((rc = type_arg(recvtypes[i], &t, "recvtypes", i)) == LM_OK)
                rc = set_block(&k->recv[i], recvbuf, rdispls[i], cnt_at(k, recvcounts, i), t,
                               true, "recvcounts", i);
    }
    return nbr_end(k, rc);
}

/* ---- the entry points: blocking, nonblocking, persistent; int counts, then _c ---- */

#define NBR_B(name) {.fn = "MPI_" name, .mode = NBR_BLOCKING}
#define NBR_I(name) {.fn = "MPI_" name, .mode = NBR_NONBLOCKING, .request = request}
#define NBR_P(name) {.fn = "MPI_" name, .mode = NBR_PERSISTENT, .info = info, .request = request}
#define NBR_BC(name) {.fn = "MPI_" name, .mode = NBR_BLOCKING, .big = true}
#define NBR_IC(name) {.fn = "MPI_" name, .mode = NBR_NONBLOCKING, .big = true, .request = request}
#define NBR_PC(name)                                                                          \
    {.fn = "MPI_" name, .mode = NBR_PERSISTENT, .big = true, .info = info, .request = request}

/* allgather */

LM_EXPORT int PMPI_Neighbor_allgather(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                                      void *recvbuf, int recvcount, MPI_Datatype recvtype,
                                      MPI_Comm comm)
{
    struct nbr_call k = NBR_B("Neighbor_allgather");
    return nbr_fixed(&k, false, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype,
                     comm);
}
LM_WEAK_ALIAS(Neighbor_allgather)

LM_EXPORT int PMPI_Ineighbor_allgather(const void *sendbuf, int sendcount,
                                       MPI_Datatype sendtype, void *recvbuf, int recvcount,
                                       MPI_Datatype recvtype, MPI_Comm comm,
                                       MPI_Request *request)
{
    struct nbr_call k = NBR_I("Ineighbor_allgather");
    return nbr_fixed(&k, false, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype,
                     comm);
}
LM_WEAK_ALIAS(Ineighbor_allgather)

LM_EXPORT int PMPI_Neighbor_allgather_init(const void *sendbuf, int sendcount,
                                           MPI_Datatype sendtype, void *recvbuf, int recvcount,
                                           MPI_Datatype recvtype, MPI_Comm comm, MPI_Info info,
                                           MPI_Request *request)
{
    struct nbr_call k = NBR_P("Neighbor_allgather_init");
    return nbr_fixed(&k, false, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype,
                     comm);
}
LM_WEAK_ALIAS(Neighbor_allgather_init)

LM_EXPORT int PMPI_Neighbor_allgather_c(const void *sendbuf, MPI_Count sendcount,
                                        MPI_Datatype sendtype, void *recvbuf,
                                        MPI_Count recvcount, MPI_Datatype recvtype,
                                        MPI_Comm comm)
{
    struct nbr_call k = NBR_BC("Neighbor_allgather_c");
    return nbr_fixed(&k, false, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype,
                     comm);
}
LM_WEAK_ALIAS(Neighbor_allgather_c)

LM_EXPORT int PMPI_Ineighbor_allgather_c(const void *sendbuf, MPI_Count sendcount,
                                         MPI_Datatype sendtype, void *recvbuf,
                                         MPI_Count recvcount, MPI_Datatype recvtype,
                                         MPI_Comm comm, MPI_Request *request)
{
    struct nbr_call k = NBR_IC("Ineighbor_allgather_c");
    return nbr_fixed(&k, false, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype,
                     comm);
}
LM_WEAK_ALIAS(Ineighbor_allgather_c)

LM_EXPORT int PMPI_Neighbor_allgather_init_c(const void *sendbuf, MPI_Count sendcount,
                                             MPI_Datatype sendtype, void *recvbuf,
                                             MPI_Count recvcount, MPI_Datatype recvtype,
                                             MPI_Comm comm, MPI_Info info, MPI_Request *request)
{
    struct nbr_call k = NBR_PC("Neighbor_allgather_init_c");
    return nbr_fixed(&k, false, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype,
                     comm);
}
LM_WEAK_ALIAS(Neighbor_allgather_init_c)

/* allgatherv */

LM_EXPORT int PMPI_Neighbor_allgatherv(const void *sendbuf, int sendcount,
                                       MPI_Datatype sendtype, void *recvbuf,
                                       const int recvcounts[], const int displs[],
                                       MPI_Datatype recvtype, MPI_Comm comm)
{
    struct nbr_call k = NBR_B("Neighbor_allgatherv");
    return nbr_allgatherv(&k, sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs,
                          recvtype, comm);
}
LM_WEAK_ALIAS(Neighbor_allgatherv)

LM_EXPORT int PMPI_Ineighbor_allgatherv(const void *sendbuf, int sendcount,
                                        MPI_Datatype sendtype, void *recvbuf,
                                        const int recvcounts[], const int displs[],
                                        MPI_Datatype recvtype, MPI_Comm comm,
                                        MPI_Request *request)
{
    struct nbr_call k = NBR_I("Ineighbor_allgatherv");
    return nbr_allgatherv(&k, sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs,
                          recvtype, comm);
}
LM_WEAK_ALIAS(Ineighbor_allgatherv)

LM_EXPORT int PMPI_Neighbor_allgatherv_init(const void *sendbuf, int sendcount,
                                            MPI_Datatype sendtype, void *recvbuf,
                                            const int recvcounts[], const int displs[],
                                            MPI_Datatype recvtype, MPI_Comm comm,
                                            MPI_Info info, MPI_Request *request)
{
    struct nbr_call k = NBR_P("Neighbor_allgatherv_init");
    return nbr_allgatherv(&k, sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs,
                          recvtype, comm);
}
LM_WEAK_ALIAS(Neighbor_allgatherv_init)

LM_EXPORT int PMPI_Neighbor_allgatherv_c(const void *sendbuf, MPI_Count sendcount,
                                         MPI_Datatype sendtype, void *recvbuf,
                                         const MPI_Count recvcounts[], const MPI_Aint displs[],
                                         MPI_Datatype recvtype, MPI_Comm comm)
{
    struct nbr_call k = NBR_BC("Neighbor_allgatherv_c");
    return nbr_allgatherv(&k, sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs,
                          recvtype, comm);
}
LM_WEAK_ALIAS(Neighbor_allgatherv_c)

LM_EXPORT int PMPI_Ineighbor_allgatherv_c(const void *sendbuf, MPI_Count sendcount,
                                          MPI_Datatype sendtype, void *recvbuf,
                                          const MPI_Count recvcounts[],
                                          const MPI_Aint displs[], MPI_Datatype recvtype,
                                          MPI_Comm comm, MPI_Request *request)
{
    struct nbr_call k = NBR_IC("Ineighbor_allgatherv_c");
    return nbr_allgatherv(&k, sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs,
                          recvtype, comm);
}
LM_WEAK_ALIAS(Ineighbor_allgatherv_c)

LM_EXPORT int PMPI_Neighbor_allgatherv_init_c(const void *sendbuf, MPI_Count sendcount,
                                              MPI_Datatype sendtype, void *recvbuf,
                                              const MPI_Count recvcounts[],
                                              const MPI_Aint displs[], MPI_Datatype recvtype,
                                              MPI_Comm comm, MPI_Info info,
                                              MPI_Request *request)
{
    struct nbr_call k = NBR_PC("Neighbor_allgatherv_init_c");
    return nbr_allgatherv(&k, sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs,
                          recvtype, comm);
}
LM_WEAK_ALIAS(Neighbor_allgatherv_init_c)

/* alltoall */

LM_EXPORT int PMPI_Neighbor_alltoall(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                                     void *recvbuf, int recvcount, MPI_Datatype recvtype,
                                     MPI_Comm comm)
{
    struct nbr_call k = NBR_B("Neighbor_alltoall");
    return nbr_fixed(&k, true, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype,
                     comm);
}
LM_WEAK_ALIAS(Neighbor_alltoall)

LM_EXPORT int PMPI_Ineighbor_alltoall(const void *sendbuf, int sendcount,
                                      MPI_Datatype sendtype, void *recvbuf, int recvcount,
                                      MPI_Datatype recvtype, MPI_Comm comm,
                                      MPI_Request *request)
{
    struct nbr_call k = NBR_I("Ineighbor_alltoall");
    return nbr_fixed(&k, true, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype,
                     comm);
}
LM_WEAK_ALIAS(Ineighbor_alltoall)

LM_EXPORT int PMPI_Neighbor_alltoall_init(const void *sendbuf, int sendcount,
                                          MPI_Datatype sendtype, void *recvbuf, int recvcount,
                                          MPI_Datatype recvtype, MPI_Comm comm, MPI_Info info,
                                          MPI_Request *request)
{
    struct nbr_call k = NBR_P("Neighbor_alltoall_init");
    return nbr_fixed(&k, true, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype,
                     comm);
}
LM_WEAK_ALIAS(Neighbor_alltoall_init)

LM_EXPORT int PMPI_Neighbor_alltoall_c(const void *sendbuf, MPI_Count sendcount,
                                       MPI_Datatype sendtype, void *recvbuf,
                                       MPI_Count recvcount, MPI_Datatype recvtype,
                                       MPI_Comm comm)
{
    struct nbr_call k = NBR_BC("Neighbor_alltoall_c");
    return nbr_fixed(&k, true, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype,
                     comm);
}
LM_WEAK_ALIAS(Neighbor_alltoall_c)

LM_EXPORT int PMPI_Ineighbor_alltoall_c(const void *sendbuf, MPI_Count sendcount,
                                        MPI_Datatype sendtype, void *recvbuf,
                                        MPI_Count recvcount, MPI_Datatype recvtype,
                                        MPI_Comm comm, MPI_Request *request)
{
    struct nbr_call k = NBR_IC("Ineighbor_alltoall_c");
    return nbr_fixed(&k, true, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype,
                     comm);
}
LM_WEAK_ALIAS(Ineighbor_alltoall_c)

LM_EXPORT int PMPI_Neighbor_alltoall_init_c(const void *sendbuf, MPI_Count sendcount,
                                            MPI_Datatype sendtype, void *recvbuf,
                                            MPI_Count recvcount, MPI_Datatype recvtype,
                                            MPI_Comm comm, MPI_Info info, MPI_Request *request)
{
    struct nbr_call k = NBR_PC("Neighbor_alltoall_init_c");
    return nbr_fixed(&k, true, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype,
                     comm);
}
LM_WEAK_ALIAS(Neighbor_alltoall_init_c)

/* alltoallv */

LM_EXPORT int PMPI_Neighbor_alltoallv(const void *sendbuf, const int sendcounts[],
                                      const int sdispls[], MPI_Datatype sendtype,
                                      void *recvbuf, const int recvcounts[],
                                      const int rdispls[], MPI_Datatype recvtype,
                                      MPI_Comm comm)
{
    struct nbr_call k = NBR_B("Neighbor_alltoallv");
    return nbr_alltoallv(&k, sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts,
                         rdispls, recvtype, comm);
}
LM_WEAK_ALIAS(Neighbor_alltoallv)

LM_EXPORT int PMPI_Ineighbor_alltoallv(const void *sendbuf, const int sendcounts[],
                                       const int sdispls[], MPI_Datatype sendtype,
                                       void *recvbuf, const int recvcounts[],
                                       const int rdispls[], MPI_Datatype recvtype,
                                       MPI_Comm comm, MPI_Request *request)
{
    struct nbr_call k = NBR_I("Ineighbor_alltoallv");
    return nbr_alltoallv(&k, sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts,
                         rdispls, recvtype, comm);
}
LM_WEAK_ALIAS(Ineighbor_alltoallv)

LM_EXPORT int PMPI_Neighbor_alltoallv_init(const void *sendbuf, const int sendcounts[],
                                           const int sdispls[], MPI_Datatype sendtype,
                                           void *recvbuf, const int recvcounts[],
                                           const int rdispls[], MPI_Datatype recvtype,
                                           MPI_Comm comm, MPI_Info info, MPI_Request *request)
{
    struct nbr_call k = NBR_P("Neighbor_alltoallv_init");
    return nbr_alltoallv(&k, sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts,
                         rdispls, recvtype, comm);
}
LM_WEAK_ALIAS(Neighbor_alltoallv_init)

LM_EXPORT int PMPI_Neighbor_alltoallv_c(const void *sendbuf, const MPI_Count sendcounts[],
                                        const MPI_Aint sdispls[], MPI_Datatype sendtype,
                                        void *recvbuf, const MPI_Count recvcounts[],
                                        const MPI_Aint rdispls[], MPI_Datatype recvtype,
                                        MPI_Comm comm)
{
    struct nbr_call k = NBR_BC("Neighbor_alltoallv_c");
    return nbr_alltoallv(&k, sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts,
                         rdispls, recvtype, comm);
}
LM_WEAK_ALIAS(Neighbor_alltoallv_c)

LM_EXPORT int PMPI_Ineighbor_alltoallv_c(const void *sendbuf, const MPI_Count sendcounts[],
                                         const MPI_Aint sdispls[], MPI_Datatype sendtype,
                                         void *recvbuf, const MPI_Count recvcounts[],
                                         const MPI_Aint rdispls[], MPI_Datatype recvtype,
                                         MPI_Comm comm, MPI_Request *request)
{
    struct nbr_call k = NBR_IC("Ineighbor_alltoallv_c");
    return nbr_alltoallv(&k, sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts,
                         rdispls, recvtype, comm);
}
LM_WEAK_ALIAS(Ineighbor_alltoallv_c)

LM_EXPORT int PMPI_Neighbor_alltoallv_init_c(const void *sendbuf, const MPI_Count sendcounts[],
                                             const MPI_Aint sdispls[], MPI_Datatype sendtype,
                                             void *recvbuf, const MPI_Count recvcounts[],
                                             const MPI_Aint rdispls[], MPI_Datatype recvtype,
                                             MPI_Comm comm, MPI_Info info,
                                             MPI_Request *request)
{
    struct nbr_call k = NBR_PC("Neighbor_alltoallv_init_c");
    return nbr_alltoallv(&k, sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts,
                         rdispls, recvtype, comm);
}
LM_WEAK_ALIAS(Neighbor_alltoallv_init_c)

/* alltoallw */

LM_EXPORT int PMPI_Neighbor_alltoallw(const void *sendbuf, const int sendcounts[],
                                      const MPI_Aint sdispls[],
                                      const MPI_Datatype sendtypes[], void *recvbuf,
                                      const int recvcounts[], const MPI_Aint rdispls[],
                                      const MPI_Datatype recvtypes[], MPI_Comm comm)
{
    struct nbr_call k = NBR_B("Neighbor_alltoallw");
    return nbr_alltoallw(&k, sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts,
                         rdispls, recvtypes, comm);
}
LM_WEAK_ALIAS(Neighbor_alltoallw)

LM_EXPORT int PMPI_Ineighbor_alltoallw(const void *sendbuf, const int sendcounts[],
                                       const MPI_Aint sdispls[],
                                       const MPI_Datatype sendtypes[], void *recvbuf,
                                       const int recvcounts[], const MPI_Aint rdispls[],
                                       const MPI_Datatype recvtypes[], MPI_Comm comm,
                                       MPI_Request *request)
{
    struct nbr_call k = NBR_I("Ineighbor_alltoallw");
    return nbr_alltoallw(&k, sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts,
                         rdispls, recvtypes, comm);
}
LM_WEAK_ALIAS(Ineighbor_alltoallw)

LM_EXPORT int PMPI_Neighbor_alltoallw_init(const void *sendbuf, const int sendcounts[],
                                           const MPI_Aint sdispls[],
                                           const MPI_Datatype sendtypes[], void *recvbuf,
                                           const int recvcounts[], const MPI_Aint rdispls[],
                                           const MPI_Datatype recvtypes[], MPI_Comm comm,
                                           MPI_Info info, MPI_Request *request)
{
    struct nbr_call k = NBR_P("Neighbor_alltoallw_init");
    return nbr_alltoallw(&k, sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts,
                         rdispls, recvtypes, comm);
}
LM_WEAK_ALIAS(Neighbor_alltoallw_init)

LM_EXPORT int PMPI_Neighbor_alltoallw_c(const void *sendbuf, const MPI_Count sendcounts[],
                                        const MPI_Aint sdispls[],
                                        const MPI_Datatype sendtypes[], void *recvbuf,
                                        const MPI_Count recvcounts[], const MPI_Aint rdispls[],
                                        const MPI_Datatype recvtypes[], MPI_Comm comm)
{
    struct nbr_call k = NBR_BC("Neighbor_alltoallw_c");
    return nbr_alltoallw(&k, sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts,
                         rdispls, recvtypes, comm);
}
LM_WEAK_ALIAS(Neighbor_alltoallw_c)

LM_EXPORT int PMPI_Ineighbor_alltoallw_c(const void *sendbuf, const MPI_Count sendcounts[],
                                         const MPI_Aint sdispls[],
                                         const MPI_Datatype sendtypes[], void *recvbuf,
                                         const MPI_Count recvcounts[],
                                         const MPI_Aint rdispls[],
                                         const MPI_Datatype recvtypes[], MPI_Comm comm,
                                         MPI_Request *request)
{
    struct nbr_call k = NBR_IC("Ineighbor_alltoallw_c");
    return nbr_alltoallw(&k, sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts,
                         rdispls, recvtypes, comm);
}
LM_WEAK_ALIAS(Ineighbor_alltoallw_c)

LM_EXPORT int PMPI_Neighbor_alltoallw_init_c(const void *sendbuf, const MPI_Count sendcounts[],
                                             const MPI_Aint sdispls[],
                                             const MPI_Datatype sendtypes[], void *recvbuf,
                                             const MPI_Count recvcounts[],
                                             const MPI_Aint rdispls[],
                                             const MPI_Datatype recvtypes[], MPI_Comm comm,
                                             MPI_Info info, MPI_Request *request)
{
    struct nbr_call k = NBR_PC("Neighbor_alltoallw_init_c");
    return nbr_alltoallw(&k, sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts,
                         rdispls, recvtypes, comm);
}
LM_WEAK_ALIAS(Neighbor_alltoallw_init_c)
