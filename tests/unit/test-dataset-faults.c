/* test-dataset-faults.c: what ds_decode_merge accepts, ds_print and
   ds_merge can add up without overflow (issue 14, program 10). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "dataset.h"

#define COUNT_MAX (UINT64_C(1) << 53)   /* the largest count accepted */

static void put(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++, v >>= 8)
        p[i] = (unsigned char)(v & 0xff);
}

/* The encoding of one station "a" with count values all equal to t. */
static size_t encode_one(unsigned char *buf, int t, uint64_t count)
{
    put(buf, 1, 4);
    buf[4] = 1;
    buf[5] = 'a';
    put(buf + 6, (uint64_t)(int64_t)t, 2);
    put(buf + 8, (uint64_t)(int64_t)t, 2);
    put(buf + 10, (uint64_t)((int64_t)t * (int64_t)count), 8);
    put(buf + 18, count, 8);
    return 26;
}

static void printed(const ds_table *t, char *out, size_t size)
{
    FILE *f = fmemopen(out, size, "w");
    assert_non_null(f);
    assert_int_equal(ds_print(t, f), 0);
    assert_int_equal(fclose(f), 0);
}

static void mean_of_the_largest_valid_record(void **state)
{
    (void)state;
    static const int temps[] = { 999, -999, 5, -5 };
    static const char *want[] = { "{a=99.9/99.9/99.9}\n",
                                  "{a=-99.9/-99.9/-99.9}\n",
                                  "{a=0.5/0.5/0.5}\n",
                                  "{a=-0.5/-0.5/-0.5}\n" };
    for (size_t i = 0; i < sizeof temps / sizeof temps[0]; i++) {
        unsigned char enc[32];
        char out[64];
        size_t n = encode_one(enc, temps[i], COUNT_MAX);
        ds_table *t = ds_new();
        assert_non_null(t);
        assert_int_equal(ds_decode_merge(t, (const char *)enc, n), 0);
        printed(t, out, sizeof out);
        assert_string_equal(out, want[i]);
        ds_free(t);
    }
}

static void merging_past_the_largest_count_fails(void **state)
{
    (void)state;
    unsigned char enc[32];
    char out[64];
    size_t n = encode_one(enc, 999, COUNT_MAX);
    ds_table *t = ds_new(), *u = ds_new();
    assert_non_null(t);
    assert_non_null(u);
    assert_int_equal(ds_decode_merge(t, (const char *)enc, n), 0);
    assert_int_equal(ds_decode_merge(t, (const char *)enc, n), -EOVERFLOW);
    assert_int_equal(ds_decode_merge(u, (const char *)enc, n), 0);
    assert_int_equal(ds_merge(t, u), -EOVERFLOW);
    /* A refused merge leaves the record as it was. */
    printed(t, out, sizeof out);
    assert_string_equal(out, "{a=99.9/99.9/99.9}\n");
    ds_free(u);
    ds_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mean_of_the_largest_valid_record),
        cmocka_unit_test(merging_past_the_largest_count_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
