/* tests/exercises/test-ex-5.1.c: the reduction operation of exercise 5.1.
 * Tables aggregated from pieces of a generated file, packed into slots and
 * merged by ex51_merge (one slot at a time and several in one call),
 * unpack to exactly the whole file's table; a slot that does not decode
 * poisons the result instead of being merged. */
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
#include "ex-5.1.h"

/* A file of n lines over k stations, from a small generator of its own. */
static char *make_data(size_t n, unsigned k, size_t *len)
{
    char *buf = malloc(n * 24 + 1), *p = buf;
    uint64_t s = ex_seed();

    assert_non_null(buf);
    for (size_t i = 0; i < n; i++) {
        unsigned st = (unsigned)(ex_next(&s) % k);
        int t = (int)(ex_next(&s) % 1999) - 999;
        p += sprintf(p, "st%u;%s%d.%d\n", st, t < 0 ? "-" : "",
                     abs(t) / 10, abs(t) % 10);
    }
    *len = (size_t)(p - buf);
    return buf;
}

static char *print(const ds_table *t)
{
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);

    assert_non_null(f);
    assert_int_equal(ds_print(t, f), 0);
    assert_int_equal(fclose(f), 0);
    return out;
}

/* slots[i] = the packed table of piece i of n. */
static unsigned char *pieces(const char *buf, size_t len, size_t n)
{
    unsigned char *slots = malloc(n * EX51_SLOT);
    size_t bad;

    assert_non_null(slots);
    for (size_t i = 0; i < n; i++) {
        ds_table *t = ds_new();
        size_t b = ds_cut(buf, len, n, i), e = ds_cut(buf, len, n, i + 1);
        assert_non_null(t);
        assert_int_equal(ds_add(t, buf + b, e - b, &bad), 0);
        assert_int_equal(ex51_pack(t, slots + i * EX51_SLOT), 0);
        ds_free(t);
    }
    return slots;
}

static char *whole(const char *buf, size_t len)
{
    ds_table *t = ds_new();
    size_t bad;
    assert_non_null(t);
    assert_int_equal(ds_add(t, buf, len, &bad), 0);
    char *s = print(t);
    ds_free(t);
    return s;
}

static char *unpacked(const unsigned char *slot)
{
    ds_table *t = ds_new();
    assert_non_null(t);
    assert_int_equal(ex51_unpack(t, slot), 0);
    char *s = print(t);
    ds_free(t);
    return s;
}

static void test_pack_then_unpack_is_the_table(void **state)
{
    (void)state;
    size_t len;
    char *buf = make_data(5000, 300, &len);
    unsigned char *slot = pieces(buf, len, 1);
    char *want = whole(buf, len), *got = unpacked(slot);
    assert_string_equal(got, want);
    free(got); free(want); free(slot); free(buf);
}

static void test_merging_slots_one_by_one_gives_the_whole_file(void **state)
{
    (void)state;
    size_t len, n = (size_t)ex_pick(2, 9);
    char *buf = make_data(20000, 400, &len);
    unsigned char *slots = pieces(buf, len, n);
    int one = 1;
    MPI_Datatype type = MPI_BYTE;
    for (size_t i = 1; i < n; i++)        /* slot 0 collects the rest */
        ex51_merge(slots + i * EX51_SLOT, slots, &one, &type);
    char *want = whole(buf, len), *got = unpacked(slots);
    assert_string_equal(got, want);
    free(got); free(want); free(slots); free(buf);
}

static void test_one_call_merges_every_slot_of_the_array(void **state)
{
    (void)state;
    size_t len;
    char *buf = make_data(20000, 500, &len);
    unsigned char *s = pieces(buf, len, 4);
    /* in = pieces 1 and 3, inout = pieces 0 and 2: two merges, one call */
    unsigned char *in = malloc(2 * EX51_SLOT), *inout = malloc(2 * EX51_SLOT);
    assert_non_null(in);
    assert_non_null(inout);
    memcpy(in, s + 1 * EX51_SLOT, EX51_SLOT);
    memcpy(in + EX51_SLOT, s + 3 * EX51_SLOT, EX51_SLOT);
    memcpy(inout, s, EX51_SLOT);
    memcpy(inout + EX51_SLOT, s + 2 * EX51_SLOT, EX51_SLOT);
    int two = 2, one = 1;
    MPI_Datatype type = MPI_BYTE;
    ex51_merge(in, inout, &two, &type);
    ex51_merge(inout + EX51_SLOT, inout, &one, &type);
    char *want = whole(buf, len), *got = unpacked(inout);
    assert_string_equal(got, want);
    free(got); free(want); free(in); free(inout); free(s); free(buf);
}

static void test_a_bad_slot_poisons_the_result(void **state)
{
    (void)state;
    size_t len;
    char *buf = make_data(1000, 50, &len);
    unsigned char *s = pieces(buf, len, 2);
    int one = 1;
    MPI_Datatype type = MPI_BYTE;
    memset(s + EX51_SLOT + 4, 0xff, 8);     /* piece 1's station count */
    ex51_merge(s + EX51_SLOT, s, &one, &type);
    ds_table *t = ds_new();
    assert_non_null(t);
    assert_int_equal(ex51_unpack(t, s), -EINVAL);
    ds_free(t);
    free(s); free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_then_unpack_is_the_table),
        cmocka_unit_test(test_merging_slots_one_by_one_gives_the_whole_file),
        cmocka_unit_test(test_one_call_merges_every_slot_of_the_array),
        cmocka_unit_test(test_a_bad_slot_poisons_the_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
