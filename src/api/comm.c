/* comm.c - communicator calls of this milestone: size, rank, dup, free, compare. */
#include "api/api.h"

LM_EXPORT int PMPI_Comm_size(MPI_Comm comm, int *size)
{
    static const char fn[] = "MPI_Comm_size";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!size)
        return lm_api_error(c, lm_err_detail(MPI_ERR_ARG, "size is NULL"), fn);
    *size = c->size;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_size)

LM_EXPORT int PMPI_Comm_rank(MPI_Comm comm, int *rank)
{
    static const char fn[] = "MPI_Comm_rank";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!rank)
        return lm_api_error(c, lm_err_detail(MPI_ERR_ARG, "rank is NULL"), fn);
    *rank = c->rank;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_rank)

LM_EXPORT int PMPI_Comm_dup(MPI_Comm comm, MPI_Comm *newcomm)
{
    static const char fn[] = "MPI_Comm_dup";
    LM_API_ENTER(fn);
    struct lm_comm *c, *n;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!newcomm)
        return lm_api_error(c, lm_err_detail(MPI_ERR_ARG, "newcomm is NULL"), fn);
    lm_lock();
    lm_call_enter(fn, NULL, 0, 0, c);
    rc = lm_comm_dup(c, &n);
    lm_unlock();
    if (rc != LM_OK) {
        *newcomm = MPI_COMM_NULL;
        return lm_api_error(c, rc, fn);
    }
    *newcomm = n->handle;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_dup)

LM_EXPORT int PMPI_Comm_free(MPI_Comm *comm)
{
    static const char fn[] = "MPI_Comm_free";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    if (!comm)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "comm is NULL"), fn);
    int rc = lm_check_comm(*comm, &c, "*comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (c == &lm_proc.world || c == &lm_proc.self)
        return lm_api_error(c, lm_err_detail(MPI_ERR_COMM, "cannot free %s", c->name), fn);
    lm_lock();
    /* Pending operations hold references; the context id is released with the last one. */
    lm_comm_release(c);
    lm_unlock();
    *comm = MPI_COMM_NULL;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_free)

LM_EXPORT int PMPI_Comm_compare(MPI_Comm comm1, MPI_Comm comm2, int *result)
{
    static const char fn[] = "MPI_Comm_compare";
    LM_API_ENTER(fn);
    struct lm_comm *a, *b;
    int rc;
    if ((rc = lm_check_comm(comm1, &a, "comm1")) != LM_OK ||
        (rc = lm_check_comm(comm2, &b, "comm2")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!result)
        return lm_api_error(a, lm_err_detail(MPI_ERR_ARG, "result is NULL"), fn);
    if (a == b) {
        *result = MPI_IDENT;
        return MPI_SUCCESS;
    }
    if (a->group->size != b->group->size) {
        *result = MPI_UNEQUAL;
        return MPI_SUCCESS;
    }
    bool same_order = true, same_members = true;
    for (int i = 0; i < a->group->size && same_order; i++)
        same_order = a->group->lpids[i] == b->group->lpids[i];
    if (!same_order) {
        for (int i = 0; i < a->group->size && same_members; i++) {
            bool found = false;
            for (int j = 0; j < b->group->size && !found; j++)
                found = a->group->lpids[i] == b->group->lpids[j];
            same_members = found;
        }
    }
    *result = same_order ? MPI_CONGRUENT : same_members ? MPI_SIMILAR : MPI_UNEQUAL;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_compare)
