/* Unit tests of the datatype engine's flattening and resumable pack/unpack, checked
 * against a naive element-by-element reference over many random vector/contiguous nests
 * (fixed seed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "datatype/datatype.h"

static int setup(void **state)
{
    lm_dt_builtins_init();
    return 0;
}

/* Reference: walk the type recursively as the standard's type map describes it. */
struct desc {
    int kind;             /* 0 = base int, 1 = contiguous, 2 = vector */
    size_t count, blocklen;
    ptrdiff_t stride;
    struct desc *old;
};

static ptrdiff_t desc_extent(const struct desc *d)
{
    if (d->kind == 0)
        return 4;
    ptrdiff_t e = desc_extent(d->old);
    if (d->kind == 1)
        return (ptrdiff_t)d->count * e;
    if (d->count == 0)
        return 0;
    return ((ptrdiff_t)(d->count - 1) * d->stride + (ptrdiff_t)d->blocklen) * e;
}

/* Appends the byte offsets of every data byte of one element at `base`. */
static void desc_offsets(const struct desc *d, ptrdiff_t base, ptrdiff_t *out, size_t *n)
{
    if (d->kind == 0) {
        for (int i = 0; i < 4; i++)
            out[(*n)++] = base + i;
        return;
    }
    ptrdiff_t e = desc_extent(d->old);
    if (d->kind == 1) {
        for (size_t i = 0; i < d->count; i++)
            desc_offsets(d->old, base + (ptrdiff_t)i * e, out, n);
        return;
    }
    for (size_t i = 0; i < d->count; i++)
        for (size_t j = 0; j < d->blocklen; j++)
            desc_offsets(d->old, base + ((ptrdiff_t)i * d->stride + (ptrdiff_t)j) * e, out, n);
}

static struct lm_datatype *build(const struct desc *d)
{
    if (d->kind == 0)
        return lm_dt_builtin(MPI_INT);
    struct lm_datatype *old = build(d->old), *t;
    int rc = d->kind == 1 ? lm_dt_contiguous(d->count, old, &t)
                          : lm_dt_vector(d->count, d->blocklen, d->stride, old, &t);
    assert_int_equal(rc, LM_OK);
    lm_dt_release(old);
    lm_dt_commit(t);
    return t;
}

static void test_random_nests(void **state)
{
    srand(12345);
    for (int trial = 0; trial < 2000; trial++) {
        struct desc ds[4];
        int depth = 1 + rand() % 3;
        ds[0] = (struct desc){.kind = 0};
        for (int k = 1; k <= depth; k++) {
            ds[k] = (struct desc){.kind = 1 + rand() % 2, .count = (size_t)(rand() % 4),
                                  .blocklen = (size_t)(1 + rand() % 3), .old = &ds[k - 1]};
            ds[k].stride = (ptrdiff_t)ds[k].blocklen + rand() % 3; /* >= blocklen: no overlap */
        }
        struct desc *top = &ds[depth];
        struct lm_datatype *t = build(top);
        size_t count = (size_t)(1 + rand() % 3);
        ptrdiff_t ext = desc_extent(top);
        assert_int_equal(t->extent, ext);

        size_t nref = 0;
        ptrdiff_t *offs = malloc((t->size * count + 1) * sizeof *offs);
        for (size_t e = 0; e < count; e++)
            desc_offsets(top, (ptrdiff_t)e * ext, offs, &nref);
        assert_int_equal(t->size * count, nref);

        size_t span = (size_t)(ext > 0 ? ext : 1) * count + 64;
        unsigned char *user = malloc(span), *packed = malloc(nref + 1), *back = calloc(1, span);
        for (size_t i = 0; i < span; i++)
            user[i] = (unsigned char)rand();
        /* pack in random pieces: resumable at any byte */
        size_t at = 0;
        while (at < nref) {
            size_t n = 1 + (size_t)rand() % (nref - at);
            lm_dt_pack(t, user, count, at, packed + at, n);
            at += n;
        }
        for (size_t i = 0; i < nref; i++)
            assert_int_equal(packed[i], user[offs[i]]);
        at = 0;
        while (at < nref) {
            size_t n = 1 + (size_t)rand() % (nref - at);
            lm_dt_unpack(t, back, count, at, packed + at, n);
            at += n;
        }
        for (size_t i = 0; i < nref; i++)
            assert_int_equal(back[offs[i]], user[offs[i]]);
        free(user);
        free(packed);
        free(back);
        free(offs);
        lm_dt_release(t);
    }
}

static void test_contiguous_is_one_block(void **state)
{
    struct lm_datatype *c, *v;
    assert_int_equal(lm_dt_contiguous(10, lm_dt_builtin(MPI_DOUBLE), &c), LM_OK);
    assert_true(c->contig);
    assert_int_equal(c->nblocks, 1);
    assert_int_equal(c->size, 80);
    /* a vector whose stride equals its block length is contiguous too */
    assert_int_equal(lm_dt_vector(4, 2, 2, lm_dt_builtin(MPI_INT), &v), LM_OK);
    assert_true(v->contig);
    assert_int_equal(v->nblocks, 1);
    lm_dt_release(c);
    lm_dt_release(v);
}

static void test_pair_types_and_elements(void **state)
{
    struct lm_datatype *si = lm_dt_builtin(MPI_SHORT_INT), *di = lm_dt_builtin(MPI_DOUBLE_INT);
    assert_int_equal(si->size, sizeof(short) + sizeof(int));
    assert_int_equal(di->size, sizeof(double) + sizeof(int));
    assert_int_equal(di->extent, 16);
    assert_int_equal(lm_dt_elements(di, 2 * di->size), 4);
    assert_int_equal(lm_dt_elements(lm_dt_builtin(MPI_INT), 12), 3);
    assert_int_equal(lm_dt_elements(lm_dt_builtin(MPI_INT), 13), -1);
    assert_null(lm_dt_builtin(MPI_DATATYPE_NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_nests),
        cmocka_unit_test(test_contiguous_is_one_block),
        cmocka_unit_test(test_pair_types_and_elements),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
