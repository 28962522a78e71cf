/* group.c - the group calls: size, rank, translate_ranks, compare, the set operations,
 * incl/excl and their range forms, free, and MPI_Comm_group/MPI_Comm_remote_group.
 *
 * Groups are immutable and shared by reference (core/group.c); every call that returns a
 * group hands the caller one reference, which MPI_Group_free drops. Results with no
 * process are MPI_GROUP_EMPTY. Errors not tied to a communicator go to MPI_COMM_SELF's
 * handler. */
#include "api/api.h"

/* Stores a new group handle (the reference moves to the caller). */
static int out_group(struct lm_group *g, MPI_Group *newgroup)
{
    *newgroup = g->handle;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Group_size(MPI_Group group, int *size)
{
    static const char fn[] = "MPI_Group_size";
    LM_API_ENTER(fn);
    struct lm_group *g;
    int rc;
    if ((rc = lm_check_group(group, &g, "group")) != LM_OK ||
        (rc = lm_check_ptr(size, "size")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *size = g->size;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Group_size)

LM_EXPORT int PMPI_Group_rank(MPI_Group group, int *rank)
{
    static const char fn[] = "MPI_Group_rank";
    LM_API_ENTER(fn);
    struct lm_group *g;
    int rc;
    if ((rc = lm_check_group(group, &g, "group")) != LM_OK ||
        (rc = lm_check_ptr(rank, "rank")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *rank = lm_group_rank_of(g, lm_my_lpid());
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Group_rank)

LM_EXPORT int PMPI_Group_translate_ranks(MPI_Group group1, int n, const int ranks1[],
                                         MPI_Group group2, int ranks2[])
{
    static const char fn[] = "MPI_Group_translate_ranks";
    LM_API_ENTER(fn);
    struct lm_group *a, *b;
    int rc;
    if ((rc = lm_check_group(group1, &a, "group1")) != LM_OK ||
        (rc = lm_check_group(group2, &b, "group2")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (n < 0)
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: n = %d is negative", n);
    else if (n > 0 && (!ranks1 || !ranks2))
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: ranks1 or ranks2 is NULL with "
                           "n = %d", n);
    if (rc == LM_OK) {
        lm_lock();
        rc = lm_group_translate(a, n, ranks1, b, ranks2);
        lm_unlock();
    }
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Group_translate_ranks)

LM_EXPORT int PMPI_Group_compare(MPI_Group group1, MPI_Group group2, int *result)
{
    static const char fn[] = "MPI_Group_compare";
    LM_API_ENTER(fn);
    struct lm_group *a, *b;
    int rc;
    if ((rc = lm_check_group(group1, &a, "group1")) != LM_OK ||
        (rc = lm_check_group(group2, &b, "group2")) != LM_OK ||
        (rc = lm_check_ptr(result, "result")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    *result = lm_group_compare(a, b);
    lm_unlock();
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Group_compare)

typedef int (*setop_fn)(const struct lm_group *, const struct lm_group *, struct lm_group **);

static int setop(MPI_Group group1, MPI_Group group2, MPI_Group *newgroup, setop_fn op,
                 const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_group *a, *b, *g;
    int rc;
    if ((rc = lm_check_group(group1, &a, "group1")) != LM_OK ||
        (rc = lm_check_group(group2, &b, "group2")) != LM_OK ||
        (rc = lm_check_ptr(newgroup, "newgroup")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = op(a, b, &g);
    lm_unlock();
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : out_group(g, newgroup);
}

LM_EXPORT int PMPI_Group_union(MPI_Group group1, MPI_Group group2, MPI_Group *newgroup)
{
    return setop(group1, group2, newgroup, lm_group_union, "MPI_Group_union");
}
LM_WEAK_ALIAS(Group_union)

LM_EXPORT int PMPI_Group_intersection(MPI_Group group1, MPI_Group group2, MPI_Group *newgroup)
{
    return setop(group1, group2, newgroup, lm_group_intersection, "MPI_Group_intersection");
}
LM_WEAK_ALIAS(Group_intersection)

LM_EXPORT int PMPI_Group_difference(MPI_Group group1, MPI_Group group2, MPI_Group *newgroup)
{
    return setop(group1, group2, newgroup, lm_group_difference, "MPI_Group_difference");
}
LM_WEAK_ALIAS(Group_difference)

static int incl_excl(MPI_Group group, int n, const int ranks[], MPI_Group *newgroup, bool incl,
                     const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_group *g, *out;
    int rc;
    if ((rc = lm_check_group(group, &g, "group")) != LM_OK ||
        (rc = lm_check_ptr(newgroup, "newgroup")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (n < 0)
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: n = %d is negative", n);
    else if (n > 0 && !ranks)
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: ranks is NULL with n = %d", n);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = incl ? lm_group_incl(g, n, ranks, &out) : lm_group_excl(g, n, ranks, &out);
    lm_unlock();
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : out_group(out, newgroup);
}

LM_EXPORT int PMPI_Group_incl(MPI_Group group, int n, const int ranks[], MPI_Group *newgroup)
{
    return incl_excl(group, n, ranks, newgroup, true, "MPI_Group_incl");
}
LM_WEAK_ALIAS(Group_incl)

LM_EXPORT int PMPI_Group_excl(MPI_Group group, int n, const int ranks[], MPI_Group *newgroup)
{
    return incl_excl(group, n, ranks, newgroup, false, "MPI_Group_excl");
}
LM_WEAK_ALIAS(Group_excl)

static int range(MPI_Group group, int n, int ranges[][3], MPI_Group *newgroup, bool incl,
                 const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_group *g, *out;
    int rc;
    if ((rc = lm_check_group(group, &g, "group")) != LM_OK ||
        (rc = lm_check_ptr(newgroup, "newgroup")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (n < 0)
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: n = %d is negative", n);
    else if (n > 0 && !ranges)
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: ranges is NULL with n = %d", n);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = lm_group_range(g, n, (const int(*)[3])ranges, incl, &out);
    lm_unlock();
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : out_group(out, newgroup);
}

LM_EXPORT int PMPI_Group_range_incl(MPI_Group group, int n, int ranges[][3],
                                    MPI_Group *newgroup)
{
    return range(group, n, ranges, newgroup, true, "MPI_Group_range_incl");
}
LM_WEAK_ALIAS(Group_range_incl)

LM_EXPORT int PMPI_Group_range_excl(MPI_Group group, int n, int ranges[][3],
                                    MPI_Group *newgroup)
{
    return range(group, n, ranges, newgroup, false, "MPI_Group_range_excl");
}
LM_WEAK_ALIAS(Group_range_excl)

LM_EXPORT int PMPI_Group_free(MPI_Group *group)
{
    static const char fn[] = "MPI_Group_free";
    LM_API_ENTER(fn);
    struct lm_group *g;
    int rc;
    if ((rc = lm_check_ptr(group, "group")) != LM_OK ||
        (rc = lm_check_group(*group, &g, "*group")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    /* MPI_GROUP_EMPTY is returned by group calls, so freeing it is fine (a no-op). */
    lm_lock();
    lm_group_release(g);
    lm_unlock();
    *group = MPI_GROUP_NULL;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Group_free)

LM_EXPORT int PMPI_Comm_group(MPI_Comm comm, MPI_Group *group)
{
    static const char fn[] = "MPI_Comm_group";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    if ((rc = lm_check_comm(comm, &c, "comm")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_ptr(group, "group")) != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    lm_group_retain(c->group);
    lm_unlock();
    return out_group(c->group, group);
}
LM_WEAK_ALIAS(Comm_group)

LM_EXPORT int PMPI_Comm_remote_group(MPI_Comm comm, MPI_Group *group)
{
    static const char fn[] = "MPI_Comm_remote_group";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    if ((rc = lm_check_comm(comm, &c, "comm")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!c->inter)
        rc = lm_err_detail(MPI_ERR_COMM, "invalid communicator: comm is an intracommunicator "
                           "(MPI_Comm_remote_group needs an intercommunicator)");
    else
        rc = lm_check_ptr(group, "group");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    lm_group_retain(c->remote_group);
    lm_unlock();
    return out_group(c->remote_group, group);
}
LM_WEAK_ALIAS(Comm_remote_group)
