/* persistent.c - persistent request creation: MPI_Send_init, MPI_Bsend_init,
 * MPI_Ssend_init, MPI_Rsend_init, MPI_Recv_init (MPI_Start/Startall live with the other
 * request calls in request.c). The arguments are checked once, here; each start reuses
 * them. */
#include "api/api.h"

static int send_init(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
                     MPI_Comm comm, MPI_Request *request, int mode, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *t;
    int rc = lm_check_msg(buf, count, datatype, dest, false, tag, false, comm, &c, &t, "dest");
    if (rc == LM_OK && !request)
        rc = lm_err_detail(MPI_ERR_ARG, "request is NULL");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    struct lm_request *req;
    lm_lock();
    rc = lm_send_init(buf, (size_t)count, t, dest, tag, c, mode, &req);
    lm_unlock();
    *request = rc == LM_OK ? (MPI_Request)req : MPI_REQUEST_NULL;
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(c, rc, fn);
}

LM_EXPORT int PMPI_Send_init(const void *buf, int count, MPI_Datatype datatype, int dest,
                             int tag, MPI_Comm comm, MPI_Request *request)
{
    return send_init(buf, count, datatype, dest, tag, comm, request, LM_MODE_STANDARD,
                     "MPI_Send_init");
}
LM_WEAK_ALIAS(Send_init)

LM_EXPORT int PMPI_Bsend_init(const void *buf, int count, MPI_Datatype datatype, int dest,
                              int tag, MPI_Comm comm, MPI_Request *request)
{
    return send_init(buf, count, datatype, dest, tag, comm, request, LM_MODE_BUFFERED,
                     "MPI_Bsend_init");
}
LM_WEAK_ALIAS(Bsend_init)

LM_EXPORT int PMPI_Ssend_init(const void *buf, int count, MPI_Datatype datatype, int dest,
                              int tag, MPI_Comm comm, MPI_Request *request)
{
    return send_init(buf, count, datatype, dest, tag, comm, request, LM_MODE_SYNC,
                     "MPI_Ssend_init");
}
LM_WEAK_ALIAS(Ssend_init)

LM_EXPORT int PMPI_Rsend_init(const void *buf, int count, MPI_Datatype datatype, int dest,
                              int tag, MPI_Comm comm, MPI_Request *request)
{
    return send_init(buf, count, datatype, dest, tag, comm, request, LM_MODE_READY,
                     "MPI_Rsend_init");
}
LM_WEAK_ALIAS(Rsend_init)

LM_EXPORT int PMPI_Recv_init(void *buf, int count, MPI_Datatype datatype, int source, int tag,
                             MPI_Comm comm, MPI_Request *request)
{
    static const char fn[] = "MPI_Recv_init";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *t;
    int rc = lm_check_msg(buf, count, datatype, source, true, tag, true, comm, &c, &t,
                          "source");
    if (rc == LM_OK && !request)
        rc = lm_err_detail(MPI_ERR_ARG, "request is NULL");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    struct lm_request *req;
    lm_lock();
    rc = lm_recv_init(buf, (size_t)count, t, source, tag, c, &req);
    lm_unlock();
    *request = rc == LM_OK ? (MPI_Request)req : MPI_REQUEST_NULL;
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(c, rc, fn);
}
LM_WEAK_ALIAS(Recv_init)
