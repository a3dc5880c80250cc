// book/search-index.js MINISEARCH_DIR HTML_DIR: the offline search index.
// Reads HTML_DIR/search-docs.json (written by book/split.py: one document
// per section), indexes it with MiniSearch (from the npm registry, pinned
// in book/package.json and package-lock.json), and writes
//   HTML_DIR/search-index.js  the index, as a script (a page opened from
//                             file:// may load scripts, not fetch files)
//   HTML_DIR/minisearch.js    the library, for the browser
"use strict";
const fs = require("fs");
const path = require("path");
const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  console.error("usage: node book/search-index.js MINISEARCH_DIR HTML_DIR");
  process.exit(2);
}
// The CommonJS build (the package is an ES module; its "main" is the UMD
// build for browsers, copied below).
const loaded = require(path.join(path.resolve(dir), "dist", "cjs", "index.cjs"));
const MiniSearch = loaded.default || loaded;
const docs = JSON.parse(fs.readFileSync(path.join(out, "search-docs.json"), "utf8"));
// The browser must load the index with the same options (book/book.js).
const options = { fields: ["title", "text"], storeFields: ["title", "url", "page"] };
const ms = new MiniSearch(options);
ms.addAll(docs);
fs.writeFileSync(path.join(out, "search-index.js"),
  "window.BOOK_SEARCH = " + JSON.stringify({ options, index: JSON.stringify(ms) }) + ";\n");
const umd = path.join(path.resolve(dir), "dist", "umd", "index.js");
fs.copyFileSync(umd, path.join(out, "minisearch.js"));
fs.unlinkSync(path.join(out, "search-docs.json"));
console.log(`search: ${docs.length} sections indexed`);
