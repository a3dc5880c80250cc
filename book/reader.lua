-- book/reader.lua: pandoc filter for the reader's edition (pandoc 2.17,
-- Lua 5.3).  Separate from book.lua (figures), so the two evolve apart.
--
-- 1. Print-only material (class nw-print: the plain code block of a chunk
--    and the list of chunks it uses, written by book/nw2md) is dropped
--    from every format but LaTeX, where the HTML code block (a raw HTML
--    block) is dropped by pandoc itself.  The line breaks of the
--    cross-reference lines left empty are removed with it.

local print_format = FORMAT:match("latex") ~= nil

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

return {
  { CodeBlock = drop_print_block, Span = drop_print_span },
  { Div = tidy_xref },
}
