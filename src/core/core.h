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

#define LM_TAG_UB 0x7fffffff /* the MPI_TAG_UB attribute */

#define LM_MAGIC_COMM 0x4c4d434dU   /* "LMCM" */
#define LM_MAGIC_ERRH 0x4c4d4548U
#define LM_MAGIC_REQ 0x4c4d5251U
#define LM_MAGIC_TYPE 0x4c4d5459U
#define LM_MAGIC_GROUP 0x4c4d4750U  /* "LMGP" */
#define LM_MAGIC_INFO 0x4c4d494eU   /* "LMIN" */

struct lm_transport;
struct lm_sendq_item;

/* Kinds of objects that carry error handlers and attributes (keyvals are per kind). */
enum lm_obj_kind { LM_OBJ_NONE, LM_OBJ_COMM, LM_OBJ_TYPE, LM_OBJ_WIN, LM_OBJ_FILE,
                   LM_OBJ_SESSION };

/* Error handlers: the three predefined ones, and user functions made for one object kind
 * (MPI_Comm_create_errhandler, later MPI_Win_/File_/Session_create_errhandler). */
enum lm_errh_kind { LM_ERRH_FATAL, LM_ERRH_ABORT, LM_ERRH_RETURN, LM_ERRH_USER };

struct lm_errhandler {
    uint32_t magic;
    int refcount;           /* user handle + every object using it; predefined never reach 0 */
    enum lm_errh_kind kind;
    enum lm_obj_kind obj;   /* LM_ERRH_USER: the kind of object it was created for */
    void (*fn)(void);       /* LM_ERRH_USER: MPI_Comm_errhandler_function * etc. */
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
    int failed;                      /* gone (died or finalized): the error code for
                                      * operations with it; 0 while it is there */
};

/* An ordered set of processes. Immutable once built, shared by reference count between
 * communicators and user handles (MPI_Comm_group hands out a reference, not a copy). */
struct lm_group {
    uint32_t magic;
    int refcount;
    int size;
    int *lpids;   /* rank -> process id */
    MPI_Group handle;  /* MPI_GROUP_EMPTY or the object pointer */
};

/* A virtual topology attached to a communicator (src/topo). Each kind embeds this first;
 * communicator code only duplicates (MPI_Comm_dup) and frees it through these hooks. */
struct lm_topo {
    int kind;                                                   /* MPI_CART, MPI_GRAPH, ... */
    int (*dup)(const struct lm_topo *topo, struct lm_topo **out);
    void (*free)(struct lm_topo *topo);
};

struct lm_attr_list;
struct lm_info;

/* A communicator. Intra: one group; rank/size/ctx as usual and remote_group == group.
 * Inter: `group` is the local group and `remote_group` the other side. Point-to-point ranks
 * always address remote_group (so lm_peer_of needs no branch): the envelope's source is
 * the sender's rank in its own local group, which is a rank of the receiver's remote group.
 * Both sides use the same ctx (and ctx + 1 for collectives); `local_comm` is an intracomm
 * over the local group with its own context, for collectives and internal exchanges. */
struct lm_comm {
    uint32_t magic;
    int refcount;
    uint32_t ctx;             /* point-to-point context id; collectives use ctx + 1 */
    int rank, size;           /* in the local group */
    int remote_size;          /* ranks point-to-point can address: remote_group->size */
    bool inter;
    struct lm_group *group;         /* local group */
    struct lm_group *remote_group;  /* == group for intracommunicators (one reference each) */
    struct lm_comm *local_comm;     /* intercommunicators only, owned */
    struct lm_errhandler *errh;
    MPI_Comm handle;          /* predefined constant or the object pointer itself */
    struct lm_attr_list *attrs;     /* cached attributes (attr.c) */
    struct lm_info *info;           /* hints given by the user (NULL: none) */
    struct lm_topo *topo;           /* attached virtual topology, NULL if none */
    char name[MPI_MAX_OBJECT_NAME];
    uint32_t coll_seq;        /* collectives started here (src/coll tags); starts at 0 */
};

/* Info objects: (key, value) pairs in insertion order. */
struct lm_info_entry {
    char *key, *value;
};

struct lm_info {
    uint32_t magic;
    int n, cap;
    struct lm_info_entry *e;
    MPI_Info handle;          /* MPI_INFO_ENV or the object pointer */
};

/* The blocking MPI call in progress, recorded cheaply at entry and formatted only when
 * the call goes to sleep (status board, see board.h). */
struct lm_call {
    const char *name;             /* "MPI_Recv" */
    const char *peer_arg;         /* "source" / "dest", or NULL when there is no peer */
    int peer, tag;
    const struct lm_comm *comm;
};

struct lm_board_slot;

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
    int nfailed;                  /* peers with peers[i].failed set */

    struct lm_comm world, self;
    struct lm_errhandler errh_fatal, errh_abort, errh_return;
    struct lm_group group_empty;  /* MPI_GROUP_EMPTY */

    struct lm_call call;          /* blocking MPI call in progress (status board) */
    struct lm_board_slot *board;  /* our slot on mpiexec's status board, or NULL */
    void *board_map;
    size_t board_len;
    bool board_blocked;           /* our slot says "blocked" */
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

/* The peer behind a point-to-point rank (remote group of an intercommunicator). */
static inline struct lm_peer *lm_peer_of(struct lm_comm *comm, int rank)
{
    return &lm_proc.peers[comm->remote_group->lpids[rank]];
}

/* This process's id in the process table. */
static inline int lm_my_lpid(void)
{
    return lm_proc.rank;
}

/* init.c */
int lm_core_init(int required, int *provided);
int lm_core_finalize(void);
void lm_core_abort(int code, const char *msg) __attribute__((noreturn));

/* errors.c: detailed messages travel with a dynamic error code (class in the low 6 bits).
 * User classes and codes (MPI_Add_error_class/code) take values above MPI_ERR_LASTCODE. */
int lm_err_detail(int cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int lm_err_class_of(int code);            /* -1: not an error code */
const char *lm_err_string(int code);      /* NULL: not an error code */
bool lm_err_is_class(int code);           /* a predefined or user error class */
int lm_err_add_class(int *cls);
int lm_err_add_code(int cls, int *code);
int lm_err_add_string(int code, const char *text);
int lm_err_remove(int code, bool want_class);
int lm_err_remove_string(int code);
int lm_err_last_used(void);               /* the MPI_LASTUSEDCODE attribute */
void lm_err_finalize(void);

/* group.c: groups of processes. Results that are empty are &lm_proc.group_empty. */
struct lm_group *lm_group_create(int size);     /* lpids to be filled; refcount 1 */
void lm_group_retain(struct lm_group *group);
void lm_group_release(struct lm_group *group);
int lm_group_rank_of(const struct lm_group *group, int lpid); /* MPI_UNDEFINED if absent */
int lm_group_compare(const struct lm_group *a, const struct lm_group *b); /* MPI_IDENT... */
int lm_group_translate(const struct lm_group *a, int n, const int *ranks_a,
                       const struct lm_group *b, int *ranks_b);
int lm_group_union(const struct lm_group *a, const struct lm_group *b, struct lm_group **out);
int lm_group_intersection(const struct lm_group *a, const struct lm_group *b,
                          struct lm_group **out);
int lm_group_difference(const struct lm_group *a, const struct lm_group *b,
                        struct lm_group **out);
int lm_group_incl(const struct lm_group *g, int n, const int *ranks, struct lm_group **out);
int lm_group_excl(const struct lm_group *g, int n, const int *ranks, struct lm_group **out);
int lm_group_range(const struct lm_group *g, int n, const int ranges[][3], bool incl,
                   struct lm_group **out);

/* comm.c: communicators and context ids. Constructors are collective over the processes
 * the standard names; each returns *out = NULL where the standard returns MPI_COMM_NULL. */
int lm_comm_init_predefined(void);
void lm_comm_finalize(void);
int lm_comm_dup(struct lm_comm *comm, struct lm_info *info, struct lm_comm **out);
int lm_comm_split(struct lm_comm *comm, int color, int key, struct lm_comm **out);
int lm_comm_split_type(struct lm_comm *comm, int split_type, int key, struct lm_info *info,
                       struct lm_comm **out);
int lm_comm_create(struct lm_comm *comm, struct lm_group *group, struct lm_comm **out);
int lm_comm_create_group(struct lm_comm *comm, struct lm_group *group, int tag,
                         struct lm_comm **out);
int lm_intercomm_create(struct lm_comm *local, int local_leader, struct lm_comm *peer,
                        int remote_leader, int tag, struct lm_comm **out);
int lm_intercomm_merge(struct lm_comm *inter, bool high, struct lm_comm **out);
int lm_comm_compare(const struct lm_comm *a, const struct lm_comm *b);
int lm_comm_set_info(struct lm_comm *comm, const struct lm_info *info);
void lm_comm_retain(struct lm_comm *comm);
void lm_comm_release(struct lm_comm *comm);     /* frees with the last reference */
int lm_comm_free(struct lm_comm *comm);         /* MPI_Comm_free: delete attributes, release */
void lm_ctx_reserve(uint32_t ctx);
void lm_ctx_free(uint32_t ctx);
#define LM_MAX_CTX 8192           /* context ids: pairs (pt2pt, collective) */

/* board.c: the status board mpiexec reads for where-stuck reports and deadlocks. */
void lm_board_attach(void);
void lm_board_detach(void);
void lm_board_blocked(void);      /* about to sleep in a blocking call */
void lm_board_running(void);      /* packets moved or the call returned */

static inline void lm_call_enter(const char *name, const char *peer_arg, int peer, int tag,
                                 const struct lm_comm *comm)
{
    lm_proc.call = (struct lm_call){name, peer_arg, peer, tag, comm};
}
/* Tags that communicator management uses on a communicator's collective context (ctx + 1).
 * Negative, so they never meet the collectives' own (non-negative) tags, and never -1/-2
 * (a receive for MPI_ANY_TAG = -2 would match every non-negative tag). */
enum {
    LM_TAG_CTX_AGREE = -10,   /* context id agreement */
    LM_TAG_GATHER = -11,      /* lm_xchg_* helpers */
    LM_TAG_BCAST = -12,
    LM_TAG_BRIDGE = -13,      /* leader <-> leader of an intercommunicator */
    LM_TAG_TOPO = -14,        /* src/topo: MPI_Dist_graph_create's edge exchange */
    LM_TAG_CREATE_GROUP = -1000 /* minus (user tag mod 2^30): MPI_Comm_create_group */
};

/* exchange.c: small internal collectives for building communicators, over point-to-point
 * on an intracommunicator's collective context. `members` lists the comm ranks taking part
 * (NULL: all of comm); `root` and the returned layouts are member indexes. The collectives
 * engine may replace the bodies; the signatures are what comm.c needs. */
struct lm_xchg {
    struct lm_comm *comm;   /* intracommunicator */
    int n;                  /* members */
    const int *members;     /* comm ranks, NULL: 0..n-1 */
    int me;                 /* my member index */
    int tag;                /* base tag (LM_TAG_* or a create_group tag) */
};
void lm_xchg_all(struct lm_xchg *x, struct lm_comm *comm, int tag);
int lm_xchg_gather(const struct lm_xchg *x, int root, const void *send, size_t bytes,
                   void *recv);
int lm_xchg_bcast(const struct lm_xchg *x, int root, void *buf, size_t bytes);
int lm_xchg_allgather(const struct lm_xchg *x, const void *send, size_t bytes, void *recv);
/* Leader to leader: send `out`, receive the peer's message of any length into *in
 * (malloc'ed, freed by the caller). */
int lm_xchg_swap(struct lm_comm *comm, int peer, uint32_t ctx, int tag, const void *out,
                 size_t outlen, void **in, size_t *inlen);

/* attr.c: keyvals and cached attributes, for every object kind that caches them. The
 * owner keeps a `struct lm_attr_list *` (NULL when empty) and calls these with its
 * handle; callbacks run without the library lock held (they may call MPI), so call these
 * with the lock released. Datatypes: MPI_Type_free calls lm_attr_delete_all before
 * releasing the type, and MPI_Type_dup should call lm_attr_copy_all(LM_OBJ_TYPE, old
 * handle, &old->attrs, new handle, &new->attrs) and free the new type if it fails.
 * Windows: the same with LM_OBJ_WIN (their predefined keyvals 601..605 are answered by
 * the window code before calling lm_attr_get). */
int lm_keyval_create(enum lm_obj_kind kind, void (*copy_fn)(void), void (*delete_fn)(void),
                     void *extra_state, int *keyval);
int lm_keyval_free(enum lm_obj_kind kind, int *keyval);
int lm_attr_set(enum lm_obj_kind kind, void *handle, struct lm_attr_list **list, int keyval,
                void *value);
int lm_attr_get(enum lm_obj_kind kind, struct lm_attr_list **list, int keyval, void **value,
                bool *found);
int lm_attr_delete(enum lm_obj_kind kind, void *handle, struct lm_attr_list **list,
                   int keyval);
int lm_attr_copy_all(enum lm_obj_kind kind, void *old_handle, struct lm_attr_list **from,
                     void *new_handle, struct lm_attr_list **to);
int lm_attr_delete_all(enum lm_obj_kind kind, void *handle, struct lm_attr_list **list);
void lm_attr_list_free(struct lm_attr_list **list);   /* no callbacks: teardown only */
void lm_attr_finalize(void);

/* info.c */
int lm_info_create(struct lm_info **out);
int lm_info_dup(const struct lm_info *info, struct lm_info **out);
void lm_info_free(struct lm_info *info);
int lm_info_set(struct lm_info *info, const char *key, const char *value);
const char *lm_info_get(const struct lm_info *info, const char *key);
int lm_info_delete(struct lm_info *info, const char *key);
int lm_info_check_key(const char *key, const char *arg);
struct lm_info *lm_info_env(void);        /* MPI_INFO_ENV, built on first use */
int lm_info_create_env(struct lm_info **out);
void lm_info_finalize(void);

/* hwres.c: hardware resources this process is confined to (MPI_Comm_split_type). */
enum lm_hw_level { LM_HW_NODE, LM_HW_PACKAGE, LM_HW_NUMA, LM_HW_L3, LM_HW_L2, LM_HW_L1,
                   LM_HW_CORE, LM_HW_PU, LM_HW_NLEVELS };  /* coarse to fine */
int lm_hw_level_by_name(const char *name);   /* -1: not a resource type we know */
const char *lm_hw_level_name(int level);
int64_t lm_hw_resource_id(int level);        /* -1: our CPUs span several of them */

/* handles.c: integers for handles (MPI_<Kind>_toint/fromint). Predefined handles are
 * their own values; objects get LM_HANDLE_INT_BASE + a table slot. Objects that die call
 * lm_handle_forget so the slot is reused. Called with the lock held. */
int lm_handle_toint(const void *handle);               /* 0 only when out of memory */
void *lm_handle_fromint(int value, void *null_handle); /* null_handle if unknown */
void lm_handle_forget(const void *handle);
void lm_handles_finalize(void);

/* errhandler.c */
int lm_errh_create(enum lm_obj_kind obj, void (*fn)(void), struct lm_errhandler **out);
void lm_errh_retain(struct lm_errhandler *e);
void lm_errh_release(struct lm_errhandler *e);

/* env.c: getenv helpers for LITEMPI_* tunables. */
long lm_env_long(const char *name, long dflt);
bool lm_env_bool(const char *name, bool dflt);

/* time.c */
double lm_wtime(void);
uint64_t lm_now_ns(void);

#endif
