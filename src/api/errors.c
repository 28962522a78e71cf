/* errors.c - error dispatch and the error-reporting calls (MPI_Error_string/class,
 * MPI_Comm_set/get_errhandler, MPI_Errhandler_free). */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/errclass.h"

static void __attribute__((noreturn)) fatal(const char *call, int code, const char *how)
{
    int cls = lm_err_class_of(code);
    const char *text = lm_err_string(code);
    char msg[MPI_MAX_ERROR_STRING + 256];
    snprintf(msg, sizeof msg, "%s: %s [%s]", call, text ? text : "unknown error",
             cls >= 0 ? lm_errclass_name(cls) : "?");
    fprintf(stderr, "litempi: rank %d: %s (%s)\n", lm_proc.rank, msg, how);
    lm_core_abort(cls > 0 ? cls : 1, msg);
}

int lm_api_error(struct lm_comm *comm, int code, const char *call)
{
    return lm_api_error_errh(comm ? comm->errh : NULL, code, call);
}

int lm_api_error_errh(struct lm_errhandler *e, int code, const char *call)
{
    if (code == LM_OK)
        return MPI_SUCCESS;
    if (!e)
        e = lm_proc.self.errh;
    if (!e)
        e = &lm_proc.errh_fatal;
    switch (e->kind) {
    case LM_ERRH_RETURN:
        return code;
    case LM_ERRH_ABORT:
        fatal(call, code, "MPI_ERRORS_ABORT");
    case LM_ERRH_FATAL:
    default:
        fatal(call, code, "MPI_ERRORS_ARE_FATAL");
    }
    return code;
}

int lm_api_not_ready(const char *call)
{
    const char *when = lm_proc.finalized ? "after MPI_Finalize" : "before MPI_Init";
    fprintf(stderr, "litempi: %s called %s [MPI_ERR_OTHER]\n", call, when);
    lm_core_abort(MPI_ERR_OTHER, "MPI called outside MPI_Init/MPI_Finalize");
}

int lm_check_errhandler(MPI_Errhandler h, struct lm_errhandler **out, const char *arg)
{
    if (h == MPI_ERRORS_ARE_FATAL)
        *out = &lm_proc.errh_fatal;
    else if (h == MPI_ERRORS_RETURN)
        *out = &lm_proc.errh_return;
    else if (h == MPI_ERRORS_ABORT)
        *out = &lm_proc.errh_abort;
    else if (!lm_is_builtin(h) && ((struct lm_errhandler *)h)->magic == LM_MAGIC_ERRH)
        *out = (struct lm_errhandler *)h;
    else
        return lm_err_detail(MPI_ERR_ARG, "invalid error handler: %s = %p", arg, (void *)h);
    return LM_OK;
}

LM_EXPORT int PMPI_Error_string(int errorcode, char *string, int *resultlen)
{
    const char *text = lm_err_string(errorcode);
    if (!string || !resultlen)
        return MPI_ERR_ARG;
    if (!text) {
        snprintf(string, MPI_MAX_ERROR_STRING, "unknown error code %d", errorcode);
        *resultlen = (int)strlen(string);
        return MPI_ERR_ARG;
    }
    int cls = lm_err_class_of(errorcode);
    snprintf(string, MPI_MAX_ERROR_STRING, "%s: %s", lm_errclass_name(cls), text);
    *resultlen = (int)strlen(string);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Error_string)

LM_EXPORT int PMPI_Error_class(int errorcode, int *errorclass)
{
    int cls = lm_err_class_of(errorcode);
    if (!errorclass)
        return MPI_ERR_ARG;
    if (cls < 0)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "MPI_Error_class: %d is not an "
                            "error code", errorcode), "MPI_Error_class");
    *errorclass = cls;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Error_class)

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
    lm_lock();
    e->refcount++;
    c->errh->refcount--;
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
    if (!errhandler)
        return lm_api_error(c, lm_err_detail(MPI_ERR_ARG, "errhandler is NULL"), fn);
    lm_lock();
    c->errh->refcount++;
    *errhandler = c->errh->handle;
    lm_unlock();
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Comm_get_errhandler)

LM_EXPORT int PMPI_Errhandler_free(MPI_Errhandler *errhandler)
{
    static const char fn[] = "MPI_Errhandler_free";
    LM_API_ENTER(fn);
    struct lm_errhandler *e = NULL;
    int rc;
    if (!errhandler)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "errhandler is NULL"), fn);
    if ((rc = lm_check_errhandler(*errhandler, &e, "*errhandler")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    if (e->refcount > 1)
        e->refcount--;
    lm_unlock();
    *errhandler = MPI_ERRHANDLER_NULL;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Errhandler_free)
