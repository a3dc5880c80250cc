/* tests/unit/test-trace.c: the tracing module of chapter 1 ("Seeing a
 * run").  Off, it writes nothing; on, every thread's events land in its
 * own lane (its thread number), in time order, every begin with its end,
 * none lost or written twice across chunks and flushes; a child made by
 * fork writes its own file with its own events only.  The tests share
 * the module's global state, so they run in the order listed. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "ground.h"
#include "trace.h"

enum { THREADS = 4, SPANS = 1500 };   /* over a chunk of 1024 events */
static char dir[] = "/tmp/test-trace.XXXXXX";
static char prefix[64];

/* What a file holds, per thread number (1..THREADS + 1). */
struct tally { long begins, ends, marks, lanes, back; uint64_t last; };

static void read_file(pid_t pid, struct tally *t, int ntids)
{
    char path[128], line[256];
    snprintf(path, sizeof path, "%s.%d.trace", prefix, (int)pid);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    memset(t, 0, sizeof *t * (size_t)(ntids + 1));
    while (fgets(line, sizeof line, f) != NULL) {
        int p, tid;
        unsigned long long ns;
        char kind;
        if (line[0] == '#')
            continue;
        assert_int_equal(sscanf(line, "%d\t%d\t%llu\t%c", &p, &tid, &ns,
                                &kind), 4);
        assert_int_equal(p, (int)pid);
        assert_in_range(tid, 1, ntids);
        t[tid].back += ns < t[tid].last;
        t[tid].last = ns;
        t[tid].begins += kind == 'B';
        t[tid].ends += kind == 'E';
        t[tid].marks += kind == 'M';
        t[tid].lanes += kind == 'L';
    }
    fclose(f);
}

static void test_off_writes_nothing(void **state)
{
    (void)state;
    assert_false(trace_on);
    trace_begin("x %d", 1);
    trace_mark("y");
    trace_end();
    trace_flush();
    char path[128];
    snprintf(path, sizeof path, "%s.%d.trace", prefix, (int)getpid());
    assert_int_equal(access(path, F_OK), -1);
}

static void *record(void *arg)
{
    trace_lane("worker %ld", (long)(intptr_t)arg);
    for (int i = 0; i < SPANS; i++) {
        trace_begin("span %d", i);
        trace_mark("%d", i);
        trace_end();
    }
    return NULL;
}

static void test_threads_get_lanes_in_order(void **state)
{
    (void)state;
    pthread_t th[THREADS];
    struct tally t[THREADS + 2];

    assert_int_equal(setenv("BOOK_TRACE", prefix, 1), 0);
    trace_start("test-trace");
    assert_true(trace_on);
    for (long i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, record,
                                        (void *)(intptr_t)(i + 1)), 0);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    trace_flush();
    read_file(getpid(), t, THREADS + 1);
    assert_int_equal(t[1].marks, 1);        /* "start", from trace_start */
    for (int i = 2; i <= THREADS + 1; i++) {
        assert_int_equal(t[i].begins, SPANS);
        assert_int_equal(t[i].ends, SPANS);
        assert_int_equal(t[i].marks, SPANS);
        assert_int_equal(t[i].lanes, 1);
        assert_int_equal(t[i].back, 0);
    }
}

static void test_a_second_flush_adds_only_new_events(void **state)
{
    (void)state;
    struct tally t[THREADS + 2];

    trace_mark("again");
    trace_flush();
    trace_flush();
    read_file(getpid(), t, THREADS + 1);
    assert_int_equal(t[1].marks, 2);
    assert_int_equal(t[2].marks, SPANS);
}

static void test_a_child_writes_its_own_file(void **state)
{
    (void)state;
    struct tally t[2];
    int status;

    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        trace_begin("child");
        trace_end();
        trace_flush();
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    read_file(pid, t, 1);                   /* thread 1 only */
    assert_int_equal(t[1].begins, 1);
    assert_int_equal(t[1].ends, 1);
    assert_int_equal(t[1].marks, 0);        /* none of the parent's */
}

static int cleanup(void **state)
{
    (void)state;
    char cmd[128];
    trace_on = false;           /* no flush at exit into a removed folder */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_off_writes_nothing),
        cmocka_unit_test(test_threads_get_lanes_in_order),
        cmocka_unit_test(test_a_second_flush_adds_only_new_events),
        cmocka_unit_test(test_a_child_writes_its_own_file),
    };
    if (mkdtemp(dir) == NULL)
        die_errno("mkdtemp");
    snprintf(prefix, sizeof prefix, "%s/t", dir);
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
