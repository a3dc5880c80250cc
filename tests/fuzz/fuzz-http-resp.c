/* fuzz-http-resp: the incremental HTTP response parser of the HTTP
 * module (89-workloads.nw, http_resp_feed and http_resp_eof).
 *
 * The contract checked, beyond "no crash":
 * - the answer does not depend on how the input is cut: whole, one byte
 *   at a time and two random splits give the same answer, status and
 *   body size, before and after http_resp_eof;
 * - answers are only those the interface names, and an answer other
 *   than HTTP_MORE never changes (errors are sticky, bytes after the
 *   end are ignored);
 * - the byte at which the answer is decided is the same for a prefix:
 *   the input cut just before it is still HTTP_MORE;
 * - a complete response has a status from 200 to 599, never more body
 *   bytes than were fed, exactly Content-Length bytes when that header
 *   framed it, and its head within HTTP_HEADER_MAX.
 */
#include "http.c"
#include "fuzz.h"

_Static_assert(sizeof(struct http_resp) < 400,
               "the book says the parser's state stays under 400 bytes");

struct outcome {
    int rc;                     /* after the last piece */
    int eof_rc;                 /* after http_resp_eof */
    int status;
    size_t body, eof_body;
};

static int answer_ok(int rc)
{
    return rc == HTTP_MORE || rc == HTTP_DONE || rc == -EBADMSG
        || rc == -EMSGSIZE;
}

static void check_state(const struct http_resp *r, int rc, size_t fed)
{
    FUZZ_CHECK(answer_ok(rc), "answer %d", rc);
    FUZZ_CHECK(r->body_bytes <= fed, "%zu body bytes from %zu fed",
               r->body_bytes, fed);
    FUZZ_CHECK(r->head_bytes <= HTTP_HEADER_MAX + 1, "head %zu",
               r->head_bytes);
    if (rc == HTTP_DONE) {
        FUZZ_CHECK(r->status >= 200 && r->status <= 599, "status %d",
                   r->status);
        if (r->have_length && !r->coded && r->status != 204
            && r->status != 304)
            FUZZ_CHECK(r->body_bytes == r->length,
                       "body %zu, Content-Length %zu", r->body_bytes,
                       r->length);
    }
}

/* Feed d[0..n) whole, one byte at a time, or in random pieces drawn
   from rng; *decided is the byte count at which a bytewise feed first
   answered something other than HTTP_MORE. */
static struct outcome run(const uint8_t *d, size_t n,
                          struct fuzz_rng *rng, int bytewise,
                          size_t *decided)
{
    struct http_resp r;
    struct outcome o;
    size_t i = 0;
    int rc = HTTP_MORE;

    http_resp_init(&r);
    *decided = SIZE_MAX;
    do {
        size_t k = n == 0 ? 0 : bytewise ? 1
                 : rng != NULL ? fuzz_piece(rng, n - i) : n - i;
        int now = http_resp_feed(&r, (const char *)d + i, k);
        i += k;
        check_state(&r, now, i);
        if (rc != HTTP_MORE)
            FUZZ_CHECK(now == rc, "answer changed from %d to %d", rc, now);
        else if (now != HTTP_MORE && bytewise)
            *decided = i;
        rc = now;
    } while (i < n);
    o.rc = rc;
    o.status = r.status;
    o.body = r.body_bytes;
    o.eof_rc = http_resp_eof(&r);
    FUZZ_CHECK(o.eof_rc == HTTP_DONE || o.eof_rc == -EPIPE
               || (o.eof_rc < 0 && answer_ok(o.eof_rc)),
               "eof answer %d", o.eof_rc);
    if (rc != HTTP_MORE)
        FUZZ_CHECK(o.eof_rc == rc, "eof changed %d to %d", rc, o.eof_rc);
    if (o.eof_rc == HTTP_DONE)
        FUZZ_CHECK(r.status >= 200 && r.status <= 599, "status %d",
                   r.status);
    FUZZ_CHECK(http_resp_feed(&r, "x", 1) == o.eof_rc,
               "answer changed after the end");
    o.eof_body = r.body_bytes;
    return o;
}

static void same(struct outcome a, struct outcome b, const char *how)
{
    FUZZ_CHECK(a.rc == b.rc && a.eof_rc == b.eof_rc,
               "%s: answers %d/%d, whole %d/%d", how, b.rc, b.eof_rc,
               a.rc, a.eof_rc);
    FUZZ_CHECK(a.status == b.status, "%s: status %d, whole %d", how,
               b.status, a.status);
    FUZZ_CHECK(a.body == b.body && a.eof_body == b.eof_body,
               "%s: body %zu/%zu, whole %zu/%zu", how, b.body,
               b.eof_body, a.body, a.eof_body);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    struct fuzz_rng rng = fuzz_rng_of(d, n);
    size_t decided, unused;
    struct outcome whole = run(d, n, NULL, 0, &unused);
    struct outcome bytes = run(d, n, NULL, 1, &decided);

    same(whole, bytes, "one byte at a time");
    same(whole, run(d, n, &rng, 0, &unused), "random pieces");
    same(whole, run(d, n, &rng, 0, &unused), "other random pieces");
    if (decided != SIZE_MAX) {
        /* The answer was decided by byte 'decided': the input cut there
           gives it, cut one byte earlier does not yet. */
        struct outcome pre = run(d, decided, NULL, 0, &unused);
        FUZZ_CHECK(pre.rc == whole.rc, "prefix %zu answers %d, not %d",
                   decided, pre.rc, whole.rc);
        pre = run(d, decided - 1, NULL, 0, &unused);
        FUZZ_CHECK(pre.rc == HTTP_MORE, "prefix %zu answers %d early",
                   decided - 1, pre.rc);
    }
    return 0;
}
