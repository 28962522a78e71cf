/* coll.h - collective operations: reduction operations, the schedule engine and the
 * algorithm tables.
 *
 * A collective is a schedule: a small program of sends, receives, local copies and
 * reductions, cut into rounds by fences. The algorithm for the call (one of several per
 * family, chosen by message size and communicator size, or forced with
 * LITEMPI_COLL_<FAMILY>=<name>) only builds the schedule; the engine (sched.c) runs it as
 * a request of kind LM_REQ_COLL, advanced from lm_progress() like any request. Blocking
 * calls are the nonblocking ones plus a wait; persistent ones (MPI_*_init) keep their
 * schedule and rerun it at every MPI_Start.
 *
 * Traffic uses the communicator's collective context (comm->ctx + 1), which user
 * point-to-point never matches, and a tag from the communicator's collective sequence
 * number, so overlapping nonblocking collectives on one communicator never take each
 * other's messages. Tags below LM_COLL_TAG_BASE are left to src/core (context-id
 * agreement and the like).
 *
 * Intercommunicators have their own families (inter.c): sends and receives on the
 * intercommunicator name remote ranks (as point-to-point does), and phases inside one group
 * switch the schedule to comm->local_comm while building (each op records its
 * communicator), reusing the intracommunicator families there. Nothing here assumes more
 * than comm->rank, comm->size, comm->remote_size, comm->ctx and lm_peer_of().
 */
#ifndef LM_COLL_H
#define LM_COLL_H

#include <mpi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "datatype/datatype.h"
#include "pt2pt/pt2pt.h"

#define LM_MAGIC_OP 0x4c4d4f50U  /* "LMOP" */
#define LM_COLL_TAG_BASE 1024
#define LM_COLL_TAG_SPAN (1 << 29)

/* ---- reduction operations (ops.c) ------------------------------------------------------- */

struct lm_op {
    uint32_t magic;
    int refcount;
    bool predefined;
    bool commutative;
    int code;                    /* predefined: index into the kernel table */
    MPI_Op handle;               /* what users see */
    MPI_User_function *fn;       /* user ops: one of fn / fn_c */
    MPI_User_function_c *fn_c;
    const char *name;
};

struct lm_op *lm_op_builtin(MPI_Op handle);   /* NULL if not a predefined op */
int lm_op_create(MPI_User_function *fn, MPI_User_function_c *fn_c, bool commute,
                 struct lm_op **out);
void lm_op_retain(struct lm_op *op);
void lm_op_release(struct lm_op *op);

/* The type the op works on for `dt`: the predefined type itself, the single predefined
 * element type of a derived type (predefined ops), or dt (user ops). NULL when dt mixes
 * several element types and the op is predefined. */
struct lm_datatype *lm_op_work_type(const struct lm_op *op, struct lm_datatype *dt);

/* MPI_ERR_OP (with the op and type named) unless op may reduce data of type dt in a
 * collective or MPI_Reduce_local (MPI_REPLACE and MPI_NO_OP may not: they are for RMA). */
int lm_op_check(const struct lm_op *op, struct lm_datatype *dt);

/* out = a op b over n elements of work type w (a is the lower-ranked operand, as invec of
 * a user function). out may be a, b or a third buffer; out == a with a non-commutative
 * user op is not allowed. For RMA, MPI_REPLACE (out = a: the origin's data) and MPI_NO_OP
 * (out = b) apply too. Called with the library lock held; a user op's function
 * runs with it released (it may call MPI), so the caller must keep op, w and the buffers
 * alive and its own state untouched by others meanwhile. */
void lm_op_apply(const struct lm_op *op, const void *a, const void *b, void *out, size_t n,
                 struct lm_datatype *w);

/* MPI_Reduce_local: inoutbuf = inbuf op inoutbuf, count elements of dt (checked). */
int lm_op_reduce_local(const void *inbuf, void *inoutbuf, size_t count, struct lm_datatype *dt,
                       struct lm_op *op);

/* Typed copy (count1 of t1 at src -> count2 of t2 at dst, same signature; coll.c). */
int lm_coll_copy(const void *src, size_t count1, struct lm_datatype *t1, void *dst,
                 size_t count2, struct lm_datatype *t2);

/* ---- schedules (sched.c) ---------------------------------------------------------------- */

enum lm_sop_kind { LM_SOP_SEND, LM_SOP_RECV, LM_SOP_COPY, LM_SOP_REDUCE, LM_SOP_FENCE };

struct lm_sop {
    uint8_t kind;
    int peer;                    /* send / recv: rank in comm */
    struct lm_comm *comm;        /* send / recv: the schedule's comm when the op was added
                                  * (an intercommunicator's local phases switch it to
                                  * local_comm); traffic goes on its collective context */
    size_t count;                /* send / recv / reduce: elements of type; copy: source */
    struct lm_datatype *type;    /* retained */
    const void *a;               /* send: data; copy: source; reduce: left operand */
    const void *b;               /* reduce: right operand */
    void *out;                   /* recv: buffer; copy: destination; reduce: result */
    size_t out_count;            /* copy: destination count */
    struct lm_datatype *out_type; /* copy: destination type (retained) */
    struct lm_request *req;      /* send / recv in flight */
};

#define LM_SCHED_INLINE_OPS 16
#define LM_SCHED_INLINE_MEM 512

struct lm_sched {
    struct lm_sched *next, *prev;  /* active list, or the pool */
    struct lm_request *req;        /* the request this schedule runs for */
    struct lm_comm *comm;          /* whose ranks ops added now name (see lm_sop.comm) */
    int tag;
    struct lm_op *op;              /* reductions (retained) */
    int err;                       /* first error (building, then each run) */
    int build_err;                 /* the build failed: every start reports this */
    int nops, cap;
    struct lm_sop *ops;
    int cur;                       /* next op to issue */
    int wait_from;                 /* first issued op not known complete */
    bool running;
    bool in_user;                  /* a user reduction function runs (lock released) */
    void **allocs;                 /* temporary memory, freed with the schedule */
    int nallocs, cap_allocs;
    size_t mem_used;
    struct lm_sop inline_ops[LM_SCHED_INLINE_OPS];
    _Alignas(64) char inline_mem[LM_SCHED_INLINE_MEM];
};

/* A schedule outside a request, for comm (reductions: op, retained): for unit tests that
 * run schedules themselves and for composite algorithms. */
struct lm_sched *lm_sched_create(struct lm_comm *comm, struct lm_op *op);
void lm_sched_destroy(struct lm_sched *s);

/* Building. Errors (out of memory) are remembered in s->err and reported when the
 * collective starts, so builders can chain calls without checking each; a builder that
 * writes into memory it got from lm_sched_alloc while building must check s->err first
 * (on failure that memory is only the small inline area). */
void lm_sched_send(struct lm_sched *s, const void *buf, size_t count, struct lm_datatype *dt,
                   int peer);
void lm_sched_recv(struct lm_sched *s, void *buf, size_t count, struct lm_datatype *dt,
                   int peer);
void lm_sched_copy(struct lm_sched *s, const void *src, size_t scount, struct lm_datatype *st,
                   void *dst, size_t dcount, struct lm_datatype *dt);
void lm_sched_reduce(struct lm_sched *s, const void *a, const void *b, void *out, size_t n,
                     struct lm_datatype *w);
void lm_sched_fence(struct lm_sched *s);   /* later ops wait for every earlier one */
void *lm_sched_alloc(struct lm_sched *s, size_t bytes);  /* freed with the schedule */

/* ---- collective calls ------------------------------------------------------------------- */

enum lm_coll_kind {
    LM_COLL_BARRIER, LM_COLL_BCAST, LM_COLL_GATHER, LM_COLL_GATHERV, LM_COLL_SCATTER,
    LM_COLL_SCATTERV, LM_COLL_ALLGATHER, LM_COLL_ALLGATHERV, LM_COLL_ALLTOALL,
    LM_COLL_ALLTOALLV, LM_COLL_ALLTOALLW, LM_COLL_REDUCE, LM_COLL_ALLREDUCE,
    LM_COLL_REDUCE_SCATTER, LM_COLL_REDUCE_SCATTER_BLOCK, LM_COLL_SCAN, LM_COLL_EXSCAN,
    LM_COLL_NKINDS
};

/* The arguments of any collective, already checked by the API layer. sbuf may be
 * MPI_IN_PLACE where the call allows it. Bcast uses rbuf/rcount/rtype for its buffer;
 * reductions use rcount/rtype for count/datatype (reduce_scatter: rcounts). The v and w
 * forms' arrays are int (counts and displacements) or, for the large-count _c forms
 * (big), MPI_Count counts and MPI_Aint displacements: read them with lm_coll_cnt/dsp. */
struct lm_coll_args {
    enum lm_coll_kind kind;
    struct lm_comm *comm;
    const void *sbuf;
    void *rbuf;
    size_t scount, rcount;
    struct lm_datatype *stype, *rtype;
    const void *scounts, *sdispls, *rcounts, *rdispls;  /* v forms; w: displs in bytes */
    bool big;                                           /* arrays of MPI_Count/MPI_Aint */
    struct lm_datatype *const *stypes, *const *rtypes;  /* w form */
    struct lm_op *op;
    int root;
};

static inline size_t lm_coll_cnt(const struct lm_coll_args *a, const void *counts, int i)
{
    return a->big ? (size_t)((const MPI_Count *)counts)[i] : (size_t)((const int *)counts)[i];
}

static inline ptrdiff_t lm_coll_dsp(const struct lm_coll_args *a, const void *displs, int i)
{
    return a->big ? (ptrdiff_t)((const MPI_Aint *)displs)[i]
                  : (ptrdiff_t)((const int *)displs)[i];
}

/* One algorithm: builds the schedule of a call. usable() (NULL: always) says whether it
 * applies to these arguments; it must give the same answer on every rank. */
struct lm_coll_algo {
    const char *name;
    int (*build)(struct lm_sched *s, const struct lm_coll_args *a);
    bool (*usable)(const struct lm_coll_args *a);
};

/* A family's algorithms and its default choice (an index into algos, the same on every
 * rank: it may only look at arguments every rank agrees on). */
struct lm_coll_family {
    const char *name;            /* LITEMPI_COLL_<name> forces an algorithm */
    const struct lm_coll_algo *algos;
    int nalgos;
    int (*choose)(const struct lm_coll_args *a);
};

extern const struct lm_coll_family lm_coll_barrier_family, lm_coll_bcast_family,
    lm_coll_gather_family, lm_coll_gatherv_family, lm_coll_scatter_family,
    lm_coll_scatterv_family, lm_coll_allgather_family, lm_coll_allgatherv_family,
    lm_coll_alltoall_family, lm_coll_alltoallv_family, lm_coll_alltoallw_family,
    lm_coll_reduce_family, lm_coll_allreduce_family, lm_coll_reduce_scatter_family,
    lm_coll_reduce_scatter_block_family, lm_coll_scan_family, lm_coll_exscan_family;

/* Intercommunicator families (inter.c; LITEMPI_COLL_INTER_<FAMILY> forces one). Scan and
 * exscan have none: the standard defines them on intracommunicators only. */
extern const struct lm_coll_family lm_coll_inter_barrier_family, lm_coll_inter_bcast_family,
    lm_coll_inter_gather_family, lm_coll_inter_gatherv_family, lm_coll_inter_scatter_family,
    lm_coll_inter_scatterv_family, lm_coll_inter_allgather_family,
    lm_coll_inter_allgatherv_family, lm_coll_inter_alltoall_family,
    lm_coll_inter_alltoallv_family, lm_coll_inter_alltoallw_family,
    lm_coll_inter_reduce_family, lm_coll_inter_allreduce_family,
    lm_coll_inter_reduce_scatter_family, lm_coll_inter_reduce_scatter_block_family;

/* Run a collective to completion (blocking calls). */
int lm_coll_run(const struct lm_coll_args *a);
/* Start a nonblocking collective; *out is its request (also on error: it completes with
 * the error, unless *out is NULL). */
int lm_coll_start(const struct lm_coll_args *a, struct lm_request **out);
/* A persistent collective, inactive until MPI_Start (req->start). */
int lm_coll_init(const struct lm_coll_args *a, struct lm_request **out);
/* A collective whose schedule the caller writes (neighborhood collectives, src/topo):
 * build(s, arg) fills s with lm_sched_* calls; the request runs on comm's collective
 * context with the next collective tag, like the calls above. Started at once, or, when
 * persistent, left inactive for MPI_Start. A build error completes the request with it. */
int lm_coll_start_custom(struct lm_comm *comm, int (*build)(struct lm_sched *s, const void *arg),
                         const void *arg, bool persistent, struct lm_request **out);
/* Builds the schedule of a call with the algorithm of that family named `algo` (NULL:
 * the default choice); for tests and for composite algorithms. */
int lm_coll_build(struct lm_sched *s, const struct lm_coll_args *a, const char *algo);

/* ---- helpers shared by the algorithm files (coll.c) ------------------------------------- */

static inline size_t lm_coll_pow2_floor(int p)
{
    size_t m = 1;
    while (m * 2 <= (size_t)p)
        m *= 2;
    return m;
}

/* More ranks on this node than CPUs: every rank waits for a CPU, so algorithms with fewer
 * rounds (flat fan-in / fan-out) beat those with fewer messages per rank. Only claimed for
 * single-node jobs, where every rank sees the same answer (choices must agree);
 * LITEMPI_COLL_CROWDED=0/1 overrides. */
bool lm_coll_crowded(void);

static inline bool lm_coll_is_pow2(int p)
{
    return p > 0 && (p & (p - 1)) == 0;
}

/* Reductions: the data as the op sees it (n elements of the work type w) and whether the
 * user's buffers can be used as such vectors in place. */
struct lm_red {
    struct lm_datatype *w;       /* work type */
    size_t n;                    /* elements of w in `count` elements of dt */
    struct lm_datatype *dt;
    size_t count;
    bool direct;                 /* user buffers are w-vectors (at buf + shift) */
    ptrdiff_t shift;
};

void lm_red_init(struct lm_red *r, const struct lm_coll_args *a, size_t count);
/* A w-vector of n elements in schedule memory. */
void *lm_red_tmp(struct lm_sched *s, const struct lm_red *r, size_t n);
/* Pointer to element i of a w-vector. */
static inline void *lm_red_at(const struct lm_red *r, const void *v, size_t i)
{
    return (char *)v + (ptrdiff_t)i * r->w->extent;
}
/* The user's input at buf as a w-vector: buf itself, or a copy made by the schedule. */
const void *lm_red_input(struct lm_sched *s, const struct lm_red *r, const void *buf);
/* Where to put the result for buf: buf itself or a temporary; lm_red_output_end
 * schedules the copy back (a no-op when direct). */
void *lm_red_output(struct lm_sched *s, const struct lm_red *r, void *buf);
void lm_red_output_end(struct lm_sched *s, const struct lm_red *r, void *buf, void *vec);

/* n elements cut into p blocks (the first n % p one longer): counts and offsets. */
void lm_coll_blocks(size_t n, int p, size_t *cnt, size_t *off);

/* Reduction building blocks on w-vectors (reduce.c):
 * reduce_tree: binomial reduction of everyone's inv to rank `root`, in rank order for
 *   non-commutative ops; the result lands in dest at the root (dest unused elsewhere).
 * ring_reduce_scatter (commutative ops): block b (cnt[b] elements at off[b]) ends fully
 *   reduced at rank b, in acc[off[b]...] or, when last_out is set, in last_out. acc is a
 *   writable n-element vector (may equal inv). */
void lm_coll_reduce_tree(struct lm_sched *s, const struct lm_red *rd, const void *inv,
                         void *dest, int root);
void lm_coll_ring_reduce_scatter(struct lm_sched *s, const struct lm_red *rd, const void *inv,
                                 void *acc, const size_t *cnt, const size_t *off,
                                 void *last_out);

/* MPI_BYTE: packed data that algorithms forward through intermediate ranks. */
static inline struct lm_datatype *lm_coll_byte(void)
{
    return lm_dt_builtin(MPI_BYTE);
}

/* Binomial tree over ranks relative to a root: the parent (-1 at the root) and the mask
 * below which children hang (children are rel + m for m < mask, m a power of two). */
static inline int lm_coll_binomial(int rel, int p, int *mask_out)
{
    int mask = 1;
    while (mask < p) {
        if (rel & mask) {
            *mask_out = mask;
            return rel - mask;
        }
        mask <<= 1;
    }
    *mask_out = mask;
    return -1;
}

#endif
