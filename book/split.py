#!/usr/bin/env python3
"""book/split.py BOOK.html OUTDIR: the book as one page per chapter.

Reads the single-page book that pandoc wrote (standalone, self-contained)
with Python's HTML parser and writes into OUTDIR:

  index.html        the title, the full contents, a link to the one-page book
  <chapter>.html    one page per top-level heading (chapter, appendix, index)
  style.css         the style sheets of the single page, shared by all pages
  search-docs.json  the text of every section, for book/search-index.js

Every page has the contents as a sidebar (three levels, the chapter's own
entries open), previous/next links and a permalink on every heading.  A
link to an id on another page is rewritten to that page; the build's
tests/book/html-links.sh checks that each one resolves.
"""
import html
import os
import re
import sys
from html.parser import HTMLParser

HEADINGS = ("h1", "h2", "h3", "h4")


class Scan(HTMLParser):
    """Offsets of what the splitter needs in the single page."""

    def __init__(self, text):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.starts = [0]
        for m in re.finditer("\n", text):
            self.starts.append(m.end())
        self.depth = 0            # depth inside body
        self.in_body = False
        self.body = None          # (start, end) of the body's content
        self.top = []             # (offset, tag, attrs) of body's children
        self.heads = []           # [level, id, start, inner start, inner end, end]
        self.open_head = None
        self.ids = []             # (offset, id)
        self.hrefs = []           # (offset, raw tag, href)
        self.styles = []          # (start, end) of <style> in head
        self.style_open = None

    def off(self):
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        o = self.off()
        a = dict(attrs)
        raw = self.get_starttag_text()
        if tag == "style" and not self.in_body:
            self.style_open = o + len(raw)
        if tag == "body":
            self.in_body = True
            self.body = [o + len(raw), None]
            return
        if not self.in_body:
            return
        if self.depth == 0:
            self.top.append((o, tag, a))
        if tag not in ("br", "img", "hr", "meta", "link", "input", "col",
                       "wbr", "source"):
            self.depth += 1
        if a.get("id"):
            self.ids.append((o, a["id"]))
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.hrefs.append((o, raw, a["href"]))
        if tag in HEADINGS and a.get("id"):
            self.open_head = [int(tag[1]), a["id"], o, o + len(raw), None,
                              None, a.get("class") or ""]

    def handle_startendtag(self, tag, attrs):
        o = self.off()
        a = dict(attrs)
        if self.in_body and a.get("id"):
            self.ids.append((o, a["id"]))

    def handle_endtag(self, tag):
        o = self.off()
        if tag == "style" and self.style_open is not None:
            self.styles.append((self.style_open, o))
            self.style_open = None
        if not self.in_body:
            return
        if tag == "body":
            self.body[1] = o
            self.in_body = False
            return
        self.depth -= 1
        if tag in HEADINGS and self.open_head is not None:
            self.open_head[4] = o
            self.open_head[5] = o + len("</%s>" % tag)
            self.heads.append(self.open_head)
            self.open_head = None


class Text(HTMLParser):
    """The visible text of a fragment (no script, style or chunk numbers)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag in ("script", "style") or "nw-use-number" in cls or \
                "chunk-number" in cls or "permalink" in cls:
            self.skip += 1
        elif self.skip:
            self.skip += 1 if tag not in VOID else 0

    def handle_endtag(self, tag):
        if self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


VOID = ("br", "img", "hr", "meta", "link", "input", "col", "wbr", "source")


def text_of(fragment):
    t = Text()
    t.feed(fragment)
    t.close()
    return re.sub(r"\s+", " ", "".join(t.parts)).strip()


def plain(fragment):
    """Inline HTML without links (a heading's inside, for the contents)."""
    return re.sub(r"</?a\b[^>]*>", "", fragment).replace("\n", " ")


def page_name(ident, used):
    name = "index-of-names" if ident == "index" else ident
    name = re.sub(r"[^A-Za-z0-9_-]", "-", name)[:60] or "page"
    base, k = name, 2
    while name in used:
        name = "%s-%d" % (base, k)
        k += 1
    used.add(name)
    return name + ".html"


def main():
    src, out = sys.argv[1], sys.argv[2]
    text = open(src, encoding="utf-8").read()
    s = Scan(text)
    s.feed(text)
    s.close()
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    lang = re.search(r'<html[^>]*\blang="([^"]+)"', text)
    lang = lang.group(1) if lang else "en"

    # Pages: the front matter (title block, pandoc's contents) goes to
    # index.html; each top-level h1 starts a page.
    body_start, body_end = s.body
    h1s = [t for t in s.top if t[1] == "h1"]
    front_end = h1s[0][0] if h1s else body_end
    used = {"index"}
    pages = []   # dict(name, start, end, head)
    for i, (o, _, a) in enumerate(h1s):
        end = h1s[i + 1][0] if i + 1 < len(h1s) else body_end
        pages.append({"name": page_name(a["id"], used), "start": o,
                      "end": end})
    front = text[body_start:front_end]

    def page_of(offset):
        for p in pages:
            if p["start"] <= offset < p["end"]:
                return p
        return None

    where = {}   # id -> page name
    for o, ident in s.ids:
        p = page_of(o)
        if p is not None:
            where.setdefault(ident, p["name"])
    for p in pages:
        h = next(x for x in s.heads if x[2] == p["start"])
        p["head"] = plain(text[h[3]:h[4]])
        p["id"] = h[1]

    # The contents: headings of levels 1-3, with their page.
    toc = []
    for lvl, ident, o, i0, i1, _, cls in s.heads:
        p = page_of(o)
        if p is None or lvl > 3:
            continue
        toc.append((lvl, ident, p["name"], plain(text[i0:i1])))

    def contents(current):
        """The contents as nested lists; the current chapter open."""
        outl = ['<ul class="toc-chapters">']
        i = 0
        while i < len(toc):
            lvl, ident, name, inner = toc[i]
            j = i + 1
            while j < len(toc) and toc[j][0] > 1:
                j += 1
            sub = toc[i + 1:j]
            here = ' class="current"' if name == current else ""
            link = '<a href="%s">%s</a>' % (name, inner)
            if sub:
                outl.append('<li%s><details%s><summary>%s</summary>'
                            % (here, " open" if name == current else "",
                               link))
                outl.append(sublist(sub, name == current))
                outl.append("</details></li>")
            else:
                outl.append("<li%s>%s</li>" % (here, link))
            i = j
        outl.append("</ul>")
        return "\n".join(outl)

    def sublist(items, local):
        res, lvl_now = [], 1
        for lvl, ident, name, inner in items:
            while lvl_now < lvl:
                res.append("<ul>")
                lvl_now += 1
            while lvl_now > lvl:
                res.append("</ul>")
                lvl_now -= 1
            href = ("#" + ident) if local else "%s#%s" % (name, ident)
            res.append('<li><a href="%s">%s</a></li>' % (href, inner))
        while lvl_now > 1:
            res.append("</ul>")
            lvl_now -= 1
        return "\n".join(res)

    def fix_links(start, end, current):
        """The slice of the page, links to other pages rewritten and a
        permalink added to every heading."""
        edits = []
        for o, raw, href in s.hrefs:
            if not start <= o < end:
                continue
            ident = html.unescape(href[1:])
            target = where.get(ident)
            if target is None or target == current:
                continue
            new = raw.replace('href="%s"' % href,
                              'href="%s%s"' % (target, href), 1)
            edits.append((o, len(raw), new))
        for lvl, ident, o, i0, i1, hend, cls in s.heads:
            if start <= o < end and i1 is not None:
                edits.append((i1, 0, '<a class="permalink" href="#%s" '
                              'aria-label="Permalink">#</a>'
                              % html.escape(ident, quote=True)))
        edits.sort()
        res, pos = [], start
        for o, n, new in edits:
            res.append(text[pos:o])
            res.append(new)
            pos = o + n
        res.append(text[pos:end])
        page = re.sub(r"<script\b.*?</script>", "", "".join(res), flags=re.S)
        # Tangled files are linked from the build folder: one more level up.
        return page.replace('href="../tangle/', 'href="../../tangle/')

    os.makedirs(out, exist_ok=True)
    # The search documents: one per heading (levels 1-3; a level-4
    # heading's text goes with the section above it).
    docs, heads = [], [h for h in s.heads if h[0] <= 3 and page_of(h[2])]
    for k, (lvl, ident, o, i0, i1, hend, cls) in enumerate(heads):
        p = page_of(o)
        stop = heads[k + 1][2] if k + 1 < len(heads) else p["end"]
        stop = min(stop, p["end"])
        docs.append({"id": len(docs), "url": "%s#%s" % (p["name"], ident),
                     "title": text_of(text[i0:i1]),
                     "page": re.sub("<[^>]+>", "", p["head"]),
                     "text": text_of(text[hend:stop])})
    import json
    with open(os.path.join(out, "search-docs.json"), "w",
              encoding="utf-8") as f:
        json.dump(docs, f, ensure_ascii=False)
    css = "\n".join(text[a:b] for a, b in s.styles)
    with open(os.path.join(out, "style.css"), "w", encoding="utf-8") as f:
        f.write(css)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "book.js"), encoding="utf-8") as f:
        js = f.read()
    with open(os.path.join(out, "book.js"), "w", encoding="utf-8") as f:
        f.write(js)

    def write(name, head_title, content, prev, nxt, current):
        navl = []
        if prev:
            navl.append('<a class="prev" rel="prev" href="%s">← %s</a>'
                        % (prev["name"], prev["head"]))
        else:
            navl.append('<span class="prev"></span>')
        navl.append('<a class="up" href="index.html">Contents</a>')
        if nxt:
            navl.append('<a class="next" rel="next" href="%s">%s →</a>'
                        % (nxt["name"], nxt["head"]))
        else:
            navl.append('<span class="next"></span>')
        nav = '<nav class="prevnext">%s</nav>' % "\n".join(navl)
        page = PAGE.format(
            lang=lang, title=html.escape(head_title, quote=False),
            book=title, contents=contents(current), nav=nav,
            content=content)
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(page)

    # index.html: the title block, a search box, the contents.
    fm = re.search(r'<header id="title-block-header">.*?</header>', front,
                   re.S)
    intro = (fm.group(0) if fm else "") + (
        '\n<p class="single-page">The whole book on one page: '
        '<a href="../book.html">book.html</a>.</p>\n'
        '<nav class="full-contents" aria-label="Contents">\n'
        '<h2>Contents</h2>\n%s\n</nav>' % contents(None).replace(
            "<details>", "<details open>"))
    write("index.html", title, intro, None, pages[0] if pages else None,
          None)
    for i, p in enumerate(pages):
        content = fix_links(p["start"], p["end"], p["name"])
        write(p["name"], "%s — %s" % (re.sub("<[^>]+>", "", p["head"]),
                                      title),
              content, pages[i - 1] if i > 0 else {"name": "index.html",
                                                   "head": "Contents"},
              pages[i + 1] if i + 1 < len(pages) else None, p["name"])


PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="style.css">
</head>
<body class="split">
<input type="checkbox" id="nav-toggle" class="nav-toggle" aria-hidden="true">
<label for="nav-toggle" class="nav-toggle-label">☰ Contents</label>
<nav class="sidebar" aria-label="Contents">
<p class="sidebar-title"><a href="index.html">{book}</a></p>
<div class="search" role="search">
<input type="search" id="search-box" placeholder="Search the book" aria-label="Search the book" autocomplete="off">
<ol id="search-results" aria-live="polite"></ol>
</div>
{contents}
</nav>
<div class="page">
{nav}
<main>
{content}
</main>
{nav}
</div>
<script src="book.js"></script>
</body>
</html>
"""

if __name__ == "__main__":
    main()
