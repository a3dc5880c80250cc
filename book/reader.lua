-- book/reader.lua: pandoc filter for the reader's edition (pandoc 2.17,
-- Lua 5.3).  Separate from book.lua (figures), so the two evolve apart.
--
-- 1. Print-only material (class nw-print: the plain code block of a chunk
--    and the list of chunks it uses, written by book/nw2md) is dropped
--    from every format but LaTeX, where the HTML code block (a raw HTML
--    block) is dropped by pandoc itself.  The line breaks of the
--    cross-reference lines left empty are removed with it.

-- EPUB is treated as print: its chapters are separate files, and the
-- links inside a raw HTML block would not be rewritten to them.
local print_format = FORMAT:match("latex") ~= nil or FORMAT:match("epub") ~= nil
local epub = FORMAT:match("epub") ~= nil

local function drop_html_code(el)
  if epub and el.format == "html" and
     el.text:find('^<div class="sourceCode chunk%-code"') then
    return {}
  end
end

local function drop_print_block(el)
  if not print_format and el.classes:includes("nw-print") then
    return {}
  end
end

local function drop_print_span(el)
  if not print_format and el.classes:includes("nw-print") then
    return {}
  end
end

-- After the spans are gone: no line break at the start or end of a
-- paragraph, and never two in a row.
local function tidy_breaks(el)
  local out, last_break = {}, true
  for _, x in ipairs(el.content) do
    if x.t == "LineBreak" then
      if not last_break then table.insert(out, x) end
      last_break = true
    elseif x.t == "Space" or x.t == "SoftBreak" then
      if not last_break then table.insert(out, x) end
    else
      table.insert(out, x)
      last_break = false
    end
  end
  while #out > 0 and (out[#out].t == "LineBreak" or out[#out].t == "Space"
                      or out[#out].t == "SoftBreak") do
    table.remove(out)
  end
  if #out == 0 then return {} end
  el.content = out
  return el
end

local function tidy_xref(div)
  if print_format or not div.classes:includes("chunk-xref") then return nil end
  local blocks = {}
  for _, b in ipairs(div.content) do
    if b.t == "Para" or b.t == "Plain" then
      local r = tidy_breaks(b)
      if r.t then table.insert(blocks, r) end
    else
      table.insert(blocks, b)
    end
  end
  div.content = blocks
  local any = false
  for _, b in ipairs(blocks) do
    if b.t ~= "RawBlock" then any = true end
  end
  if not any then return {} end
  return div
end

-- 2. Cross-references in the prose, written as citations:
--      @ch:ID     "chapter 2"  (@Ch:ID "Chapter 2", @chn:ID "2")
--      @sec:ID    "section 2.3" (@Sec:ID "Section 2.3")
--      @ex:2.1    "Exercise 2.1"       @sol:2.1  "the solution to Exercise 2.1"
--      @prog:NAME `NAME`, linked to its root chunk NAME.c (@file:NAME.EXT
--                 for any other root file)
--      @fig:ID    "Figure 3"
--    ID is the heading's (or image's) identifier; the numbers are counted
--    here as pandoc's --number-sections counts them, so a mention follows
--    the chapter when chapters are renumbered.  A mention of a target that
--    does not exist stops the build.
-- 3. Every exercise links to its solution and back.
-- 4. HTML: the hints of an exercise (paragraphs starting **Hint K.**)
--    fold, each inside the one before: one at a time.

local targets = { ch = {}, sec = {}, ex = {}, sol = {}, prog = {},
                  file = {}, fig = {} }
local html_format = FORMAT:match("html") ~= nil

local function collect(doc)
  local counts, in_solutions, nfig = {0, 0, 0, 0, 0, 0}, false, 0
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" then
      local text = pandoc.utils.stringify(b.content)
      local number = nil
      if not b.classes:includes("unnumbered") then
        counts[b.level] = counts[b.level] + 1
        for l = b.level + 1, #counts do counts[l] = 0 end
        local parts = {}
        for l = 1, b.level do table.insert(parts, tostring(counts[l])) end
        number = table.concat(parts, ".")
      end
      if b.level == 1 then
        in_solutions = text:match("^Solutions") ~= nil
        targets.ch[b.identifier] = { id = b.identifier, number = number,
                                     title = text }
      end
      targets.sec[b.identifier] = { id = b.identifier, number = number,
                                    title = text }
      local ex = text:match("^Exercise (%d+%.%d+)")
      if ex and b.level > 1 then
        local t = in_solutions and targets.sol or targets.ex
        t[ex] = { id = b.identifier, number = ex }
      end
    end
  end
  pandoc.walk_block(pandoc.Div(doc.blocks), {
    Span = function(sp)
      if sp.classes:includes("chunk-name") and sp.identifier ~= "" then
        local text = pandoc.utils.stringify(sp.content)
        local name = text:match("⟨([^⟩]+)⟩ ≡$")
        if name then
          targets.file[name] = { id = sp.identifier, number = name }
          local prog = name:match("^(.+)%.c$")
          if prog then
            targets.prog[prog] = { id = sp.identifier, number = prog }
          end
        end
      end
    end,
    Image = function(img)
      if img.identifier ~= "" then
        nfig = nfig + 1
        targets.fig[img.identifier] = { id = img.identifier,
                                        number = tostring(nfig) }
      end
    end,
  })
end

local kinds = {
  ch = { "ch", "chapter " }, Ch = { "ch", "Chapter " }, chn = { "ch", "" },
  sec = { "sec", "section " }, Sec = { "sec", "Section " },
  ex = { "ex", "Exercise " }, sol = { "sol", "the solution to Exercise " },
  Sol = { "sol", "The solution to Exercise " },
  prog = { "prog", "" }, file = { "file", "" },
  fig = { "fig", "figure " }, Fig = { "fig", "Figure " },
}

local missing = {}

local function xref(cite)
  if #cite.citations ~= 1 then return nil end
  local key = cite.citations[1].id
  local prefix, rest = key:match("^(%a+):(.+)$")
  local kind = prefix and kinds[prefix]
  if not kind then return nil end
  local t = targets[kind[1]][rest]
  if t == nil then
    table.insert(missing, "@" .. key)
    return nil
  end
  local label
  if kind[1] == "prog" or kind[1] == "file" then
    label = { pandoc.Code(rest) }
  elseif kind[1] == "sec" and t.number == nil then
    label = { pandoc.Str(kind[2] .. "“" .. t.title .. "”") }
  else
    if t.number == nil then
      table.insert(missing, "@" .. key .. " (not numbered)")
      return nil
    end
    label = { pandoc.Str(kind[2] .. t.number) }
  end
  return pandoc.Link(label, "#" .. t.id, "", { class = "xref" })
end

local function check_missing(doc)
  if #missing > 0 then
    io.stderr:write("reader.lua: cross-references to missing targets: " ..
                    table.concat(missing, ", ") .. "\n")
    error("cross-references to missing targets")
  end
end

-- After an exercise's heading, a link to its solution; after a solution's,
-- a link back.
local function exercise_links(doc)
  local out, in_solutions = {}, false
  for _, b in ipairs(doc.blocks) do
    table.insert(out, b)
    if b.t == "Header" then
      local text = pandoc.utils.stringify(b.content)
      if b.level == 1 then in_solutions = text:match("^Solutions") ~= nil end
      local ex = text:match("^Exercise (%d+%.%d+)")
      if ex and b.level > 1 then
        local other = (in_solutions and targets.ex or targets.sol)[ex]
        if other then
          local label = in_solutions and ("← Exercise " .. ex)
                                      or ("Solution →")
          table.insert(out, pandoc.Div(
            { pandoc.Plain({ pandoc.Link(label, "#" .. other.id) }) },
            { class = "ex-link" }))
        end
      end
    end
  end
  doc.blocks = out
  return doc
end

-- **Hint K.** paragraphs: each folds, nested in the one before, until a
-- heading or a chunk ends the run.
local function hint_number(b)
  if b.t ~= "Para" or #b.content == 0 then return nil end
  local first = b.content[1]
  if first.t ~= "Strong" then return nil end
  return pandoc.utils.stringify(first.content):match("^Hint (%d+)%.$")
end

local function fold_hints(doc)
  if not html_format then return nil end
  local out, open = {}, 0
  local function close_all()
    for _ = 1, open do
      table.insert(out, pandoc.RawBlock("html", "</details>"))
    end
    open = 0
  end
  for _, b in ipairs(doc.blocks) do
    local k = hint_number(b)
    if k then
      table.insert(out, pandoc.RawBlock("html",
        '<details class="hint"><summary>Hint ' .. k .. "</summary>"))
      open = open + 1
      local rest = {}
      for i = 2, #b.content do table.insert(rest, b.content[i]) end
      while #rest > 0 and rest[1].t == "Space" do table.remove(rest, 1) end
      table.insert(out, pandoc.Para(rest))
    else
      if open > 0 and (b.t == "Header" or b.t == "Div" or
                       b.t == "HorizontalRule") then
        close_all()
      end
      table.insert(out, b)
    end
  end
  close_all()
  doc.blocks = out
  return doc
end

-- 5. HTML: a table scrolls in a box of its own, its caption above it,
--    outside the box, so that a phone shows both.
local function wrap_table(tbl)
  if not html_format then return nil end
  local out = {}
  local cap = tbl.caption and tbl.caption.long or {}
  if #cap > 0 then
    local inl = pandoc.utils.blocks_to_inlines(cap)
    table.insert(out, pandoc.RawBlock("html", '<p class="table-caption">'))
    table.insert(out, pandoc.Plain(inl))
    table.insert(out, pandoc.RawBlock("html", "</p>"))
    tbl.caption.long = {}
  end
  table.insert(out, pandoc.RawBlock("html", '<div class="table-wrap">'))
  table.insert(out, tbl)
  table.insert(out, pandoc.RawBlock("html", "</div>"))
  return out
end

-- 6. Print: a link to a chunk also gives the chunk's page, and the index
--    is set in two columns.
local latex = FORMAT:match("latex") ~= nil

local function page_of_chunk(link)
  if not latex then return nil end
  local label = link.target:match("^#(NW.*)$")
  if not label or label:match("^NWIX%-") then return nil end
  return { link, pandoc.RawInline("latex",
    "\\,{\\footnotesize(p.\\,\\pageref{nw:" .. label .. "})}") }
end

-- An unnumbered chapter or section (the appendices, the index) sets the
-- running heads itself: LaTeX's \chapter* does not.
local function tex_escape(t)
  return (t:gsub("[\\{}$&#_%%~^]", function(c)
    if c == "\\" then return "\\textbackslash{}" end
    if c == "~" then return "\\textasciitilde{}" end
    if c == "^" then return "\\textasciicircum{}" end
    return "\\" .. c
  end))
end

local function unnumbered_marks(h)
  if not latex or not h.classes:includes("unnumbered") or h.level > 2 then
    return nil
  end
  local title = tex_escape(pandoc.utils.stringify(h.content))
  local mark = h.level == 1 and ("\\markboth{" .. title .. "}{}")
                             or ("\\markright{" .. title .. "}")
  return { h, pandoc.RawBlock("latex", mark) }
end

local function index_columns(div)
  if not latex or not div.classes:includes("nw-index") then return nil end
  table.insert(div.content, 1, pandoc.RawBlock("latex",
    "\\begin{multicols}{2}\\raggedright\\small"))
  table.insert(div.content, pandoc.RawBlock("latex", "\\end{multicols}"))
  return div
end

-- 7. The appendix of programs (book/programs.py writes it at build time;
--    metadata field programs-appendix names the file) goes before the
--    index.  Links to tangled files (class tangled) are kept in HTML only:
--    the PDF and the EPUB do not travel with the tangle/ folder.
local function insert_programs(doc)
  local path = doc.meta["programs-appendix"]
  if not path then return nil end
  path = pandoc.utils.stringify(path)
  local f = io.open(path, "r")
  if not f then error("reader.lua: cannot read " .. path) end
  local blocks = pandoc.read(f:read("a"), "markdown").blocks
  f:close()
  local out, done = {}, false
  for _, b in ipairs(doc.blocks) do
    if not done and b.t == "Header" and b.level == 1 and
       b.identifier == "index" then
      for _, x in ipairs(blocks) do table.insert(out, x) end
      done = true
    end
    table.insert(out, b)
  end
  if not done then
    for _, x in ipairs(blocks) do table.insert(out, x) end
  end
  doc.blocks = out
  return doc
end

local function tangled_link(link)
  if html_format or not link.classes:includes("tangled") then return nil end
  return link.content
end

return {
  { Pandoc = insert_programs },
  { Link = tangled_link },
  { Pandoc = function(doc) collect(doc) end },
  { Link = page_of_chunk, Div = index_columns, Header = unnumbered_marks },
  { Table = wrap_table },
  { Cite = xref },
  { Pandoc = function(doc)
      check_missing(doc)
      doc = exercise_links(doc)
      return fold_hints(doc)
    end },
  { CodeBlock = drop_print_block, Span = drop_print_span,
    RawBlock = drop_html_code },
  { Div = tidy_xref },
}
