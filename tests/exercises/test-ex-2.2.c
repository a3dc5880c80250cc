/* tests/exercises/test-ex-2.2.c: the barrier of exercise 2.2.
 * Groups of 2 to 8 threads go through many rounds with random short
 * pauses; in every round no thread may leave before all have arrived,
 * and exactly one thread per round gets 1 from barrier_wait.  A watchdog
 * fails the test if the threads stop making progress (a hang). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>
#include "perturb.h"   /* ex_seed: the grader varies the schedule per run */
#include "ex-2.2.h"

enum { MAX_ROUNDS = 300 };

static unsigned threads;
static long rounds;
static barrier *bar;
static atomic_int arrived[MAX_ROUNDS];
static atomic_int serial[MAX_ROUNDS];
static atomic_long early, errors, progress;

static void jitter(unsigned *seed)
{
    int r = rand_r(seed) % 16;
    if (r == 0) {
        struct timespec ts = { 0, 1000 * (rand_r(seed) % 50) };
        nanosleep(&ts, NULL);
    } else if (r < 4) {
        sched_yield();
    }
}

static void *member(void *arg)
{
    unsigned seed = (unsigned)(size_t)arg * 7919u + 1 + (unsigned)ex_seed();
    for (long r = 0; r < rounds; r++) {
        jitter(&seed);
        atomic_fetch_add(&arrived[r], 1);
        int rc = barrier_wait(bar);
        if (rc < 0) {
            atomic_fetch_add(&errors, 1);
            return NULL;
        }
        if (rc == 1)
            atomic_fetch_add(&serial[r], 1);
        if (atomic_load(&arrived[r]) != (int)threads)
            atomic_fetch_add(&early, 1);     /* left before all arrived */
        atomic_fetch_add(&progress, 1);
    }
    return NULL;
}

/* Wait until every thread has done every round; fail after 10 s
   without progress, without joining (the threads are stuck). */
static void wait_or_fail(long target)
{
    long last = -1;
    int still = 0;
    for (;;) {
        long now = atomic_load(&progress);
        if (now == target || atomic_load(&errors) > 0)
            return;
        still = now == last ? still + 1 : 0;
        if (still > 1000)
            fail_msg("no progress for 10 s: %ld of %ld barrier passages "
                     "done (%u threads); a thread is stuck", now, target,
                     threads);
        last = now;
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
}

static void run_group(unsigned n, long nrounds)
{
    threads = n;
    rounds = nrounds;
    for (int r = 0; r < MAX_ROUNDS; r++) {
        atomic_store(&arrived[r], 0);
        atomic_store(&serial[r], 0);
    }
    atomic_store(&early, 0);
    atomic_store(&errors, 0);
    atomic_store(&progress, 0);
    bar = barrier_new(n);
    assert_non_null(bar);
    pthread_t t[8];
    for (unsigned i = 0; i < n; i++)
        assert_int_equal(pthread_create(&t[i], NULL, member,
                                        (void *)(size_t)i), 0);
    wait_or_fail((long)n * nrounds);
    for (unsigned i = 0; i < n; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(atomic_load(&errors), 0);
    if (atomic_load(&early) != 0)
        fail_msg("%ld times a thread left the barrier before all %u "
                 "had arrived", atomic_load(&early), n);
    for (long r = 0; r < nrounds; r++)
        if (atomic_load(&serial[r]) != 1)
            fail_msg("round %ld: barrier_wait returned 1 in %d threads, "
                     "expected exactly 1", r, atomic_load(&serial[r]));
    barrier_free(bar);
}

static void test_groups_of_different_sizes(void **state)
{
    (void)state;
    unsigned sizes[] = { 1, 2, 3, 5, 8 };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        run_group(sizes[i], MAX_ROUNDS);
}

static void test_zero_is_invalid(void **state)
{
    (void)state;
    errno = 0;
    assert_null(barrier_new(0));
    assert_int_equal(errno, EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_of_different_sizes),
        cmocka_unit_test(test_zero_is_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
