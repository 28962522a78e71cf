/* topo.h - virtual topologies (Cartesian, graph, distributed graph) and the neighborhood
 * collectives over them.
 *
 * A topology is attached to a communicator through `comm->topo` (struct lm_topo in core.h,
 * which each kind embeds first); communicator code copies it on MPI_Comm_dup and frees it
 * with the communicator through the hooks. The constructors here build the new
 * communicator with the core constructors (lm_comm_create, lm_comm_split) and attach the
 * topology; reorder is always ignored, so a process keeps its rank.
 *
 * Argument conventions that are the same on every process (dims, periods, the graph's index
 * and edges) are checked by src/api before these are called. Dist_graph_create checks its
 * per-process arguments here, after agreeing with the other processes, so that a bad
 * argument on one process fails the call on all of them instead of leaving them waiting.
 *
 * Neighborhood collectives are collective schedules (src/coll): one round of receives in
 * neighbour order, then sends, on the communicator's collective context with the
 * engine's sequence-numbered tag. So the blocking, nonblocking (MPI_Ineighbor_*) and
 * persistent (MPI_Neighbor_*_init) forms are one code path, and they overlap with each
 * other and with every other collective on the communicator.
 */
#ifndef LM_TOPO_H
#define LM_TOPO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"
#include "datatype/datatype.h"

struct lm_request;

struct lm_cart {
    struct lm_topo base;   /* kind MPI_CART */
    int ndims;
    int *dims;             /* ndims entries each (NULL when ndims == 0) */
    int *periods;          /* 0 or 1 */
};

struct lm_graph {
    struct lm_topo base;   /* kind MPI_GRAPH */
    int nnodes;
    int *index;            /* nnodes cumulative degrees */
    int *edges;            /* index[nnodes - 1] neighbours */
};

struct lm_dist_graph {
    struct lm_topo base;   /* kind MPI_DIST_GRAPH */
    int indegree, outdegree;
    int *sources, *destinations;
    int *srcweights, *dstweights;  /* NULL when unweighted */
    bool weighted;
};

/* The communicator's topology kind: MPI_CART, MPI_GRAPH, MPI_DIST_GRAPH or MPI_UNDEFINED. */
static inline int lm_topo_kind(const struct lm_comm *comm)
{
    return comm->topo ? comm->topo->kind : MPI_UNDEFINED;
}

/* topo.c: the topology of kind `kind`, or an MPI_ERR_TOPOLOGY code naming what comm has
 * instead. */
int lm_topo_get(struct lm_comm *comm, int kind, struct lm_topo **out);
/* Collective over comm: a new communicator over its first n ranks (1 <= n <= size), with
 * no topology, attributes or hints; *out = NULL on the other ranks. */
int lm_topo_comm_create(struct lm_comm *comm, int n, struct lm_comm **out);

/* ---- cart.c -------------------------------------------------------------------------------- */

/* Collective over comm (an intracommunicator): a communicator over its first
 * prod(dims) ranks with the grid attached; *out = NULL on the other ranks. dims[i] >= 1
 * and prod(dims) <= comm->size are the caller's to check. */
int lm_cart_create(struct lm_comm *comm, int ndims, const int *dims, const int *periods,
                   struct lm_comm **out);
/* Collective over a Cartesian communicator: the sub-grid of the kept dimensions that holds
 * the caller (MPI_Cart_sub). */
int lm_cart_sub(struct lm_comm *comm, const int *remain_dims, struct lm_comm **out);
/* Rank of coords, which wrap in periodic dimensions; MPI_ERR_ARG when a coordinate of a
 * non-periodic dimension is out of range. */
int lm_cart_rank(const struct lm_cart *cart, const int *coords, int *rank);
void lm_cart_coords(const struct lm_cart *cart, int rank, int *coords);
/* MPI_Cart_shift from `rank` (MPI_PROC_NULL past the ends of non-periodic dimensions). */
void lm_cart_shift(const struct lm_cart *cart, int rank, int direction, int disp,
                   int *source, int *dest);
/* MPI_Dims_create: fills the zero entries of dims (nnodes >= 1, entries >= 0 checked by
 * the caller); MPI_ERR_DIMS when no grid of nnodes processes fits the fixed entries. */
int lm_dims_create(int nnodes, int ndims, int *dims);

/* ---- graph.c ------------------------------------------------------------------------------- */

/* Collective over comm: a communicator over its first nnodes ranks with the graph (index
 * and edges already checked by the caller); *out = NULL elsewhere, and everywhere when
 * nnodes == 0. */
int lm_graph_create(struct lm_comm *comm, int nnodes, const int *index, const int *edges,
                    struct lm_comm **out);
/* Neighbours of `rank` (a pointer into the graph) and their number. */
const int *lm_graph_neighbors(const struct lm_graph *g, int rank, int *count);

/* ---- dist_graph.c -------------------------------------------------------------------------- */

/* MPI_Dist_graph_create: edges given by any process are sent to both ends. `weights` may
 * be MPI_UNWEIGHTED or MPI_WEIGHTS_EMPTY. Checks the caller's edges and agrees with the
 * others before building anything, so all fail or none. */
int lm_dist_graph_create(struct lm_comm *comm, int n, const int *sources, const int *degrees,
                         const int *destinations, const int *weights, struct lm_comm **out);
/* MPI_Dist_graph_create_adjacent (arguments checked by the caller; the weights arrays are
 * read only when `weighted`, and only as far as the degrees go). */
int lm_dist_graph_create_adjacent(struct lm_comm *comm, int indegree, const int *sources,
                                  const int *srcweights, int outdegree,
                                  const int *destinations, const int *dstweights,
                                  bool weighted, struct lm_comm **out);

/* ---- neighbor.c ---------------------------------------------------------------------------- */

/* Who the caller receives from and sends to, in buffer order, for any topology kind.
 * `swap_pairs`: Cartesian, where the block sent in the negative direction of a dimension
 * lands in the receiver's positive-direction block and vice versa (MPI-4.0 errata for
 * periodic dimensions of size 1 or 2, where both neighbours are the same process). */
struct lm_nbrs {
    int indegree, outdegree;
    const int *sources, *destinations;
    bool swap_pairs;
    int *owned;            /* storage to free (Cartesian lists), or NULL */
};
int lm_nbrs_get(struct lm_comm *comm, struct lm_nbrs *nb);
void lm_nbrs_release(struct lm_nbrs *nb);

/* One block of a neighborhood exchange: `count` elements of `dt` at `buf`. */
struct lm_nbr_block {
    void *buf;
    size_t count;
    struct lm_datatype *dt;
};

/* A neighborhood collective as a collective request: receives recv[i] from
 * nb->sources[i] and sends send[j] to nb->destinations[j] (MPI_PROC_NULL neighbours are
 * skipped, their blocks untouched). Started at once, or, when persistent, left inactive
 * for MPI_Start; blocking callers wait on *out. nb, send and recv are read only here: the
 * schedule keeps what it needs (and its own references to the datatypes). Called with the
 * library lock held. */
int lm_neighbor_start(struct lm_comm *comm, const struct lm_nbrs *nb,
                      const struct lm_nbr_block *send, const struct lm_nbr_block *recv,
                      bool persistent, struct lm_request **out);

#endif
