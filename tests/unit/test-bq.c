/* tests/unit/test-bq.c: the bounded blocking queue of chapter 2.
 * The stress test moves tagged items (producer, sequence) through a small
 * queue between 4 producers and 4 consumers and checks that none is lost,
 * none duplicated, and each producer's items reach each consumer in order.
 * The close tests check that closing wakes every waiter and that
 * consumers can still drain what was left. */
#define _GNU_SOURCE             /* syscall, to read each waiter's thread id */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cmocka.h>
#include "bq.h"
#include "ground.h"

enum { PRODUCERS = 4, CONSUMERS = 4 };

static long per_producer;          /* items each producer pushes */

struct consumer {
    pthread_t thread;
    bq *q;
    unsigned char *seen;           /* seen[tag]: times this consumer got it */
    long last[PRODUCERS];          /* last sequence seen from each producer */
    long out_of_order;
    long got;
};

struct producer {
    pthread_t thread;
    bq *q;
    long id;
    int err;
};

/* tag = id * per_producer + seq + 1; never 0, so never NULL */
static void *produce(void *arg)
{
    struct producer *p = arg;
    for (long seq = 0; seq < per_producer; seq++) {
        uintptr_t tag = (uintptr_t)(p->id * per_producer + seq + 1);
        if ((p->err = bq_push(p->q, (void *)tag)) != 0)
            return NULL;
        if (seq % 4096 == 0)
            sched_yield();
    }
    return NULL;
}

static void *consume(void *arg)
{
    struct consumer *c = arg;
    void *item;
    while (bq_pop(c->q, &item) == 0) {
        uintptr_t tag = (uintptr_t)item - 1;
        long id = (long)(tag / (uintptr_t)per_producer);
        long seq = (long)(tag % (uintptr_t)per_producer);
        if (id >= PRODUCERS || seq <= c->last[id])
            c->out_of_order++;
        else
            c->last[id] = seq;
        if (c->seen[tag] < 255)
            c->seen[tag]++;
        c->got++;
    }
    return NULL;
}

static void start(pthread_t *t, void *(*fn)(void *), void *arg)
{
    int err = pthread_create(t, NULL, fn, arg);
    if (err != 0)
        fail_msg("pthread_create: error %d", err);
}

static void join(pthread_t t)
{
    int err = pthread_join(t, NULL);
    if (err != 0)
        fail_msg("pthread_join: error %d", err);
}

static void test_many_producers_many_consumers(void **state)
{
    (void)state;
    /* A million items; a tenth under a sanitizer (TSan is ~10x slower). */
    per_producer = getenv("SANITIZER") && *getenv("SANITIZER")
                   ? 25000 : 250000;
    long total = PRODUCERS * per_producer;
    bq *q = bq_new(64);
    assert_non_null(q);
    struct producer p[PRODUCERS];
    struct consumer c[CONSUMERS];
    for (int i = 0; i < CONSUMERS; i++) {
        c[i] = (struct consumer){ .q = q };
        c[i].seen = calloc((size_t)total, 1);
        assert_non_null(c[i].seen);
        for (int j = 0; j < PRODUCERS; j++)
            c[i].last[j] = -1;
        start(&c[i].thread, consume, &c[i]);
    }
    for (int i = 0; i < PRODUCERS; i++) {
        p[i] = (struct producer){ .q = q, .id = i };
        start(&p[i].thread, produce, &p[i]);
    }
    for (int i = 0; i < PRODUCERS; i++) {
        join(p[i].thread);
        assert_int_equal(p[i].err, 0);
    }
    assert_int_equal(bq_close(q), 0);
    long got = 0, lost = 0, dup = 0;
    for (int i = 0; i < CONSUMERS; i++) {
        join(c[i].thread);
        assert_int_equal(c[i].out_of_order, 0);
        got += c[i].got;
    }
    for (long t = 0; t < total; t++) {
        int n = 0;
        for (int i = 0; i < CONSUMERS; i++)
            n += c[i].seen[t];
        lost += n == 0;
        dup += n > 1;
    }
    if (lost || dup || got != total)
        fail_msg("moved %ld items: got %ld, lost %ld, duplicated %ld",
                 total, got, lost, dup);
    for (int i = 0; i < CONSUMERS; i++)
        free(c[i].seen);
    bq_free(q);
}

/* ---- close wakes every waiter ---- */

struct waiter {
    pthread_t thread;
    bq *q;
    int rc;
    _Atomic long tid;              /* the kernel's id of the thread, or 0 */
};

static void *push_one(void *arg)
{
    struct waiter *w = arg;
    atomic_store(&w->tid, syscall(SYS_gettid));
    w->rc = bq_push(w->q, w);
    return NULL;
}

static void *pop_one(void *arg)
{
    struct waiter *w = arg;
    void *item;
    atomic_store(&w->tid, syscall(SYS_gettid));
    w->rc = bq_pop(w->q, &item);
    return NULL;
}

/* Is thread tid of this process asleep in the kernel on a futex (where a
 * condition variable's wait, or a mutex, puts it)? Linux says so in
 * /proc/self/task/TID/syscall, whose first field is the number of the
 * system call the thread is blocked in. -1 if the thread has ended. */
static int in_futex_wait(long tid)
{
    char path[64];
    long nr = -1;
    snprintf(path, sizeof path, "/proc/self/task/%ld/syscall", tid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return errno == ENOENT ? -1 : 0;
    if (fscanf(f, "%ld", &nr) != 1)
        nr = -1;
    fclose(f);
    return nr == SYS_futex;
}

/* Wait until each of the n waiters is blocked in the queue: a condition,
 * not a time, so the test means the same on a fast and a loaded machine.
 * A waiter that returns instead of blocking fails the test. */
static void wait_until_blocked(struct waiter *w, int n)
{
    for (int i = 0; i < n; i++) {
        long tid;
        int in;
        while ((tid = atomic_load(&w[i].tid)) == 0
               || (in = in_futex_wait(tid)) == 0)
            sched_yield();
        if (in < 0)
            fail_msg("waiter %d returned instead of blocking", i);
    }
}

static void test_close_wakes_blocked_pushers(void **state)
{
    (void)state;
    bq *q = bq_new(2);
    assert_non_null(q);
    int a = 1, b = 2;
    assert_int_equal(bq_push(q, &a), 0);
    assert_int_equal(bq_push(q, &b), 0);     /* now full */
    struct waiter w[3];
    for (int i = 0; i < 3; i++) {
        w[i] = (struct waiter){ .q = q, .rc = 1 };
        start(&w[i].thread, push_one, &w[i]);
    }
    wait_until_blocked(w, 3);
    assert_int_equal(bq_close(q), 0);
    for (int i = 0; i < 3; i++) {
        join(w[i].thread);     /* a hang here means a waiter was not woken */
        assert_int_equal(w[i].rc, -EPIPE);
    }
    void *item;
    assert_int_equal(bq_pop(q, &item), 0);   /* and nothing was lost */
    assert_ptr_equal(item, &a);
    assert_int_equal(bq_pop(q, &item), 0);
    assert_ptr_equal(item, &b);
    assert_int_equal(bq_pop(q, &item), -EPIPE);
    bq_free(q);
}

static void test_close_wakes_blocked_poppers(void **state)
{
    (void)state;
    bq *q = bq_new(4);
    assert_non_null(q);
    struct waiter w[3];
    for (int i = 0; i < 3; i++) {
        w[i] = (struct waiter){ .q = q, .rc = 1 };
        start(&w[i].thread, pop_one, &w[i]);
    }
    wait_until_blocked(w, 3);
    assert_int_equal(bq_close(q), 0);
    for (int i = 0; i < 3; i++) {
        join(w[i].thread);
        assert_int_equal(w[i].rc, -EPIPE);
    }
    bq_free(q);
}

static void test_pop_drains_after_close(void **state)
{
    (void)state;
    bq *q = bq_new(8);
    assert_non_null(q);
    int v[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(bq_push(q, &v[i]), 0);
    assert_int_equal(bq_close(q), 0);
    assert_int_equal(bq_close(q), 0);        /* closing twice is harmless */
    assert_int_equal(bq_push(q, &v[0]), -EPIPE);
    void *item;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(bq_pop(q, &item), 0);
        assert_ptr_equal(item, &v[i]);
    }
    assert_int_equal(bq_pop(q, &item), -EPIPE);
    assert_int_equal(bq_pop(q, &item), -EPIPE);
    bq_free(q);
}

static void test_fifo_order_across_the_wrap(void **state)
{
    (void)state;
    bq *q = bq_new(3);
    assert_non_null(q);
    int v[10];
    void *item;
    int next_in = 0, next_out = 0;
    for (int round = 0; round < 4; round++) {   /* head goes round the ring */
        while (next_in < next_out + 3 && next_in < 10)
            assert_int_equal(bq_push(q, &v[next_in++]), 0);
        for (int k = 0; k < 2 && next_out < next_in; k++) {
            assert_int_equal(bq_pop(q, &item), 0);
            assert_ptr_equal(item, &v[next_out++]);
        }
    }
    while (next_out < next_in) {
        assert_int_equal(bq_pop(q, &item), 0);
        assert_ptr_equal(item, &v[next_out++]);
    }
    bq_free(q);
}

static void test_zero_capacity_is_invalid(void **state)
{
    (void)state;
    errno = 0;
    assert_null(bq_new(0));
    assert_int_equal(errno, EINVAL);
    bq_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_capacity_is_invalid),
        cmocka_unit_test(test_fifo_order_across_the_wrap),
        cmocka_unit_test(test_pop_drains_after_close),
        cmocka_unit_test(test_close_wakes_blocked_poppers),
        cmocka_unit_test(test_close_wakes_blocked_pushers),
        cmocka_unit_test(test_many_producers_many_consumers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
