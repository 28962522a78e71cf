/* bsend.c - buffered mode: the process's attached buffer (MPI_Buffer_attach/detach) and
 * MPI_Bsend on top of it.
 *
 * A buffered send packs the message into a block of the attached buffer and starts an
 * ordinary standard-mode send from there, which the user never sees: its request is
 * "freed" from the start, so the protocol releases it on completion, and releasing it
 * gives the block back (lm_request_release -> lm_bsend_block_free). An eager message that
 * the transport takes at once frees its block before MPI_Bsend returns; a rendezvous one
 * holds it until the receiver has the data. MPI_Finalize and MPI_Buffer_detach wait for
 * these sends like for any freed send.
 *
 * Blocks live inside the user's buffer, a header in front of the data, kept in a list in
 * address order; allocation is first fit over the gaps. Per message we need at most
 * header + alignment padding (32 bytes), far below MPI_BSEND_OVERHEAD (512), so a buffer
 * sized by the standard's rule (sum of packed sizes + MPI_BSEND_OVERHEAD each) always fits
 * the messages it was sized for. MPI_BUFFER_AUTOMATIC (MPI-4.1) attaches no memory: each
 * buffered message then gets its own malloc'd block.
 */
#include <stdlib.h>
#include <string.h>

#include "pt2pt/pt2pt.h"

#define LM_BSEND_ALIGN 16

struct lm_bsend_block {
    struct lm_bsend_block *next; /* address order (attached buffer); any order (automatic) */
    size_t len;                  /* bytes the block occupies, header included */
    size_t pad_;                 /* keeps the header a multiple of LM_BSEND_ALIGN */
    size_t pad2_;
};

_Static_assert(sizeof(struct lm_bsend_block) % LM_BSEND_ALIGN == 0, "block header alignment");

static struct {
    bool attached, automatic;
    void *user_base;                 /* as attached: what detach returns */
    size_t user_size;
    char *lo, *hi;                   /* the aligned usable area */
    struct lm_bsend_block *head;
    int pending;                     /* blocks in use */
    size_t used;                     /* bytes in use, headers included */
} bs;

static inline size_t align_up(size_t n)
{
    return (n + LM_BSEND_ALIGN - 1) & ~(size_t)(LM_BSEND_ALIGN - 1);
}

int lm_buffer_attach(void *buf, size_t size)
{
    if (bs.attached)
        return lm_err_detail(MPI_ERR_BUFFER, "a buffer is already attached (%zu bytes at %p%s); "
                             "detach it first: only one buffer per process",
                             bs.user_size, bs.user_base,
                             bs.automatic ? ", MPI_BUFFER_AUTOMATIC" : "");
    memset(&bs, 0, sizeof bs);
    bs.attached = true;
    bs.user_base = buf;
    bs.user_size = size;
    if (buf == MPI_BUFFER_AUTOMATIC) {
        bs.automatic = true;
        bs.user_size = 0;
        return LM_OK;
    }
    uintptr_t lo = ((uintptr_t)buf + LM_BSEND_ALIGN - 1) & ~(uintptr_t)(LM_BSEND_ALIGN - 1);
    uintptr_t hi = (uintptr_t)buf + size;
    bs.lo = bs.hi = (char *)lo;
    if (buf && hi > lo)
        bs.hi = (char *)hi;
    return LM_OK;
}

bool lm_bsend_idle(void)
{
    return bs.pending == 0;
}

static bool bsend_idle(void *arg)
{
    (void)arg;
    return bs.pending == 0;
}

int lm_buffer_detach(void **buf, size_t *size)
{
    if (!bs.attached) {
        /* As other MPIs do: nothing attached gives (NULL, 0) and no error. */
        *buf = NULL;
        *size = 0;
        return LM_OK;
    }
    lm_wait_until(bsend_idle, NULL);
    *buf = bs.user_base;
    *size = bs.user_size;
    memset(&bs, 0, sizeof bs);
    return LM_OK;
}

/* First fit of `need` bytes (header included) among the gaps between blocks. */
static struct lm_bsend_block *block_alloc(size_t need)
{
    struct lm_bsend_block *b;
    if (bs.automatic) {
        if (!(b = malloc(need)))
            return NULL;
        b->next = bs.head;
        bs.head = b;
    } else {
        char *cursor = bs.lo;
        struct lm_bsend_block **link = &bs.head;
        for (;;) {
            char *end = *link ? (char *)*link : bs.hi;
            if ((size_t)(end - cursor) >= need)
                break;
            if (!*link)
                return NULL;
            cursor = (char *)*link + (*link)->len;
            link = &(*link)->next;
        }
        b = (struct lm_bsend_block *)cursor;
        b->next = *link;
        *link = b;
    }
    b->len = need;
    bs.pending++;
    bs.used += need;
    return b;
}

void lm_bsend_block_free(struct lm_bsend_block *b)
{
    struct lm_bsend_block **link = &bs.head;
    while (*link && *link != b)
        link = &(*link)->next;
    if (*link)
        *link = b->next;
    bs.pending--;
    bs.used -= b->len;
    if (bs.automatic)
        free(b);
}

int lm_bsend(const void *buf, size_t count, struct lm_datatype *dt, int dest, int tag,
             struct lm_comm *comm)
{
    if (dest == MPI_PROC_NULL)
        return LM_OK;
    size_t size = count * dt->size;
    if (!bs.attached)
        return lm_err_detail(MPI_ERR_BUFFER, "buffered send of %zu bytes but no buffer is "
                             "attached (MPI_Buffer_attach with at least %zu bytes: the message "
                             "plus MPI_BSEND_OVERHEAD)", size, size + MPI_BSEND_OVERHEAD);
    size_t need = sizeof(struct lm_bsend_block) + align_up(size);
    struct lm_bsend_block *b = block_alloc(need);
    if (!b && !bs.automatic) {
        /* Blocks of sends that completed meanwhile come back through progress. */
        lm_progress();
        b = block_alloc(need);
    }
    if (!b) {
        if (bs.automatic)
            return lm_err_detail(MPI_ERR_BUFFER, "out of memory buffering a %zu-byte message "
                                 "(MPI_BUFFER_AUTOMATIC)", size);
        return lm_err_detail(MPI_ERR_BUFFER, "attached buffer full: a %zu-byte buffered send "
                             "needs %zu bytes, but the %zu-byte buffer has %zu bytes in use "
                             "by %d pending message%s (and no gap that large)", size, need,
                             bs.user_size, bs.used, bs.pending, bs.pending == 1 ? "" : "s");
    }
    char *data = (char *)(b + 1);
    lm_dt_pack(dt, buf, count, 0, data, size);

    struct lm_request *req;
    int rc = lm_isend(data, size, lm_dt_builtin(MPI_BYTE), dest, tag, comm, LM_MODE_STANDARD,
                      &req);
    if (!req) {
        lm_bsend_block_free(b);
        return rc;
    }
    req->bblock = b; /* from now on, the request gives the block back when released */
    if (rc != LM_OK) {
        lm_request_release(req);
        return rc;
    }
    lm_request_free_user(req);
    return LM_OK;
}
