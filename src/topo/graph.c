/* graph.c - graph topologies (MPI_Graph_create): every process holds the whole graph, as
 * the index/edges arrays every caller passed, so neighbour queries about any rank are
 * local. Self-loops and repeated edges are kept as given: neighbour lists (and so the
 * neighborhood collectives' buffer layout) follow the edges array.
 */
#include <stdlib.h>
#include <string.h>

#include "topo/topo.h"

static void graph_free(struct lm_topo *t)
{
    free(t);
}

static int graph_alloc(int nnodes, int nedges, struct lm_graph **out);

static int graph_dup(const struct lm_topo *t, struct lm_topo **out)
{
    const struct lm_graph *g = (const struct lm_graph *)t;
    int nedges = g->index[g->nnodes - 1];
    struct lm_graph *n;
    int rc = graph_alloc(g->nnodes, nedges, &n);
    if (rc != LM_OK)
        return rc;
    memcpy(n->index, g->index, sizeof *n->index * (size_t)g->nnodes);
    memcpy(n->edges, g->edges, sizeof *n->edges * (size_t)nedges);
    *out = &n->base;
    return LM_OK;
}

/* One allocation: the struct, then index, then edges. */
static int graph_alloc(int nnodes, int nedges, struct lm_graph **out)
{
    struct lm_graph *g = malloc(sizeof *g + sizeof(int) * ((size_t)nnodes + (size_t)nedges));
    if (!g)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory for a graph of %d nodes and %d "
                             "edges", nnodes, nedges);
    g->base = (struct lm_topo){.kind = MPI_GRAPH, .dup = graph_dup, .free = graph_free};
    g->nnodes = nnodes;
    g->index = (int *)(g + 1);
    g->edges = g->index + nnodes;
    *out = g;
    return LM_OK;
}

int lm_graph_create(struct lm_comm *comm, int nnodes, const int *index, const int *edges,
                    struct lm_comm **out)
{
    *out = NULL;
    if (nnodes == 0)
        return LM_OK;    /* the empty graph: MPI_COMM_NULL everywhere, nothing to agree on */
    int rc = lm_topo_comm_create(comm, nnodes, out);
    if (rc != LM_OK || !*out)
        return rc;
    int nedges = index[nnodes - 1];
    struct lm_graph *g;
    if ((rc = graph_alloc(nnodes, nedges, &g)) != LM_OK) {
        lm_comm_release(*out);
        *out = NULL;
        return rc;
    }
    memcpy(g->index, index, sizeof *index * (size_t)nnodes);
    if (nedges > 0)
        memcpy(g->edges, edges, sizeof *edges * (size_t)nedges);
    (*out)->topo = &g->base;
    return LM_OK;
}

const int *lm_graph_neighbors(const struct lm_graph *g, int rank, int *count)
{
    int start = rank == 0 ? 0 : g->index[rank - 1];
    *count = g->index[rank] - start;
    return g->edges + start;
}
