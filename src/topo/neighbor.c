/* neighbor.c - who a process exchanges with in a neighborhood collective, and the blocking
 * exchange itself.
 *
 * Neighbour lists, in buffer order: Cartesian, for each dimension the source of a shift by
 * -1 then by +1 (MPI_PROC_NULL past a non-periodic end, whose blocks are left alone);
 * graph, the node's edges as given; distributed graph, its sources and destinations.
 *
 * Pairing. The k-th message this process sends to a peer is matched by the peer's k-th
 * receive from it (point-to-point order), so receives are posted in list order and every
 * edge carries exactly one message, empty or not. That pairs repeated graph edges in
 * order. On a Cartesian grid the block sent in the negative direction of a dimension
 * belongs in the receiver's positive-direction block and vice versa (MPI-4.0 errata;
 * it matters when a periodic dimension has 1 or 2 processes and both neighbours are the
 * same process), so there each dimension's two receives are posted positive first.
 */
#include <stdlib.h>

#include "pt2pt/pt2pt.h"
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

/* A failed start still hands back a request (completed with the error) to release. */
static int started(int rc, struct lm_request **req)
{
    if (rc != LM_OK && *req) {
        lm_request_release(*req);
        *req = NULL;
    }
    return rc;
}

int lm_neighbor_exchange(struct lm_comm *comm, const struct lm_nbrs *nb,
                         const struct lm_nbr_block *send, const struct lm_nbr_block *recv)
{
    int nreq = nb->indegree + nb->outdegree, rc = LM_OK;
    struct lm_request *small[16], **reqs = small;
    uint32_t ctx = comm->ctx + 1;
    if (nreq > 16 && !(reqs = malloc(sizeof *reqs * (size_t)nreq)))
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory for %d neighbour requests", nreq);
    for (int i = 0; i < nreq; i++)
        reqs[i] = NULL;
    for (int i = 0; i < nb->indegree && rc == LM_OK; i++) {
        int k = nb->swap_pairs ? i ^ 1 : i;
        if (nb->sources[k] == MPI_PROC_NULL)
            continue;
        rc = started(lm_irecv_ctx(recv[k].buf, recv[k].count, recv[k].dt, nb->sources[k],
                                  LM_TAG_NEIGHBOR, comm, ctx, &reqs[i]), &reqs[i]);
    }
    for (int j = 0; j < nb->outdegree && rc == LM_OK; j++) {
        struct lm_request **r = &reqs[nb->indegree + j];
        if (nb->destinations[j] == MPI_PROC_NULL)
            continue;
        rc = started(lm_isend_ctx(send[j].buf, send[j].count, send[j].dt, nb->destinations[j],
                                  LM_TAG_NEIGHBOR, comm, ctx, LM_MODE_STANDARD, r), r);
    }
    /* Wait for everything started, even after an error: the buffers stay the caller's. */
    for (int i = 0; i < nreq; i++) {
        if (!reqs[i])
            continue;
        int wrc = lm_wait(reqs[i], NULL);
        if (wrc != LM_OK && rc == LM_OK)
            rc = wrc;
    }
    if (reqs != small)
        free(reqs);
    return rc;
}
