/* tests/support/tcptest.h: testing a libuv server over loopback TCP.
 * Shared by the cmocka tests whose server runs on a loop in a thread of
 * its own while the test talks to it with blocking sockets, each with a
 * receive time-out of 5 s so that a wrong server fails the test instead
 * of hanging it (tests/exercises/test-ex-4.3.c, test-ex-4.4.c,
 * tests/unit/test-waitsrv.c).
 *
 * Include it after the system headers, with _GNU_SOURCE defined first
 * (SO_RCVTIMEO's struct timeval, pthread), once per test program: it
 * defines the loop, its thread and the port for the including file.
 * The test's setup initialises `loop`, starts its server on port 0,
 * stores the port it got in `port`, and calls loop_thread_start; its
 * teardown calls loop_thread_stop (or joins loop_thread and checks
 * `run_result` itself).
 * Every function is static inline, so a test that does not use one is
 * still clean under -Wall -Wextra -Werror. */
#ifndef TCPTEST_H
#define TCPTEST_H

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>
#include <uv.h>

static uv_loop_t loop;
static pthread_t loop_thread;
static int run_result = -1;
static int port;                /* the server's, set by the test's setup */

/* The body of loop_thread: run the loop until no handle is left. */
static inline void *run_loop(void *arg)
{
    (void)arg;
    run_result = uv_run(&loop, UV_RUN_DEFAULT);
    return NULL;
}

/* Start run_loop in loop_thread; 0, or -1 (what a setup returns). */
static inline int loop_thread_start(void)
{
    return pthread_create(&loop_thread, NULL, run_loop, NULL) == 0 ? 0 : -1;
}

/* Wake the loop with stop, whose callback closes every handle the test
 * opened; join loop_thread and check that the loop ended with every
 * handle closed: 0, or -1 saying so (what a teardown returns). */
static inline int loop_thread_stop(uv_async_t *stop)
{
    uv_async_send(stop);
    pthread_join(loop_thread, NULL);
    if (run_result != 0 || uv_loop_close(&loop) != 0) {
        fprintf(stderr, "the loop did not end with every handle closed\n");
        return -1;
    }
    return 0;
}

/* A blocking socket connected to the server, with a 5 s receive
 * time-out; rcvbuf > 0 also sets its receive buffer (a slow reader). */
static inline int client(int rcvbuf)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct timeval tv = { 5, 0 };
    assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    if (rcvbuf > 0)
        assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
                                    sizeof rcvbuf), 0);
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_port = htons((uint16_t)port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        fail_msg("connect: %s", strerror(errno));
    return fd;
}

/* Send all n bytes of s, or fail the test. */
static inline void send_str(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, s, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            fail_msg("send: %s", strerror(errno));
        s += k;
        n -= (size_t)k;
    }
}

static inline void say(int fd, const char *s) { send_str(fd, s, strlen(s)); }

/* Read exactly strlen(want) bytes and compare them with want. */
static inline void expect(int fd, const char *want)
{
    size_t n = strlen(want), got = 0;
    char buf[4096];
    assert_true(n < sizeof buf);
    while (got < n) {
        ssize_t k = recv(fd, buf + got, n - got, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            fail_msg("expected '%s', got %zu bytes ('%.*s') then %s", want,
                     got, (int)got, buf, k == 0 ? "end of file"
                     : strerror(errno));
        got += (size_t)k;
    }
    buf[n] = '\0';
    if (strcmp(buf, want) != 0)
        fail_msg("expected '%s', got '%s'", want, buf);
}

/* Read until the server closes; -1 if it does not within the time-out. */
static inline long until_eof(int fd)
{
    static char buf[65536];
    long total = 0;
    for (;;) {
        ssize_t k = recv(fd, buf, sizeof buf, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k == 0 || (k < 0 && errno == ECONNRESET))
            return total;
        if (k < 0)
            return -1;
        total += k;
    }
}

#endif
