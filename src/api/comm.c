/* comm.c - communicator calls: size/rank, the constructors (dup, idup, split, split_type,
 * create, create_group, intercomm create/merge), free, compare, info, names and the
 * intercommunicator queries.
 *
 * Constructors run under the library lock (their agreement sleeps with it released);
 * attribute copying (MPI_Comm_dup) and deletion (MPI_Comm_free) run user callbacks and so
 * happen outside it. A constructor that gives this process no communicator returns
 * MPI_COMM_NULL. MPI_Comm_idup agrees on its context id before returning, so its request
 * is complete at once; MPI_Wait/Test still see an ordinary request. */
#include <string.h>

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

/* Stores a constructor's result: the handle, or MPI_COMM_NULL. */
static int out_comm(struct lm_comm *c, int rc, struct lm_comm *parent, MPI_Comm *newcomm,
                    const char *fn)
{
    if (rc != LM_OK) {
        *newcomm = MPI_COMM_NULL;
        return lm_api_error(parent, rc, fn);
    }
    *newcomm = c ? c->handle : MPI_COMM_NULL;
    return MPI_SUCCESS;
}

/* Dup and dup_with_info: the collective part under the lock, then the attribute copy. */
static int dup_common(struct lm_comm *c, struct lm_info *hints, struct lm_comm **out)
{
    lm_lock();
    lm_call_enter("MPI_Comm_dup", NULL, 0, 0, c);
    int rc = lm_comm_dup(c, hints, out);
    lm_unlock();
    if (rc != LM_OK)
        return rc;
    rc = lm_attr_copy_all(LM_OBJ_COMM, (void *)c->handle, &c->attrs, (void *)(*out)->handle,
                          &(*out)->attrs);
    if (rc != LM_OK) {
        lm_lock();
        lm_comm_release(*out);
        lm_unlock();
        *out = NULL;
    }
    return rc;
}

static int check_newcomm(struct lm_comm *c, MPI_Comm *newcomm, const char *fn, int *rc)
{
    *rc = lm_check_ptr(newcomm, "newcomm");
    if (*rc != LM_OK)
        *rc = lm_api_error(c, *rc, fn);
    return *rc == LM_OK;
}

LM_EXPORT int PMPI_Comm_dup(MPI_Comm comm, MPI_Comm *newcomm)
{
    static const char fn[] = "MPI_Comm_dup";
    LM_API_ENTER(fn);
    struct lm_comm *c, *n = NULL;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!check_newcomm(c, newcomm, fn, &rc))
        return rc;
    rc = dup_common(c, c->info, &n);
    return out_comm(n, rc, c, newcomm, fn);
}
LM_WEAK_ALIAS(Comm_dup)

LM_EXPORT int PMPI_Comm_dup_with_info(MPI_Comm comm, MPI_Info info, MPI_Comm *newcomm)
{
    static const char fn[] = "MPI_Comm_dup_with_info";
    LM_API_ENTER(fn);
    struct lm_comm *c, *n = NULL;
    struct lm_info *hints;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_info(info, &hints, true, "info")) != LM_OK)
        return lm_api_error(c, rc, fn);
    if (!check_newcomm(c, newcomm, fn, &rc))
        return rc;
    rc = dup_common(c, hints, &n);
    return out_comm(n, rc, c, newcomm, fn);
}
LM_WEAK_ALIAS(Comm_dup_with_info)

static int idup_common(MPI_Comm comm, MPI_Info info, bool with_info, MPI_Comm *newcomm,
                       MPI_Request *request, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_comm *c, *n = NULL;
    struct lm_info *hints = NULL;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (with_info && (rc = lm_check_info(info, &hints, true, "info")) != LM_OK)
        return lm_api_error(c, rc, fn);
    if (!check_newcomm(c, newcomm, fn, &rc))
        return rc;
    if ((rc = lm_check_ptr(request, "request")) != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    struct lm_request *req = lm_request_alloc(LM_REQ_COMM);
    lm_unlock();
    if (!req)
        return lm_api_error(c, lm_err_detail(MPI_ERR_NO_MEM, "out of memory allocating a "
                            "request"), fn);
    rc = dup_common(c, with_info ? hints : c->info, &n);
    if (rc != LM_OK) {
        lm_lock();
        lm_request_release(req);
        lm_unlock();
        *request = MPI_REQUEST_NULL;
        return out_comm(NULL, rc, c, newcomm, fn);
    }
    /* Complete already; the status is the empty one. */
    req->status.source = MPI_ANY_SOURCE;
    req->status.tag = MPI_ANY_TAG;
    req->complete = true;
    *request = (MPI_Request)req;
    *newcomm = n->handle;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Comm_idup(MPI_Comm comm, MPI_Comm *newcomm, MPI_Request *request)
{
    return idup_common(comm, MPI_INFO_NULL, false, newcomm, request, "MPI_Comm_idup");
}
LM_WEAK_ALIAS(Comm_idup)

LM_EXPORT int PMPI_Comm_idup_with_info(MPI_Comm comm, MPI_Info info, MPI_Comm *newcomm,
                                       MPI_Request *request)
{
    return idup_common(comm, info, true, newcomm, request, "MPI_Comm_idup_with_info");
}
LM_WEAK_ALIAS(Comm_idup_with_info)

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
        return lm_api_error(c, lm_err_detail(MPI_ERR_COMM, "invalid communicator: cannot free "
                            "%s", c->name), fn);
    /* Pending operations hold references; the context id is released with the last one. */
    if ((rc = lm_comm_free(c)) != LM_OK)
        return lm_api_error(c, rc, fn);
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
    lm_lock();
    *result = lm_comm_compare(a, b);
    lm_unlock();
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_compare)

LM_EXPORT int PMPI_Comm_split(MPI_Comm comm, int color, int key, MPI_Comm *newcomm)
{
    static const char fn[] = "MPI_Comm_split";
    LM_API_ENTER(fn);
    struct lm_comm *c, *n = NULL;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!check_newcomm(c, newcomm, fn, &rc))
        return rc;
    if (color < 0 && color != MPI_UNDEFINED)
        return lm_api_error(c, lm_err_detail(MPI_ERR_ARG, "invalid argument: color = %d (must "
                            "be non-negative or MPI_UNDEFINED)", color), fn);
    lm_lock();
    rc = lm_comm_split(c, color, key, &n);
    lm_unlock();
    return out_comm(n, rc, c, newcomm, fn);
}
LM_WEAK_ALIAS(Comm_split)

LM_EXPORT int PMPI_Comm_split_type(MPI_Comm comm, int split_type, int key, MPI_Info info,
                                   MPI_Comm *newcomm)
{
    static const char fn[] = "MPI_Comm_split_type";
    LM_API_ENTER(fn);
    struct lm_comm *c, *n = NULL;
    struct lm_info *hints;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_info(info, &hints, true, "info")) != LM_OK)
        return lm_api_error(c, rc, fn);
    if (!check_newcomm(c, newcomm, fn, &rc))
        return rc;
    lm_lock();
    rc = lm_comm_split_type(c, split_type, key, hints, &n);
    lm_unlock();
    return out_comm(n, rc, c, newcomm, fn);
}
LM_WEAK_ALIAS(Comm_split_type)

LM_EXPORT int PMPI_Comm_create(MPI_Comm comm, MPI_Group group, MPI_Comm *newcomm)
{
    static const char fn[] = "MPI_Comm_create";
    LM_API_ENTER(fn);
    struct lm_comm *c, *n = NULL;
    struct lm_group *g;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_group(group, &g, "group")) != LM_OK)
        return lm_api_error(c, rc, fn);
    if (!check_newcomm(c, newcomm, fn, &rc))
        return rc;
    lm_lock();
    rc = lm_comm_create(c, g, &n);
    lm_unlock();
    return out_comm(n, rc, c, newcomm, fn);
}
LM_WEAK_ALIAS(Comm_create)

LM_EXPORT int PMPI_Comm_create_group(MPI_Comm comm, MPI_Group group, int tag,
                                     MPI_Comm *newcomm)
{
    static const char fn[] = "MPI_Comm_create_group";
    LM_API_ENTER(fn);
    struct lm_comm *c, *n = NULL;
    struct lm_group *g;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_intra(c, "comm")) != LM_OK ||
        (rc = lm_check_group(group, &g, "group")) != LM_OK ||
        (rc = lm_check_tag(tag, false, "tag")) != LM_OK)
        return lm_api_error(c, rc, fn);
    if (!check_newcomm(c, newcomm, fn, &rc))
        return rc;
    lm_lock();
    rc = lm_comm_create_group(c, g, tag, &n);
    lm_unlock();
    return out_comm(n, rc, c, newcomm, fn);
}
LM_WEAK_ALIAS(Comm_create_group)

LM_EXPORT int PMPI_Intercomm_create(MPI_Comm local_comm, int local_leader, MPI_Comm peer_comm,
                                    int remote_leader, int tag, MPI_Comm *newintercomm)
{
    static const char fn[] = "MPI_Intercomm_create";
    LM_API_ENTER(fn);
    struct lm_comm *lc, *pc = NULL, *n = NULL;
    int rc = lm_check_comm(local_comm, &lc, "local_comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_intra(lc, "local_comm")) != LM_OK ||
        (rc = lm_check_ptr(newintercomm, "newintercomm")) != LM_OK)
        return lm_api_error(lc, rc, fn);
    if (local_leader < 0 || local_leader >= lc->size)
        return lm_api_error(lc, lm_err_detail(MPI_ERR_RANK, "invalid rank: local_leader = %d, "
                            "but local_comm has %d rank%s", local_leader, lc->size,
                            lc->size == 1 ? "" : "s"), fn);
    /* peer_comm, remote_leader and tag matter at the local leader only. */
    if (lc->rank == local_leader) {
        if ((rc = lm_check_comm(peer_comm, &pc, "peer_comm")) != LM_OK ||
            (rc = lm_check_tag(tag, false, "tag")) != LM_OK)
            return lm_api_error(lc, rc, fn);
        if (remote_leader < 0 || remote_leader >= pc->remote_size)
            return lm_api_error(lc, lm_err_detail(MPI_ERR_RANK, "invalid rank: remote_leader "
                                "= %d, but peer_comm has %d rank%s", remote_leader,
                                pc->remote_size, pc->remote_size == 1 ? "" : "s"), fn);
        if (!pc->inter && remote_leader == pc->rank)
            return lm_api_error(lc, lm_err_detail(MPI_ERR_RANK, "invalid rank: remote_leader "
                                "= %d is the local leader itself in peer_comm", remote_leader),
                                fn);
    }
    lm_lock();
    rc = lm_intercomm_create(lc, local_leader, pc, remote_leader, tag, &n);
    lm_unlock();
    return out_comm(n, rc, lc, newintercomm, fn);
}
LM_WEAK_ALIAS(Intercomm_create)

LM_EXPORT int PMPI_Intercomm_merge(MPI_Comm intercomm, int high, MPI_Comm *newintracomm)
{
    static const char fn[] = "MPI_Intercomm_merge";
    LM_API_ENTER(fn);
    struct lm_comm *c, *n = NULL;
    int rc = lm_check_comm(intercomm, &c, "intercomm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!c->inter)
        rc = lm_err_detail(MPI_ERR_COMM, "invalid communicator: intercomm is an "
                           "intracommunicator");
    else
        rc = lm_check_ptr(newintracomm, "newintracomm");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    rc = lm_intercomm_merge(c, high != 0, &n);
    lm_unlock();
    return out_comm(n, rc, c, newintracomm, fn);
}
LM_WEAK_ALIAS(Intercomm_merge)

LM_EXPORT int PMPI_Comm_test_inter(MPI_Comm comm, int *flag)
{
    static const char fn[] = "MPI_Comm_test_inter";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_ptr(flag, "flag")) != LM_OK)
        return lm_api_error(c, rc, fn);
    *flag = c->inter;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_test_inter)

LM_EXPORT int PMPI_Comm_remote_size(MPI_Comm comm, int *size)
{
    static const char fn[] = "MPI_Comm_remote_size";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (!c->inter)
        rc = lm_err_detail(MPI_ERR_COMM, "invalid communicator: comm is an intracommunicator "
                           "(MPI_Comm_remote_size needs an intercommunicator)");
    else
        rc = lm_check_ptr(size, "size");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    *size = c->remote_size;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_remote_size)

LM_EXPORT int PMPI_Comm_set_info(MPI_Comm comm, MPI_Info info)
{
    static const char fn[] = "MPI_Comm_set_info";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_info *i;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_info(info, &i, true, "info")) != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    rc = lm_comm_set_info(c, i);
    lm_unlock();
    return lm_api_error(c, rc, fn);
}
LM_WEAK_ALIAS(Comm_set_info)

LM_EXPORT int PMPI_Comm_get_info(MPI_Comm comm, MPI_Info *info_used)
{
    static const char fn[] = "MPI_Comm_get_info";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_info *i;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_ptr(info_used, "info_used")) != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    rc = c->info ? lm_info_dup(c->info, &i) : lm_info_create(&i);
    lm_unlock();
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    *info_used = i->handle;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_get_info)

LM_EXPORT int PMPI_Comm_set_name(MPI_Comm comm, const char *comm_name)
{
    static const char fn[] = "MPI_Comm_set_name";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_ptr(comm_name, "comm_name")) != LM_OK)
        return lm_api_error(c, rc, fn);
    /* Longer names are truncated to MPI_MAX_OBJECT_NAME - 1 characters (MPI allows it). */
    lm_lock();
    size_t n = strnlen(comm_name, sizeof c->name - 1);
    memcpy(c->name, comm_name, n);
    c->name[n] = '\0';
    lm_unlock();
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_set_name)

LM_EXPORT int PMPI_Comm_get_name(MPI_Comm comm, char *comm_name, int *resultlen)
{
    static const char fn[] = "MPI_Comm_get_name";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_ptr(comm_name, "comm_name")) != LM_OK ||
        (rc = lm_check_ptr(resultlen, "resultlen")) != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    size_t n = strlen(c->name);
    memcpy(comm_name, c->name, n + 1);
    lm_unlock();
    *resultlen = (int)n;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_get_name)
