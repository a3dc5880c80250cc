/* tests/exercises/test-ex-2.1.c: the deadlock-free transfer of exercise
 * 2.1.  Threads transfer money in both directions between a few accounts
 * with random pauses; a watchdog fails the test when they stop making
 * progress (a deadlock), and at the end no money was made or lost.  The
 * calls that may hang run on a thread, never on the test's own. */
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
#include "ex-2.1.h"

enum { ACCOUNTS = 3, START = 1000 };

static struct account acct[ACCOUNTS];
static atomic_long progress, bad_results;
static long transfers_per_thread;

static void pause_us(long us)
{
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
    nanosleep(&ts, NULL);
}

static void *mover(void *arg)
{
    unsigned seed = (unsigned)(size_t)arg * 40503u + 11 + (unsigned)ex_seed();
    for (long i = 0; i < transfers_per_thread; i++) {
        int from = rand_r(&seed) % ACCOUNTS;
        int to = (from + 1 + rand_r(&seed) % (ACCOUNTS - 1)) % ACCOUNTS;
        int rc = transfer(&acct[from], &acct[to], rand_r(&seed) % 300);
        if (rc != 0 && rc != -EAGAIN)
            atomic_fetch_add(&bad_results, 1);
        if (rand_r(&seed) % 8 == 0)
            sched_yield();
        atomic_fetch_add(&progress, 1);
    }
    return NULL;
}

/* Fail after 5 s without progress; the stuck threads are not joined. */
static void wait_or_fail(long target, const char *what)
{
    long last = -1;
    int still = 0;
    while (atomic_load(&progress) != target) {
        long now = atomic_load(&progress);
        still = now == last ? still + 1 : 0;
        if (still > 500)
            fail_msg("deadlock: no progress for 5 s (%s; %ld of %ld "
                     "transfers done)", what, now, target);
        last = now;
        pause_us(10000);
    }
}

static void setup_accounts(void)
{
    for (int i = 0; i < ACCOUNTS; i++)
        assert_int_equal(account_init(&acct[i], 100 + i, START), 0);
}

static void test_no_deadlock_and_no_money_lost(void **state)
{
    (void)state;
    int counts[] = { 2, 4, 8 };
    const char *san = getenv("SANITIZER");
    transfers_per_thread = san != NULL && *san != '\0' ? 20000 : 100000;
    for (size_t k = 0; k < sizeof counts / sizeof *counts; k++) {
        setup_accounts();
        atomic_store(&progress, 0);
        pthread_t t[8];
        for (int i = 0; i < counts[k]; i++)
            assert_int_equal(pthread_create(&t[i], NULL, mover,
                                            (void *)(size_t)i), 0);
        wait_or_fail(counts[k] * transfers_per_thread,
                     "transfers in both directions");
        for (int i = 0; i < counts[k]; i++)
            assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(atomic_load(&bad_results), 0);
        long sum = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            assert_true(acct[i].balance >= 0);
            sum += acct[i].balance;
            pthread_mutex_destroy(&acct[i].lock);
        }
        if (sum != (long)ACCOUNTS * START)
            fail_msg("money made or lost: total %ld, expected %ld", sum,
                     (long)ACCOUNTS * START);
    }
}

static atomic_int self_rc;

static void *to_self(void *arg)
{
    (void)arg;
    atomic_store(&self_rc, transfer(&acct[0], &acct[0], 1));
    atomic_fetch_add(&progress, 1);
    return NULL;
}

static void test_transfer_to_self_is_invalid(void **state)
{
    (void)state;
    setup_accounts();
    atomic_store(&progress, 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, to_self, NULL), 0);
    wait_or_fail(1, "a transfer from an account to itself");
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(atomic_load(&self_rc), -EINVAL);
    assert_int_equal(acct[0].balance, START);
}

static void test_bad_amounts_change_nothing(void **state)
{
    (void)state;
    setup_accounts();
    assert_int_equal(transfer(&acct[0], &acct[1], -5), -EINVAL);
    assert_int_equal(transfer(&acct[0], &acct[1], START + 1), -EAGAIN);
    assert_int_equal(acct[0].balance, START);
    assert_int_equal(acct[1].balance, START);
    assert_int_equal(transfer(&acct[0], &acct[1], START), 0);
    assert_int_equal(acct[0].balance, 0);
    assert_int_equal(acct[1].balance, 2 * START);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_deadlock_and_no_money_lost),
        cmocka_unit_test(test_transfer_to_self_is_invalid),
        cmocka_unit_test(test_bad_amounts_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
