/* tests/unit/test-waitsrv.c: the small server of exercise 4.4 (waitsrv.h),
 * on its own: "MS" is answered "ok" at once and "done" later, then the
 * connection closes; bad requests get "error"; a client that leaves early
 * is freed; ws_start reports a port in use. The loop runs in a thread; the
 * test uses blocking sockets with a receive time-out. */
#define _GNU_SOURCE            /* SO_RCVTIMEO's struct timeval, pthread */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>
#include <uv.h>
#include "waitsrv.h"
#include "../support/tcptest.h"

static uv_async_t stopper;
static struct ws_server srv;
static long freed;

static void count_freed(struct ws_server *s)
{
    (void)s;
    freed++;
}

static void on_stop(uv_async_t *a)
{
    while (srv.conns != NULL)
        ws_close(srv.conns);
    uv_close((uv_handle_t *)&srv.listener, NULL);
    uv_close((uv_handle_t *)a, NULL);
}

static int setup(void **state)
{
    (void)state;
    freed = 0;
    assert_int_equal(uv_loop_init(&loop), 0);
    assert_int_equal(ws_start(&loop, 0, &srv), 0);
    srv.closed = count_freed;
    port = ws_port(&srv);
    assert_true(port > 0);
    assert_int_equal(uv_async_init(&loop, &stopper, on_stop), 0);
    return loop_thread_start();
}

static int teardown(void **state)
{
    (void)state;
    return loop_thread_stop(&stopper);
}

static void a_request_is_answered_twice_then_closed(void **state)
{
    (void)state;
    int a = client(0);
    say(a, "30\n");
    expect(a, "ok\n");
    expect(a, "done\n");
    assert_int_equal(until_eof(a), 0);
    close(a);
}

static void requests_wait_side_by_side(void **state)
{
    (void)state;
    int slow = client(0), fast = client(0);
    say(slow, "300\n");
    expect(slow, "ok\n");
    say(fast, "0\n");
    expect(fast, "ok\ndone\n");       /* not held up by the slow one */
    expect(slow, "done\n");
    close(slow);
    close(fast);
}

static void bad_requests_get_an_error(void **state)
{
    (void)state;
    static const char *bad[] = { "abc\n", "\n", "-5\n", "60001\n",
                                 "99999999999999999999\n" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int fd = client(0);
        say(fd, bad[i]);
        expect(fd, "error\n");
        assert_int_equal(until_eof(fd), 0);
        close(fd);
    }
}

static void a_client_that_leaves_early_disturbs_no_one(void **state)
{
    (void)state;
    int a = client(0);
    say(a, "10000\n");
    expect(a, "ok\n");
    close(a);                   /* the server notices when it writes */
    int b = client(0);
    say(b, "1\n");
    expect(b, "ok\ndone\n");
    assert_int_equal(until_eof(b), 0);
    close(b);
}

static void a_port_in_use_is_reported(void **state)
{
    (void)state;
    uv_loop_t other;
    struct ws_server s2;
    assert_int_equal(uv_loop_init(&other), 0);
    assert_int_equal(ws_start(&other, port, &s2), UV_EADDRINUSE);
    assert_int_equal(uv_run(&other, UV_RUN_DEFAULT), 0);
    assert_int_equal(uv_loop_close(&other), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_request_is_answered_twice_then_closed,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(requests_wait_side_by_side,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(bad_requests_get_an_error,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_client_that_leaves_early_disturbs_no_one,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_port_in_use_is_reported,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
