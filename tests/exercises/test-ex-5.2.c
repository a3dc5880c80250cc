/* tests/exercises/test-ex-5.2.c: the histogram of exercise 5.2.
 * Known lines fall in the right whole-degree buckets (including -0.5 and
 * 0.5 in degree 0, and the ends -99 and 99); the histograms of pieces cut
 * by ds_cut add up to the whole file's; ex52_histogram_all, in a job of
 * one rank (MPI_Init without mpirun), clears its array and gives the whole
 * file's histogram; a line without ';' is -EINVAL. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mpi.h>
#include <cmocka.h>
#include "perturb.h"   /* ex_pick: the grader varies the number of pieces */
#include "dataset.h"
#include "ex-5.2.h"

/* Open MPI keeps what MPI_Init allocated until the process ends; under
   AddressSanitizer those are not the reader's leaks (see
   tests/support/lsan-openmpi.supp, which says more).  The suppressions
   match only with full stacks, hence the slow unwinder.  Both functions
   are read by the sanitizer's runtime, and ignored without it. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libmpi.so\nleak:libopen-pal.so\nleak:libopen-rte.so\n"
           "leak:libhwloc.so\nleak:libpmix.so\nleak:libevent\n";
}

static char *make_data(size_t n, size_t *len)
{
    char *buf = malloc(n * 24 + 1), *p = buf;
    uint64_t s = ex_seed();

    assert_non_null(buf);
    for (size_t i = 0; i < n; i++) {
        int t = (int)(ex_next(&s) % 1999) - 999;
        p += sprintf(p, "st%u;%s%d.%d\n", (unsigned)(ex_next(&s) % 300),
                     t < 0 ? "-" : "", abs(t) / 10, abs(t) % 10);
    }
    *len = (size_t)(p - buf);
    return buf;
}

/* The expected histogram, computed another way: strtod and a cast. */
static void reference(const char *buf, size_t len, uint64_t *h)
{
    memset(h, 0, EX52_BUCKETS * sizeof *h);
    for (const char *p = buf; p < buf + len;) {
        const char *semi = memchr(p, ';', (size_t)(buf + len - p));
        h[EX52_ZERO + (int)strtod(semi + 1, NULL)]++;
        p = (const char *)memchr(semi, '\n', (size_t)(buf + len - semi)) + 1;
    }
}

static void test_lines_fall_in_their_whole_degree(void **state)
{
    (void)state;
    const char *s = "a;-0.5\nb;0.5\nc;-99.9\nd;99.9\ne;12.3\nf;-12.3\n"
                    "g;0.0\nh;7.9";
    uint64_t h[EX52_BUCKETS];
    for (int i = 0; i < EX52_BUCKETS; i++)
        h[i] = 1;                                  /* not cleared */
    assert_int_equal(ex52_histogram(s, strlen(s), h), 0);
    assert_int_equal(h[EX52_ZERO], 4);
    assert_int_equal(h[0], 2);
    assert_int_equal(h[EX52_BUCKETS - 1], 2);
    assert_int_equal(h[EX52_ZERO + 12], 2);
    assert_int_equal(h[EX52_ZERO - 12], 2);
    assert_int_equal(h[EX52_ZERO + 7], 2);
    assert_int_equal(h[EX52_ZERO + 1], 1);
}

static void test_a_line_without_semicolon_is_einval(void **state)
{
    (void)state;
    const char *s = "a;1.0\nno semicolon\n";
    uint64_t h[EX52_BUCKETS] = {0};
    assert_int_equal(ex52_histogram(s, strlen(s), h), -EINVAL);
}

static void test_pieces_add_up_to_the_whole(void **state)
{
    (void)state;
    size_t len, n = (size_t)ex_pick(2, 9);
    char *buf = make_data(20000, &len);
    uint64_t want[EX52_BUCKETS], got[EX52_BUCKETS] = {0};
    reference(buf, len, want);
    for (size_t i = 0; i < n; i++) {
        size_t b = ds_cut(buf, len, n, i), e = ds_cut(buf, len, n, i + 1);
        assert_int_equal(ex52_histogram(buf + b, e - b, got), 0);
    }
    assert_memory_equal(got, want, sizeof want);
    free(buf);
}

static void test_histogram_all_in_a_job_of_one_rank(void **state)
{
    (void)state;
    size_t len;
    char *buf = make_data(20000, &len);
    uint64_t want[EX52_BUCKETS], got[EX52_BUCKETS];
    reference(buf, len, want);
    memset(got, 0xab, sizeof got);                 /* must be cleared */
    assert_int_equal(MPI_Init(NULL, NULL), MPI_SUCCESS);
    assert_int_equal(ex52_histogram_all(buf, len, MPI_COMM_WORLD, got), 0);
    const char *bad = "a;1.0\nb 2.0\n";
    uint64_t h[EX52_BUCKETS];
    assert_int_equal(ex52_histogram_all(bad, strlen(bad), MPI_COMM_WORLD, h),
                     -EINVAL);
    assert_int_equal(MPI_Finalize(), MPI_SUCCESS);
    assert_memory_equal(got, want, sizeof want);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_fall_in_their_whole_degree),
        cmocka_unit_test(test_a_line_without_semicolon_is_einval),
        cmocka_unit_test(test_pieces_add_up_to_the_whole),
        cmocka_unit_test(test_histogram_all_in_a_job_of_one_rank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
