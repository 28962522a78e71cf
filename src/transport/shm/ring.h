/* ring.h - single-producer single-consumer ring of fixed-size cells in shared memory.
 *
 * One ring per (sender, receiver) pair, so neither side ever needs a lock or an atomic
 * read-modify-write. The producer owns `tail`, the consumer owns `head`; each keeps a
 * private copy of its own index and a cached copy of the other's, and reads the shared one
 * only when the cached value says the ring looks full (producer) or empty (consumer).
 *
 * Memory ordering: the producer fills a cell, then publishes it with a release store of
 * tail; the consumer's acquire load of tail makes the cell's contents visible. Symmetric
 * for head: the consumer's release store hands the cell back only after it finished reading.
 */
#ifndef LM_SHM_RING_H
#define LM_SHM_RING_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lm_ring_shared {
    alignas(64) _Atomic uint64_t tail; /* written by the producer only */
    alignas(64) _Atomic uint64_t head; /* written by the consumer only */
};

/* Process-private view of one ring (each side has its own). */
struct lm_ring {
    struct lm_ring_shared *sh;
    char *cells;
    uint64_t mask;        /* ncells - 1; ncells is a power of two */
    size_t cell_size;
    uint64_t mine;        /* producer: next tail; consumer: next head */
    uint64_t cached;      /* producer: last seen head; consumer: last seen tail */
};

static inline void lm_ring_attach(struct lm_ring *r, struct lm_ring_shared *sh, char *cells,
                                  uint64_t ncells, size_t cell_size, bool producer)
{
    r->sh = sh;
    r->cells = cells;
    r->mask = ncells - 1;
    r->cell_size = cell_size;
    if (producer) {
        r->mine = atomic_load_explicit(&sh->tail, memory_order_relaxed);
        r->cached = atomic_load_explicit(&sh->head, memory_order_acquire);
    } else {
        r->mine = atomic_load_explicit(&sh->head, memory_order_relaxed);
        r->cached = atomic_load_explicit(&sh->tail, memory_order_acquire);
    }
}

/* Producer: a free cell to fill, or NULL when the ring is full. */
static inline void *lm_ring_reserve(struct lm_ring *r)
{
    if (r->mine - r->cached > r->mask) {
        r->cached = atomic_load_explicit(&r->sh->head, memory_order_acquire);
        if (r->mine - r->cached > r->mask)
            return NULL;
    }
    return r->cells + (r->mine & r->mask) * r->cell_size;
}

/* Producer: publish the reserved cell. */
static inline void lm_ring_commit(struct lm_ring *r)
{
    atomic_store_explicit(&r->sh->tail, ++r->mine, memory_order_release);
}

/* Consumer: the oldest filled cell, or NULL when empty. */
static inline void *lm_ring_peek(struct lm_ring *r)
{
    if (r->mine == r->cached) {
        r->cached = atomic_load_explicit(&r->sh->tail, memory_order_acquire);
        if (r->mine == r->cached)
            return NULL;
    }
    return r->cells + (r->mine & r->mask) * r->cell_size;
}

/* Consumer: give the peeked cell back to the producer. */
static inline void lm_ring_pop(struct lm_ring *r)
{
    atomic_store_explicit(&r->sh->head, ++r->mine, memory_order_release);
}

/* Consumer: is anything there? Reads the shared tail (used before sleeping). */
static inline bool lm_ring_has_data(struct lm_ring *r)
{
    return atomic_load_explicit(&r->sh->tail, memory_order_seq_cst) != r->mine;
}

#endif
