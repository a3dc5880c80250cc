/* tests/unit/test-frame.c: the frames module (chapter 3).
   Every hazard of a pipe: short reads, EINTR, truncation, oversize
   lengths, a reader that has gone. Child processes report failure through
   their exit status; they never call cmocka. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "frame.h"

/* A deterministic byte for position i of frame k. */
static unsigned char pattern(uint64_t k, uint64_t i)
{
    uint64_t x = (k + 1) * 0x9E3779B97F4A7C15u ^ (i * 0xBF58476D1CE4E5B9u);
    x ^= x >> 29;
    return (unsigned char)(x ^ (x >> 17));
}

static uint64_t rng_state = 88172645463325252u;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void wait_ok(pid_t pid)
{
    int status;
    pid_t r;
    while ((r = waitpid(pid, &status, 0)) == -1 && errno == EINTR)
        ;
    assert_int_equal(r, pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("child %ld ended with status %#x", (long)pid, status);
}

enum { NFRAMES = 48, MAXSIZE = 1 << 20 };

static size_t frame_size(int k)
{
    static const size_t fixed[] = { 0, 1, 4091, 4092, 4093, 65536, MAXSIZE };
    if (k < (int)(sizeof fixed / sizeof fixed[0]))
        return fixed[k];
    return (size_t)(rng() % (MAXSIZE + 1));
}

/* Sender child: NFRAMES frames of the sizes above, then close. */
static void send_frames(int fd, const size_t *sizes)
{
    unsigned char *buf = malloc(MAXSIZE);
    if (buf == NULL)
        _exit(3);
    for (int k = 0; k < NFRAMES; k++) {
        for (size_t i = 0; i < sizes[k]; i++)
            buf[i] = pattern((uint64_t)k, i);
        if (frame_send(fd, buf, sizes[k]) != 0)
            _exit(4);
    }
    free(buf);
    _exit(0);
}

/* Relay child: copy in random pieces of 1..4096 bytes. */
static void relay(int in, int out)
{
    char buf[4096];
    for (;;) {
        size_t want = 1 + (size_t)(rng() % sizeof buf);
        ssize_t r = read(in, buf, want);
        if (r == 0)
            _exit(0);
        if (r < 0)
            _exit(errno == EINTR ? 6 : 5);
        if (frame_write_full(out, buf, (size_t)r) != 0)
            _exit(7);
    }
}

static void test_random_sizes_through_a_relay(void **state)
{
    (void)state;
    size_t sizes[NFRAMES];
    for (int k = 0; k < NFRAMES; k++)
        sizes[k] = frame_size(k);
    int a[2], b[2];
    assert_int_equal(frame_pipe(a), 0);
    assert_int_equal(frame_pipe(b), 0);
    fflush(NULL);           /* or the children would print cmocka's lines */
    pid_t sender = fork();
    assert_true(sender >= 0);
    if (sender == 0) {
        close(a[0]); close(b[0]); close(b[1]);
        send_frames(a[1], sizes);
    }
    pid_t relayer = fork();
    assert_true(relayer >= 0);
    if (relayer == 0) {
        close(a[1]); close(b[0]);
        relay(a[0], b[1]);
    }
    close(a[0]); close(a[1]); close(b[1]);
    char *buf = malloc(MAXSIZE);
    assert_non_null(buf);
    for (int k = 0; k < NFRAMES; k++) {
        size_t len = 12345;
        int r = frame_recv(b[0], buf, MAXSIZE, &len);
        if (r != 1)
            fail_msg("frame %d: %s", k, r < 0 ? frame_strerror(r) : "eof");
        assert_int_equal(len, sizes[k]);
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)buf[i] != pattern((uint64_t)k, i))
                fail_msg("frame %d byte %zu differs", k, i);
    }
    size_t len;
    assert_int_equal(frame_recv(b[0], buf, MAXSIZE, &len), 0);
    free(buf);
    close(b[0]);
    wait_ok(sender);
    wait_ok(relayer);
}

/* The EINTR storm. */
static volatile sig_atomic_t alarms;
static void on_alarm(int sig) { (void)sig; alarms++; }

static void start_storm(void)
{
    struct sigaction sa = { .sa_handler = on_alarm };   /* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) != 0)
        abort();
    struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
    if (setitimer(ITIMER_REAL, &it, NULL) != 0)
        abort();
}

static void stop_storm(void)
{
    struct itimerval it = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &it, NULL);
    signal(SIGALRM, SIG_DFL);
}

enum { STORM_FRAME = 1 << 20 };

static size_t storm_bytes(void)
{
    /* 100 MB as the chapter says; sanitizers are slower, so less. */
    return getenv("SANITIZER") ? (size_t)16 << 20 : (size_t)100 << 20;
}

static void storm_receiver(int fd, size_t total)
{
    start_storm();
    char *buf = malloc(STORM_FRAME);
    if (buf == NULL)
        _exit(3);
    size_t off = 0, len;
    int r;
    while ((r = frame_recv(fd, buf, STORM_FRAME, &len)) == 1) {
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)buf[i] != pattern(0, off + i))
                _exit(4);
        off += len;
    }
    stop_storm();
    free(buf);
    _exit(r == 0 && off == total && alarms > 0 ? 0 : 5);
}

static void test_eintr_storm_keeps_every_byte(void **state)
{
    (void)state;
    size_t total = storm_bytes();
    int p[2];
    assert_int_equal(frame_pipe(p), 0);
    fflush(NULL);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(p[1]);
        storm_receiver(p[0], total);
    }
    close(p[0]);
    unsigned char *buf = malloc(STORM_FRAME);
    assert_non_null(buf);
    alarms = 0;
    start_storm();
    for (size_t off = 0; off < total; off += STORM_FRAME) {
        size_t n = total - off < STORM_FRAME ? total - off : STORM_FRAME;
        for (size_t i = 0; i < n; i++)
            buf[i] = pattern(0, off + i);
        int r = frame_send(p[1], buf, n);
        if (r != 0)
            fail_msg("frame_send at %zu: %s", off, frame_strerror(r));
    }
    stop_storm();
    free(buf);
    close(p[1]);
    wait_ok(child);
    assert_true(alarms > 0);
}

/* Hand-made streams. */
static int stream(const void *bytes, size_t n)
{
    int p[2];
    assert_int_equal(frame_pipe(p), 0);
    assert_int_equal(frame_write_full(p[1], bytes, n), 0);
    close(p[1]);
    return p[0];
}

static void test_clean_end_of_stream(void **state)
{
    (void)state;
    int fd = stream("", 0);
    char buf[8];
    size_t len;
    assert_int_equal(frame_recv(fd, buf, sizeof buf, &len), 0);
    close(fd);
}

static void test_empty_frame(void **state)
{
    (void)state;
    int fd = stream("\0\0\0\0", 4);
    char buf[8];
    size_t len = 99;
    assert_int_equal(frame_recv(fd, buf, sizeof buf, &len), 1);
    assert_int_equal(len, 0);
    assert_int_equal(frame_recv(fd, buf, sizeof buf, &len), 0);
    close(fd);
}

static void test_truncated_header(void **state)
{
    (void)state;
    int fd = stream("\0\0", 2);
    char buf[8];
    size_t len;
    assert_int_equal(frame_recv(fd, buf, sizeof buf, &len), -EPROTO);
    close(fd);
}

static void test_truncated_body(void **state)
{
    (void)state;
    int fd = stream("\0\0\0\x64" "only part of a hundred bytes", 32);
    char buf[128];
    size_t len;
    assert_int_equal(frame_recv(fd, buf, sizeof buf, &len), -EPROTO);
    close(fd);
    fd = stream("\0\0\0\x64" "only part", 13);
    char *p = NULL;
    assert_int_equal(frame_recv_alloc(fd, 1000, &p, &len), -EPROTO);
    assert_null(p);
    close(fd);
    assert_string_equal(frame_strerror(-EPROTO),
                        "truncated frame (stream ended inside a frame)");
}

static void test_oversize_length_is_refused(void **state)
{
    (void)state;
    int fd = stream("\x7f\xff\xff\xff" "garbage", 11);
    char *p = NULL;
    size_t len;
    assert_int_equal(frame_recv_alloc(fd, 1 << 20, &p, &len), -EMSGSIZE);
    assert_null(p);
    close(fd);
    fd = stream("\0\0\0\x09" "123456789", 13);
    char small[8];
    assert_int_equal(frame_recv(fd, small, sizeof small, &len), -EMSGSIZE);
    close(fd);
    assert_int_equal(frame_send(1, small, FRAME_LEN_MAX + 1), -EMSGSIZE);
    assert_string_equal(frame_strerror(-EMSGSIZE), "frame too large");
}

static void test_alloc_round_trip(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(frame_pipe(p), 0);
    assert_int_equal(frame_send(p[1], "hello", 5), 0);
    close(p[1]);
    char *buf = NULL;
    size_t len;
    assert_int_equal(frame_recv_alloc(p[0], 5, &buf, &len), 1);
    assert_int_equal(len, 5);
    assert_string_equal(buf, "hello");
    free(buf);
    assert_int_equal(frame_recv_alloc(p[0], 5, &buf, &len), 0);
    close(p[0]);
}

static void test_closed_reader_gives_epipe(void **state)
{
    (void)state;
    struct sigaction ign = { .sa_handler = SIG_IGN }, old;
    sigemptyset(&ign.sa_mask);
    assert_int_equal(sigaction(SIGPIPE, &ign, &old), 0);
    int p[2];
    assert_int_equal(frame_pipe(p), 0);
    close(p[0]);
    assert_int_equal(frame_send(p[1], "x", 1), -EPIPE);
    static char big[100000];
    assert_int_equal(frame_send(p[1], big, sizeof big), -EPIPE);
    close(p[1]);
    sigaction(SIGPIPE, &old, NULL);
}

static void test_pipe_is_close_on_exec(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(frame_pipe(p), 0);
    /* fcntl is declared through unistd.h's neighbours; use /proc. */
    for (int i = 0; i < 2; i++) {
        char path[64], line[256];
        snprintf(path, sizeof path, "/proc/self/fdinfo/%d", p[i]);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        unsigned flags = 0;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "flags: %o", &flags) == 1)
                break;
        fclose(f);
        assert_true(flags & 02000000);   /* O_CLOEXEC */
        close(p[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_end_of_stream),
        cmocka_unit_test(test_empty_frame),
        cmocka_unit_test(test_truncated_header),
        cmocka_unit_test(test_truncated_body),
        cmocka_unit_test(test_oversize_length_is_refused),
        cmocka_unit_test(test_alloc_round_trip),
        cmocka_unit_test(test_closed_reader_gives_epipe),
        cmocka_unit_test(test_pipe_is_close_on_exec),
        cmocka_unit_test(test_random_sizes_through_a_relay),
        cmocka_unit_test(test_eintr_storm_keeps_every_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
