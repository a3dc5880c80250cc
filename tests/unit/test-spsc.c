/* tests/unit/test-spsc.c: the lock-free ring of chapter 2 (spsc.h).
 * Capacities that are not powers of two are refused; one thread sees
 * FIFO order, full and empty across many wraps of the indices; and two
 * threads move tagged items through small rings (1, 2, 8 and 64
 * slots: the smaller, the more often the threads hand over) with none lost, duplicated or out of order.  Under
 * ThreadSanitizer the same test checks the ring's memory orders. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "spsc.h"

static void test_capacity_must_be_a_power_of_two(void **state)
{
    (void)state;
    size_t bad[] = { 0, 3, 6, 1000 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        assert_null(spsc_new(bad[i]));
        assert_int_equal(errno, EINVAL);
    }
    spsc *r = spsc_new(1);
    assert_non_null(r);
    spsc_free(r);
    spsc_free(NULL);
}

static void test_full_empty_and_order_across_wraps(void **state)
{
    (void)state;
    spsc *r = spsc_new(4);
    void *item;
    uintptr_t next_in = 1, next_out = 1;
    assert_non_null(r);
    assert_false(spsc_pop(r, &item));
    for (int round = 0; round < 1000; round++) {
        int k = round % 4 + 1;          /* fill by 1 to 4 each round */
        for (int i = 0; i < k; i++)
            assert_true(spsc_push(r, (void *)next_in++));
        if (k == 4)
            assert_false(spsc_push(r, (void *)next_in));
        for (int i = 0; i < k; i++) {
            assert_true(spsc_pop(r, &item));
            assert_int_equal((uintptr_t)item, next_out++);
        }
        assert_false(spsc_pop(r, &item));
    }
    spsc_free(r);
}

static uintptr_t items;     /* to pass in one run */

static void *producer(void *arg)
{
    spsc *r = arg;
    for (uintptr_t i = 1; i <= items; i++)
        while (!spsc_push(r, (void *)(i * 0x9e3779b1u)))
            sched_yield();
    return NULL;
}

static void pass_through(size_t capacity, uintptr_t n)
{
    spsc *r = spsc_new(capacity);
    pthread_t t;
    void *item;
    assert_non_null(r);
    items = n;
    assert_int_equal(pthread_create(&t, NULL, producer, r), 0);
    for (uintptr_t i = 1; i <= items; i++) {
        while (!spsc_pop(r, &item))
            sched_yield();
        if ((uintptr_t)item != i * 0x9e3779b1u)
            fail_msg("capacity %zu: item %ju arrived as %ju", capacity,
                     (uintmax_t)i * 0x9e3779b1u, (uintmax_t)(uintptr_t)item);
    }
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_false(spsc_pop(r, &item));
    spsc_free(r);
}

static void test_two_threads_pass_every_item_in_order(void **state)
{
    (void)state;
    pass_through(1, 20000);    /* a hand-over, often a yield, per item */
    pass_through(2, 20000);
    pass_through(8, 200000);
    pass_through(64, 1000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capacity_must_be_a_power_of_two),
        cmocka_unit_test(test_full_empty_and_order_across_wraps),
        cmocka_unit_test(test_two_threads_pass_every_item_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
