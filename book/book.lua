-- book/book.lua: pandoc filter for the book (pandoc 2.17, Lua 5.3).
--
-- 1. A code block of class "include" is replaced by the Markdown files it
--    names, one per line.  Paths starting "results/" are read from the
--    build's results folder (metadata field results-dir), so a chapter can
--    show figures measured on the reader's machine.
-- 2. Images whose path starts "results/" are read from the same folder;
--    for LaTeX an SVG image is replaced by the PDF drawn beside it.
-- 3. A shown run, a code block of class "run" (replayed by
--    tests/support/transcripts.py), loses the attributes that tell the
--    runner how to compare and becomes a plain console block; one marked
--    norun="REASON" is followed by a note that says why make check does
--    not replay it.
local results = "build/results"

local function resolve(path)
  if path:sub(1, 8) == "results/" then
    return results .. "/" .. path:sub(9)
  end
  return path
end

function Meta(meta)
  if meta["results-dir"] then
    results = pandoc.utils.stringify(meta["results-dir"])
  end
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

-- Meta first, so the results folder is known before blocks are read.
return {
  { Meta = Meta },
  { CodeBlock = code_block, Image = image },
}
