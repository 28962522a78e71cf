/* core.h - the process's MPI state and the objects behind handles.
 *
 * Everything mutable that lives for the whole process sits in one struct, lm_proc. Handles
 * are pointers to these objects (user handles) or the standard ABI's small constants
 * (predefined handles, mapped in src/api/handles.c). Internal functions return LM_OK or an
 * MPI error class and record a detailed message with lm_err_detail() for the API layer.
 */
#ifndef LM_CORE_H
#define LM_CORE_H

#include <mpi.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pmi/pmi.h"

#define LM_OK 0
#define LM_EAGAIN (-11) /* transport: no room now, retry (never returned to users) */

#define LM_MAGIC_COMM 0x4c4d434dU   /* "LMCM" */
#define LM_MAGIC_ERRH 0x4c4d4548U
#define LM_MAGIC_REQ 0x4c4d5251U
#define LM_MAGIC_TYPE 0x4c4d5459U

struct lm_transport;
struct lm_sendq_item;

/* Error handlers: predefined kinds plus (later) user functions. */
enum lm_errh_kind { LM_ERRH_FATAL, LM_ERRH_ABORT, LM_ERRH_RETURN, LM_ERRH_USER };

struct lm_errhandler {
    uint32_t magic;
    int refcount;
    enum lm_errh_kind kind;
    MPI_Errhandler handle;  /* the value users see */
};

/* A process we can talk to, indexed by process id (lpid). World ranks are lpids 0..size-1;
 * processes that join later (spawn, connect) get further ids. */
struct lm_peer {
    int lpid;
    int node;                        /* node id: same node => shared memory reachable */
    const struct lm_transport *tp;   /* chosen at first contact */
    void *tp_state;                  /* the transport's per-peer data */
    struct lm_sendq_item *sendq_head, *sendq_tail; /* packets waiting for room (pt2pt) */
    struct lm_peer *sendq_next;      /* link in the list of peers with a non-empty sendq */
    bool in_sendq_list;
};

struct lm_group {
    int refcount;
    int size;
    int *lpids;   /* rank -> process id */
};

struct lm_comm {
    uint32_t magic;
    int refcount;
    uint32_t ctx;             /* point-to-point context id; collectives use ctx + 1 */
    int rank, size;
    struct lm_group *group;
    struct lm_errhandler *errh;
    MPI_Comm handle;          /* predefined constant or the object pointer itself */
    const char *name;
    uint32_t coll_seq;        /* collectives started here (src/coll tags); starts at 0 */
};

/* Counters kept per process, for the where-stuck report and benchmarks. */
struct lm_stats {
    uint64_t sleeps;
    uint64_t wakeups;
};

struct lm_proc {
    bool initialized, finalized;
    int thread_level;
    pthread_t main_thread;
    bool locking;                 /* MPI_THREAD_MULTIPLE: take the library lock */
    pthread_mutex_t lock;

    struct lm_pmi pmi;
    bool pmi_ready;               /* pmi is connected (abort can reach the launcher) */
    int rank, size;               /* in MPI_COMM_WORLD */
    int node, local_rank, local_size;
    int nnodes;
    int *local_lpids;             /* world ranks on this node, in order */
    pid_t pid;

    struct lm_peer *peers;
    int npeers;

    struct lm_comm world, self;
    struct lm_errhandler errh_fatal, errh_abort, errh_return;

    const char *current_call;     /* MPI call in progress (reports, fatal errors) */
    struct lm_stats stats;
};

extern struct lm_proc lm_proc;

static inline void lm_lock(void)
{
    if (lm_proc.locking)
        pthread_mutex_lock(&lm_proc.lock);
}

static inline void lm_unlock(void)
{
    if (lm_proc.locking)
        pthread_mutex_unlock(&lm_proc.lock);
}

static inline struct lm_peer *lm_peer_of(struct lm_comm *comm, int rank)
{
    return &lm_proc.peers[comm->group->lpids[rank]];
}

/* init.c */
int lm_core_init(int required, int *provided);
int lm_core_finalize(void);
void lm_core_abort(int code, const char *msg) __attribute__((noreturn));

/* errors.c: detailed messages travel with a dynamic error code (class in the low 6 bits). */
int lm_err_detail(int cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int lm_err_class_of(int code);
const char *lm_err_string(int code);

/* comm.c */
int lm_comm_dup(struct lm_comm *comm, struct lm_comm **out);
void lm_comm_release(struct lm_comm *comm);
struct lm_group *lm_group_create(int size);
void lm_group_release(struct lm_group *group);
int lm_ctx_alloc_collective(struct lm_comm *comm, uint32_t *ctx);
void lm_ctx_reserve(uint32_t ctx);
void lm_ctx_free(uint32_t ctx);
#define LM_MAX_CTX 8192           /* context ids: pairs (pt2pt, collective) */

/* env.c: getenv helpers for LITEMPI_* tunables. */
long lm_env_long(const char *name, long dflt);
bool lm_env_bool(const char *name, bool dflt);

/* time.c */
double lm_wtime(void);
uint64_t lm_now_ns(void);

#endif
