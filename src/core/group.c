/* group.c - groups: ordered sets of process ids, and the set algebra of MPI's group calls.
 *
 * A group is an array rank -> lpid (process id, see struct lm_peer). Groups are immutable
 * and shared by reference count: a communicator and every handle MPI_Comm_group gave out
 * point at the same object. Every operation that yields no process returns the one
 * MPI_GROUP_EMPTY object, as users may compare results with that handle.
 *
 * Membership questions ("where is lpid x in group b?") go through a table indexed by lpid
 * (the process table is dense), so translate/union/intersection/difference are linear in
 * the group sizes rather than quadratic.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

struct lm_group *lm_group_create(int size)
{
    struct lm_group *g = malloc(sizeof *g);
    if (!g)
        return NULL;
    g->lpids = malloc((size_t)(size > 0 ? size : 1) * sizeof *g->lpids);
    if (!g->lpids) {
        free(g);
        return NULL;
    }
    g->magic = LM_MAGIC_GROUP;
    g->refcount = 1;
    g->size = size;
    g->handle = (MPI_Group)g;
    return g;
}

void lm_group_retain(struct lm_group *group)
{
    group->refcount++;
}

void lm_group_release(struct lm_group *group)
{
    if (!group || group == &lm_proc.group_empty)
        return;
    if (--group->refcount == 0) {
        lm_handle_forget(group);
        group->magic = 0;
        free(group->lpids);
        free(group);
    }
}

int lm_group_rank_of(const struct lm_group *group, int lpid)
{
    for (int i = 0; i < group->size; i++)
        if (group->lpids[i] == lpid)
            return i;
    return MPI_UNDEFINED;
}

/* Largest lpid in either group + 1: the size of an index table over both. */
static int lpid_bound(const struct lm_group *a, const struct lm_group *b)
{
    int m = lm_proc.npeers;
    for (int i = 0; i < a->size; i++)
        if (a->lpids[i] >= m)
            m = a->lpids[i] + 1;
    for (int i = 0; b && i < b->size; i++)
        if (b->lpids[i] >= m)
            m = b->lpids[i] + 1;
    return m;
}

/* where[lpid] = rank in g + 1, 0 when absent. Caller frees. */
static int *index_table(const struct lm_group *g, int bound)
{
    int *where = calloc((size_t)(bound > 0 ? bound : 1), sizeof *where);
    if (!where)
        return NULL;
    for (int i = 0; i < g->size; i++)
        where[g->lpids[i]] = i + 1;
    return where;
}

static int nomem(void)
{
    return lm_err_detail(MPI_ERR_NO_MEM, "out of memory building a group");
}

/* A new group from lpids[0..n); the empty group when n == 0. */
static int group_from(const int *lpids, int n, struct lm_group **out)
{
    if (n == 0) {
        *out = &lm_proc.group_empty;
        return LM_OK;
    }
    struct lm_group *g = lm_group_create(n);
    if (!g)
        return nomem();
    memcpy(g->lpids, lpids, (size_t)n * sizeof *lpids);
    *out = g;
    return LM_OK;
}

int lm_group_compare(const struct lm_group *a, const struct lm_group *b)
{
    if (a == b)
        return MPI_IDENT;
    if (a->size != b->size)
        return MPI_UNEQUAL;
    if (!memcmp(a->lpids, b->lpids, (size_t)a->size * sizeof *a->lpids))
        return MPI_IDENT;
    int *where = index_table(b, lpid_bound(a, b));
    if (!where)
        return MPI_UNEQUAL;
    int res = MPI_SIMILAR;
    for (int i = 0; i < a->size && res == MPI_SIMILAR; i++)
        if (!where[a->lpids[i]])
            res = MPI_UNEQUAL;
    free(where);
    return res;
}

int lm_group_translate(const struct lm_group *a, int n, const int *ranks_a,
                       const struct lm_group *b, int *ranks_b)
{
    for (int i = 0; i < n; i++) {
        int r = ranks_a[i];
        if (r != MPI_PROC_NULL && (r < 0 || r >= a->size))
            return lm_err_detail(MPI_ERR_RANK, "invalid rank: ranks1[%d] = %d, but group1 "
                                 "has %d process%s", i, r, a->size, a->size == 1 ? "" : "es");
    }
    if (n == 0)
        return LM_OK;
    int *where = index_table(b, lpid_bound(a, b));
    if (!where)
        return nomem();
    for (int i = 0; i < n; i++) {
        int r = ranks_a[i];
        if (r == MPI_PROC_NULL)
            ranks_b[i] = MPI_PROC_NULL;
        else
            ranks_b[i] = where[a->lpids[r]] ? where[a->lpids[r]] - 1 : MPI_UNDEFINED;
    }
    free(where);
    return LM_OK;
}

/* Union: all of a in order, then the members of b not in a, in b's order. */
int lm_group_union(const struct lm_group *a, const struct lm_group *b, struct lm_group **out)
{
    int *where = index_table(a, lpid_bound(a, b));
    int *l = malloc((size_t)(a->size + b->size + 1) * sizeof *l);
    int n = 0, rc;
    if (!where || !l) {
        free(where);
        free(l);
        return nomem();
    }
    for (int i = 0; i < a->size; i++)
        l[n++] = a->lpids[i];
    for (int i = 0; i < b->size; i++) {
        if (!where[b->lpids[i]]) {
            where[b->lpids[i]] = 1;   /* also guards against duplicates */
            l[n++] = b->lpids[i];
        }
    }
    rc = group_from(l, n, out);
    free(where);
    free(l);
    return rc;
}

/* Intersection (keep = true) or difference (keep = false): members of a, in a's order,
 * that are (not) in b. */
static int filter(const struct lm_group *a, const struct lm_group *b, bool keep,
                  struct lm_group **out)
{
    int *where = index_table(b, lpid_bound(a, b));
    int *l = malloc((size_t)(a->size + 1) * sizeof *l);
    int n = 0, rc;
    if (!where || !l) {
        free(where);
        free(l);
        return nomem();
    }
    for (int i = 0; i < a->size; i++)
        if ((where[a->lpids[i]] != 0) == keep)
            l[n++] = a->lpids[i];
    rc = group_from(l, n, out);
    free(where);
    free(l);
    return rc;
}

int lm_group_intersection(const struct lm_group *a, const struct lm_group *b,
                          struct lm_group **out)
{
    return filter(a, b, true, out);
}

int lm_group_difference(const struct lm_group *a, const struct lm_group *b,
                        struct lm_group **out)
{
    return filter(a, b, false, out);
}

/* Ranks must be valid and distinct: mark[] records the ones seen. */
static int check_ranks(const struct lm_group *g, int n, const int *ranks, char *mark)
{
    for (int i = 0; i < n; i++) {
        int r = ranks[i];
        if (r < 0 || r >= g->size)
            return lm_err_detail(MPI_ERR_RANK, "invalid rank: ranks[%d] = %d, but the group "
                                 "has %d process%s", i, r, g->size, g->size == 1 ? "" : "es");
        if (mark[r])
            return lm_err_detail(MPI_ERR_RANK, "invalid rank: ranks[%d] = %d appears twice",
                                 i, r);
        mark[r] = 1;
    }
    return LM_OK;
}

int lm_group_incl(const struct lm_group *g, int n, const int *ranks, struct lm_group **out)
{
    char *mark = calloc((size_t)g->size + 1, 1);
    int *l = malloc((size_t)(n > 0 ? n : 1) * sizeof *l);
    int rc = mark && l ? check_ranks(g, n, ranks, mark) : nomem();
    if (rc == LM_OK) {
        for (int i = 0; i < n; i++)
            l[i] = g->lpids[ranks[i]];
        rc = group_from(l, n, out);
    }
    free(mark);
    free(l);
    return rc;
}

int lm_group_excl(const struct lm_group *g, int n, const int *ranks, struct lm_group **out)
{
    char *mark = calloc((size_t)g->size + 1, 1);
    int *l = malloc((size_t)(g->size + 1) * sizeof *l);
    int rc = mark && l ? check_ranks(g, n, ranks, mark) : nomem();
    if (rc == LM_OK) {
        int k = 0;
        for (int i = 0; i < g->size; i++)
            if (!mark[i])
                l[k++] = g->lpids[i];
        rc = group_from(l, k, out);
    }
    free(mark);
    free(l);
    return rc;
}

/* The ranks of triplets (first, last, stride), checked: every first and last a valid rank,
 * stride non-zero and pointing from first towards last, no rank twice; any violation is
 * MPI_ERR_ARG (as MPICH reports it). MPI allows first > last with a negative stride; a
 * stride pointing away from last is refused (the range would hold only `first`, which is
 * almost certainly a mistake). */
int lm_group_range(const struct lm_group *g, int n, const int ranges[][3], bool incl,
                   struct lm_group **out)
{
    char *mark = calloc((size_t)g->size + 1, 1);
    int *l = malloc((size_t)(g->size + 1) * sizeof *l);
    int k = 0, rc = mark && l ? LM_OK : nomem();
    for (int i = 0; rc == LM_OK && i < n; i++) {
        int first = ranges[i][0], last = ranges[i][1], stride = ranges[i][2];
        if (first < 0 || first >= g->size || last < 0 || last >= g->size) {
            rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: ranges[%d] = (%d, %d, %d), "
                               "but the group has %d process%s (0..%d)", i, first, last, stride,
                               g->size, g->size == 1 ? "" : "es", g->size - 1);
            break;
        }
        if (stride == 0 || (stride > 0 && first > last) || (stride < 0 && first < last)) {
            rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: ranges[%d] = (%d, %d, %d): "
                               "the stride must be non-zero and lead from first to last",
                               i, first, last, stride);
            break;
        }
        for (long r = first; stride > 0 ? r <= last : r >= last; r += stride) {
            if (mark[r]) {
                rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: rank %ld appears twice in "
                                   "ranges (again in ranges[%d])", r, i);
                break;
            }
            mark[r] = 1;
            if (incl)
                l[k++] = g->lpids[r];
        }
    }
    if (rc == LM_OK && !incl)
        for (int r = 0; r < g->size; r++)
            if (!mark[r])
                l[k++] = g->lpids[r];
    if (rc == LM_OK)
        rc = group_from(l, k, out);
    free(mark);
    free(l);
    return rc;
}
