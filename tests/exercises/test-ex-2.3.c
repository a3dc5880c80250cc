/* tests/exercises/test-ex-2.3.c: the writer-preferring reader-writer lock
 * of exercise 2.3.  Stress: 2 to 8 threads mix reads and writes with
 * random pauses; a writer is always alone, readers never see a half-done
 * write.  Sharing: two readers hold the lock at once.  Preference: while
 * a reader holds the lock and a writer waits, a new reader is refused. */
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
#include "ex-2.3.h"

static rwlock *lk;
static atomic_int readers_in, writers_in;
static atomic_long violations, errors, progress;
static long a, b;               /* written together under the write lock */
static long ops_per_thread;

static void pause_us(long us)
{
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
    nanosleep(&ts, NULL);
}

static void jitter(unsigned *seed)
{
    int r = rand_r(seed) % 16;
    if (r == 0)
        pause_us(rand_r(seed) % 50);
    else if (r < 4)
        sched_yield();
}

static void do_write(unsigned *seed)
{
    if (rw_wrlock(lk) != 0) {
        atomic_fetch_add(&errors, 1);
        return;
    }
    if (atomic_fetch_add(&writers_in, 1) != 0 || atomic_load(&readers_in))
        atomic_fetch_add(&violations, 1);
    a++;
    jitter(seed);
    b++;
    atomic_fetch_sub(&writers_in, 1);
    if (rw_wrunlock(lk) != 0)
        atomic_fetch_add(&errors, 1);
}

static void do_read(unsigned *seed)
{
    if (rw_rdlock(lk) != 0) {
        atomic_fetch_add(&errors, 1);
        return;
    }
    atomic_fetch_add(&readers_in, 1);
    if (atomic_load(&writers_in) != 0)
        atomic_fetch_add(&violations, 1);
    long x = a;
    jitter(seed);
    if (b != x)
        atomic_fetch_add(&violations, 1);   /* saw half a write */
    atomic_fetch_sub(&readers_in, 1);
    if (rw_rdunlock(lk) != 0)
        atomic_fetch_add(&errors, 1);
}

static void *mixer(void *arg)
{
    unsigned seed = (unsigned)(size_t)arg * 2654435761u + 3 + (unsigned)ex_seed();
    for (long i = 0; i < ops_per_thread; i++) {
        if (rand_r(&seed) % 4 == 0)
            do_write(&seed);
        else
            do_read(&seed);
        jitter(&seed);
        atomic_fetch_add(&progress, 1);
    }
    return NULL;
}

static void wait_or_fail(long target)
{
    long last = -1;
    int still = 0;
    while (atomic_load(&progress) != target) {
        long now = atomic_load(&progress);
        still = now == last ? still + 1 : 0;
        if (still > 1000)
            fail_msg("no progress for 10 s: %ld of %ld operations done; "
                     "a thread is stuck", now, target);
        last = now;
        pause_us(10000);
    }
}

static void test_writers_alone_readers_consistent(void **state)
{
    (void)state;
    int counts[] = { 2, 3, 5, 8 };
    const char *san = getenv("SANITIZER");
    ops_per_thread = san != NULL && *san != '\0' ? 500 : 3000;
    for (size_t k = 0; k < sizeof counts / sizeof *counts; k++) {
        lk = rw_new();
        assert_non_null(lk);
        atomic_store(&progress, 0);
        pthread_t t[8];
        for (int i = 0; i < counts[k]; i++)
            assert_int_equal(pthread_create(&t[i], NULL, mixer,
                                            (void *)(size_t)i), 0);
        wait_or_fail(counts[k] * ops_per_thread);
        for (int i = 0; i < counts[k]; i++)
            assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(atomic_load(&errors), 0);
        if (atomic_load(&violations) != 0)
            fail_msg("%ld violations with %d threads: a writer was not "
                     "alone, or a reader saw half a write",
                     atomic_load(&violations), counts[k]);
        rw_free(lk);
    }
}

static void test_readers_share(void **state)
{
    (void)state;
    lk = rw_new();
    assert_non_null(lk);
    assert_int_equal(rw_rdlock(lk), 0);
    assert_int_equal(rw_tryrdlock(lk), 0);   /* a second reader enters */
    assert_int_equal(rw_rdunlock(lk), 0);
    assert_int_equal(rw_rdunlock(lk), 0);
    assert_int_equal(rw_wrlock(lk), 0);
    assert_int_equal(rw_tryrdlock(lk), -EBUSY);  /* a writer is inside */
    assert_int_equal(rw_wrunlock(lk), 0);
    assert_int_equal(rw_tryrdlock(lk), 0);
    assert_int_equal(rw_rdunlock(lk), 0);
    rw_free(lk);
}

static atomic_int writer_in;

static void *one_writer(void *arg)
{
    (void)arg;
    if (rw_wrlock(lk) != 0)
        return NULL;
    atomic_store(&writer_in, 1);
    rw_wrunlock(lk);
    return NULL;
}

static void test_waiting_writer_holds_back_new_readers(void **state)
{
    (void)state;
    lk = rw_new();
    assert_non_null(lk);
    atomic_store(&writer_in, 0);
    assert_int_equal(rw_rdlock(lk), 0);
    pthread_t w;
    assert_int_equal(pthread_create(&w, NULL, one_writer, NULL), 0);
    /* Poll until the writer is waiting: then a new reader is refused. */
    int tries = 0, rc;
    while ((rc = rw_tryrdlock(lk)) == 0) {
        assert_int_equal(rw_rdunlock(lk), 0);
        if (++tries == 5000)
            fail_msg("a writer is waiting, yet after 5000 tries new "
                     "readers still get in: no writer preference");
        pause_us(1000);
    }
    assert_int_equal(rc, -EBUSY);
    assert_int_equal(atomic_load(&writer_in), 0);  /* we still read */
    assert_int_equal(rw_rdunlock(lk), 0);          /* writer goes */
    assert_int_equal(pthread_join(w, NULL), 0);
    assert_int_equal(atomic_load(&writer_in), 1);
    assert_int_equal(rw_tryrdlock(lk), 0);
    assert_int_equal(rw_rdunlock(lk), 0);
    rw_free(lk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readers_share),
        cmocka_unit_test(test_waiting_writer_holds_back_new_readers),
        cmocka_unit_test(test_writers_alone_readers_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
