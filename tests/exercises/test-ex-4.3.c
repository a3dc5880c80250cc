/* tests/exercises/test-ex-4.3.c: the chat server of exercise 4.3.
 * The server runs on a loop in a thread of its own; the test talks to it
 * with blocking sockets (each with a receive time-out, so that a wrong
 * server fails the test instead of hanging it). Checked: a line goes to
 * every other client and not back to its sender; lines split across
 * sends and several lines in one send; a line over CHAT_LINE_MAX closes
 * its sender; a client that never reads is disconnected while the sender
 * goes on being served; chat_stop lets the loop end with every handle
 * closed. */
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
#include "ex-4.3.h"
#include "../support/tcptest.h"

static uv_async_t stopper;
static struct chat *chat;

static void on_stop(uv_async_t *a)
{
    chat_stop(chat);
    uv_close((uv_handle_t *)a, NULL);
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(uv_loop_init(&loop), 0);
    int err = chat_start(&loop, 0, &chat);
    if (err != 0) {
        fprintf(stderr, "chat_start: %s\n", uv_strerror(err));
        return -1;
    }
    port = chat_port(chat);
    if (port <= 0) {
        fprintf(stderr, "chat_port: %d\n", port);
        return -1;
    }
    assert_int_equal(uv_async_init(&loop, &stopper, on_stop), 0);
    return loop_thread_start();
}

static int teardown(void **state)
{
    (void)state;
    return loop_thread_stop(&stopper);
}

/* Connect a client and make sure the server has it in its list: it says
   its name, and every client already there hears it. */
static int join(int *others, int n, const char *name, int rcvbuf)
{
    int fd = client(rcvbuf);
    char line[64];
    snprintf(line, sizeof line, "%s here\n", name);
    say(fd, line);
    for (int i = 0; i < n; i++)
        expect(others[i], line);
    return fd;
}

static void lines_go_to_everyone_else(void **state)
{
    (void)state;
    int a = client(0);
    int all[2] = { a };
    int b = join(all, 1, "b", 0);
    all[1] = b;
    int c = join(all, 2, "c", 0);
    say(a, "hello\n");
    expect(b, "hello\n");
    expect(c, "hello\n");
    say(b, "from b\n");                 /* a never heard its own line */
    expect(a, "from b\n");
    expect(c, "from b\n");
    say(a, "par");
    say(a, "tial\n");
    expect(b, "partial\n");
    expect(c, "partial\n");
    say(c, "one\ntwo\nthr");
    say(c, "ee\n");
    expect(a, "one\ntwo\nthree\n");
    expect(b, "one\ntwo\nthree\n");
    close(a);
    close(b);
    close(c);
}

static void a_line_too_long_closes_its_sender(void **state)
{
    (void)state;
    int a = client(0);
    int d = join(&a, 1, "d", 0);
    char *big = malloc(CHAT_LINE_MAX * 2);
    assert_non_null(big);
    memset(big, 'x', CHAT_LINE_MAX * 2);
    send_str(d, big, CHAT_LINE_MAX * 2);
    free(big);
    long n = until_eof(d);
    if (n != 0)
        fail_msg("the sender of a long line was not closed (%ld)", n);
    int e = join(&a, 1, "e", 0);        /* a heard nothing of the long line */
    close(a);
    close(d);
    close(e);
}

/* Read lines from fd until want arrives, skipping whole lines made of the
   noise character: lines the sender wrote before fd joined may still be
   on their way to it (the server relays them after the join when the
   machine is slow, as under ThreadSanitizer). */
static void expect_after_noise(int fd, char noise, const char *want)
{
    static char buf[65536];
    char line[4096];
    size_t len = 0;
    for (;;) {
        ssize_t k = recv(fd, buf, sizeof buf, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            fail_msg("expected '%s', got %s", want,
                     k == 0 ? "end of file" : strerror(errno));
        for (ssize_t i = 0; i < k; i++) {
            if (len + 1 >= sizeof line)
                fail_msg("expected '%s', got a line over %zu bytes", want,
                         sizeof line);
            line[len++] = buf[i];
            if (buf[i] != '\n')
                continue;
            line[len] = '\0';
            if (strcmp(line, want) == 0)
                return;
            for (size_t j = 0; j + 1 < len; j++)
                if (line[j] != noise)
                    fail_msg("expected '%s', got '%s'", want, line);
            len = 0;
        }
    }
}

static void a_client_that_never_reads_is_dropped(void **state)
{
    (void)state;
    int a = client(0);
    int slow = join(&a, 1, "slow", 4096);
    char line[1000];
    memset(line, 'y', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    long lines = 16L * 1024 * 1024 / (long)sizeof line;
    for (long i = 0; i < lines; i++)    /* 16 MB the slow one never reads */
        send_str(a, line, sizeof line);
    long got = until_eof(slow);
    if (got < 0 || got >= lines * (long)sizeof line)
        fail_msg("the slow client was not disconnected: read %ld of %ld",
                 got, lines * (long)sizeof line);
    int f = join(&a, 1, "f", 0);        /* the sender is still served */
    say(a, "still here\n");
    expect_after_noise(f, 'y', "still here\n");
    close(a);
    close(slow);
    close(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(lines_go_to_everyone_else,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_line_too_long_closes_its_sender,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_client_that_never_reads_is_dropped,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
