/* fuzz-http-url: the URL parser and the request formatter of the HTTP
 * module (89-workloads.nw, http_parse_url and http_format_request),
 * checked with the request parser of chapter 4 (04b-servers.nw, hreq_feed).
 *
 * The contract checked, beyond "no crash":
 * - the answer is 0, -EINVAL or -EPROTONOSUPPORT;
 * - an accepted URL gives a host of the characters the book allows (or
 *   an IPv6 address), a port from 1 to 65535 written in decimal without
 *   leading zeros, and a path that starts with '/' and holds only
 *   visible ASCII, no '#';
 * - the parts written back as a URL parse to the same parts;
 * - the request formatted for it fits the 2,400 bytes the book promises
 *   and is a request head that chapter 4's parser accepts, with the
 *   path as its target and "Connection: close".
 */
#include "http.c"
#include "httpreq.h"  /* httpreq.c is compiled beside this file */
#include "fuzz.h"

static void check_parts(const struct http_url *u)
{
    struct in6_addr a;
    size_t h = strlen(u->host);

    FUZZ_CHECK(h > 0 && h < sizeof u->host, "host length %zu", h);
    if (strchr(u->host, ':') != NULL)
        FUZZ_CHECK(inet_pton(AF_INET6, u->host, &a) == 1, "host %s",
                   u->host);
    else
        FUZZ_CHECK(strspn(u->host, "abcdefghijklmnopqrstuvwxyz"
                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == h,
                   "host %s", u->host);
    char *end;
    long port = strtol(u->port, &end, 10);
    FUZZ_CHECK(*end == '\0' && port >= 1 && port <= 65535
               && u->port[0] != '0', "port '%s'", u->port);
    FUZZ_CHECK(u->path[0] == '/', "path %s", u->path);
    for (const char *p = u->path; *p != '\0'; p++)
        FUZZ_CHECK(*p > ' ' && *p < 0x7f && *p != '#', "path byte %#x",
                   (unsigned)(unsigned char)*p);
}

static void check_round_trip(const struct http_url *u)
{
    static char s[sizeof u->host + sizeof u->port + sizeof u->path + 16];
    struct http_url v;
    int v6 = strchr(u->host, ':') != NULL;

    snprintf(s, sizeof s, "http://%s%s%s:%s%s", v6 ? "[" : "", u->host,
             v6 ? "]" : "", u->port, u->path);
    int rc = http_parse_url(s, &v);
    FUZZ_CHECK(rc == 0, "%s refused (%d)", s, rc);
    FUZZ_CHECK(strcmp(u->host, v.host) == 0 && strcmp(u->port, v.port) == 0
               && strcmp(u->path, v.path) == 0, "%s parsed differently", s);
}

static void check_request(const struct http_url *u)
{
    static char buf[2400];
    static struct hreq q;
    size_t used;
    int n = http_format_request(u, buf, sizeof buf);

    FUZZ_CHECK(n > 0 && (size_t)n < sizeof buf, "request length %d", n);
    hreq_init(&q);
    int rc = hreq_feed(&q, buf, (size_t)n, &used);
    FUZZ_CHECK(rc == HREQ_DONE && used == (size_t)n,
               "chapter 4 answers %d after %zu of %d bytes", rc, used, n);
    FUZZ_CHECK(strcmp(q.method, "GET") == 0 && strcmp(q.target, u->path) == 0
               && q.minor == 1 && !q.keep_alive, "request %s", buf);
    FUZZ_CHECK(http_format_request(u, buf, (size_t)n) == -ENOSPC,
               "a buffer one byte short is not refused");
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static char s[8192];
    struct http_url u;

    if (n >= sizeof s)
        return 0;
    memcpy(s, d, n);
    s[n] = '\0';
    int rc = http_parse_url(s, &u);
    FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -EPROTONOSUPPORT,
               "answer %d", rc);
    if (rc != 0)
        return 0;
    check_parts(&u);
    check_round_trip(&u);
    check_request(&u);
    return 0;
}
