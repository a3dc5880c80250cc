/* tests/unit/test-pagefetch.c: pf_fetch and pf_strerror (pagefetch.h,
 * chapter 2's blocking fetch of one URL) against a scripted server on
 * 127.0.0.1: each test names what the server answers once it has read a
 * request's head (or that it never answers), and checks the request
 * pf_fetch sent and the result it filled in. Also a refused port, URLs
 * refused before any connection, a name that does not resolve, a result
 * cleared of what it held, and fetches from several threads at once.
 * The server is a libuv loop in a thread (tests/support/tcptest.h). */
#define _GNU_SOURCE            /* SO_RCVTIMEO's struct timeval, pthread */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>
#include <uv.h>
#include "pagefetch.h"
#include "../support/tcptest.h"

/* What the server does once a request's head has arrived: send reply (if
 * any; NULL: never answer), then close the connection if close_after. */
struct script {
    const char *reply;
    int close_after;
};

struct conn {
    uv_tcp_t tcp;
    uv_write_t write;
    char head[4096];
    size_t len;
    int answered;
    struct conn *next;
};

static const struct script *script;  /* set before the loop thread starts */
static uv_tcp_t listener;
static uv_async_t stopper;
static struct conn *conns;
/* The last request head the server read; the loop thread writes it, the
 * test reads it, so a mutex orders the two. */
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static char seen[4096];

static void on_conn_closed(uv_handle_t *h)
{
    struct conn *c = h->data, **p = &conns;
    while (*p != c)
        p = &(*p)->next;
    *p = c->next;
    free(c);
}

static void close_conn(struct conn *c)
{
    if (!uv_is_closing((uv_handle_t *)&c->tcp))
        uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
}

static void on_written(uv_write_t *w, int status)
{
    struct conn *c = w->data;
    if (status != 0 || script->close_after)
        close_conn(c);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    static char scratch[65536];
    (void)h;
    (void)hint;
    *buf = uv_buf_init(scratch, sizeof scratch);
}

static void answer(struct conn *c)
{
    c->answered = 1;
    pthread_mutex_lock(&seen_lock);
    memcpy(seen, c->head, c->len);
    seen[c->len] = '\0';
    pthread_mutex_unlock(&seen_lock);
    if (script->reply == NULL)
        return;                         /* keep the client waiting */
    uv_buf_t b = uv_buf_init((char *)script->reply,
                             (unsigned)strlen(script->reply));
    c->write.data = c;
    if (uv_write(&c->write, (uv_stream_t *)&c->tcp, &b, 1, on_written) != 0)
        close_conn(c);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct conn *c = s->data;
    if (n < 0) {
        close_conn(c);
        return;
    }
    if (c->answered)
        return;
    size_t k = (size_t)n;
    if (k > sizeof c->head - 1 - c->len)
        k = sizeof c->head - 1 - c->len;
    memcpy(c->head + c->len, buf->base, k);
    c->len += k;
    c->head[c->len] = '\0';
    if (strstr(c->head, "\r\n\r\n") != NULL)
        answer(c);
}

static void on_connection(uv_stream_t *l, int status)
{
    if (status != 0)
        return;
    struct conn *c = calloc(1, sizeof *c);
    if (c == NULL || uv_tcp_init(l->loop, &c->tcp) != 0) {
        free(c);
        return;
    }
    c->tcp.data = c;
    c->next = conns;
    conns = c;
    if (uv_accept(l, (uv_stream_t *)&c->tcp) != 0
        || uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0)
        close_conn(c);
}

static void on_stop(uv_async_t *a)
{
    for (struct conn *c = conns; c != NULL; c = c->next)
        close_conn(c);
    uv_close((uv_handle_t *)&listener, NULL);
    uv_close((uv_handle_t *)a, NULL);
}

/* cmocka's prestate is the script of the test. */
static int setup(void **state)
{
    struct sockaddr_in sa;
    struct sockaddr_storage got;
    int len = sizeof got;
    script = *state;
    conns = NULL;
    seen[0] = '\0';
    assert_int_equal(uv_loop_init(&loop), 0);
    assert_int_equal(uv_tcp_init(&loop, &listener), 0);
    assert_int_equal(uv_ip4_addr("127.0.0.1", 0, &sa), 0);
    assert_int_equal(uv_tcp_bind(&listener, (struct sockaddr *)&sa, 0), 0);
    assert_int_equal(uv_listen((uv_stream_t *)&listener, 64,
                               on_connection), 0);
    assert_int_equal(uv_tcp_getsockname(&listener, (struct sockaddr *)&got,
                                        &len), 0);
    port = ntohs(((struct sockaddr_in *)&got)->sin_port);
    assert_int_equal(uv_async_init(&loop, &stopper, on_stop), 0);
    return loop_thread_start();
}

static int teardown(void **state)
{
    (void)state;
    return loop_thread_stop(&stopper);
}

/* pf_fetch of http://127.0.0.1:PORT PATH with a 10 s budget. */
static int fetch(const char *path, struct pf_result *r)
{
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    return pf_fetch(url, 10000, r);
}

static void request_seen(char *buf, size_t cap)
{
    pthread_mutex_lock(&seen_lock);
    snprintf(buf, cap, "%s", seen);
    pthread_mutex_unlock(&seen_lock);
}

static const struct script length_body = {
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 0 };

/* The server keeps the connection open: the fetch ends when the parser
 * says the body is complete, not at a close that never comes. */
static void a_body_of_known_length_is_fetched(void **state)
{
    (void)state;
    struct pf_result r;
    char req[4096], want[128];
    assert_int_equal(fetch("/a/b?x=1&y=2", &r), 0);
    assert_int_equal(r.err, 0);
    assert_int_equal(r.gai_err, 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.bytes, 5);
    assert_true(r.ms >= 0);
    request_seen(req, sizeof req);
    snprintf(want, sizeof want,
             "GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n", port);
    if (strncmp(req, want, strlen(want)) != 0)
        fail_msg("expected a request starting '%s', got '%s'", want, req);
    assert_string_equal(pf_strerror(&r), "no error");
}

static const struct script chunked_body = {
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    "4\r\nabcd\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n", 0 };

static void a_chunked_body_is_counted_without_its_framing(void **state)
{
    (void)state;
    struct pf_result r;
    assert_int_equal(fetch("/", &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.bytes, 20);
}

static const struct script close_body = {
    "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
    "a body that runs until the server closes", 1 };

static void a_body_ended_by_the_close_is_complete(void **state)
{
    (void)state;
    struct pf_result r;
    assert_int_equal(fetch("/", &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.bytes, strlen("a body that runs until the server "
                                     "closes"));
}

static const struct script not_found = {
    "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found", 0 };

static void a_404_is_a_page_not_a_failure(void **state)
{
    (void)state;
    struct pf_result r;
    assert_int_equal(fetch("/missing", &r), 0);
    assert_int_equal(r.status, 404);
    assert_int_equal(r.bytes, 9);
}

static const struct script truncated = {
    "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this much", 1 };

static void a_body_cut_short_is_a_truncated_response(void **state)
{
    (void)state;
    struct pf_result r;
    assert_int_equal(fetch("/", &r), -EPIPE);
    assert_int_equal(r.err, -EPIPE);
    assert_int_equal(r.bytes, strlen("only this much"));
    assert_string_equal(pf_strerror(&r), "truncated response");
}

static const struct script garbage = { "SPDY/9 nonsense\r\n\r\n", 1 };

static void a_malformed_status_line_is_reported(void **state)
{
    (void)state;
    struct pf_result r;
    assert_int_equal(fetch("/", &r), -EBADMSG);
    assert_string_equal(pf_strerror(&r), "malformed response");
}

static const struct script silent = { NULL, 0 };

/* The server reads the request and never answers: the deadline ends the
 * wait (the budget is short so the test is quick; no time is checked). */
static void a_server_that_never_answers_times_out(void **state)
{
    (void)state;
    struct pf_result r;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
    assert_int_equal(pf_fetch(url, 200, &r), -ETIMEDOUT);
    assert_int_equal(r.err, -ETIMEDOUT);
    assert_string_equal(pf_strerror(&r), "timeout");
}

/* localhost may name ::1 before 127.0.0.1; the server listens on the
 * latter only, so this also tries the next address after a refusal. */
static void localhost_by_name_is_fetched(void **state)
{
    (void)state;
    struct pf_result r;
    char url[128];
    snprintf(url, sizeof url, "http://localhost:%d/", port);
    assert_int_equal(pf_fetch(url, 10000, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.bytes, 5);
}

struct job {
    pthread_t thread;
    struct pf_result r;
};

static void *fetch_one(void *arg)
{
    struct job *j = arg;
    fetch("/t", &j->r);
    return NULL;
}

/* The module keeps no state between calls: threads fetch side by side. */
static void threads_fetch_at_once(void **state)
{
    (void)state;
    struct job jobs[8];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&jobs[i].thread, NULL, fetch_one,
                                        &jobs[i]), 0);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(pthread_join(jobs[i].thread, NULL), 0);
        assert_int_equal(jobs[i].r.err, 0);
        assert_int_equal(jobs[i].r.status, 200);
        assert_int_equal(jobs[i].r.bytes, 5);
    }
}

/* A port bound but not listening refuses connections. */
static void a_refused_port_is_reported(void **state)
{
    (void)state;
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(sa.sin_port));
    struct pf_result r;
    assert_int_equal(pf_fetch(url, 10000, &r), -ECONNREFUSED);
    assert_string_equal(pf_strerror(&r), "connection refused");
    close(fd);
}

static void urls_it_cannot_use_fail_before_connecting(void **state)
{
    (void)state;
    struct pf_result r;
    assert_int_equal(pf_fetch("https://127.0.0.1/", 1000, &r),
                     -EPROTONOSUPPORT);
    assert_string_equal(pf_strerror(&r), "not supported (http:// only)");
    assert_int_equal(pf_fetch("http://bad host/", 1000, &r), -EINVAL);
    assert_string_equal(pf_strerror(&r), "malformed URL");
    assert_int_equal(pf_fetch("", 1000, &r), -EINVAL);
}

/* A lookup failure keeps getaddrinfo's own code, and pf_strerror uses
 * gai_strerror for it (unless the resolver said EAI_SYSTEM: an errno). */
static void a_name_that_does_not_resolve_is_described(void **state)
{
    (void)state;
    struct pf_result r;
    assert_true(pf_fetch("http://no-such-host.invalid/", 10000, &r) < 0);
    if (r.gai_err != 0) {
        assert_int_equal(r.err, -EHOSTUNREACH);
        assert_string_equal(pf_strerror(&r), gai_strerror(r.gai_err));
    }
}

/* Every field is set afresh, whatever the result held before. */
static void the_result_is_cleared_first(void **state)
{
    (void)state;
    struct pf_result r, zero;
    memset(&r, 0xa5, sizeof r);
    memset(&zero, 0, sizeof zero);
    zero.err = -EINVAL;
    assert_int_equal(pf_fetch("no url", 1000, &r), -EINVAL);
    r.ms = 0;                   /* the only field that may be anything */
    assert_memory_equal(&r, &zero, sizeof r);
}

#define SERVED(test, s) \
    cmocka_unit_test_prestate_setup_teardown(test, setup, teardown, \
                                             (void *)&(s))

int main(void)
{
    const struct CMUnitTest tests[] = {
        SERVED(a_body_of_known_length_is_fetched, length_body),
        SERVED(a_chunked_body_is_counted_without_its_framing, chunked_body),
        SERVED(a_body_ended_by_the_close_is_complete, close_body),
        SERVED(a_404_is_a_page_not_a_failure, not_found),
        SERVED(a_body_cut_short_is_a_truncated_response, truncated),
        SERVED(a_malformed_status_line_is_reported, garbage),
        SERVED(a_server_that_never_answers_times_out, silent),
        SERVED(localhost_by_name_is_fetched, length_body),
        SERVED(threads_fetch_at_once, length_body),
        cmocka_unit_test(a_refused_port_is_reported),
        cmocka_unit_test(urls_it_cannot_use_fail_before_connecting),
        cmocka_unit_test(a_name_that_does_not_resolve_is_described),
        cmocka_unit_test(the_result_is_cleared_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
