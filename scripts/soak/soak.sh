#!/usr/bin/env bash
# Soak (issue 15 §4): the release build serving the demo on simulated hardware, loopback only,
# 60 s at 256 keep-alive connections of mixed GET/PUT/POST with 50 stream watchers of the whole
# tree; then the figures and a verdict (scripts/soak/soak.py). Not part of CI: it takes a minute
# of both cores. Usage: scripts/soak/soak.sh [seconds] [connections] [watchers] [json-out]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
connections=${2:-256}
watchers=${3:-50}
source scripts/lib/release-build.sh   # the build that ships
swift build "${release_flags[@]}" --product iotoyd >/dev/null
bin=$(swift build "${release_flags[@]}" --show-bin-path)/iotoyd
board=$(mktemp --suffix=.yaml)
out=$(mktemp)
# Room for the load: connections and watchers above the defaults (256 and 64).
sed "s/^server:.*$/server: { port: 5000, max_watchers: $((watchers + 8)), max_connections: $((connections + watchers + 16)) }/" boards/demo.yaml >"$board"
ulimit -n 4096
source scripts/lib/start-iotoyd.sh
daemon=""
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null || true; rm -f "$board" "$out" "$out.err"' EXIT
start_iotoyd "$bin" "$out" "$out.err" serve --simulate "$board" --log-level warning || exit 1
pid=$daemon
echo "iotoyd $(git describe --always --dirty 2>/dev/null) release on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)); soak ${seconds}s, $connections connections, $watchers watchers"
status=0
python3 scripts/soak/soak.py --port "$port" --pid "$pid" --seconds "$seconds" --connections "$connections" --watchers "$watchers" ${4:+--json "$4"} || status=$?
kill -0 "$pid" 2>/dev/null || { echo "iotoyd died during the soak" >&2; exit 1; }
exit $status
