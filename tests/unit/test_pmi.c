/* Unit tests for the PMI-1 wire helpers (src/pmi/wire.c): splitting request/reply lines,
 * checking replies, and decoding PMI_process_mapping. The client's I/O paths are covered
 * by tests/fault (real launchers); here only pure functions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmi/pmi.h"

/* ---- lm_pmi_parse_line / lm_pmi_find ---- */

static void test_line_basic(void **state)
{
    (void)state;
    char line[] = "cmd=put kvsname=kvs_1 key=card_0 value=tcp:127.0.0.1:4000#shm$x\n";
    struct lm_pmi_pair p[8];
    int n = lm_pmi_parse_line(line, p, 8);
    assert_int_equal(n, 4);
    assert_string_equal(p[0].key, "cmd");
    assert_string_equal(p[0].value, "put");
    assert_string_equal(lm_pmi_find(p, n, "kvsname"), "kvs_1");
    assert_string_equal(lm_pmi_find(p, n, "key"), "card_0");
    assert_string_equal(lm_pmi_find(p, n, "value"), "tcp:127.0.0.1:4000#shm$x");
    assert_null(lm_pmi_find(p, n, "missing"));
}

static void test_line_spacing_and_crlf(void **state)
{
    (void)state;
    char line[] = "  cmd=barrier_out   rc=0 \r\n";
    struct lm_pmi_pair p[8];
    int n = lm_pmi_parse_line(line, p, 8);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].value, "barrier_out");
    assert_string_equal(lm_pmi_find(p, n, "rc"), "0");
}

static void test_line_value_with_equals_and_empty(void **state)
{
    (void)state;
    char line[] = "cmd=get_result value=a=b=c empty= bare";
    struct lm_pmi_pair p[8];
    int n = lm_pmi_parse_line(line, p, 8);
    assert_int_equal(n, 4);
    assert_string_equal(lm_pmi_find(p, n, "value"), "a=b=c"); /* split at the first '=' */
    assert_string_equal(lm_pmi_find(p, n, "empty"), "");
    assert_string_equal(lm_pmi_find(p, n, "bare"), ""); /* token without '=' */
}

static void test_line_errors(void **state)
{
    (void)state;
    struct lm_pmi_pair p[2];
    char too_many[] = "cmd=x a=1 b=2";
    assert_int_equal(lm_pmi_parse_line(too_many, p, 2), -1);
    char no_key[] = "cmd=x =oops";
    assert_int_equal(lm_pmi_parse_line(no_key, p, 2), -1);
    char empty[] = "\n";
    assert_int_equal(lm_pmi_parse_line(empty, p, 2), 0);
}

/* ---- lm_pmi_parse_reply ---- */

static void test_reply_ok(void **state)
{
    (void)state;
    struct lm_pmi_pair p[8];
    int n;
    char init[] = "cmd=response_to_init pmi_version=1 pmi_subversion=1 rc=0\n";
    assert_int_equal(lm_pmi_parse_reply(init, "response_to_init", p, 8, &n), 0);
    assert_string_equal(lm_pmi_find(p, n, "pmi_version"), "1");

    char maxes[] = "cmd=maxes kvsname_max=256 keylen_max=64 vallen_max=1024";
    assert_int_equal(lm_pmi_parse_reply(maxes, "maxes", p, 8, &n), 0); /* no rc: ok */
    assert_string_equal(lm_pmi_find(p, n, "vallen_max"), "1024");
}

static void test_reply_refused(void **state)
{
    (void)state;
    struct lm_pmi_pair p[8];
    int n;
    /* Hydra's "not found" answer for get (shared/pmi.md, verified) */
    char nf[] = "cmd=get_result rc=-1 msg=key_no-such-key_not_found value=unknown\n";
    assert_int_equal(lm_pmi_parse_reply(nf, "get_result", p, 8, &n), 1);
    assert_string_equal(lm_pmi_find(p, n, "msg"), "key_no-such-key_not_found");
}

static void test_reply_wrong_cmd(void **state)
{
    (void)state;
    struct lm_pmi_pair p[8];
    int n;
    char other[] = "cmd=barrier_out\n";
    assert_int_equal(lm_pmi_parse_reply(other, "get_result", p, 8, &n), -1);
    char nocmd[] = "rc=0 cmd=get_result\n"; /* cmd must come first */
    assert_int_equal(lm_pmi_parse_reply(nocmd, "get_result", p, 8, &n), -1);
    char blank[] = "\n";
    assert_int_equal(lm_pmi_parse_reply(blank, "get_result", p, 8, &n), -1);
}

/* ---- lm_pmi_parse_mapping ---- */

static void check_map(const char *map, int size, int want_nodes, const int *want)
{
    int *nodes = calloc((size_t)size, sizeof *nodes);
    int got = lm_pmi_parse_mapping(map, size, nodes);
    assert_int_equal(got, want_nodes);
    if (want != NULL)
        for (int i = 0; i < size; i++)
            assert_int_equal(nodes[i], want[i]);
    free(nodes);
}

static void test_map_single_node(void **state)
{
    (void)state;
    /* Hydra on one host: block of 1 repeated; our mpiexec: one block of N */
    int zeros[4] = { 0, 0, 0, 0 };
    check_map("(vector,(0,1,1))", 4, 1, zeros);
    check_map("(vector,(0,1,4))", 4, 1, zeros);
}

static void test_map_block(void **state)
{
    (void)state;
    /* Slurm block distribution, 4 per node on 3 nodes */
    int want[12] = { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2 };
    check_map("(vector,(0,3,4))", 12, 3, want);
    /* fewer ranks than the vector describes */
    int want6[6] = { 0, 0, 0, 0, 1, 1 };
    check_map("(vector,(0,3,4))", 6, 2, want6);
}

static void test_map_cyclic(void **state)
{
    (void)state;
    /* cyclic over 2 nodes: blocks of 1, vector repeats */
    int want[5] = { 0, 1, 0, 1, 0 };
    check_map("(vector,(0,2,1))", 5, 2, want);
}

static void test_map_multi_block(void **state)
{
    (void)state;
    /* 2 nodes with 2 ranks, then 1 node with 3, with spaces */
    int want[7] = { 0, 0, 1, 1, 2, 2, 2 };
    check_map("(vector, (0,2,2), (2, 1, 3))", 7, 3, want);
    /* irregular: node 1 has 1 rank, node 0 has 2, then repeat */
    int want2[6] = { 1, 0, 0, 1, 0, 0 };
    check_map("(vector,(1,1,1),(0,1,2))", 6, 2, want2);
}

static void test_map_malformed(void **state)
{
    (void)state;
    int nodes[4];
    const char *bad[] = {
        "", "vector,(0,1,1)", "(vector)", "(vector,(0,1))", "(vector,(0,1,1)",
        "(vector,(0,1,1)) junk", "(list,(0,1,1))", "(vector,(a,1,1))", "(vector,(0,-1,1))",
        "(vector,(0,0,4))", /* places no rank: would loop forever */
        "(vector,(0,1,0))", "(vector;(0,1,1))",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (lm_pmi_parse_mapping(bad[i], 4, nodes) != -1)
            fail_msg("mapping '%s' should be rejected", bad[i]);
    }
    assert_int_equal(lm_pmi_parse_mapping(NULL, 4, nodes), -1);
    assert_int_equal(lm_pmi_parse_mapping("(vector,(0,1,1))", 0, nodes), -1);
}

/* ---- singleton client (no process manager: no I/O at all) ---- */

static void test_singleton_kvs(void **state)
{
    (void)state;
    unsetenv("PMI_FD");
    unsetenv("PMI_PORT");
    struct lm_pmi pmi;
    assert_int_equal(lm_pmi_init(&pmi), 0);
    assert_true(pmi.singleton);
    assert_int_equal(pmi.rank, 0);
    assert_int_equal(pmi.size, 1);
    char v[64];
    assert_int_equal(lm_pmi_get(&pmi, "card", v, sizeof v), 1);
    assert_int_equal(lm_pmi_put(&pmi, "card", "shm:abc"), 0);
    assert_int_equal(lm_pmi_fence(&pmi), 0);
    assert_int_equal(lm_pmi_get(&pmi, "card", v, sizeof v), 0);
    assert_string_equal(v, "shm:abc");
    assert_int_equal(lm_pmi_get(&pmi, "PMI_process_mapping", v, sizeof v), 0);
    assert_string_equal(v, "(vector,(0,1,1))");
    char small[4];
    assert_int_equal(lm_pmi_get(&pmi, "card", small, sizeof small), -1); /* too long */
    assert_int_equal(lm_pmi_put(&pmi, "bad key", "x"), -1);
    assert_int_equal(lm_pmi_put(&pmi, "k", "has space"), -1);
    assert_int_equal(lm_pmi_publish(&pmi, "svc", "port1"), 0);
    assert_int_equal(lm_pmi_lookup(&pmi, "svc", v, sizeof v), 0);
    assert_string_equal(v, "port1");
    assert_int_equal(lm_pmi_unpublish(&pmi, "svc"), 0);
    assert_int_equal(lm_pmi_lookup(&pmi, "svc", v, sizeof v), 1);
    assert_int_equal(lm_pmi_finalize(&pmi), 0);
    lm_pmi_free(&pmi);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_basic),
        cmocka_unit_test(test_line_spacing_and_crlf),
        cmocka_unit_test(test_line_value_with_equals_and_empty),
        cmocka_unit_test(test_line_errors),
        cmocka_unit_test(test_reply_ok),
        cmocka_unit_test(test_reply_refused),
        cmocka_unit_test(test_reply_wrong_cmd),
        cmocka_unit_test(test_map_single_node),
        cmocka_unit_test(test_map_block),
        cmocka_unit_test(test_map_cyclic),
        cmocka_unit_test(test_map_multi_block),
        cmocka_unit_test(test_map_malformed),
        cmocka_unit_test(test_singleton_kvs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
