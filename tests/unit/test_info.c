/* Unit tests of info objects (src/core/info.c) and user error classes/codes
 * (src/core/errors.c): insertion order, in-place update, delete, dup independence, key
 * checks; user classes above MPI_ERR_LASTCODE, their codes' classes and strings,
 * MPI_LASTUSEDCODE, and removal reusing the highest values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void test_info(void **state)
{
    (void)state;
    struct lm_info *i, *d;
    assert_int_equal(lm_info_create(&i), LM_OK);
    assert_int_equal(lm_info_set(i, "b", "1"), LM_OK);
    assert_int_equal(lm_info_set(i, "a", "2"), LM_OK);
    assert_int_equal(lm_info_set(i, "c", "3"), LM_OK);
    assert_int_equal(lm_info_set(i, "b", "4"), LM_OK);
    assert_int_equal(i->n, 3);
    assert_string_equal(i->e[0].key, "b");
    assert_string_equal(lm_info_get(i, "b"), "4");
    assert_null(lm_info_get(i, "z"));
    assert_int_equal(lm_info_dup(i, &d), LM_OK);
    assert_int_equal(lm_info_delete(i, "a"), LM_OK);
    assert_int_equal(lm_err_class_of(lm_info_delete(i, "a")), MPI_ERR_INFO_NOKEY);
    assert_string_equal(i->e[1].key, "c");
    assert_int_equal(d->n, 3);
    assert_string_equal(lm_info_get(d, "a"), "2");
    assert_int_equal(lm_err_class_of(lm_info_check_key("", "key")), MPI_ERR_INFO_KEY);
    char longkey[MPI_MAX_INFO_KEY + 1];
    memset(longkey, 'k', MPI_MAX_INFO_KEY);
    longkey[MPI_MAX_INFO_KEY] = '\0';
    assert_int_equal(lm_err_class_of(lm_info_check_key(longkey, "key")), MPI_ERR_INFO_KEY);
    longkey[MPI_MAX_INFO_KEY - 1] = '\0';
    assert_int_equal(lm_info_check_key(longkey, "key"), LM_OK);
    lm_info_free(i);
    lm_info_free(d);
}

static void test_user_errors(void **state)
{
    (void)state;
    int cls, code, cls2;
    assert_int_equal(lm_err_last_used(), MPI_ERR_LASTCODE);
    assert_int_equal(lm_err_add_class(&cls), LM_OK);
    assert_true(cls > MPI_ERR_LASTCODE);
    assert_true(lm_err_is_class(cls));
    assert_int_equal(lm_err_add_code(cls, &code), LM_OK);
    assert_false(lm_err_is_class(code));
    assert_int_equal(lm_err_class_of(code), cls);
    assert_int_equal(lm_err_class_of(cls), cls);
    assert_string_equal(lm_err_string(code), "");
    assert_int_equal(lm_err_add_string(code, "boom"), LM_OK);
    assert_string_equal(lm_err_string(code), "boom");
    assert_int_equal(lm_err_last_used(), code);
    assert_int_equal(lm_err_class_of(lm_err_add_code(code, &cls2)), MPI_ERR_ARG);
    assert_int_equal(lm_err_class_of(lm_err_add_string(MPI_ERR_ARG, "x")), MPI_ERR_ARG);
    assert_int_equal(lm_err_add_code(MPI_ERR_IO, &cls2), LM_OK);
    assert_int_equal(lm_err_class_of(cls2), MPI_ERR_IO);
    /* removal: a class with codes stays; the last entries free their values */
    assert_int_equal(lm_err_class_of(lm_err_remove(cls, true)), MPI_ERR_ARG);
    assert_int_equal(lm_err_remove(cls2, false), LM_OK);
    assert_int_equal(lm_err_last_used(), code);
    assert_int_equal(lm_err_remove(code, false), LM_OK);
    assert_int_equal(lm_err_class_of(code), -1);
    assert_int_equal(lm_err_remove(cls, true), LM_OK);
    assert_int_equal(lm_err_last_used(), MPI_ERR_LASTCODE);
    assert_int_equal(lm_err_add_class(&cls2), LM_OK);
    assert_int_equal(cls2, cls);   /* the value is free again */
    /* predefined codes keep working */
    assert_int_equal(lm_err_class_of(lm_err_detail(MPI_ERR_RANK, "x")), MPI_ERR_RANK);
    lm_err_finalize();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_user_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
