/* Three Ways to Run at Once: the little the HTML book does with a script.
   A "Copy" button on every chunk's code, which copies the code as the
   compiler sees it: without the chunk numbers written after each use. */
(function () {
  "use strict";
  function codeText(pre) {
    var copy = pre.cloneNode(true);
    copy.querySelectorAll(".nw-use-number").forEach(function (n) { n.remove(); });
    return copy.textContent;
  }
  function copied(button, ok) {
    button.textContent = ok ? "Copied" : "Press Ctrl+C";
    setTimeout(function () { button.textContent = "Copy"; }, 1500);
  }
  document.querySelectorAll("div.chunk-code").forEach(function (box) {
    var pre = box.querySelector("pre");
    if (!pre) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy this code");
    button.addEventListener("click", function () {
      var text = codeText(pre);
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { copied(button, true); },
                                                 function () { copied(button, false); });
        return;
      }
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      copied(button, ok);
    });
    box.classList.add("has-copy");
    box.insertBefore(button, pre);
  });
})();

/* Search (split pages only): the box in the sidebar loads the library and
   the index on first use, as scripts (they work from file:// too), and
   lists the best sections as the reader types. */
(function () {
  "use strict";
  var box = document.getElementById("search-box");
  var list = document.getElementById("search-results");
  if (!box || !list) return;
  var ms = null, loading = false, pending = null;
  function load(done) {
    if (ms) { done(); return; }
    pending = done;
    if (loading) return;
    loading = true;
    var n = 0;
    ["minisearch.js", "search-index.js"].forEach(function (src) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = function () {
        if (++n < 2) return;
        var data = window.BOOK_SEARCH;
        ms = window.MiniSearch.loadJSON(data.index, data.options);
        if (pending) pending();
      };
      s.onerror = function () { list.innerHTML = "<li>The search index is missing.</li>"; };
      document.head.appendChild(s);
    });
  }
  function show() {
    var q = box.value.trim();
    list.innerHTML = "";
    if (q.length < 2) return;
    var hits = ms.search(q, { prefix: true, fuzzy: 0.15, boost: { title: 3 },
                              combineWith: "AND" }).slice(0, 15);
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = "No section matches “" + q + "”.";
      list.appendChild(none);
      return;
    }
    hits.forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = h.url;
      a.textContent = h.title;
      var where = document.createElement("span");
      where.className = "search-page";
      where.textContent = h.page;
      li.appendChild(a);
      li.appendChild(where);
      list.appendChild(li);
    });
  }
  var timer = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { load(show); }, 120);
  });
  box.addEventListener("focus", function () { load(function () {}); });
  box.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      var first = list.querySelector("a");
      if (first) window.location.href = first.href;
    }
  });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { box.value = q; load(show); }
})();
