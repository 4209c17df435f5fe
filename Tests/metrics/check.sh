#!/usr/bin/env bash
# GET /metrics of the real iotoyd, checked by Prometheus' own linter (`promtool check metrics`,
# Debian's prometheus package): the demo robot on simulated hardware after some traffic (reads,
# a refused write, a 404, a stream), and a board with a simulated IOTOY serial device (the link
# statistics), and the demo bridged to an MQTT broker that is not there (the MQTT families,
# retrying). Any format or naming problem promtool reports fails the check.
#
# Usage: Tests/metrics/check.sh        (iotoyd from .build/debug, or IOTOY_BIN=dir)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${IOTOY_BIN:-$root/.build/debug}
command -v promtool >/dev/null || { echo "Tests/metrics/check.sh: no promtool (apt-get install --no-install-recommends prometheus)" >&2; exit 2; }
[ -x "$bin/iotoyd" ] || { echo "Tests/metrics/check.sh: no $bin/iotoyd; run 'swift build' first" >&2; exit 2; }

work=$(mktemp -d /tmp/iotoy-metrics.XXXXXX)
daemon=""
stop() {
  if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
  daemon=""
}
trap 'stop; rm -rf "$work"' EXIT

# Starts iotoyd on a free port with "$@"; sets $base once it serves.
source "$root/scripts/lib/start-iotoyd.sh"
start() {
  start_iotoyd "$bin/iotoyd" "$work/out" "$work/err" serve "$@" || exit 1
  base=http://127.0.0.1:$port
}

check() {
  local name=$1
  curl -sf "$base/metrics" >"$work/$name.txt"
  promtool check metrics <"$work/$name.txt"
  grep -q '^iotoyd_http_requests_total{' "$work/$name.txt"
  echo "ok: $name: $(grep -c '^# TYPE' "$work/$name.txt") families, $(grep -vc '^#' "$work/$name.txt") samples, promtool clean"
}

start --simulate "$root/boards/demo.yaml"
curl -sf "$base/climate/temperature" >/dev/null
curl -sf "$base/devinfo" >/dev/null
curl -s -o /dev/null -X PUT -d 500 "$base/front_left_leg/lift"
curl -s -o /dev/null "$base/no/such/thing"
curl -s -o /dev/null --max-time 1 -H 'Accept: text/event-stream' "$base/bumper" || true
check demo
stop

start --simulate "$root/boards/legcontroller.yaml"
for _ in $(seq 1 100); do curl -sf "$base/legcontroller/lift" >/dev/null && break; sleep 0.05; done
curl -sf "$base/legcontroller/lift" >/dev/null
check legcontroller
grep -q '^iotoyd_serial_round_trip_seconds_count{port=' "$work/legcontroller.txt"
stop

# An MQTT bridge to a port nobody listens on: the client's families, retrying.
board="$work/mqtt.yaml"
{ cat "$root/boards/demo.yaml"; printf '\nmqtt: { host: 127.0.0.1, port: 9 }\n'; } >"$board"
start --simulate "$board"
curl -sf "$base/devinfo" >/dev/null
check mqtt
grep -q '^iotoyd_mqtt_connected 0' "$work/mqtt.txt"
grep -q '^iotoyd_mqtt_connection_attempts_total [1-9]' "$work/mqtt.txt"
stop
