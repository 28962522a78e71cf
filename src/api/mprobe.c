/* mprobe.c - matched probe and receive: MPI_Mprobe, MPI_Improbe, MPI_Mrecv, MPI_Imrecv.
 *
 * A matched probe takes the message out of the matching queue (no other receive or probe
 * can see it any more) and hands it over as an MPI_Message; MPI_Mrecv/Imrecv receive it and
 * set the handle to MPI_MESSAGE_NULL. A probe with source MPI_PROC_NULL returns
 * MPI_MESSAGE_NO_PROC, whose receive completes at once with the MPI_PROC_NULL status. */
#include "api/api.h"

static int check_probe(int source, int tag, MPI_Comm comm, struct lm_comm **c)
{
    int rc;
    if ((rc = lm_check_comm(comm, c, "comm")) != LM_OK)
        return rc;
    if ((rc = lm_check_rank(*c, source, true, "source")) != LM_OK ||
        (rc = lm_check_tag(tag, true, "tag")) != LM_OK)
        return rc;
    return LM_OK;
}

static void proc_null_status(MPI_Status *status)
{
    struct lm_status st = {.source = MPI_PROC_NULL, .tag = MPI_ANY_TAG};
    lm_status_to_mpi(&st, status);
}

LM_EXPORT int PMPI_Mprobe(int source, int tag, MPI_Comm comm, MPI_Message *message,
                          MPI_Status *status)
{
    static const char fn[] = "MPI_Mprobe";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = check_probe(source, tag, comm, &c);
    if (rc == LM_OK && !message)
        rc = lm_err_detail(MPI_ERR_ARG, "message is NULL");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    if (source == MPI_PROC_NULL) {
        *message = MPI_MESSAGE_NO_PROC;
        proc_null_status(status);
        return MPI_SUCCESS;
    }
    struct lm_message *m;
    struct lm_status st;
    lm_lock();
    rc = lm_mprobe(source, tag, c, &m, &st);
    lm_unlock();
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    *message = (MPI_Message)m;
    lm_status_to_mpi(&st, status);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Mprobe)

LM_EXPORT int PMPI_Improbe(int source, int tag, MPI_Comm comm, int *flag, MPI_Message *message,
                           MPI_Status *status)
{
    static const char fn[] = "MPI_Improbe";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = check_probe(source, tag, comm, &c);
    if (rc == LM_OK && (!message || !flag))
        rc = lm_err_detail(MPI_ERR_ARG, "%s is NULL", message ? "flag" : "message");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    if (source == MPI_PROC_NULL) {
        *flag = 1;
        *message = MPI_MESSAGE_NO_PROC;
        proc_null_status(status);
        return MPI_SUCCESS;
    }
    struct lm_message *m;
    struct lm_status st;
    bool found;
    lm_lock();
    rc = lm_improbe(source, tag, c, &found, &m, &st);
    lm_unlock();
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    *flag = found;
    if (found) {
        *message = (MPI_Message)m;
        lm_status_to_mpi(&st, status);
    }
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Improbe)

/* Checks a receive from a message handle. *m is NULL for MPI_MESSAGE_NO_PROC; *c is the
 * message's communicator (for the error handler), or NULL. */
static int check_mrecv(void *buf, int count, MPI_Datatype datatype, MPI_Message *message,
                       struct lm_message **m, struct lm_comm **c, struct lm_datatype **t)
{
    *m = NULL;
    *c = NULL;
    if (!message)
        return lm_err_detail(MPI_ERR_ARG, "message is NULL");
    if (*message == MPI_MESSAGE_NULL)
        return lm_err_detail(MPI_ERR_REQUEST, "invalid message: *message is MPI_MESSAGE_NULL "
                             "(already received, or no message was matched)");
    if (*message != MPI_MESSAGE_NO_PROC) {
        if (lm_is_builtin(*message) || !lm_message_valid((struct lm_message *)*message))
            return lm_err_detail(MPI_ERR_REQUEST, "invalid message: *message = %p is not a "
                                 "matched message (from MPI_Mprobe/MPI_Improbe)",
                                 (void *)*message);
        *m = (struct lm_message *)*message;
        *c = lm_message_comm(*m);
    }
    int rc;
    if ((rc = lm_check_count(count, "count")) != LM_OK ||
        (rc = lm_check_type(datatype, t, "datatype")) != LM_OK ||
        (rc = lm_check_buf(buf, count, *t, "buf")) != LM_OK)
        return rc;
    return LM_OK;
}

LM_EXPORT int PMPI_Mrecv(void *buf, int count, MPI_Datatype datatype, MPI_Message *message,
                         MPI_Status *status)
{
    static const char fn[] = "MPI_Mrecv";
    LM_API_ENTER(fn);
    struct lm_message *m;
    struct lm_comm *c;
    struct lm_datatype *t;
    int rc = check_mrecv(buf, count, datatype, message, &m, &c, &t);
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    *message = MPI_MESSAGE_NULL;
    if (!m) {
        proc_null_status(status);
        return MPI_SUCCESS;
    }
    struct lm_errhandler *e = c->errh;
    struct lm_request *req;
    struct lm_status st = {0};
    lm_lock();
    rc = lm_imrecv(buf, (size_t)count, t, m, &req);
    if (req)
        rc = lm_wait(req, &st);
    lm_unlock();
    if (rc == LM_OK || lm_err_class_of(rc) == MPI_ERR_TRUNCATE)
        lm_status_to_mpi(&st, status);
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error_errh(e, rc, fn);
}
LM_WEAK_ALIAS(Mrecv)

LM_EXPORT int PMPI_Imrecv(void *buf, int count, MPI_Datatype datatype, MPI_Message *message,
                          MPI_Request *request)
{
    static const char fn[] = "MPI_Imrecv";
    LM_API_ENTER(fn);
    struct lm_message *m;
    struct lm_comm *c;
    struct lm_datatype *t;
    int rc = check_mrecv(buf, count, datatype, message, &m, &c, &t);
    if (rc == LM_OK && !request)
        rc = lm_err_detail(MPI_ERR_ARG, "request is NULL");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    struct lm_errhandler *e = c ? c->errh : NULL;
    struct lm_request *req = NULL;
    *message = MPI_MESSAGE_NULL;
    lm_lock();
    if (m) {
        rc = lm_imrecv(buf, (size_t)count, t, m, &req);
    } else if ((req = lm_request_alloc(LM_REQ_RECV)) != NULL) {
        req->complete = true;
        req->status = (struct lm_status){.source = MPI_PROC_NULL, .tag = MPI_ANY_TAG};
    } else {
        rc = lm_err_detail(MPI_ERR_NO_MEM, "out of memory allocating a request");
    }
    lm_unlock();
    *request = req ? (MPI_Request)req : MPI_REQUEST_NULL;
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error_errh(e, rc, fn);
}
LM_WEAK_ALIAS(Imrecv)
