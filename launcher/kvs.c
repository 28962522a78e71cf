/* String-to-string tables for the PMI server: the job's key-value space (every rank puts
 * its business card, every rank may get every other's: O(ranks) entries, looked up
 * O(ranks^2) times in the worst case, hence a hash table) and the name service.
 *
 * Chained hashing (FNV-1a), doubled when the load factor reaches 1. Keys and values are
 * copied; lm_table_free releases everything.
 */
#include "launcher.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    struct entry *next;
    uint32_t hash;
    char *key;
    char *value;
};

struct lm_table {
    struct entry **buckets;
    size_t nbuckets; /* power of two */
    size_t count;
};

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

struct lm_table *lm_table_create(void)
{
    struct lm_table *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->nbuckets = 64;
    t->buckets = calloc(t->nbuckets, sizeof *t->buckets);
    if (t->buckets == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

void lm_table_free(struct lm_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nbuckets; i++) {
        struct entry *e = t->buckets[i];
        while (e) {
            struct entry *next = e->next;
            free(e->key);
            free(e->value);
            free(e);
            e = next;
        }
    }
    free(t->buckets);
    free(t);
}

static struct entry *find(const struct lm_table *t, const char *key, uint32_t h)
{
    for (struct entry *e = t->buckets[h & (t->nbuckets - 1)]; e; e = e->next)
        if (e->hash == h && strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

const char *lm_table_get(const struct lm_table *t, const char *key)
{
    struct entry *e = find(t, key, hash_str(key));
    return e ? e->value : NULL;
}

static void grow(struct lm_table *t)
{
    size_t n = t->nbuckets * 2;
    struct entry **b = calloc(n, sizeof *b);
    if (b == NULL)
        return; /* keep the longer chains; still correct */
    for (size_t i = 0; i < t->nbuckets; i++) {
        struct entry *e = t->buckets[i];
        while (e) {
            struct entry *next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = n;
}

int lm_table_put(struct lm_table *t, const char *key, const char *value)
{
    uint32_t h = hash_str(key);
    struct entry *e = find(t, key, h);
    char *v = strdup(value);
    if (v == NULL)
        return -1;
    if (e != NULL) { /* a second put of the same key replaces the value */
        free(e->value);
        e->value = v;
        return 0;
    }
    e = malloc(sizeof *e);
    if (e == NULL || (e->key = strdup(key)) == NULL) {
        free(e);
        free(v);
        return -1;
    }
    e->value = v;
    e->hash = h;
    e->next = t->buckets[h & (t->nbuckets - 1)];
    t->buckets[h & (t->nbuckets - 1)] = e;
    if (++t->count > t->nbuckets)
        grow(t);
    return 0;
}

bool lm_table_remove(struct lm_table *t, const char *key)
{
    uint32_t h = hash_str(key);
    for (struct entry **pp = &t->buckets[h & (t->nbuckets - 1)]; *pp; pp = &(*pp)->next) {
        struct entry *e = *pp;
        if (e->hash == h && strcmp(e->key, key) == 0) {
            *pp = e->next;
            free(e->key);
            free(e->value);
            free(e);
            t->count--;
            return true;
        }
    }
    return false;
}
