/* Unit tests of the handle <-> integer table (src/core/handles.c): predefined values map to
 * themselves, objects get stable small integers above 4095, forgetting frees the slot and
 * keeps every other entry findable (backward-shift deletion), and many insert/forget rounds
 * do not grow the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/core.h"

static void test_predefined(void **state)
{
    (void)state;
    assert_int_equal(lm_handle_toint((void *)MPI_COMM_WORLD), 0x101);
    assert_ptr_equal(lm_handle_fromint(0x101, NULL), (void *)MPI_COMM_WORLD);
    assert_int_equal(lm_handle_toint((void *)MPI_INT), 0x209);
    assert_ptr_equal(lm_handle_fromint(123456, (void *)MPI_COMM_NULL), (void *)MPI_COMM_NULL);
    lm_handles_finalize();
}

static void test_objects(void **state)
{
    (void)state;
    enum { N = 3000 };
    char *objs = malloc(N);
    int *ints = malloc(sizeof *ints * N);
    for (int i = 0; i < N; i++) {
        ints[i] = lm_handle_toint(objs + i);
        assert_true(ints[i] >= 4096 && ints[i] < 4096 + N);
    }
    for (int i = 0; i < N; i++) {
        assert_int_equal(lm_handle_toint(objs + i), ints[i]);
        assert_ptr_equal(lm_handle_fromint(ints[i], NULL), objs + i);
    }
    /* forget every third; the rest must stay reachable through their probe chains */
    for (int i = 0; i < N; i += 3)
        lm_handle_forget(objs + i);
    for (int i = 0; i < N; i++) {
        if (i % 3 == 0)
            assert_null(lm_handle_fromint(ints[i], NULL));
        else
            assert_int_equal(lm_handle_toint(objs + i), ints[i]);
    }
    /* freed slots are reused: new objects stay below the old maximum */
    for (int i = 0; i < N; i += 3)
        assert_true(lm_handle_toint(objs + i) < 4096 + N);
    /* churn: the same few addresses over and over */
    for (int round = 0; round < 100000; round++) {
        char *p = objs + round % 7;
        lm_handle_forget(p);
        assert_true(lm_handle_toint(p) < 4096 + N);
    }
    lm_handles_finalize();
    free(objs);
    free(ints);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_predefined),
        cmocka_unit_test(test_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
