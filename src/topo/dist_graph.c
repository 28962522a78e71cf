/* dist_graph.c - distributed graph topologies: each process knows only its own incoming
 * and outgoing edges (MPI_Dist_graph_create_adjacent gives them directly;
 * MPI_Dist_graph_create lets any process name any edge, so the edges are sent to both
 * their ends first).
 *
 * Neighbour order. create_adjacent: the order given. create: edges in the order of the
 * process that named them (by its rank in comm_old), then of their position in its
 * destinations array; in-edges and out-edges alike, so when two processes share several
 * edges the k-th out-edge of one is the k-th in-edge of the other on both sides, which is
 * how the neighborhood collectives pair repeated edges. When every process names its own
 * out-edges, its destinations keep the order it gave.
 *
 * Weights: a graph is weighted unless MPI_UNWEIGHTED was given. MPI_WEIGHTS_EMPTY marks a
 * weighted graph where a process has no edge to weigh. For create, processes that give no
 * edges may pass MPI_UNWEIGHTED beside others' weights (the others decide); a process that
 * gives edges without weights while another gives weights is an error on all of them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pt2pt/pt2pt.h"
#include "topo/topo.h"

static void dist_free(struct lm_topo *t)
{
    free(t);
}

static int dist_alloc(int indegree, int outdegree, bool weighted, struct lm_dist_graph **out);

static int dist_dup(const struct lm_topo *t, struct lm_topo **out)
{
    const struct lm_dist_graph *g = (const struct lm_dist_graph *)t;
    struct lm_dist_graph *n;
    int rc = dist_alloc(g->indegree, g->outdegree, g->weighted, &n);
    if (rc != LM_OK)
        return rc;
    size_t in = (size_t)g->indegree, outd = (size_t)g->outdegree;
    memcpy(n->sources, g->sources, sizeof(int) * in);
    memcpy(n->destinations, g->destinations, sizeof(int) * outd);
    if (g->weighted) {
        memcpy(n->srcweights, g->srcweights, sizeof(int) * in);
        memcpy(n->dstweights, g->dstweights, sizeof(int) * outd);
    }
    *out = &n->base;
    return LM_OK;
}

/* One allocation: the struct, sources, destinations, then the weights if any. */
static int dist_alloc(int indegree, int outdegree, bool weighted, struct lm_dist_graph **out)
{
    size_t n = (size_t)indegree + (size_t)outdegree;
    struct lm_dist_graph *g = malloc(sizeof *g + sizeof(int) * (weighted ? 2 * n : n));
    if (!g)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory for a distributed graph node with "
                             "%d in- and %d out-edges", indegree, outdegree);
    g->base = (struct lm_topo){.kind = MPI_DIST_GRAPH, .dup = dist_dup, .free = dist_free};
    g->indegree = indegree;
    g->outdegree = outdegree;
    g->weighted = weighted;
    g->sources = (int *)(g + 1);
    g->destinations = g->sources + indegree;
    g->srcweights = weighted ? g->destinations + outdegree : NULL;
    g->dstweights = weighted ? g->srcweights + indegree : NULL;
    *out = g;
    return LM_OK;
}

/* Builds the communicator (all of comm, ranks kept) and gives it the graph. */
static int finish(struct lm_comm *comm, struct lm_dist_graph *g, struct lm_comm **out)
{
    int rc = lm_topo_comm_create(comm, comm->size, out);
    if (rc != LM_OK || !*out) {
        free(g);
        return rc;
    }
    (*out)->topo = &g->base;
    return LM_OK;
}

int lm_dist_graph_create_adjacent(struct lm_comm *comm, int indegree, const int *sources,
                                  const int *srcweights, int outdegree,
                                  const int *destinations, const int *dstweights,
                                  bool weighted, struct lm_comm **out)
{
    struct lm_dist_graph *g;
    *out = NULL;
    int rc = dist_alloc(indegree, outdegree, weighted, &g);
    if (rc != LM_OK)
        return rc;
    if (indegree > 0)
        memcpy(g->sources, sources, sizeof(int) * (size_t)indegree);
    if (outdegree > 0)
        memcpy(g->destinations, destinations, sizeof(int) * (size_t)outdegree);
    if (weighted && indegree > 0)
        memcpy(g->srcweights, srcweights, sizeof(int) * (size_t)indegree);
    if (weighted && outdegree > 0)
        memcpy(g->dstweights, dstweights, sizeof(int) * (size_t)outdegree);
    return finish(comm, g, out);
}

/* ---- MPI_Dist_graph_create ------------------------------------------------------------------ */

/* What each process tells the others before the edges move. */
enum { W_NONE = 0,        /* MPI_UNWEIGHTED and no edges: defers to the others */
       W_UNWEIGHTED = 1,  /* MPI_UNWEIGHTED with edges */
       W_WEIGHTED = 2 };  /* weights given (an array, or MPI_WEIGHTS_EMPTY) */
struct verdict {
    int32_t err_class;    /* MPI_SUCCESS, or the class of this process's argument error */
    int32_t weights;      /* W_* */
};

/* An edge end sent to the process at that end. */
struct edge_rec {
    int32_t peer;         /* the other end */
    int32_t weight;
    int32_t out;          /* 1: an out-edge of the receiver, 0: an in-edge */
};

/* This process's arguments, checked. */
static int check_args(struct lm_comm *comm, int n, const int *sources, const int *degrees,
                      const int *destinations, const int *weights, size_t *nedges)
{
    long long total = 0;
    if (n < 0)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: n = %d is negative", n);
    if (n > 0 && (!sources || !degrees))
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: %s is NULL with n = %d",
                             !sources ? "sources" : "degrees", n);
    for (int i = 0; i < n; i++) {
        if (sources[i] < 0 || sources[i] >= comm->size)
            return lm_err_detail(MPI_ERR_RANK, "invalid rank: sources[%d] = %d, but comm_old "
                                 "has %d ranks", i, sources[i], comm->size);
        if (degrees[i] < 0)
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: degrees[%d] = %d is "
                                 "negative", i, degrees[i]);
        total += degrees[i];
    }
    if (total > INT32_MAX)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: the degrees add up to %lld "
                             "edges, more than an int can count", total);
    if (total > 0 && !destinations)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: destinations is NULL with %lld "
                             "edges", total);
    for (long long j = 0; j < total; j++)
        if (destinations[j] < 0 || destinations[j] >= comm->size)
            return lm_err_detail(MPI_ERR_RANK, "invalid rank: destinations[%lld] = %d, but "
                                 "comm_old has %d ranks", j, destinations[j], comm->size);
    if (weights != MPI_UNWEIGHTED && total > 0) {
        if (weights == MPI_WEIGHTS_EMPTY || !weights)
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: weights is %s with %lld "
                                 "edges", weights ? "MPI_WEIGHTS_EMPTY" : "NULL", total);
        for (long long j = 0; j < total; j++)
            if (weights[j] < 0)
                return lm_err_detail(MPI_ERR_ARG, "invalid argument: weights[%lld] = %d is "
                                     "negative", j, weights[j]);
    }
    *nedges = (size_t)total;
    return LM_OK;
}

/* Everyone learns whether anyone's arguments were wrong, and how the graph is weighted. */
static int agree(struct lm_comm *comm, int local_rc, int wflag, bool *weighted)
{
    struct verdict mine = {.err_class = local_rc == LM_OK ? MPI_SUCCESS
                                                          : lm_err_class_of(local_rc),
                           .weights = wflag};
    struct verdict *all = malloc(sizeof *all * (size_t)comm->size);
    struct lm_xchg x;
    if (!all)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating a distributed graph");
    lm_xchg_all(&x, comm, LM_TAG_TOPO);
    int rc = lm_xchg_allgather(&x, &mine, sizeof mine, all);
    int bad = -1, unweighted = -1, with_weights = -1;
    for (int r = 0; rc == LM_OK && r < comm->size; r++) {
        if (all[r].err_class != MPI_SUCCESS && bad < 0)
            bad = r;
        if (all[r].weights == W_UNWEIGHTED && unweighted < 0)
            unweighted = r;
        if (all[r].weights == W_WEIGHTED && with_weights < 0)
            with_weights = r;
    }
    if (rc == LM_OK && local_rc != LM_OK)
        rc = local_rc;
    else if (rc == LM_OK && bad >= 0)
        rc = lm_err_detail(all[bad].err_class, "rank %d of comm_old passed invalid arguments "
                           "to MPI_Dist_graph_create (see its error)", bad);
    else if (rc == LM_OK && unweighted >= 0 && with_weights >= 0)
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: rank %d gave edges with "
                           "MPI_UNWEIGHTED but rank %d gave weights; all processes must "
                           "agree", unweighted, with_weights);
    *weighted = with_weights >= 0;
    free(all);
    return rc;
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

static int wait_all(struct lm_request **reqs, int n)
{
    int err = LM_OK;
    for (int i = 0; i < n; i++) {
        if (!reqs[i])
            continue;
        int rc = lm_wait(reqs[i], NULL);
        reqs[i] = NULL;
        if (rc != LM_OK && err == LM_OK)
            err = rc;
    }
    return err;
}

/* Sends every process the ends of the edges at it and receives the ends at this process,
 * ordered by sender rank, then by position in the sender's arrays. */
static int exchange(struct lm_comm *comm, int n, const int *sources, const int *degrees,
                    const int *destinations, const int *weights, bool weighted, size_t nedges,
                    struct edge_rec **in, size_t *nin)
{
    int size = comm->size, me = comm->rank, rc = LM_OK;
    struct lm_datatype *byte = lm_dt_builtin(MPI_BYTE);
    uint32_t ctx = comm->ctx + 1;
    uint64_t *cnt_out = calloc((size_t)size, sizeof *cnt_out);
    uint64_t *cnt_in = calloc((size_t)size, sizeof *cnt_in);
    size_t *at = calloc((size_t)size + 1, sizeof *at);
    size_t *in_at = calloc((size_t)size + 1, sizeof *in_at);
    struct lm_request **reqs = calloc(2 * (size_t)size, sizeof *reqs);
    struct edge_rec *outbox = malloc(sizeof *outbox * (2 * nedges + 1));
    *in = NULL;
    if (!cnt_out || !cnt_in || !at || !in_at || !reqs || !outbox) {
        rc = lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating a distributed graph");
        goto out;
    }
    /* Bucket the edge ends by the process they go to, keeping the edge order. */
    for (int i = 0, j = 0; i < n; i++)
        for (int k = 0; k < degrees[i]; k++, j++) {
            cnt_out[sources[i]]++;
            cnt_out[destinations[j]]++;
        }
    for (int p = 0; p < size; p++)
        at[p + 1] = at[p] + cnt_out[p];
    for (int i = 0, j = 0; i < n; i++)
        for (int k = 0; k < degrees[i]; k++, j++) {
            int s = sources[i], d = destinations[j], w = weighted ? weights[j] : 1;
            outbox[at[s]++] = (struct edge_rec){.peer = d, .weight = w, .out = 1};
            outbox[at[d]++] = (struct edge_rec){.peer = s, .weight = w, .out = 0};
        }
    for (int p = size; p > 0; p--)     /* at[p] is now the end of bucket p: shift back */
        at[p] = at[p - 1];
    at[0] = 0;
    /* Counts first (everyone tells everyone), then the records where there are any. */
    for (int p = 0; p < size && rc == LM_OK; p++) {
        if (p == me)
            continue;
        rc = started(lm_irecv_ctx(&cnt_in[p], sizeof *cnt_in, byte, p, LM_TAG_TOPO, comm, ctx,
                                  &reqs[p]), &reqs[p]);
        if (rc == LM_OK)
            rc = started(lm_isend_ctx(&cnt_out[p], sizeof *cnt_out, byte, p, LM_TAG_TOPO, comm,
                                      ctx, LM_MODE_STANDARD, &reqs[size + p]),
                         &reqs[size + p]);
    }
    int wrc = wait_all(reqs, 2 * size);
    if (rc == LM_OK)
        rc = wrc;
    if (rc != LM_OK)
        goto out;
    cnt_in[me] = cnt_out[me];
    for (int p = 0; p < size; p++)
        in_at[p + 1] = in_at[p] + cnt_in[p];
    *nin = in_at[size];
    if (!(*in = malloc(sizeof **in * (*nin + 1)))) {
        rc = lm_err_detail(MPI_ERR_NO_MEM, "out of memory: %zu edges end at this process",
                           *nin);
        goto out;
    }
    memcpy(*in + in_at[me], outbox + at[me], sizeof *outbox * cnt_out[me]);
    for (int p = 0; p < size && rc == LM_OK; p++) {
        if (p == me)
            continue;
        if (cnt_in[p])
            rc = started(lm_irecv_ctx(*in + in_at[p], sizeof **in * cnt_in[p], byte, p,
                                      LM_TAG_TOPO, comm, ctx, &reqs[p]), &reqs[p]);
        if (rc == LM_OK && cnt_out[p])
            rc = started(lm_isend_ctx(outbox + at[p], sizeof *outbox * cnt_out[p], byte, p,
                                      LM_TAG_TOPO, comm, ctx, LM_MODE_STANDARD,
                                      &reqs[size + p]), &reqs[size + p]);
    }
    wrc = wait_all(reqs, 2 * size);
    if (rc == LM_OK)
        rc = wrc;
out:
    if (rc != LM_OK) {
        free(*in);
        *in = NULL;
    }
    free(cnt_out);
    free(cnt_in);
    free(at);
    free(in_at);
    free(reqs);
    free(outbox);
    return rc;
}

int lm_dist_graph_create(struct lm_comm *comm, int n, const int *sources, const int *degrees,
                         const int *destinations, const int *weights, struct lm_comm **out)
{
    size_t nedges = 0;
    bool weighted = false;
    *out = NULL;
    int rc = check_args(comm, n, sources, degrees, destinations, weights, &nedges);
    int wflag = weights != MPI_UNWEIGHTED ? W_WEIGHTED : nedges > 0 ? W_UNWEIGHTED : W_NONE;
    if ((rc = agree(comm, rc, wflag, &weighted)) != LM_OK)
        return rc;
    struct edge_rec *in;
    size_t nin = 0;
    rc = exchange(comm, n, sources, degrees, destinations, weights, weighted && nedges > 0,
                  nedges, &in, &nin);
    if (rc != LM_OK)
        return rc;
    int indegree = 0, outdegree = 0;
    for (size_t i = 0; i < nin; i++) {
        outdegree += in[i].out != 0;
        indegree += in[i].out == 0;
    }
    struct lm_dist_graph *g;
    if ((rc = dist_alloc(indegree, outdegree, weighted, &g)) != LM_OK) {
        free(in);
        return rc;
    }
    for (size_t i = 0, a = 0, b = 0; i < nin; i++) {
        if (in[i].out) {
            if (weighted)
                g->dstweights[b] = in[i].weight;
            g->destinations[b++] = in[i].peer;
        } else {
            if (weighted)
                g->srcweights[a] = in[i].weight;
            g->sources[a++] = in[i].peer;
        }
    }
    free(in);
    return finish(comm, g, out);
}
