/* tests/exercises/test-ex-3.3.c: the shared-memory ring of exercise 3.3.
 * A child process puts 1..N, the parent gets them: all of them, in
 * order, then 0 after close; with rings of capacity 1, 3 and 64. */
#define _GNU_SOURCE         /* RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "ex-3.3.h"

/* pthread_cond_init, as the ring's code sees it: the C library's, unless
   a test asks for a failure (issue 14: the solution ignored every pthread
   return value). A program's own definition comes before the library's
   at link time, so the ring's call lands here. */
static int cond_init_fails;

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
    static int (*real)(pthread_cond_t *, const pthread_condattr_t *);
    if (cond_init_fails)
        return EAGAIN;
    if (real == NULL)
        *(void **)&real = dlsym(RTLD_NEXT, "pthread_cond_init");
    return real(c, a);
}

static void transfer(size_t cap, long n)
{
    shring *r = shring_new(cap);
    assert_non_null(r);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        for (long i = 1; i <= n; i++)
            if (shring_put(r, i) != 1)
                _exit(2);
        shring_close(r);
        _exit(0);
    }
    long v, expect = 1;
    int got;
    while ((got = shring_get(r, &v)) == 1) {
        if (v != expect)
            fail_msg("capacity %zu: got %ld, expected %ld", cap, v, expect);
        expect++;
    }
    assert_int_equal(got, 0);
    assert_int_equal(expect, n + 1);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    shring_free(r);
}

static void test_capacity_1(void **state)  { (void)state; transfer(1, 20000); }
static void test_capacity_3(void **state)  { (void)state; transfer(3, 50000); }
static void test_capacity_64(void **state) { (void)state; transfer(64, 200000); }

static void test_close_with_values_left(void **state)
{
    (void)state;
    shring *r = shring_new(8);
    assert_non_null(r);
    assert_int_equal(shring_put(r, 7), 1);
    assert_int_equal(shring_put(r, 8), 1);
    shring_close(r);
    long v;
    assert_int_equal(shring_get(r, &v), 1);
    assert_int_equal(v, 7);
    assert_int_equal(shring_get(r, &v), 1);
    assert_int_equal(v, 8);
    assert_int_equal(shring_get(r, &v), 0);
    shring_free(r);
}

static void test_failed_init_is_reported(void **state)
{
    (void)state;
    cond_init_fails = 1;
    errno = 0;
    shring *r = shring_new(4);
    int err = errno;
    cond_init_fails = 0;
    if (r != NULL) {
        shring_free(r);
        fail_msg("shring_new returned a ring whose condition variable "
                 "could not be initialised");
    }
    assert_int_equal(err, EAGAIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_close_with_values_left),
        cmocka_unit_test(test_capacity_1),
        cmocka_unit_test(test_capacity_3),
        cmocka_unit_test(test_capacity_64),
        cmocka_unit_test(test_failed_init_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
