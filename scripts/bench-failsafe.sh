#!/usr/bin/env bash
# Failsafe deadline -> safe state on real time (not a test): the release build with a servo on
# a simulated pwmchip and failsafe_ms 100; 200 commands, each left to expire.
# Usage: scripts/bench-failsafe.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-200}
port=${BENCH_PORT:-5095}
swift build -c release --product iotoyd >/dev/null 2>&1
bin=$(swift build -c release --show-bin-path)/iotoyd
board=$(mktemp --suffix=.yaml)
cat >"$board" <<'YAML'
device: failsafe
hardware:
  pwm: { kind: pwmchip, chip: pwmchip0 }
resources:
  tail: { kind: servo, pwm: pwm/0, angle: [-90, 90], failsafe_ms: 100 }
YAML
"$bin" serve --simulate "$board" --port "$port" --bind 127.0.0.1 --no-advertise --log-level error >/tmp/iotoyd-bench-failsafe.out 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -f "$board"' EXIT
for _ in $(seq 1 100); do grep -q serving /tmp/iotoyd-bench-failsafe.out && break; sleep 0.1; done
echo "iotoyd $(git describe --always --dirty 2>/dev/null) release, $(nproc) cores"
python3 scripts/bench-failsafe.py --port "$port" --deadline-ms 100 --rounds "$rounds"
