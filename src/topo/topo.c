/* topo.c - what every topology kind shares: looking a topology up by kind, and building the
 * communicator a topology constructor returns.
 *
 * Constructors keep ranks (reorder is a hint MPI lets us ignore), so the new communicator
 * is the first n ranks of the old one in their old order: MPI_Comm_create over that group,
 * which only agrees on a context id. Like MPI_Comm_create, nothing cached on the old
 * communicator (attributes, hints, its topology) propagates; the error handler does.
 */
#include <stdlib.h>

#include "topo/topo.h"

static const char *kind_name(int kind)
{
    switch (kind) {
    case MPI_CART: return "a Cartesian topology";
    case MPI_GRAPH: return "a graph topology";
    case MPI_DIST_GRAPH: return "a distributed graph topology";
    default: return "no topology";
    }
}

int lm_topo_get(struct lm_comm *comm, int kind, struct lm_topo **out)
{
    int have = lm_topo_kind(comm);
    if (have == kind) {
        *out = comm->topo;
        return LM_OK;
    }
    *out = NULL;
    return lm_err_detail(MPI_ERR_TOPOLOGY, "invalid topology: %s has %s%s, this call needs %s",
                         comm->name[0] ? comm->name : "comm", kind_name(have),
                         comm->inter ? " (it is an intercommunicator)" : "", kind_name(kind));
}

int lm_topo_comm_create(struct lm_comm *comm, int n, struct lm_comm **out)
{
    struct lm_group *g = comm->group;
    *out = NULL;
    if (n < comm->size) {
        if (!(g = lm_group_create(n)))
            return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating a group of %d", n);
        for (int i = 0; i < n; i++)
            g->lpids[i] = comm->group->lpids[i];
    } else {
        lm_group_retain(g);
    }
    int rc = lm_comm_create(comm, g, out);
    lm_group_release(g);
    return rc;
}
