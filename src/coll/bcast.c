/* bcast.c - MPI_Bcast.
 *
 * binomial: the root sends to the roots of ever smaller subtrees; log2 p rounds of the
 *   whole message. Best for small messages and for 2 ranks.
 * scatter_allgather (van de Geijn): a binomial scatter gives every rank 1/p of the
 *   message, a ring allgather puts it together everywhere: about 2n bytes through each
 *   rank instead of n log2 p at the root. For large messages on more ranks.
 * flat: the root sends to everyone: one round, for small messages when ranks outnumber
 *   cores (see barrier.c).
 * Ranks are relative to the root. Non-contiguous buffers travel packed in the second
 * algorithm (it cuts the message at byte boundaries).
 */
#include "coll/coll.h"

static int binomial(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, root = a->root;
    int rel = (a->comm->rank - root + p) % p, mask;
    if (a->rcount * a->rtype->size == 0)
        return LM_OK;
    int parent = lm_coll_binomial(rel, p, &mask);
    if (parent >= 0) {
        lm_sched_recv(s, a->rbuf, a->rcount, a->rtype, (parent + root) % p);
        lm_sched_fence(s);
    }
    for (int m = mask >> 1; m >= 1; m >>= 1)
        if (rel + m < p)
            lm_sched_send(s, a->rbuf, a->rcount, a->rtype, (rel + m + root) % p);
    return LM_OK;
}

/* Bytes [j0 * chunk, j1 * chunk) of an nb-byte message, clipped. */
static void range(size_t chunk, size_t nb, int j0, int j1, size_t *lo, size_t *len)
{
    size_t a = (size_t)j0 * chunk, b = (size_t)j1 * chunk;
    if (a > nb)
        a = nb;
    if (b > nb)
        b = nb;
    *lo = a;
    *len = b - a;
}

static int scatter_allgather(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, root = a->root;
    int rel = (a->comm->rank - root + p) % p, mask;
    size_t nb = a->rcount * a->rtype->size;
    struct lm_datatype *byte = lm_coll_byte();
    if (nb == 0)
        return LM_OK;
    char *data = (char *)lm_dt_contig_base(a->rtype, a->rbuf, a->rcount);
    bool packed = data == NULL;
    if (packed) {
        data = lm_sched_alloc(s, nb);
        if (rel == 0)
            lm_sched_copy(s, a->rbuf, a->rcount, a->rtype, data, nb, byte);
    }
    size_t chunk = (nb + (size_t)p - 1) / (size_t)p, lo, len;

    /* scatter: my subtree's blocks from the parent, then my children's */
    int parent = lm_coll_binomial(rel, p, &mask);
    if (parent >= 0) {
        range(chunk, nb, rel, rel + mask < p ? rel + mask : p, &lo, &len);
        if (len)
            lm_sched_recv(s, data + lo, len, byte, (parent + root) % p);
        lm_sched_fence(s);
    }
    for (int m = mask >> 1; m >= 1; m >>= 1) {
        int child = rel + m;
        if (child >= p)
            continue;
        range(chunk, nb, child, child + m < p ? child + m : p, &lo, &len);
        if (len)
            lm_sched_send(s, data + lo, len, byte, (child + root) % p);
    }
    lm_sched_fence(s);

    /* ring allgather; the root has everything, so nobody sends to it */
    int left = (rel - 1 + p) % p, right = (rel + 1) % p;
    for (int i = 0; i < p - 1; i++) {
        int sb = (rel - i + p) % p, rb = (rel - i - 1 + p) % p;
        if (rel != 0) {
            range(chunk, nb, rb, rb + 1, &lo, &len);
            if (len)
                lm_sched_recv(s, data + lo, len, byte, (left + root) % p);
        }
        if (right != 0) {
            range(chunk, nb, sb, sb + 1, &lo, &len);
            if (len)
                lm_sched_send(s, data + lo, len, byte, (right + root) % p);
        }
        lm_sched_fence(s);
    }
    if (packed && rel != 0)
        lm_sched_copy(s, data, nb, byte, a->rbuf, a->rcount, a->rtype);
    return LM_OK;
}

static int flat(struct lm_sched *s, const struct lm_coll_args *a)
{
    int p = a->comm->size, r = a->comm->rank;
    if (a->rcount * a->rtype->size == 0)
        return LM_OK;
    if (r != a->root) {
        lm_sched_recv(s, a->rbuf, a->rcount, a->rtype, a->root);
        return LM_OK;
    }
    for (int i = 1; i < p; i++)
        lm_sched_send(s, a->rbuf, a->rcount, a->rtype, (r + i) % p);
    return LM_OK;
}

static const struct lm_coll_algo algos[] = {
    {"binomial", binomial, NULL},
    {"scatter_allgather", scatter_allgather, NULL},
    {"flat", flat, NULL},
};

static int choose(const struct lm_coll_args *a)
{
    size_t nb = a->rcount * a->rtype->size;
    int p = a->comm->size;
    if (p > 2 && nb >= 128 * 1024)
        return 1;
    return p > 2 && p <= 64 && nb <= 4096 && lm_coll_crowded() ? 2 : 0;
}

const struct lm_coll_family lm_coll_bcast_family = {"BCAST", algos, 3, choose};
