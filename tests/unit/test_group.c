/* Unit tests of the group algebra (src/core/group.c) on hand-made process-id lists:
 * orders of union/intersection/difference, the one empty group, translate with
 * MPI_PROC_NULL and absent members, range expansion, and the error classes of bad ranks.
 * Process ids need not be world ranks here: groups are made of arbitrary ids < npeers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static struct lm_group *mk(int n, const int *lpids)
{
    struct lm_group *g = lm_group_create(n);
    assert_non_null(g);
    memcpy(g->lpids, lpids, sizeof *lpids * (size_t)n);
    return g;
}

static void expect(const struct lm_group *g, int n, const int *lpids)
{
    assert_int_equal(g->size, n);
    for (int i = 0; i < n; i++)
        assert_int_equal(g->lpids[i], lpids[i]);
}

static int setup(void **state)
{
    (void)state;
    lm_proc.npeers = 16;
    lm_proc.rank = 5;
    lm_proc.group_empty = (struct lm_group){.magic = LM_MAGIC_GROUP, .refcount = 1,
                                            .handle = MPI_GROUP_EMPTY};
    return 0;
}

static void test_set_ops(void **state)
{
    (void)state;
    struct lm_group *a = mk(4, (int[]){7, 3, 5, 1}), *b = mk(3, (int[]){2, 5, 7}), *g;
    assert_int_equal(lm_group_union(a, b, &g), LM_OK);
    expect(g, 5, (int[]){7, 3, 5, 1, 2});
    lm_group_release(g);
    assert_int_equal(lm_group_union(b, a, &g), LM_OK);
    expect(g, 5, (int[]){2, 5, 7, 3, 1});
    lm_group_release(g);
    assert_int_equal(lm_group_intersection(a, b, &g), LM_OK);
    expect(g, 2, (int[]){7, 5});
    lm_group_release(g);
    assert_int_equal(lm_group_intersection(b, a, &g), LM_OK);
    expect(g, 2, (int[]){5, 7});
    lm_group_release(g);
    assert_int_equal(lm_group_difference(a, b, &g), LM_OK);
    expect(g, 2, (int[]){3, 1});
    lm_group_release(g);
    assert_int_equal(lm_group_difference(b, b, &g), LM_OK);
    assert_ptr_equal(g, &lm_proc.group_empty);
    assert_int_equal(lm_group_compare(a, a), MPI_IDENT);
    struct lm_group *p = mk(4, (int[]){1, 3, 5, 7});
    assert_int_equal(lm_group_compare(a, p), MPI_SIMILAR);
    assert_int_equal(lm_group_compare(a, b), MPI_UNEQUAL);
    struct lm_group *q = mk(4, (int[]){1, 3, 5, 8});
    assert_int_equal(lm_group_compare(p, q), MPI_UNEQUAL);
    assert_int_equal(lm_group_rank_of(a, lm_my_lpid()), 2);
    assert_int_equal(lm_group_rank_of(q, 9), MPI_UNDEFINED);
    lm_group_release(a);
    lm_group_release(b);
    lm_group_release(p);
    lm_group_release(q);
}

static void test_translate(void **state)
{
    (void)state;
    struct lm_group *a = mk(4, (int[]){7, 3, 5, 1}), *b = mk(3, (int[]){1, 5, 9});
    int in[5] = {0, 1, 2, 3, MPI_PROC_NULL}, out[5];
    assert_int_equal(lm_group_translate(a, 5, in, b, out), LM_OK);
    assert_int_equal(out[0], MPI_UNDEFINED);
    assert_int_equal(out[1], MPI_UNDEFINED);
    assert_int_equal(out[2], 1);
    assert_int_equal(out[3], 0);
    assert_int_equal(out[4], MPI_PROC_NULL);
    in[0] = 4;
    assert_int_equal(lm_err_class_of(lm_group_translate(a, 1, in, b, out)), MPI_ERR_RANK);
    lm_group_release(a);
    lm_group_release(b);
}

static void test_incl_excl_range(void **state)
{
    (void)state;
    struct lm_group *a = mk(6, (int[]){10, 11, 12, 13, 14, 15}), *g;
    assert_int_equal(lm_group_incl(a, 3, (int[]){5, 0, 2}, &g), LM_OK);
    expect(g, 3, (int[]){15, 10, 12});
    lm_group_release(g);
    assert_int_equal(lm_group_excl(a, 3, (int[]){5, 0, 2}, &g), LM_OK);
    expect(g, 3, (int[]){11, 13, 14});
    lm_group_release(g);
    assert_int_equal(lm_err_class_of(lm_group_incl(a, 2, (int[]){1, 1}, &g)), MPI_ERR_RANK);
    assert_int_equal(lm_err_class_of(lm_group_excl(a, 1, (int[]){6}, &g)), MPI_ERR_RANK);
    assert_int_equal(lm_group_incl(a, 0, NULL, &g), LM_OK);
    assert_ptr_equal(g, &lm_proc.group_empty);

    int r1[2][3] = {{5, 1, -2}, {0, 0, 1}};
    assert_int_equal(lm_group_range(a, 2, (const int(*)[3])r1, true, &g), LM_OK);
    expect(g, 4, (int[]){15, 13, 11, 10});
    lm_group_release(g);
    assert_int_equal(lm_group_range(a, 2, (const int(*)[3])r1, false, &g), LM_OK);
    expect(g, 2, (int[]){12, 14});
    lm_group_release(g);
    int r2[1][3] = {{0, 5, 4}};  /* 0, 4: last need not be reached exactly */
    assert_int_equal(lm_group_range(a, 1, (const int(*)[3])r2, true, &g), LM_OK);
    expect(g, 2, (int[]){10, 14});
    lm_group_release(g);
    int bad[][3] = {{0, 1, 0}, {2, 1, 1}, {1, 2, -1}, {0, 6, 1}, {-1, 0, 1}};
    for (int i = 0; i < 5; i++)
        assert_int_equal(lm_err_class_of(lm_group_range(a, 1, (const int(*)[3])&bad[i], true,
                                                        &g)), MPI_ERR_ARG);
    int dup[2][3] = {{0, 4, 2}, {4, 5, 1}};
    assert_int_equal(lm_err_class_of(lm_group_range(a, 2, (const int(*)[3])dup, true, &g)),
                     MPI_ERR_ARG);
    lm_group_release(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_set_ops, setup),
        cmocka_unit_test_setup(test_translate, setup),
        cmocka_unit_test_setup(test_incl_excl_range, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
