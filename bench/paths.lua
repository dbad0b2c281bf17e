-- wrk script: GET each path of the file named by the PATHS environment variable in turn
-- (one path a line), so a page is measured over many products or queries, not one URL.
-- The headers given with -H (a signed-in shopper's Cookie) go with every request.
local paths = {}
for line in io.lines(os.getenv("PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
