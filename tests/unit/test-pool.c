/* tests/unit/test-pool.c: the thread pool of chapter 2.
 * Every job submitted runs exactly once, pool_wait returns only when all
 * have finished, and pool_free with jobs still queued runs them all. */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include "ground.h"
#include "pool.h"

static long scaled(long n)      /* a fifth under a (slow) sanitizer */
{
    const char *s = getenv("SANITIZER");
    return s != NULL && *s != '\0' ? n / 5 : n;
}

static void count_once(void *arg)
{
    atomic_int *slot = arg;
    if ((atomic_fetch_add(slot, 1) & 63) == 0)
        sched_yield();
}

static void check_all_once(atomic_int *slots, long n)
{
    long missing = 0, twice = 0;
    for (long i = 0; i < n; i++) {
        int v = atomic_load(&slots[i]);
        missing += v == 0;
        twice += v > 1;
    }
    if (missing || twice)
        fail_msg("%ld jobs: %ld never ran, %ld ran more than once",
                 n, missing, twice);
}

static void test_every_job_runs_exactly_once(void **state)
{
    (void)state;
    long n = scaled(100000);
    size_t workers[] = { 1, 2, 4, 7 };
    for (size_t w = 0; w < sizeof workers / sizeof *workers; w++) {
        long part = n / 4;          /* 100,000 jobs over the four pools */
        atomic_int *slots = calloc((size_t)part, sizeof *slots);
        assert_non_null(slots);
        pool *p = pool_new(workers[w], 32);
        assert_non_null(p);
        for (long i = 0; i < part; i++)
            assert_int_equal(pool_submit(p, count_once, &slots[i]), 0);
        assert_int_equal(pool_wait(p), 0);
        check_all_once(slots, part);   /* after pool_wait, before free */
        pool_free(p);
        free(slots);
    }
}

static void slow_job(void *arg)
{
    sleep_ms(50);       /* holds the only worker while jobs pile up */
    count_once(arg);
}

static void test_free_with_jobs_pending_loses_nothing(void **state)
{
    (void)state;
    enum { N = 2000 };
    static atomic_int slots[N + 1];
    pool *p = pool_new(1, N + 1);   /* room for all: submit never blocks */
    assert_non_null(p);
    assert_int_equal(pool_submit(p, slow_job, &slots[N]), 0);
    for (long i = 0; i < N; i++)
        assert_int_equal(pool_submit(p, count_once, &slots[i]), 0);
    pool_free(p);                   /* most jobs are still queued here */
    check_all_once(slots, N + 1);
}

static atomic_long done;

static void sleepy_job(void *arg)
{
    (void)arg;
    sleep_ms(2);
    atomic_fetch_add(&done, 1);
}

static void test_wait_returns_when_all_finished(void **state)
{
    (void)state;
    pool *p = pool_new(3, 4);       /* small queue: submit blocks too */
    assert_non_null(p);
    for (int round = 1; round <= 3; round++) {
        for (int i = 0; i < 20; i++)
            assert_int_equal(pool_submit(p, sleepy_job, NULL), 0);
        assert_int_equal(pool_wait(p), 0);
        assert_int_equal(atomic_load(&done), 20 * round);
    }
    assert_int_equal(pool_wait(p), 0);   /* nothing pending: at once */
    pool_free(p);
}

static void test_zero_workers_is_invalid(void **state)
{
    (void)state;
    errno = 0;
    assert_null(pool_new(0, 8));
    assert_int_equal(errno, EINVAL);
    assert_null(pool_new(2, 0));    /* the queue rejects capacity 0 */
    assert_int_equal(errno, EINVAL);
    pool_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_workers_is_invalid),
        cmocka_unit_test(test_wait_returns_when_all_finished),
        cmocka_unit_test(test_free_with_jobs_pending_loses_nothing),
        cmocka_unit_test(test_every_job_runs_exactly_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
