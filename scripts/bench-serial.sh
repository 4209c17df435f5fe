#!/usr/bin/env bash
# Benchmark: iotoyd (release) serving the host-built TestHost firmware over a pseudo-terminal
# with `serve --serial`. Every request is one command and one reply on the wire, one at a time
# per port, so this measures the serial path: the owner thread, the idle watch and the pty.
# Not a test: figures only. Usage: scripts/bench-serial.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-4}
port=${BENCH_PORT:-5098}

if ! command -v wrk >/dev/null; then
  apt-get install -y -o DPkg::Lock::Timeout=600 wrk || { apt-get update && apt-get install -y -o DPkg::Lock::Timeout=600 wrk; }
fi
make -C Firmware host >/dev/null
swift build -c release --product iotoyd >/dev/null
bin=$(swift build -c release --show-bin-path)/iotoyd
scratch=$(mktemp -d)

Firmware/build/host/testhost --pty-link "$scratch/testhost.pty" >"$scratch/firmware.out" 2>&1 &
firmware=$!
for _ in $(seq 1 50); do [ -e "$scratch/testhost.pty" ] && break; sleep 0.1; done
"$bin" serve --serial "$scratch/testhost.pty" --port "$port" --bind 127.0.0.1 --no-advertise --log-level warning >"$scratch/iotoyd.out" 2>&1 &
pid=$!
trap 'kill $pid $firmware 2>/dev/null; wait $pid $firmware 2>/dev/null || true; rm -rf "$scratch"' EXIT
for _ in $(seq 1 100); do grep -q serving "$scratch/iotoyd.out" && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
echo "iotoyd $(git describe --always --dirty 2>/dev/null) --serial (host-built TestHost on a pty), wrk -t1 -c$connections -d${duration}s"
echo "RSS idle:            $(rss)"

report=$(mktemp --suffix=.lua)
cat >"$report" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("  p50 %.0f us, p99 %.0f us, errors %d\n", latency:percentile(50), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
put=$(mktemp --suffix=.lua)
{ echo 'request = function() return wrk.format("PUT", "/ratio", {}, "2.5") end'; cat "$report"; } >"$put"
call=$(mktemp --suffix=.lua)
{ echo 'request = function() return wrk.format("POST", "/add", {["Content-Type"] = "application/json"}, "[2, 3]") end'; cat "$report"; } >"$call"

echo "GET /ratio (get on the wire):"
wrk -t1 -c"$connections" -d"${duration}s" -s "$report" "http://127.0.0.1:$port/ratio" | grep -E "Requests/sec|p50"
echo "PUT /ratio (set, then get on the wire):"
wrk -t1 -c"$connections" -d"${duration}s" -s "$put" "http://127.0.0.1:$port/" | grep -E "Requests/sec|p50"
echo "POST /add [2, 3] (a two-argument call):"
wrk -t1 -c"$connections" -d"${duration}s" -s "$call" "http://127.0.0.1:$port/" | grep -E "Requests/sec|p50"
echo "RSS after load:      $(rss)"
rm -f "$report" "$put" "$call"
