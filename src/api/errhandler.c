/* errhandler.c - error handler calls: MPI_Comm_create_errhandler, MPI_Comm_set/
 * get_errhandler, MPI_Comm_call_errhandler and MPI_Errhandler_free.
 *
 * Handlers are reference counted (core/errhandler.c): every communicator using one holds a
 * reference, MPI_Comm_get_errhandler returns a new one the caller must free, and
 * MPI_Errhandler_free drops the caller's. Freeing a predefined handler is allowed (MPI-4:
 * what get returned must be freed) and does nothing. */
#include "api/api.h"

LM_EXPORT int PMPI_Comm_create_errhandler(MPI_Comm_errhandler_function *comm_errhandler_fn,
                                          MPI_Errhandler *errhandler)
{
    static const char fn[] = "MPI_Comm_create_errhandler";
    LM_API_ENTER(fn);
    struct lm_errhandler *e;
    int rc;
    if ((rc = lm_check_ptr((const void *)comm_errhandler_fn, "comm_errhandler_fn")) != LM_OK ||
        (rc = lm_check_ptr(errhandler, "errhandler")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = lm_errh_create(LM_OBJ_COMM, (void (*)(void))comm_errhandler_fn, &e);
    lm_unlock();
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *errhandler = e->handle;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_create_errhandler)

LM_EXPORT int PMPI_Comm_set_errhandler(MPI_Comm comm, MPI_Errhandler errhandler)
{
    static const char fn[] = "MPI_Comm_set_errhandler";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_errhandler *e = NULL;
    int rc;
    if ((rc = lm_check_comm(comm, &c, "comm")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_errhandler(errhandler, &e, "errhandler")) != LM_OK)
        return lm_api_error(c, rc, fn);
    if (e->kind == LM_ERRH_USER && e->obj != LM_OBJ_COMM)
        return lm_api_error(c, lm_err_detail(MPI_ERR_ARG, "invalid error handler: "
                            "errhandler was not created by MPI_Comm_create_errhandler"), fn);
    lm_lock();
    lm_errh_retain(e);
    lm_errh_release(c->errh);
    c->errh = e;
    lm_unlock();
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_set_errhandler)

LM_EXPORT int PMPI_Comm_get_errhandler(MPI_Comm comm, MPI_Errhandler *errhandler)
{
    static const char fn[] = "MPI_Comm_get_errhandler";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    if ((rc = lm_check_comm(comm, &c, "comm")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_ptr(errhandler, "errhandler")) != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    lm_errh_retain(c->errh);
    *errhandler = c->errh->handle;
    lm_unlock();
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_get_errhandler)

LM_EXPORT int PMPI_Comm_call_errhandler(MPI_Comm comm, int errorcode)
{
    static const char fn[] = "MPI_Comm_call_errhandler";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    if ((rc = lm_check_comm(comm, &c, "comm")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    /* MPI_SUCCESS once the handler has returned (MPI_ERRORS_RETURN included). */
    lm_api_error(c, errorcode, fn);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_call_errhandler)

LM_EXPORT int PMPI_Errhandler_free(MPI_Errhandler *errhandler)
{
    static const char fn[] = "MPI_Errhandler_free";
    LM_API_ENTER(fn);
    struct lm_errhandler *e = NULL;
    int rc;
    if ((rc = lm_check_ptr(errhandler, "errhandler")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_errhandler(*errhandler, &e, "*errhandler")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    lm_errh_release(e);
    lm_unlock();
    *errhandler = MPI_ERRHANDLER_NULL;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Errhandler_free)
