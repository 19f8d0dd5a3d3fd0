-- A weighted mix of paths for bench/bench_mixed.py: each request takes a random line of the
-- file given after `--`; prints wrk's totals as one JSON line (latencies in microseconds).
local paths = {}
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

init = function(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  math.randomseed(os.time() * 100 + id)  -- each thread its own sequence
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

-- The totals line is wrk_summary.lua's, beside this file.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "wrk_summary.lua")
