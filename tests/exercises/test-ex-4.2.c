/* tests/exercises/test-ex-4.2.c: the per-host connection limit of
 * exercise 4.2. The limit holds per host and not across hosts; waiters
 * start in order, one per release, and the count stays at the limit
 * while anyone waits; names compare without case; a start callback may
 * release or acquire again; idle hosts are freed (ASan's leak check and
 * valgrind see the rest). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>
#include "ex-4.2.h"

enum { N = 64 };

static struct hl_waiter w[N];
static int started[N], order[N * 4], n_started;
static hostlim *lim;
static int release_in_start;    /* the "connection" fails at once */

static void start(struct hl_waiter *x)
{
    int i = (int)(x - w);
    started[i]++;
    order[n_started++] = i;
    if (release_in_start)
        assert_int_equal(hl_release(lim, x->data), 0);
}

static int setup(void **state)
{
    (void)state;
    for (int i = 0; i < N; i++)
        w[i] = (struct hl_waiter){ .start = start };
    for (int i = 0; i < N; i++)
        started[i] = 0;
    n_started = 0;
    release_in_start = 0;
    return 0;
}

static void test_new_rejects_zero(void **state)
{
    (void)state;
    errno = 0;
    assert_null(hl_new(0));
    assert_int_equal(errno, EINVAL);
}

static void test_limit_is_per_host(void **state)
{
    (void)state;
    assert_non_null(lim = hl_new(2));
    assert_int_equal(hl_acquire(lim, "a.test", &w[0]), 1);
    assert_int_equal(hl_acquire(lim, "a.test", &w[1]), 1);
    assert_int_equal(hl_acquire(lim, "a.test", &w[2]), 0);
    assert_int_equal(hl_acquire(lim, "b.test", &w[3]), 1);
    assert_int_equal(hl_active(lim, "a.test"), 2);
    assert_int_equal(hl_active(lim, "b.test"), 1);
    assert_int_equal(hl_active(lim, "c.test"), 0);
    assert_int_equal(n_started, 0);
    hl_free(lim);               /* with a waiter still queued: no leak */
}

static void test_release_starts_waiters_in_order(void **state)
{
    (void)state;
    assert_non_null(lim = hl_new(2));
    for (int i = 0; i < 6; i++)
        assert_int_equal(hl_acquire(lim, "a.test", &w[i]), i < 2);
    for (int k = 0; k < 4; k++) {
        assert_int_equal(hl_release(lim, "a.test"), 0);
        assert_int_equal(n_started, k + 1);
        assert_int_equal(order[k], 2 + k);
        assert_int_equal(hl_active(lim, "a.test"), 2);
    }
    assert_int_equal(hl_release(lim, "a.test"), 0);
    assert_int_equal(hl_active(lim, "a.test"), 1);
    assert_int_equal(hl_release(lim, "a.test"), 0);
    assert_int_equal(hl_active(lim, "a.test"), 0);
    assert_int_equal(hl_release(lim, "a.test"), -ENOENT);
    assert_int_equal(hl_release(lim, "never.test"), -ENOENT);
    for (int i = 0; i < 6; i++)
        assert_int_equal(started[i], i < 2 ? 0 : 1);
    hl_free(lim);
}

static void test_names_compare_without_case(void **state)
{
    (void)state;
    assert_non_null(lim = hl_new(1));
    assert_int_equal(hl_acquire(lim, "Example.COM", &w[0]), 1);
    assert_int_equal(hl_acquire(lim, "example.com", &w[1]), 0);
    assert_int_equal(hl_active(lim, "EXAMPLE.com"), 1);
    assert_int_equal(hl_release(lim, "eXample.com"), 0);
    assert_int_equal(started[1], 1);
    assert_int_equal(hl_release(lim, "example.COM"), 0);
    assert_int_equal(hl_active(lim, "example.com"), 0);
    hl_free(lim);
}

static void test_start_may_release_at_once(void **state)
{
    (void)state;
    assert_non_null(lim = hl_new(1));
    assert_int_equal(hl_acquire(lim, "a.test", &w[0]), 1);
    for (int i = 1; i < N; i++) {
        w[i].data = "a.test";
        assert_int_equal(hl_acquire(lim, "a.test", &w[i]), 0);
    }
    release_in_start = 1;       /* each started waiter fails at once */
    assert_int_equal(hl_release(lim, "a.test"), 0);
    assert_int_equal(n_started, N - 1);
    for (int k = 0; k < N - 1; k++)
        assert_int_equal(order[k], k + 1);
    assert_int_equal(hl_active(lim, "a.test"), 0);
    hl_free(lim);
}

static void test_many_hosts(void **state)
{
    (void)state;
    char name[32];
    assert_non_null(lim = hl_new(1));
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 1000; i++) {
            snprintf(name, sizeof name, "host%d.test", i);
            assert_int_equal(hl_acquire(lim, name, &w[0]), 1);
        }
        for (int i = 0; i < 1000; i++) {
            snprintf(name, sizeof name, "HOST%d.test", i);
            assert_int_equal(hl_active(lim, name), 1);
            assert_int_equal(hl_release(lim, name), 0);
            assert_int_equal(hl_active(lim, name), 0);
        }
    }
    assert_int_equal(n_started, 0);
    hl_free(lim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_new_rejects_zero, setup),
        cmocka_unit_test_setup(test_limit_is_per_host, setup),
        cmocka_unit_test_setup(test_release_starts_waiters_in_order, setup),
        cmocka_unit_test_setup(test_names_compare_without_case, setup),
        cmocka_unit_test_setup(test_start_may_release_at_once, setup),
        cmocka_unit_test_setup(test_many_hosts, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
