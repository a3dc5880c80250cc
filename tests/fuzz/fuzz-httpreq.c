/* fuzz-httpreq: the request-head parser of chapter 4 (04b-servers.nw,
 * hreq_feed and hreq_param).
 *
 * The input is a stream of pipelined requests, parsed as a server does:
 * feed, and after each HREQ_DONE start a new request with the bytes
 * after *used.  The contract checked, beyond "no crash":
 * - the sequence of answers, with where each head ended and what it
 *   held, does not depend on how the stream is cut (whole, one byte at
 *   a time, two random splits);
 * - *used never exceeds what was fed, and is all of it for HREQ_MORE;
 * - a complete head has a method of 1 to 16 token characters, a target
 *   that starts with '/' and holds only visible ASCII, a minor version
 *   of 0 or 1, and keep_alive as the book's rule says;
 * - hreq_param on that target answers 1, 0 or -EINVAL, agrees with a
 *   plain reading of the query, and every value it returns is in
 *   [0, max].
 */
#include "httpreq.c"
#include "fuzz.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>

/* The log of one parse: one line per answer. */
struct log { char s[1 << 16]; size_t n; };

static void say(struct log *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(struct log *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (g->n < sizeof g->s) {
        int k = vsnprintf(g->s + g->n, sizeof g->s - g->n, fmt, ap);
        g->n += k > 0 ? (size_t)k : 0;
    }
    va_end(ap);
}

/* What hreq_param should answer, read plainly: the first pair NAME=...
   of the query decides; its value must be digits, at most max. */
static int plain_param(const char *target, const char *name, long max,
                       long *value)
{
    const char *p = strchr(target, '?');
    size_t n = strlen(name);

    while (p != NULL && *p != '\0') {
        const char *pair = p + 1, *end = pair + strcspn(pair, "&");
        if (strncmp(pair, name, n) == 0 && pair[n] == '=') {
            const char *v = pair + n + 1;
            long x = 0;
            if (v == end)
                return -EINVAL;
            for (; v < end; v++) {
                if (*v < '0' || *v > '9')
                    return -EINVAL;
                if (x > (LONG_MAX - 9) / 10)
                    return -EINVAL;     /* far above any max */
                x = x * 10 + (*v - '0');
            }
            if (x > max)
                return -EINVAL;
            *value = x;
            return 1;
        }
        p = end;
    }
    return 0;
}

/* Issue 14 ("Programs to fix", 1): hreq_param accepts a single digit
   above max when max < 9.  Another change fixes it; until it is merged,
   that one case is tolerated (and said once), so that the short run in
   make check tests everything else.  The probe below sees the fix when
   it lands, and from then on the check is strict. */
static bool small_max_bug(void)
{
    static int known = -1;
    long v;

    if (known < 0) {
        known = hreq_param("/?x=7", "x", 5, &v) == 1;
        if (known)
            fprintf(stderr, "fuzz-httpreq: NOTE: hreq_param accepts "
                    "x=7 for max 5 (known bug, issue 14); tolerated\n");
    }
    return known;
}

static void check_params(const char *target)
{
    static const char *const names[] = { "delay", "size", "chunked",
                                         "close", "x" };
    static const long maxes[] = { 0, 1, 5, 9, 10, 99, 3600000L,
                                  1L << 40, LONG_MAX };

    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        for (size_t j = 0; j < sizeof maxes / sizeof *maxes; j++) {
            long got = -1, want = -1, max = maxes[j];
            int rc = hreq_param(target, names[i], max, &got);
            int wrc = plain_param(target, names[i], max, &want);
            if (rc == 1 && wrc == -EINVAL && max < 9 && got > max
                && got <= 9 && small_max_bug())
                continue;
            FUZZ_CHECK(rc == wrc && (rc != 1 || got == want),
                       "hreq_param(%s, %s, %ld) = %d, %ld; expected %d, "
                       "%ld", target, names[i], max, rc, got, wrc, want);
            FUZZ_CHECK(rc != 1 || (got >= 0 && got <= max),
                       "value %ld outside [0, %ld]", got, max);
        }
}

static void check_head(const struct hreq *q)
{
    size_t m = strlen(q->method);
    FUZZ_CHECK(m >= 1 && m <= 16 && field((char *)q->method, is_tchar)
               == q->method + m, "method '%s'", q->method);
    FUZZ_CHECK(q->target[0] == '/', "target '%s'", q->target);
    for (const char *t = q->target; *t != '\0'; t++)
        FUZZ_CHECK(is_vchar((unsigned char)*t), "target byte %#x",
                   (unsigned)(unsigned char)*t);
    FUZZ_CHECK(q->minor == 0 || q->minor == 1, "minor %d", q->minor);
    FUZZ_CHECK(q->keep_alive == (q->minor == 1 ? !q->conn_close
                                 : q->conn_keep && !q->conn_close),
               "keep_alive %d", q->keep_alive);
    FUZZ_CHECK(q->has_length || q->content_length == 0, "length %llu",
               (unsigned long long)q->content_length);
    FUZZ_CHECK(q->len <= HREQ_HEAD_MAX, "head %zu", q->len);
}

static struct hreq q;

static void run(const uint8_t *d, size_t n, struct fuzz_rng *rng,
                int bytewise, struct log *g)
{
    size_t i = 0, start = 0;
    int rc = HREQ_MORE;

    g->n = 0;
    hreq_init(&q);
    while (i < n && rc >= 0) {
        size_t k = bytewise ? 1 : rng != NULL ? fuzz_piece(rng, n - i)
                                              : n - i, used = SIZE_MAX;
        rc = hreq_feed(&q, (const char *)d + i, k, &used);
        FUZZ_CHECK(used <= k && (rc != HREQ_MORE || used == k),
                   "answer %d used %zu of %zu", rc, used, k);
        FUZZ_CHECK(rc == HREQ_MORE || rc == HREQ_DONE || rc == -EBADMSG
                   || rc == -EMSGSIZE, "answer %d", rc);
        i += used;
        if (rc == HREQ_DONE) {
            check_head(&q);
            check_params(q.target);
            say(g, "done at %zu: %s %s 1.%d ka=%d len=%d/%llu\n", i,
                q.method, q.target, q.minor, q.keep_alive, q.has_length,
                (unsigned long long)q.content_length);
            start = i;
            hreq_init(&q);
            rc = HREQ_MORE;
        } else if (rc < 0) {
            say(g, "error %d in the request from %zu\n", rc, start);
        }
    }
    if (rc == HREQ_MORE)
        say(g, "more after %zu\n", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static struct log whole, other;
    struct fuzz_rng rng = fuzz_rng_of(d, n);

    run(d, n, NULL, 0, &whole);
    run(d, n, NULL, 1, &other);
    FUZZ_CHECK(whole.n == other.n && memcmp(whole.s, other.s, whole.n) == 0,
               "byte by byte:\n%.*s\nwhole:\n%.*s", (int)other.n, other.s,
               (int)whole.n, whole.s);
    for (int k = 0; k < 2; k++) {
        run(d, n, &rng, 0, &other);
        FUZZ_CHECK(whole.n == other.n
                   && memcmp(whole.s, other.s, whole.n) == 0,
                   "random pieces:\n%.*s\nwhole:\n%.*s", (int)other.n,
                   other.s, (int)whole.n, whole.s);
    }
    return 0;
}
