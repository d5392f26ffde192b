-- wrk script of `make bench`: replays the requests listed in a file, one per line
-- (method, path, idempotency key or "-", body; tab-separated). Thread i of n sends lines
-- i, i+n, i+2n, ... so no two requests of a run share a line, e.g. a free slot. When a thread
-- runs out of lines it starts over and counts a wrap, which the benchmark reports.
--
--   wrk -t2 -c32 -d10s -s replay.lua http://127.0.0.1:8000 -- requests.tsv 2 TOKEN

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

function init(args)
   local path, nthreads, token = args[1], tonumber(args[2]), args[3]
   methods, paths, keys, bodies = {}, {}, {}, {}
   local all = {}
   for line in io.lines(path) do
      table.insert(all, line)
   end
   -- Fewer lines than threads (one GET repeated): every thread sends all of them.
   if #all < nthreads then
      nthreads = 1
   end
   for index, line in ipairs(all) do
      if (index - 1) % nthreads == id % nthreads then
         local method, target, key, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
         table.insert(methods, method)
         table.insert(paths, target)
         table.insert(keys, key)
         table.insert(bodies, body)
      end
   end
   headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
   position = 0
   wraps = 0
   statuses = {}
end

function request()
   position = position + 1
   if position > #methods then
      position = 1
      wraps = wraps + 1
   end
   local key = keys[position]
   if key ~= "-" then
      headers["Idempotency-Key"] = key .. "-" .. wraps
   else
      headers["Idempotency-Key"] = nil
   end
   local body = bodies[position]
   if body == "" then
      body = nil
   end
   return wrk.format(methods[position], paths[position], headers, body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local totals, wrapped = {}, 0
   for _, thread in ipairs(threads) do
      wrapped = wrapped + thread:get("wraps")
      for status, count in pairs(thread:get("statuses")) do
         totals[status] = (totals[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(totals) do
      table.insert(parts, string.format('"%d": %d', status, count))
   end
   local errors = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
         .. '"wraps": %d, "socket_errors": %d, "statuses": {%s}}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      wrapped, errors.connect + errors.read + errors.write + errors.timeout,
      table.concat(parts, ", ")
   ))
end
