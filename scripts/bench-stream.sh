#!/usr/bin/env bash
# The change stream's figures (not a test): simulated edge -> SSE event at 1/10/100 watchers,
# and RSS with 0 and 500 idle watchers, against the release build serving the demo robot with
# server.max_watchers raised to 500. Usage: scripts/bench-stream.sh [edges] [json-out]
set -euo pipefail
cd "$(dirname "$0")/.."
edges=${1:-1000}
port=${BENCH_PORT:-5098}
swift build -c release --product iotoyd >/dev/null
bin=$(swift build -c release --show-bin-path)/iotoyd
board=$(mktemp --suffix=.yaml)
sed "s/^server:.*$/server: { port: 5000, max_watchers: 500, max_connections: 700 }/" boards/demo.yaml >"$board"
grep -q max_watchers "$board" || { echo "boards/demo.yaml has no server: line to raise max_watchers on" >&2; exit 1; }
ulimit -n 4096
"$bin" serve --simulate "$board" --port "$port" --bind 127.0.0.1 --no-advertise --log-level warning >/tmp/iotoyd-bench-stream.out 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -f "$board"' EXIT
for _ in $(seq 1 100); do grep -q serving /tmp/iotoyd-bench-stream.out && break; sleep 0.1; done
echo "iotoyd $(git describe --always --dirty 2>/dev/null) release, $(nproc) cores; edges through /_sim (the request included)"
python3 scripts/bench-stream.py --port "$port" --pid "$pid" --edges "$edges" ${2:+--json "$2"}
