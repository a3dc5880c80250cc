/* tests/exercises/test-ex-4.5.c: cancelling a timer of the hand-made
 * loop's heap (exercise 4.5). A cancelled timer never runs and is no
 * longer counted; the others run in order (due time, then the order
 * added); cancelling a fired, cancelled or unknown id is -ENOENT and
 * changes nothing; a callback may cancel a timer due at the same moment;
 * many random adds and cancels agree with a plain list. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "ex-4.5.h"
#include "perturb.h"

enum { MAX = 2000 };
static long ran[MAX];
static int nran;
static struct tq q;

static void record(void *arg)
{
    ran[nran++] = (long)(intptr_t)arg;
}

static void cancel_one(void **state)
{
    (void)state;
    tq_init(&q);
    nran = 0;
    long a = tq_add(&q, 10, record, (void *)1);
    long b = tq_add(&q, 20, record, (void *)2);
    long c = tq_add(&q, 30, record, (void *)3);
    assert_true(a > 0 && b > 0 && c > 0);
    assert_int_equal(tq_cancel(&q, a), 0);
    assert_int_equal(tq_pending(&q), 2);
    assert_int_equal(tq_next(&q, 0), 20);   /* not the cancelled 10 */
    assert_int_equal(tq_cancel(&q, a), -ENOENT);
    assert_int_equal(tq_cancel(&q, 9999), -ENOENT);
    assert_int_equal(tq_run(&q, 100), 2);
    assert_int_equal(nran, 2);
    assert_int_equal(ran[0], 2);
    assert_int_equal(ran[1], 3);
    assert_int_equal(tq_cancel(&q, b), -ENOENT);   /* fired */
    assert_int_equal(tq_next(&q, 100), -1);
    tq_free(&q);
}

static long victim;

static void cancel_victim(void *arg)
{
    record(arg);
    assert_int_equal(tq_cancel(&q, victim), 0);
}

static void cancel_inside_callback(void **state)
{
    (void)state;
    tq_init(&q);
    nran = 0;
    assert_true(tq_add(&q, 5, cancel_victim, (void *)1) > 0);
    victim = tq_add(&q, 5, record, (void *)2);     /* same moment */
    assert_true(tq_add(&q, 5, record, (void *)3) > 0);
    assert_int_equal(tq_run(&q, 5), 2);
    assert_int_equal(ran[0], 1);
    assert_int_equal(ran[1], 3);
    assert_int_equal(tq_pending(&q), 0);
    tq_free(&q);
}

/* Random adds and cancels, checked against a plain list: every timer not
 * cancelled runs exactly once, in (due, id) order. */
static void random_against_a_list(void **state)
{
    (void)state;
    static long id[MAX], due[MAX];
    static int cancelled[MAX];
    int n = (int)ex_pick(200, MAX);
    tq_init(&q);
    nran = 0;
    for (int i = 0; i < n; i++) {
        due[i] = rand() % 50;
        id[i] = tq_add(&q, (uint64_t)due[i], record, (void *)(intptr_t)i);
        assert_true(id[i] > 0);
        cancelled[i] = 0;
        if (i > 0 && rand() % 3 == 0) {
            int k = rand() % i;
            assert_int_equal(tq_cancel(&q, id[k]),
                             cancelled[k] ? -ENOENT : 0);
            cancelled[k] = 1;
        }
    }
    size_t live = 0;
    for (int i = 0; i < n; i++)
        live += !cancelled[i];
    assert_int_equal(tq_pending(&q), live);
    assert_int_equal(tq_run(&q, 1000), (int)live);
    for (int r = 1; r < nran; r++) {
        long p = ran[r - 1], c = ran[r];
        if (due[p] > due[c] || (due[p] == due[c] && p > c))
            fail_msg("timer %ld (due %ld) ran after %ld (due %ld)", c,
                     due[c], p, due[p]);
    }
    for (int r = 0; r < nran; r++)
        if (cancelled[ran[r]])
            fail_msg("cancelled timer %ld ran", ran[r]);
    tq_free(&q);
}

int main(void)
{
    srand((unsigned)ex_seed());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cancel_one),
        cmocka_unit_test(cancel_inside_callback),
        cmocka_unit_test(random_against_a_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
