/* fuzz-dataset-lines: the 1BRC line parser and the table encoding of
 * the dataset module (89-workloads.nw: ds_add, ds_line_number, ds_split, ds_merge,
 * ds_print, ds_encode, ds_decode_merge).
 *
 * The contract checked, beyond "no crash":
 * - ds_add accepts exactly the lines of the book's grammar (a name of 1
 *   to 100 bytes without ';' or '\n', ';', -?d?d.d, then '\n' or the end
 *   of the buffer), as a plain reading here decides them, and on a bad
 *   line names where it starts and ds_line_number its number;
 * - ds_print shows what a plain aggregation here computes: minimum,
 *   maximum, and the mean rounded half toward +infinity, sorted by name;
 * - cutting the buffer into 1 to 8 pieces with ds_split (cuts from 0 to
 *   len, never decreasing, at line starts), adding each piece to its
 *   own table and merging gives the same table and the same first error;
 * - ds_encode then ds_decode_merge gives the same table back, and
 *   decoding into a copy of the table doubles counts and sums.
 */
#include "dataset.c"
#include "fuzz.h"

#include <stdbool.h>

/* ---- the plain reading ---------------------------------------------- */

struct plain { const char *name; size_t len; int min, max; long sum, count; };
static struct plain st[4096];
static size_t nst;

static bool dig(char c) { return c >= '0' && c <= '9'; }

/* Length of the line at p if it is good, else 0. */
static size_t good_line(const char *p, const char *end, int *v,
                        size_t *name_len)
{
    const char *s = p;
    while (s < end && *s != ';' && *s != '\n')
        s++;
    if (s == p || s - p > DS_NAME_MAX || s == end || *s != ';')
        return 0;
    *name_len = (size_t)(s - p);
    const char *t = s + 1, *e = t;
    while (e < end && *e != '\n')
        e++;
    size_t k = (size_t)(e - t);
    bool neg = k > 0 && *t == '-';
    t += neg, k -= neg;
    if (!((k == 3 && dig(t[0]) && t[1] == '.' && dig(t[2]))
          || (k == 4 && dig(t[0]) && dig(t[1]) && t[2] == '.'
              && dig(t[3]))))
        return 0;
    int x = 0;
    for (size_t i = 0; i < k; i++)
        if (t[i] != '.')
            x = 10 * x + (t[i] - '0');
    *v = neg ? -x : x;
    return (size_t)(e - p) + (e < end);
}

static void plain_add(const char *name, size_t len, int v)
{
    size_t i = 0;
    while (i < nst && !(st[i].len == len && memcmp(st[i].name, name, len)
                        == 0))
        i++;
    if (i == nst)
        st[nst++] = (struct plain){ name, len, v, v, 0, 0 };
    st[i].min = v < st[i].min ? v : st[i].min;
    st[i].max = v > st[i].max ? v : st[i].max;
    st[i].sum += v;
    st[i].count++;
}

static int by_name(const void *a, const void *b)
{
    const struct plain *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->name, y->name, n);
    return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

static void tenths(FILE *f, long v)
{
    fprintf(f, "%s%ld.%ld", v < 0 ? "-" : "", labs(v) / 10, labs(v) % 10);
}

/* Returns the offset of the first bad line, or len; prints the table. */
static size_t plain_run(const char *b, size_t len, FILE *f, long k)
{
    const char *p = b, *end = b + len;
    nst = 0;
    while (p < end) {
        int v;
        size_t nl, n = good_line(p, end, &v, &nl);
        if (n == 0)
            return (size_t)(p - b);
        plain_add(p, nl, v);
        p += n;
    }
    qsort(st, nst, sizeof *st, by_name);
    fputc('{', f);
    for (size_t i = 0; i < nst; i++) {
        long sum = st[i].sum * k, count = st[i].count * k;
        /* floor((2 sum + count) / (2 count)), with floor, not C's '/' */
        long a = 2 * sum + count, q = 2 * count;
        long mean = a >= 0 ? a / q : -((-a + q - 1) / q);
        fputs(i > 0 ? ", " : "", f);
        fwrite(st[i].name, 1, st[i].len, f);    /* a name may hold NUL */
        fputc('=', f);
        tenths(f, st[i].min);
        fputc('/', f);
        tenths(f, mean);
        fputc('/', f);
        tenths(f, st[i].max);
    }
    fputs("}\n", f);
    return len;
}

/* ---- helpers ---------------------------------------------------------- */

/* A table is 1.5 MB; making five per input would cost more than the
   checks.  Five are made once, and emptied by clearing only the slots
   in use (the harness sees the table's insides: it includes dataset.c). */
static ds_table *table(int i)
{
    static ds_table *t[5];
    if (t[i] == NULL)
        FUZZ_CHECK((t[i] = ds_new()) != NULL, "out of memory");
    for (size_t k = 0; k < t[i]->n; k++) {
        size_t j = ds_slot_of(t[i]->st[k].hash);
        while (t[i]->slot[j] != k + 1)
            j = (j + 1) & (DS_SLOTS - 1);
        t[i]->slot[j] = 0;
    }
    t[i]->n = 0;
    return t[i];
}

struct text { char *s; size_t n; FILE *f; };

static FILE *text_open(struct text *t)
{
    t->s = NULL;
    t->f = open_memstream(&t->s, &t->n);
    FUZZ_CHECK(t->f != NULL, "open_memstream");
    return t->f;
}

static void text_close(struct text *t)
{
    FUZZ_CHECK(fclose(t->f) == 0, "fclose");
}

static void printed(const ds_table *t, struct text *out)
{
    FUZZ_CHECK(ds_print(t, text_open(out)) == 0, "ds_print failed");
    text_close(out);
}

static void same_text(struct text *a, struct text *b, const char *how)
{
    FUZZ_CHECK(a->n == b->n && memcmp(a->s, b->s, a->n) == 0,
               "%s:\n%.*s\nexpected:\n%.*s", how, (int)b->n, b->s,
               (int)a->n, a->s);
}

static size_t line_of(const char *b, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += b[i] == '\n';
    return line;
}

/* ---- the checks ------------------------------------------------------- */

static void check_cuts(const char *b, size_t n, size_t k, const size_t *c)
{
    FUZZ_CHECK(c[0] == 0 && c[k] == n, "cuts %zu..%zu of %zu", c[0], c[k],
               n);
    for (size_t i = 1; i <= k; i++) {
        FUZZ_CHECK(c[i] >= c[i - 1], "cut %zu goes back", i);
        FUZZ_CHECK(c[i] == 0 || c[i] == n || b[c[i] - 1] == '\n',
                   "cut %zu = %zu is not at a line start", i, c[i]);
        FUZZ_CHECK(ds_cut(b, n, k, i) == c[i], "ds_cut and ds_split");
    }
}

/* Pieces to their own tables, then merged: the same as the whole. */
static void check_pieces(const char *b, size_t n, size_t k, int rc,
                         size_t bad, struct text *want)
{
    size_t c[9], off;
    ds_table *m = table(1), *t;
    int err = 0;

    ds_split(b, n, k, c);
    check_cuts(b, n, k, c);
    for (size_t i = 0; i < k && err == 0; i++) {
        t = table(2);
        err = ds_add(t, b + c[i], c[i + 1] - c[i], &off);
        if (err == 0)
            err = ds_merge(m, t);
        else
            off += c[i];
    }
    FUZZ_CHECK(err == rc, "%zu pieces: %d, whole: %d", k, err, rc);
    if (err < 0) {
        FUZZ_CHECK(off == bad, "%zu pieces: bad line at %zu, whole: %zu",
                   k, off, bad);
    } else {
        struct text got;
        printed(m, &got);
        same_text(want, &got, "pieces merged");
        free(got.s);
    }
}

/* Encoded and decoded: the same table; decoded into a copy: doubled. */
static void check_encoding(const ds_table *t, struct text *want)
{
    char *e;
    size_t len, size = DS_ENC_HEAD;
    ds_table *u = table(3), *v = table(4);

    FUZZ_CHECK(ds_encode(t, &e, &len) == 0, "ds_encode");
    for (size_t i = 0; i < t->n; i++)
        size += DS_ENC_FIXED + t->st[i].len;
    FUZZ_CHECK(len == size, "encoding of %zu bytes, not %zu", len, size);
    FUZZ_CHECK(ds_decode_merge(u, e, len) == 0, "decoding refused");
    struct text got;
    printed(u, &got);
    same_text(want, &got, "encoded and decoded");
    free(got.s);
    FUZZ_CHECK(ds_merge(v, t) == 0 && ds_decode_merge(v, e, len) == 0,
               "decoding into a copy");
    for (size_t i = 0; i < t->n; i++)
        FUZZ_CHECK(v->st[i].count == 2 * t->st[i].count
                   && v->st[i].sum == 2 * t->st[i].sum
                   && v->st[i].min == t->st[i].min
                   && v->st[i].max == t->st[i].max,
                   "station %zu not doubled", i);
    if (len > DS_ENC_HEAD)      /* one byte short is not an encoding */
        FUZZ_CHECK(ds_decode_merge(u, e, len - 1) == -EINVAL,
                   "a truncated encoding accepted");
    free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    const char *b = (const char *)d;
    struct fuzz_rng rng = fuzz_rng_of(d, n);
    struct text want;
    size_t bad = SIZE_MAX;
    ds_table *t = table(0);
    size_t off = plain_run(b, n, text_open(&want), 1);
    text_close(&want);
    int rc = ds_add(t, b, n, &bad);
    if (off == n) {
        FUZZ_CHECK(rc == 0, "ds_add refused a good buffer: %d at %zu", rc,
                   bad);
        struct text got;
        printed(t, &got);
        same_text(&want, &got, "ds_print");
        free(got.s);
        check_encoding(t, &want);
    } else {
        FUZZ_CHECK(rc == -EINVAL, "bad line at %zu: ds_add answers %d",
                   off, rc);
        FUZZ_CHECK(bad == off, "bad line at %zu, ds_add says %zu", off,
                   bad);
        FUZZ_CHECK(ds_line_number(b, bad) == line_of(b, bad),
                   "line number %zu, not %zu", ds_line_number(b, bad),
                   line_of(b, bad));
    }
    check_pieces(b, n, 1 + fuzz_next(&rng) % 8, rc, bad, &want);
    free(want.s);
    return 0;
}
