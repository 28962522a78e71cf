/* request.c - request objects: a free list so the common path does not call malloc, and
 * the release rules (a request keeps its communicator and datatype alive; a buffered
 * send's request owns its block of the attached buffer; a persistent request outlives
 * each of its operations). */
#include <stdlib.h>
#include <string.h>

#include "pt2pt/pt2pt.h"

static struct lm_request *free_list;
static struct lm_request *live; /* allocated and not yet released */

struct lm_request *lm_request_alloc(int kind)
{
    struct lm_request *req = free_list;
    if (req)
        free_list = req->next;
    else if (!(req = malloc(sizeof *req)))
        return NULL;
    memset(req, 0, sizeof *req);
    req->magic = LM_MAGIC_REQ;
    req->kind = (uint8_t)kind;
    req->live_next = live;
    if (live)
        live->live_prev = req;
    live = req;
    return req;
}

struct lm_request *lm_request_live(void)
{
    return live;
}

void lm_request_release(struct lm_request *req)
{
    if (req->free_ext)
        req->free_ext(req);
    if (req->comm)
        lm_comm_release(req->comm);
    if (req->dt)
        lm_dt_release(req->dt);
    if (req->bblock)
        lm_bsend_block_free(req->bblock);
    free(req->packed);
    if (req->live_prev)
        req->live_prev->live_next = req->live_next;
    else
        live = req->live_next;
    if (req->live_next)
        req->live_next->live_prev = req->live_prev;
    req->magic = 0;
    req->next = free_list;
    free_list = req;
}

int lm_request_finish(struct lm_request *req, struct lm_status *st)
{
    if (req->persistent && !req->active) {
        /* inactive persistent request: the empty status */
        if (st)
            *st = (struct lm_status){.source = MPI_ANY_SOURCE, .tag = MPI_ANY_TAG};
        return LM_OK;
    }
    int err = req->status.error;
    if (st)
        *st = req->status;
    if (req->persistent)
        req->active = false; /* stays allocated until MPI_Request_free */
    else
        lm_request_release(req);
    return err;
}

int lm_request_reap(struct lm_request *req, struct lm_status *st, bool *released)
{
    if (!req->persistent) {
        *released = true;
        return lm_request_finish(req, st);
    }
    *released = false;
    req->active = false;
    if (st)
        *st = req->status;
    return req->status.error;
}

bool lm_request_done(void *arg)
{
    return ((struct lm_request *)arg)->complete;
}

int lm_wait(struct lm_request *req, struct lm_status *st)
{
    if (!req->complete)
        lm_wait_until(lm_request_done, req);
    return lm_request_finish(req, st);
}

void lm_request_free_user(struct lm_request *req)
{
    if (req->complete || lm_request_inactive(req)) {
        lm_request_release(req);
        return;
    }
    /* Still in flight: the protocol releases it when it completes. */
    req->user_freed = true;
    if (req->kind == LM_REQ_SEND)
        lm_pt2pt_freed_sends++;
}
