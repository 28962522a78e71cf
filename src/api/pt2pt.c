/* pt2pt.c - point-to-point entry points: argument checks, then src/pt2pt. */
#include <stdlib.h>

#include "api/api.h"

static int blocking_send(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
                         MPI_Comm comm, int mode, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *t;
    int rc = lm_check_msg(buf, count, datatype, dest, false, tag, false, comm, &c, &t, "dest");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    lm_call_enter(fn, "dest", dest, tag, c);
    rc = lm_send(buf, (size_t)count, t, dest, tag, c, mode);
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(c, rc, fn);
}

LM_EXPORT int PMPI_Send(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
                        MPI_Comm comm)
{
    return blocking_send(buf, count, datatype, dest, tag, comm, LM_MODE_STANDARD, "MPI_Send");
}
LM_WEAK_ALIAS(Send)

LM_EXPORT int PMPI_Ssend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
                         MPI_Comm comm)
{
    return blocking_send(buf, count, datatype, dest, tag, comm, LM_MODE_SYNC, "MPI_Ssend");
}
LM_WEAK_ALIAS(Ssend)

LM_EXPORT int PMPI_Rsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
                         MPI_Comm comm)
{
    return blocking_send(buf, count, datatype, dest, tag, comm, LM_MODE_READY, "MPI_Rsend");
}
LM_WEAK_ALIAS(Rsend)

static int nonblocking_send(const void *buf, int count, MPI_Datatype datatype, int dest,
                            int tag, MPI_Comm comm, MPI_Request *request, int mode,
                            const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *t;
    int rc = lm_check_msg(buf, count, datatype, dest, false, tag, false, comm, &c, &t, "dest");
    if (rc == LM_OK && !request)
        rc = lm_err_detail(MPI_ERR_ARG, "request is NULL");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    struct lm_request *req = NULL;
    lm_lock();
    rc = lm_isend(buf, (size_t)count, t, dest, tag, c, mode, &req);
    lm_unlock();
    if (rc != LM_OK && req == NULL) {
        *request = MPI_REQUEST_NULL;
        return lm_api_error(c, rc, fn);
    }
    *request = (MPI_Request)req;
    return MPI_SUCCESS; /* a failed start completes the request with the error */
}

LM_EXPORT int PMPI_Isend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
                         MPI_Comm comm, MPI_Request *request)
{
    return nonblocking_send(buf, count, datatype, dest, tag, comm, request, LM_MODE_STANDARD,
                            "MPI_Isend");
}
LM_WEAK_ALIAS(Isend)

LM_EXPORT int PMPI_Issend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
                          MPI_Comm comm, MPI_Request *request)
{
    return nonblocking_send(buf, count, datatype, dest, tag, comm, request, LM_MODE_SYNC,
                            "MPI_Issend");
}
LM_WEAK_ALIAS(Issend)

LM_EXPORT int PMPI_Irsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
                          MPI_Comm comm, MPI_Request *request)
{
    return nonblocking_send(buf, count, datatype, dest, tag, comm, request, LM_MODE_READY,
                            "MPI_Irsend");
}
LM_WEAK_ALIAS(Irsend)

LM_EXPORT int PMPI_Recv(void *buf, int count, MPI_Datatype datatype, int source, int tag,
                        MPI_Comm comm, MPI_Status *status)
{
    static const char fn[] = "MPI_Recv";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *t;
    int rc = lm_check_msg(buf, count, datatype, source, true, tag, true, comm, &c, &t, "source");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    struct lm_status st = {0};
    lm_lock();
    lm_call_enter(fn, "source", source, tag, c);
    rc = lm_recv(buf, (size_t)count, t, source, tag, c, &st);
    lm_unlock();
    lm_status_to_mpi(&st, status);
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(c, rc, fn);
}
LM_WEAK_ALIAS(Recv)

LM_EXPORT int PMPI_Irecv(void *buf, int count, MPI_Datatype datatype, int source, int tag,
                         MPI_Comm comm, MPI_Request *request)
{
    static const char fn[] = "MPI_Irecv";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *t;
    int rc = lm_check_msg(buf, count, datatype, source, true, tag, true, comm, &c, &t, "source");
    if (rc == LM_OK && !request)
        rc = lm_err_detail(MPI_ERR_ARG, "request is NULL");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    struct lm_request *req = NULL;
    lm_lock();
    rc = lm_irecv(buf, (size_t)count, t, source, tag, c, &req);
    lm_unlock();
    if (rc != LM_OK) {
        if (req)
            lm_request_release(req);
        *request = MPI_REQUEST_NULL;
        return lm_api_error(c, rc, fn);
    }
    *request = (MPI_Request)req;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Irecv)

LM_EXPORT int PMPI_Sendrecv(const void *sendbuf, int sendcount, MPI_Datatype sendtype, int dest,
                            int sendtag, void *recvbuf, int recvcount, MPI_Datatype recvtype,
                            int source, int recvtag, MPI_Comm comm, MPI_Status *status)
{
    static const char fn[] = "MPI_Sendrecv";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *st_, *rt;
    int rc = lm_check_msg(sendbuf, sendcount, sendtype, dest, false, sendtag, false, comm, &c,
                       &st_, "dest");
    if (rc == LM_OK)
        rc = lm_check_msg(recvbuf, recvcount, recvtype, source, true, recvtag, true, comm, &c,
                       &rt, "source");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    struct lm_request *rreq, *sreq;
    struct lm_status rs = {0};
    lm_lock();
    lm_call_enter(fn, "source", source, recvtag, c);
    rc = lm_irecv(recvbuf, (size_t)recvcount, rt, source, recvtag, c, &rreq);
    if (rc == LM_OK) {
        int src = lm_isend(sendbuf, (size_t)sendcount, st_, dest, sendtag, c, LM_MODE_STANDARD,
                           &sreq);
        int swait = lm_wait(sreq, NULL);
        rc = lm_wait(rreq, &rs);
        if (rc == LM_OK)
            rc = src != LM_OK ? src : swait;
    } else {
        lm_request_release(rreq);
    }
    lm_unlock();
    if (rc == LM_OK || lm_err_class_of(rc) == MPI_ERR_TRUNCATE)
        lm_status_to_mpi(&rs, status);
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(c, rc, fn);
}
LM_WEAK_ALIAS(Sendrecv)

LM_EXPORT int PMPI_Sendrecv_replace(void *buf, int count, MPI_Datatype datatype, int dest,
                                    int sendtag, int source, int recvtag, MPI_Comm comm,
                                    MPI_Status *status)
{
    static const char fn[] = "MPI_Sendrecv_replace";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *t;
    int rc = lm_check_msg(buf, count, datatype, dest, false, sendtag, false, comm, &c, &t,
                       "dest");
    if (rc == LM_OK)
        rc = lm_check_msg(buf, count, datatype, source, true, recvtag, true, comm, &c, &t,
                       "source");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    /* Send from a packed copy so the receive can land in buf while the send is pending. */
    size_t bytes = (size_t)count * t->size;
    void *copy = malloc(bytes ? bytes : 1);
    if (!copy)
        return lm_api_error(c, lm_err_detail(MPI_ERR_NO_MEM, "out of memory: %zu bytes for "
                            "MPI_Sendrecv_replace", bytes), fn);
    lm_dt_pack(t, buf, (size_t)count, 0, copy, bytes);
    struct lm_request *rreq, *sreq;
    struct lm_status rs = {0};
    lm_lock();
    lm_call_enter(fn, "source", source, recvtag, c);
    rc = lm_irecv(buf, (size_t)count, t, source, recvtag, c, &rreq);
    if (rc == LM_OK) {
        int src = lm_isend(copy, bytes, lm_dt_builtin(MPI_BYTE), dest, sendtag, c,
                           LM_MODE_STANDARD, &sreq);
        int swait = lm_wait(sreq, NULL);
        rc = lm_wait(rreq, &rs);
        if (rc == LM_OK)
            rc = src != LM_OK ? src : swait;
    } else {
        lm_request_release(rreq);
    }
    lm_unlock();
    free(copy);
    if (rc == LM_OK || lm_err_class_of(rc) == MPI_ERR_TRUNCATE)
        lm_status_to_mpi(&rs, status);
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(c, rc, fn);
}
LM_WEAK_ALIAS(Sendrecv_replace)

LM_EXPORT int PMPI_Iprobe(int source, int tag, MPI_Comm comm, int *flag, MPI_Status *status)
{
    static const char fn[] = "MPI_Iprobe";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    if ((rc = lm_check_comm(comm, &c, "comm")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_rank(c, source, true, "source")) != LM_OK ||
        (rc = lm_check_tag(tag, true, "tag")) != LM_OK)
        return lm_api_error(c, rc, fn);
    if (!flag)
        return lm_api_error(c, lm_err_detail(MPI_ERR_ARG, "flag is NULL"), fn);
    struct lm_status st;
    bool found;
    lm_lock();
    rc = lm_iprobe(source, tag, c, &found, &st);
    lm_unlock();
    *flag = found;
    if (found)
        lm_status_to_mpi(&st, status);
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(c, rc, fn);
}
LM_WEAK_ALIAS(Iprobe)

LM_EXPORT int PMPI_Probe(int source, int tag, MPI_Comm comm, MPI_Status *status)
{
    static const char fn[] = "MPI_Probe";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc;
    if ((rc = lm_check_comm(comm, &c, "comm")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_rank(c, source, true, "source")) != LM_OK ||
        (rc = lm_check_tag(tag, true, "tag")) != LM_OK)
        return lm_api_error(c, rc, fn);
    struct lm_status st;
    lm_lock();
    lm_call_enter(fn, "source", source, tag, c);
    rc = lm_probe(source, tag, c, &st);
    lm_unlock();
    lm_status_to_mpi(&st, status);
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(c, rc, fn);
}
LM_WEAK_ALIAS(Probe)
