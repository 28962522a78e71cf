/* neighbor.c - who a process exchanges with in a neighborhood collective, and the schedule
 * of the exchange itself.
 *
 * Neighbour lists, in buffer order: Cartesian, for each dimension the source of a shift by
 * -1 then by +1 (MPI_PROC_NULL past a non-periodic end, whose blocks are left alone);
 * graph, the node's edges as given; distributed graph, its sources and destinations.
 *
 * The schedule is one round: every receive, then every send, on the collective context
 * with the call's own collective tag (src/coll), so a blocking call is the nonblocking one
 * plus a wait and a persistent one reruns the same schedule at every MPI_Start.
 *
 * Pairing. The k-th message this process sends to a peer is matched by the peer's k-th
 * receive from it (point-to-point order on one tag), so receives are posted in list order
 * and every edge carries exactly one message, empty or not. That pairs repeated graph
 * edges in order. On a Cartesian grid the block sent in the negative direction of a
 * dimension belongs in the receiver's positive-direction block and vice versa (MPI-4.0
 * errata; it matters when a periodic dimension has 1 or 2 processes and both neighbours
 * are the same process), so there each dimension's two receives are posted positive first.
 */
#include <stdlib.h>

#include "coll/coll.h"
#include "topo/topo.h"

int lm_nbrs_get(struct lm_comm *comm, struct lm_nbrs *nb)
{
    *nb = (struct lm_nbrs){0};
    switch (lm_topo_kind(comm)) {
    case MPI_CART: {
        const struct lm_cart *c = (const struct lm_cart *)comm->topo;
        int n = 2 * c->ndims;
        if (!(nb->owned = malloc(sizeof *nb->owned * (size_t)(n ? n : 1))))
            return lm_err_detail(MPI_ERR_NO_MEM, "out of memory listing %d neighbours", n);
        for (int d = 0; d < c->ndims; d++)
            lm_cart_shift(c, comm->rank, d, 1, &nb->owned[2 * d], &nb->owned[2 * d + 1]);
        nb->indegree = nb->outdegree = n;
        nb->sources = nb->destinations = nb->owned;
        nb->swap_pairs = true;
        return LM_OK;
    }
    case MPI_GRAPH: {
        int n;
        const int *list = lm_graph_neighbors((const struct lm_graph *)comm->topo, comm->rank,
                                             &n);
        nb->indegree = nb->outdegree = n;
        nb->sources = nb->destinations = list;
        return LM_OK;
    }
    case MPI_DIST_GRAPH: {
        const struct lm_dist_graph *g = (const struct lm_dist_graph *)comm->topo;
        nb->indegree = g->indegree;
        nb->outdegree = g->outdegree;
        nb->sources = g->sources;
        nb->destinations = g->destinations;
        return LM_OK;
    }
    default:
        return lm_err_detail(MPI_ERR_TOPOLOGY, "invalid topology: %s has no topology%s; "
                             "neighborhood collectives need a Cartesian, graph or distributed "
                             "graph communicator", comm->name[0] ? comm->name : "comm",
                             comm->inter ? " (it is an intercommunicator)" : "");
    }
}

void lm_nbrs_release(struct lm_nbrs *nb)
{
    free(nb->owned);
    nb->owned = NULL;
}

struct exchange {
    const struct lm_nbrs *nb;
    const struct lm_nbr_block *send, *recv;
};

static int build_exchange(struct lm_sched *s, const void *arg)
{
    const struct exchange *x = arg;
    const struct lm_nbrs *nb = x->nb;
    for (int i = 0; i < nb->indegree; i++) {
        int k = nb->swap_pairs ? i ^ 1 : i;
        const struct lm_nbr_block *b = &x->recv[k];
        if (nb->sources[k] != MPI_PROC_NULL)
            lm_sched_recv(s, b->buf, b->count, b->dt, nb->sources[k]);
    }
    for (int j = 0; j < nb->outdegree; j++) {
        const struct lm_nbr_block *b = &x->send[j];
        if (nb->destinations[j] != MPI_PROC_NULL)
            lm_sched_send(s, b->buf, b->count, b->dt, nb->destinations[j]);
    }
    return LM_OK;
}

int lm_neighbor_start(struct lm_comm *comm, const struct lm_nbrs *nb,
                      const struct lm_nbr_block *send, const struct lm_nbr_block *recv,
                      bool persistent, struct lm_request **out)
{
    struct exchange x = {nb, send, recv};
    return lm_coll_start_custom(comm, build_exchange, &x, persistent, out);
}
