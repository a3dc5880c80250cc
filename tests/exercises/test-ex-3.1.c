/* tests/exercises/test-ex-3.1.c: the pipeline of exercise 3.1.
 * Data goes through sort | tr and comes out right; exit statuses are
 * reported per command; yes | head -n 1 ends (the parent closed its pipe
 * ends); no descriptor is leaked and no child is left to reap. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "ex-3.1.h"

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n - 1;           /* the directory's own descriptor */
}

static void no_children_left(void)
{
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

/* Feed `input` to the pipeline, return what comes out (malloc'd). */
static char *through(char *const *const cmds[], size_t n, const char *input,
                     int *statuses, int *rc)
{
    char tmpl[] = "/tmp/ex31-XXXXXX";
    int in = mkostemp(tmpl, O_CLOEXEC);
    assert_true(in >= 0);
    unlink(tmpl);
    assert_int_equal(write(in, input, strlen(input)), (ssize_t)strlen(input));
    lseek(in, 0, SEEK_SET);
    char tmpl2[] = "/tmp/ex31-XXXXXX";
    int out = mkostemp(tmpl2, O_CLOEXEC);
    assert_true(out >= 0);
    unlink(tmpl2);
    *rc = pipeline(cmds, n, in, out, statuses);
    lseek(out, 0, SEEK_SET);
    char *buf = calloc(1, 65536);
    ssize_t k = read(out, buf, 65535);
    assert_true(k >= 0);
    close(in);
    close(out);
    return buf;
}

static void test_sort_then_upper(void **state)
{
    (void)state;
    int before = count_fds();
    char *const sort[] = { "sort", NULL };
    char *const tr[] = { "tr", "a-z", "A-Z", NULL };
    char *const *const cmds[] = { sort, tr };
    int st[2] = { -1, -1 }, rc;
    char *out = through(cmds, 2, "pear\napple\nfig\n", st, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "APPLE\nFIG\nPEAR\n");
    assert_true(WIFEXITED(st[0]) && WEXITSTATUS(st[0]) == 0);
    assert_true(WIFEXITED(st[1]) && WEXITSTATUS(st[1]) == 0);
    free(out);
    assert_int_equal(count_fds(), before);
    no_children_left();
}

static void test_three_commands_and_statuses(void **state)
{
    (void)state;
    char *const cat[] = { "cat", NULL };
    char *const fail[] = { "sh", "-c", "cat; exit 3", NULL };
    char *const wc[] = { "wc", "-l", NULL };
    char *const *const cmds[] = { cat, fail, wc };
    int st[3], rc;
    char *out = through(cmds, 3, "a\nb\nc\nd\n", st, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(atoi(out), 4);
    assert_true(WIFEXITED(st[1]) && WEXITSTATUS(st[1]) == 3);
    assert_true(WIFEXITED(st[2]) && WEXITSTATUS(st[2]) == 0);
    free(out);
    no_children_left();
}

static void test_early_reader_exit_ends_the_writer(void **state)
{
    (void)state;
    char *const yes[] = { "yes", NULL };
    char *const head[] = { "head", "-n", "1", NULL };
    char *const *const cmds[] = { yes, head };
    int st[2], rc;
    char *out = through(cmds, 2, "", st, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "y\n");
    assert_true(WIFSIGNALED(st[0]) && WTERMSIG(st[0]) == SIGPIPE);
    free(out);
    no_children_left();
}

static void test_missing_program_is_127(void **state)
{
    (void)state;
    char *const nope[] = { "no-such-program-ex31", NULL };
    char *const cat[] = { "cat", NULL };
    char *const *const cmds[] = { nope, cat };
    int st[2], rc;
    int before = count_fds();
    char *out = through(cmds, 2, "x\n", st, &rc);
    assert_int_equal(rc, 0);
    assert_true(WIFEXITED(st[0]) && WEXITSTATUS(st[0]) == 127);
    assert_string_equal(out, "");
    free(out);
    assert_int_equal(count_fds(), before);
    no_children_left();
}

static void test_no_descriptor_reaches_the_commands(void **state)
{
    (void)state;
    /* Each command lists its own open descriptors: only 0, 1, 2. */
    char *const ls1[] = { "sh", "-c", "cat; ls /proc/$$/fd | tr '\\n' ' '; echo", NULL };
    char *const ls2[] = { "sh", "-c", "cat; ls /proc/$$/fd | tr '\\n' ' '; echo", NULL };
    char *const *const cmds[] = { ls1, ls2 };
    int st[2], rc;
    char *out = through(cmds, 2, "", st, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "0 1 2 \n0 1 2 \n");
    free(out);
    no_children_left();
}

/* in_fd 0 and out_fd 1 with close-on-exec set (issue 14): dup2(0, 0)
   does nothing, not even clear the flag, so the command would lose its
   standard input and output at exec. */
static void test_in_0_and_out_1_close_on_exec(void **state)
{
    (void)state;
    char *cat[] = { "cat", NULL };
    char *const *const cmds[] = { cat };
    char tmpl[] = "/tmp/ex31-XXXXXX", tmpl2[] = "/tmp/ex31-XXXXXX";
    int in = mkostemp(tmpl, O_CLOEXEC), out = mkostemp(tmpl2, O_CLOEXEC);
    assert_true(in >= 0 && out >= 0);
    unlink(tmpl);
    unlink(tmpl2);
    assert_int_equal(write(in, "kept\n", 5), 5);
    lseek(in, 0, SEEK_SET);
    int saved0 = dup(0), saved1 = dup(1), statuses[1] = { -1 };
    assert_true(saved0 >= 0 && saved1 >= 0);
    fflush(stdout);
    assert_int_equal(dup3(in, 0, O_CLOEXEC), 0);
    assert_int_equal(dup3(out, 1, O_CLOEXEC), 1);
    int rc = pipeline(cmds, 1, 0, 1, statuses);
    assert_int_equal(dup2(saved0, 0), 0);
    assert_int_equal(dup2(saved1, 1), 1);
    close(saved0);
    close(saved1);
    assert_int_equal(rc, 0);
    char buf[16] = { 0 };
    assert_int_equal(pread(out, buf, sizeof buf - 1, 0), 5);
    assert_string_equal(buf, "kept\n");
    assert_true(WIFEXITED(statuses[0]) && WEXITSTATUS(statuses[0]) == 0);
    close(in);
    close(out);
    no_children_left();
}

int main(void)
{
    /* Descriptors inherited from whoever started the test are not the
       pipeline's to hide: close them, so that any descriptor a command
       sees beyond 0, 1 and 2 came from pipeline(). SIGPIPE keeps its
       default action, which the commands inherit. */
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    signal(SIGPIPE, SIG_DFL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_then_upper),
        cmocka_unit_test(test_three_commands_and_statuses),
        cmocka_unit_test(test_early_reader_exit_ends_the_writer),
        cmocka_unit_test(test_missing_program_is_127),
        cmocka_unit_test(test_no_descriptor_reaches_the_commands),
        cmocka_unit_test(test_in_0_and_out_1_close_on_exec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
