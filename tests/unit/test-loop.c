/* tests/unit/test-loop.c: the hand-made loop of chapter 4 (loop.h), every
 * test run once with each backend, poll and epoll. Checked: timers fire
 * in due order, ties in the order added; a timer added by a callback runs
 * on a later turn, never in the phase that added it; a watched
 * descriptor's callback runs once per readiness; unwatching (and closing)
 * another ready descriptor inside a callback is safe, even when its number
 * is reused at once; loop_run returns when nothing is left; bad
 * arguments are refused. The callbacks count their calls; the counts are
 * checked at the end. */
#define _GNU_SOURCE             /* socketpair's SOCK_NONBLOCK */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include "loop.h"

static enum loop_backend backend_poll = LOOP_POLL,
                         backend_epoll = LOOP_EPOLL;

static struct loop *make(void **state)
{
    struct loop *l = NULL;
    int err = loop_new(*(enum loop_backend *)*state, &l);
    if (err < 0)
        fail_msg("loop_new: %s", strerror(-err));
    return l;
}

static void pair(int sv[2])
{
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK
                                | SOCK_CLOEXEC, 0, sv), 0);
}

/* ---- timers ------------------------------------------------------------ */

static char order[16];
static int norder;

static void note(struct loop *l, void *arg)
{
    (void)l;
    order[norder++] = *(const char *)arg;
}

static void timers_in_order(void **state)
{
    struct loop *l = make(state);
    norder = 0;
    assert_int_equal(loop_timer(l, 30, note, "d"), 0);
    assert_int_equal(loop_timer(l, 10, note, "a"), 0);
    assert_int_equal(loop_timer(l, 20, note, "c"), 0);
    assert_int_equal(loop_timer(l, 10, note, "b"), 0);
    assert_int_equal(loop_timer(l, 0, note, "0"), 0);
    assert_int_equal(loop_run(l), 0);
    order[norder] = '\0';
    assert_string_equal(order, "0abcd");
    loop_free(l);
}

static int turn_of_first, turn_of_second;
static int turns;

static void second(struct loop *l, void *arg)
{
    (void)l, (void)arg;
    turn_of_second = turns;
}

static void first(struct loop *l, void *arg)
{
    (void)arg;
    turn_of_first = turns;
    assert_int_equal(loop_timer(l, 0, second, NULL), 0);
}

static void timer_added_in_callback(void **state)
{
    struct loop *l = make(state);
    turn_of_first = turn_of_second = -1;
    assert_int_equal(loop_timer(l, 0, first, NULL), 0);
    for (turns = 0; turns < 10 && turn_of_second < 0; turns++)
        assert_int_equal(loop_run_once(l), 0);
    assert_int_equal(turn_of_first, 0);
    assert_int_equal(turn_of_second, 1);   /* the next turn, not the same */
    loop_free(l);
}

/* ---- descriptors ------------------------------------------------------- */

static int reads;

static void on_readable(struct loop *l, int fd, int events, void *arg)
{
    (void)l, (void)arg;
    char c;
    assert_true(events & LOOP_READ);
    assert_int_equal(read(fd, &c, 1), 1);
    reads++;
}

static void nothing(struct loop *l, void *arg)
{
    (void)l, (void)arg;
}

static void once_per_readiness(void **state)
{
    struct loop *l = make(state);
    int sv[2];
    pair(sv);
    reads = 0;
    assert_int_equal(loop_watch(l, sv[0], LOOP_READ, on_readable, NULL), 0);
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(write(sv[1], "x", 1), 1);
        assert_int_equal(loop_run_once(l), 0);
        assert_int_equal(reads, i);
        /* Nothing more to read: a turn (ended by a timer) reports nothing. */
        assert_int_equal(loop_timer(l, 5, nothing, NULL), 0);
        assert_int_equal(loop_run_once(l), 0);
        assert_int_equal(reads, i);
    }
    assert_int_equal(loop_unwatch(l, sv[0]), 0);
    close(sv[0]), close(sv[1]);
    loop_free(l);
}

/* Two ready descriptors; whichever callback runs first unwatches and
 * closes the other, then opens a new pair whose first end gets the freed
 * number and watches it. Neither the closed descriptor's callback nor the
 * new one may run on the stale readiness. */
static int a[2], b[2], fresh[2];
static int calls, stale_calls;

static void on_fresh(struct loop *l, int fd, int events, void *arg)
{
    (void)l, (void)fd, (void)events, (void)arg;
    stale_calls++;
}

static void on_one(struct loop *l, int fd, int events, void *arg)
{
    (void)events, (void)arg;
    calls++;
    int other = fd == a[0] ? b[0] : a[0];
    assert_int_equal(loop_unwatch(l, other), 0);
    assert_int_equal(close(other), 0);
    pair(fresh);
    assert_int_equal(fresh[0], other);      /* the lowest free number */
    assert_int_equal(loop_watch(l, fresh[0], LOOP_READ, on_fresh, NULL), 0);
}

static void remove_inside_callback(void **state)
{
    struct loop *l = make(state);
    calls = stale_calls = 0;
    pair(a), pair(b);
    assert_int_equal(loop_watch(l, a[0], LOOP_READ, on_one, NULL), 0);
    assert_int_equal(loop_watch(l, b[0], LOOP_READ, on_one, NULL), 0);
    assert_int_equal(write(a[1], "x", 1), 1);
    assert_int_equal(write(b[1], "x", 1), 1);
    assert_int_equal(loop_run_once(l), 0);
    assert_int_equal(calls, 1);
    assert_int_equal(stale_calls, 0);
    int kept = a[0] == fresh[0] ? b[0] : a[0];
    assert_int_equal(loop_unwatch(l, kept), 0);
    assert_int_equal(loop_unwatch(l, fresh[0]), 0);
    close(a[1]), close(b[1]), close(kept), close(fresh[0]), close(fresh[1]);
    loop_free(l);
}

/* A writable descriptor stays writable: LOOP_WRITE is reported on every
 * turn while watched (level-triggered), until the callback unwatches. */
static int writes;

static void on_writable(struct loop *l, int fd, int events, void *arg)
{
    (void)arg;
    assert_true(events & LOOP_WRITE);
    if (++writes == 3)
        assert_int_equal(loop_unwatch(l, fd), 0);
}

static void write_is_level_triggered(void **state)
{
    struct loop *l = make(state);
    int sv[2];
    pair(sv);
    writes = 0;
    assert_int_equal(loop_watch(l, sv[0], LOOP_WRITE, on_writable, NULL), 0);
    assert_int_equal(loop_run(l), 0);      /* ends: nothing left */
    assert_int_equal(writes, 3);
    close(sv[0]), close(sv[1]);
    loop_free(l);
}

static void bad_arguments(void **state)
{
    struct loop *l = make(state);
    assert_int_equal(loop_watch(l, -1, LOOP_READ, on_readable, NULL),
                     -EINVAL);
    assert_int_equal(loop_watch(l, 0, 0, on_readable, NULL), -EINVAL);
    assert_int_equal(loop_watch(l, 0, 4, on_readable, NULL), -EINVAL);
    assert_int_equal(loop_unwatch(l, 5), -ENOENT);
    assert_int_equal(loop_run(l), 0);      /* empty: returns at once */
    loop_free(l);
}

static void backend_names(void **state)
{
    struct loop *l = make(state);
    const char *want = *(enum loop_backend *)*state == LOOP_POLL
                       ? "poll" : "epoll";
    assert_string_equal(loop_backend_name(l), want);
    loop_free(l);
}

#define BOTH(f) cmocka_unit_test_prestate(f, &backend_poll), \
                cmocka_unit_test_prestate(f, &backend_epoll)

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(timers_in_order),
        BOTH(timer_added_in_callback),
        BOTH(once_per_readiness),
        BOTH(remove_inside_callback),
        BOTH(write_is_level_triggered),
        BOTH(bad_arguments),
        BOTH(backend_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
