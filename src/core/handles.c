/* handles.c - integers for handles (MPI_<Kind>_toint / _fromint, MPI 5.0 ABI).
 *
 * Predefined handles are their constants (1..4095) and convert to themselves. A user
 * object gets the next free slot of one table, shared by all kinds, and the integer
 * LM_HANDLE_INT_BASE + slot: above the reserved range, small, stable for the object's life.
 * A hash (pointer -> slot, linear probing with backward-shift deletion) makes repeated
 * toint calls O(1); objects of ours forget their entry when freed, so slots are reused.
 * Datatypes and requests are not told when they die; their entries stay until the address
 * is reused by another object of the kind, which then simply inherits the integer (the
 * table grows at most to the number of distinct addresses in use at once).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define LM_HANDLE_INT_BASE 0x1000

static struct {
    void **objs;          /* slot -> object (NULL: free) */
    int nobjs, capobjs;
    int *free_slots;      /* stack of released slots */
    int nfree, capfree;
    void **keys;          /* hash: pointer, NULL = empty */
    int *vals;            /* hash: slot */
    size_t cap, used;     /* hash capacity (power of two) and entries */
} ht;

static size_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return (size_t)x;
}

static bool grow_hash(void)
{
    size_t cap = ht.cap ? ht.cap * 2 : 64;
    void **keys = calloc(cap, sizeof *keys);
    int *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return false;
    }
    for (size_t i = 0; i < ht.cap; i++) {
        if (!ht.keys[i])
            continue;
        size_t j = hash_ptr(ht.keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = ht.keys[i];
        vals[j] = ht.vals[i];
    }
    free(ht.keys);
    free(ht.vals);
    ht.keys = keys;
    ht.vals = vals;
    ht.cap = cap;
    return true;
}

static long find(const void *p)
{
    if (!ht.cap)
        return -1;
    for (size_t j = hash_ptr(p) & (ht.cap - 1); ht.keys[j]; j = (j + 1) & (ht.cap - 1))
        if (ht.keys[j] == p)
            return (long)j;
    return -1;
}

int lm_handle_toint(const void *handle)
{
    uintptr_t h = (uintptr_t)handle;
    if (h < LM_HANDLE_INT_BASE)
        return (int)h;
    long j = find(handle);
    if (j >= 0)
        return LM_HANDLE_INT_BASE + ht.vals[j];
    if ((ht.used + 1) * 2 > ht.cap && !grow_hash())
        return 0;
    int slot;
    if (ht.nfree > 0) {
        slot = ht.free_slots[--ht.nfree];
    } else {
        if (ht.nobjs == ht.capobjs) {
            int cap = ht.capobjs ? ht.capobjs * 2 : 64;
            if (cap > INT32_MAX - LM_HANDLE_INT_BASE)
                return 0;
            void **objs = realloc(ht.objs, sizeof *objs * (size_t)cap);
            if (!objs)
                return 0;
            ht.objs = objs;
            ht.capobjs = cap;
        }
        slot = ht.nobjs++;
    }
    ht.objs[slot] = (void *)handle;
    size_t k = hash_ptr(handle) & (ht.cap - 1);
    while (ht.keys[k])
        k = (k + 1) & (ht.cap - 1);
    ht.keys[k] = (void *)handle;
    ht.vals[k] = slot;
    ht.used++;
    return LM_HANDLE_INT_BASE + slot;
}

void *lm_handle_fromint(int value, void *null_handle)
{
    if (value >= 0 && value < LM_HANDLE_INT_BASE)
        return (void *)(uintptr_t)value;
    long slot = (long)value - LM_HANDLE_INT_BASE;
    if (slot < 0 || slot >= ht.nobjs || !ht.objs[slot])
        return null_handle;
    return ht.objs[slot];
}

void lm_handle_forget(const void *handle)
{
    long j = find(handle);
    if (j < 0)
        return;
    int slot = ht.vals[j];
    ht.objs[slot] = NULL;
    if (ht.nfree == ht.capfree) {
        int cap = ht.capfree ? ht.capfree * 2 : 64;
        int *fs = realloc(ht.free_slots, sizeof *fs * (size_t)cap);
        if (fs) {
            ht.free_slots = fs;
            ht.capfree = cap;
        }
    }
    if (ht.nfree < ht.capfree)
        ht.free_slots[ht.nfree++] = slot;
    /* Backward-shift deletion keeps every probe chain unbroken without tombstones. */
    size_t i = (size_t)j;
    for (size_t k = (i + 1) & (ht.cap - 1); ht.keys[k]; k = (k + 1) & (ht.cap - 1)) {
        size_t home = hash_ptr(ht.keys[k]) & (ht.cap - 1);
        /* Move k into the hole at i if its home is not in (i, k] (cyclically). */
        bool between = i <= k ? (home > i && home <= k) : (home > i || home <= k);
        if (!between) {
            ht.keys[i] = ht.keys[k];
            ht.vals[i] = ht.vals[k];
            i = k;
        }
    }
    ht.keys[i] = NULL;
    ht.used--;
}

void lm_handles_finalize(void)
{
    free(ht.objs);
    free(ht.free_slots);
    free(ht.keys);
    free(ht.vals);
    memset(&ht, 0, sizeof ht);
}
