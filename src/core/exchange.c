/* exchange.c - the few collective exchanges that building a communicator needs.
 *
 * Communicator constructors must agree on context ids, learn every member's (color, key),
 * or swap group lists between the two sides of an intercommunicator, before any collective
 * machinery exists for the new communicator. These helpers do it with point-to-point on an
 * existing intracommunicator's collective context (ctx + 1), which user traffic never
 * reaches, under fixed negative tags (core.h). They are linear - the root talks to every
 * member - which is fine for the rare, small messages involved; the collectives engine can
 * take over their bodies later.
 *
 * Members are a subset of the communicator's ranks (MPI_Comm_create_group runs among the
 * new group only), addressed by member index.
 */
#include <stdlib.h>
#include <string.h>

#include "pt2pt/pt2pt.h"

void lm_xchg_all(struct lm_xchg *x, struct lm_comm *comm, int tag)
{
    *x = (struct lm_xchg){.comm = comm, .n = comm->size, .members = NULL, .me = comm->rank,
                          .tag = tag};
}

static inline int rank_of(const struct lm_xchg *x, int member)
{
    return x->members ? x->members[member] : member;
}

static int send_bytes(const struct lm_xchg *x, int member, int tag, const void *buf,
                      size_t bytes, struct lm_request **req)
{
    return lm_isend_ctx(buf, bytes, lm_dt_builtin(MPI_BYTE), rank_of(x, member), tag, x->comm,
                        x->comm->ctx + 1, LM_MODE_STANDARD, req);
}

static int recv_bytes(const struct lm_xchg *x, int member, int tag, void *buf, size_t bytes,
                      struct lm_request **req)
{
    return lm_irecv_ctx(buf, bytes, lm_dt_builtin(MPI_BYTE), rank_of(x, member), tag, x->comm,
                        x->comm->ctx + 1, req);
}

/* Waits for n requests (NULL entries skipped); returns the first error. */
static int wait_all(struct lm_request **reqs, int n)
{
    int err = LM_OK;
    for (int i = 0; i < n; i++) {
        if (!reqs[i])
            continue;
        int rc = lm_wait(reqs[i], NULL);
        if (rc != LM_OK && err == LM_OK)
            err = rc;
    }
    return err;
}

/* A failed start still hands back a request (completed with the error) to release. */
static int started(int rc, struct lm_request **req)
{
    if (rc != LM_OK && *req) {
        lm_request_release(*req);
        *req = NULL;
    }
    return rc;
}

int lm_xchg_gather(const struct lm_xchg *x, int root, const void *send, size_t bytes,
                   void *recv)
{
    int tag = x->tag;
    if (x->me != root) {
        struct lm_request *req = NULL;
        int rc = started(send_bytes(x, root, tag, send, bytes, &req), &req);
        return rc != LM_OK ? rc : lm_wait(req, NULL);
    }
    struct lm_request **reqs = calloc((size_t)x->n, sizeof *reqs);
    if (!reqs)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory gathering from %d ranks", x->n);
    int rc = LM_OK;
    memcpy((char *)recv + (size_t)root * bytes, send, bytes);
    for (int m = 0; m < x->n && rc == LM_OK; m++)
        if (m != root)
            rc = started(recv_bytes(x, m, tag, (char *)recv + (size_t)m * bytes, bytes,
                                    &reqs[m]), &reqs[m]);
    int wrc = wait_all(reqs, x->n);
    free(reqs);
    return rc != LM_OK ? rc : wrc;
}

int lm_xchg_bcast(const struct lm_xchg *x, int root, void *buf, size_t bytes)
{
    int tag = x->tag - 100000000; /* separate from a preceding gather's messages */
    if (x->me != root) {
        struct lm_request *req = NULL;
        int rc = started(recv_bytes(x, root, tag, buf, bytes, &req), &req);
        return rc != LM_OK ? rc : lm_wait(req, NULL);
    }
    struct lm_request **reqs = calloc((size_t)x->n, sizeof *reqs);
    if (!reqs)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory broadcasting to %d ranks", x->n);
    int rc = LM_OK;
    for (int m = 0; m < x->n && rc == LM_OK; m++)
        if (m != root)
            rc = started(send_bytes(x, m, tag, buf, bytes, &reqs[m]), &reqs[m]);
    int wrc = wait_all(reqs, x->n);
    free(reqs);
    return rc != LM_OK ? rc : wrc;
}

int lm_xchg_allgather(const struct lm_xchg *x, const void *send, size_t bytes, void *recv)
{
    int rc = lm_xchg_gather(x, 0, send, bytes, recv);
    return rc != LM_OK ? rc : lm_xchg_bcast(x, 0, recv, bytes * (size_t)x->n);
}

int lm_xchg_swap(struct lm_comm *comm, int peer, uint32_t ctx, int tag, const void *out,
                 size_t outlen, void **in, size_t *inlen)
{
    struct lm_datatype *byte = lm_dt_builtin(MPI_BYTE);
    uint64_t mylen = outlen, theirlen = 0;
    struct lm_request *s1 = NULL, *s2 = NULL, *r = NULL;
    int rc, rc2;
    *in = NULL;
    /* Length first, then the bytes: both leaders send before receiving, so neither waits
     * on the other whatever the protocol (eager or rendezvous). */
    if ((rc = started(lm_isend_ctx(&mylen, sizeof mylen, byte, peer, tag, comm, ctx,
                                   LM_MODE_STANDARD, &s1), &s1)) != LM_OK)
        return rc;
    if ((rc = started(lm_isend_ctx(out, outlen, byte, peer, tag, comm, ctx, LM_MODE_STANDARD,
                                   &s2), &s2)) != LM_OK) {
        lm_wait(s1, NULL);
        return rc;
    }
    rc = started(lm_irecv_ctx(&theirlen, sizeof theirlen, byte, peer, tag, comm, ctx, &r), &r);
    if (rc == LM_OK)
        rc = lm_wait(r, NULL);
    if (rc == LM_OK) {
        *in = malloc(theirlen ? theirlen : 1);
        if (!*in)
            rc = lm_err_detail(MPI_ERR_NO_MEM, "out of memory: %llu bytes from the other "
                               "group's leader", (unsigned long long)theirlen);
    }
    if (rc == LM_OK) {
        rc = started(lm_irecv_ctx(*in, theirlen, byte, peer, tag, comm, ctx, &r), &r);
        if (rc == LM_OK)
            rc = lm_wait(r, NULL);
    }
    rc2 = lm_wait(s1, NULL);
    if (rc == LM_OK)
        rc = rc2;
    rc2 = lm_wait(s2, NULL);
    if (rc == LM_OK)
        rc = rc2;
    if (rc != LM_OK) {
        free(*in);
        *in = NULL;
        return rc;
    }
    *inlen = theirlen;
    return LM_OK;
}
