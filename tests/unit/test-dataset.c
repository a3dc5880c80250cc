/* Unit tests of the dataset module (the workloads appendix,
   89-workloads.nw). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "dataset.h"

/* Print a table into a malloc'd string. */
static char *print_str(const ds_table *t)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);

    assert_non_null(f);
    assert_int_equal(ds_print(t, f), 0);
    assert_int_equal(fclose(f), 0);
    return s;
}

/* Aggregate a string and compare the printed result. */
static void expect_output(const char *in, size_t len, const char *want)
{
    ds_table *t = ds_new();
    size_t bad = 99;

    assert_non_null(t);
    assert_int_equal(ds_add(t, in, len, &bad), 0);
    char *got = print_str(t);
    assert_string_equal(got, want);
    free(got);
    ds_free(t);
}
#define EXPECT(in, want) expect_output(in, strlen(in), want)

static void test_simple_lines(void **state)
{
    (void)state;
    EXPECT("b;-2.5\na;1.0\nb;3.5\n", "{a=1.0/1.0/1.0, b=-2.5/0.5/3.5}\n");
    EXPECT("x;99.9\nx;-99.9\nx;0.0\n", "{x=-99.9/0.0/99.9}\n");
    EXPECT("x;5.0\nx;-05.0\n", "{x=-5.0/0.0/5.0}\n");
}

static void test_empty_buffer_prints_braces(void **state)
{
    (void)state;
    EXPECT("", "{}\n");
    expect_output(NULL, 0, "{}\n");
}

static void test_missing_final_newline_is_accepted(void **state)
{
    (void)state;
    EXPECT("a;1.0\nb;2.0", "{a=1.0/1.0/1.0, b=2.0/2.0/2.0}\n");
    EXPECT("a;-1.0", "{a=-1.0/-1.0/-1.0}\n");
}

/* Java's Math.round: floor(x + 1/2), and never "-0.0". */
static void test_mean_rounding(void **state)
{
    (void)state;
    EXPECT("a;0.0\na;-0.1\n", "{a=-0.1/0.0/0.0}\n");     /* -0.05 */
    EXPECT("a;0.0\na;0.1\n", "{a=0.0/0.1/0.1}\n");       /*  0.05 */
    EXPECT("a;1.2\na;1.3\n", "{a=1.2/1.3/1.3}\n");       /*  1.25 */
    EXPECT("a;-1.2\na;-1.3\n", "{a=-1.3/-1.2/-1.2}\n");  /* -1.25 */
    EXPECT("a;-0.1\na;0.0\na;0.0\n", "{a=-0.1/0.0/0.0}\n"); /* -0.033 */
    EXPECT("a;-0.1\na;-0.1\na;0.0\n", "{a=-0.1/-0.1/0.0}\n"); /* -0.067 */
    EXPECT("a;0.1\na;0.1\na;0.2\n", "{a=0.1/0.1/0.2}\n");  /* 0.133 */
    EXPECT("a;-0.0\n", "{a=0.0/0.0/0.0}\n");
    EXPECT("a;-99.9\na;-99.8\n", "{a=-99.9/-99.8/-99.8}\n"); /* -99.85 */
}

static void test_sorted_in_byte_order(void **state)
{
    (void)state;
    EXPECT("b;1.0\nÜrümqi;1.0\nZürich;1.0\nZagreb;1.0\nAbha #1;1.0\n"
           "Abha;1.0\nSan José;1.0\nSan Jose;1.0\nZz;1.0\na;1.0\n",
           "{Abha=1.0/1.0/1.0, Abha #1=1.0/1.0/1.0, San Jose=1.0/1.0/1.0,"
           " San José=1.0/1.0/1.0, Zagreb=1.0/1.0/1.0, Zz=1.0/1.0/1.0,"
           " Zürich=1.0/1.0/1.0, a=1.0/1.0/1.0, b=1.0/1.0/1.0,"
           " Ürümqi=1.0/1.0/1.0}\n");
    EXPECT("ab;1.0\na;2.0\nabc;3.0\n",
           "{a=2.0/2.0/2.0, ab=1.0/1.0/1.0, abc=3.0/3.0/3.0}\n");
}

static void test_name_of_100_bytes_is_accepted(void **state)
{
    char line[200];
    (void)state;
    memset(line, 'n', 100);
    strcpy(line + 100, ";1.5\n");
    ds_table *t = ds_new();
    assert_int_equal(ds_add(t, line, strlen(line), NULL), 0);
    char *got = print_str(t);
    assert_int_equal(strlen(got), 1 + 100 + strlen("=1.5/1.5/1.5}\n"));
    free(got);
    ds_free(t);
}

/* Each malformed input, and the offset of the line that must be named. */
static const struct {
    const char *in;
    size_t off;
} bad_cases[] = {
    { "nosemicolon\n", 0 },
    { "ok;1.0\nnosemicolon\n", 7 },
    { "ok;1.0\nnosemicolon", 7 },
    { "ok;1.0\n;1.0\n", 7 },                 /* empty name */
    { "a;\n", 0 },                           /* no number */
    { "a;", 0 },
    { "a;-\n", 0 },
    { "a;.5\n", 0 },
    { "a;-.5\n", 0 },
    { "a;1.\n", 0 },
    { "a;12\n", 0 },                         /* no decimal */
    { "a;1.25\n", 0 },                       /* two decimals */
    { "a;100.0\n", 0 },                      /* out of range */
    { "a;-100.0\n", 0 },
    { "a;+1.0\n", 0 },
    { "a;1.0x\n", 0 },                       /* trailing junk */
    { "a;1.0 \n", 0 },
    { "a;1.0;2.0\n", 0 },
    { "a;1.0\r\n", 0 },                      /* DOS line end */
    { "a;1,0\n", 0 },
    { "a;1.0\nb;2.0\nc;x\nd;1.0\n", 12 },
    { "a;1.0\n\n", 6 },                      /* empty line */
};

static void test_malformed_lines(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        ds_table *t = ds_new();
        size_t bad = 12345;
        int err = ds_add(t, bad_cases[i].in, strlen(bad_cases[i].in), &bad);
        if (err != -EINVAL || bad != bad_cases[i].off)
            fail_msg("case %zu \"%s\": got %d at %zu, want %d at %zu", i,
                     bad_cases[i].in, err, bad, -EINVAL, bad_cases[i].off);
        ds_free(t);
    }
}

static void test_name_of_101_bytes_is_rejected(void **state)
{
    char line[300];
    size_t bad = 1;
    (void)state;
    strcpy(line, "ok;1.0\n");
    memset(line + 7, 'n', 101);
    strcpy(line + 108, ";1.5\n");
    ds_table *t = ds_new();
    assert_int_equal(ds_add(t, line, strlen(line), &bad), -EINVAL);
    assert_int_equal(bad, 7);
    ds_free(t);
}

static void test_line_number(void **state)
{
    const char *s = "a;1.0\nb;2.0\nc;x\n";
    (void)state;
    assert_int_equal(ds_line_number(s, 0), 1);
    assert_int_equal(ds_line_number(s, 5), 1);
    assert_int_equal(ds_line_number(s, 6), 2);
    assert_int_equal(ds_line_number(s, 12), 3);
    assert_int_equal(ds_line_number(s, strlen(s)), 4);
}

/* n distinct stations "s0".."s<n-1>", one line each. */
static char *many_stations(size_t first, size_t n, size_t *len)
{
    char *buf = malloc(n * 16 + 1), *p = buf;
    assert_non_null(buf);
    for (size_t i = first; i < first + n; i++)
        p += sprintf(p, "s%zu;%zu.%zu\n", i, i % 100, i % 10);
    *len = (size_t)(p - buf);
    return buf;
}

static void test_10000_stations_accepted_10001_rejected(void **state)
{
    size_t len, bad = 0;
    char *buf = many_stations(0, DS_STATIONS_MAX + 1, &len);
    ds_table *t = ds_new();
    (void)state;
    char *last = memchr(buf, '\n', len);
    for (int i = 1; i < DS_STATIONS_MAX; i++)
        last = memchr(last + 1, '\n', len);
    size_t ok_len = (size_t)(last + 1 - buf);
    assert_int_equal(ds_add(t, buf, ok_len, &bad), 0);
    assert_int_equal(ds_add(t, buf, ok_len, &bad), 0);    /* no new names */
    assert_int_equal(ds_add(t, buf, len, &bad), -ENOSPC);
    assert_int_equal(bad, ok_len);
    ds_free(t);
    free(buf);
}

static void test_merge_equals_one_pass(void **state)
{
    const char *a = "x;1.0\ny;-3.0\nx;4.0\n", *b = "y;7.5\nz;0.1\nx;-2.0\n";
    char all[100];
    (void)state;
    snprintf(all, sizeof all, "%s%s", a, b);
    ds_table *ta = ds_new(), *tb = ds_new(), *tall = ds_new();
    assert_int_equal(ds_add(ta, a, strlen(a), NULL), 0);
    assert_int_equal(ds_add(tb, b, strlen(b), NULL), 0);
    assert_int_equal(ds_add(tall, all, strlen(all), NULL), 0);
    assert_int_equal(ds_merge(ta, tb), 0);
    char *s1 = print_str(ta), *s2 = print_str(tall);
    assert_string_equal(s1, s2);
    assert_string_equal(s1, "{x=-2.0/1.0/4.0, y=-3.0/2.3/7.5, "
                            "z=0.1/0.1/0.1}\n");
    free(s1);
    free(s2);
    ds_free(ta);
    ds_free(tb);
    ds_free(tall);
}

static void test_merge_past_limit_is_enospc(void **state)
{
    size_t la, lb;
    char *a = many_stations(0, 6000, &la);
    char *b = many_stations(6000, 6000, &lb);
    ds_table *ta = ds_new(), *tb = ds_new();
    (void)state;
    assert_int_equal(ds_add(ta, a, la, NULL), 0);
    assert_int_equal(ds_add(tb, b, lb, NULL), 0);
    assert_int_equal(ds_merge(ta, tb), -ENOSPC);
    ds_free(ta);
    ds_free(tb);
    free(a);
    free(b);
}

static const char sample[] =
    "Zürich;-3.4\nAbha;18.2\nSan José;99.9\nAbha;-99.9\nZürich;12.3\n";

static ds_table *sample_table(void)
{
    ds_table *t = ds_new();
    assert_non_null(t);
    assert_int_equal(ds_add(t, sample, strlen(sample), NULL), 0);
    return t;
}

static void test_encode_decode_round_trip(void **state)
{
    ds_table *t = sample_table(), *u = ds_new();
    char *enc, *s1, *s2;
    size_t len;
    (void)state;
    assert_int_equal(ds_encode(t, &enc, &len), 0);
    assert_int_equal(len, 4 + 3 * 21 + 4 + 9 + 7);
    assert_int_equal(ds_decode_merge(u, enc, len), 0);
    s1 = print_str(t);
    s2 = print_str(u);
    assert_string_equal(s1, s2);
    free(s2);
    assert_int_equal(ds_decode_merge(u, enc, len), 0);   /* twice */
    s2 = print_str(u);
    /* Abha: sum -163.4 over 4 values, -40.85, rounds up to -40.8. */
    assert_string_equal(s2, "{Abha=-99.9/-40.8/18.2, San José=99.9/99.9/99.9,"
                            " Zürich=-3.4/4.5/12.3}\n");
    free(s1);
    free(s2);
    free(enc);
    ds_free(t);
    ds_free(u);
}

static void test_encode_empty_table(void **state)
{
    ds_table *t = ds_new(), *u = ds_new();
    char *enc;
    size_t len;
    (void)state;
    assert_int_equal(ds_encode(t, &enc, &len), 0);
    assert_int_equal(len, 4);
    assert_int_equal(ds_decode_merge(u, enc, len), 0);
    char *s = print_str(u);
    assert_string_equal(s, "{}\n");
    free(s);
    free(enc);
    ds_free(t);
    ds_free(u);
}

/* A rejected encoding must leave the destination unchanged. */
static void expect_rejected(const char *enc, size_t len, const char *what)
{
    ds_table *u = ds_new();
    int err = ds_decode_merge(u, enc, len);
    if (err != -EINVAL)
        fail_msg("%s (%zu bytes): got %d, want %d", what, len, err, -EINVAL);
    char *s = print_str(u);
    assert_string_equal(s, "{}\n");
    free(s);
    ds_free(u);
}

static void test_decode_rejects_truncated(void **state)
{
    ds_table *t = sample_table();
    char *enc, *big;
    size_t len;
    (void)state;
    assert_int_equal(ds_encode(t, &enc, &len), 0);
    for (size_t n = 0; n < len; n++)
        expect_rejected(enc, n, "truncated");
    big = malloc(len + 1);
    memcpy(big, enc, len);
    big[len] = 0;
    expect_rejected(big, len + 1, "trailing byte");
    free(big);
    free(enc);
    ds_free(t);
}

/* Corrupt one byte (offsets into the encoding of "a;1.0\na;3.0\n"). */
static void test_decode_rejects_corrupt(void **state)
{
    ds_table *t = ds_new();
    char *enc, copy[64];
    size_t len;
    const struct { size_t at; unsigned char v; const char *what; } c[] = {
        { 0, 2, "count too big" },     { 0, 0, "count too small" },
        { 3, 0x80, "huge count" },     { 4, 0, "name length 0" },
        { 4, 101, "name length 101" }, { 4, 2, "name length wrong" },
        { 5, ';', "';' in name" },     { 5, '\n', "newline in name" },
        { 6, 0xE8, "min > max" },      { 7, 0x7f, "min out of range" },
        { 9, 0x04, "max out of range" }, { 10, 0x20, "sum > 2 x max" },
        { 10, 39, "sum too small" },    { 18, 3, "count vs sum" },
        { 25, 1, "count too large" },
    };
    (void)state;
    assert_int_equal(ds_add(t, "a;1.0\na;3.0\n", 12, NULL), 0);
    assert_int_equal(ds_encode(t, &enc, &len), 0);
    assert_int_equal(len, 26);
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        memcpy(copy, enc, len);
        copy[c[i].at] = (char)c[i].v;
        expect_rejected(copy, len, c[i].what);
    }
    free(enc);
    ds_free(t);
}

static void test_decode_into_full_table_is_enospc(void **state)
{
    size_t len, elen;
    char *buf = many_stations(0, DS_STATIONS_MAX, &len), *enc;
    ds_table *t = ds_new(), *s = sample_table();
    (void)state;
    assert_int_equal(ds_add(t, buf, len, NULL), 0);
    assert_int_equal(ds_encode(s, &enc, &elen), 0);
    assert_int_equal(ds_decode_merge(t, enc, elen), -ENOSPC);
    free(enc);
    free(buf);
    ds_free(t);
    ds_free(s);
}

/* Random bytes and random corruptions never crash the decoder or the
   reader, and never give anything but the documented results. */
static uint64_t fuzz_state = 12345;
static uint64_t fuzz_next(void)
{
    fuzz_state ^= fuzz_state << 13;
    fuzz_state ^= fuzz_state >> 7;
    fuzz_state ^= fuzz_state << 17;
    return fuzz_state;
}

static void test_fuzz_decode_and_add(void **state)
{
    ds_table *t = sample_table(), *u = ds_new();
    char *enc, buf[256];
    size_t len;
    (void)state;
    assert_int_equal(ds_encode(t, &enc, &len), 0);
    for (int i = 0; i < 20000; i++) {
        size_t n = (size_t)(fuzz_next() % sizeof buf);
        if (i % 2 == 0) {               /* a corrupted encoding */
            n = len;
            memcpy(buf, enc, len);
            for (int k = 0; k < 1 + i % 3; k++)
                buf[fuzz_next() % len] = (char)fuzz_next();
        } else {                        /* pure noise */
            for (size_t k = 0; k < n; k++)
                buf[k] = (char)fuzz_next();
        }
        int err = ds_decode_merge(u, buf, n);
        assert_true(err == 0 || err == -EINVAL || err == -EOVERFLOW);
        size_t m = (size_t)(fuzz_next() % sizeof buf), bad = 0;
        for (size_t k = 0; k < m; k++)
            buf[k] = "ab;-.019\n"[fuzz_next() % 9];
        err = ds_add(u, buf, m, &bad);
        assert_true(err == 0 || err == -ENOSPC
                    || (err == -EINVAL && bad < m));
    }
    free(enc);
    ds_free(t);
    ds_free(u);
}

/* Check the cut invariants for every n from 1 to 40. */
static void check_split(const char *buf, size_t len)
{
    for (size_t n = 1; n <= 40; n++) {
        size_t cuts[41];
        ds_split(buf, len, n, cuts);
        assert_int_equal(cuts[0], 0);
        assert_int_equal(cuts[n], len);
        for (size_t i = 1; i <= n; i++) {
            assert_true(cuts[i - 1] <= cuts[i]);
            if (i < n && cuts[i] > 0 && cuts[i] < len)
                assert_int_equal(buf[cuts[i] - 1], '\n');
        }
        /* Each inner cut is the first line start at or after len*i/n,
           and ds_cut, asked alone, agrees with ds_split. */
        for (size_t i = 1; i < n; i++) {
            size_t aim = len * i / n, first = aim;
            while (first > 0 && first < len && buf[first - 1] != '\n')
                first++;
            assert_int_equal(cuts[i], first);
            assert_int_equal(ds_cut(buf, len, n, i), cuts[i]);
        }
        assert_int_equal(ds_cut(buf, len, n, 0), 0);
        assert_int_equal(ds_cut(buf, len, n, n), len);
    }
}

static void test_split_cuts_at_line_starts(void **state)
{
    const char *s = "Abha;1.0\nb;2.0\nlong name here;-3.0\nz;4.0\n";
    (void)state;
    check_split(s, strlen(s));
    check_split(s, strlen(s) - 1);          /* no final newline */
    check_split("a;1.0", 5);                /* one line */
    check_split("", 0);
}

static void test_split_more_pieces_than_lines(void **state)
{
    const char *s = "a;1.0\nb;2.0\n";
    size_t cuts[9], empty = 0;
    (void)state;
    ds_split(s, strlen(s), 8, cuts);
    for (size_t i = 0; i < 8; i++)
        empty += cuts[i] == cuts[i + 1];
    assert_int_equal(empty, 6);
}

/* Aggregating the pieces and merging gives the same as one pass. */
static void test_split_pieces_merge_to_whole(void **state)
{
    size_t len;
    char *buf = many_stations(0, 500, &len);
    ds_table *whole = ds_new();
    (void)state;
    assert_int_equal(ds_add(whole, buf, len, NULL), 0);
    char *want = print_str(whole);
    for (size_t n = 1; n <= 9; n++) {
        size_t cuts[10];
        ds_table *sum = ds_new();
        ds_split(buf, len, n, cuts);
        for (size_t i = 0; i < n; i++) {
            ds_table *p = ds_new();
            assert_int_equal(ds_add(p, buf + cuts[i], cuts[i + 1] - cuts[i],
                                    NULL), 0);
            assert_int_equal(ds_merge(sum, p), 0);
            ds_free(p);
        }
        char *got = print_str(sum);
        assert_string_equal(got, want);
        free(got);
        ds_free(sum);
    }
    free(want);
    ds_free(whole);
    free(buf);
}

static void test_map_files(void **state)
{
    char path[] = "/tmp/test-dataset-XXXXXX";
    const char *buf;
    size_t len;
    int fd = mkstemp(path);
    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(ds_map(path, &buf, &len), 0);      /* empty */
    assert_int_equal(len, 0);
    ds_unmap(buf, len);
    assert_int_equal(write(fd, "a;1.0\n", 6), 6);
    assert_int_equal(ds_map(path, &buf, &len), 0);
    assert_int_equal(len, 6);
    assert_memory_equal(buf, "a;1.0\n", 6);
    ds_unmap(buf, len);
    assert_int_equal(close(fd), 0);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(ds_map(path, &buf, &len), -ENOENT);
    assert_int_equal(ds_map("/", &buf, &len), -EISDIR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_lines),
        cmocka_unit_test(test_empty_buffer_prints_braces),
        cmocka_unit_test(test_missing_final_newline_is_accepted),
        cmocka_unit_test(test_mean_rounding),
        cmocka_unit_test(test_sorted_in_byte_order),
        cmocka_unit_test(test_name_of_100_bytes_is_accepted),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_name_of_101_bytes_is_rejected),
        cmocka_unit_test(test_line_number),
        cmocka_unit_test(test_10000_stations_accepted_10001_rejected),
        cmocka_unit_test(test_merge_equals_one_pass),
        cmocka_unit_test(test_merge_past_limit_is_enospc),
        cmocka_unit_test(test_encode_decode_round_trip),
        cmocka_unit_test(test_encode_empty_table),
        cmocka_unit_test(test_decode_rejects_truncated),
        cmocka_unit_test(test_decode_rejects_corrupt),
        cmocka_unit_test(test_decode_into_full_table_is_enospc),
        cmocka_unit_test(test_fuzz_decode_and_add),
        cmocka_unit_test(test_split_cuts_at_line_starts),
        cmocka_unit_test(test_split_more_pieces_than_lines),
        cmocka_unit_test(test_split_pieces_merge_to_whole),
        cmocka_unit_test(test_map_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
