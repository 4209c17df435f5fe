#!/usr/bin/env bash
# Benchmark: serves the demo board in release mode and measures it with wrk (Debian's package).
# Prints requests/s and p50/p99 latency for a cached GET and a servo PUT, and the daemon's RSS
# idle and after load. Not a test: figures only. Usage: scripts/bench.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-16}
port=${BENCH_PORT:-5099}

if ! command -v wrk >/dev/null; then
  apt-get install -y -o DPkg::Lock::Timeout=600 wrk || { apt-get update && apt-get install -y -o DPkg::Lock::Timeout=600 wrk; }
fi
swift build -c release --product iotoyd >/dev/null
bin=$(swift build -c release --show-bin-path)/iotoyd

"$bin" --port "$port" --bind 127.0.0.1 --log-level warning >/tmp/iotoyd-bench.out 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q serving /tmp/iotoyd-bench.out && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
echo "iotoyd $(git describe --always --dirty 2>/dev/null) on $(nproc) cores, wrk -t2 -c$connections -d${duration}s"
echo "RSS idle:            $(rss)"

lua=$(mktemp --suffix=.lua)
cat >"$lua" <<'LUA'
local angles = {30, 60, 90, 120, 150}
local i = 0
request = function()
  i = i % #angles + 1
  return wrk.format("PUT", "/front_left_leg/lift", {}, tostring(angles[i]))
end
done = function(summary, latency, requests)
  io.write(string.format("  p50 %.0f us, p99 %.0f us, errors %d\n", latency:percentile(50), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
getlua=$(mktemp --suffix=.lua)
grep -v '^request' "$lua" | sed '/^local angles/,/^end$/d' >"$getlua"

echo "GET /climate/temperature (cached sample):"
wrk -t2 -c"$connections" -d"${duration}s" -s "$getlua" "http://127.0.0.1:$port/climate/temperature" | grep -E "Requests/sec|p50"
echo "PUT /front_left_leg/lift (servo on the simulated PCA9685):"
wrk -t2 -c"$connections" -d"${duration}s" -s "$lua" "http://127.0.0.1:$port/" | grep -E "Requests/sec|p50"
echo "RSS after load:      $(rss)"
rm -f "$lua" "$getlua"
