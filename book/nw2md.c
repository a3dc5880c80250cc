/* nw2md: a noweb backend that writes Pandoc Markdown.

   It reads noweb's pipeline representation on standard input, as made by
       markup FILES... | finduses | noidx
   and writes one Pandoc Markdown document on standard output: the
   documentation chunks unchanged, every code chunk as a fenced div holding
   its name, its code and links to related chunks, and at the end an index
   of chunks and identifiers.  book/nw2md.md describes the output.

   The whole input is read first, because the cross-reference data that
   noidx appends at the end of the stream is needed while writing the
   first chunk.  Every string in the model points into that one buffer.

   Exit status: 0 on success, 1 on a @fatal line from an earlier stage,
   malformed input, an undefined chunk, or a write error. */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *progname = "nw2md";

/* ---------------------------------------------------------------- errors */

static void vmessage(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", progname);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

static void message(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
}

_Noreturn static void die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (q == NULL)
        die("out of memory");
    return q;
}

/* The array p of *cap elements of size sz, grown if need be to hold need
   elements (doubling, so that appending is cheap). */
static void *grow(void *p, size_t *cap, size_t need, size_t sz)
{
    size_t c = *cap ? *cap : 8;

    if (need <= *cap)
        return p;
    while (c < need) {
        if (c > ((size_t)-1) / 2 / sz)
            die("out of memory");
        c *= 2;
    }
    *cap = c;
    return xrealloc(p, c * sz);
}

/* ------------------------------------------------------ growable strings */

struct buf {
    char *p;
    size_t len, cap;
};

static void buf_addn(struct buf *b, const char *s, size_t n)
{
    b->p = grow(b->p, &b->cap, b->len + n + 1, 1);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_add(struct buf *b, const char *s)
{
    buf_addn(b, s, strlen(s));
}

static void buf_addc(struct buf *b, char c)
{
    buf_addn(b, &c, 1);
}

static void buf_printf(struct buf *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        die("internal error: formatted text too long");
    buf_addn(b, tmp, (size_t)n);
}

/* ------------------------------------------------------------ the output */

/* All output goes through out(), which remembers the last two characters
   so that blocks can be surrounded by exactly the blank lines that pandoc
   needs. */
static char last[2] = {'\n', '\n'};

static void out(const char *s, size_t n)
{
    if (n == 0)
        return;
    if (fwrite(s, 1, n, stdout) != n)
        die("cannot write the output: %s", strerror(errno));
    last[0] = n >= 2 ? s[n - 2] : last[1];
    last[1] = s[n - 1];
}

static void outs(const char *s)
{
    out(s, strlen(s));
}

static void outb(const struct buf *b)
{
    out(b->p, b->len);
}

/* Make sure what follows starts after a blank line. */
static void blank_line(void)
{
    if (last[1] != '\n')
        outs("\n\n");
    else if (last[0] != '\n')
        outs("\n");
}

/* --------------------------------------------------------------- labels */

/* A string list, used for labels and names. */
struct strv {
    const char **v;
    size_t n, cap;
};

static void strv_add(struct strv *sv, const char *s)
{
    sv->v = grow(sv->v, &sv->cap, sv->n + 1, sizeof *sv->v);
    sv->v[sv->n++] = s;
}

static bool strv_has(const struct strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

/* noidx labels look like NW2fBmxt-4Gogs1-1: letters, digits and '-',
   which are valid in an HTML id and safe in a LaTeX hypertarget.  Any
   other byte is written as _XX so that the id stays valid whatever a
   future noidx does. */
static void add_label_id(struct buf *b, const char *label)
{
    for (const unsigned char *p = (const unsigned char *)label; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || *p == '-')
            buf_addc(b, (char)*p);
        else
            buf_printf(b, "_%02X", *p);
    }
}

/* The anchor of an identifier's index entry: NWIX- and the identifier,
   letters, digits and '_' kept, any other byte written as -XX. */
static void add_ident_id(struct buf *b, const char *ident)
{
    buf_add(b, "NWIX-");
    for (const unsigned char *p = (const unsigned char *)ident; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || *p == '_')
            buf_addc(b, (char)*p);
        else
            buf_printf(b, "-%02X", *p);
    }
}

/* ------------------------------------------------------------- Markdown */

/* Characters that mean something to Pandoc Markdown inside a paragraph. */
static bool md_special(char c)
{
    return c != '\0' && strchr("\\`*_[]<>#|{}~^$@!&", c) != NULL;
}

static void add_md_text(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (md_special(s[i]))
            buf_addc(b, '\\');
        buf_addc(b, s[i]);
    }
}

/* Inline code: a backtick fence one longer than the longest run of
   backticks inside, with a space of padding where the code itself starts
   or ends with a backtick. */
static void add_md_code(struct buf *b, const char *s, size_t n)
{
    size_t run = 0, longest = 0;

    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    for (size_t i = 0; i <= longest; i++)
        buf_addc(b, '`');
    if (s[0] == '`')
        buf_addc(b, ' ');
    buf_addn(b, s, n);
    if (s[n - 1] == '`')
        buf_addc(b, ' ');
    for (size_t i = 0; i <= longest; i++)
        buf_addc(b, '`');
}

/* Find the [[quoted code]] in a chunk name: the start of the next "[["
   at or after s, or NULL.  The quote ends at the last two brackets of the
   first run of "]]", as in noweb's markup. */
static const char *find_quote(const char *s, const char **code,
                              size_t *codelen, const char **after)
{
    const char *open = strstr(s, "[[");
    const char *close;

    if (open == NULL)
        return NULL;
    *code = open + 2;
    close = strstr(*code, "]]");
    if (close == NULL) {
        *codelen = strlen(*code);
        *after = *code + *codelen;
        return open;
    }
    while (close[2] == ']')
        close++;
    *codelen = (size_t)(close - *code);
    *after = close + 2;
    return open;
}

/* A chunk name as Markdown text: escaped, [[code]] as inline code. */
static void add_md_name(struct buf *b, const char *name)
{
    const char *code, *after, *open;
    size_t codelen;

    while ((open = find_quote(name, &code, &codelen, &after)) != NULL) {
        add_md_text(b, name, (size_t)(open - name));
        add_md_code(b, code, codelen);
        name = after;
    }
    add_md_text(b, name, strlen(name));
}

/* A chunk name as plain text for a code block: the brackets of [[code]]
   dropped. */
static void add_plain_name(struct buf *b, const char *name)
{
    const char *code, *after, *open;
    size_t codelen;

    while ((open = find_quote(name, &code, &codelen, &after)) != NULL) {
        buf_addn(b, name, (size_t)(open - name));
        buf_addn(b, code, codelen);
        name = after;
    }
    buf_add(b, name);
}

/* ----------------------------------------------------------- the model */

/* The content of every chunk is a run of segments in one array. */
enum seg_kind {
    SEG_TEXT,    /* s: text */
    SEG_NL,      /* end of a source line */
    SEG_QUOTE,   /* start of [[quoted code]] in documentation */
    SEG_ENDQUOTE,
    SEG_USE      /* s: chunk name; ref: label of its first definition */
};

struct seg {
    enum seg_kind kind;
    const char *s;
    const char *ref;
};

struct chunk {               /* one code chunk, in document order */
    const char *label;       /* @xref label: the anchor */
    const char *name;
    const char *file;
    long line;               /* line of the <<name>>= header */
    size_t number;           /* 1, 2, ... through the whole document */
    struct strv defines;     /* identifiers, from @index defn */
    struct strv uses;        /* chunk names used, each once */
    struct strv use_refs;    /* the label of each one's first definition */
    struct strv ident_uses;  /* identifiers used, defined elsewhere */
    struct strv ident_refs;  /* the label of each one's definition */
    struct name_entry *entry;
};

struct block {               /* a documentation or code chunk */
    bool code;
    size_t first, end;       /* its segments */
    struct chunk *chunk;     /* for code */
    bool file_start;         /* the first block of a file */
};

struct name_entry {          /* one chunk name, from @xref chunkbegin */
    const char *name;
    struct strv defs;        /* labels of the chunks defining it */
    struct strv uses;        /* labels of the chunks using it */
    unsigned langs;          /* languages of the roots reaching it */
    bool visited;
};

struct ident_entry {         /* one identifier, from @index entrybegin */
    const char *ident;
    struct strv defs, uses;  /* chunk labels */
};

static struct {
    struct seg *segs;
    size_t nsegs, segcap;
    struct block *blocks;
    size_t nblocks, blockcap;
    struct chunk **chunks;       /* document order */
    size_t nchunks, chunkcap;
    struct chunk **by_label;     /* sorted by label */
    struct name_entry *names;    /* noidx's order */
    size_t nnames, namecap;
    struct name_entry **by_name; /* sorted by name */
    struct ident_entry *idents;  /* noidx's order */
    size_t nidents, identcap;
} doc;

static void add_seg(enum seg_kind kind, const char *s, const char *ref)
{
    doc.segs = grow(doc.segs, &doc.segcap, doc.nsegs + 1,
                    sizeof *doc.segs);
    doc.segs[doc.nsegs++] = (struct seg){kind, s, ref};
}

static int cmp_chunk_label(const void *a, const void *b)
{
    const struct chunk *const *x = a, *const *y = b;

    return strcmp((*x)->label, (*y)->label);
}

static struct chunk *chunk_by_label(const char *label)
{
    struct chunk key = {.label = label}, *kp = &key, **found;

    if (doc.by_label == NULL)
        return NULL;
    found = bsearch(&kp, doc.by_label, doc.nchunks, sizeof *doc.by_label,
                    cmp_chunk_label);
    return found ? *found : NULL;
}

static int cmp_name_entry(const void *a, const void *b)
{
    const struct name_entry *const *x = a, *const *y = b;

    return strcmp((*x)->name, (*y)->name);
}

static struct name_entry *entry_by_name(const char *name)
{
    struct name_entry key = {.name = name}, *kp = &key, **found;

    found = bsearch(&kp, doc.by_name, doc.nnames, sizeof *doc.by_name,
                    cmp_name_entry);
    return found ? *found : NULL;
}

/* ------------------------------------------------------------ the input */

struct input {
    char *text;
    char **lines;
    size_t nlines;
};

static void read_input(struct input *in)
{
    size_t len = 0, cap = 0, n;

    in->text = NULL;
    do {
        in->text = grow(in->text, &cap, len + 65536, 1);
        n = fread(in->text + len, 1, cap - len - 1, stdin);
        len += n;
    } while (n > 0);
    if (ferror(stdin))
        die("cannot read the input: %s", strerror(errno));
    in->text[len] = '\0';
    if (memchr(in->text, '\0', len) != NULL)
        die("malformed input: a NUL byte");
    if (len == 0)
        die("empty input: expected noweb's pipeline "
            "(markup | finduses | noidx)");

    size_t lcap = 0;

    in->lines = NULL;
    in->nlines = 0;
    for (char *p = in->text; *p != '\0';) {
        char *nl = strchr(p, '\n');

        in->lines = grow(in->lines, &lcap, in->nlines + 1,
                         sizeof *in->lines);
        in->lines[in->nlines++] = p;
        if (nl == NULL)
            break;
        *nl = '\0';
        p = nl + 1;
    }
}

/* If line starts with keyword followed by a space or its end, return what
   follows the space (or ""), else NULL. */
static const char *keyword(const char *line, const char *kw)
{
    size_t n = strlen(kw);

    if (strncmp(line, kw, n) != 0)
        return NULL;
    if (line[n] == '\0')
        return line + n;
    if (line[n] == ' ')
        return line + n + 1;
    return NULL;
}

/* Split "LABEL REST" into the label (NUL-terminated in place) and REST. */
static const char *split_label(char *arg, const char **rest, const char *what,
                               size_t lineno)
{
    char *sp = strchr(arg, ' ');

    if (*arg == '\0' || sp == NULL || sp[1] == '\0')
        die("malformed input: line %zu: '%s' needs a label and a name",
            lineno, what);
    *sp = '\0';
    *rest = sp + 1;
    return arg;
}

/* ----------------------------------------------------------- the parser */

struct parser {
    size_t lineno;              /* in the pipeline, for messages */
    const char *file;           /* @file */
    long srcline;               /* line in file, counted from @nl */
    enum { OUTSIDE, IN_DOCS, IN_CODE } state;
    struct chunk *chunk;
    bool in_quote;
    bool seen_defn;
    bool new_file;              /* @file seen, no block since */
    const char *ref;            /* the pending @xref ref */
    struct name_entry *entry;   /* in @xref beginchunks */
    struct ident_entry *ident;  /* in @index beginindex */
    bool in_chunks, in_index, in_uses_list;
    struct strv isdefined;      /* the pending @index isdefined labels */
    size_t undefined;           /* count of undefined chunk uses */
};

_Noreturn static void malformed(const struct parser *p, const char *line,
                                const char *why)
{
    die("malformed input: line %zu: %s: '%s'", p->lineno, why, line);
}

static void begin_block(struct parser *p, bool code)
{
    doc.blocks = grow(doc.blocks, &doc.blockcap, doc.nblocks + 1,
                      sizeof *doc.blocks);
    doc.blocks[doc.nblocks++] =
        (struct block){.code = code, .first = doc.nsegs, .end = doc.nsegs,
                       .file_start = p->new_file};
    p->new_file = false;
    p->chunk = NULL;
    p->seen_defn = false;
    p->in_quote = false;
    p->ref = NULL;
    p->state = code ? IN_CODE : IN_DOCS;
    if (code) {
        struct chunk *c = xrealloc(NULL, sizeof *c);

        *c = (struct chunk){.file = p->file, .number = doc.nchunks + 1};
        doc.chunks = grow(doc.chunks, &doc.chunkcap, doc.nchunks + 1,
                          sizeof *doc.chunks);
        doc.chunks[doc.nchunks++] = c;
        p->chunk = c;
    }
}

static void end_block(struct parser *p, const char *line)
{
    struct block *b = &doc.blocks[doc.nblocks - 1];

    if (p->in_quote)
        malformed(p, line, "@end inside quoted code");
    if (b->code && !p->seen_defn)
        malformed(p, line, "code chunk without @defn");
    b->end = doc.nsegs;
    b->chunk = p->chunk;
    p->state = OUTSIDE;
}

static void parse_xref(struct parser *p, char *arg, const char *line)
{
    const char *v;

    if ((v = keyword(arg, "label")) != NULL) {
        if (p->state == IN_CODE && !p->seen_defn)
            p->chunk->label = v;
    } else if ((v = keyword(arg, "ref")) != NULL) {
        p->ref = v;
    } else if (keyword(arg, "beginchunks") != NULL) {
        p->in_chunks = true;
    } else if (keyword(arg, "endchunks") != NULL) {
        p->in_chunks = false;
        p->entry = NULL;
    } else if ((v = keyword(arg, "chunkbegin")) != NULL) {
        const char *name;

        if (!p->in_chunks)
            malformed(p, line, "chunkbegin outside beginchunks");
        split_label(arg + (v - arg), &name, "chunkbegin",
                    p->lineno);
        doc.names = grow(doc.names, &doc.namecap, doc.nnames + 1,
                         sizeof *doc.names);
        p->entry = &doc.names[doc.nnames++];
        *p->entry = (struct name_entry){.name = name};
    } else if ((v = keyword(arg, "chunkdefn")) != NULL) {
        if (p->entry == NULL)
            malformed(p, line, "chunkdefn outside chunkbegin");
        strv_add(&p->entry->defs, v);
    } else if ((v = keyword(arg, "chunkuse")) != NULL) {
        if (p->entry == NULL)
            malformed(p, line, "chunkuse outside chunkbegin");
        if (!strv_has(&p->entry->uses, v))
            strv_add(&p->entry->uses, v);
    } else if (keyword(arg, "chunkend") != NULL) {
        p->entry = NULL;
    }
    /* Others (nextdef, prevdef, begindefs, defitem, beginuses, useitem,
       tag, ...) repeat what the chunk index says: ignored. */
}

static void parse_index(struct parser *p, char *arg, const char *line)
{
    const char *v;

    if ((v = keyword(arg, "defn")) != NULL ||
        (v = keyword(arg, "localdefn")) != NULL) {
        if (p->state == IN_CODE && !strv_has(&p->chunk->defines, v))
            strv_add(&p->chunk->defines, v);
    } else if ((v = keyword(arg, "nl")) != NULL) {
        p->srcline++;
    } else if (keyword(arg, "beginuses") != NULL) {
        p->in_uses_list = true;
        p->isdefined.n = 0;
    } else if ((v = keyword(arg, "isdefined")) != NULL) {
        if (p->in_uses_list)
            strv_add(&p->isdefined, v);
    } else if ((v = keyword(arg, "useitem")) != NULL) {
        if (p->in_uses_list && p->state == IN_CODE &&
            !strv_has(&p->chunk->ident_uses, v)) {
            strv_add(&p->chunk->ident_uses, v);
            strv_add(&p->chunk->ident_refs,
                     p->isdefined.n ? p->isdefined.v[0] : NULL);
        }
        p->isdefined.n = 0;
    } else if (keyword(arg, "enduses") != NULL) {
        p->in_uses_list = false;
    } else if (keyword(arg, "beginindex") != NULL) {
        p->in_index = true;
    } else if (keyword(arg, "endindex") != NULL) {
        p->in_index = false;
        p->ident = NULL;
    } else if ((v = keyword(arg, "entrybegin")) != NULL) {
        const char *ident;

        if (!p->in_index)
            malformed(p, line, "entrybegin outside beginindex");
        split_label(arg + (v - arg), &ident, "entrybegin",
                    p->lineno);
        doc.idents = grow(doc.idents, &doc.identcap, doc.nidents + 1,
                          sizeof *doc.idents);
        p->ident = &doc.idents[doc.nidents++];
        *p->ident = (struct ident_entry){.ident = ident};
    } else if ((v = keyword(arg, "entrydefn")) != NULL) {
        if (p->ident == NULL)
            malformed(p, line, "entrydefn outside entrybegin");
        if (!strv_has(&p->ident->defs, v))
            strv_add(&p->ident->defs, v);
    } else if ((v = keyword(arg, "entryuse")) != NULL) {
        if (p->ident == NULL)
            malformed(p, line, "entryuse outside entrybegin");
        if (!strv_has(&p->ident->uses, v))
            strv_add(&p->ident->uses, v);
    } else if (keyword(arg, "entryend") != NULL) {
        p->ident = NULL;
    }
    /* Others (use, begindefs, isused, defitem, enddefs, ...): ignored. */
}

static void parse_use(struct parser *p, const char *name, const char *line)
{
    struct chunk *c = p->chunk;

    if (p->state == OUTSIDE)
        malformed(p, line, "@use outside a chunk");
    if (p->ref == NULL)
        die("line %zu: no @xref ref before '@use %s': run noidx before "
            "nw2md (markup | finduses | noidx | nw2md)", p->lineno, name);
    if (strcmp(p->ref, "nw@notdef") == 0) {
        message("%s:%ld: chunk <<%s>> is used but never defined%s%s%s",
                p->file ? p->file : "(stdin)", p->srcline, name,
                c ? " (in <<" : "", c ? c->name : "", c ? ">>)" : "");
        p->undefined++;
    }
    add_seg(SEG_USE, name, p->ref);
    if (c != NULL && !strv_has(&c->uses, name)) {
        strv_add(&c->uses, name);
        strv_add(&c->use_refs, p->ref);
    }
    p->ref = NULL;
}

static void parse_line(struct parser *p, char *line)
{
    const char *v;

    if (line[0] != '@')
        malformed(p, line, "a line must start with '@'");
    if ((v = keyword(line, "@text")) != NULL) {
        if (p->state == OUTSIDE)
            malformed(p, line, "@text outside a chunk");
        if (p->state == IN_CODE && !p->seen_defn)
            malformed(p, line, "@text before @defn");
        add_seg(SEG_TEXT, v, NULL);
    } else if (keyword(line, "@nl") != NULL) {
        p->srcline++;
        if (p->state == IN_CODE && !p->seen_defn)
            malformed(p, line, "@nl before @defn");
        if (p->state != OUTSIDE)
            add_seg(SEG_NL, NULL, NULL);
    } else if ((v = keyword(line, "@fatal")) != NULL) {
        die("an earlier stage of the pipeline failed: %s",
            *v ? v : "(no message)");
    } else if ((v = keyword(line, "@file")) != NULL) {
        if (p->state != OUTSIDE)
            malformed(p, line, "@file inside a chunk");
        p->file = v;
        p->srcline = 1;
        p->new_file = true;
    } else if ((v = keyword(line, "@begin")) != NULL) {
        if (p->state != OUTSIDE)
            malformed(p, line, "@begin inside a chunk");
        if (keyword(v, "docs") != NULL)
            begin_block(p, false);
        else if (keyword(v, "code") != NULL)
            begin_block(p, true);
        else
            malformed(p, line, "@begin of an unknown kind");
    } else if ((v = keyword(line, "@end")) != NULL) {
        if (p->state == OUTSIDE ||
            (keyword(v, "code") != NULL) != (p->state == IN_CODE) ||
            (keyword(v, "docs") != NULL) != (p->state == IN_DOCS))
            malformed(p, line, "@end does not match its @begin");
        end_block(p, line);
    } else if ((v = keyword(line, "@defn")) != NULL) {
        if (p->state != IN_CODE || p->seen_defn)
            malformed(p, line, "@defn outside a code chunk");
        if (p->chunk->label == NULL)
            die("line %zu: no @xref label before '@defn %s': run noidx "
                "before nw2md (markup | finduses | noidx | nw2md)",
                p->lineno, v);
        p->chunk->name = v;
        p->chunk->line = p->srcline;
        p->seen_defn = true;
        p->ref = NULL;
    } else if ((v = keyword(line, "@use")) != NULL) {
        parse_use(p, v, line);
    } else if (keyword(line, "@quote") != NULL) {
        if (p->state != IN_DOCS || p->in_quote)
            malformed(p, line, "@quote outside documentation");
        p->in_quote = true;
        add_seg(SEG_QUOTE, NULL, NULL);
    } else if (keyword(line, "@endquote") != NULL) {
        if (!p->in_quote)
            malformed(p, line, "@endquote without @quote");
        p->in_quote = false;
        add_seg(SEG_ENDQUOTE, NULL, NULL);
    } else if ((v = keyword(line, "@xref")) != NULL) {
        parse_xref(p, line + strlen("@xref "), line);
    } else if ((v = keyword(line, "@index")) != NULL) {
        parse_index(p, line + strlen("@index "), line);
    } else if (keyword(line, "@header") != NULL ||
               keyword(line, "@trailer") != NULL ||
               keyword(line, "@language") != NULL ||
               keyword(line, "@line") != NULL) {
        /* Said by noweave or other front ends: nothing to show. */
    } else {
        malformed(p, line, "unknown keyword");
    }
}

static void parse(struct input *in)
{
    struct parser p = {.srcline = 1, .state = OUTSIDE};

    /* An earlier stage's failure explains whatever else is wrong with
       its output: look for it first. */
    for (size_t i = 0; i < in->nlines; i++) {
        const char *v = keyword(in->lines[i], "@fatal");

        if (v != NULL)
            die("an earlier stage of the pipeline failed: %s",
                *v ? v : "(no message)");
    }
    for (size_t i = 0; i < in->nlines; i++) {
        p.lineno = i + 1;
        parse_line(&p, in->lines[i]);
    }
    if (p.state != OUTSIDE)
        die("malformed input: the input ends inside a chunk");
    free(p.isdefined.v);
    if (p.undefined > 0)
        die("%zu use%s", p.undefined,
            p.undefined == 1 ? " of an undefined chunk"
                             : "s of undefined chunks");
}

/* ------------------------------------------------- cross-reference data */

enum lang { LANG_C, LANG_PYTHON, LANG_BASH, LANG_NONE, LANG_GNUPLOT,
            NLANGS };

static const char *const lang_class[NLANGS] = {"c", "python", "bash", NULL,
                                               "gnuplot"};

static enum lang lang_of_root(const char *name)
{
    const char *dot = strrchr(name, '.');

    if (dot == NULL)
        return LANG_C;
    dot++;
    if (strcmp(dot, "py") == 0)
        return LANG_PYTHON;
    if (strcmp(dot, "sh") == 0 || strcmp(dot, "bash") == 0)
        return LANG_BASH;
    if (strcmp(dot, "gnuplot") == 0 || strcmp(dot, "gp") == 0 ||
        strcmp(dot, "plt") == 0)
        return LANG_GNUPLOT;
    if (strcmp(dot, "txt") == 0 || strcmp(dot, "md") == 0 ||
        strcmp(dot, "csv") == 0)
        return LANG_NONE;
    return LANG_C;
}

/* Mark every chunk name reachable from entry with language bit. */
static void spread_lang(struct name_entry *e, unsigned bit)
{
    if (e->visited)
        return;
    e->visited = true;
    e->langs |= bit;
    for (size_t d = 0; d < e->defs.n; d++) {
        struct chunk *c = chunk_by_label(e->defs.v[d]);

        if (c == NULL)
            continue;
        for (size_t u = 0; u < c->uses.n; u++) {
            struct name_entry *f = entry_by_name(c->uses.v[u]);

            if (f != NULL)
                spread_lang(f, bit);
        }
    }
}

static void link_model(void)
{
    doc.by_label = xrealloc(NULL, doc.nchunks * sizeof *doc.by_label);
    memcpy(doc.by_label, doc.chunks, doc.nchunks * sizeof *doc.by_label);
    qsort(doc.by_label, doc.nchunks, sizeof *doc.by_label,
          cmp_chunk_label);
    for (size_t i = 1; i < doc.nchunks; i++)
        if (strcmp(doc.by_label[i - 1]->label, doc.by_label[i]->label) == 0)
            die("malformed input: two chunks have the label %s",
                doc.by_label[i]->label);

    doc.by_name = xrealloc(NULL, doc.nnames * sizeof *doc.by_name);
    for (size_t i = 0; i < doc.nnames; i++)
        doc.by_name[i] = &doc.names[i];
    qsort(doc.by_name, doc.nnames, sizeof *doc.by_name, cmp_name_entry);

    for (size_t i = 0; i < doc.nchunks; i++) {
        struct chunk *c = doc.chunks[i];

        c->entry = entry_by_name(c->name);
        if (c->entry == NULL)
            die("chunk <<%s>> (%s:%ld) is missing from noidx's chunk list: "
                "run noidx before nw2md", c->name, c->file, c->line);
    }

    /* Languages: spread from each root, one root at a time. */
    for (size_t i = 0; i < doc.nnames; i++) {
        struct name_entry *root = &doc.names[i];

        if (root->uses.n != 0)
            continue;
        for (size_t j = 0; j < doc.nnames; j++)
            doc.names[j].visited = false;
        spread_lang(root, 1u << lang_of_root(root->name));
    }
}

static const char *lang_of_chunk(const struct chunk *c)
{
    unsigned langs = c->entry->langs;

    for (int l = 0; l < NLANGS; l++)
        if (langs == 1u << l)
            return lang_class[l];
    return lang_class[LANG_C];
}

/* ------------------------------------------------------------ the writer */

/* A link to a chunk: [⟨name⟩ 12](#label), or only the number. */
static void add_chunk_link(struct buf *b, const char *label, bool with_name)
{
    const struct chunk *c = chunk_by_label(label);

    if (c == NULL)
        die("malformed input: no chunk has the label %s", label);
    buf_add(b, "[");
    if (with_name) {
        buf_add(b, "⟨");
        add_md_name(b, c->name);
        buf_add(b, "⟩ ");
    }
    buf_printf(b, "%zu](#", c->number);
    add_label_id(b, label);
    buf_add(b, ")");
}

/* The list of links to chunks with the given labels, unknown ones (uses
   in documentation) left out.  Returns how many were written. */
static size_t add_chunk_links(struct buf *b, const struct strv *labels,
                              bool with_name)
{
    size_t written = 0;

    for (size_t i = 0; i < labels->n; i++) {
        if (chunk_by_label(labels->v[i]) == NULL)
            continue;
        if (written++ > 0)
            buf_add(b, ", ");
        add_chunk_link(b, labels->v[i], with_name);
    }
    return written;
}

static void add_ident_link(struct buf *b, const char *ident,
                           const char *label)
{
    buf_add(b, "[");
    add_md_code(b, ident, strlen(ident));
    buf_add(b, "](#");
    if (label != NULL && chunk_by_label(label) != NULL)
        add_label_id(b, label);
    else
        add_ident_id(b, ident);
    buf_add(b, ")");
}

/* The header line: [[**12**]{.chunk-number} ⟨name⟩ ≡]{#label .chunk-name} */
static void write_header(const struct chunk *c)
{
    struct buf b = {0};
    const struct strv *defs = &c->entry->defs;
    bool continued = defs->n > 0 && strcmp(defs->v[0], c->label) != 0;

    buf_printf(&b, "[[**%zu**]{.chunk-number} ⟨", c->number);
    add_md_name(&b, c->name);
    buf_add(&b, continued ? "⟩ +≡]{#" : "⟩ ≡]{#");
    add_label_id(&b, c->label);
    /* Keep the name on the page of its code (LaTeX only). */
    buf_add(&b, " .chunk-name}`\\nopagebreak`{=latex}\n\n");
    outb(&b);
    free(b.p);
}

/* Longest run of backticks in a code chunk's text. */
static size_t longest_backticks(const struct block *bl)
{
    size_t longest = 0;

    for (size_t i = bl->first; i < bl->end; i++) {
        const struct seg *s = &doc.segs[i];
        size_t run = 0;

        if (s->kind != SEG_TEXT)
            continue;
        for (const char *q = s->s; *q; q++) {
            run = *q == '`' ? run + 1 : 0;
            if (run > longest)
                longest = run;
        }
    }
    return longest;
}

/* Append text, expanding tabs to 8 columns; *col is the column. */
static void add_code_text(struct buf *b, const char *s, size_t *col)
{
    for (; *s; s++) {
        if (*s == '\t') {
            do
                buf_addc(b, ' ');
            while (++*col % 8 != 0);
        } else {
            buf_addc(b, *s);
            /* Count UTF-8 lead bytes only, so columns are characters. */
            if (((unsigned char)*s & 0xC0) != 0x80)
                ++*col;
        }
    }
}

/* The code lines after the header line; false if all are blank. */
static bool render_code(const struct block *bl, struct buf *code)
{
    size_t col = 0, i = bl->first;
    bool blank = true;

    /* Skip the header line: everything up to the first SEG_NL. */
    while (i < bl->end && doc.segs[i].kind != SEG_NL)
        i++;
    for (i++; i < bl->end; i++) {
        const struct seg *s = &doc.segs[i];

        switch (s->kind) {
        case SEG_TEXT:
            add_code_text(code, s->s, &col);
            if (s->s[strspn(s->s, " \t")] != '\0')
                blank = false;
            break;
        case SEG_USE: {
            struct buf nb = {0};

            buf_add(&nb, "⟨");
            add_plain_name(&nb, s->s);
            buf_add(&nb, "⟩");
            add_code_text(code, nb.p, &col);
            free(nb.p);
            blank = false;
            break;
        }
        case SEG_NL:
            buf_addc(code, '\n');
            col = 0;
            break;
        case SEG_QUOTE:
        case SEG_ENDQUOTE:
            break;
        }
    }
    if (code->len > 0 && code->p[code->len - 1] != '\n')
        buf_addc(code, '\n');
    return !blank;
}

static void write_code_block(const struct block *bl, const struct buf *code)
{
    struct buf fence = {0};
    size_t n = longest_backticks(bl) + 1;
    const char *lang = lang_of_chunk(bl->chunk);

    for (size_t i = 0; i < (n < 3 ? 3 : n); i++)
        buf_addc(&fence, '`');
    outb(&fence);
    if (lang != NULL) {
        outs(" {.");
        outs(lang);
        outs(" .chunk-code}\n");
    } else {
        outs(" {.chunk-code}\n");
    }
    outb(code);
    outb(&fence);
    outs("\n\n");
    free(fence.p);
}

/* The lines under the code: Defines, Uses, Used in, Continued. */
static void write_xref(const struct chunk *c, bool empty)
{
    struct buf b = {0};
    size_t lines = 0;
    const struct strv *defs = &c->entry->defs;
    size_t me = 0;

    while (me < defs->n && strcmp(defs->v[me], c->label) != 0)
        me++;
#define NEXT_LINE() (lines++ > 0 ? buf_add(&b, "\\\n") : (void)0)
    if (empty) {
        NEXT_LINE();
        buf_add(&b, "This chunk is empty.");
    }
    if (c->defines.n > 0) {
        NEXT_LINE();
        buf_add(&b, "Defines ");
        for (size_t i = 0; i < c->defines.n; i++) {
            if (i > 0)
                buf_add(&b, ", ");
            add_ident_link(&b, c->defines.v[i], NULL);
        }
        buf_add(&b, ".");
    }
    if (c->uses.n > 0 || c->ident_uses.n > 0) {
        NEXT_LINE();
        buf_add(&b, "Uses ");
        for (size_t i = 0; i < c->uses.n; i++) {
            if (i > 0)
                buf_add(&b, ", ");
            add_chunk_link(&b, c->use_refs.v[i], true);
        }
        for (size_t i = 0; i < c->ident_uses.n; i++) {
            if (i > 0 || c->uses.n > 0)
                buf_add(&b, ", ");
            add_ident_link(&b, c->ident_uses.v[i], c->ident_refs.v[i]);
        }
        buf_add(&b, ".");
    }
    if (me == 0) {
        NEXT_LINE();
        size_t mark = b.len;

        buf_add(&b, "Used in ");
        if (add_chunk_links(&b, &c->entry->uses, true) > 0) {
            buf_add(&b, ".");
        } else {
            b.len = mark;
            b.p[mark] = '\0';
            buf_add(&b, "Root chunk (the file ");
            add_md_code(&b, c->name, strlen(c->name));
            buf_add(&b, ").");
        }
    }
    if (me > 0 && me < defs->n) {
        NEXT_LINE();
        buf_add(&b, "Continued from ");
        add_chunk_link(&b, defs->v[me - 1], false);
        buf_add(&b, ".");
    }
    if (me + 1 < defs->n) {
        NEXT_LINE();
        buf_add(&b, "Continued in ");
        add_chunk_link(&b, defs->v[me + 1], false);
        buf_add(&b, ".");
    }
#undef NEXT_LINE
    /* In LaTeX the lines are set small; HTML drops the raw blocks and
       leaves the look to the style sheet (class chunk-xref). */
    if (lines > 0) {
        outs("::: {.chunk-xref}\n"
             "```{=latex}\n\\begingroup\\small\n```\n\n");
        outb(&b);
        outs("\n\n```{=latex}\n\\par\\endgroup\n```\n:::\n");
    }
    free(b.p);
}

/* In LaTeX, start a new page before a chunk's header when fewer than six
   lines are left on this one, so that a header never ends a page apart
   from its code.  These are the primitives of the needspace package (by
   Peter Wilson), written out so that the book needs no extra package: if
   six lines do not fit, the page must break, and the cheapest place is the
   penalty of -100 before the header. */
static const char need_space[] =
    "```{=latex}\n"
    "\\par\\vskip 0pt plus 6\\baselineskip\\penalty-100"
    "\\vskip 0pt plus -6\\baselineskip\n"
    "\\vskip 6\\baselineskip\\penalty9999\\vskip -6\\baselineskip"
    "\\vskip 0pt\n"
    "```\n\n";

static void write_code(const struct block *bl)
{
    const struct chunk *c = bl->chunk;
    struct buf code = {0};
    bool empty = !render_code(bl, &code);

    blank_line();
    outs(":::: {.chunk}\n");
    outs(need_space);
    write_header(c);
    if (!empty)
        write_code_block(bl, &code);
    write_xref(c, empty);
    outs("::::\n\n");
    free(code.p);
}

/* Documentation passes through as it is, with two exceptions.  [[code]]
   becomes inline code (or a link, if it is only a chunk use), except
   inside a fenced code block or a backtick code span of the documentation
   itself, where it is written back as the author typed it.  And "<<",
   which can only come from an author's "@<<", is written "\<\<" outside
   code: pandoc would take "<<name>>" for "<" followed by an HTML tag and
   drop the tag. */
struct docs_state {
    char fence_char;        /* '`' or '~' inside a fenced block, else 0 */
    size_t fence_len;
};

/* Is line a code fence: indentation, then 3 or more backticks or
   tildes?  Returns its length (0 if not) and sets *ch and *only (nothing
   but spaces follows the fence). */
static size_t fence_of(const char *line, char *ch, bool *only)
{
    size_t n = 0, rest;

    line += strspn(line, " ");
    if (*line != '`' && *line != '~')
        return 0;
    *ch = *line;
    while (line[n] == *ch)
        n++;
    rest = n + strspn(line + n, " ");
    *only = line[rest] == '\0' || line[rest] == '\n';
    return n >= 3 ? n : 0;
}

/* Length of the run of backticks at s. */
static size_t backtick_run(const char *s)
{
    size_t n = 0;

    while (s[n] == '`')
        n++;
    return n;
}

/* Where the code span opened by a run of n backticks at s closes: the
   next run of exactly n backticks, or NULL. */
static const char *span_end(const char *s, size_t n)
{
    for (const char *q = s + n; *q; ) {
        size_t m = backtick_run(q);

        if (m == n)
            return q;
        q += m ? m : 1;
    }
    return NULL;
}

/* Does a backtick code span stay open at the end of s? */
static bool in_code_span(const char *s)
{
    while (*s) {
        size_t n = backtick_run(s);
        const char *close;

        if (n == 0) {
            s += *s == '\\' && s[1] ? 2 : 1;
            continue;
        }
        close = span_end(s, n);
        if (close == NULL)
            return true;
        s = close + n;
    }
    return false;
}

/* Append line to out with "<<" escaped outside code spans. */
static void add_escaped_angles(struct buf *out, const char *s)
{
    while (*s) {
        size_t n = backtick_run(s);

        if (n > 0) {
            const char *close = span_end(s, n);
            size_t len = close ? (size_t)(close - s) + n : n;

            buf_addn(out, s, len);
            s += len;
        } else if (*s == '\\' && s[1] != '\0') {
            buf_addn(out, s, 2);
            s += 2;
        } else if (s[0] == '<' && s[1] == '<') {
            buf_add(out, "\\<\\<");
            s += 2;
        } else {
            buf_addc(out, *s++);
        }
    }
}

static void flush_docs_line(struct docs_state *st, struct buf *line,
                            struct buf *tmp)
{
    char ch = 0;
    bool only = false;
    size_t n;

    if (line->len == 0)
        return;
    n = fence_of(line->p, &ch, &only);
    if (st->fence_char != 0) {
        outb(line);
        if (n >= st->fence_len && ch == st->fence_char && only)
            st->fence_char = 0;
    } else if (n > 0) {
        outb(line);
        st->fence_char = ch;
        st->fence_len = n;
    } else {
        tmp->len = 0;
        add_escaped_angles(tmp, line->p);
        outb(tmp);
    }
    line->len = 0;
    line->p[0] = '\0';
}

static void write_docs(const struct block *bl, struct docs_state *st)
{
    struct buf line = {0}, quote = {0}, tmp = {0};
    bool in_quote = false, other = false;
    const struct seg *use = NULL;   /* the one chunk use in a quote */

    for (size_t i = bl->first; i < bl->end; i++) {
        const struct seg *s = &doc.segs[i];
        struct buf *to = in_quote ? &quote : &line;

        switch (s->kind) {
        case SEG_TEXT:
            buf_add(to, s->s);
            if (s->s[strspn(s->s, " ")] != '\0')
                other = true;
            break;
        case SEG_USE:
            if (use != NULL)
                other = true;
            use = s;
            buf_add(to, "⟨");
            add_plain_name(to, s->s);
            buf_add(to, "⟩");
            break;
        case SEG_NL:
            buf_addc(to, '\n');
            other = true;
            if (!in_quote)
                flush_docs_line(st, &line, &tmp);
            break;
        case SEG_QUOTE:
            in_quote = true;
            quote.len = 0;
            buf_add(&quote, "");
            use = NULL;
            other = false;
            break;
        case SEG_ENDQUOTE:
            in_quote = false;
            if (st->fence_char != 0 || in_code_span(line.p ? line.p : "")) {
                buf_add(&line, "[[");
                buf_add(&line, quote.p);
                buf_add(&line, "]]");
            } else if (use != NULL && !other &&
                       chunk_by_label(use->ref) != NULL) {
                add_chunk_link(&line, use->ref, true);
            } else {
                add_md_code(&line, quote.p, quote.len);
            }
            break;
        }
    }
    flush_docs_line(st, &line, &tmp);
    free(line.p);
    free(quote.p);
    free(tmp.p);
}

/* ------------------------------------------------------------ the index */

static void write_chunk_index(void)
{
    struct buf b = {0};

    outs("## Chunks {.unnumbered}\n\n::: {.nw-index}\n");
    for (size_t i = 0; i < doc.nnames; i++) {
        const struct name_entry *e = &doc.names[i];

        b.len = 0;
        buf_add(&b, "- ⟨");
        add_md_name(&b, e->name);
        buf_add(&b, "⟩: ");
        if (e->defs.n > 0) {
            buf_add(&b, "defined in ");
            add_chunk_links(&b, &e->defs, false);
        }
        if (e->uses.n > 0) {
            buf_add(&b, "; used in ");
            add_chunk_links(&b, &e->uses, false);
        } else {
            buf_add(&b, "; root");
        }
        buf_add(&b, ".\n");
        outb(&b);
    }
    if (doc.nnames == 0)
        outs("- No chunks.\n");
    outs(":::\n\n");
    free(b.p);
}

static void write_ident_index(void)
{
    struct buf b = {0};

    outs("## Identifiers {.unnumbered}\n\n::: {.nw-index}\n");
    for (size_t i = 0; i < doc.nidents; i++) {
        const struct ident_entry *e = &doc.idents[i];

        b.len = 0;
        buf_add(&b, "- [");
        add_md_code(&b, e->ident, strlen(e->ident));
        buf_add(&b, "]{#");
        add_ident_id(&b, e->ident);
        buf_add(&b, "}: ");
        buf_add(&b, "defined in ");
        if (add_chunk_links(&b, &e->defs, false) == 0)
            buf_add(&b, "no code chunk");
        if (e->uses.n > 0) {
            size_t mark = b.len;

            buf_add(&b, "; used in ");
            if (add_chunk_links(&b, &e->uses, false) == 0) {
                b.len = mark;
                b.p[mark] = '\0';
            }
        }
        buf_add(&b, ".\n");
        outb(&b);
    }
    if (doc.nidents == 0)
        outs("- No identifiers.\n");
    outs(":::\n");
    free(b.p);
}

/* ------------------------------------------------------------- cleanup */

static void free_model(struct input *in)
{
    for (size_t i = 0; i < doc.nchunks; i++) {
        struct chunk *c = doc.chunks[i];

        free(c->defines.v);
        free(c->uses.v);
        free(c->use_refs.v);
        free(c->ident_uses.v);
        free(c->ident_refs.v);
        free(c);
    }
    for (size_t i = 0; i < doc.nnames; i++) {
        free(doc.names[i].defs.v);
        free(doc.names[i].uses.v);
    }
    for (size_t i = 0; i < doc.nidents; i++) {
        free(doc.idents[i].defs.v);
        free(doc.idents[i].uses.v);
    }
    free(doc.chunks);
    free(doc.by_label);
    free(doc.names);
    free(doc.by_name);
    free(doc.idents);
    free(doc.segs);
    free(doc.blocks);
    free(in->lines);
    free(in->text);
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: %s < pipeline > book.md\n"
            "Reads noweb's pipeline (markup FILES | finduses | noidx) and "
            "writes\nPandoc Markdown: documentation as it is, code chunks "
            "with cross-references,\nthen an index of chunks and "
            "identifiers.\n",
            progname);
}

int main(int argc, char **argv)
{
    struct input in;
    struct docs_state st = {0};

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, "%s: unknown argument '%s'\n", progname, argv[1]);
        usage(stderr);
        return 2;
    }
    read_input(&in);
    parse(&in);
    link_model();
    for (size_t i = 0; i < doc.nblocks; i++) {
        /* A file may end without a blank line; the next file's first
           heading must still start a paragraph of its own. */
        if (doc.blocks[i].file_start && i > 0)
            blank_line();
        if (doc.blocks[i].code)
            write_code(&doc.blocks[i]);
        else
            write_docs(&doc.blocks[i], &st);
    }
    blank_line();
    outs("# Index {.unnumbered}\n\n");
    write_chunk_index();
    write_ident_index();
    free_model(&in);
    if (fflush(stdout) != 0 || ferror(stdout))
        die("cannot write the output: %s", strerror(errno));
    return 0;
}
