/* tests/exercises/test-ex-4.4.c: the graceful shutdown of exercise 4.4.
 * waitsrv runs on a loop in a thread of its own; the test talks to it with
 * blocking sockets, each with a receive time-out so that a wrong answer
 * fails instead of hanging. After gs_shutdown: a request in flight is
 * still answered and its connection then closed; an idle connection and
 * one with half a request are closed at once; a new client is refused;
 * done is called once, when nothing is left; the loop then ends with
 * every handle closed. */
#define _GNU_SOURCE            /* SO_RCVTIMEO's struct timeval, pthread */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <uv.h>
#include "ex-4.4.h"
#include "../support/tcptest.h"

static uv_async_t trigger;
static struct ws_server srv;
static atomic_int done_calls;
static long connections_at_done = -1;

static void on_done(struct ws_server *s)
{
    connections_at_done = s->connections;
    atomic_fetch_add(&done_calls, 1);
}

static void on_trigger(uv_async_t *a)
{
    gs_shutdown(&srv, on_done);
    gs_shutdown(&srv, on_done);         /* a second call does nothing */
    uv_close((uv_handle_t *)a, NULL);
}

static int setup(void **state)
{
    (void)state;
    atomic_store(&done_calls, 0);
    connections_at_done = -1;
    assert_int_equal(uv_loop_init(&loop), 0);
    int err = ws_start(&loop, 0, &srv);
    if (err != 0) {
        fprintf(stderr, "ws_start: %s\n", uv_strerror(err));
        return -1;
    }
    port = ws_port(&srv);
    assert_int_equal(uv_async_init(&loop, &trigger, on_trigger), 0);
    return loop_thread_start();
}

/* Wait (at most 10 s) for done to be called, then for the loop to end. */
static void shut_down_and_join(void)
{
    for (int i = 0; i < 1000 && atomic_load(&done_calls) == 0; i++) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    if (atomic_load(&done_calls) == 0)
        fail_msg("done was not called within 10 s of gs_shutdown");
    pthread_join(loop_thread, NULL);
    assert_int_equal(run_result, 0);
    assert_int_equal(atomic_load(&done_calls), 1);
    assert_int_equal(connections_at_done, 0);
    assert_int_equal(uv_loop_close(&loop), 0);
}

static void the_server_works_before_a_shutdown(void **state)
{
    (void)state;
    int a = client(0);
    say(a, "20\n");
    expect(a, "ok\ndone\n");
    assert_int_equal(until_eof(a), 0);
    int b = client(0);
    say(b, "soon\n");
    expect(b, "error\n");
    assert_int_equal(until_eof(b), 0);
    close(a);
    close(b);
    uv_async_send(&trigger);
    shut_down_and_join();
}

static void requests_in_flight_finish_and_the_rest_close(void **state)
{
    (void)state;
    int busy = client(0);
    say(busy, "400\n");
    expect(busy, "ok\n");              /* the request is in flight */
    int idle = client(0);
    int half = client(0);
    say(half, "12");
    uv_async_send(&trigger);
    if (until_eof(idle) != 0)
        fail_msg("an idle connection was not closed by the shutdown");
    if (until_eof(half) != 0)
        fail_msg("a half-sent request's connection was not closed");
    {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_true(fd >= 0);
        struct sockaddr_in sa = { .sin_family = AF_INET,
                                  .sin_port = htons((uint16_t)port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        int rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
        if (rc == 0 || errno != ECONNREFUSED)
            fail_msg("a client connecting after the shutdown was not "
                     "refused (%s)", rc == 0 ? "connected" : strerror(errno));
        close(fd);
    }
    expect(busy, "done\n");            /* answered all the same */
    assert_int_equal(until_eof(busy), 0);
    close(busy);
    close(idle);
    close(half);
    shut_down_and_join();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(the_server_works_before_a_shutdown, setup),
        cmocka_unit_test_setup(requests_in_flight_finish_and_the_rest_close,
                               setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
