/* tests/unit/test-http.c: the HTTP module (89-workloads.nw):
   URL parsing, request formatting and the incremental response parser,
   fed whole, in every two-piece split and one byte at a time. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

/* ---- URLs ---------------------------------------------------------- */

static void check_url(const char *s, const char *host, const char *port,
                      const char *path)
{
    struct http_url u;
    int rc = http_parse_url(s, &u);
    if (rc != 0)
        fail_msg("%s: expected 0, got %d", s, rc);
    assert_string_equal(u.host, host);
    assert_string_equal(u.port, port);
    assert_string_equal(u.path, path);
}

static void check_url_err(const char *s, int want)
{
    struct http_url u;
    int rc = http_parse_url(s, &u);
    if (rc != want)
        fail_msg("'%s': expected %d, got %d", s, want, rc);
}

static void url_simple(void **state)
{
    (void)state;
    check_url("http://example.com", "example.com", "80", "/");
    check_url("http://example.com/", "example.com", "80", "/");
    check_url("http://example.com/a/b.html", "example.com", "80",
              "/a/b.html");
    check_url("HTTP://Example.COM/X", "Example.COM", "80", "/X");
}

static void url_port_and_query(void **state)
{
    (void)state;
    check_url("http://127.0.0.1:8080/?delay=50&size=1024", "127.0.0.1",
              "8080", "/?delay=50&size=1024");
    check_url("http://h:08080/", "h", "8080", "/");
    check_url("http://h:/", "h", "80", "/");
    check_url("http://h:65535", "h", "65535", "/");
    check_url("http://h?x=1", "h", "80", "/?x=1");
    check_url("http://h/p#frag", "h", "80", "/p");
    check_url("http://h#frag", "h", "80", "/");
}

static void url_ipv6(void **state)
{
    (void)state;
    check_url("http://[::1]:8080/x", "::1", "8080", "/x");
    check_url("http://[2001:db8::7]/", "2001:db8::7", "80", "/");
    check_url_err("http://[::1/", -EINVAL);
    check_url_err("http://[]/", -EINVAL);
    check_url_err("http://[not:an:addr:x]/", -EINVAL);
    check_url_err("http://[::1]x/", -EINVAL);
}

static void url_other_schemes(void **state)
{
    (void)state;
    check_url_err("https://example.com/", -EPROTONOSUPPORT);
    check_url_err("HTTPS://example.com/", -EPROTONOSUPPORT);
    check_url_err("ftp://example.com/", -EPROTONOSUPPORT);
    check_url_err("httpx://h/", -EPROTONOSUPPORT);
}

static void url_garbage(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "example.com", "http:/h/", "http//h/", "http://", "http:///p",
        "://h/", "1http://h/", "http://h:0/", "http://h:65536/",
        "http://h:123456/", "http://h:80:90/", "http://h:x/",
        "http://user@h/", "http://h h/", "http://h/a b", "http://h/\x01",
        "http://h/\xc3\xa9", "http://h/\x7f",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check_url_err(bad[i], -EINVAL);
}

static void url_limits(void **state)
{
    (void)state;
    char s[4200];
    struct http_url u;
    memset(s, 0, sizeof s);
    strcpy(s, "http://");
    memset(s + 7, 'a', 255);                    /* longest host: ok */
    assert_int_equal(http_parse_url(s, &u), 0);
    assert_int_equal(strlen(u.host), 255);
    s[7 + 255] = 'a';                           /* 256: too long */
    check_url_err(s, -EINVAL);
    strcpy(s, "http://h/");
    memset(s + 9, 'p', 2046);                   /* path of 2047: ok */
    assert_int_equal(http_parse_url(s, &u), 0);
    assert_int_equal(strlen(u.path), 2047);
    s[9 + 2046] = 'p';                          /* 2048: too long */
    check_url_err(s, -EINVAL);
}

/* ---- requests ------------------------------------------------------- */

static void request_format(void **state)
{
    (void)state;
    struct http_url u;
    char buf[4096];
    assert_int_equal(http_parse_url("http://h:8080/a?b=1", &u), 0);
    int n = http_format_request(&u, buf, sizeof buf);
    const char *want = "GET /a?b=1 HTTP/1.1\r\nHost: h:8080\r\n"
                       "Connection: close\r\n\r\n";
    assert_int_equal(n, (int)strlen(want));
    assert_string_equal(buf, want);
    assert_int_equal(http_parse_url("http://h/", &u), 0);
    http_format_request(&u, buf, sizeof buf);
    assert_string_equal(buf, "GET / HTTP/1.1\r\nHost: h\r\n"
                             "Connection: close\r\n\r\n");
}

static void request_ipv6_host(void **state)
{
    (void)state;
    struct http_url u;
    char buf[4096];
    assert_int_equal(http_parse_url("http://[::1]:81/", &u), 0);
    http_format_request(&u, buf, sizeof buf);
    assert_string_equal(buf, "GET / HTTP/1.1\r\nHost: [::1]:81\r\n"
                             "Connection: close\r\n\r\n");
}

static void request_no_space(void **state)
{
    (void)state;
    struct http_url u;
    char buf[64];
    assert_int_equal(http_parse_url("http://h/", &u), 0);
    int n = http_format_request(&u, buf, sizeof buf);
    assert_true(n > 0);
    assert_int_equal(http_format_request(&u, buf, (size_t)n), -ENOSPC);
    assert_int_equal(http_format_request(&u, buf, (size_t)n + 1), n);
}

/* ---- responses ------------------------------------------------------ */

struct result { int rc; int status; size_t body; };

/* Feed the pieces [cuts[i], cuts[i+1]) of s; then EOF if eof is set and
   the parser still wants more. Stops at the first answer that is not
   HTTP_MORE, as a fetcher does. */
static struct result run(const char *s, size_t len, const size_t *cuts,
                         size_t ncuts, int eof)
{
    struct http_resp r;
    struct result res = { HTTP_MORE, 0, 0 };
    http_resp_init(&r);
    for (size_t i = 0; i + 1 < ncuts && res.rc == HTTP_MORE; i++)
        res.rc = http_resp_feed(&r, s + cuts[i], cuts[i + 1] - cuts[i]);
    (void)len;
    if (res.rc == HTTP_MORE && eof)
        res.rc = http_resp_eof(&r);
    res.status = r.status;
    res.body = r.body_bytes;
    return res;
}

static struct result whole(const char *s, int eof)
{
    size_t cuts[2] = { 0, strlen(s) };
    return run(s, cuts[1], cuts, 2, eof);
}

static void expect(struct result got, int rc, int status, size_t body,
                   const char *how)
{
    if (got.rc != rc || (rc == HTTP_DONE && (got.status != status
                                             || got.body != body)))
        fail_msg("%s: expected rc=%d status=%d body=%zu, "
                 "got rc=%d status=%d body=%zu", how, rc, status, body,
                 got.rc, got.status, got.body);
}

/* The same answer whole, in every 2-piece split, in every 3-piece split
   (for short inputs) and one byte at a time. */
static void every_split(const char *s, int eof, int rc, int status,
                        size_t body)
{
    size_t len = strlen(s);
    size_t *cuts = malloc((len + 1) * sizeof *cuts);
    char how[64];
    assert_non_null(cuts);
    expect(whole(s, eof), rc, status, body, "whole");
    for (size_t a = 0; a <= len; a++) {
        size_t c2[3] = { 0, a, len };
        snprintf(how, sizeof how, "split at %zu", a);
        expect(run(s, len, c2, 3, eof), rc, status, body, how);
        for (size_t b = a; len <= 200 && b <= len; b++) {
            size_t c3[4] = { 0, a, b, len };
            snprintf(how, sizeof how, "split at %zu and %zu", a, b);
            expect(run(s, len, c3, 4, eof), rc, status, body, how);
        }
    }
    for (size_t i = 0; i <= len; i++)
        cuts[i] = i;
    expect(run(s, len, cuts, len + 1, eof), rc, status, body, "bytewise");
    free(cuts);
}

static const char length_resp[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
    "content-length: 11\r\nX-Empty:\r\n\r\nhello world";

static void resp_content_length(void **state)
{
    (void)state;
    every_split(length_resp, 0, HTTP_DONE, 200, 11);
}

static void resp_content_length_zero(void **state)
{
    (void)state;
    every_split("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 0,
                HTTP_DONE, 404, 0);
}

static void resp_extra_bytes_ignored(void **state)
{
    (void)state;
    struct http_resp r;
    http_resp_init(&r);
    const char s[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabcdef";
    assert_int_equal(http_resp_feed(&r, s, strlen(s)), HTTP_DONE);
    assert_int_equal(r.body_bytes, 2);
    assert_int_equal(http_resp_feed(&r, "more", 4), HTTP_DONE);
    assert_int_equal(http_resp_eof(&r), HTTP_DONE);
}

static const char chunked_resp[] =
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5\r\nhello\r\n"
    "6;name=value;x=\"q\"\r\n world\r\n"
    "A \r\n0123456789\r\n"
    "0\r\nX-Trailer: one\r\nX-Other: two\r\n\r\n";

static void resp_chunked(void **state)
{
    (void)state;
    every_split(chunked_resp, 0, HTTP_DONE, 200, 21);
}

static void resp_chunked_bare_lf_and_case(void **state)
{
    (void)state;
    every_split("HTTP/1.0 200 OK\nTRANSFER-ENCODING: gzip, Chunked\n\n"
                "3\nabc\n0\n\n", 0, HTTP_DONE, 200, 3);
}

static void resp_chunked_beats_length(void **state)
{
    (void)state;
    every_split("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n"
                "Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n",
                0, HTTP_DONE, 200, 2);
}

static void resp_close_delimited(void **state)
{
    (void)state;
    const char *s = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
                    "body until the end";
    every_split(s, 1, HTTP_DONE, 200, 18);
    /* Without EOF, the parser must still be waiting. */
    expect(whole(s, 0), HTTP_MORE, 0, 0, "no eof");
}

static void resp_close_delimited_other_coding(void **state)
{
    (void)state;
    every_split("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz", 1,
                HTTP_DONE, 200, 2);
}

static void resp_interim_and_no_body(void **state)
{
    (void)state;
    every_split("HTTP/1.1 100 Continue\r\n\r\n"
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", 0,
                HTTP_DONE, 200, 3);
    every_split("HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n", 0,
                HTTP_DONE, 204, 0);
}

static void resp_malformed_status(void **state)
{
    (void)state;
    const char *bad[] = {
        "HTTP/1.1 two hundred OK\r\n\r\n",
        "HTTP/2.0 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 600 Odd\r\n\r\n",
        "HTTP/1.1  200 OK\r\n\r\n",
        "HTTP/1.x 200 OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "\r\n",
        "HTTP/1.1 200 OK\rX\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        every_split(bad[i], 1, -EBADMSG, 0, 0);
}

static void resp_malformed_headers(void **state)
{
    (void)state;
    const char *bad[] = {
        "HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nName : space before colon\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: no name\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        every_split(bad[i], 1, -EBADMSG, 0, 0);
}

static void resp_nul_byte(void **state)
{
    (void)state;
    struct http_resp r;
    const char s[] = "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n";
    http_resp_init(&r);
    assert_int_equal(http_resp_feed(&r, s, sizeof s - 1), -EBADMSG);
}

static void resp_bad_chunks(void **state)
{
    (void)state;
    const char *head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    const char *bad[] = {
        "z\r\nabc\r\n0\r\n\r\n",               /* not hex */
        "\r\n",                                /* empty size */
        "-1\r\nabc\r\n0\r\n\r\n",              /* sign */
        "3x\r\nabc\r\n0\r\n\r\n",              /* junk after size */
        "3\r\nabcd\r\n0\r\n\r\n",              /* data longer than size */
        "10000000000000000\r\n",               /* overflows 64 bits */
        "0\r\nnot a trailer\r\n\r\n",          /* bad trailer */
    };
    char s[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(s, sizeof s, "%s%s", head, bad[i]);
        every_split(s, 1, -EBADMSG, 0, 0);
    }
}

static void resp_header_too_large(void **state)
{
    (void)state;
    size_t big = HTTP_HEADER_MAX + 100;
    char *s = malloc(big + 64);
    struct http_resp r;
    assert_non_null(s);
    strcpy(s, "HTTP/1.1 200 OK\r\nX-Big: ");
    size_t n = strlen(s);
    memset(s + n, 'x', big - n);
    strcpy(s + big, "\r\n\r\n");
    http_resp_init(&r);
    assert_int_equal(http_resp_feed(&r, s, strlen(s)), -EMSGSIZE);
    /* Sticky: later calls give the same error. */
    assert_int_equal(http_resp_feed(&r, "x", 1), -EMSGSIZE);
    assert_int_equal(http_resp_eof(&r), -EMSGSIZE);
    /* Byte by byte it fails too, and at the same byte. */
    http_resp_init(&r);
    size_t i = 0;
    int rc = HTTP_MORE;
    for (; rc == HTTP_MORE && s[i] != '\0'; i++)
        rc = http_resp_feed(&r, s + i, 1);
    assert_int_equal(rc, -EMSGSIZE);
    assert_int_equal(i, HTTP_HEADER_MAX + 1);
    free(s);
}

static void resp_header_just_fits(void **state)
{
    (void)state;
    char *s = malloc(HTTP_HEADER_MAX + 64);
    assert_non_null(s);
    strcpy(s, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nX-Big: ");
    size_t n = strlen(s);
    size_t fill = HTTP_HEADER_MAX - n - 4;     /* room for "\r\n\r\n" */
    memset(s + n, 'x', fill);
    strcpy(s + n + fill, "\r\n\r\nZ");
    expect(whole(s, 0), HTTP_DONE, 200, 1, "16 KiB header block");
    free(s);
}

static void resp_long_line_kept_short(void **state)
{
    (void)state;
    /* A 1000-byte header value that the parser does not need is fine;
       a Content-Length it cannot read whole is not. */
    char s[2048];
    char v[1001];
    memset(v, 'v', 1000);
    v[1000] = '\0';
    snprintf(s, sizeof s, "HTTP/1.1 200 OK\r\nCookie: %s\r\n"
             "Content-Length: 2\r\n\r\nok", v);
    expect(whole(s, 0), HTTP_DONE, 200, 2, "long cookie");
    memset(v, '0', 1000);
    snprintf(s, sizeof s, "HTTP/1.1 200 OK\r\nContent-Length: %s1\r\n\r\n"
             "x", v);
    expect(whole(s, 0), -EBADMSG, 0, 0, "long content-length");
}

static void resp_truncated(void **state)
{
    (void)state;
    const char *cut[] = {
        "",                                                  /* nothing */
        "HTTP/1.1 200",                                      /* status */
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n",          /* head */
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",   /* body */
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\r\n",
    };
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        char how[32];
        snprintf(how, sizeof how, "truncated case %zu", i);
        expect(whole(cut[i], 0), HTTP_MORE, 0, 0, how);
        every_split(cut[i], 1, -EPIPE, 0, 0);
    }
}

static void strerror_texts(void **state)
{
    (void)state;
    assert_string_equal(http_strerror(-EBADMSG), "malformed response");
    assert_string_equal(http_strerror(-EPIPE), "truncated response");
    assert_string_equal(http_strerror(-EMSGSIZE),
                        "response header too large");
    assert_string_equal(http_strerror(-ETIMEDOUT), "timeout");
    assert_string_equal(http_strerror(-ECONNREFUSED), "connection refused");
    assert_non_null(strstr(http_strerror(-EPROTONOSUPPORT), "not supported"));
    assert_non_null(http_strerror(-ENOENT));
    assert_true(strlen(http_strerror(-ENOENT)) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(url_simple),
        cmocka_unit_test(url_port_and_query),
        cmocka_unit_test(url_ipv6),
        cmocka_unit_test(url_other_schemes),
        cmocka_unit_test(url_garbage),
        cmocka_unit_test(url_limits),
        cmocka_unit_test(request_format),
        cmocka_unit_test(request_ipv6_host),
        cmocka_unit_test(request_no_space),
        cmocka_unit_test(resp_content_length),
        cmocka_unit_test(resp_content_length_zero),
        cmocka_unit_test(resp_extra_bytes_ignored),
        cmocka_unit_test(resp_chunked),
        cmocka_unit_test(resp_chunked_bare_lf_and_case),
        cmocka_unit_test(resp_chunked_beats_length),
        cmocka_unit_test(resp_close_delimited),
        cmocka_unit_test(resp_close_delimited_other_coding),
        cmocka_unit_test(resp_interim_and_no_body),
        cmocka_unit_test(resp_malformed_status),
        cmocka_unit_test(resp_malformed_headers),
        cmocka_unit_test(resp_nul_byte),
        cmocka_unit_test(resp_bad_chunks),
        cmocka_unit_test(resp_header_too_large),
        cmocka_unit_test(resp_header_just_fits),
        cmocka_unit_test(resp_long_line_kept_short),
        cmocka_unit_test(resp_truncated),
        cmocka_unit_test(strerror_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
