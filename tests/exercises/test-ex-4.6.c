/* tests/exercises/test-ex-4.6.c: backpressure on the hand-made loop
 * (exercise 4.6). The server runs on a loop in a thread of its own; a
 * blocking client sends up to 32 MB without reading until a send stalls
 * for a second, then reads everything back. Checked: the most bytes ever
 * queued for the client stay under the high-water mark plus one read;
 * the client was paused, and resumed (every byte comes back, in order);
 * the pauses are few (the low-water mark is used); es_stop ends the
 * loop. */
#define _GNU_SOURCE             /* SO_RCVTIMEO's struct timeval */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>
#include "ex-4.6.h"
#include "loop.h"

enum { HIGH = 256 * 1024, LOW = 64 * 1024, READ_MAX = 64 * 1024,
       TOTAL = 32 * 1024 * 1024, CHUNK = 64 * 1024 };

static struct loop *l;
static struct es server;
static int stop_pipe[2];
static pthread_t thread;
static int loop_err;

static void on_stop(struct loop *lp, int fd, int events, void *arg)
{
    (void)events, (void)arg;
    es_stop(&server);
    (void)loop_unwatch(lp, fd);
}

static void *run(void *arg)
{
    (void)arg;
    loop_err = loop_run(l);
    return NULL;
}

static int listener(int *port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 16), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

static int client(int port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                              .sin_port = htons((uint16_t)port) };
    struct timeval one = { .tv_sec = 1 }, ten = { .tv_sec = 10 };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &one,
                                sizeof one), 0);
    assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &ten,
                                sizeof ten), 0);
    return fd;
}

static size_t send_until_stalled(int fd)
{
    static unsigned char buf[CHUNK];
    size_t sent = 0;
    while (sent < TOTAL) {
        for (size_t i = 0; i < CHUNK; i++)
            buf[i] = (unsigned char)((sent + i) % 251);
        ssize_t k = send(fd, buf, CHUNK, MSG_NOSIGNAL);
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;              /* stalled for a second: enough */
        if (k < 0)
            fail_msg("send: %s", strerror(errno));
        sent += (size_t)k;
        if ((size_t)k < CHUNK)
            break;              /* a partial send: the time-out struck */
    }
    return sent;
}

static void read_back(int fd, size_t sent)
{
    static unsigned char buf[CHUNK];
    size_t got = 0;
    while (got < sent) {
        ssize_t k = recv(fd, buf, sizeof buf, 0);
        if (k <= 0)
            fail_msg("after %zu of %zu bytes came back: %s", got, sent,
                     k == 0 ? "end of stream" : (const char *)strerror(errno));
        for (ssize_t i = 0; i < k; i++)
            if (buf[i] != (unsigned char)((got + (size_t)i) % 251))
                fail_msg("byte %zu came back wrong", got + (size_t)i);
        got += (size_t)k;
    }
}

static void bounded_and_resumed(void **state)
{
    (void)state;
    int port, lfd = listener(&port);
    assert_int_equal(loop_new(LOOP_EPOLL, &l), 0);
    assert_int_equal(pipe(stop_pipe), 0);
    assert_int_equal(es_start(&server, l, lfd, HIGH, LOW), 0);
    assert_int_equal(loop_watch(l, stop_pipe[0], LOOP_READ, on_stop, NULL),
                     0);
    assert_int_equal(pthread_create(&thread, NULL, run, NULL), 0);
    int fd = client(port);
    size_t sent = send_until_stalled(fd);
    read_back(fd, sent);
    close(fd);
    assert_int_equal(write(stop_pipe[1], "x", 1), 1);
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_int_equal(loop_err, 0);
    if (server.max_queued > HIGH + READ_MAX)
        fail_msg("%zu bytes were queued for a client that did not read "
                 "(the bound is %d + one read of %d)", server.max_queued,
                 HIGH, READ_MAX);
    if (server.pauses == 0)
        fail_msg("the client was never paused");
    if (server.pauses > sent / (HIGH - LOW) + 2)
        fail_msg("%lu pauses for %zu bytes: the low-water mark is not "
                 "used", server.pauses, sent);
    loop_free(l);
    close(lfd), close(stop_pipe[0]), close(stop_pipe[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bounded_and_resumed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
