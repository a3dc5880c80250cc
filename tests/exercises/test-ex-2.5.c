/* tests/exercises/test-ex-2.5.c: the bounded queue whose pop waits
 * until a deadline on CLOCK_MONOTONIC (exercise 2.5).  An empty queue
 * times out, never before the deadline (a queue that waits on the wall
 * clock reads a monotonic deadline as decades ago and returns at once);
 * a past deadline still hands out an item that is there; a push wakes a
 * waiting pop long before its deadline; producers and consumers with
 * random pauses move every item exactly once.  Calls that may hang run
 * on a thread, watched with a deadline of its own. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>
#include "perturb.h"
#include "ex-2.5.h"

static struct timespec mono_after(long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    long long ns = (long long)ts.tv_nsec + ms * 1000000LL;
    ts.tv_sec += (time_t)(ns / 1000000000LL);
    ts.tv_nsec = (long)(ns % 1000000000LL);
    if (ts.tv_nsec < 0) {
        ts.tv_sec--;
        ts.tv_nsec += 1000000000L;
    }
    return ts;
}

static int before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec ||
           (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void pause_ms(long ms)
{
    struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };
    nanosleep(&ts, NULL);
}

/* Wait for *done to become 1, at most 10 s, else fail with WHAT. */
static void wait_done(atomic_int *done, const char *what)
{
    for (int i = 0; i < 1000 && !atomic_load(done); i++)
        pause_ms(10);
    if (!atomic_load(done))
        fail_msg("%s: still waiting after 10 s", what);
}

static void test_zero_capacity_is_invalid(void **state)
{
    (void)state;
    errno = 0;
    assert_null(tq_new(0));
    assert_int_equal(errno, EINVAL);
}

struct popper {
    tq *q;
    long deadline_ms;
    int rc;
    void *item;
    struct timespec deadline, returned;
    atomic_int done;
};

static void *pop_once(void *arg)
{
    struct popper *p = arg;
    p->deadline = mono_after(p->deadline_ms);
    p->rc = tq_pop_until(p->q, &p->item, &p->deadline);
    clock_gettime(CLOCK_MONOTONIC, &p->returned);
    atomic_store(&p->done, 1);
    return NULL;
}

static void test_empty_queue_times_out_not_before_deadline(void **state)
{
    (void)state;
    tq *q = tq_new(4);
    assert_non_null(q);
    for (int k = 0; k < 3; k++) {
        struct popper p = { .q = q, .deadline_ms = ex_pick(1, 40) };
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, pop_once, &p), 0);
        wait_done(&p.done, "a pop from an empty queue, deadline 40 ms");
        assert_int_equal(pthread_join(t, NULL), 0);
        if (p.rc != -ETIMEDOUT)
            fail_msg("pop from an empty queue returned %d, expected "
                     "-ETIMEDOUT (%d)", p.rc, -ETIMEDOUT);
        if (before(&p.returned, &p.deadline))
            fail_msg("the pop returned before its deadline on "
                     "CLOCK_MONOTONIC: which clock does it wait on?");
    }
    tq_free(q);
}

static void test_items_in_order_even_with_a_past_deadline(void **state)
{
    (void)state;
    tq *q = tq_new(3);
    assert_non_null(q);
    long v[] = { 11, 22, 33 };
    for (int i = 0; i < 3; i++)
        assert_int_equal(tq_push(q, &v[i]), 0);
    assert_int_equal(tq_push(q, &v[0]), -EAGAIN);
    struct timespec past = mono_after(-1000);
    for (int i = 0; i < 3; i++) {
        void *item = NULL;
        assert_int_equal(tq_pop_until(q, &item, &past), 0);
        assert_ptr_equal(item, &v[i]);
    }
    void *item = NULL;
    assert_int_equal(tq_pop_until(q, &item, &past), -ETIMEDOUT);
    tq_free(q);
}

static void test_push_wakes_a_waiting_pop(void **state)
{
    (void)state;
    tq *q = tq_new(2);
    assert_non_null(q);
    long v = 7;
    struct popper p = { .q = q, .deadline_ms = 60000 };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, pop_once, &p), 0);
    ex_perturb();
    pause_ms(ex_pick(0, 20));
    assert_int_equal(tq_push(q, &v), 0);
    wait_done(&p.done, "a push did not wake a pop waiting for 60 s");
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(p.rc, 0);
    assert_ptr_equal(p.item, &v);
    tq_free(q);
}

enum { MAX_ITEMS = 20000 };
static atomic_int seen[MAX_ITEMS];
static atomic_long taken;
static long items;
static atomic_long next_item;

static void *produce(void *arg)
{
    tq *q = arg;
    for (;;) {
        long i = atomic_fetch_add(&next_item, 1);
        if (i >= items)
            break;
        while (tq_push(q, (void *)(uintptr_t)(i + 1)) == -EAGAIN &&
               atomic_load(&taken) <= items)    /* consumers gave up */
            ex_perturb();
        ex_perturb();
    }
    return NULL;
}

static void *consume(void *arg)
{
    tq *q = arg;
    while (atomic_load(&taken) < items) {
        struct timespec d = mono_after(5);
        void *item;
        int rc = tq_pop_until(q, &item, &d);
        if (rc == 0) {
            long i = (long)(uintptr_t)item - 1;
            if (i >= 0 && i < items)
                atomic_fetch_add(&seen[i], 1);
            atomic_fetch_add(&taken, 1);
        } else if (rc != -ETIMEDOUT) {
            atomic_fetch_add(&taken, items + 1);   /* stops everyone */
        }
        ex_perturb();
    }
    return NULL;
}

static void test_every_item_exactly_once(void **state)
{
    (void)state;
    const char *san = getenv("SANITIZER");
    items = san != NULL && *san != '\0' ? 4000 : MAX_ITEMS;
    long np = ex_pick(1, 3), nc = ex_pick(1, 3);
    tq *q = tq_new((size_t)ex_pick(1, 8));
    assert_non_null(q);
    pthread_t t[6];
    for (long i = 0; i < nc; i++)
        assert_int_equal(pthread_create(&t[i], NULL, consume, q), 0);
    for (long i = 0; i < np; i++)
        assert_int_equal(pthread_create(&t[nc + i], NULL, produce, q), 0);
    for (long i = 0; i < nc + np; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    if (atomic_load(&taken) != items)
        fail_msg("%ld items taken of %ld (a pop failed with an error "
                 "other than -ETIMEDOUT, or an item came twice)",
                 atomic_load(&taken), items);
    for (long i = 0; i < items; i++)
        if (atomic_load(&seen[i]) != 1)
            fail_msg("item %ld taken %d times", i + 1,
                     atomic_load(&seen[i]));
    tq_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_capacity_is_invalid),
        cmocka_unit_test(test_items_in_order_even_with_a_past_deadline),
        cmocka_unit_test(test_empty_queue_times_out_not_before_deadline),
        cmocka_unit_test(test_push_wakes_a_waiting_pop),
        cmocka_unit_test(test_every_item_exactly_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
