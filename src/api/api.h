/* api.h - what every MPI_* entry point shares: handle conversion, argument checks and
 * error dispatch.
 *
 * Each entry point checks its arguments with the lm_check_* helpers (each returns LM_OK or
 * an error code whose message names the argument and its value), calls the subsystem, and
 * hands any error to lm_api_error(), which applies the error handler of the object
 * involved. PMPI_X is the real function; MPI_X is a weak alias for profiling tools.
 */
#ifndef LM_API_H
#define LM_API_H

#include <mpi.h>
#include <stdint.h>

#include "core/core.h"
#include "datatype/datatype.h"
#include "pt2pt/pt2pt.h"

#define LM_EXPORT __attribute__((visibility("default")))

/* Defines MPI_name as a weak alias of PMPI_name, exported like it. */
#define LM_WEAK_ALIAS(name)                                                                   \
    extern __typeof__(PMPI_##name) MPI_##name                                                 \
        __attribute__((weak, alias("PMPI_" #name), visibility("default")));

/* Error dispatch: applies the handler of comm (NULL: MPI_COMM_SELF's, as MPI-4 says for
 * errors not tied to an object) and returns what the caller must return. Call it with the
 * library lock released: a user handler may call MPI. */
int lm_api_error(struct lm_comm *comm, int code, const char *call);
/* The same for a communicator the caller holds a reference to (a request that completed
 * with an error): dispatch, then drop the reference. comm may be NULL. */
int lm_api_error_put(struct lm_comm *comm, int code, const char *call);
/* Any object kind: `handle` is the object's handle value (MPI_Win, MPI_File, ...), passed by
 * address to a user handler created for that kind; `what` names it in fatal messages. */
int lm_api_error_obj(struct lm_errhandler *errh, void *handle, const char *what, int code,
                     const char *call);
/* No object at hand: a user handler receives its kind's null handle. */
int lm_api_error_errh(struct lm_errhandler *errh, int code, const char *call);

/* MPI called before MPI_Init or after MPI_Finalize: always fatal, with the call's name. */
int lm_api_not_ready(const char *call);

static inline bool lm_api_ready(void)
{
    return lm_proc.initialized && !lm_proc.finalized;
}

#define LM_API_ENTER(call)                                                                    \
    do {                                                                                      \
        if (__builtin_expect(!lm_api_ready(), 0))                                            \
            return lm_api_not_ready(call);                                                    \
    } while (0)

/* ---- handle conversion ------------------------------------------------------------------ */

static inline bool lm_is_builtin(const void *h)
{
    return (uintptr_t)h < 0x1000;
}

static inline int lm_check_comm(MPI_Comm h, struct lm_comm **out, const char *arg)
{
    if (h == MPI_COMM_WORLD) {
        *out = &lm_proc.world;
        return LM_OK;
    }
    if (h == MPI_COMM_SELF) {
        *out = &lm_proc.self;
        return LM_OK;
    }
    if (lm_is_builtin(h) || ((struct lm_comm *)h)->magic != LM_MAGIC_COMM) {
        *out = NULL;
        if (h == MPI_COMM_NULL)
            return lm_err_detail(MPI_ERR_COMM, "invalid communicator: %s is MPI_COMM_NULL",
                                 arg);
        return lm_err_detail(MPI_ERR_COMM, "invalid communicator: %s = %p is not a "
                             "communicator (freed, or never created)", arg, (void *)h);
    }
    *out = (struct lm_comm *)h;
    return LM_OK;
}

int lm_check_type_slow(MPI_Datatype h, struct lm_datatype **out, const char *arg);

static inline int lm_check_type(MPI_Datatype h, struct lm_datatype **out, const char *arg)
{
    struct lm_datatype *t = lm_is_builtin(h) ? lm_dt_builtin(h) : (struct lm_datatype *)h;
    if (t && t->magic == LM_MAGIC_TYPE && t->committed) {
        *out = t;
        return LM_OK;
    }
    return lm_check_type_slow(h, out, arg);
}

/* Any valid datatype, committed or not (constructors, size queries). */
int lm_check_type_any(MPI_Datatype h, struct lm_datatype **out, const char *arg);

static inline int lm_check_count(int count, const char *arg)
{
    if (count < 0)
        return lm_err_detail(MPI_ERR_COUNT, "invalid count: %s = %d is negative", arg, count);
    return LM_OK;
}

/* Point-to-point ranks: a valid rank of comm (of its remote group if it is an
 * intercommunicator), MPI_PROC_NULL, and (receives) MPI_ANY_SOURCE. */
static inline int lm_check_rank(struct lm_comm *c, int rank, bool any_ok, const char *arg)
{
    if ((rank >= 0 && rank < c->remote_size) || rank == MPI_PROC_NULL ||
        (any_ok && rank == MPI_ANY_SOURCE))
        return LM_OK;
    return lm_err_detail(MPI_ERR_RANK, "invalid rank: %s = %d, but %s has %d %srank%s (0..%d)",
                         arg, rank, c->name[0] ? c->name : "the communicator", c->remote_size,
                         c->inter ? "remote " : "", c->remote_size == 1 ? "" : "s",
                         c->remote_size - 1);
}

static inline int lm_check_tag(int tag, bool any_ok, const char *arg)
{
    if ((tag >= 0 && tag <= LM_TAG_UB) || (any_ok && tag == MPI_ANY_TAG))
        return LM_OK;
    return lm_err_detail(MPI_ERR_TAG, "invalid tag: %s = %d (valid: 0..%d%s)", arg, tag,
                         LM_TAG_UB, any_ok ? " or MPI_ANY_TAG" : "");
}

static inline int lm_check_buf(const void *buf, int count, const struct lm_datatype *dt,
                               const char *arg)
{
    if (buf == NULL && count > 0 && dt->size > 0 && dt->true_lb == 0)
        return lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: %s is NULL with count %d",
                             arg, count);
    return LM_OK;
}

/* Everything a send or receive checks: comm, count, datatype (committed), peer rank,
 * tag, buffer. */
static inline int lm_check_msg(const void *buf, int count, MPI_Datatype datatype, int peer,
                               bool any_src, int tag, bool any_tag, MPI_Comm comm,
                               struct lm_comm **c, struct lm_datatype **t, const char *peer_arg)
{
    int rc;
    if ((rc = lm_check_comm(comm, c, "comm")) != LM_OK)
        return rc;
    if ((rc = lm_check_count(count, "count")) != LM_OK ||
        (rc = lm_check_type(datatype, t, "datatype")) != LM_OK ||
        (rc = lm_check_rank(*c, peer, any_src, peer_arg)) != LM_OK ||
        (rc = lm_check_tag(tag, any_tag, "tag")) != LM_OK ||
        (rc = lm_check_buf(buf, count, *t, "buf")) != LM_OK)
        return rc;
    /* a receive layout must not write a byte twice (any_src: this is a receive) */
    if (any_src && (rc = lm_dt_check_recv(*t, (size_t)count, "datatype")) != LM_OK)
        return rc;
    return LM_OK;
}

static inline int lm_check_request(MPI_Request h, struct lm_request **out, const char *arg)
{
    if (h != MPI_REQUEST_NULL && !lm_is_builtin(h) &&
        ((struct lm_request *)h)->magic == LM_MAGIC_REQ) {
        *out = (struct lm_request *)h;
        return LM_OK;
    }
    *out = NULL;
    if (h == MPI_REQUEST_NULL)
        return LM_OK;
    return lm_err_detail(MPI_ERR_REQUEST, "invalid request: %s = %p is not an active "
                         "request (already completed and freed?)", arg, (void *)h);
}

int lm_check_errhandler(MPI_Errhandler h, struct lm_errhandler **out, const char *arg);

/* An intracommunicator (constructors and calls the standard defines for those only). */
static inline int lm_check_intra(struct lm_comm *c, const char *arg)
{
    if (c->inter)
        return lm_err_detail(MPI_ERR_COMM, "invalid communicator: %s is an "
                             "intercommunicator; this call needs an intracommunicator", arg);
    return LM_OK;
}

static inline int lm_check_group(MPI_Group h, struct lm_group **out, const char *arg)
{
    if (h == MPI_GROUP_EMPTY) {
        *out = &lm_proc.group_empty;
        return LM_OK;
    }
    if (!lm_is_builtin(h) && ((struct lm_group *)h)->magic == LM_MAGIC_GROUP) {
        *out = (struct lm_group *)h;
        return LM_OK;
    }
    *out = NULL;
    if (h == MPI_GROUP_NULL)
        return lm_err_detail(MPI_ERR_GROUP, "invalid group: %s is MPI_GROUP_NULL", arg);
    return lm_err_detail(MPI_ERR_GROUP, "invalid group: %s = %p is not a group (freed, or "
                         "never created)", arg, (void *)h);
}

/* Info objects; MPI_INFO_NULL gives *out = NULL when null_ok (hints arguments). */
int lm_check_info(MPI_Info h, struct lm_info **out, bool null_ok, const char *arg);

/* A string argument that must not be NULL. */
static inline int lm_check_ptr(const void *p, const char *arg)
{
    return p ? LM_OK : lm_err_detail(MPI_ERR_ARG, "invalid argument: %s is NULL", arg);
}

/* grequest.c: a generalized request's callbacks, called with the library lock held (they
 * drop it while user code runs). query fills status (MPI_STATUS_IGNORE allowed, MPI_ERROR
 * left as it was); free runs free_fn and releases the request; both return the callback's
 * error code. */
int lm_greq_query(struct lm_request *r, MPI_Status *status);
int lm_greq_free(struct lm_request *r);
int lm_greq_cancel(struct lm_request *r);

/* Reduction ops (src/api/op.c): predefined or live user op, else MPI_ERR_OP. */
struct lm_op;
int lm_check_op(MPI_Op h, struct lm_op **out, const char *arg);

/* Status conversion: count in bytes lives in MPI_internal[0..1], cancelled in [2]. */
static inline void lm_status_to_mpi(const struct lm_status *s, MPI_Status *st)
{
    if (st == MPI_STATUS_IGNORE)
        return;
    /* MPI_ERROR is left alone: only the multiple-completion calls set it (MPI 3.2.5). */
    st->MPI_SOURCE = s->source;
    st->MPI_TAG = s->tag;
    uint64_t b = s->bytes;
    st->MPI_internal[0] = (int)(uint32_t)b;
    st->MPI_internal[1] = (int)(uint32_t)(b >> 32);
    st->MPI_internal[2] = s->cancelled;
}

/* The empty status: what MPI returns for null and inactive requests. */
static inline void lm_status_empty(MPI_Status *st)
{
    if (st == MPI_STATUS_IGNORE)
        return;
    st->MPI_SOURCE = MPI_ANY_SOURCE;
    st->MPI_TAG = MPI_ANY_TAG;
    st->MPI_ERROR = MPI_SUCCESS;
    st->MPI_internal[0] = st->MPI_internal[1] = st->MPI_internal[2] = 0;
    st->MPI_internal[3] = st->MPI_internal[4] = 0;
}

static inline uint64_t lm_status_bytes(const MPI_Status *st)
{
    return (uint64_t)(uint32_t)st->MPI_internal[0] |
           ((uint64_t)(uint32_t)st->MPI_internal[1] << 32);
}

#endif
