-- wrk script for scripts/bench-search: cycles through scripts/bench-search.queries against the
-- JSON endpoint. MODE=unika adds a counter to every query string, so the server's answer cache
-- never answers and every request searches. Q="styrelsen beslut" asks that one query instead of
-- the list (for one query's time on one connection: wrk -t1 -c1). FRAGOR names another list,
-- e.g. scripts/bench-search-sample.queries (issue 19's 300 sampled queries). Each wrk thread
-- starts at its own place in the list, so the threads do not ask the same query at once.
local queries = {}
local unique = os.getenv("MODE") == "unika"
local counter = 0
local index = 0

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    if c == " " then return "+" end
    return string.format("%%%02X", string.byte(c))
  end))
end

function init(args)
  local one = os.getenv("Q")
  if one and #one > 0 then
    queries[1] = encode(one)
    return
  end
  for line in io.lines(os.getenv("FRAGOR") or "scripts/bench-search.queries") do
    if #line > 0 then queries[#queries + 1] = encode(line) end
  end
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
  index = math.random(0, #queries - 1)
end

function request()
  index = index % #queries + 1
  counter = counter + 1
  local path = wrk.path .. "sok/svar.json?q=" .. queries[index]
  if unique then path = path .. "&n=" .. math.random(1, 1e9) .. "-" .. counter end
  return wrk.format("GET", path)
end
