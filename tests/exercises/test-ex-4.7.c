/* tests/exercises/test-ex-4.7.c: count-timers on io_uring's timeouts
 * (exercise 4.7).  Every worker ticks count times, in order; the first
 * tick of every worker comes before any worker's second; no tick comes
 * before its time by the monotonic clock (a lower bound: timeouts never
 * fire early, and nothing here measures how late they are); a ring
 * smaller than the number of workers, a delay of zero and one of more
 * than a second work; bad arguments are refused before anything runs;
 * the ring is left empty.  Where io_uring is not available the test is
 * skipped (exit 77), saying so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "ex-4.7.h"
#include "perturb.h"

enum { MAX_TICKS = 4096, RING_ENTRIES = 4 };

static struct rec {
    long worker[MAX_TICKS], line[MAX_TICKS];
    uint64_t when[MAX_TICKS];   /* ns since the call began */
    int n;
    uint64_t t0;
} rec;
static struct io_uring ring;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void tick(long worker, long line, void *arg)
{
    struct rec *r = arg;
    if (r != &rec)
        fail_msg("tick got arg %p, not the one passed to ut_count", arg);
    if (r->n == MAX_TICKS)
        fail_msg("more than %d ticks", MAX_TICKS);
    r->worker[r->n] = worker;
    r->line[r->n] = line;
    r->when[r->n] = now_ns() - r->t0;
    r->n++;
    ex_perturb();
}

static int setup(void **state)
{
    (void)state;
    memset(&rec, 0, sizeof rec);
    return io_uring_queue_init(RING_ENTRIES, &ring, 0) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    io_uring_queue_exit(&ring);
    return 0;
}

static int run(long workers, long count, long delay_ms)
{
    rec.t0 = now_ns();
    return ut_count(&ring, workers, count, delay_ms, tick, &rec);
}

/* Each worker's ticks 1..count in order; workers * count in all. */
static void check_sequences(long workers, long count)
{
    long last[256] = { 0 };
    assert_true(workers < 256);
    for (int k = 0; k < rec.n; k++) {
        long w = rec.worker[k], i = rec.line[k];
        if (w < 1 || w > workers)
            fail_msg("tick %d: worker %ld of %ld", k, w, workers);
        if (i != last[w] + 1)
            fail_msg("worker %ld: line %ld after line %ld", w, i, last[w]);
        last[w] = i;
    }
    for (long w = 1; w <= workers; w++)
        if (last[w] != count)
            fail_msg("worker %ld ticked %ld times, not %ld", w, last[w],
                     count);
    assert_int_equal(rec.n, workers * count);
}

/* Line i of any worker no sooner than (i - 1) delays after the start. */
static void check_not_early(long delay_ms)
{
    for (int k = 0; k < rec.n; k++) {
        uint64_t want = (uint64_t)(rec.line[k] - 1) * (uint64_t)delay_ms
                        * 1000000u;
        if (rec.when[k] < want)
            fail_msg("worker %ld line %ld came at %.3f ms, before %.3f ms",
                     rec.worker[k], rec.line[k], rec.when[k] / 1e6,
                     want / 1e6);
    }
}

/* Nothing left: no SQE, no CQE, and no timeout that completes later (a
   no-op goes round, then nothing more comes within a few delays). */
static void check_ring_empty(long delay_ms)
{
    struct io_uring_cqe *cqe;
    assert_int_equal(io_uring_sq_ready(&ring), 0);
    assert_int_equal(io_uring_cq_ready(&ring), 0);
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    assert_non_null(sqe);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, 42);
    assert_int_equal(io_uring_submit_and_wait(&ring, 1), 1);
    assert_int_equal(io_uring_peek_cqe(&ring, &cqe), 0);
    if (io_uring_cqe_get_data64(cqe) != 42)
        fail_msg("a completion of ut_count's was still in the ring");
    io_uring_cqe_seen(&ring, cqe);
    struct __kernel_timespec ts = { 0, (3 * delay_ms + 20) * 1000000L };
    int rc = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
    if (rc != -ETIME)
        fail_msg("a timeout of ut_count's completed after it returned");
}

static void test_bad_arguments(void **state)
{
    (void)state;
    assert_int_equal(run(0, 3, 10), -EINVAL);
    assert_int_equal(run(3, 0, 10), -EINVAL);
    assert_int_equal(run(3, 3, -1), -EINVAL);
    assert_int_equal(rec.n, 0);
    check_ring_empty(0);
}

static void test_every_line_in_order(void **state)
{
    (void)state;
    long workers = ex_pick(2, 6), count = ex_pick(2, 5), delay = 10;
    assert_int_equal(run(workers, count, delay), 0);
    check_sequences(workers, count);
    check_not_early(delay);
    check_ring_empty(delay);
}

static void test_first_round_before_the_second(void **state)
{
    (void)state;
    assert_int_equal(run(3, 3, 30), 0);
    check_sequences(3, 3);
    for (int k = 0; k < 3; k++)
        if (rec.line[k] != 1)
            fail_msg("tick %d was worker %ld's line %ld: every first line "
                     "comes before any second", k, rec.worker[k],
                     rec.line[k]);
}

static void test_more_workers_than_ring_entries(void **state)
{
    (void)state;
    long workers = 5 * RING_ENTRIES, count = 3, delay = 5;
    assert_int_equal(run(workers, count, delay), 0);
    check_sequences(workers, count);
    check_not_early(delay);
    check_ring_empty(delay);
}

static void test_zero_delay(void **state)
{
    (void)state;
    assert_int_equal(run(3, 50, 0), 0);
    check_sequences(3, 50);
    check_ring_empty(0);
}

static void test_delay_over_a_second(void **state)
{
    (void)state;
    assert_int_equal(run(2, 2, 1100), 0);
    check_sequences(2, 2);
    check_not_early(1100);
    check_ring_empty(0);
}

int main(void)
{
    struct io_uring probe;
    int err = io_uring_queue_init(RING_ENTRIES, &probe, 0);
    if (err == -ENOSYS || err == -EPERM) {
        printf("skip: io_uring is not available here: io_uring_setup: %s\n",
               strerror(-err));
        return 77;
    }
    if (err == 0)
        io_uring_queue_exit(&probe);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_every_line_in_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_first_round_before_the_second,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_more_workers_than_ring_entries,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_delay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delay_over_a_second, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
