/* test-httpreq-faults.c: hreq_param's bound holds for every max (issue 14). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include "httpreq.h"

/* A single digit above a small max was accepted: (max - d) / 10 rounds a
   negative quotient toward zero, so x = 0 passed the check. */
static void digit_above_small_max_is_refused(void **state)
{
    (void)state;
    char target[32];
    for (long max = 0; max <= 20; max++)
        for (long v = 0; v <= 99; v++) {
            long got = -1;
            snprintf(target, sizeof target, "/?x=%ld", v);
            int rc = hreq_param(target, "x", max, &got);
            if (v <= max) {
                if (rc != 1 || got != v)
                    fail_msg("x=%ld max=%ld: rc %d value %ld, want 1 %ld",
                             v, max, rc, got, v);
            } else if (rc != -EINVAL) {
                fail_msg("x=%ld max=%ld: rc %d value %ld, want -EINVAL",
                         v, max, rc, got);
            }
        }
}

static void slowhttpd_flags_take_zero_or_one(void **state)
{
    (void)state;
    long v;
    assert_int_equal(hreq_param("/?chunked=7", "chunked", 1, &v), -EINVAL);
    assert_int_equal(hreq_param("/?close=5", "close", 1, &v), -EINVAL);
    assert_int_equal(hreq_param("/?close=1", "close", 1, &v), 1);
    assert_int_equal(v, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(digit_above_small_max_is_refused),
        cmocka_unit_test(slowhttpd_flags_take_zero_or_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
