/* comm.c - communicators, groups and context ids.
 *
 * Context ids come in pairs (even: point-to-point, odd: collectives) from a bitmap. A new
 * communicator's id must be free on every member, so members AND their free-maps over the
 * parent communicator and take the lowest bit left; freeing clears the bit, so ids are
 * recycled and a loop of create/free never runs out.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "pt2pt/pt2pt.h"

#define CTX_PAIRS (LM_MAX_CTX / 2)
#define CTX_WORDS (CTX_PAIRS / 64)
#define CTX_TAG_AGREE 1 /* tag on the parent's collective context */

static uint64_t ctx_used[CTX_WORDS];

void lm_ctx_reserve(uint32_t ctx)
{
    uint32_t pair = ctx / 2;
    ctx_used[pair / 64] |= 1ull << (pair % 64);
}

void lm_ctx_free(uint32_t ctx)
{
    uint32_t pair = ctx / 2;
    ctx_used[pair / 64] &= ~(1ull << (pair % 64));
}

int lm_ctx_alloc_collective(struct lm_comm *comm, uint32_t *ctx)
{
    uint64_t freemap[CTX_WORDS], other[CTX_WORDS];
    for (int i = 0; i < CTX_WORDS; i++)
        freemap[i] = ~ctx_used[i];
    struct lm_datatype *byte = lm_dt_builtin(MPI_BYTE);
    uint32_t cctx = comm->ctx + 1;
    int rc;

    /* Agreement through rank 0: gather the maps, AND them, send the result back. */
    if (comm->rank == 0) {
        for (int r = 1; r < comm->size; r++) {
            struct lm_request *req;
            if ((rc = lm_irecv_ctx(other, sizeof other, byte, r, CTX_TAG_AGREE, comm, cctx,
                                   &req)) != LM_OK || (rc = lm_wait(req, NULL)) != LM_OK)
                return rc;
            for (int i = 0; i < CTX_WORDS; i++)
                freemap[i] &= other[i];
        }
        for (int r = 1; r < comm->size; r++) {
            struct lm_request *req;
            if ((rc = lm_isend_ctx(freemap, sizeof freemap, byte, r, CTX_TAG_AGREE, comm,
                                   cctx, LM_MODE_STANDARD, &req)) != LM_OK ||
                (rc = lm_wait(req, NULL)) != LM_OK)
                return rc;
        }
    } else {
        struct lm_request *req;
        if ((rc = lm_isend_ctx(freemap, sizeof freemap, byte, 0, CTX_TAG_AGREE, comm, cctx,
                               LM_MODE_STANDARD, &req)) != LM_OK ||
            (rc = lm_wait(req, NULL)) != LM_OK)
            return rc;
        if ((rc = lm_irecv_ctx(freemap, sizeof freemap, byte, 0, CTX_TAG_AGREE, comm, cctx,
                               &req)) != LM_OK || (rc = lm_wait(req, NULL)) != LM_OK)
            return rc;
    }
    for (int i = 0; i < CTX_WORDS; i++) {
        if (freemap[i]) {
            uint32_t pair = (uint32_t)(i * 64 + __builtin_ctzll(freemap[i]));
            *ctx = pair * 2;
            lm_ctx_reserve(*ctx);
            return LM_OK;
        }
    }
    return lm_err_detail(MPI_ERR_OTHER, "out of context ids: %d communicators exist",
                         CTX_PAIRS);
}

struct lm_group *lm_group_create(int size)
{
    struct lm_group *g = malloc(sizeof *g);
    if (!g)
        return NULL;
    g->lpids = malloc((size_t)(size ? size : 1) * sizeof *g->lpids);
    if (!g->lpids) {
        free(g);
        return NULL;
    }
    g->refcount = 1;
    g->size = size;
    return g;
}

void lm_group_release(struct lm_group *group)
{
    if (group && --group->refcount == 0) {
        free(group->lpids);
        free(group);
    }
}

int lm_comm_dup(struct lm_comm *comm, struct lm_comm **out)
{
    uint32_t ctx;
    int rc = lm_ctx_alloc_collective(comm, &ctx);
    if (rc != LM_OK)
        return rc;
    struct lm_comm *c = calloc(1, sizeof *c);
    if (!c) {
        lm_ctx_free(ctx);
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory duplicating a communicator");
    }
    c->magic = LM_MAGIC_COMM;
    c->refcount = 1;
    c->ctx = ctx;
    c->rank = comm->rank;
    c->size = comm->size;
    c->group = comm->group;
    c->group->refcount++;
    c->errh = comm->errh;
    c->errh->refcount++;
    c->handle = (MPI_Comm)c;
    c->name = "";
    *out = c;
    return LM_OK;
}

void lm_comm_release(struct lm_comm *comm)
{
    if (--comm->refcount > 0)
        return;
    if (comm == &lm_proc.world || comm == &lm_proc.self)
        return;
    lm_ctx_free(comm->ctx);
    lm_group_release(comm->group);
    comm->errh->refcount--;
    comm->magic = 0;
    free(comm);
}
