/* tests/exercises/test-ex-2.6.c: the lock-free ring of exercise 2.6.
 * A ring refuses capacities that are not powers of two; one thread sees
 * FIFO order, full and empty, across many wraps; and two threads pass
 * numbers through rings of 1 to 64 slots (sizes from ex_pick) with
 * random pauses (ex_perturb) in both, none lost, duplicated or out of
 * order.  The grader also runs this under ThreadSanitizer, which fails
 * a ring whose memory orders do not order the slots. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>
#include "perturb.h"
#include "ex-2.6.h"

static uint64_t tag(uint64_t i)     /* uses all 64 bits */
{
    return i * 0x9e3779b97f4a7c15u;
}

static void test_capacity_must_be_a_power_of_two(void **state)
{
    (void)state;
    size_t bad[] = { 0, 3, 12, 100 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        if (ring_new(bad[i]) != NULL)
            fail_msg("ring_new(%zu) made a ring", bad[i]);
        assert_int_equal(errno, EINVAL);
    }
}

static void test_one_thread_order_full_and_empty(void **state)
{
    (void)state;
    ring *r = ring_new(4);
    uint64_t v, in = 1, out = 1;
    assert_non_null(r);
    assert_false(ring_pop(r, &v));
    for (int round = 0; round < 1000; round++) {
        int k = round % 4 + 1;
        for (int i = 0; i < k; i++)
            assert_true(ring_push(r, tag(in++)));
        if (k == 4 && ring_push(r, tag(in)))
            fail_msg("a push into a full ring of 4 succeeded");
        for (int i = 0; i < k; i++) {
            assert_true(ring_pop(r, &v));
            assert_int_equal(v, tag(out++));
        }
        assert_false(ring_pop(r, &v));
    }
    ring_free(r);
}

static long numbers;        /* to pass in one run */

static void *producer(void *arg)
{
    ring *r = arg;
    for (long i = 1; i <= numbers; i++) {
        if (i % 64 == 0)
            ex_perturb();
        while (!ring_push(r, tag((uint64_t)i)))
            ex_perturb();
    }
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Pop every number in order; fail after 10 s without progress (a lost
   number or a ring that never shows what was pushed), without joining. */
static void consume(ring *r, size_t capacity)
{
    double last = now_s();
    uint64_t v;
    for (long i = 1; i <= numbers; i++) {
        while (!ring_pop(r, &v)) {
            ex_perturb();
            if (now_s() - last > 10)
                fail_msg("ring of %zu: no number for 10 s after %ld of "
                         "%ld", capacity, i - 1, numbers);
        }
        last = now_s();
        if (v != tag((uint64_t)i))
            fail_msg("ring of %zu: number %ld arrived as %#jx, expected "
                     "%#jx", capacity, i, (uintmax_t)v,
                     (uintmax_t)tag((uint64_t)i));
        if (i % 64 == 0)
            ex_perturb();
    }
}

static void test_two_threads_pass_every_number_in_order(void **state)
{
    (void)state;
    for (int run = 0; run < 3; run++) {
        size_t capacity = (size_t)1 << ex_pick(0, 6);
        ring *r = ring_new(capacity);
        pthread_t t;
        uint64_t v;
        assert_non_null(r);
        numbers = capacity < 4 ? 20000 : 100000;
        assert_int_equal(pthread_create(&t, NULL, producer, r), 0);
        consume(r, capacity);
        assert_int_equal(pthread_join(t, NULL), 0);
        if (ring_pop(r, &v))
            fail_msg("ring of %zu: a number after the last", capacity);
        ring_free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capacity_must_be_a_power_of_two),
        cmocka_unit_test(test_one_thread_order_full_and_empty),
        cmocka_unit_test(test_two_threads_pass_every_number_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
