/* tests/exercises/test-ex-3.2.c: word count with processes (exercise 3.2).
 * Random texts (words of random lengths, runs of spaces, tabs, newlines)
 * counted with 1..8 workers must match a sequential count exactly; no
 * child is left to reap. */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "ex-3.2.h"

static struct wc_counts reference(const char *b, size_t len)
{
    struct wc_counts c = { 0, 0, (long)len };
    int in = 0;
    for (size_t i = 0; i < len; i++) {
        int sp = isspace((unsigned char)b[i]);
        c.lines += b[i] == '\n';
        c.words += !in && !sp;
        in = !sp;
    }
    return c;
}

static char *random_text(size_t len, unsigned seed)
{
    static const char chars[] = "abcdefgh  \t\n\n  xyz";
    char *b = malloc(len + 1);
    srand(seed);
    for (size_t i = 0; i < len; i++)
        b[i] = chars[rand() % (int)(sizeof chars - 1)];
    b[len] = '\0';
    return b;
}

static void no_children_left(void)
{
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

static void check(const char *b, size_t len, int workers)
{
    struct wc_counts want = reference(b, len), got;
    assert_int_equal(wc_procs(b, len, workers, &got), 0);
    if (got.lines != want.lines || got.words != want.words
        || got.bytes != want.bytes)
        fail_msg("len %zu workers %d: got %ld %ld %ld, want %ld %ld %ld",
                 len, workers, got.lines, got.words, got.bytes,
                 want.lines, want.words, want.bytes);
    no_children_left();
}

static void test_random_texts(void **state)
{
    (void)state;
    static const size_t lens[] = { 0, 1, 2, 7, 100, 4097, 100000 };
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        char *b = random_text(lens[i], (unsigned)i + 1);
        for (int w = 1; w <= 8; w++)
            check(b, lens[i], w);
        free(b);
    }
}

static void test_one_long_word(void **state)
{
    (void)state;
    char b[1000];
    memset(b, 'w', sizeof b);
    for (int w = 1; w <= 8; w++)
        check(b, sizeof b, w);
    check("  spaced   out  words \n", 23, 5);
}

static void test_bad_worker_count(void **state)
{
    (void)state;
    struct wc_counts c;
    assert_int_equal(wc_procs("a b", 3, 0, &c), -EINVAL);
    assert_int_equal(wc_procs("a b", 3, 65, &c), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_texts),
        cmocka_unit_test(test_one_long_word),
        cmocka_unit_test(test_bad_worker_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
