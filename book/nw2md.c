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

static void add_ident_part(struct buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || *p == '_')
            buf_addc(b, (char)*p);
        else
            buf_printf(b, "-%02X", *p);
    }
}

/* The anchor of an identifier's index entry: NWIX-, the identifier, --
   and the file that defines it, letters, digits and '_' kept, any other
   byte written as -XX (NWIX-main--greet-2Ec). */
static void add_ident_id(struct buf *b, const char *ident, const char *owner)
{
    buf_add(b, "NWIX-");
    add_ident_part(b, ident);
    buf_add(b, "--");
    add_ident_part(b, owner);
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

/* A growable list of numbers. */
struct idxv {
    size_t *v;
    size_t n, cap;
};

static void idxv_add(struct idxv *iv, size_t x)
{
    for (size_t i = 0; i < iv->n; i++)
        if (iv->v[i] == x)
            return;
    iv->v = grow(iv->v, &iv->cap, iv->n + 1, sizeof *iv->v);
    iv->v[iv->n++] = x;
}

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
    const struct block *block;
    char *flat;              /* the code lines, a use written as \001 */
    long lines;              /* how many code lines */
    struct strv includes;    /* "x.h" of each #include "x.h" */
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
    struct idxv rootv;       /* numbers of the roots reaching it */
    size_t root_no;          /* 1 + its number if it is a root, else 0 */
};

struct root {                /* a root chunk: a file */
    struct name_entry *e;
    struct strv includes;    /* the files its code #includes "..." */
    bool *scope;             /* by root number: the roots it can see */
};

struct def {                 /* an identifier defined in a chunk */
    const char *ident;
    struct chunk *chunk;
};

struct ientry {              /* an entry of the identifier index: one */
    const char *ident;       /* identifier as defined in one file */
    const char *owner;       /* the root (file) of its definition */
    struct strv defs, uses;  /* chunk labels */
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
    struct root *roots;          /* the root chunks: files */
    size_t nroots, rootcap;
    struct def *defs;            /* every definition, sorted */
    size_t ndefs, defcap;
    struct ientry *ientries;     /* the identifier index, sorted */
    size_t nientries, ientrycap;
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
        /* finduses matches text, comments and strings included, and
           across programs: nw2md finds the uses itself (resolve_uses). */
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
static void spread_lang(struct name_entry *e, unsigned bit, size_t root)
{
    if (e->visited)
        return;
    e->visited = true;
    e->langs |= bit;
    idxv_add(&e->rootv, root);
    for (size_t d = 0; d < e->defs.n; d++) {
        struct chunk *c = chunk_by_label(e->defs.v[d]);

        if (c == NULL)
            continue;
        for (size_t u = 0; u < c->uses.n; u++) {
            struct name_entry *f = entry_by_name(c->uses.v[u]);

            if (f != NULL)
                spread_lang(f, bit, root);
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
        doc.roots = grow(doc.roots, &doc.rootcap, doc.nroots + 1,
                         sizeof *doc.roots);
        doc.roots[doc.nroots] = (struct root){.e = root};
        root->root_no = ++doc.nroots;
        for (size_t j = 0; j < doc.nnames; j++)
            doc.names[j].visited = false;
        spread_lang(root, 1u << lang_of_root(root->name), doc.nroots - 1);
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

/* -------------------------------------------- programs, scopes, uses */

static void add_code_text(struct buf *b, const char *s, size_t *col);

/* A program is a root file with the chunks that reach it.  An identifier
   used in a chunk is looked up in the chunk's own files first, then in
   the files they #include "..." (and, for a header x.h, the x.c that goes
   with it), never in another program: every program has its own main,
   options and worker. */

static char *xstrndup(const char *s, size_t n)
{
    char *p = xrealloc(NULL, n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static bool is_ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

static enum lang lang_enum_of_chunk(const struct chunk *c)
{
    unsigned langs = c->entry->langs;

    for (int l = 0; l < NLANGS; l++)
        if (langs == 1u << l)
            return (enum lang)l;
    return LANG_C;
}

static struct root *root_by_name(const char *name)
{
    struct name_entry *e = entry_by_name(name);

    return e != NULL && e->root_no > 0 ? &doc.roots[e->root_no - 1] : NULL;
}

/* The chunk's code as one string, each use of a chunk written \001. */
static void flatten(struct chunk *c)
{
    const struct block *bl = c->block;
    struct buf b = {0};
    size_t i = bl->first;

    buf_add(&b, "");
    while (i < bl->end && doc.segs[i].kind != SEG_NL)
        i++;
    for (i++; i < bl->end; i++) {
        const struct seg *s = &doc.segs[i];

        if (s->kind == SEG_TEXT)
            buf_add(&b, s->s);
        else if (s->kind == SEG_USE)
            buf_addc(&b, '\001');
        else if (s->kind == SEG_NL) {
            buf_addc(&b, '\n');
            c->lines++;
        }
    }
    c->flat = b.p;
}

/* #include "x.h" lines of the chunk. */
static void find_includes(struct chunk *c)
{
    for (const char *l = c->flat; *l; ) {
        const char *p = l + strspn(l, " ");
        const char *nl = strchr(l, '\n');

        if (*p == '#') {
            p += 1 + strspn(p + 1, " ");
            if (strncmp(p, "include", 7) == 0) {
                p += 7 + strspn(p + 7, " ");
                if (*p == '"') {
                    const char *q = strchr(p + 1, '"');

                    if (q != NULL && (nl == NULL || q < nl))
                        strv_add(&c->includes,
                                 xstrndup(p + 1, (size_t)(q - p - 1)));
                }
            }
        }
        if (nl == NULL)
            break;
        l = nl + 1;
    }
}

static const char *const c_not_functions[] = {
    "if", "while", "for", "switch", "return", "sizeof", "typedef",
    "void", "int", "char", "long", "short", "unsigned", "signed", "double",
    "float", "static", "const", "struct", "union", "enum", "extern",
    "inline", "bool", "_Static_assert", "do", "else", "case", NULL
};

static bool in_list(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && strncmp(*list, s, n) == 0)
            return true;
    return false;
}

/* A C function definition starts at column 0: "type name(params)" and,
   after the closing parenthesis, "{" (not ";").  Its name is a definition
   even without @ %def, so that every program's main is in the index. */
static void find_functions(struct chunk *c)
{
    for (const char *l = c->flat; *l; ) {
        const char *nl = strchr(l, '\n');
        const char *open = strchr(l, '(');

        if (is_ident_start(*l) && open != NULL &&
            (nl == NULL || open < nl) &&
            memchr(l, '=', (size_t)(open - l)) == NULL &&
            strncmp(l, "typedef", 7) != 0) {
            const char *e = open, *b;
            int depth = 0;
            const char *q;

            while (e > l && e[-1] == ' ')
                e--;
            b = e;
            while (b > l && is_ident_char(b[-1]))
                b--;
            for (q = open; *q; q++) {
                if (*q == '(')
                    depth++;
                else if (*q == ')' && --depth == 0)
                    break;
            }
            if (*q == ')') {
                q++;
                q += strspn(q, " \n");
            }
            if (b < e && is_ident_start(*b) && *q == '{' &&
                !in_list(c_not_functions, b, (size_t)(e - b))) {
                char *name = xstrndup(b, (size_t)(e - b));

                if (strv_has(&c->defines, name))
                    free(name);
                else
                    strv_add(&c->defines, name);
            }
        }
        if (nl == NULL)
            break;
        l = nl + 1;
    }
}

static int cmp_def(const void *a, const void *b)
{
    const struct def *x = a, *y = b;
    int d = strcmp(x->ident, y->ident);

    if (d != 0)
        return d;
    return x->chunk->number < y->chunk->number ? -1
         : x->chunk->number > y->chunk->number;
}

/* The root a definition belongs to, for the index: the first root that
   reaches its chunk. */
static const char *owner_of(const struct chunk *c)
{
    return c->entry->rootv.n > 0 ? doc.roots[c->entry->rootv.v[0]].e->name
                                 : "";
}

/* Case-insensitive first, as noidx sorts, then exact, then by file. */
static int cmp_ientry(const void *a, const void *b)
{
    const struct ientry *x = a, *y = b;
    int d;

    for (const char *p = x->ident, *q = y->ident; ; p++, q++) {
        int cp = *p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p;
        int cq = *q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q;

        if (cp != cq)
            return cp - cq;
        if (*p == '\0')
            break;
    }
    if ((d = strcmp(x->ident, y->ident)) != 0)
        return d;
    return strcmp(x->owner, y->owner);
}

static struct ientry *ientry_of(const char *ident, const char *owner)
{
    struct ientry key = {.ident = ident, .owner = owner};

    return bsearch(&key, doc.ientries, doc.nientries, sizeof key,
                   cmp_ientry);
}

/* The definition a use of ident in chunk c refers to, or NULL: one in a
   file that reaches c, else one in a file those files include. */
static const struct chunk *resolve(const struct chunk *c, const char *ident,
                                   size_t n)
{
    struct def key;
    const struct chunk *best = NULL;
    int best_rank = 3;
    char tmp[128];
    size_t lo = 0, hi = doc.ndefs;

    if (n >= sizeof tmp)
        return NULL;
    memcpy(tmp, ident, n);
    tmp[n] = '\0';
    if (strv_has(&c->defines, tmp))
        return NULL;
    key.ident = tmp;
    while (lo < hi) {           /* the first definition of tmp */
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(doc.defs[mid].ident, tmp) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < doc.ndefs && strcmp(doc.defs[i].ident,
                                                key.ident) == 0; i++) {
        const struct chunk *d = doc.defs[i].chunk;
        int rank = 3;

        for (size_t a = 0; a < d->entry->rootv.n; a++)
            for (size_t b = 0; b < c->entry->rootv.n; b++) {
                size_t dr = d->entry->rootv.v[a], cr = c->entry->rootv.v[b];

                if (dr == cr && rank > 0)
                    rank = 0;
                else if (doc.roots[cr].scope[dr] && rank > 1)
                    rank = 1;
            }
        if (rank < best_rank) {
            best_rank = rank;
            best = d;
        }
    }
    return best;
}

/* ------------------------------------------------------------ the lexer */

/* Enough of C, Python and shell to tell code from comments and strings
   (uses are only in code) and to colour the code in HTML with the classes
   of pandoc's highlighter (kw, cf, dt, co, st, ch, dv, pp). */
enum lex_state { LX_CODE, LX_BLOCK_COMMENT, LX_LINE_COMMENT, LX_STRING };

struct lexer {
    enum lang lang;
    enum lex_state st;
    char quote;                 /* in LX_STRING: the closing quote */
    bool line_start;            /* only spaces so far on this line */
    const struct chunk *c;
    struct buf *html;           /* NULL: only find the uses */
};

static const char *const c_control[] = {
    "break", "case", "continue", "default", "do", "else", "for", "goto",
    "if", "return", "switch", "while", NULL
};
static const char *const c_keywords[] = {
    "sizeof", "typedef", "static", "extern", "const", "volatile", "inline",
    "restrict", "struct", "union", "enum", "register", "auto", "_Noreturn",
    "_Atomic", "_Alignas", "_Alignof", "_Static_assert", "_Thread_local",
    "_Generic", NULL
};
static const char *const c_types[] = {
    "void", "char", "short", "int", "long", "float", "double", "signed",
    "unsigned", "bool", "_Bool", "size_t", "ssize_t", "int8_t", "int16_t",
    "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
    "uintptr_t", "intptr_t", "off_t", "pid_t", NULL
};
static const char *const py_keywords[] = {
    "def", "return", "if", "elif", "else", "for", "while", "in", "import",
    "from", "as", "class", "with", "try", "except", "finally", "raise",
    "not", "and", "or", "None", "True", "False", "lambda", "pass", "break",
    "continue", "yield", "async", "await", "is", "global", NULL
};
static const char *const sh_keywords[] = {
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do",
    "done", "case", "esac", "in", "function", "return", "local", "export",
    "set", "exit", "trap", "shift", "readonly", NULL
};

static void html_text(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': buf_add(b, "&amp;"); break;
        case '<': buf_add(b, "&lt;"); break;
        case '>': buf_add(b, "&gt;"); break;
        case '"': buf_add(b, "&quot;"); break;
        default: buf_addc(b, s[i]);
        }
    }
}

/* The rest of a string or character literal, from p[len] on (p is at
   column i of a line of n bytes): its length up to and with the closing
   quote, if the line has it, and then the lexer is back in code. */
static size_t lx_string_end(struct lexer *lx, const char *p, size_t len,
                            size_t i, size_t n)
{
    while (i + len < n && p[len] != lx->quote) {
        if (p[len] == '\\' && i + len + 1 < n && lx->lang != LANG_BASH)
            len++;
        len++;
    }
    if (i + len < n) {
        len++;
        lx->st = LX_CODE;
    }
    return len;
}

static void lx_span(struct lexer *lx, const char *cls, const char *s,
                    size_t n)
{
    if (lx->html == NULL)
        return;
    buf_add(lx->html, "<span class=\"");
    buf_add(lx->html, cls);
    buf_add(lx->html, "\">");
    html_text(lx->html, s, n);
    buf_add(lx->html, "</span>");
}

static void lx_plain(struct lexer *lx, const char *s, size_t n)
{
    if (lx->html != NULL)
        html_text(lx->html, s, n);
}

/* Of the files that hold definition d, the one chunk c sees: its own,
   else one it includes. */
static const char *owner_seen_by(const struct chunk *d, const struct chunk *c)
{
    const char *seen = owner_of(d);

    for (size_t a = d->entry->rootv.n; a-- > 0; )
        for (size_t b = 0; b < c->entry->rootv.n; b++) {
            size_t dr = d->entry->rootv.v[a], cr = c->entry->rootv.v[b];

            if (dr == cr)
                return doc.roots[dr].e->name;
            if (doc.roots[cr].scope[dr])
                seen = doc.roots[dr].e->name;
        }
    return seen;
}

static void add_use(struct chunk *c, const char *ident, size_t n,
                    const struct chunk *d)
{
    char *name = xstrndup(ident, n);
    struct ientry *ie;

    if (strv_has(&c->ident_uses, name)) {
        free(name);
        return;
    }
    strv_add(&c->ident_uses, name);
    strv_add(&c->ident_refs, d->label);
    ie = ientry_of(name, owner_seen_by(d, c));
    if (ie != NULL && !strv_has(&ie->uses, c->label))
        strv_add(&ie->uses, c->label);
}

static void lx_ident(struct lexer *lx, const char *s, size_t n)
{
    const char *const *kw = NULL, *const *ctl = NULL, *const *ty = NULL;
    const struct chunk *d;

    if (lx->lang == LANG_C) {
        kw = c_keywords;
        ctl = c_control;
        ty = c_types;
    } else if (lx->lang == LANG_PYTHON) {
        kw = py_keywords;
    } else if (lx->lang == LANG_BASH) {
        kw = sh_keywords;
    }
    if (ctl != NULL && in_list(ctl, s, n)) {
        lx_span(lx, "cf", s, n);
        return;
    }
    if (kw != NULL && in_list(kw, s, n)) {
        lx_span(lx, "kw", s, n);
        return;
    }
    if (ty != NULL && in_list(ty, s, n)) {
        lx_span(lx, "dt", s, n);
        return;
    }
    d = resolve(lx->c, s, n);
    if (d == NULL) {
        lx_plain(lx, s, n);
    } else if (lx->html == NULL) {
        add_use((struct chunk *)lx->c, s, n, d);
    } else {
        buf_add(lx->html, "<a class=\"nw-id\" href=\"#");
        add_label_id(lx->html, d->label);
        buf_add(lx->html, "\">");
        html_text(lx->html, s, n);
        buf_add(lx->html, "</a>");
    }
}

/* Lex the text s (no newline inside) in the lexer's state. */
static void lex_text(struct lexer *lx, const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; i < n; ) {
        const char *p = s + i;
        size_t len;

        if (lx->st == LX_LINE_COMMENT) {
            lx_span(lx, "co", p, n - i);
            i = n;
        } else if (lx->st == LX_BLOCK_COMMENT) {
            const char *end = strstr(p, "*/");

            len = end ? (size_t)(end - p) + 2 : n - i;
            lx_span(lx, "co", p, len);
            if (end)
                lx->st = LX_CODE;
            i += len;
        } else if (lx->st == LX_STRING) {
            len = lx_string_end(lx, p, 0, i, n);
            lx_span(lx, lx->quote == '\'' && lx->lang == LANG_C ? "ch" : "st",
                    p, len);
            i += len;
        } else if (lx->lang == LANG_C && p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");

            len = end ? (size_t)(end - p) + 2 : n - i;
            lx_span(lx, "co", p, len);
            if (end == NULL)
                lx->st = LX_BLOCK_COMMENT;
            i += len;
        } else if ((lx->lang == LANG_C && p[0] == '/' && p[1] == '/') ||
                   (lx->lang != LANG_C && p[0] == '#' &&
                    (i == 0 || p[-1] == ' ' || lx->lang != LANG_BASH))) {
            lx->st = LX_LINE_COMMENT;
        } else if (lx->lang == LANG_C && p[0] == '#' && lx->line_start) {
            len = 1 + strspn(p + 1, " ");
            while (is_ident_char(p[len]))
                len++;
            lx_span(lx, "pp", p, len);
            i += len;
            if (strncmp(p + 1 + strspn(p + 1, " "), "include", 7) == 0 &&
                strchr(p + len, '<') != NULL) {  /* <header.h> */
                lx_plain(lx, p + len, n - i);
                i = n;
            }
        } else if (*p == '"' || *p == '\'') {
            lx->st = LX_STRING;
            lx->quote = *p;
            len = lx_string_end(lx, p, 1, i, n);
            lx_span(lx, *p == '\'' && lx->lang == LANG_C ? "ch" : "st", p,
                    len);
            i += len;
        } else if (is_ident_start(*p)) {
            len = 1;
            while (is_ident_char(p[len]))
                len++;
            /* A member (o.count, w->id) is not a use of a global name. */
            if (lx->lang == LANG_C && i > 0 &&
                (p[-1] == '.' || (i > 1 && p[-1] == '>' && p[-2] == '-')))
                lx_plain(lx, p, len);
            else
                lx_ident(lx, p, len);
            i += len;
        } else if (*p >= '0' && *p <= '9') {
            len = 1;
            while (is_ident_char(p[len]) || p[len] == '.')
                len++;
            lx_span(lx, "dv", p, len);
            i += len;
        } else {
            lx_plain(lx, p, 1);
            i++;
        }
        if (*p != ' ')
            lx->line_start = false;
    }
}

static void lex_newline(struct lexer *lx)
{
    if (lx->st == LX_LINE_COMMENT ||
        (lx->st == LX_STRING && lx->lang == LANG_C))
        lx->st = LX_CODE;
    lx->line_start = true;
    if (lx->html != NULL)
        buf_addc(lx->html, '\n');
}

/* A use of a chunk in HTML code: a link showing the name and number. */
static void write_html_use(struct buf *html, const struct seg *s)
{
    const struct chunk *u = chunk_by_label(s->ref);
    struct buf nb = {0};

    if (u == NULL)
        die("malformed input: no chunk has the label %s", s->ref);
    buf_add(html, "<a class=\"nw-use\" href=\"#");
    add_label_id(html, s->ref);
    buf_add(html, "\">⟨");
    buf_add(&nb, "");
    add_plain_name(&nb, s->s);
    html_text(html, nb.p, nb.len);
    free(nb.p);
    buf_printf(html, "<span class=\"nw-use-number\">%zu</span>⟩</a>",
               u->number);
}

static void lex_flush(struct lexer *lx, struct buf *t)
{
    if (t->len == 0)
        return;
    if (lx->lang == LANG_NONE)
        lx_plain(lx, t->p, t->len);
    else
        lex_text(lx, t->p);
    t->len = 0;
    t->p[0] = '\0';
}

/* Lex chunk c's code: find its uses (html NULL) or write it as HTML.
   The text between two uses or line ends is lexed in one piece (finduses
   cuts it at every word it takes for an identifier). */
static void lex_chunk(struct chunk *c, struct buf *html)
{
    const struct block *bl = c->block;
    struct lexer lx = {.lang = lang_enum_of_chunk(c), .st = LX_CODE,
                       .line_start = true, .c = c, .html = html};
    struct buf t = {0};
    size_t i = bl->first, col = 0;

    buf_add(&t, "");
    while (i < bl->end && doc.segs[i].kind != SEG_NL)
        i++;
    for (i++; i < bl->end; i++) {
        const struct seg *s = &doc.segs[i];

        if (s->kind == SEG_NL) {
            lex_flush(&lx, &t);
            lex_newline(&lx);
            col = 0;
        } else if (s->kind == SEG_TEXT) {
            add_code_text(&t, s->s, &col);
        } else if (s->kind == SEG_USE) {
            lex_flush(&lx, &t);
            if (html != NULL)
                write_html_use(html, s);
            lx.line_start = false;
        }
    }
    lex_flush(&lx, &t);
    free(t.p);
}

/* The index entry of def for the file owner, made if need be. */
static void add_ientry(const struct def *def, const char *owner)
{
    struct ientry key = {.ident = def->ident, .owner = owner};
    struct ientry *ie = NULL;

    for (size_t k = 0; k < doc.nientries && ie == NULL; k++)
        if (cmp_ientry(&key, &doc.ientries[k]) == 0)
            ie = &doc.ientries[k];
    if (ie == NULL) {
        doc.ientries = grow(doc.ientries, &doc.ientrycap,
                            doc.nientries + 1, sizeof *doc.ientries);
        ie = &doc.ientries[doc.nientries++];
        *ie = key;
    }
    if (!strv_has(&ie->defs, def->chunk->label))
        strv_add(&ie->defs, def->chunk->label);
}

/* Roots, their includes and what each can see; every definition; every
   use. */
static void resolve_uses(void)
{
    for (size_t i = 0; i < doc.nblocks; i++)
        if (doc.blocks[i].code)
            doc.blocks[i].chunk->block = &doc.blocks[i];
    for (size_t i = 0; i < doc.nchunks; i++) {
        struct chunk *c = doc.chunks[i];

        flatten(c);
        find_includes(c);
        if (lang_enum_of_chunk(c) == LANG_C)
            find_functions(c);
        for (size_t r = 0; r < c->entry->rootv.n; r++) {
            struct root *root = &doc.roots[c->entry->rootv.v[r]];

            for (size_t k = 0; k < c->includes.n; k++)
                if (!strv_has(&root->includes, c->includes.v[k]))
                    strv_add(&root->includes, c->includes.v[k]);
        }
    }
    /* A root sees itself, the headers it includes (and theirs), and the
       x.c of each header x.h. */
    for (size_t r = 0; r < doc.nroots; r++) {
        struct root *root = &doc.roots[r];
        struct strv todo = {0};

        root->scope = xrealloc(NULL, doc.nroots * sizeof *root->scope);
        memset(root->scope, 0, doc.nroots * sizeof *root->scope);
        root->scope[r] = true;
        for (size_t k = 0; k < root->includes.n; k++)
            strv_add(&todo, root->includes.v[k]);
        for (size_t k = 0; k < todo.n; k++) {
            struct root *h = root_by_name(todo.v[k]);
            const char *dot = strrchr(todo.v[k], '.');

            if (h != NULL && !root->scope[h->e->root_no - 1]) {
                root->scope[h->e->root_no - 1] = true;
                for (size_t j = 0; j < h->includes.n; j++)
                    if (!strv_has(&todo, h->includes.v[j]))
                        strv_add(&todo, h->includes.v[j]);
            }
            if (dot != NULL && strcmp(dot, ".h") == 0) {
                size_t stem = (size_t)(dot - todo.v[k]);
                char *cname = xrealloc(NULL, stem + 3);
                struct root *cr;

                memcpy(cname, todo.v[k], stem);
                memcpy(cname + stem, ".c", 3);
                if ((cr = root_by_name(cname)) != NULL)
                    root->scope[cr->e->root_no - 1] = true;
                free(cname);
            }
        }
        free(todo.v);
    }
    /* Every definition, and the index entries: one per identifier and
       file. */
    for (size_t i = 0; i < doc.nchunks; i++) {
        struct chunk *c = doc.chunks[i];

        for (size_t k = 0; k < c->defines.n; k++) {
            doc.defs = grow(doc.defs, &doc.defcap, doc.ndefs + 1,
                            sizeof *doc.defs);
            doc.defs[doc.ndefs++] = (struct def){c->defines.v[k], c};
        }
    }
    qsort(doc.defs, doc.ndefs, sizeof *doc.defs, cmp_def);
    for (size_t i = 0; i < doc.ndefs; i++)
        for (size_t r = 0; r < doc.defs[i].chunk->entry->rootv.n; r++)
            add_ientry(&doc.defs[i],
                       doc.roots[doc.defs[i].chunk->entry->rootv.v[r]].e->name);
    qsort(doc.ientries, doc.nientries, sizeof *doc.ientries, cmp_ientry);
    for (size_t i = 0; i < doc.nchunks; i++)
        lex_chunk(doc.chunks[i], NULL);
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

/* A link to the chunk that defines ident (label), or to its index entry
   for the file owner (label NULL). */
static void add_ident_link(struct buf *b, const char *ident,
                           const char *label, const char *owner)
{
    buf_add(b, "[");
    add_md_code(b, ident, strlen(ident));
    buf_add(b, "](#");
    if (label != NULL && chunk_by_label(label) != NULL)
        add_label_id(b, label);
    else
        add_ident_id(b, ident, owner);
    buf_add(b, ")");
}

/* The header line: [[**12**]{.chunk-number} ⟨name⟩ ≡]{#label .chunk-name} */
static void write_header(const struct chunk *c)
{
    struct buf b = {0};
    const struct strv *defs = &c->entry->defs;
    bool continued = defs->n > 0 && strcmp(defs->v[0], c->label) != 0;

    /* For the page numbers of cross-references in print, and for
       tests/book/pdf-chunks.sh: the chunk's first page (and its number of
       code lines) ... */
    buf_add(&b, "`\\label{nw:");
    add_label_id(&b, c->label);
    buf_printf(&b, "}\\label{nwbeg-%ld:", c->lines);
    add_label_id(&b, c->label);
    buf_add(&b, "}`{=latex}");
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

            const struct chunk *u = chunk_by_label(s->ref);

            buf_add(&nb, "⟨");
            add_plain_name(&nb, s->s);
            if (u != NULL)
                buf_printf(&nb, " %zu", u->number);
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
        outs(" .chunk-code .nw-print}\n");
    } else {
        outs(" {.chunk-code .nw-print}\n");
    }
    outb(code);
    outb(&fence);
    outs("\n\n");
    free(fence.p);
}

/* The code as HTML, coloured, with the chunks it uses and the identifiers
   it uses as links.  A raw block: pandoc's code blocks cannot hold
   links.  The print rendering is the code block of class nw-print. */
static void write_html_code(const struct block *bl)
{
    struct buf fence = {0}, html = {0};
    size_t n = longest_backticks(bl) + 1;
    const char *lang = lang_of_chunk(bl->chunk);

    for (size_t i = 0; i < (n < 3 ? 3 : n); i++)
        buf_addc(&fence, '`');
    buf_add(&html, "");
    lex_chunk(bl->chunk, &html);
    while (html.len > 0 && html.p[html.len - 1] == '\n')
        html.p[--html.len] = '\0';
    outb(&fence);
    outs("{=html}\n<div class=\"sourceCode chunk-code\"><pre class=\"sourceCode");
    if (lang != NULL) {
        outs(" ");
        outs(lang);
    }
    outs("\"><code>");
    outb(&html);
    outs("</code></pre></div>\n");
    outb(&fence);
    outs("\n\n");
    free(fence.p);
    free(html.p);
}

/* Where the build tangles root chunk c, seen from the build folder:
   ../tangle/<the .nw file's stem>/<name> (book/tangle.sh).  Characters
   other than letters, digits and -._ are percent-encoded. */
static void add_tangle_path(struct buf *b, const struct chunk *c)
{
    const char *file = c->file ? c->file : "";
    const char *base = strrchr(file, '/');
    size_t n;

    base = base ? base + 1 : file;
    n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".nw") == 0)
        n -= 3;
    buf_add(b, "../tangle/");
    for (size_t i = 0; i < n; i++)
        buf_printf(b, is_ident_char(base[i]) || strchr("-.", base[i])
                          ? "%c" : "%%%02X", (unsigned char)base[i]);
    buf_add(b, "/");
    for (const char *p = c->name; *p; p++)
        buf_printf(b, is_ident_char(*p) || strchr("-.", *p) ? "%c" : "%%%02X",
                   (unsigned char)*p);
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
            add_ident_link(&b, c->defines.v[i], NULL, owner_of(c));
        }
        buf_add(&b, ".");
    }
    /* The chunks used are links in the HTML code itself: listed here
       for print only (class nw-print, which book/reader.lua drops from
       the other formats). */
    if (c->uses.n > 0 || c->ident_uses.n > 0) {
        NEXT_LINE();
        if (c->ident_uses.n == 0)
            buf_add(&b, "[");
        buf_add(&b, "Uses ");
        if (c->uses.n > 0 && c->ident_uses.n > 0)
            buf_add(&b, "[");
        for (size_t i = 0; i < c->uses.n; i++) {
            if (i > 0)
                buf_add(&b, ", ");
            add_chunk_link(&b, c->use_refs.v[i], true);
        }
        if (c->uses.n > 0 && c->ident_uses.n > 0)
            buf_add(&b, ",]{.nw-print} ");
        for (size_t i = 0; i < c->ident_uses.n; i++) {
            if (i > 0)
                buf_add(&b, ", ");
            add_ident_link(&b, c->ident_uses.v[i], c->ident_refs.v[i], NULL);
        }
        buf_add(&b, ".");
        if (c->ident_uses.n == 0)
            buf_add(&b, "]{.nw-print}");
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
            buf_add(&b, "Root chunk (the file [");
            add_md_code(&b, c->name, strlen(c->name));
            buf_add(&b, "](");
            add_tangle_path(&b, c);
            buf_add(&b, "){.tangled}).");
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
    /* ... and its last page. */
    buf_add(&b, "`\\label{nwend:");
    add_label_id(&b, c->label);
    buf_add(&b, "}`{=latex}");
    if (lines > 0) {
        outs("::: {.chunk-xref}\n"
             "```{=latex}\n\\nopagebreak\\begingroup\\small\\sloppy\n```\n\n");
        outb(&b);
        outs("\n\n```{=latex}\n\\par\\endgroup\n```\n:::\n");
    }
    free(b.p);
}

/* In LaTeX, start a new page before a chunk's header when the chunk would
   not fit on this one, so that a short chunk (15 lines of code or fewer)
   is never split, and a header never ends a page apart from its code: a
   short chunk asks for its lines and room for the header and the
   cross-references, a longer one for six lines.  These are the primitives
   of the needspace package (by Peter Wilson), written out so that the
   book needs no extra package: if N lines do not fit, the page must
   break, and the cheapest place is the penalty of -100 before the
   header. */
static void write_need_space(const struct chunk *c)
{
    long n = c->lines <= 15 ? c->lines + 8 : 6;
    char tmp[320];

    snprintf(tmp, sizeof tmp,
             "```{=latex}\n"
             "\\par\\vskip 0pt plus %ld\\baselineskip\\penalty-100"
             "\\vskip 0pt plus -%ld\\baselineskip\n"
             "\\vskip %ld\\baselineskip\\penalty9999"
             "\\vskip -%ld\\baselineskip\\vskip 0pt\n"
             "```\n\n", n, n, n, n);
    outs(tmp);
}

static void write_code(const struct block *bl)
{
    const struct chunk *c = bl->chunk;
    struct buf code = {0};
    bool empty = !render_code(bl, &code);

    blank_line();
    /* Where the code lines are in the source, for tests/book/ that
       compare the links with the tangled files. */
    outs(":::: {.chunk data-lines=\"");
    {
        char range[64];

        if (c->file != NULL && strpbrk(c->file, "\"\\}") == NULL)
            outs(c->file);
        snprintf(range, sizeof range, ":%ld:%ld\"}\n", c->line + 1,
                 c->line + c->lines);
        outs(range);
    }
    write_need_space(c);
    write_header(c);
    if (!empty) {
        write_code_block(bl, &code);
        write_html_code(bl);
    }
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
    for (size_t i = 0; i < doc.nientries; i++) {
        const struct ientry *e = &doc.ientries[i];

        b.len = 0;
        buf_add(&b, "- [");
        add_md_code(&b, e->ident, strlen(e->ident));
        if (*e->owner != '\0') {
            buf_add(&b, " (");
            add_md_text(&b, e->owner, strlen(e->owner));
            buf_add(&b, ")");
        }
        buf_add(&b, "]{#");
        add_ident_id(&b, e->ident, e->owner);
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
    if (doc.nientries == 0)
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
    resolve_uses();
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
