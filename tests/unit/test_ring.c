/* Unit tests of the shared-memory SPSC ring: FIFO order, full/empty edges, wrap-around,
 * and a producer/consumer pair on two threads moving a million cells. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "transport/shm/ring.h"

#define NCELLS 8
#define CELL 64

struct ring_mem {
    struct lm_ring_shared sh;
    char cells[NCELLS * CELL];
};

static void test_fifo_and_edges(void **state)
{
    struct ring_mem *m = aligned_alloc(64, sizeof *m);
    memset(m, 0, sizeof *m);
    struct lm_ring prod, cons;
    lm_ring_attach(&prod, &m->sh, m->cells, NCELLS, CELL, true);
    lm_ring_attach(&cons, &m->sh, m->cells, NCELLS, CELL, false);

    assert_null(lm_ring_peek(&cons));
    assert_false(lm_ring_has_data(&cons));
    for (int round = 0; round < 5; round++) { /* several laps: indices wrap the mask */
        for (int i = 0; i < NCELLS; i++) {
            uint64_t *c = lm_ring_reserve(&prod);
            assert_non_null(c);
            *c = (uint64_t)(round * 100 + i);
            lm_ring_commit(&prod);
        }
        assert_null(lm_ring_reserve(&prod)); /* full */
        assert_true(lm_ring_has_data(&cons));
        for (int i = 0; i < NCELLS; i++) {
            uint64_t *c = lm_ring_peek(&cons);
            assert_non_null(c);
            assert_int_equal(*c, (uint64_t)(round * 100 + i));
            lm_ring_pop(&cons);
        }
        assert_null(lm_ring_peek(&cons)); /* empty */
    }
    free(m);
}

#define MANY 1000000

static void *producer(void *arg)
{
    struct lm_ring *p = arg;
    for (uint64_t i = 0; i < MANY; i++) {
        uint64_t *c;
        while (!(c = lm_ring_reserve(p)))
            ;
        c[0] = i;
        c[7] = ~i; /* last word of the cell: the whole cell must be visible */
        lm_ring_commit(p);
    }
    return NULL;
}

static void test_two_threads(void **state)
{
    struct ring_mem *m = aligned_alloc(64, sizeof *m);
    memset(m, 0, sizeof *m);
    struct lm_ring prod, cons;
    lm_ring_attach(&prod, &m->sh, m->cells, NCELLS, CELL, true);
    lm_ring_attach(&cons, &m->sh, m->cells, NCELLS, CELL, false);
    pthread_t t;
    pthread_create(&t, NULL, producer, &prod);
    uint64_t bad = 0;
    for (uint64_t i = 0; i < MANY; i++) {
        uint64_t *c;
        while (!(c = lm_ring_peek(&cons)))
            ;
        if (c[0] != i || c[7] != ~i)
            bad++;
        lm_ring_pop(&cons);
    }
    pthread_join(t, NULL);
    assert_int_equal(bad, 0);
    assert_null(lm_ring_peek(&cons));
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_and_edges),
        cmocka_unit_test(test_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
