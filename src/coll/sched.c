/* sched.c - the schedule engine: building, running and recycling collective schedules.
 *
 * A schedule is an array of ops cut into rounds by fences. Running it issues every op of
 * the current round (sends and receives become pt2pt requests on the collective context of
 * the communicator the op was added under: the schedule's, or an intercommunicator's
 * local_comm for its local phases; copies and reductions run at once), and moves on to the
 * next round when all requests of this one have completed. Running schedules sit on an
 * active list that lm_progress() advances through lm_progress_hook, so a nonblocking
 * collective moves whenever any MPI call makes progress, and a blocking one is
 * start + wait.
 *
 * Cheap on the small-message path: schedules come from a pool with room for 16 ops and
 * 512 bytes of temporaries inline, and pt2pt requests come from pt2pt's free list, so an
 * 8-byte allreduce allocates nothing once warm. A persistent collective keeps its
 * schedule and only resets the cursor at every start.
 */
#include <stdlib.h>
#include <string.h>

#include "coll/coll.h"

static struct {
    struct lm_sched *active;     /* running schedules (doubly linked) */
    unsigned user_calls;         /* user reduction functions started (lock released) */
    struct lm_sched *pool;       /* recycled schedules */
    int npool;
} sc;

#define POOL_MAX 16

/* ---- memory ---------------------------------------------------------------------------- */

static struct lm_sched *sched_new(void)
{
    struct lm_sched *s = sc.pool;
    if (s) {
        sc.pool = s->next;
        sc.npool--;
    } else if (!(s = malloc(sizeof *s))) {
        return NULL;
    }
    s->next = s->prev = NULL;
    s->req = NULL;
    s->comm = NULL;
    s->op = NULL;
    s->err = s->build_err = LM_OK;
    s->nops = 0;
    s->cap = LM_SCHED_INLINE_OPS;
    s->ops = s->inline_ops;
    s->cur = s->wait_from = 0;
    s->running = s->in_user = false;
    s->allocs = NULL;
    s->nallocs = s->cap_allocs = 0;
    s->mem_used = 0;
    return s;
}

static void sched_free(struct lm_sched *s)
{
    for (int i = 0; i < s->nops; i++) {
        struct lm_sop *o = &s->ops[i];
        if (o->req)  /* only after an error path: never while running */
            lm_request_release(o->req);
        if (o->type && !o->type->predefined)
            lm_dt_release(o->type);
        if (o->out_type && !o->out_type->predefined)
            lm_dt_release(o->out_type);
    }
    if (s->ops != s->inline_ops)
        free(s->ops);
    for (int i = 0; i < s->nallocs; i++)
        free(s->allocs[i]);
    free(s->allocs);
    if (s->op)
        lm_op_release(s->op);
    if (sc.npool < POOL_MAX) {
        s->next = sc.pool;
        sc.pool = s;
        sc.npool++;
    } else {
        free(s);
    }
}

void *lm_sched_alloc(struct lm_sched *s, size_t bytes)
{
    size_t need = (bytes + 63) & ~(size_t)63;
    if (need == 0)
        need = 64;
    if (s->mem_used + need <= LM_SCHED_INLINE_MEM) {
        void *p = s->inline_mem + s->mem_used;
        s->mem_used += need;
        return p;
    }
    if (s->nallocs == s->cap_allocs) {
        int cap = s->cap_allocs ? 2 * s->cap_allocs : 8;
        void **a = realloc(s->allocs, (size_t)cap * sizeof *a);
        if (!a)
            goto oom;
        s->allocs = a;
        s->cap_allocs = cap;
    }
    void *p = malloc(need);
    if (!p)
        goto oom;
    s->allocs[s->nallocs++] = p;
    return p;
oom:
    if (s->err == LM_OK)
        s->err = lm_err_detail(MPI_ERR_NO_MEM, "out of memory: %zu bytes of temporary "
                               "space for a collective", bytes);
    /* Hand back the inline area so builders need not check; the error stops the run. */
    return s->inline_mem;
}

struct lm_sched *lm_sched_create(struct lm_comm *comm, struct lm_op *op)
{
    struct lm_sched *s = sched_new();
    if (!s)
        return NULL;
    s->comm = comm;
    if (op) {
        s->op = op;
        lm_op_retain(op);
    }
    return s;
}

void lm_sched_destroy(struct lm_sched *s)
{
    sched_free(s);
}

/* ---- building -------------------------------------------------------------------------- */

/* Schedules keep their types alive; predefined ones need no count. */
static inline void keep_type(struct lm_datatype *dt)
{
    if (!dt->predefined)
        lm_dt_retain(dt);
}

static struct lm_sop *add_op(struct lm_sched *s, int kind)
{
    if (s->nops == s->cap) {
        int cap = 2 * s->cap;
        struct lm_sop *ops = malloc((size_t)cap * sizeof *ops);
        if (!ops) {
            if (s->err == LM_OK)
                s->err = lm_err_detail(MPI_ERR_NO_MEM, "out of memory building a "
                                       "collective schedule of %d steps", cap);
            return NULL;
        }
        memcpy(ops, s->ops, (size_t)s->nops * sizeof *ops);
        if (s->ops != s->inline_ops)
            free(s->ops);
        s->ops = ops;
        s->cap = cap;
    }
    struct lm_sop *o = &s->ops[s->nops++];
    *o = (struct lm_sop){.kind = (uint8_t)kind};
    return o;
}

void lm_sched_send(struct lm_sched *s, const void *buf, size_t count, struct lm_datatype *dt,
                   int peer)
{
    struct lm_sop *o = add_op(s, LM_SOP_SEND);
    if (!o)
        return;
    o->a = buf;
    o->count = count;
    o->type = dt;
    keep_type(dt);
    o->peer = peer;
    o->comm = s->comm;
}

void lm_sched_recv(struct lm_sched *s, void *buf, size_t count, struct lm_datatype *dt,
                   int peer)
{
    struct lm_sop *o = add_op(s, LM_SOP_RECV);
    if (!o)
        return;
    o->out = buf;
    o->count = count;
    o->type = dt;
    keep_type(dt);
    o->peer = peer;
    o->comm = s->comm;
}

void lm_sched_copy(struct lm_sched *s, const void *src, size_t scount, struct lm_datatype *st,
                   void *dst, size_t dcount, struct lm_datatype *dt)
{
    if (scount * st->size == 0 || (src == dst && scount == dcount && st == dt))
        return;
    struct lm_sop *o = add_op(s, LM_SOP_COPY);
    if (!o)
        return;
    o->a = src;
    o->count = scount;
    o->type = st;
    keep_type(st);
    o->out = dst;
    o->out_count = dcount;
    o->out_type = dt;
    keep_type(dt);
}

void lm_sched_reduce(struct lm_sched *s, const void *a, const void *b, void *out, size_t n,
                     struct lm_datatype *w)
{
    if (n == 0)
        return;
    struct lm_sop *o = add_op(s, LM_SOP_REDUCE);
    if (!o)
        return;
    o->a = a;
    o->b = b;
    o->out = out;
    o->count = n;
    o->type = w;
    keep_type(w);
}

void lm_sched_fence(struct lm_sched *s)
{
    if (s->nops > 0 && s->ops[s->nops - 1].kind != LM_SOP_FENCE)
        add_op(s, LM_SOP_FENCE);
}

/* ---- running --------------------------------------------------------------------------- */

static int sched_progress(void);

static void set_error(struct lm_sched *s, int err)
{
    if (s->err == LM_OK)
        s->err = err;
}

/* A send or receive of this round has completed: check it and drop the request. */
static void op_done(struct lm_sched *s, struct lm_sop *o)
{
    struct lm_request *r = o->req;
    o->req = NULL;
    if (r->status.error != LM_OK) {
        set_error(s, r->status.error);
    } else if (o->kind == LM_SOP_RECV && r->status.bytes != o->count * o->type->size &&
               r->status.source != MPI_PROC_NULL) {
        /* collectives need matching amounts: a short message means the ranks disagree */
        set_error(s, lm_err_detail(MPI_ERR_TRUNCATE, "collective: rank %d sent %zu bytes "
                                   "where %zu were expected (counts or datatypes differ "
                                   "between ranks)", o->peer, r->status.bytes,
                                   o->count * o->type->size));
    }
    lm_request_release(r);
}

static void exec_op(struct lm_sched *s, struct lm_sop *o)
{
    int rc = LM_OK;
    switch (o->kind) {
    case LM_SOP_SEND:
        rc = lm_isend_ctx(o->a, o->count, o->type, o->peer, s->tag, o->comm,
                          o->comm->ctx + 1, LM_MODE_STANDARD, &o->req);
        break;
    case LM_SOP_RECV:
        rc = lm_irecv_ctx(o->out, o->count, o->type, o->peer, s->tag, o->comm,
                          o->comm->ctx + 1, &o->req);
        break;
    case LM_SOP_COPY:
        rc = lm_coll_copy(o->a, o->count, o->type, o->out, o->out_count, o->out_type);
        break;
    case LM_SOP_REDUCE:
        if (__builtin_expect(!s->op->predefined, 0)) {
            /* lm_op_apply releases the lock around the user function: meanwhile other
             * threads (or the function itself, calling MPI) may progress schedules, but
             * must leave this one alone, and list walks must not trust saved links. */
            s->in_user = true;
            sc.user_calls++;
            lm_op_apply(s->op, o->a, o->b, o->out, o->count, o->type);
            s->in_user = false;
            break;
        }
        lm_op_apply(s->op, o->a, o->b, o->out, o->count, o->type);
        break;
    }
    if (rc != LM_OK) {
        set_error(s, rc);
        if (o->req && !o->req->complete) {
            /* a start that failed without completing: nothing will complete it */
            lm_request_release(o->req);
            o->req = NULL;
        }
    }
    if (o->req && o->req->complete)  /* eager sends usually complete at once */
        op_done(s, o);
}

static void sched_complete(struct lm_sched *s)
{
    s->running = false;
    if (s->prev)
        s->prev->next = s->next;
    else
        sc.active = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = NULL;
    if (!sc.active)
        lm_progress_hook = NULL;
    struct lm_request *req = s->req;
    req->status = (struct lm_status){.source = MPI_ANY_SOURCE, .tag = MPI_ANY_TAG,
                                     .error = s->err};
    req->complete = true;
    if (req->user_freed)
        lm_request_release(req);  /* MPI_Request_free'd while running */
}

/* Moves s as far as it can; returns how many ops completed or started. */
static int sched_advance(struct lm_sched *s)
{
    int moved = 0;
    if (s->in_user)  /* its user function runs (lock released): its thread moves it on */
        return 0;
    for (;;) {
        while (s->wait_from < s->cur) {
            struct lm_sop *o = &s->ops[s->wait_from];
            if (o->req) {
                if (!o->req->complete)
                    return moved;
                op_done(s, o);
                moved++;
            }
            s->wait_from++;
        }
        if (s->cur == s->nops) {
            sched_complete(s);
            return moved + 1;
        }
        while (s->cur < s->nops) {
            struct lm_sop *o = &s->ops[s->cur++];
            if (o->kind == LM_SOP_FENCE)
                break;
            exec_op(s, o);
            moved++;
        }
    }
}

static int sched_progress(void)
{
    int moved = 0;
    for (struct lm_sched *s = sc.active, *next; s; s = next) {
        next = s->next;  /* s may complete (and be freed) below */
        unsigned calls = sc.user_calls;
        moved += sched_advance(s);
        if (sc.user_calls != calls)  /* the lock was released: next may be gone */
            break;               /* the rest move at the next progress call */
    }
    return moved;
}

/* Starts (or restarts) a built schedule. */
static int sched_start(struct lm_sched *s)
{
    struct lm_request *req = s->req;
    req->complete = false;
    req->status.error = LM_OK;
    s->err = LM_OK;
    s->cur = s->wait_from = 0;
    s->running = true;
    s->next = sc.active;
    s->prev = NULL;
    if (sc.active)
        sc.active->prev = s;
    sc.active = s;
    lm_progress_hook = sched_progress;
    sched_advance(s);
    return LM_OK;
}

static void req_free_ext(struct lm_request *req)
{
    struct lm_sched *s = req->ext;
    req->ext = NULL;
    if (s)
        sched_free(s);
}

static int req_start(struct lm_request *req)
{
    struct lm_sched *s = req->ext;
    req->active = true;
    if (s->build_err != LM_OK) {  /* the build failed: complete with its error */
        req->complete = true;
        req->status = (struct lm_status){.source = MPI_ANY_SOURCE, .tag = MPI_ANY_TAG,
                                         .error = s->build_err};
        return LM_OK;
    }
    return sched_start(s);
}

/* Builds a schedule with build(s, arg) into a new request on comm (not started). */
static int make_request(struct lm_comm *comm, struct lm_op *op,
                        int (*build)(struct lm_sched *s, const void *arg), const void *arg,
                        bool persistent, struct lm_request **out)
{
    *out = NULL;
    struct lm_sched *s = sched_new();
    struct lm_request *req = s ? lm_request_alloc(LM_REQ_COLL) : NULL;
    if (!req) {
        if (s)
            sched_free(s);
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory starting a collective");
    }
    req->comm = comm;
    comm->refcount++;
    req->persistent = persistent;
    req->ext = s;
    req->free_ext = req_free_ext;
    req->start = req_start;
    req->status.source = MPI_ANY_SOURCE;
    req->status.tag = MPI_ANY_TAG;
    s->req = req;
    s->comm = comm;
    s->tag = LM_COLL_TAG_BASE + (int)(comm->coll_seq++ % LM_COLL_TAG_SPAN);
    if (op) {
        s->op = op;
        lm_op_retain(op);
    }
    int rc = build(s, arg);
    s->build_err = rc != LM_OK ? rc : s->err;
    *out = req;
    return LM_OK;
}

static int build_args(struct lm_sched *s, const void *a)
{
    return lm_coll_build(s, a, NULL);
}

int lm_coll_start(const struct lm_coll_args *a, struct lm_request **out)
{
    int rc = make_request(a->comm, a->op, build_args, a, false, out);
    if (rc != LM_OK)
        return rc;
    req_start(*out);
    return LM_OK;
}

int lm_coll_init(const struct lm_coll_args *a, struct lm_request **out)
{
    int rc = make_request(a->comm, a->op, build_args, a, true, out);
    if (rc != LM_OK)
        return rc;
    (*out)->active = false;
    (*out)->complete = true;  /* inactive: Wait returns at once */
    return LM_OK;
}

int lm_coll_run(const struct lm_coll_args *a)
{
    struct lm_request *req;
    int rc = lm_coll_start(a, &req);
    if (rc != LM_OK)
        return rc;
    return lm_wait(req, NULL);
}

int lm_coll_start_custom(struct lm_comm *comm, int (*build)(struct lm_sched *s, const void *arg),
                         const void *arg, bool persistent, struct lm_request **out)
{
    int rc = make_request(comm, NULL, build, arg, persistent, out);
    if (rc != LM_OK)
        return rc;
    if (persistent) {
        (*out)->active = false;
        (*out)->complete = true;
    } else {
        req_start(*out);
    }
    return LM_OK;
}
