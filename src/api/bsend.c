/* bsend.c - buffered mode entry points: MPI_Bsend, MPI_Ibsend, MPI_Buffer_attach and
 * MPI_Buffer_detach (src/pt2pt/bsend.c does the work). */
#include "api/api.h"

LM_EXPORT int PMPI_Bsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
                         MPI_Comm comm)
{
    static const char fn[] = "MPI_Bsend";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *t;
    int rc = lm_check_msg(buf, count, datatype, dest, false, tag, false, comm, &c, &t, "dest");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    lm_lock();
    rc = lm_bsend(buf, (size_t)count, t, dest, tag, c);
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(c, rc, fn);
}
LM_WEAK_ALIAS(Bsend)

LM_EXPORT int PMPI_Ibsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
                          MPI_Comm comm, MPI_Request *request)
{
    static const char fn[] = "MPI_Ibsend";
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *t;
    int rc = lm_check_msg(buf, count, datatype, dest, false, tag, false, comm, &c, &t, "dest");
    if (rc == LM_OK && !request)
        rc = lm_err_detail(MPI_ERR_ARG, "request is NULL");
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    /* The message is in the buffer when this returns, so the request is complete at once
     * (and a later MPI_Cancel has nothing left to cancel). */
    lm_lock();
    rc = lm_bsend(buf, (size_t)count, t, dest, tag, c);
    struct lm_request *req = rc == LM_OK ? lm_request_alloc(LM_REQ_SEND) : NULL;
    if (req) {
        req->complete = true;
        req->comm = c;
        c->refcount++;
        req->status.source = dest == MPI_PROC_NULL ? MPI_PROC_NULL : MPI_ANY_SOURCE;
        req->status.tag = MPI_ANY_TAG;
    } else if (rc == LM_OK) {
        rc = lm_err_detail(MPI_ERR_NO_MEM, "out of memory allocating a request");
    }
    lm_unlock();
    *request = req ? (MPI_Request)req : MPI_REQUEST_NULL;
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(c, rc, fn);
}
LM_WEAK_ALIAS(Ibsend)

LM_EXPORT int PMPI_Buffer_attach(void *buffer, int size)
{
    static const char fn[] = "MPI_Buffer_attach";
    LM_API_ENTER(fn);
    int rc = LM_OK;
    if (buffer == MPI_BUFFER_AUTOMATIC) {
        if (size != 0)
            rc = lm_err_detail(MPI_ERR_ARG, "size = %d with MPI_BUFFER_AUTOMATIC (must be 0)",
                               size);
    } else if (size < 0) {
        rc = lm_err_detail(MPI_ERR_ARG, "invalid size: size = %d is negative", size);
    } else if (!buffer && size > 0) {
        rc = lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: buffer is NULL with size %d", size);
    }
    if (rc == LM_OK) {
        lm_lock();
        rc = lm_buffer_attach(buffer, (size_t)size);
        lm_unlock();
    }
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Buffer_attach)

LM_EXPORT int PMPI_Buffer_detach(void *buffer_addr, int *size)
{
    static const char fn[] = "MPI_Buffer_detach";
    LM_API_ENTER(fn);
    if (!buffer_addr || !size)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "%s is NULL",
                                                buffer_addr ? "size" : "buffer_addr"), fn);
    void *buf;
    size_t n;
    lm_lock();
    int rc = lm_buffer_detach(&buf, &n);
    lm_unlock();
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    /* C binding: buffer_addr is really a void ** (the standard keeps void * for Fortran). */
    *(void **)buffer_addr = buf;
    *size = (int)n;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Buffer_detach)
