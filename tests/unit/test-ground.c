/* test-ground.c: unit tests of the ground rules module (chapter 1).
 *
 * The functions that end the program are tested in a child process: the
 * child calls the function with its standard output and standard error on
 * two pipes, and the parent checks the exit status and the exact text.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "ground.h"

#define MS 1000000ull   /* nanoseconds in a millisecond */

/* ThreadSanitizer's interceptor for _exit, and valgrind's clean-up of
   libc at exit, flush stdio buffers that _exit alone would drop: the one
   check that depends on _exit not flushing is skipped under them. */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif

/* A lower bound on a duration in nanoseconds, with both values shown. */
#define assert_at_least(got, min)                                        \
    do {                                                                 \
        unsigned long long got_ = (got), min_ = (min);                   \
        if (got_ < min_)                                                 \
            fail_msg("%s is %llu ns, expected at least %llu ns",         \
                     #got, got_, min_);                                  \
    } while (0)

/* ---- running a function that exits, in a child ---------------------- */

struct outcome {
    int exit_status;    /* exit status, or -1 when killed by a signal */
    char out[4096];     /* what the child wrote on standard output */
    char err[4096];     /* ... and on standard error */
};

static void read_all(int fd, char *buf, size_t cap)
{
    size_t len = 0;

    for (;;) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);

        if (n == -1 && errno == EINTR)
            continue;
        assert_true(n >= 0);
        if (n == 0)
            break;
        len += (size_t)n;
        if (len == cap - 1)
            break;
    }
    buf[len] = '\0';
}

static void run_in_child(void (*fn)(void), struct outcome *o)
{
    int out[2], err[2], status;
    pid_t pid;

    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(err), 0);
    /* Unflushed test output would otherwise be written twice. */
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    assert_true(pid != -1);
    if (pid == 0) {
        if (dup2(out[1], STDOUT_FILENO) == -1
            || dup2(err[1], STDERR_FILENO) == -1)
            _exit(98);
        close(out[0]); close(out[1]); close(err[0]); close(err[1]);
        fn();
        _exit(99);      /* fn returned: it should have ended the child */
    }
    close(out[1]);
    close(err[1]);
    read_all(out[0], o->out, sizeof o->out);
    read_all(err[0], o->err, sizeof o->err);
    close(out[0]);
    close(err[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    o->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The expected text for a message that ends with strerror(err). */
static const char *with_strerror(char *buf, size_t cap, const char *head,
                                 int err)
{
    snprintf(buf, cap, "%s: %s\n", head, strerror(err));
    return buf;
}

/* ---- gr_init and gr_progname ---------------------------------------- */

static void test_progname_is_basename_of_argv0(void **state)
{
    (void)state;
    gr_init("/usr/local/bin/demo", "[-n N]");
    assert_string_equal(gr_progname(), "demo");
    gr_init("./build/bin/ground-demo", "[-n N]");
    assert_string_equal(gr_progname(), "ground-demo");
    gr_init("plain", "[-n N]");
    assert_string_equal(gr_progname(), "plain");
}

static void test_progname_survives_null_argv0(void **state)
{
    (void)state;
    gr_init("demo", "[-n N]");
    gr_init(NULL, NULL);
    assert_string_equal(gr_progname(), "demo");
    gr_init("", NULL);
    assert_string_equal(gr_progname(), "demo");
}

/* ---- parse_long ----------------------------------------------------- */

static void expect_parse(const char *s, long min, long max, int rc,
                         long value)
{
    long v = 12345;

    assert_int_equal(parse_long(s, min, max, &v), rc);
    /* On failure the output is left alone. */
    assert_int_equal(v, rc == 0 ? value : 12345);
}

static void test_parse_long_valid(void **state)
{
    (void)state;
    expect_parse("42", 0, 100, 0, 42);
    expect_parse("0", 0, 100, 0, 0);
    expect_parse("+7", 0, 100, 0, 7);
    expect_parse("-17", -100, 100, 0, -17);
    expect_parse("-0", 0, 100, 0, 0);
}

static void test_parse_long_bounds_are_inclusive(void **state)
{
    (void)state;
    expect_parse("1", 1, 10, 0, 1);
    expect_parse("10", 1, 10, 0, 10);
    expect_parse("0", 1, 10, -ERANGE, 0);
    expect_parse("11", 1, 10, -ERANGE, 0);
    expect_parse("-1", 0, 10, -ERANGE, 0);
}

static void test_parse_long_limits_of_long(void **state)
{
    char s[64];

    (void)state;
    snprintf(s, sizeof s, "%ld", LONG_MAX);
    expect_parse(s, LONG_MIN, LONG_MAX, 0, LONG_MAX);
    snprintf(s, sizeof s, "%ld", LONG_MIN);
    expect_parse(s, LONG_MIN, LONG_MAX, 0, LONG_MIN);
    /* One past each end, and far past: -ERANGE, never a wrapped value. */
    snprintf(s, sizeof s, "%lu", (unsigned long)LONG_MAX + 1);
    expect_parse(s, LONG_MIN, LONG_MAX, -ERANGE, 0);
    snprintf(s, sizeof s, "-%lu", (unsigned long)LONG_MAX + 2);
    expect_parse(s, LONG_MIN, LONG_MAX, -ERANGE, 0);
    expect_parse("99999999999999999999999999", LONG_MIN, LONG_MAX,
                 -ERANGE, 0);
}

static void test_parse_long_rejects_non_numbers(void **state)
{
    (void)state;
    expect_parse(NULL, 0, 100, -EINVAL, 0);
    expect_parse("", 0, 100, -EINVAL, 0);
    expect_parse("-", 0, 100, -EINVAL, 0);
    expect_parse("+", 0, 100, -EINVAL, 0);
    expect_parse("abc", 0, 100, -EINVAL, 0);
    expect_parse("1e3", 0, 10000, -EINVAL, 0);
    expect_parse("12.5", 0, 100, -EINVAL, 0);
}

static void test_parse_long_rejects_junk_and_space(void **state)
{
    (void)state;
    expect_parse("10ms", 0, 100, -EINVAL, 0);
    expect_parse("5 ", 0, 100, -EINVAL, 0);
    expect_parse(" 5", 0, 100, -EINVAL, 0);
    expect_parse("\t5", 0, 100, -EINVAL, 0);
    expect_parse("5\n", 0, 100, -EINVAL, 0);
    expect_parse("- 5", -100, 100, -EINVAL, 0);
}

static void test_parse_long_is_decimal_only(void **state)
{
    (void)state;
    expect_parse("010", 0, 100, 0, 10);     /* not octal 8 */
    expect_parse("0x10", 0, 100, -EINVAL, 0); /* not hex 16 */
    expect_parse("08", 0, 100, 0, 8);
}

/* ---- arg_long ------------------------------------------------------- */

static void test_arg_long_returns_the_number(void **state)
{
    (void)state;
    assert_int_equal(arg_long("7", "-n", 1, 10), 7);
    assert_int_equal(arg_long("-3", "-x", -5, 5), -3);
}

static void arg_long_out_of_range(void)
{
    gr_init("/bin/demo", "[-n N]");
    arg_long("11", "-n", 1, 10);
}

static void test_arg_long_out_of_range_is_a_usage_error(void **state)
{
    struct outcome o;

    (void)state;
    run_in_child(arg_long_out_of_range, &o);
    assert_int_equal(o.exit_status, 2);
    assert_string_equal(o.err,
        "demo: -n: expected an integer from 1 to 10, got '11'\n"
        "Usage: demo [-n N]\n");
    assert_string_equal(o.out, "");
}

static void arg_long_not_a_number(void)
{
    gr_init("demo", "[-d MS]");
    arg_long("", "-d", 0, 60000);
}

static void test_arg_long_empty_is_a_usage_error(void **state)
{
    struct outcome o;

    (void)state;
    run_in_child(arg_long_not_a_number, &o);
    assert_int_equal(o.exit_status, 2);
    assert_string_equal(o.err,
        "demo: -d: expected an integer from 0 to 60000, got ''\n"
        "Usage: demo [-d MS]\n");
}

/* ---- the dying functions -------------------------------------------- */

static void call_die(void)
{
    gr_init("/usr/bin/demo", "[-n N]");
    die("cannot count to %d", 3);
}

static void test_die_prints_name_and_message_exits_1(void **state)
{
    struct outcome o;

    (void)state;
    run_in_child(call_die, &o);
    assert_int_equal(o.exit_status, 1);
    assert_string_equal(o.err, "demo: cannot count to 3\n");
    assert_string_equal(o.out, "");
}

static void call_die_errno(void)
{
    gr_init("demo", "[-n N]");
    errno = ENOENT;
    die_errno("cannot open %s", "nowhere.txt");
}

static void test_die_errno_appends_strerror(void **state)
{
    struct outcome o;
    char want[256];

    (void)state;
    run_in_child(call_die_errno, &o);
    assert_int_equal(o.exit_status, 1);
    assert_string_equal(o.err, with_strerror(want, sizeof want,
                        "demo: cannot open nowhere.txt", ENOENT));
}

static void call_die_errno_unknown(void)
{
    gr_init("demo", "[-n N]");
    errno = 9999;
    die_errno("odd");
}

static void test_die_errno_unknown_number(void **state)
{
    struct outcome o;
    char want[256];

    (void)state;
    run_in_child(call_die_errno_unknown, &o);
    assert_int_equal(o.exit_status, 1);
    assert_string_equal(o.err, with_strerror(want, sizeof want,
                        "demo: odd", 9999));
}

static void call_die_err(void)
{
    gr_init("demo", "[-n N]");
    errno = ENOENT;     /* must be ignored: the number is the argument */
    die_err(EAGAIN, "pthread_create for worker %d", 2);
}

static void test_die_err_uses_its_argument_not_errno(void **state)
{
    struct outcome o;
    char want[256];

    (void)state;
    run_in_child(call_die_err, &o);
    assert_int_equal(o.exit_status, 1);
    assert_string_equal(o.err, with_strerror(want, sizeof want,
                        "demo: pthread_create for worker 2", EAGAIN));
}

static int under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");

    return p != NULL && strstr(p, "vgpreload") != NULL;
}

static void call_die_child(void)
{
    gr_init("demo", "[-n N]");
    /* Standard output is a pipe, so this stays in the stdio buffer. */
    printf("unflushed words");
    errno = EPIPE;
    die_child("write to %s", "pipe");
}

static void test_die_child_writes_and_does_not_flush(void **state)
{
    struct outcome o;
    char want[256];

    (void)state;
    run_in_child(call_die_child, &o);
    assert_int_equal(o.exit_status, 1);
    assert_string_equal(o.err, with_strerror(want, sizeof want,
                        "demo: write to pipe", EPIPE));
    if (!UNDER_TSAN && !under_valgrind())
        assert_string_equal(o.out, "");  /* the buffer was not flushed */
}

static void call_die_with_flushed_output(void)
{
    gr_init("demo", "[-n N]");
    printf("results so far");
    die("stopped");
}

static void test_die_flushes_standard_output(void **state)
{
    struct outcome o;

    (void)state;
    run_in_child(call_die_with_flushed_output, &o);
    assert_int_equal(o.exit_status, 1);
    assert_string_equal(o.out, "results so far");
    assert_string_equal(o.err, "demo: stopped\n");
}

static void call_die_usage(void)
{
    gr_init("./demo", "[-n N] [-d MS]");
    die_usage("unexpected argument '%s'", "x");
}

static void test_die_usage_adds_usage_line_exits_2(void **state)
{
    struct outcome o;

    (void)state;
    run_in_child(call_die_usage, &o);
    assert_int_equal(o.exit_status, 2);
    assert_string_equal(o.err, "demo: unexpected argument 'x'\n"
                               "Usage: demo [-n N] [-d MS]\n");
    assert_string_equal(o.out, "");
}

static char long_text[3000];

static void call_die_long(void)
{
    gr_init("demo", "[-n N]");
    errno = ENOENT;
    die_errno("%s", long_text);
}

static void test_long_message_is_cut_but_ends_in_newline(void **state)
{
    struct outcome o;
    size_t len;

    (void)state;
    memset(long_text, 'x', sizeof long_text - 1);
    run_in_child(call_die_long, &o);
    assert_int_equal(o.exit_status, 1);
    len = strlen(o.err);
    assert_in_range(len, 100, sizeof long_text - 1);
    assert_int_equal(o.err[len - 1], '\n');
    assert_memory_equal(o.err, "demo: xxxx", 10);
}

static void call_gr_help(void)
{
    gr_init("/opt/demo", "[-n N]");
    gr_help("  -n N  how many\n");
}

static void test_gr_help_prints_usage_on_stdout_exits_0(void **state)
{
    struct outcome o;

    (void)state;
    run_in_child(call_gr_help, &o);
    assert_int_equal(o.exit_status, 0);
    assert_string_equal(o.out, "Usage: demo [-n N]\n  -n N  how many\n");
    assert_string_equal(o.err, "");
}

static void call_gr_help_null(void)
{
    gr_init("demo", "[-n N]");
    gr_help(NULL);
}

static void test_gr_help_without_details(void **state)
{
    struct outcome o;

    (void)state;
    run_in_child(call_gr_help_null, &o);
    assert_int_equal(o.exit_status, 0);
    assert_string_equal(o.out, "Usage: demo [-n N]\n");
}

static void call_gr_help_full(void)
{
    /* Every write to /dev/full fails with ENOSPC. */
    if (freopen("/dev/full", "w", stdout) == NULL)
        _exit(97);
    gr_init("demo", "[-n N]");
    gr_help("  -n N  how many\n");
}

static void test_gr_help_reports_a_failed_write(void **state)
{
    struct outcome o;
    char want[256];

    (void)state;
    if (access("/dev/full", W_OK) != 0) {
        print_message("no writable /dev/full: nothing to test\n");
        return;
    }
    run_in_child(call_gr_help_full, &o);
    assert_int_equal(o.exit_status, 1);
    assert_string_equal(o.err, with_strerror(want, sizeof want,
                        "demo: cannot write the help text", ENOSPC));
}

/* ---- dying from several threads at once ------------------------------ */

/* exit may run only once (C11 7.22.4.4): the first thread to die exits,
   the others write their message and wait for that exit to end them. */
enum { DYING = 16 };
static pthread_barrier_t all_ready;

static void *die_with_the_others(void *arg)
{
    int err = pthread_barrier_wait(&all_ready);

    if (err != 0 && err != PTHREAD_BARRIER_SERIAL_THREAD)
        _exit(97);
    die("thread %d", (int)(intptr_t)arg);
}

static void many_threads_die(void)
{
    pthread_t t[DYING];

    alarm(30);          /* a hang kills the child: the test then fails */
    gr_init("demo", "");
    printf("results so far");   /* flushed once, by the one exit */
    if (pthread_barrier_init(&all_ready, NULL, DYING) != 0)
        _exit(96);
    for (int i = 0; i < DYING; i++)
        if (pthread_create(&t[i], NULL, die_with_the_others,
                           (void *)(intptr_t)i) != 0)
            _exit(95);
    pthread_join(t[0], NULL);   /* never returns: the process ends */
}

/* Every line is "demo: thread N" for a different N, and there is one. */
static void check_dying_lines(const char *err)
{
    int seen[DYING] = { 0 }, lines = 0;

    for (const char *p = err; *p != '\0'; lines++) {
        int n, len = 0;
        if (sscanf(p, "demo: thread %d\n%n", &n, &len) != 1 || len == 0
            || n < 0 || n >= DYING || seen[n]++)
            fail_msg("malformed or repeated line in:\n%s", err);
        p += len;
    }
    if (lines == 0)
        fail_msg("no message at all");
}

static void test_many_threads_die_at_once(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        struct outcome o;
        run_in_child(many_threads_die, &o);
        if (o.exit_status != 1)
            fail_msg("round %d: exit status %d, expected 1; stderr:\n%s",
                     round, o.exit_status, o.err);
        assert_string_equal(o.out, "results so far");
        check_dying_lines(o.err);
    }
}

/* A second die, while the first is inside exit, must not cut that exit
   short: the first one's atexit handler still finishes, and standard
   output is still flushed. */
static atomic_int first_exiting, second_dying;

static void *die_second(void *arg)
{
    (void)arg;
    while (!atomic_load(&first_exiting))
        sleep_ms(1);
    atomic_store(&second_dying, 1);
    die("second");
}

static void finish_slowly(void)
{
    atomic_store(&first_exiting, 1);
    while (!atomic_load(&second_dying))
        sleep_ms(1);
    sleep_ms(100);      /* time for the second die to reach its end */
    printf("first exit finished\n");
}

static void two_dies_in_turn(void)
{
    pthread_t t;

    alarm(30);
    gr_init("demo", "");
    if (atexit(finish_slowly) != 0
        || pthread_create(&t, NULL, die_second, NULL) != 0)
        _exit(96);
    die("first");
}

static void test_a_second_die_waits_for_the_first_exit(void **state)
{
    struct outcome o;

    (void)state;
    run_in_child(two_dies_in_turn, &o);
    assert_int_equal(o.exit_status, 1);
    assert_string_equal(o.out, "first exit finished\n");
    assert_string_equal(o.err, "demo: first\ndemo: second\n");
}

/* ---- clock_ns and sleep_ms ------------------------------------------ */

static uint64_t monotonic_now(void)
{
    struct timespec ts;

    assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void test_clock_ns_is_the_monotonic_clock(void **state)
{
    uint64_t a, b, c;

    (void)state;
    a = monotonic_now();
    b = clock_ns();
    c = monotonic_now();
    assert_in_range(b, a, c);
}

static void test_clock_ns_never_goes_back(void **state)
{
    uint64_t prev = clock_ns();

    (void)state;
    for (int i = 0; i < 100000; i++) {
        uint64_t now = clock_ns();

        assert_at_least(now, prev);
        prev = now;
    }
}

static void test_sleep_ms_sleeps_at_least_that_long(void **state)
{
    uint64_t start = clock_ns();

    (void)state;
    sleep_ms(20);
    /* A lower bound only: a busy machine may oversleep by any amount. */
    assert_at_least(clock_ns() - start, 20 * MS);
}

static void test_sleep_ms_zero_and_negative_return(void **state)
{
    (void)state;
    sleep_ms(0);
    sleep_ms(-5);
    sleep_ms(LONG_MIN);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static void test_sleep_ms_resumes_after_a_signal(void **state)
{
    struct sigaction sa, old;
    struct itimerval fire = { .it_value = { .tv_usec = 10000 } };
    struct itimerval off = { .it_value = { .tv_usec = 0 } };
    uint64_t start;

    (void)state;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;    /* no SA_RESTART: nanosleep fails with EINTR */
    assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
    alarms = 0;
    start = clock_ns();
    assert_int_equal(setitimer(ITIMER_REAL, &fire, NULL), 0);
    sleep_ms(50);
    assert_at_least(clock_ns() - start, 50 * MS);
    assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
    assert_int_equal(alarms, 1);
    assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
}

/* ---- gr_options, gr_operands, warn ------------------------------------ */

/* The child parses cl_argv with a table of four options and prints what
   it got; the parent checks the text and the exit status. */
static char **cl_argv;
static int cl_min, cl_max;

static void call_gr_options(void)
{
    long n = 3, d = 0;
    const char *o = "-";
    bool b = false;
    const struct gr_option opts[] = {
        { 'n', .number = &n, .min = 1, .max = 10 },
        { 'd', .number = &d, .min = 0, .max = 60000 },
        { 'o', .text = &o },
        { 'B', .flag = &b },
        { 0 }
    };
    int argc = 0;

    while (cl_argv[argc] != NULL)
        argc++;
    gr_init(cl_argv[0], "[-n N] [-d MS] [-o FILE] [-B] [ARG...]");
    gr_options(argc, cl_argv, "Help text.\n", opts);
    gr_operands(argc, cl_argv, cl_min, cl_max, "ARG");
    printf("n=%ld d=%ld o=%s B=%d first=%s", n, d, o, (int)b,
           optind < argc ? cl_argv[optind] : "(none)");
    exit(0);
}

static void parse(struct outcome *o, int min, int max, char **argv)
{
    cl_argv = argv;
    cl_min = min;
    cl_max = max;
    run_in_child(call_gr_options, o);
}

#define USAGE_LINE "Usage: demo [-n N] [-d MS] [-o FILE] [-B] [ARG...]\n"

static void test_gr_options_stores_numbers_text_and_flags(void **state)
{
    struct outcome o;
    char *argv[] = { "./demo", "-n", "5", "-d7", "-Bo", "out", "x", NULL };

    (void)state;
    parse(&o, 0, INT_MAX, argv);
    assert_int_equal(o.exit_status, 0);
    assert_string_equal(o.out, "n=5 d=7 o=out B=1 first=x");
    assert_string_equal(o.err, "");
}

static void test_gr_options_keeps_defaults(void **state)
{
    struct outcome o;
    char *argv[] = { "demo", NULL };

    (void)state;
    parse(&o, 0, 0, argv);
    assert_int_equal(o.exit_status, 0);
    assert_string_equal(o.out, "n=3 d=0 o=- B=0 first=(none)");
}

static void test_gr_options_help_after_other_options(void **state)
{
    struct outcome o;
    char *argv[] = { "demo", "-n", "5", "--help", "-x", NULL };

    (void)state;
    parse(&o, 0, 0, argv);
    assert_int_equal(o.exit_status, 0);
    assert_string_equal(o.out, USAGE_LINE "Help text.\n");
    assert_string_equal(o.err, "");
}

static void test_gr_options_help_only_where_an_option_may_stand(void **state)
{
    struct outcome o;
    char *after_dashes[] = { "demo", "--", "--help", NULL };
    char *as_value[] = { "demo", "-o", "--help", NULL };
    char *after_operand[] = { "demo", "x", "--help", NULL };

    (void)state;
    parse(&o, 0, INT_MAX, after_dashes);
    assert_string_equal(o.out, "n=3 d=0 o=- B=0 first=--help");
    parse(&o, 0, INT_MAX, as_value);
    assert_string_equal(o.out, "n=3 d=0 o=--help B=0 first=(none)");
    parse(&o, 0, INT_MAX, after_operand);
    assert_string_equal(o.out, "n=3 d=0 o=- B=0 first=x");
}

/* A usage error: status 2, MESSAGE and the usage line on stderr only. */
static void expect_usage_error(int min, int max, char **argv,
                               const char *message)
{
    struct outcome o;
    char want[512];

    parse(&o, min, max, argv);
    snprintf(want, sizeof want, "demo: %s\n" USAGE_LINE, message);
    assert_int_equal(o.exit_status, 2);
    assert_string_equal(o.err, want);
    assert_string_equal(o.out, "");
}

static void test_gr_options_usage_errors(void **state)
{
    char *missing[] = { "demo", "-d", NULL };
    char *unknown[] = { "demo", "-x", NULL };
    char *range[] = { "demo", "-n", "11", NULL };
    char *long_one[] = { "demo", "-n", "2", "--version", NULL };

    (void)state;
    expect_usage_error(0, 0, missing, "option -d needs a value");
    expect_usage_error(0, 0, unknown, "unknown option -x");
    expect_usage_error(0, 0, long_one, "unknown option '--version'");
    expect_usage_error(0, 0, range,
                       "-n: expected an integer from 1 to 10, got '11'");
}

static void test_gr_operands_counts_the_operands(void **state)
{
    struct outcome o;
    char *none[] = { "demo", "-n", "2", NULL };
    char *two[] = { "demo", "a", "b", NULL };

    (void)state;
    expect_usage_error(1, 1, none, "missing ARG");
    expect_usage_error(1, 1, two, "unexpected argument 'b'");
    parse(&o, 1, 2, two);
    assert_int_equal(o.exit_status, 0);
    assert_string_equal(o.out, "n=3 d=0 o=- B=0 first=a");
}

static void call_warn(void)
{
    gr_init("demo", "[-n N]");
    warn("worker %d stopped", 2);
    errno = EPIPE;
    warn_errno("write");
    printf("errno %s", errno == EPIPE ? "kept" : "lost");
    exit(0);
}

static void test_warn_prints_and_returns(void **state)
{
    struct outcome o;
    char want[256];

    (void)state;
    run_in_child(call_warn, &o);
    assert_int_equal(o.exit_status, 0);
    snprintf(want, sizeof want, "demo: worker 2 stopped\ndemo: write: %s\n",
             strerror(EPIPE));
    assert_string_equal(o.err, want);
    assert_string_equal(o.out, "errno kept");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_progname_is_basename_of_argv0),
        cmocka_unit_test(test_progname_survives_null_argv0),
        cmocka_unit_test(test_parse_long_valid),
        cmocka_unit_test(test_parse_long_bounds_are_inclusive),
        cmocka_unit_test(test_parse_long_limits_of_long),
        cmocka_unit_test(test_parse_long_rejects_non_numbers),
        cmocka_unit_test(test_parse_long_rejects_junk_and_space),
        cmocka_unit_test(test_parse_long_is_decimal_only),
        cmocka_unit_test(test_arg_long_returns_the_number),
        cmocka_unit_test(test_arg_long_out_of_range_is_a_usage_error),
        cmocka_unit_test(test_arg_long_empty_is_a_usage_error),
        cmocka_unit_test(test_die_prints_name_and_message_exits_1),
        cmocka_unit_test(test_die_errno_appends_strerror),
        cmocka_unit_test(test_die_errno_unknown_number),
        cmocka_unit_test(test_die_err_uses_its_argument_not_errno),
        cmocka_unit_test(test_die_child_writes_and_does_not_flush),
        cmocka_unit_test(test_die_flushes_standard_output),
        cmocka_unit_test(test_die_usage_adds_usage_line_exits_2),
        cmocka_unit_test(test_many_threads_die_at_once),
        cmocka_unit_test(test_a_second_die_waits_for_the_first_exit),
        cmocka_unit_test(test_long_message_is_cut_but_ends_in_newline),
        cmocka_unit_test(test_gr_help_prints_usage_on_stdout_exits_0),
        cmocka_unit_test(test_gr_help_without_details),
        cmocka_unit_test(test_gr_help_reports_a_failed_write),
        cmocka_unit_test(test_clock_ns_is_the_monotonic_clock),
        cmocka_unit_test(test_clock_ns_never_goes_back),
        cmocka_unit_test(test_sleep_ms_sleeps_at_least_that_long),
        cmocka_unit_test(test_sleep_ms_zero_and_negative_return),
        cmocka_unit_test(test_sleep_ms_resumes_after_a_signal),
        cmocka_unit_test(test_gr_options_stores_numbers_text_and_flags),
        cmocka_unit_test(test_gr_options_keeps_defaults),
        cmocka_unit_test(test_gr_options_help_after_other_options),
        cmocka_unit_test(test_gr_options_help_only_where_an_option_may_stand),
        cmocka_unit_test(test_gr_operands_counts_the_operands),
        cmocka_unit_test(test_gr_options_usage_errors),
        cmocka_unit_test(test_warn_prints_and_returns),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
