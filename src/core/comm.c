/* comm.c - communicators: context ids, the constructors, comparison and release.
 *
 * Context ids come in pairs (even: point-to-point, odd: collectives) from a bitmap. A new
 * communicator's id must be free on every member, so the members AND their free maps
 * (gathered by a root over the parent's collective context, exchange.c) and take the
 * lowest bit left; freeing clears the bit, so ids are recycled and a loop of create/free
 * never runs out. For an intercommunicator the two groups' leaders also swap their
 * groups' maps, so the id is free on both sides; it gets a second pair for its
 * `local_comm`, the intracommunicator over the local group that collectives and the
 * constructors use.
 *
 * Threads: an agreement sleeps in lm_wait with the library lock released, so two threads
 * may run agreements on different parents at once. Each offers only bits no other
 * in-flight agreement of this process has offered, and yields entirely to one with a
 * lower parent context; an agreement that ends with too few bits while someone held bits
 * back retries. The lowest-keyed agreement always gets every free bit on every member in
 * its next round, so this ends (MPICH resolves the same race in a similar way).
 *
 * Constructors return *out = NULL where the standard returns MPI_COMM_NULL.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "pt2pt/pt2pt.h"

#define CTX_PAIRS (LM_MAX_CTX / 2)
#define CTX_WORDS (CTX_PAIRS / 64)

static uint64_t ctx_used[CTX_WORDS];     /* pairs in use by a communicator of ours */
static uint64_t ctx_offered[CTX_WORDS];  /* pairs offered by an agreement in flight */

struct agreement {
    uint32_t key;                        /* the parent's context: lower goes first */
    struct agreement *next;
};
static struct agreement *inflight;

/* What members send: their offer, and whether they held free ids back. */
struct ctx_msg {
    uint32_t withheld;
    uint32_t pad;
    uint64_t map[CTX_WORDS];
};

/* The other group of an intercommunicator, reached by the leader only. */
struct bridge {
    struct lm_comm *comm;
    int peer;
    uint32_t ctx;
    int tag;
};

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

/* AND the members' messages at the root (and across the bridge), result back to all. */
static int ctx_combine(const struct lm_xchg *x, int root, const struct bridge *br,
                       struct ctx_msg *msg)
{
    struct ctx_msg *all = NULL;
    int rc;
    if (x->me == root && !(all = malloc(sizeof *all * (size_t)x->n)))
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory agreeing on a context id");
    rc = lm_xchg_gather(x, root, msg, sizeof *msg, all);
    if (rc == LM_OK && x->me == root) {
        for (int m = 0; m < x->n; m++) {
            if (m == root)
                continue;
            msg->withheld |= all[m].withheld;
            for (int i = 0; i < CTX_WORDS; i++)
                msg->map[i] &= all[m].map[i];
        }
        if (br) {
            void *in;
            size_t inlen;
            rc = lm_xchg_swap(br->comm, br->peer, br->ctx, br->tag, msg, sizeof *msg, &in,
                              &inlen);
            if (rc == LM_OK && inlen != sizeof *msg)
                rc = lm_err_detail(MPI_ERR_INTERN, "context agreement: the other group's "
                                   "leader sent %zu bytes, expected %zu", inlen, sizeof *msg);
            if (rc == LM_OK) {
                const struct ctx_msg *o = in;
                msg->withheld |= o->withheld;
                for (int i = 0; i < CTX_WORDS; i++)
                    msg->map[i] &= o->map[i];
            }
            free(in);
        }
    }
    free(all);
    /* Broadcast even after a root-side failure would leave members waiting; a failure
     * here is a broken job anyway (out of memory, a dead peer). */
    if (rc == LM_OK)
        rc = lm_xchg_bcast(x, root, msg, sizeof *msg);
    return rc;
}

/* Agrees on `npairs` context ids free on every member of x (and, through the bridge, on
 * the other group of an intercommunicator) and reserves them. Called with the lock held. */
static int ctx_agree(const struct lm_xchg *x, int root, const struct bridge *br, int npairs,
                     uint32_t *ctx)
{
    struct agreement self = {.key = x->comm->ctx, .next = inflight};
    inflight = &self;
    int rc;
    for (;;) {
        struct ctx_msg msg = {0};
        uint64_t offer[CTX_WORDS];
        bool yield = false, withheld = false;
        for (struct agreement *a = inflight; a; a = a->next)
            yield |= a != &self && a->key < self.key;
        for (int i = 0; i < CTX_WORDS; i++) {
            uint64_t free_bits = ~ctx_used[i];
            offer[i] = yield ? 0 : free_bits & ~ctx_offered[i];
            withheld |= (free_bits & ~offer[i]) != 0;
            ctx_offered[i] |= offer[i];
            msg.map[i] = offer[i];
        }
        msg.withheld = withheld;
        rc = ctx_combine(x, root, br, &msg);
        for (int i = 0; i < CTX_WORDS; i++)
            ctx_offered[i] &= ~offer[i];
        if (rc != LM_OK)
            break;
        int got = 0;
        for (int i = 0; i < CTX_WORDS && got < npairs; i++) {
            uint64_t w = msg.map[i];
            while (w && got < npairs) {
                uint32_t pair = (uint32_t)(i * 64 + __builtin_ctzll(w));
                w &= w - 1;
                ctx[got++] = pair * 2;
            }
        }
        if (got == npairs) {
            for (int k = 0; k < npairs; k++)
                lm_ctx_reserve(ctx[k]);
            break;
        }
        if (!msg.withheld) {
            rc = lm_err_detail(MPI_ERR_OTHER, "out of context ids: %d communicators exist "
                               "(free some with MPI_Comm_free)", CTX_PAIRS);
            break;
        }
        /* Another agreement of ours (or a member's) holds ids: let it finish. */
        lm_progress();
        if (lm_proc.locking) {
            lm_unlock();
            sched_yield();
            lm_lock();
        }
    }
    for (struct agreement **a = &inflight; *a; a = &(*a)->next) {
        if (*a == &self) {
            *a = self.next;
            break;
        }
    }
    return rc;
}

static void ctx_release(const uint32_t *ctx, int n)
{
    for (int i = 0; i < n; i++)
        lm_ctx_free(ctx[i]);
}

/* ---- objects ------------------------------------------------------------------------------ */

static int nomem(const char *what)
{
    return lm_err_detail(MPI_ERR_NO_MEM, "out of memory %s", what);
}

/* An intracommunicator over g, which it takes one reference of (and adds the remote one). */
static int make_intra(struct lm_group *g, uint32_t ctx, struct lm_errhandler *errh,
                      struct lm_comm **out)
{
    struct lm_comm *c = calloc(1, sizeof *c);
    if (!c) {
        lm_group_release(g);
        return nomem("creating a communicator");
    }
    c->magic = LM_MAGIC_COMM;
    c->refcount = 1;
    c->ctx = ctx;
    c->group = g;
    c->remote_group = g;
    lm_group_retain(g);
    c->size = c->remote_size = g->size;
    c->rank = lm_group_rank_of(g, lm_my_lpid());
    c->errh = errh;
    lm_errh_retain(errh);
    c->handle = (MPI_Comm)c;
    *out = c;
    return LM_OK;
}

/* An intercommunicator (takes one reference of each group) and its local intracomm. */
static int make_inter(struct lm_group *local, struct lm_group *remote, uint32_t ctx,
                      uint32_t local_ctx, struct lm_errhandler *errh, struct lm_comm **out)
{
    struct lm_comm *lc;
    lm_group_retain(local);
    int rc = make_intra(local, local_ctx, &lm_proc.errh_return, &lc);
    if (rc != LM_OK) {
        lm_group_release(local);
        lm_group_release(remote);
        return rc;
    }
    struct lm_comm *c = calloc(1, sizeof *c);
    if (!c) {
        lm_comm_release(lc);
        lm_group_release(local);
        lm_group_release(remote);
        return nomem("creating an intercommunicator");
    }
    c->magic = LM_MAGIC_COMM;
    c->refcount = 1;
    c->ctx = ctx;
    c->inter = true;
    c->group = local;
    c->remote_group = remote;
    c->size = local->size;
    c->rank = lc->rank;
    c->remote_size = remote->size;
    c->local_comm = lc;
    c->errh = errh;
    lm_errh_retain(errh);
    c->handle = (MPI_Comm)c;
    *out = c;
    return LM_OK;
}

void lm_comm_retain(struct lm_comm *comm)
{
    comm->refcount++;
}

void lm_comm_release(struct lm_comm *comm)
{
    if (--comm->refcount > 0)
        return;
    if (comm == &lm_proc.world || comm == &lm_proc.self)
        return;
    lm_ctx_free(comm->ctx);
    lm_group_release(comm->group);
    lm_group_release(comm->remote_group);
    if (comm->local_comm)
        lm_comm_release(comm->local_comm);
    if (comm->topo && comm->topo->free)
        comm->topo->free(comm->topo);
    if (comm->info)
        lm_info_free(comm->info);
    lm_attr_list_free(&comm->attrs);
    lm_errh_release(comm->errh);
    lm_handle_forget(comm);
    /* The last blocking call's record may still name it (status board, board.c). */
    if (lm_proc.call.comm == comm)
        lm_proc.call.comm = NULL;
    comm->magic = 0;
    free(comm);
}

int lm_comm_free(struct lm_comm *comm)
{
    /* Delete callbacks run first, without the lock (they may call MPI); if one fails the
     * communicator stays, as the call failed. */
    int rc = lm_attr_delete_all(LM_OBJ_COMM, (void *)comm->handle, &comm->attrs);
    if (rc != LM_OK)
        return rc;
    lm_lock();
    lm_comm_release(comm);
    lm_unlock();
    return LM_OK;
}

/* Attach a copy of `hints` (may be NULL) as the communicator's info. */
static int attach_info(struct lm_comm *c, const struct lm_info *hints)
{
    if (!hints || hints->n == 0)
        return LM_OK;
    return lm_info_dup(hints, &c->info);
}

/* ---- duplication -------------------------------------------------------------------------- */

/* The members and bridge for an agreement among all of comm (both groups if inter). */
static void plan_all(struct lm_comm *comm, struct lm_xchg *x, struct bridge *br,
                     struct bridge **brp, int tag)
{
    if (comm->inter) {
        lm_xchg_all(x, comm->local_comm, tag);
        *br = (struct bridge){.comm = comm, .peer = 0, .ctx = comm->ctx + 1,
                              .tag = LM_TAG_BRIDGE};
        *brp = br;
    } else {
        lm_xchg_all(x, comm, tag);
        *brp = NULL;
    }
}

int lm_comm_dup(struct lm_comm *comm, struct lm_info *hints, struct lm_comm **out)
{
    struct lm_xchg x;
    struct bridge br, *brp;
    uint32_t ctx[2];
    int npairs = comm->inter ? 2 : 1, rc;
    plan_all(comm, &x, &br, &brp, LM_TAG_CTX_AGREE);
    if ((rc = ctx_agree(&x, 0, brp, npairs, ctx)) != LM_OK)
        return rc;
    struct lm_comm *c;
    lm_group_retain(comm->group);
    if (comm->inter) {
        lm_group_retain(comm->remote_group);
        rc = make_inter(comm->group, comm->remote_group, ctx[0], ctx[1], comm->errh, &c);
    } else {
        rc = make_intra(comm->group, ctx[0], comm->errh, &c);
    }
    if (rc != LM_OK) {
        ctx_release(ctx, npairs);
        return rc;
    }
    if ((rc = attach_info(c, hints)) == LM_OK && comm->topo && comm->topo->dup)
        rc = comm->topo->dup(comm->topo, &c->topo);
    if (rc != LM_OK) {
        lm_comm_release(c);
        return rc;
    }
    *out = c;
    return LM_OK;
}

/* ---- split -------------------------------------------------------------------------------- */

struct split_entry {
    int64_t color;    /* < 0: MPI_UNDEFINED */
    int32_t key;
    int32_t rank;     /* filled in locally after the exchange */
};

static int cmp_key_rank(const void *a, const void *b)
{
    const struct split_entry *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

/* The group of the entries with `color`, ordered by (key, rank); lpids from `from`. */
static int split_group(struct split_entry *t, int n, int64_t color,
                       const struct lm_group *from, struct lm_group **out)
{
    struct split_entry *sel = malloc(sizeof *sel * (size_t)(n ? n : 1));
    int k = 0;
    if (!sel)
        return nomem("splitting a communicator");
    for (int i = 0; i < n; i++) {
        if (t[i].color == color) {
            sel[k] = t[i];
            sel[k++].rank = i;
        }
    }
    qsort(sel, (size_t)k, sizeof *sel, cmp_key_rank);
    if (k == 0) {
        *out = &lm_proc.group_empty;
        free(sel);
        return LM_OK;
    }
    struct lm_group *g = lm_group_create(k);
    if (!g) {
        free(sel);
        return nomem("splitting a communicator");
    }
    for (int i = 0; i < k; i++)
        g->lpids[i] = from->lpids[sel[i].rank];
    free(sel);
    *out = g;
    return LM_OK;
}

/* MPI_Comm_split with a 64-bit color (split_type combines node and resource ids). */
static int split64(struct lm_comm *comm, int64_t color, int key, struct lm_comm **out)
{
    struct lm_comm *lc = comm->inter ? comm->local_comm : comm;
    struct lm_xchg x;
    struct split_entry mine = {.color = color < 0 ? -1 : color, .key = key};
    struct split_entry *loc = malloc(sizeof *loc * (size_t)lc->size), *rem = NULL;
    struct lm_group *lg = NULL, *rg = NULL;
    uint32_t ctx[2];
    int npairs = comm->inter ? 2 : 1, rc;
    *out = NULL;
    if (!loc)
        return nomem("splitting a communicator");
    lm_xchg_all(&x, lc, LM_TAG_GATHER);
    rc = lm_xchg_allgather(&x, &mine, sizeof mine, loc);
    if (rc == LM_OK && comm->inter) {
        /* The leaders swap their tables; each broadcasts the other side's. */
        rem = malloc(sizeof *rem * (size_t)comm->remote_size);
        if (!rem)
            rc = nomem("splitting an intercommunicator");
        if (rc == LM_OK && comm->rank == 0) {
            void *in;
            size_t inlen;
            rc = lm_xchg_swap(comm, 0, comm->ctx + 1, LM_TAG_BRIDGE, loc,
                              sizeof *loc * (size_t)lc->size, &in, &inlen);
            if (rc == LM_OK && inlen != sizeof *rem * (size_t)comm->remote_size)
                rc = lm_err_detail(MPI_ERR_INTERN, "split: the remote leader sent %zu bytes",
                                   inlen);
            if (rc == LM_OK)
                memcpy(rem, in, inlen);
            free(in);
        }
        if (rc == LM_OK)
            rc = lm_xchg_bcast(&x, 0, rem, sizeof *rem * (size_t)comm->remote_size);
    }
    if (rc == LM_OK) {
        struct bridge br, *brp;
        plan_all(comm, &x, &br, &brp, LM_TAG_CTX_AGREE);
        rc = ctx_agree(&x, 0, brp, npairs, ctx);
    }
    if (rc != LM_OK)
        goto out;
    if (mine.color >= 0)
        rc = split_group(loc, lc->size, mine.color, comm->group, &lg);
    if (rc == LM_OK && mine.color >= 0 && comm->inter)
        rc = split_group(rem, comm->remote_size, mine.color, comm->remote_group, &rg);
    if (rc != LM_OK || mine.color < 0 || (comm->inter && rg->size == 0)) {
        /* MPI_UNDEFINED, or an intercommunicator color with no one on the other side. */
        ctx_release(ctx, npairs);
        lm_group_release(lg);
        lm_group_release(rg);
        goto out;
    }
    if (comm->inter)
        rc = make_inter(lg, rg, ctx[0], ctx[1], comm->errh, out);
    else
        rc = make_intra(lg, ctx[0], comm->errh, out);
    if (rc != LM_OK)
        ctx_release(ctx, npairs);
out:
    free(loc);
    free(rem);
    return rc;
}

int lm_comm_split(struct lm_comm *comm, int color, int key, struct lm_comm **out)
{
    return split64(comm, color == MPI_UNDEFINED ? -1 : color, key, out);
}

/* Color for a hardware level: node and resource id (both needed: ids repeat per node). */
static int64_t hw_color(int level)
{
    int64_t id = lm_hw_resource_id(level);
    if (id < 0)
        return -1;
    return ((int64_t)lm_proc.node << 32) | (id & 0xffffffff);
}

/* MPI_COMM_TYPE_HW_UNGUIDED: the coarsest level at which no part is the whole of comm. */
static int unguided_level(struct lm_comm *comm, int *level)
{
    struct lm_comm *lc = comm->inter ? comm->local_comm : comm;
    struct lm_xchg x;
    int64_t mine[LM_HW_NLEVELS];
    int64_t *all = malloc(sizeof mine * (size_t)lc->size);
    if (!all)
        return nomem("splitting a communicator");
    for (int l = 0; l < LM_HW_NLEVELS; l++)
        mine[l] = hw_color(l);
    lm_xchg_all(&x, lc, LM_TAG_GATHER);
    int rc = lm_xchg_allgather(&x, mine, sizeof mine, all);
    *level = -1;
    for (int l = 0; rc == LM_OK && l < LM_HW_NLEVELS && *level < 0; l++) {
        bool whole = false;
        for (int i = 0; i < lc->size && !whole; i++) {
            int64_t c = all[i * LM_HW_NLEVELS + l];
            int same = 0;
            for (int j = 0; j < lc->size && c >= 0; j++)
                same += all[j * LM_HW_NLEVELS + l] == c;
            whole = same == lc->size;
        }
        if (!whole)
            *level = l;
    }
    free(all);
    return rc;
}

int lm_comm_split_type(struct lm_comm *comm, int split_type, int key, struct lm_info *info,
                       struct lm_comm **out)
{
    int64_t color = -1;
    int level = -1, rc;
    const char *v;
    switch (split_type) {
    case MPI_UNDEFINED:
        break;
    case MPI_COMM_TYPE_SHARED:
        level = LM_HW_NODE;
        break;
    case MPI_COMM_TYPE_HW_GUIDED:
    case MPI_COMM_TYPE_RESOURCE_GUIDED:
        /* Unknown resource types (and no info key) give MPI_COMM_NULL, as MPI allows. */
        if (info && (v = lm_info_get(info, "mpi_hw_resource_type")))
            level = lm_hw_level_by_name(v);
        else if (split_type == MPI_COMM_TYPE_RESOURCE_GUIDED && info &&
                 (v = lm_info_get(info, "mpi_pset_name"))) {
            if (!strcmp(v, "mpi://WORLD"))
                color = 0;
            else if (!strcmp(v, "mpi://SELF"))
                color = lm_my_lpid();
        }
        break;
    case MPI_COMM_TYPE_HW_UNGUIDED:
        if ((rc = unguided_level(comm, &level)) != LM_OK)
            return rc;
        break;
    default:
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: split_type = %d (expected "
                             "MPI_COMM_TYPE_SHARED, _HW_GUIDED, _HW_UNGUIDED, "
                             "_RESOURCE_GUIDED or MPI_UNDEFINED)", split_type);
    }
    if (level >= 0)
        color = hw_color(level);
    if ((rc = split64(comm, color, key, out)) != LM_OK || !*out)
        return rc;
    rc = attach_info(*out, info);
    if (rc == LM_OK && level >= 0 && split_type != MPI_COMM_TYPE_SHARED) {
        /* Tell the user which resource the parts stand for (MPI-4 7.4.2). */
        if (!(*out)->info)
            rc = lm_info_create(&(*out)->info);
        if (rc == LM_OK)
            rc = lm_info_set((*out)->info, "mpi_hw_resource_type", lm_hw_level_name(level));
    }
    if (rc != LM_OK) {
        lm_comm_release(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- create ------------------------------------------------------------------------------- */

static int check_subset(const struct lm_group *g, const struct lm_group *of, const char *what)
{
    for (int i = 0; i < g->size; i++)
        if (lm_group_rank_of(of, g->lpids[i]) == MPI_UNDEFINED)
            return lm_err_detail(MPI_ERR_GROUP, "invalid group: rank %d of group is not in "
                                 "the %s", i, what);
    return LM_OK;
}

/* The other side's group, from the leaders' swap (its lpids) and a local broadcast. */
static int swap_groups(struct lm_comm *lc, int leader, bool am_leader, const struct bridge *br,
                       const struct lm_group *mine, struct lm_group **theirs)
{
    struct lm_xchg x;
    int32_t n = 0;
    int *lpids = NULL, rc = LM_OK;
    lm_xchg_all(&x, lc, LM_TAG_BCAST);
    if (am_leader) {
        size_t inlen;
        rc = lm_xchg_swap(br->comm, br->peer, br->ctx, br->tag, mine->lpids,
                          sizeof *mine->lpids * (size_t)mine->size, (void **)&lpids, &inlen);
        n = (int32_t)(inlen / sizeof *lpids);
    }
    /* Members learn the size first, then the list (an error turns into size -1). */
    if (rc != LM_OK)
        n = -1;
    int brc = lm_xchg_bcast(&x, leader, &n, sizeof n);
    if (rc == LM_OK)
        rc = brc;
    if (rc == LM_OK && n < 0)
        rc = lm_err_detail(MPI_ERR_OTHER, "the group leaders could not exchange groups");
    if (rc == LM_OK && !am_leader && !(lpids = malloc(sizeof *lpids * (size_t)(n ? n : 1))))
        rc = nomem("receiving a group");
    if (rc == LM_OK && n > 0)
        rc = lm_xchg_bcast(&x, leader, lpids, sizeof *lpids * (size_t)n);
    if (rc == LM_OK) {
        if (n == 0) {
            *theirs = &lm_proc.group_empty;
        } else if (!(*theirs = lm_group_create(n))) {
            rc = nomem("receiving a group");
        } else {
            for (int i = 0; i < n; i++) {
                if (lpids[i] < 0 || lpids[i] >= lm_proc.npeers) {
                    lm_group_release(*theirs);
                    rc = lm_err_detail(MPI_ERR_INTERN, "the other group names process %d, "
                                       "unknown here", lpids[i]);
                    break;
                }
                (*theirs)->lpids[i] = lpids[i];
            }
        }
    }
    free(lpids);
    return rc;
}

int lm_comm_create(struct lm_comm *comm, struct lm_group *group, struct lm_comm **out)
{
    struct lm_xchg x;
    struct bridge br, *brp;
    struct lm_group *rg = NULL;
    uint32_t ctx[2];
    int npairs = comm->inter ? 2 : 1, rc;
    *out = NULL;
    if ((rc = check_subset(group, comm->group, comm->inter ? "local group of comm" :
                           "group of comm")) != LM_OK)
        return rc;
    plan_all(comm, &x, &br, &brp, LM_TAG_CTX_AGREE);
    if (comm->inter && (rc = swap_groups(comm->local_comm, 0, comm->rank == 0, brp, group,
                                         &rg)) != LM_OK)
        return rc;
    if ((rc = ctx_agree(&x, 0, brp, npairs, ctx)) != LM_OK) {
        lm_group_release(rg);
        return rc;
    }
    bool member = lm_group_rank_of(group, lm_my_lpid()) != MPI_UNDEFINED;
    if (!member || (comm->inter && rg->size == 0)) {
        ctx_release(ctx, npairs);
        lm_group_release(rg);
        return LM_OK;
    }
    lm_group_retain(group);
    rc = comm->inter ? make_inter(group, rg, ctx[0], ctx[1], comm->errh, out)
                     : make_intra(group, ctx[0], comm->errh, out);
    if (rc != LM_OK)
        ctx_release(ctx, npairs);
    return rc;
}

int lm_comm_create_group(struct lm_comm *comm, struct lm_group *group, int tag,
                         struct lm_comm **out)
{
    int rc, me = lm_group_rank_of(group, lm_my_lpid());
    *out = NULL;
    if ((rc = check_subset(group, comm->group, "group of comm")) != LM_OK)
        return rc;
    if (me == MPI_UNDEFINED)
        return LM_OK;   /* not a member: nothing to build (MPI_COMM_NULL) */
    int *members = malloc(sizeof *members * (size_t)group->size);
    if (!members)
        return nomem("creating a communicator");
    for (int i = 0; i < group->size; i++)
        members[i] = lm_group_rank_of(comm->group, group->lpids[i]);
    /* The user's tag keeps concurrent creations over overlapping groups apart. */
    struct lm_xchg x = {.comm = comm, .n = group->size, .members = members, .me = me,
                        .tag = LM_TAG_CREATE_GROUP - (tag & 0x3fffffff)};
    uint32_t ctx;
    rc = ctx_agree(&x, 0, NULL, 1, &ctx);
    free(members);
    if (rc != LM_OK)
        return rc;
    lm_group_retain(group);
    if ((rc = make_intra(group, ctx, comm->errh, out)) != LM_OK)
        lm_ctx_free(ctx);
    return rc;
}

/* ---- intercommunicators ------------------------------------------------------------------- */

int lm_intercomm_create(struct lm_comm *local, int local_leader, struct lm_comm *peer,
                        int remote_leader, int tag, struct lm_comm **out)
{
    bool am_leader = local->rank == local_leader;
    struct bridge br = {.comm = peer, .peer = remote_leader, .ctx = peer ? peer->ctx : 0,
                        .tag = tag};
    struct lm_group *rg;
    struct lm_xchg x;
    uint32_t ctx[2];
    int rc;
    *out = NULL;
    if ((rc = swap_groups(local, local_leader, am_leader, &br, local->group, &rg)) != LM_OK)
        return rc;
    /* Every member now knows both groups, so all detect an overlap alike. */
    for (int i = 0; i < rg->size; i++) {
        if (lm_group_rank_of(local->group, rg->lpids[i]) != MPI_UNDEFINED) {
            rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: the local and remote groups "
                               "overlap (rank %d of the remote group is rank %d of local_comm)",
                               i, lm_group_rank_of(local->group, rg->lpids[i]));
            lm_group_release(rg);
            return rc;
        }
    }
    if (rg->size == 0) {
        lm_group_release(rg);
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: the remote group is empty");
    }
    lm_xchg_all(&x, local, LM_TAG_CTX_AGREE);
    if ((rc = ctx_agree(&x, local_leader, &br, 2, ctx)) != LM_OK) {
        lm_group_release(rg);
        return rc;
    }
    lm_group_retain(local->group);
    if ((rc = make_inter(local->group, rg, ctx[0], ctx[1], local->errh, out)) != LM_OK)
        ctx_release(ctx, 2);
    return rc;
}

int lm_intercomm_merge(struct lm_comm *inter, bool high, struct lm_comm **out)
{
    struct lm_xchg x;
    struct bridge br, *brp;
    int32_t mine = high, theirs = 0;
    uint32_t ctx;
    int rc = LM_OK;
    *out = NULL;
    plan_all(inter, &x, &br, &brp, LM_TAG_BCAST);
    if (inter->rank == 0) {
        void *in;
        size_t inlen;
        rc = lm_xchg_swap(inter, 0, inter->ctx + 1, LM_TAG_BRIDGE, &mine, sizeof mine, &in,
                          &inlen);
        if (rc == LM_OK)
            memcpy(&theirs, in, sizeof theirs);
        free(in);
        if (rc != LM_OK)
            theirs = -1;
    }
    int brc = lm_xchg_bcast(&x, 0, &theirs, sizeof theirs);
    if (rc == LM_OK)
        rc = brc;
    if (rc == LM_OK && theirs < 0)
        rc = lm_err_detail(MPI_ERR_OTHER, "the group leaders could not exchange `high`");
    if (rc != LM_OK)
        return rc;
    x.tag = LM_TAG_CTX_AGREE;
    if ((rc = ctx_agree(&x, 0, brp, 1, &ctx)) != LM_OK)
        return rc;
    /* The group with high = false goes first; a tie is broken alike on both sides. */
    const struct lm_group *a = inter->group, *b = inter->remote_group;
    bool local_first = (mine != 0) == (theirs != 0) ? a->lpids[0] < b->lpids[0] : !mine;
    struct lm_group *g = lm_group_create(a->size + b->size);
    if (!g) {
        lm_ctx_free(ctx);
        return nomem("merging an intercommunicator");
    }
    const struct lm_group *first = local_first ? a : b, *second = local_first ? b : a;
    memcpy(g->lpids, first->lpids, sizeof *g->lpids * (size_t)first->size);
    memcpy(g->lpids + first->size, second->lpids, sizeof *g->lpids * (size_t)second->size);
    if ((rc = make_intra(g, ctx, inter->errh, out)) != LM_OK)
        lm_ctx_free(ctx);
    return rc;
}

/* ---- queries ------------------------------------------------------------------------------ */

int lm_comm_compare(const struct lm_comm *a, const struct lm_comm *b)
{
    if (a == b)
        return MPI_IDENT;
    if (a->inter != b->inter)
        return MPI_UNEQUAL;
    int l = lm_group_compare(a->group, b->group);
    int r = a->inter ? lm_group_compare(a->remote_group, b->remote_group) : MPI_IDENT;
    if (l == MPI_UNEQUAL || r == MPI_UNEQUAL)
        return MPI_UNEQUAL;
    if (l == MPI_IDENT && r == MPI_IDENT)
        return MPI_CONGRUENT;
    return MPI_SIMILAR;
}

int lm_comm_set_info(struct lm_comm *comm, const struct lm_info *info)
{
    int rc = LM_OK;
    if (!info || info->n == 0)
        return LM_OK;
    if (!comm->info && (rc = lm_info_create(&comm->info)) != LM_OK)
        return rc;
    for (int i = 0; i < info->n && rc == LM_OK; i++)
        rc = lm_info_set(comm->info, info->e[i].key, info->e[i].value);
    return rc;
}

/* ---- MPI_COMM_WORLD, MPI_COMM_SELF -------------------------------------------------------- */

static int predefined(struct lm_comm *c, MPI_Comm handle, const char *name, uint32_t ctx,
                      int size, int first)
{
    struct lm_group *g = lm_group_create(size);
    if (!g)
        return nomem("creating a group");
    for (int i = 0; i < size; i++)
        g->lpids[i] = first + i;
    *c = (struct lm_comm){.magic = LM_MAGIC_COMM, .refcount = 1, .ctx = ctx, .size = size,
                          .remote_size = size, .group = g, .remote_group = g,
                          .errh = &lm_proc.errh_fatal, .handle = handle};
    c->rank = lm_group_rank_of(g, lm_my_lpid());
    g->refcount++;
    lm_proc.errh_fatal.refcount++;
    snprintf(c->name, sizeof c->name, "%s", name);
    lm_ctx_reserve(ctx);
    return LM_OK;
}

int lm_comm_init_predefined(void)
{
    memset(ctx_used, 0, sizeof ctx_used);
    lm_proc.group_empty = (struct lm_group){.magic = LM_MAGIC_GROUP, .refcount = 1, .size = 0,
                                            .lpids = NULL, .handle = MPI_GROUP_EMPTY};
    /* MPI_COMM_WORLD: context 0 (collectives 1); MPI_COMM_SELF: context 2 (3). */
    int rc = predefined(&lm_proc.world, MPI_COMM_WORLD, "MPI_COMM_WORLD", 0, lm_proc.size, 0);
    if (rc == LM_OK)
        rc = predefined(&lm_proc.self, MPI_COMM_SELF, "MPI_COMM_SELF", 2, 1, lm_my_lpid());
    return rc;
}

void lm_comm_finalize(void)
{
    struct lm_comm *cs[2] = {&lm_proc.world, &lm_proc.self};
    for (int i = 0; i < 2; i++) {
        struct lm_comm *c = cs[i];
        lm_group_release(c->group);
        lm_group_release(c->remote_group);
        c->group = c->remote_group = NULL;
        if (c->info)
            lm_info_free(c->info);
        c->info = NULL;
        lm_attr_list_free(&c->attrs);
        if (c->topo && c->topo->free)
            c->topo->free(c->topo);
        c->topo = NULL;
    }
}
