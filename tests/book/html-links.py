#!/usr/bin/env python3
"""Every link of the HTML book resolves.

Usage: html-links.py FILE.html...  For each page (the one-page book and
the split pages), every href and src that is not a web address must name
an existing file, and its #fragment an id in that file.  Pages of the
split book must stay under 1 MB.  Prints the counts; exit 1 on a failure.
"""
import os
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.refs = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if a.get(key) is not None and tag not in ("html",):
                self.refs.append((tag, key, a[key]))

    handle_startendtag = handle_starttag


cache = {}


def load(path):
    if path not in cache:
        p = Page()
        with open(path, encoding="utf-8") as f:
            p.feed(f.read())
        cache[path] = p
    return cache[path]


def main():
    bad, total = [], 0
    for path in sys.argv[1:]:
        page = load(path)
        for tag, key, ref in page.refs:
            u = urlsplit(ref)
            if u.scheme in ("http", "https", "mailto", "data"):
                continue
            total += 1
            target = path
            if u.path:
                target = os.path.normpath(os.path.join(os.path.dirname(path),
                                                       unquote(u.path)))
                if not os.path.exists(target):
                    bad.append(f"{path}: {tag} {key}={ref}: no file {target}")
                    continue
            if u.fragment:
                if not target.endswith(".html"):
                    continue
                if unquote(u.fragment) not in load(target).ids:
                    bad.append(f"{path}: {tag} {key}={ref}: no id "
                               f"'{u.fragment}' in {target}")
        if "/html/" in path and os.path.getsize(path) >= 1 << 20:
            bad.append(f"{path}: {os.path.getsize(path)} bytes, over 1 MB")
    print(f"{len(sys.argv) - 1} pages, {total} links, {len(bad)} broken")
    for b in bad[:25]:
        print("FAIL:", b)
    sys.exit(1 if bad or total == 0 else 0)


main()
