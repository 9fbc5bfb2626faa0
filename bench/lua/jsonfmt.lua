-- The json-tools contract (contracts/json-tools/contract.md) in Lua 5.4: the
-- `native::lua` baseline of `cargo xtask bench`, run inside the bench process
-- through mlua's vendored Lua.
--
--   local jsonfmt = dofile("bench/lua/jsonfmt.lua")
--   jsonfmt.format(input [, { indent = 2, sort_keys = false }]) --> output | nil, message
--   jsonfmt.minify(input)                                      --> output | nil, message
--
-- Errors are the contract's: "invalid options: ..." and "at byte N: ...".
--
-- One pass over the input, with no recursion (open containers are a stack of
-- flags), as the reference implementation does
-- (contracts/json-tools/json-format).  Every token is validated, then copied
-- as one substring of the input into a buffer of pieces that one
-- table.concat joins at the end; runs of plain string characters, digits and
-- whitespace are found with string.find or string.match and a character
-- class, never a byte at a time in Lua.  All layout (a bracket with the
-- newline and indentation after it, a comma with the next line's
-- indentation) is one cached string per depth, so a token costs one piece
-- and layout at most one more; a key whose input already reads `"key": `
-- (or `"key":` for minify) is copied with its colon as one piece.
--
-- The time goes into calls of the string library (string.byte, find, match,
-- sub: tens of nanoseconds each), so the printer reads two or three bytes
-- per string.byte call where it can and has no Lua function call on its
-- usual paths.

local byte, sub, find, match, rep = string.byte, string.sub, string.find, string.match, string.rep
local concat, sort = table.concat, table.sort
local utf8_char, tointeger = utf8.char, math.tointeger

local MAX_DEPTH = 256
local MAX_INDENT = 16

-- The bytes that end a run of plain string content: U+0000 to U+001F, '"'
-- and '\'.
local STRING_STOP = '[\0-\31"\\]'
-- Anything but the four whitespace bytes.
local NOT_WHITESPACE = "[^ \n\r\t]"
local NOT_DIGIT = "[^0-9]"

-- ---------------------------------------------------------------------------
-- Errors

-- A syntax error is raised as a table with this metatable and turned into
-- `nil, "at byte N: ..."` at the API boundary; any other error is a bug and
-- is raised again.
local SyntaxError = {}

-- Fails at the 1-based position `pos`: the contract's offset is `pos - 1`.
local function fail(pos, message)
  error(setmetatable({ offset = pos - 1, message = message }, SyntaxError), 0)
end

-- The input ended while it was still a valid prefix: the offset is its length.
local function fail_end(len)
  fail(len + 1, "unexpected end of input")
end

-- ---------------------------------------------------------------------------
-- Layout: one memoised string per depth

-- A table whose entry `depth` is `build(depth)`, made on first use.
local function per_depth(build)
  return setmetatable({}, {
    __index = function(self, depth)
      local text = build(depth)
      self[depth] = text
      return text
    end,
  })
end

-- The pieces of `format`'s layout for one indent, each by the depth of the
-- lines it starts: `depth * indent` spaces after every newline.
local function pretty_layout(indent)
  local function newline(depth)
    return "\n" .. rep(" ", depth * indent)
  end
  return {
    pretty = true,
    open_array = per_depth(function(depth) return "[" .. newline(depth) end),
    open_object = per_depth(function(depth) return "{" .. newline(depth) end),
    close_array = per_depth(function(depth) return newline(depth) .. "]" end),
    close_object = per_depth(function(depth) return newline(depth) .. "}" end),
    separator = per_depth(function(depth) return "," .. newline(depth) end),
    colon = ": ",
  }
end

-- `minify`'s layout: the same pieces with no whitespace.
local function constant(text)
  return setmetatable({}, { __index = function() return text end })
end

local MINIFY = {
  pretty = false,
  open_array = constant("["),
  open_object = constant("{"),
  close_array = constant("]"),
  close_object = constant("}"),
  separator = constant(","),
  colon = ":",
}

-- Built on first use, one per indent from 0 to 16, and kept.
local PRETTY = setmetatable({}, {
  __index = function(self, indent)
    local layout = pretty_layout(indent)
    self[indent] = layout
    return layout
  end,
})

-- ---------------------------------------------------------------------------
-- Strings

-- The one-character escapes, by the byte after the backslash, with what they
-- stand for (for sort-keys).
local SHORT_ESCAPES = {
  [34] = '"', [92] = "\\", [47] = "/",
  [98] = "\b", [102] = "\f", [110] = "\n", [114] = "\r", [116] = "\t",
}

-- The second hex digit of a high surrogate escape after `D`: 8 to B.
local HIGH_SECOND = { [56] = true, [57] = true, [97] = true, [98] = true, [65] = true, [66] = true }

local function is_hex(b)
  return (b >= 48 and b <= 57) or (b >= 97 and b <= 102) or (b >= 65 and b <= 70)
end

-- Validates the escape whose backslash is at `bs`; returns the position just
-- after it (after both escapes of a surrogate pair).
local function escape(s, bs, len)
  local kind = byte(s, bs + 1)
  if SHORT_ESCAPES[kind] then
    return bs + 2
  elseif kind ~= 117 then -- not `u`
    if kind then
      fail(bs + 1, "invalid escape")
    end
    fail_end(len)
  end
  local h1, h2 = byte(s, bs + 2, bs + 3)
  -- `\uDC` to `\uDF` can only start a low surrogate, which nothing pairs
  -- here: the contract reports its backslash as soon as that is certain.
  if h1 and h2 and h1 | 32 == 100 and h2 | 32 >= 99 and h2 | 32 <= 102 then
    fail(bs, "low surrogate escape without a high surrogate before it")
  end
  if not find(s, "^%x%x%x%x", bs + 2) then
    for at = bs + 2, bs + 5 do
      local b = byte(s, at)
      if not b then
        fail_end(len)
      elseif not is_hex(b) then
        fail(at, "invalid hex digit in a \\u escape")
      end
    end
  end
  if h1 | 32 == 100 and HIGH_SECOND[h2] then
    -- A high surrogate: exactly a `\u` low surrogate escape must follow, or
    -- the high one is unpaired, even when the input ends first.
    if not find(s, "^\\u[dD][c-fC-F]%x%x", bs + 6) then
      fail(bs, "high surrogate escape not followed by a low surrogate escape")
    end
    return bs + 12
  end
  return bs + 6
end

-- The rest of a string after its first run of plain characters: `at` is the
-- first stop byte after the opening quote, or nil at the end of the input.
-- Returns the position of the closing quote and whether the string has
-- escapes.
local function string_rest(s, at, len)
  local escaped = false
  while true do
    if not at then
      fail_end(len)
    end
    local b = byte(s, at)
    if b == 34 then
      return at, escaped
    elseif b ~= 92 then
      fail(at, "control character in a string must be escaped")
    end
    escaped = true
    at = find(s, STRING_STOP, escape(s, at, len))
  end
end

-- The decoded value of a key's text between its quotes (already validated),
-- as UTF-8, whose byte order is the order of Unicode scalar values.
local function decode(raw)
  local out, n, at = {}, 0, 1
  while true do
    local bs = find(raw, "\\", at, true)
    if not bs then
      n = n + 1
      out[n] = sub(raw, at)
      return concat(out, "", 1, n)
    end
    n = n + 1
    out[n] = sub(raw, at, bs - 1)
    local kind = byte(raw, bs + 1)
    if kind == 117 then
      local unit = tonumber(sub(raw, bs + 2, bs + 5), 16)
      at = bs + 6
      if unit >= 0xD800 and unit <= 0xDBFF then
        local low = tonumber(sub(raw, bs + 8, bs + 11), 16)
        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        at = bs + 12
      end
      n = n + 1
      out[n] = utf8_char(unit)
    else
      n = n + 1
      out[n] = SHORT_ESCAPES[kind]
      at = bs + 2
    end
  end
end

-- ---------------------------------------------------------------------------
-- Numbers and literals

-- Validates the number at `p` (a `-` or a digit); returns the position just
-- after it.  A leading zero ends the integer part, so `01` fails at the `1`
-- in the caller, where a separator is expected.
local function number_end(s, p, len)
  local b = byte(s, p)
  if b == 45 then -- `-`
    p = p + 1
    b = byte(s, p)
  end
  if b == 48 then
    p = p + 1
  elseif not b then
    fail_end(len)
  elseif b >= 49 and b <= 57 then
    p = find(s, NOT_DIGIT, p + 1) or len + 1
  else
    fail(p, "expected a digit")
  end
  b = byte(s, p)
  if b == 46 then -- `.`
    p = p + 1
    b = byte(s, p)
    if not b then
      fail_end(len)
    elseif b < 48 or b > 57 then
      fail(p, "expected a digit")
    end
    p = find(s, NOT_DIGIT, p + 1) or len + 1
    b = byte(s, p)
  end
  if b == 101 or b == 69 then -- `e`, `E`
    p = p + 1
    b = byte(s, p)
    if b == 43 or b == 45 then
      p = p + 1
      b = byte(s, p)
    end
    if not b then
      fail_end(len)
    elseif b < 48 or b > 57 then
      fail(p, "expected a digit")
    end
    p = find(s, NOT_DIGIT, p + 1) or len + 1
  end
  return p
end

-- The error for a misspelled or cut-off `word` at `p`.
local function literal_error(s, p, word, len)
  for i = 1, #word do
    local b = byte(s, p + i - 1)
    if not b then
      fail_end(len)
    elseif b ~= byte(word, i) then
      fail(p + i - 1, "invalid literal")
    end
  end
  fail_end(len)
end

-- ---------------------------------------------------------------------------
-- Sorting keys

-- Lua compares strings with strcoll, which is byte order in the C locale that
-- an embedding process starts in; if the locale says otherwise, compare
-- bytes by hand.
local less
if "\xC3\xA9" > "z" and "a\0b" < "a\0c" and "Z" < "a" and "\xEF\xBD\xA1" < "\xF0\x9F\x98\x80" then
  less = function(a, b) return a < b end
else
  less = function(a, b)
    local la, lb = #a, #b
    for i = 1, la < lb and la or lb do
      local x, y = byte(a, i), byte(b, i)
      if x ~= y then
        return x < y
      end
    end
    return la < lb
  end
end

-- Stable: equal keys keep their input order.
local function member_order(a, b)
  if a.key ~= b.key then
    return less(a.key, b.key)
  end
  return a.index < b.index
end

-- ---------------------------------------------------------------------------
-- The printer

-- A plain string's closing quote: a run of plain characters, then `"`.  As
-- a position capture it creates no string.
local PLAIN_STRING_END = '^[^\0-\31"\\]*()"'

-- Validates and prints `s` with `layout` (PRETTY[indent] or MINIFY); raises a
-- SyntaxError on the first error.
--
-- The cursor is `p`, with `b` the byte there (nil at the end) and `c`, `d`
-- the bytes after it where they were read together.  Most whitespace is
-- absent or one byte, so skipping it after a punctuation mark looks at the
-- next two bytes in one string.byte call and calls string.find only for
-- longer runs; that idiom is written out where it is needed, because a Lua
-- function call would cost as much as what it saves.
--
-- With `sorting`, the members of an object are printed in input order as
-- usual and, when the object closes, its members' pieces are joined and put
-- back in key order: nested objects are sorted by then.
local function print_document(s, layout, sorting)
  local len = #s
  if byte(s, 1) == 0xEF and byte(s, 2) == 0xBB and byte(s, 3) == 0xBF then
    fail(1, "a byte order mark (U+FEFF) is not allowed")
  end
  local open_array, open_object = layout.open_array, layout.open_object
  local close_array, close_object = layout.close_array, layout.close_object
  local separator, colon, pretty = layout.separator, layout.colon, layout.pretty

  local buf, n = {}, 0
  -- objects[d]: whether the container at depth d is an object.
  local objects, depth, in_object = {}, 0, false
  -- sort-keys: every open object's members, innermost last (the index of
  -- its key's piece, of its value's last piece, its decoded key), and for
  -- each open non-empty object the member count when it opened.
  local m_start, m_end, m_key, members, opened, n_opened
  local p, b, c, d, q = 1, nil, nil, nil, nil

  -- sort-keys: puts the members of the object that is closing in key order.
  -- (Made, with its tables, only for a call that sorts.)
  local sort_members = sorting and function()
    local first = opened[n_opened] + 1
    n_opened = n_opened - 1
    m_end[members] = n
    local in_order = true
    for i = first, members - 1 do
      if less(m_key[i + 1], m_key[i]) then
        in_order = false
        break
      end
    end
    if not in_order then
      -- The members run from the first one's key to the end of the buffer;
      -- they are put back from `region` on (every concat names its range,
      -- so pieces left past `n` are never read).
      local region, items = m_start[first], {}
      for i = first, members do
        items[i - first + 1] = { key = m_key[i], index = i, text = concat(buf, "", m_start[i], m_end[i]) }
      end
      sort(items, member_order)
      n = region - 1
      local between = separator[depth]
      for i, item in ipairs(items) do
        if i > 1 then
          n = n + 1
          buf[n] = between
        end
        n = n + 1
        buf[n] = item.text
      end
    end
    members = first - 1
  end
  if sorting then
    m_start, m_end, m_key, members, opened, n_opened = {}, {}, {}, 0, {}, 0
  end

  -- Leading whitespace (`p` is 0 here, before the input).
  p = 0
  b, c = byte(s, 1, 2)
  if b == 32 or b == 10 or b == 13 or b == 9 then
    if c == 32 or c == 10 or c == 13 or c == 9 then
      p = find(s, NOT_WHITESPACE, 3) or len + 1
      b = byte(s, p)
    else
      p, b = 2, c
    end
  else
    p = 1
  end
  goto value

  -- An object member: its key at `p` (a `"`), the colon and whitespace,
  -- then its value.
  ::key::
  q = match(s, PLAIN_STRING_END, p + 1)
  if sorting then
    local escaped = false
    if not q then
      q, escaped = string_rest(s, find(s, STRING_STOP, p + 1), len)
    end
    members = members + 1
    m_start[members] = n + 1
    local raw = sub(s, p + 1, q - 1)
    m_key[members] = escaped and decode(raw) or raw
  elseif not q then
    q = string_rest(s, find(s, STRING_STOP, p + 1), len)
  end
  b, c = byte(s, q + 1, q + 2)
  if b == 58 and not pretty then
    -- `"key":` as `minify` prints it: one piece.
    n = n + 1
    buf[n] = sub(s, p, q + 1)
    p = q + 2
    b = c
  elseif b == 58 and c == 32 then
    -- `"key": ` as `format` prints it: one piece.
    n = n + 1
    buf[n] = sub(s, p, q + 2)
    p = q + 3
    b = byte(s, p)
  else
    n = n + 1
    buf[n] = sub(s, p, q)
    p = q + 1
    if b ~= 58 then
      if b == 32 or b == 10 or b == 13 or b == 9 then
        p = find(s, NOT_WHITESPACE, p + 1) or len + 1
        b = byte(s, p)
      end
      if b ~= 58 then
        if b then
          fail(p, "expected ':'")
        end
        fail_end(len)
      end
    end
    n = n + 1
    buf[n] = colon
    b = byte(s, p + 1)
    p = p + 1
  end
  if b == 32 or b == 10 or b == 13 or b == 9 then
    p = find(s, NOT_WHITESPACE, p + 1) or len + 1
    b = byte(s, p)
  end

  -- A value at `p`, which starts with the byte `b`.
  ::value::
  if b == 34 then -- a string
    q = match(s, PLAIN_STRING_END, p + 1) or string_rest(s, find(s, STRING_STOP, p + 1), len)
    n = n + 1
    buf[n] = sub(s, p, q)
    p = q + 1
  elseif b == 123 or b == 91 then -- `{`, `[`
    if depth == MAX_DEPTH then
      fail(p, "nesting deeper than 256 arrays and objects")
    end
    depth = depth + 1
    in_object = b == 123
    objects[depth] = in_object
    b, c = byte(s, p + 1, p + 2)
    if b == 32 or b == 10 or b == 13 or b == 9 then
      if c == 32 or c == 10 or c == 13 or c == 9 then
        p = find(s, NOT_WHITESPACE, p + 3) or len + 1
        b = byte(s, p)
      else
        p, b = p + 2, c
      end
    else
      p = p + 1
    end
    if in_object then
      if b == 34 then
        if sorting then
          n_opened = n_opened + 1
          opened[n_opened] = members
        end
        n = n + 1
        buf[n] = open_object[depth]
        goto key
      elseif b == 125 then -- `}`
        p = p + 1
        depth = depth - 1
        in_object = objects[depth]
        n = n + 1
        buf[n] = "{}"
      elseif b then
        fail(p, "expected a string key or '}'")
      else
        fail_end(len)
      end
    elseif b == 93 then -- `]`
      p = p + 1
      depth = depth - 1
      in_object = objects[depth]
      n = n + 1
      buf[n] = "[]"
    elseif b then
      n = n + 1
      buf[n] = open_array[depth]
      goto value
    else
      fail_end(len)
    end
  elseif b == 116 then -- `t`
    local b2, b3, b4 = byte(s, p + 1, p + 3)
    if b2 ~= 114 or b3 ~= 117 or b4 ~= 101 then
      literal_error(s, p, "true", len)
    end
    n = n + 1
    buf[n] = "true"
    p = p + 4
  elseif b == 102 then -- `f`
    local b2, b3, b4, b5 = byte(s, p + 1, p + 4)
    if b2 ~= 97 or b3 ~= 108 or b4 ~= 115 or b5 ~= 101 then
      literal_error(s, p, "false", len)
    end
    n = n + 1
    buf[n] = "false"
    p = p + 5
  elseif b == 110 then -- `n`
    local b2, b3, b4 = byte(s, p + 1, p + 3)
    if b2 ~= 117 or b3 ~= 108 or b4 ~= 108 then
      literal_error(s, p, "null", len)
    end
    n = n + 1
    buf[n] = "null"
    p = p + 4
  elseif not b then
    fail_end(len)
  elseif b == 45 or (b >= 48 and b <= 57) then
    q = number_end(s, p, len)
    n = n + 1
    buf[n] = sub(s, p, q - 1)
    p = q
  else
    fail(p, "expected a value")
  end

  -- After a value: close containers until one goes on with a comma.
  while true do
    b, c, d = byte(s, p, p + 2)
    if b == 32 or b == 10 or b == 13 or b == 9 then
      p = find(s, NOT_WHITESPACE, p + 1) or len + 1
      b, c, d = byte(s, p, p + 2)
    end
    if depth == 0 then
      if b then
        fail(p, "unexpected character after the document")
      end
      return concat(buf, "", 1, n)
    end
    if b == 44 then -- `,`
      if sorting and in_object then
        m_end[members] = n
      end
      n = n + 1
      buf[n] = separator[depth]
      if c == 32 or c == 10 or c == 13 or c == 9 then
        if d == 32 or d == 10 or d == 13 or d == 9 then
          p = find(s, NOT_WHITESPACE, p + 3) or len + 1
          b = byte(s, p)
        else
          p, b = p + 2, d
        end
      else
        p, b = p + 1, c
      end
      if not in_object then
        goto value
      elseif b == 34 then
        goto key
      elseif b then
        fail(p, "expected a string key")
      end
      fail_end(len)
    elseif b == 93 and not in_object then -- `]`
      p = p + 1
      depth = depth - 1
      in_object = objects[depth]
      n = n + 1
      buf[n] = close_array[depth]
    elseif b == 125 and in_object then -- `}`
      p = p + 1
      if sorting then
        sort_members()
      end
      depth = depth - 1
      in_object = objects[depth]
      n = n + 1
      buf[n] = close_object[depth]
    elseif b then
      fail(p, in_object and "expected ',' or '}'" or "expected ',' or ']'")
    else
      fail_end(len)
    end
  end
end

-- ---------------------------------------------------------------------------
-- The contract's functions

local function run(input, layout, sorting)
  local ok, result = pcall(print_document, input, layout, sorting)
  if ok then
    return result
  elseif getmetatable(result) == SyntaxError then
    return nil, "at byte " .. result.offset .. ": " .. result.message
  end
  error(result, 0)
end

local jsonfmt = {}

-- `format(input, options)`: options nil means indent 2, keys not sorted.
function jsonfmt.format(input, options)
  local indent, sorting = 2, false
  if options ~= nil then
    indent = tointeger(options.indent)
    sorting = options.sort_keys == true
    if not indent or indent < 0 then
      return nil, "invalid options: indent must be a whole number from 0 to " .. MAX_INDENT
    end
  end
  if indent > MAX_INDENT then
    return nil, "invalid options: indent " .. indent .. " is greater than " .. MAX_INDENT
  end
  return run(input, PRETTY[indent], sorting)
end

-- `minify(input)`: the same validation, no whitespace outside strings.
function jsonfmt.minify(input)
  return run(input, MINIFY, false)
end

return jsonfmt
