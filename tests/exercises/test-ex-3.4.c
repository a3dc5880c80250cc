/* tests/exercises/test-ex-3.4.c: the pre-forked server of exercise 3.4.
 * W connections held open at once are served by W different workers
 * (each serves one connection at a time), all of them pids returned by
 * prefork_start; later connections are served too; prefork_stop reaps
 * every worker. Only 127.0.0.1. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "ex-3.4.h"

enum { W = 4 };

static int listener(struct sockaddr_in *a)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)a, sizeof *a), 0);
    socklen_t len = sizeof *a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)a, &len), 0);
    assert_int_equal(listen(fd, 16), 0);
    return fd;
}

static int dial(const struct sockaddr_in *a)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (const struct sockaddr *)a, sizeof *a), 0);
    return fd;
}

/* Send a line, read the answer line; return the pid it names. */
static long ask(int fd, const char *line)
{
    assert_int_equal(write(fd, line, strlen(line)), (ssize_t)strlen(line));
    char buf[256];
    size_t n = 0;
    while (n < sizeof buf - 1) {
        ssize_t k = read(fd, buf + n, 1);
        assert_true(k == 1);
        if (buf[n++] == '\n')
            break;
    }
    buf[n] = '\0';
    char *sp = strchr(buf, ' ');
    assert_non_null(sp);
    assert_string_equal(sp + 1, line);
    return atol(buf);
}

static int is_worker(long pid, const pid_t *pids)
{
    for (int i = 0; i < W; i++)
        if (pids[i] == pid)
            return 1;
    return 0;
}

static void test_prefork(void **state)
{
    (void)state;
    struct sockaddr_in a;
    int lfd = listener(&a);
    pid_t pids[W];
    assert_int_equal(prefork_start(lfd, W, pids), 0);
    int fds[W];
    long seen[W];
    for (int i = 0; i < W; i++)
        fds[i] = dial(&a);
    for (int i = 0; i < W; i++) {
        seen[i] = ask(fds[i], "hello\n");
        assert_true(is_worker(seen[i], pids));
        for (int j = 0; j < i; j++)
            if (seen[j] == seen[i])
                fail_msg("connections %d and %d served by one worker", j, i);
        assert_int_equal(ask(fds[i], "again\n"), seen[i]);
    }
    for (int i = 0; i < W; i++)
        close(fds[i]);
    for (int i = 0; i < 20; i++) {
        int fd = dial(&a);
        assert_true(is_worker(ask(fd, "one more\n"), pids));
        close(fd);
    }
    assert_int_equal(prefork_stop(pids, W), 0);
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
    close(lfd);
}

/* A line longer than any buffer is answered once, whole (issue 14: the
   solution read with fgets into 4096 bytes and answered each piece). */
static void test_long_line(void **state)
{
    (void)state;
    struct sockaddr_in a;
    int lfd = listener(&a);
    pid_t pids[1];
    assert_int_equal(prefork_start(lfd, 1, pids), 0);
    enum { LEN = 10000 };
    char *line = malloc(LEN + 1), *got = malloc(LEN + 64);
    assert_non_null(line);
    assert_non_null(got);
    for (int i = 0; i < LEN - 1; i++)
        line[i] = (char)('a' + i % 26);
    line[LEN - 1] = '\n';
    line[LEN] = '\0';
    int fd = dial(&a);
    assert_int_equal(write(fd, line, LEN), LEN);
    shutdown(fd, SHUT_WR);
    size_t n = 0;
    ssize_t k;
    while (n < LEN + 63 && (k = read(fd, got + n, LEN + 63 - n)) > 0)
        n += (size_t)k;
    got[n] = '\0';
    char want[LEN + 64];
    snprintf(want, sizeof want, "%ld %s", (long)pids[0], line);
    int same = strcmp(got, want) == 0;
    close(fd);
    free(line);
    free(got);
    /* Stop the worker before any failure, so that none is left behind. */
    assert_int_equal(prefork_stop(pids, 1), 0);
    close(lfd);
    if (!same)
        fail_msg("a %d-byte line came back as %zu bytes", LEN, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefork),
        cmocka_unit_test(test_long_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
