/* tests/exercises/test-ex-4.1.c: the token bucket of exercise 4.1.
 * A full bucket keeps no loop alive; a burst is taken at once and the
 * rest wait in line, first come first served; the k-th waiter is served
 * no sooner than k periods after the burst by the loop's clock (a lower
 * bound, never a timing: libuv's timers never fire early); a waiter may
 * take again from its callback; closing cancels the line; the loop
 * closes cleanly (every handle closed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <uv.h>
#include "ex-4.1.h"

enum { MAX_W = 16 };

struct rec {                    /* what the callbacks saw */
    int order[MAX_W * 4];       /* waiter indexes, in grant order */
    int status[MAX_W * 4];
    uint64_t when[MAX_W * 4];   /* uv_now at the grant */
    int n;
    int again;                  /* times a waiter may re-take */
    int closed;
};

static uv_loop_t loop;
static struct tb bucket;
static struct tb_waiter w[MAX_W];
static struct rec rec;

static void granted(struct tb_waiter *x, int status)
{
    struct rec *r = &rec;
    r->order[r->n] = (int)(x - w);
    r->status[r->n] = status;
    r->when[r->n] = uv_now(&loop);
    r->n++;
    if (status == 0 && r->again > 0) {
        r->again--;
        int k = tb_take(&bucket, x, granted);
        if (k == 1)             /* served at once: record it too */
            granted(x, 0);
        else if (k < 0)
            fail_msg("tb_take from a callback returned %d", k);
    }
}

static void closed(uv_handle_t *h)
{
    (void)h;
    rec.closed++;
}

static int setup(void **state)
{
    (void)state;
    rec = (struct rec){ 0 };
    return uv_loop_init(&loop);
}

static void close_all(void)
{
    tb_close(&bucket, closed);
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    assert_int_equal(rec.closed, 1);
    assert_int_equal(uv_loop_close(&loop), 0);
}

static void test_full_bucket_keeps_no_loop_alive(void **state)
{
    (void)state;
    assert_int_equal(tb_init(&loop, &bucket, 3, 5), 0);
    assert_int_equal(bucket.tokens, 3);
    assert_int_equal(uv_loop_alive(&loop), 0);
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    close_all();
}

static void test_bad_arguments(void **state)
{
    (void)state;
    assert_int_equal(tb_init(&loop, &bucket, 0, 5), UV_EINVAL);
    assert_int_equal(tb_init(&loop, &bucket, 2, 0), UV_EINVAL);
    assert_int_equal(uv_loop_close(&loop), 0);
}

static void test_burst_then_line_in_order(void **state)
{
    (void)state;
    const uint64_t period = 5;
    assert_int_equal(tb_init(&loop, &bucket, 3, period), 0);
    uint64_t t0 = uv_now(&loop);
    for (int i = 0; i < 8; i++)
        assert_int_equal(tb_take(&bucket, &w[i], granted), i < 3 ? 1 : 0);
    assert_int_equal(rec.n, 0);         /* nobody called back yet */
    assert_int_equal(bucket.tokens, 0);
    /* The loop runs until the bucket is full again and the timer stops. */
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    assert_int_equal(rec.n, 5);
    for (int k = 0; k < 5; k++) {
        assert_int_equal(rec.order[k], 3 + k);
        assert_int_equal(rec.status[k], 0);
        if (rec.when[k] < t0 + (uint64_t)(k + 1) * period)
            fail_msg("waiter %d served at %llu ms, before %llu ms", k + 1,
                     (unsigned long long)(rec.when[k] - t0),
                     (unsigned long long)((k + 1) * period));
    }
    assert_int_equal(bucket.tokens, 3);
    assert_int_equal(uv_loop_alive(&loop), 0);
    close_all();
}

static void test_take_again_from_callback(void **state)
{
    (void)state;
    assert_int_equal(tb_init(&loop, &bucket, 1, 2), 0);
    assert_int_equal(tb_take(&bucket, &w[0], granted), 1);
    assert_int_equal(tb_take(&bucket, &w[1], granted), 0);
    assert_int_equal(tb_take(&bucket, &w[2], granted), 0);
    rec.again = 4;              /* four more grants, from callbacks */
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    assert_int_equal(rec.n, 6);
    assert_int_equal(rec.order[0], 1);
    assert_int_equal(rec.order[1], 2);
    for (int k = 0; k < rec.n; k++)
        assert_int_equal(rec.status[k], 0);
    assert_int_equal(bucket.tokens, 1);
    close_all();
}

static void test_close_cancels_the_line(void **state)
{
    (void)state;
    assert_int_equal(tb_init(&loop, &bucket, 1, 1000), 0);
    assert_int_equal(tb_take(&bucket, &w[0], granted), 1);
    assert_int_equal(tb_take(&bucket, &w[1], granted), 0);
    assert_int_equal(tb_take(&bucket, &w[2], granted), 0);
    tb_close(&bucket, closed);
    assert_int_equal(rec.n, 2);         /* before tb_close returned */
    assert_int_equal(rec.order[0], 1);
    assert_int_equal(rec.order[1], 2);
    assert_int_equal(rec.status[0], UV_ECANCELED);
    assert_int_equal(rec.status[1], UV_ECANCELED);
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    assert_int_equal(rec.closed, 1);
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* A waiter whose cancellation callback asks again (issue 14: tb_close
   looped for ever, cancelling and re-queueing the same waiter). The
   callback gives up after 100 tries, so the old code ends too, and
   fails the count. */
static int retakes, retake_rc;

static void take_again(struct tb_waiter *x, int status)
{
    rec.n++;
    if (status == UV_ECANCELED && retakes++ < 100)
        retake_rc = tb_take(&bucket, x, take_again);
}

static void test_take_from_cancel_callback(void **state)
{
    (void)state;
    retakes = 0;
    retake_rc = 0;
    assert_int_equal(tb_init(&loop, &bucket, 1, 1000), 0);
    assert_int_equal(tb_take(&bucket, &w[0], granted), 1);
    assert_int_equal(tb_take(&bucket, &w[1], take_again), 0);
    tb_close(&bucket, closed);
    assert_int_equal(rec.n, 1);         /* cancelled once, not again */
    if (retake_rc >= 0)
        fail_msg("tb_take on a closing bucket returned %d", retake_rc);
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    assert_int_equal(rec.closed, 1);
    assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_full_bucket_keeps_no_loop_alive, setup),
        cmocka_unit_test_setup(test_bad_arguments, setup),
        cmocka_unit_test_setup(test_burst_then_line_in_order, setup),
        cmocka_unit_test_setup(test_take_again_from_callback, setup),
        cmocka_unit_test_setup(test_close_cancels_the_line, setup),
        cmocka_unit_test_setup(test_take_from_cancel_callback, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
