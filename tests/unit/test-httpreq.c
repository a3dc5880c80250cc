/* test-httpreq.c: the incremental request parser of chapter 4 (httpreq.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "httpreq.h"

static struct hreq *new_req(void)
{
    struct hreq *r = malloc(sizeof *r);
    assert_non_null(r);
    hreq_init(r);
    return r;
}

/* Feed a whole string; return the parser's answer, *used the bytes taken. */
static int feed_all(struct hreq *r, const char *s, size_t *used)
{
    return hreq_feed(r, s, strlen(s), used);
}

static void whole_request_is_parsed(void **state)
{
    (void)state;
    struct hreq *r = new_req();
    const char *s = "GET /a/b?delay=5 HTTP/1.1\r\nHost: x\r\n\r\n";
    size_t used = 0;
    assert_int_equal(feed_all(r, s, &used), HREQ_DONE);
    assert_int_equal(used, strlen(s));
    assert_string_equal(r->method, "GET");
    assert_string_equal(r->target, "/a/b?delay=5");
    assert_int_equal(r->minor, 1);
    assert_int_equal(r->keep_alive, 1);
    assert_int_equal(r->content_length, 0);
    free(r);
}

static void byte_at_a_time_gives_the_same_result(void **state)
{
    (void)state;
    struct hreq *r = new_req();
    const char *s = "GET /x HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n";
    size_t n = strlen(s), used;
    for (size_t i = 0; i + 1 < n; i++) {
        assert_int_equal(hreq_feed(r, s + i, 1, &used), HREQ_MORE);
        assert_int_equal(used, 1);
    }
    assert_int_equal(hreq_feed(r, s + n - 1, 1, &used), HREQ_DONE);
    assert_int_equal(used, 1);
    assert_string_equal(r->target, "/x");
    assert_int_equal(r->minor, 0);
    assert_int_equal(r->keep_alive, 1);
    free(r);
}

static void pipelined_requests_stop_at_the_first_end(void **state)
{
    (void)state;
    struct hreq *r = new_req();
    const char *one = "GET /1 HTTP/1.1\r\n\r\n";
    const char *two = "GET /2 HTTP/1.1\r\nConnection: close\r\n\r\n";
    char buf[200];
    snprintf(buf, sizeof buf, "%s%s", one, two);
    size_t used;
    assert_int_equal(feed_all(r, buf, &used), HREQ_DONE);
    assert_int_equal(used, strlen(one));
    assert_string_equal(r->target, "/1");
    hreq_init(r);
    assert_int_equal(feed_all(r, buf + used, &used), HREQ_DONE);
    assert_string_equal(r->target, "/2");
    assert_int_equal(r->keep_alive, 0);
    free(r);
}

static void bare_line_feeds_and_leading_blank_lines_are_accepted(void **s)
{
    (void)s;
    struct hreq *r = new_req();
    size_t used;
    assert_int_equal(feed_all(r, "\r\n\nGET / HTTP/1.1\nA: b\n\n", &used),
                     HREQ_DONE);
    assert_string_equal(r->target, "/");
    free(r);
}

static void http10_closes_by_default(void **state)
{
    (void)state;
    struct hreq *r = new_req();
    size_t used;
    assert_int_equal(feed_all(r, "GET / HTTP/1.0\r\n\r\n", &used), HREQ_DONE);
    assert_int_equal(r->keep_alive, 0);
    free(r);
}

static void connection_tokens_are_a_list(void **state)
{
    (void)state;
    struct hreq *r = new_req();
    size_t used;
    assert_int_equal(feed_all(r, "GET / HTTP/1.1\r\n"
                              "Connection: foo , CLOSE\r\n\r\n", &used),
                     HREQ_DONE);
    assert_int_equal(r->keep_alive, 0);
    free(r);
}

static void content_length_is_reported(void **state)
{
    (void)state;
    struct hreq *r = new_req();
    size_t used;
    const char *s = "GET / HTTP/1.1\r\nContent-Length:  12 \r\n\r\nBODY";
    assert_int_equal(feed_all(r, s, &used), HREQ_DONE);
    assert_int_equal(used, strlen(s) - 4);
    assert_int_equal(r->content_length, 12);
    free(r);
}

static void malformed_heads_are_rejected(void **state)
{
    (void)state;
    static const char *bad[] = {
        "GARBAGE\r\n\r\n",
        "GET\r\n\r\n",
        "GET / \r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "GET x HTTP/1.1\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET / HTTP/1.1 extra\r\n\r\n",
        "G(T / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
        "GET / HTTP/1.1\r\nName : v\r\n\r\n",
        "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\n: empty name\r\n\r\n",
        "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n",
        "GET /\x01 HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length:\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
        "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct hreq *r = new_req();
        size_t used;
        int rc = feed_all(r, bad[i], &used);
        if (rc != -EBADMSG)
            fail_msg("case %zu (%s): expected -EBADMSG, got %d", i, bad[i],
                     rc);
        free(r);
    }
}

static void a_nul_byte_is_rejected(void **state)
{
    (void)state;
    struct hreq *r = new_req();
    size_t used;
    assert_int_equal(hreq_feed(r, "GET /\0 HTTP/1.1\r\n\r\n", 20, &used),
                     -EBADMSG);
    free(r);
}

static void a_head_over_the_limit_is_too_large(void **state)
{
    (void)state;
    struct hreq *r = new_req();
    size_t used;
    const char *start = "GET / HTTP/1.1\r\nX: ";
    assert_int_equal(feed_all(r, start, &used), HREQ_MORE);
    size_t have = strlen(start);
    /* Fill exactly to the limit with the last byte a '\n' that ends the
       head: accepted. One more byte is too much. */
    char *pad = malloc(HREQ_HEAD_MAX);
    assert_non_null(pad);
    size_t n = HREQ_HEAD_MAX - have - 4;
    memset(pad, 'a', n);
    memcpy(pad + n, "\r\n\r\n", 4);
    assert_int_equal(hreq_feed(r, pad, n + 4, &used), HREQ_DONE);
    hreq_init(r);
    assert_int_equal(feed_all(r, start, &used), HREQ_MORE);
    memset(pad, 'a', n + 1);
    memcpy(pad + n + 1, "\r\n\r", 3);
    assert_int_equal(hreq_feed(r, pad, n + 4, &used), HREQ_MORE);
    assert_int_equal(hreq_feed(r, "\n", 1, &used), -EMSGSIZE);
    free(pad);
    free(r);
}

static void endless_garbage_without_newline_is_too_large(void **state)
{
    (void)state;
    struct hreq *r = new_req();
    char buf[1000];
    memset(buf, 'a', sizeof buf);
    size_t used;
    int rc = HREQ_MORE;
    for (int i = 0; i < 20 && rc == HREQ_MORE; i++)
        rc = hreq_feed(r, buf, sizeof buf, &used);
    assert_int_equal(rc, -EMSGSIZE);
    free(r);
}

static void query_parameters_are_read(void **state)
{
    (void)state;
    long v = -1;
    const char *t = "/p?delay=100&size=2048&chunked=1&x=";
    assert_int_equal(hreq_param(t, "delay", 1000, &v), 1);
    assert_int_equal(v, 100);
    assert_int_equal(hreq_param(t, "size", 1L << 30, &v), 1);
    assert_int_equal(v, 2048);
    assert_int_equal(hreq_param(t, "chunked", 1, &v), 1);
    assert_int_equal(v, 1);
    assert_int_equal(hreq_param(t, "close", 1, &v), 0);
    assert_int_equal(hreq_param(t, "ize", 1 << 20, &v), 0);
    assert_int_equal(hreq_param(t, "x", 1, &v), -EINVAL);
    assert_int_equal(hreq_param("/p", "delay", 10, &v), 0);
    assert_int_equal(hreq_param("/p?", "delay", 10, &v), 0);
}

static void bad_query_values_are_rejected(void **state)
{
    (void)state;
    long v;
    assert_int_equal(hreq_param("/?delay=-5", "delay", 100, &v), -EINVAL);
    assert_int_equal(hreq_param("/?delay=1e3", "delay", 10000, &v), -EINVAL);
    assert_int_equal(hreq_param("/?delay=101", "delay", 100, &v), -EINVAL);
    assert_int_equal(hreq_param("/?delay=100", "delay", 100, &v), 1);
    assert_int_equal(hreq_param("/?size=99999999999999999999999", "size",
                                1L << 40, &v), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_request_is_parsed),
        cmocka_unit_test(byte_at_a_time_gives_the_same_result),
        cmocka_unit_test(pipelined_requests_stop_at_the_first_end),
        cmocka_unit_test(bare_line_feeds_and_leading_blank_lines_are_accepted),
        cmocka_unit_test(http10_closes_by_default),
        cmocka_unit_test(connection_tokens_are_a_list),
        cmocka_unit_test(content_length_is_reported),
        cmocka_unit_test(malformed_heads_are_rejected),
        cmocka_unit_test(a_nul_byte_is_rejected),
        cmocka_unit_test(a_head_over_the_limit_is_too_large),
        cmocka_unit_test(endless_garbage_without_newline_is_too_large),
        cmocka_unit_test(query_parameters_are_read),
        cmocka_unit_test(bad_query_values_are_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
