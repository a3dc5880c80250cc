-- book/book.lua: pandoc filter for the book (pandoc 2.17, Lua 5.3).
--
-- 1. A code block of class "include" is replaced by the Markdown files it
--    names, one per line.  Paths starting "results/" are read from the
--    build's report folder (metadata field results-dir: what bench/report
--    wrote), so a chapter can show the measured tables.
-- 2. Images whose path starts "results/" are read from the same folder,
--    those starting "diagrams/" from the build's diagrams (metadata
--    field diagrams-dir: what Graphviz drew, book/build.mk); for LaTeX
--    an SVG image is replaced by the PDF drawn beside it.
-- 3. A shown run, a code block of class "run" (replayed by
--    tests/support/transcripts.py), loses the attributes that tell the
--    runner how to compare and becomes a plain console block; one marked
--    norun="REASON" is followed by a note that says why make check does
--    not replay it.
-- 4. Measured figures (book/CONVENTIONS.md, "Measured figures"): an empty
--    span []{.m k="NAME/KEY"} becomes the text of figure KEY of the
--    reference result NAME (book/reference-results/NAME.json, listed by
--    bench/report in the file named by metadata field figures-file);
--    KEY.interval and KEY.verdict give a claim's interval and verdict.
--    An unknown NAME/KEY stops the build.  A span [text]{.fixed} marks
--    a number that is not measured (a constant, a setting, a size
--    chosen by the text) and is shown as its text.
-- 5. Figures (an image alone in a paragraph, with a caption) are
--    numbered in order through the book; an image with an id
--    {#fig:NAME} can be referred to as []{.fig k="NAME"}, which becomes
--    "Figure N" (a link in HTML, \ref in LaTeX, which numbers figures
--    itself in the same order).
local results = "build/results"
local diagrams = "build/diagrams"
local figures_file = nil
local figures = nil

local function resolve(path)
  if path:sub(1, 8) == "results/" then
    return results .. "/" .. path:sub(9)
  end
  if path:sub(1, 9) == "diagrams/" then
    return diagrams .. "/" .. path:sub(10)
  end
  return path
end

function Meta(meta)
  if meta["results-dir"] then
    results = pandoc.utils.stringify(meta["results-dir"])
  end
  if meta["diagrams-dir"] then
    diagrams = pandoc.utils.stringify(meta["diagrams-dir"])
  end
  if meta["figures-file"] then
    figures_file = pandoc.utils.stringify(meta["figures-file"])
  end
end

local function load_figures()
  if figures then return figures end
  figures = {}
  if not figures_file then
    error("book.lua: a measured figure is quoted, but no figures-file " ..
          "was given (pandoc --metadata=figures-file:...)")
  end
  local f = io.open(figures_file, "r")
  if not f then
    error("book.lua: cannot read " .. figures_file ..
          " (made by bench/report)")
  end
  for line in f:lines() do
    local k, v = line:match("^([^\t]+)\t(.*)$")
    if k then figures[k] = v end
  end
  f:close()
  return figures
end

local function include(el)
  if not el.classes:includes("include") then return nil end
  local blocks = {}
  for line in el.text:gmatch("[^\n]+") do
    local path = resolve(line)
    local f = io.open(path, "r")
    if not f then
      io.stderr:write("book.lua: cannot read " .. path .. "\n")
      error("include failed: " .. path)
    end
    local text = f:read("a")
    f:close()
    for _, b in ipairs(pandoc.read(text, "markdown").blocks) do
      table.insert(blocks, b)
    end
  end
  return blocks
end

local function image(el)
  local src = resolve(el.src)
  if FORMAT:match("latex") and src:match("%.svg$") then
    src = src:gsub("%.svg$", ".pdf")
  end
  el.src = src
  return el
end

local function run(el)
  if not el.classes:includes("run") then return nil end
  local reason = el.attributes["norun"]
  local block = pandoc.CodeBlock(el.text,
    pandoc.Attr(el.identifier, { "console" }, {}))
  if not reason then return block end
  -- A small line right under the block, like a caption, so that the
  -- prose that goes on after the block still reads on.
  local note = pandoc.read("Not replayed by `make check`: " .. reason .. ".",
    "markdown").blocks
  if FORMAT:match("latex") then
    table.insert(note, 1, pandoc.RawBlock("latex",
      "\\vspace{-0.6\\baselineskip}{\\raggedleft\\footnotesize\\itshape"))
    table.insert(note, pandoc.RawBlock("latex", "\\par}"))
    return { block, table.unpack(note) }
  end
  return { block, pandoc.Div(note, pandoc.Attr("", { "run-note" }, {})) }
end

local function code_block(el)
  return include(el) or run(el)
end

-- 4. measured figures
local function span(el)
  if el.classes:includes("m") then
    local k = el.attributes["k"]
    if not k then
      error("book.lua: a figure span []{.m} without k=\"NAME/KEY\"")
    end
    local v = load_figures()[k]
    if not v then
      error("book.lua: unknown measured figure " .. k ..
            ": no such key in book/reference-results (see " ..
            (figures_file or "figures.tsv") .. " for the known ones)")
    end
    return pandoc.Str(v)
  end
  if el.classes:includes("fixed") then
    return el.content
  end
  return nil
end

-- 5. figure numbers
local fig_number = {}
local fig_count = 0

local function lone_image(blk)
  if blk.t == "Para" and #blk.content == 1 and blk.content[1].t == "Image"
     and #blk.content[1].caption > 0 then
    return blk.content[1]
  end
  return nil
end

local function number_figures(doc)
  for _, blk in ipairs(doc.blocks) do
    local img = lone_image(blk)
    if img then
      fig_count = fig_count + 1
      local id = img.identifier or ""
      if id ~= "" then fig_number[id] = fig_count end
      if not FORMAT:match("latex") then
        table.insert(img.caption, 1, pandoc.Space())
        table.insert(img.caption, 1,
                     pandoc.Strong({pandoc.Str("Figure " ..
                                   fig_count .. ":")}))
      end
    end
  end
  return doc
end

local function fig_ref(el)
  if not el.classes:includes("fig") then return nil end
  local id = "fig:" .. (el.attributes["k"] or "")
  local n = fig_number[id]
  if not n then
    error("book.lua: []{.fig k=...} names no figure: " .. id)
  end
  if FORMAT:match("latex") then
    return pandoc.RawInline("latex", "Figure~\\ref{" .. id .. "}")
  end
  return pandoc.Link({pandoc.Str("Figure " .. n)}, "#" .. id)
end

-- Meta first, so the folders are known before blocks are read; then the
-- includes (they bring tables and images); then figures and spans.
return {
  { Meta = Meta },
  { CodeBlock = code_block },
  { Image = image, Span = span },
  { Pandoc = number_figures },
  { Span = fig_ref },
}
