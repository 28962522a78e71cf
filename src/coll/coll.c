/* coll.c - choosing an algorithm, and helpers the algorithm files share.
 *
 * Every family (barrier, bcast, ...) lists its algorithms in a struct lm_coll_family, in
 * one table for intracommunicators and one for intercommunicators (inter.c). The one place
 * that picks an algorithm is lm_coll_build(): LITEMPI_COLL_<FAMILY>=<name> (read once per
 * process; INTER_<FAMILY> for the second table) forces one where it applies to the call,
 * otherwise the family's choose() decides from the message and communicator sizes. A
 * forced algorithm that does not apply (ring allreduce with a non-commutative op, say)
 * falls back to the default, so tests can force each algorithm over a whole suite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "coll/coll.h"

static const struct lm_coll_family *const families[LM_COLL_NKINDS] = {
    [LM_COLL_BARRIER] = &lm_coll_barrier_family,
    [LM_COLL_BCAST] = &lm_coll_bcast_family,
    [LM_COLL_GATHER] = &lm_coll_gather_family,
    [LM_COLL_GATHERV] = &lm_coll_gatherv_family,
    [LM_COLL_SCATTER] = &lm_coll_scatter_family,
    [LM_COLL_SCATTERV] = &lm_coll_scatterv_family,
    [LM_COLL_ALLGATHER] = &lm_coll_allgather_family,
    [LM_COLL_ALLGATHERV] = &lm_coll_allgatherv_family,
    [LM_COLL_ALLTOALL] = &lm_coll_alltoall_family,
    [LM_COLL_ALLTOALLV] = &lm_coll_alltoallv_family,
    [LM_COLL_ALLTOALLW] = &lm_coll_alltoallw_family,
    [LM_COLL_REDUCE] = &lm_coll_reduce_family,
    [LM_COLL_ALLREDUCE] = &lm_coll_allreduce_family,
    [LM_COLL_REDUCE_SCATTER] = &lm_coll_reduce_scatter_family,
    [LM_COLL_REDUCE_SCATTER_BLOCK] = &lm_coll_reduce_scatter_block_family,
    [LM_COLL_SCAN] = &lm_coll_scan_family,
    [LM_COLL_EXSCAN] = &lm_coll_exscan_family,
};

static const struct lm_coll_family *const inter_families[LM_COLL_NKINDS] = {
    [LM_COLL_BARRIER] = &lm_coll_inter_barrier_family,
    [LM_COLL_BCAST] = &lm_coll_inter_bcast_family,
    [LM_COLL_GATHER] = &lm_coll_inter_gather_family,
    [LM_COLL_GATHERV] = &lm_coll_inter_gatherv_family,
    [LM_COLL_SCATTER] = &lm_coll_inter_scatter_family,
    [LM_COLL_SCATTERV] = &lm_coll_inter_scatterv_family,
    [LM_COLL_ALLGATHER] = &lm_coll_inter_allgather_family,
    [LM_COLL_ALLGATHERV] = &lm_coll_inter_allgatherv_family,
    [LM_COLL_ALLTOALL] = &lm_coll_inter_alltoall_family,
    [LM_COLL_ALLTOALLV] = &lm_coll_inter_alltoallv_family,
    [LM_COLL_ALLTOALLW] = &lm_coll_inter_alltoallw_family,
    [LM_COLL_REDUCE] = &lm_coll_inter_reduce_family,
    [LM_COLL_ALLREDUCE] = &lm_coll_inter_allreduce_family,
    [LM_COLL_REDUCE_SCATTER] = &lm_coll_inter_reduce_scatter_family,
    [LM_COLL_REDUCE_SCATTER_BLOCK] = &lm_coll_inter_reduce_scatter_block_family,
};

/* forced[inter][kind]: -2 not read yet, -1 none, else an index into the family's algos */
static int forced[2][LM_COLL_NKINDS] = {{[0 ... LM_COLL_NKINDS - 1] = -2},
                                        {[0 ... LM_COLL_NKINDS - 1] = -2}};

static int forced_algo(const struct lm_coll_family *f, int *slot)
{
    if (*slot != -2)
        return *slot;
    char var[64];
    snprintf(var, sizeof var, "LITEMPI_COLL_%s", f->name);
    const char *v = getenv(var);
    *slot = -1;
    if (!v || !*v || !strcasecmp(v, "auto"))
        return -1;
    for (int i = 0; i < f->nalgos; i++)
        if (!strcasecmp(v, f->algos[i].name))
            return *slot = i;
    if (lm_proc.rank == 0) {
        fprintf(stderr, "litempi: %s=%s is not an algorithm of %s; using the default "
                "(choices:", var, v, f->name);
        for (int i = 0; i < f->nalgos; i++)
            fprintf(stderr, " %s", f->algos[i].name);
        fprintf(stderr, ")\n");
    }
    return -1;
}

int lm_coll_build(struct lm_sched *s, const struct lm_coll_args *a, const char *algo)
{
    bool inter = a->comm->inter;
    const struct lm_coll_family *f = (inter ? inter_families : families)[a->kind];
    if (!f)   /* the API layer refuses these first */
        return lm_err_detail(MPI_ERR_COMM, "invalid communicator: this collective is not "
                             "defined on intercommunicators");
    int i = -1;
    if (algo) {
        for (int k = 0; k < f->nalgos; k++)
            if (!strcmp(algo, f->algos[k].name))
                i = k;
    } else {
        i = forced_algo(f, &forced[inter][a->kind]);
    }
    if (i >= 0 && f->algos[i].usable && !f->algos[i].usable(a))
        i = -1;
    if (i < 0)
        i = f->choose ? f->choose(a) : 0;
    return f->algos[i].build(s, a);
}

/* ---- copies ---------------------------------------------------------------------------- */

int lm_coll_copy(const void *src, size_t count1, struct lm_datatype *t1, void *dst,
                 size_t count2, struct lm_datatype *t2)
{
    size_t b1 = count1 * t1->size, b2 = count2 * t2->size;
    size_t bytes = b1 < b2 ? b1 : b2;
    if (bytes == 0)
        return LM_OK;
    const char *s = lm_dt_contig_base(t1, src, count1);
    char *d = (char *)lm_dt_contig_base(t2, dst, count2);
    if (s && d) {
        if (s != d)
            memmove(d, s, bytes);
    } else if (d) {
        lm_dt_pack(t1, src, count1, 0, d, bytes);
    } else if (s) {
        lm_dt_unpack(t2, dst, count2, 0, s, bytes);
    } else {
        char *tmp = malloc(bytes);
        if (!tmp)
            return lm_err_detail(MPI_ERR_NO_MEM, "out of memory: %zu bytes for a copy", bytes);
        lm_dt_pack(t1, src, count1, 0, tmp, bytes);
        lm_dt_unpack(t2, dst, count2, 0, tmp, bytes);
        free(tmp);
    }
    return LM_OK;
}

/* ---- reductions' work vectors ----------------------------------------------------------- */

void lm_red_init(struct lm_red *r, const struct lm_coll_args *a, size_t count)
{
    struct lm_datatype *dt = a->rtype;
    r->dt = dt;
    r->count = count;
    r->w = lm_op_work_type(a->op, dt);
    r->shift = 0;
    if (r->w == dt) {
        r->n = count;
        r->direct = true;
    } else {
        /* predefined op on a derived type of one element type: usable in place when the
         * whole buffer is one dense run of elements */
        /* elements of w, not dt->nelems: w may be a pair type, whose halves nelems
         * counts separately */
        r->n = count * (dt->size / r->w->size);
        r->direct = dt->contig && r->w->contig;
        r->shift = dt->true_lb;
    }
}

void *lm_red_tmp(struct lm_sched *s, const struct lm_red *r, size_t n)
{
    struct lm_datatype *w = r->w;
    if (n == 0)
        return lm_sched_alloc(s, 0);
    size_t bytes = (n - 1) * (size_t)w->extent + (size_t)w->true_extent;
    char *p = lm_sched_alloc(s, bytes);
    return p - w->true_lb;
}

const void *lm_red_input(struct lm_sched *s, const struct lm_red *r, const void *buf)
{
    if (r->direct)
        return (const char *)buf + r->shift;
    void *v = lm_red_tmp(s, r, r->n);
    lm_sched_copy(s, buf, r->count, r->dt, v, r->n, r->w);
    return v;
}

void *lm_red_output(struct lm_sched *s, const struct lm_red *r, void *buf)
{
    if (r->direct)
        return (char *)buf + r->shift;
    return lm_red_tmp(s, r, r->n);
}

void lm_red_output_end(struct lm_sched *s, const struct lm_red *r, void *buf, void *vec)
{
    if (!r->direct)
        lm_sched_copy(s, vec, r->n, r->w, buf, r->count, r->dt);
}

bool lm_coll_crowded(void)
{
    static int crowded = -1;
    if (crowded < 0) {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        bool one_node = true;   /* every world rank on our node */
        for (int r = 0; r < lm_proc.size && one_node; r++)
            one_node = lm_proc.peers[r].node == lm_proc.node;
        bool c = one_node && ncpu > 0 && lm_proc.local_size > ncpu;
        crowded = lm_env_bool("LITEMPI_COLL_CROWDED", c);
    }
    return crowded;
}
