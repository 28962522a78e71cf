/* errors.c - error dispatch, and the error code calls: MPI_Error_string/class and user
 * error classes, codes and strings (MPI_Add_error_*, MPI-4.1 MPI_Remove_error_*).
 *
 * Dispatch applies the error handler of the object involved: MPI_ERRORS_RETURN hands the
 * code back, a user handler is called with the object's handle and the code (with the
 * library lock released), and the fatal ones print one line naming the rank, the call, the
 * message and the class, then end the job through the process manager. MPI_ERRORS_ABORT
 * should abort only the processes of the communicator; with one job (no dynamic processes
 * yet) that is the whole job, and the message says so. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/errclass.h"

static void __attribute__((noreturn)) fatal(const char *call, int code, const char *how,
                                            const char *what)
{
    int cls = lm_err_class_of(code);
    const char *text = lm_err_string(code);
    const char *name = cls >= 0 ? lm_errclass_name(cls) : NULL;
    char msg[MPI_MAX_ERROR_STRING + 512], clsbuf[32];
    if (!name) {
        snprintf(clsbuf, sizeof clsbuf, cls >= 0 ? "user error class %d" : "?", cls);
        name = clsbuf;
    }
    snprintf(msg, sizeof msg, "%s: %s [%s]", call, text && *text ? text : "unknown error",
             name);
    fprintf(stderr, "litempi: rank %d: %s (%s%s%s)\n", lm_proc.rank, msg, how,
            what ? " on " : "", what ? what : "");
    /* Exit statuses are 8 bits: user classes (above 255) become 1. */
    lm_core_abort(cls > 0 && cls < 256 ? cls : 1, msg);
}

/* Calls a user handler with its object kind's handle type; returns the code. */
static int call_user(struct lm_errhandler *e, void *handle, int code)
{
    int c = code;
    switch (e->obj) {
    case LM_OBJ_COMM: {
        MPI_Comm h = (MPI_Comm)handle;
        ((MPI_Comm_errhandler_function *)e->fn)(&h, &c);
        break;
    }
    case LM_OBJ_WIN: {
        MPI_Win h = (MPI_Win)handle;
        ((MPI_Win_errhandler_function *)e->fn)(&h, &c);
        break;
    }
    case LM_OBJ_FILE: {
        MPI_File h = (MPI_File)handle;
        ((MPI_File_errhandler_function *)e->fn)(&h, &c);
        break;
    }
    case LM_OBJ_SESSION: {
        MPI_Session h = (MPI_Session)handle;
        ((MPI_Session_errhandler_function *)e->fn)(&h, &c);
        break;
    }
    default:
        break;
    }
    return code;
}

int lm_api_error_obj(struct lm_errhandler *e, void *handle, const char *what, int code,
                     const char *call)
{
    if (code == LM_OK)
        return MPI_SUCCESS;
    if (!e)
        e = &lm_proc.errh_fatal;
    switch (e->kind) {
    case LM_ERRH_RETURN:
        return code;
    case LM_ERRH_USER:
        return call_user(e, handle, code);
    case LM_ERRH_ABORT:
        fatal(call, code, "MPI_ERRORS_ABORT", what);
    case LM_ERRH_FATAL:
    default:
        fatal(call, code, "MPI_ERRORS_ARE_FATAL", what);
    }
    return code;
}

int lm_api_error(struct lm_comm *comm, int code, const char *call)
{
    if (code == LM_OK)
        return MPI_SUCCESS;
    if (!comm)
        comm = &lm_proc.self;
    struct lm_errhandler *e = comm->errh;
    char what[MPI_MAX_OBJECT_NAME + 160];
    const char *w = NULL;
    if (e && (e->kind == LM_ERRH_FATAL || e->kind == LM_ERRH_ABORT)) {
        /* Name the communicator; for MPI_ERRORS_ABORT say that the whole job ends. */
        int n = snprintf(what, sizeof what, "%s", comm->name[0] ? comm->name
                         : comm->inter ? "an intercommunicator" : "a communicator");
        bool partial = comm->inter || comm->size < lm_proc.size;
        if (e->kind == LM_ERRH_ABORT && partial && n > 0 && (size_t)n < sizeof what)
            snprintf(what + n, sizeof what - (size_t)n, " of %d process%s: LiteMPI cannot "
                     "abort only those, so it ends the whole job", comm->size,
                     comm->size == 1 ? "" : "es");
        w = what;
    }
    return lm_api_error_obj(e, (void *)comm->handle, w, code, call);
}

int lm_api_error_put(struct lm_comm *comm, int code, const char *call)
{
    int rc = lm_api_error(comm, code, call);
    if (comm) {
        lm_lock();
        lm_comm_release(comm);
        lm_unlock();
    }
    return rc;
}

int lm_api_error_errh(struct lm_errhandler *e, int code, const char *call)
{
    void *null = NULL;
    if (e && e->kind == LM_ERRH_USER) {
        switch (e->obj) {
        case LM_OBJ_COMM: null = (void *)MPI_COMM_NULL; break;
        case LM_OBJ_WIN: null = (void *)MPI_WIN_NULL; break;
        case LM_OBJ_FILE: null = (void *)MPI_FILE_NULL; break;
        case LM_OBJ_SESSION: null = (void *)MPI_SESSION_NULL; break;
        default: break;
        }
    }
    return lm_api_error_obj(e ? e : lm_proc.self.errh, null, NULL, code, call);
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
    else if (h == MPI_ERRHANDLER_NULL)
        return lm_err_detail(MPI_ERR_ARG, "invalid error handler: %s is MPI_ERRHANDLER_NULL",
                             arg);
    else
        return lm_err_detail(MPI_ERR_ARG, "invalid error handler: %s = %p is not an error "
                             "handler (freed, or never created)", arg, (void *)h);
    return LM_OK;
}

LM_EXPORT int PMPI_Error_string(int errorcode, char *string, int *resultlen)
{
    if (!string || !resultlen)
        return MPI_ERR_ARG;
    lm_lock();
    const char *text = lm_err_string(errorcode);
    if (text && errorcode > MPI_ERR_LASTCODE) {
        /* A user string can be replaced at any time: copy it under the lock. */
        snprintf(string, MPI_MAX_ERROR_STRING, "%s", text);
        lm_unlock();
        *resultlen = (int)strlen(string);
        return MPI_SUCCESS;
    }
    lm_unlock();
    if (!text) {
        snprintf(string, MPI_MAX_ERROR_STRING, "unknown error code %d", errorcode);
        *resultlen = (int)strlen(string);
        return MPI_ERR_ARG;
    }
    /* Predefined classes prefix their name; user codes are exactly the user's string. */
    const char *name = lm_errclass_name(lm_err_class_of(errorcode));
    if (name && errorcode <= MPI_ERR_LASTCODE)
        snprintf(string, MPI_MAX_ERROR_STRING, "%s: %s", name, text);
    else
        snprintf(string, MPI_MAX_ERROR_STRING, "%s", text);
    *resultlen = (int)strlen(string);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Error_string)

LM_EXPORT int PMPI_Error_class(int errorcode, int *errorclass)
{
    lm_lock();
    int cls = lm_err_class_of(errorcode);
    lm_unlock();
    if (!errorclass)
        return MPI_ERR_ARG;
    if (cls < 0)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "MPI_Error_class: %d is not an "
                            "error code", errorcode), "MPI_Error_class");
    *errorclass = cls;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Error_class)


/* ---- user error classes, codes and strings ---------------------------------------------- */

LM_EXPORT int PMPI_Add_error_class(int *errorclass)
{
    static const char fn[] = "MPI_Add_error_class";
    LM_API_ENTER(fn);
    int rc = lm_check_ptr(errorclass, "errorclass");
    if (rc == LM_OK) {
        lm_lock();
        rc = lm_err_add_class(errorclass);
        lm_unlock();
    }
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Add_error_class)

LM_EXPORT int PMPI_Add_error_code(int errorclass, int *errorcode)
{
    static const char fn[] = "MPI_Add_error_code";
    LM_API_ENTER(fn);
    int rc = lm_check_ptr(errorcode, "errorcode");
    if (rc == LM_OK) {
        lm_lock();
        rc = lm_err_add_code(errorclass, errorcode);
        lm_unlock();
    }
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Add_error_code)

LM_EXPORT int PMPI_Add_error_string(int errorcode, const char *string)
{
    static const char fn[] = "MPI_Add_error_string";
    LM_API_ENTER(fn);
    int rc = lm_check_ptr(string, "string");
    if (rc == LM_OK) {
        lm_lock();
        rc = lm_err_add_string(errorcode, string);
        lm_unlock();
    }
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Add_error_string)

LM_EXPORT int PMPI_Remove_error_class(int errorclass)
{
    static const char fn[] = "MPI_Remove_error_class";
    LM_API_ENTER(fn);
    lm_lock();
    int rc = lm_err_remove(errorclass, true);
    lm_unlock();
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Remove_error_class)

LM_EXPORT int PMPI_Remove_error_code(int errorcode)
{
    static const char fn[] = "MPI_Remove_error_code";
    LM_API_ENTER(fn);
    lm_lock();
    int rc = lm_err_remove(errorcode, false);
    lm_unlock();
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Remove_error_code)

LM_EXPORT int PMPI_Remove_error_string(int errorcode)
{
    static const char fn[] = "MPI_Remove_error_string";
    LM_API_ENTER(fn);
    lm_lock();
    int rc = lm_err_remove_string(errorcode);
    lm_unlock();
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Remove_error_string)
