/* pack.c - packing, unpacking and visiting the bytes of `count` elements of a type, from
 * any byte of the packed stream.
 *
 * One walker (walk.inc) is instantiated three times so the copy is inlined in the pack and
 * unpack loops (a vector of 8-byte blocks becomes a loop of 8-byte loads and stores) and
 * a callback in the generic visitor (iovecs, reductions, file views). Contiguous layouts
 * never get here: one memcpy.
 */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/core.h"
#include "datatype/dt_internal.h"

struct lm_dt_walker {
    lm_dt_piece_fn fn;
    void *ctx;
    bool stop;
};

/* pack: user -> packed. Strided 8-byte blocks (vectors of doubles, array faces) go two at
 * a time: two 8-byte loads, one 16-byte store, which halves the stores that bound the loop. */
#define WALK(name) pack_##name
#define WALK_PK_T char *
#define WALK_PIECE(user, pk, n) memcpy((pk), (user), (n))
#define WALK_STOPPED() 0
#if defined(__SSE2__)
#define WALK_PAIRS8()                                                                          \
    for (; nfull >= 2; nfull -= 2) {                                                           \
        __m128i lo_ = _mm_loadl_epi64((const __m128i *)p);                                     \
        __m128i hi_ = _mm_loadl_epi64((const __m128i *)(p + stride));                          \
        _mm_storeu_si128((__m128i *)(pk + done), _mm_unpacklo_epi64(lo_, hi_));                \
        done += 16;                                                                            \
        p += 2 * stride;                                                                       \
        i += 2;                                                                                \
    }
#endif
#include "datatype/walk.inc"
#undef WALK_PAIRS8
#undef WALK
#undef WALK_PK_T
#undef WALK_PIECE
#undef WALK_STOPPED

/* unpack: packed -> user */
#define WALK(name) unpack_##name
#define WALK_PK_T const char *
#define WALK_PIECE(user, pk, n) memcpy((user), (pk), (n))
#define WALK_STOPPED() 0
#include "datatype/walk.inc"
#undef WALK
#undef WALK_PK_T
#undef WALK_PIECE
#undef WALK_STOPPED

/* visit: the packed side is a stream position */
#define WALK(name) visit_##name
#define WALK_PK_T size_t
#define WALK_PIECE(user, pk, n)                                                                \
    do {                                                                                       \
        if (w->fn(w->ctx, (user), (pk), (n))) {                                                \
            w->stop = true;                                                                    \
            return done;                                                                       \
        }                                                                                      \
    } while (0)
#define WALK_STOPPED() (w->stop)
#include "datatype/walk.inc"
#undef WALK
#undef WALK_PK_T
#undef WALK_PIECE
#undef WALK_STOPPED

void lm_dt_pack(const struct lm_datatype *dt, const void *buf, size_t count, size_t offset,
                void *out, size_t len)
{
    if (len == 0)
        return;
    const char *base = lm_dt_contig_base(dt, buf, count);
    if (base) {
        memcpy(out, base + offset, len);
        return;
    }
    pack_rep(NULL, dt->prog, (char *)buf + dt->prog_off, count, dt->extent, offset, out, len);
}

void lm_dt_unpack(const struct lm_datatype *dt, void *buf, size_t count, size_t offset,
                  const void *in, size_t len)
{
    if (len == 0)
        return;
    const char *base = lm_dt_contig_base(dt, buf, count);
    if (base) {
        memcpy((char *)base + offset, in, len);
        return;
    }
    unpack_rep(NULL, dt->prog, (char *)buf + dt->prog_off, count, dt->extent, offset, in, len);
}

size_t lm_dt_walk(const struct lm_datatype *dt, const void *buf, size_t count, size_t offset,
                  size_t len, lm_dt_piece_fn fn, void *ctx)
{
    if (len == 0)
        return 0;
    const char *base = lm_dt_contig_base(dt, buf, count);
    if (base)
        return fn(ctx, (char *)base + offset, offset, len) ? 0 : len;
    struct lm_dt_walker w = {fn, ctx, false};
    return visit_rep(&w, dt->prog, (char *)buf + dt->prog_off, count, dt->extent, offset,
                     offset, len);
}

struct iov_ctx {
    struct iovec *iov;
    int max, n;
};

static int iov_piece(void *ctx, char *user, size_t pos, size_t len)
{
    (void)pos;
    struct iov_ctx *c = ctx;
    if (c->n > 0) {
        struct iovec *last = &c->iov[c->n - 1];
        if ((char *)last->iov_base + last->iov_len == user) {
            last->iov_len += len;
            return 0;
        }
    }
    if (c->n == c->max)
        return 1;
    c->iov[c->n++] = (struct iovec){user, len};
    return 0;
}

size_t lm_dt_iov(const struct lm_datatype *dt, const void *buf, size_t count, size_t offset,
                 size_t len, struct iovec *iov, int max, int *n)
{
    struct iov_ctx c = {iov, max, 0};
    size_t done = lm_dt_walk(dt, buf, count, offset, len, iov_piece, &c);
    *n = c.n;
    return done;
}

/* Element starts are the stream positions k * esize; inside a piece the stream and the
 * user buffer advance together, so each start maps to piece address + (start - pos). */
struct elems_ctx {
    lm_dt_elems_fn fn;
    void *ctx;
    size_t esize;
    bool runs; /* the element type is contiguous: consecutive starts form one run */
};

static int elems_piece(void *ctx, char *user, size_t pos, size_t len)
{
    struct elems_ctx *c = ctx;
    size_t first = (pos + c->esize - 1) / c->esize * c->esize;
    if (first >= pos + len)
        return 0;
    size_t n = (pos + len - first + c->esize - 1) / c->esize;
    if (c->runs) {
        c->fn(c->ctx, user + (first - pos), n);
    } else {
        for (size_t k = 0; k < n; k++)
            c->fn(c->ctx, user + (first - pos) + k * c->esize, 1);
    }
    return 0;
}

void lm_dt_walk_elems(const struct lm_datatype *dt, void *buf, size_t count, lm_dt_elems_fn fn,
                      void *ctx)
{
    if (!dt->elem || dt->size == 0 || count == 0)
        return;
    struct elems_ctx c = {fn, ctx, dt->elem->size, dt->elem->contig};
    lm_dt_walk(dt, buf, count, 0, count * dt->size, elems_piece, &c);
}
