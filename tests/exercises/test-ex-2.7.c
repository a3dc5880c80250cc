/* tests/exercises/test-ex-2.7.c: the signal thread of exercise 2.7.
 * Without a signal, sigthread_stop ends the thread and fn is never
 * called.  Threads created after sigthread_start block SIGINT and
 * SIGTERM.  In several rounds, 1 to 4 workers (ex_pick) run until fn
 * tells them to stop; the test sends the process SIGINT or SIGTERM at a
 * random moment (ex_perturb), and fn must run exactly once, with that
 * signal, and every worker must stop.  A signal that reaches a thread
 * that does not block it ends the test process: a failure too. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "perturb.h"
#include "ex-2.7.h"

static atomic_int calls, got;
static atomic_bool stop;

static void on_signal(int sig, void *arg)
{
    atomic_fetch_add(&calls, 1);
    atomic_store(&got, sig);
    atomic_store((atomic_bool *)arg, true);
}

static void test_stop_without_a_signal(void **state)
{
    (void)state;
    sigthread *s;
    atomic_store(&calls, 0);
    assert_int_equal(sigthread_start(&s, on_signal, &stop), 0);
    ex_perturb();
    assert_int_equal(sigthread_stop(s), 0);
    assert_int_equal(atomic_load(&calls), 0);
}

static void *report_mask(void *arg)
{
    sigset_t now;
    int *blocked = arg;
    if (pthread_sigmask(SIG_BLOCK, NULL, &now) == 0)
        *blocked = sigismember(&now, SIGINT) == 1
                   && sigismember(&now, SIGTERM) == 1;
    return NULL;
}

static void test_later_threads_block_the_signals(void **state)
{
    (void)state;
    sigthread *s;
    pthread_t t;
    int blocked = 0;
    assert_int_equal(sigthread_start(&s, on_signal, &stop), 0);
    assert_int_equal(pthread_create(&t, NULL, report_mask, &blocked), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(sigthread_stop(s), 0);
    if (!blocked)
        fail_msg("a thread created after sigthread_start does not block "
                 "SIGINT and SIGTERM");
}

static void *worker(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop))
        ex_perturb();
    return NULL;
}

/* Wait until fn has stopped the workers; fail after 10 s. */
static void wait_for_stop(int sig)
{
    for (int i = 0; !atomic_load(&stop); i++) {
        if (i == 1000)
            fail_msg("signal %d sent, fn not called within 10 s", sig);
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
}

static void test_a_signal_stops_the_workers(void **state)
{
    (void)state;
    for (int round = 0; round < 6; round++) {
        int sig = round % 2 ? SIGTERM : SIGINT;
        long n = ex_pick(1, 4);
        pthread_t t[4];
        sigthread *s;
        atomic_store(&calls, 0);
        atomic_store(&stop, false);
        assert_int_equal(sigthread_start(&s, on_signal, &stop), 0);
        for (long i = 0; i < n; i++)
            assert_int_equal(pthread_create(&t[i], NULL, worker, NULL), 0);
        for (long i = ex_pick(0, 20); i > 0; i--)
            ex_perturb();
        assert_int_equal(kill(getpid(), sig), 0);
        wait_for_stop(sig);
        for (long i = 0; i < n; i++)
            assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(sigthread_stop(s), 0);
        assert_int_equal(atomic_load(&calls), 1);
        assert_int_equal(atomic_load(&got), sig);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stop_without_a_signal),
        cmocka_unit_test(test_later_threads_block_the_signals),
        cmocka_unit_test(test_a_signal_stops_the_workers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
