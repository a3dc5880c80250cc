/* tests/exercises/test-ex-2.4.c: futures on the chapter's pool (exercise
 * 2.4).  Many futures on pools of 1 to 4 workers, fetched in an order
 * other than the submission order, with random pauses in the jobs; a
 * future fetched before its job has run; results and the jobs' side
 * effects visible after future_get. */
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
#include "perturb.h"   /* ex_seed: the grader varies the schedule per run */
#include "ex-2.4.h"

static void pause_us(long us)
{
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
    nanosleep(&ts, NULL);
}

static void *square(void *arg)
{
    intptr_t n = (intptr_t)arg;
    unsigned seed = (unsigned)n + (unsigned)ex_seed();
    int r = rand_r(&seed) % 16;
    if (r == 0)
        pause_us(rand_r(&seed) % 100);
    else if (r < 4)
        sched_yield();
    return (void *)(n * n);
}

static void test_many_futures_any_order(void **state)
{
    (void)state;
    enum { N = 2000 };
    static future *f[N];
    size_t workers[] = { 1, 2, 3, 4 };
    for (size_t w = 0; w < sizeof workers / sizeof *workers; w++) {
        pool *p = pool_new(workers[w], 8);
        assert_non_null(p);
        for (intptr_t i = 0; i < N; i++) {
            f[i] = future_submit(p, square, (void *)i);
            assert_non_null(f[i]);
        }
        for (intptr_t k = 0; k < N; k++) {     /* odd ones backwards */
            intptr_t i = k % 2 == 0 ? k : N - k;
            void *result = NULL;
            assert_int_equal(future_get(f[i], &result), 0);
            if ((intptr_t)result != i * i)
                fail_msg("future %ld with %zu workers: got %ld, expected "
                         "%ld", (long)i, workers[w], (long)(intptr_t)result,
                         (long)(i * i));
            future_free(f[i]);
        }
        pool_free(p);
    }
}

static long side_effect;        /* written by the job, read after get */

static void *slow_job(void *arg)
{
    pause_us(50000);            /* the caller gets there first */
    side_effect = 42;
    return arg;
}

static void test_get_before_the_job_has_run(void **state)
{
    (void)state;
    pool *p = pool_new(1, 4);
    assert_non_null(p);
    int token;
    future *f = future_submit(p, slow_job, &token);
    assert_non_null(f);
    void *result = NULL;
    assert_int_equal(future_get(f, &result), 0);
    assert_ptr_equal(result, &token);
    assert_int_equal(side_effect, 42);
    future_free(f);
    pool_free(p);
}

static void *identity(void *arg)
{
    return arg;
}

static void test_get_long_after_the_job_has_run(void **state)
{
    (void)state;
    pool *p = pool_new(2, 4);
    assert_non_null(p);
    future *f = future_submit(p, identity, NULL);
    assert_non_null(f);
    assert_int_equal(pool_wait(p), 0);    /* the job is surely done */
    void *result = &result;
    assert_int_equal(future_get(f, &result), 0);
    assert_null(result);
    future_free(f);
    pool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_long_after_the_job_has_run),
        cmocka_unit_test(test_get_before_the_job_has_run),
        cmocka_unit_test(test_many_futures_any_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
