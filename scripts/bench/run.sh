#!/usr/bin/env bash
# The benchmark suite (issue 15 §1), one command: builds the release iotoyd, the bare
# Hummingbird peer (iotoyd-bench-peer), the in-process PUT probe (iotoyd-bench-put) and the
# host-built TestHost firmware, and measures REST read against the peer (alternated in one
# run), REST write, the serial host's overhead, edge -> SSE, failsafe lateness, a 1,024-servo
# board and the footprint. Prints a table and writes it as JSON.
# Figures, not a test: it fails only when a server does not start. The machine is shared by
# servers and clients; run it on a quiet machine (in this tree: through /work/build-lock, which
# also keeps other builds off the cores while it measures).
#
# Usage: scripts/bench/run.sh [--quick] [--json PATH] [--only rest,serial,stream,failsafe,scale] [--no-build]
#   --quick     shorter runs (about a minute and a half instead of about four)
#   --json      where the figures go (default build/bench.json)
#   --only      some phases (see scripts/bench/bench.py)
#   --no-build  measure what .build/release holds
set -euo pipefail
cd "$(dirname "$0")/../.."
usage() { sed -n '/^# Usage:/,/^#   --no-build/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
options=()
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) options+=(--quick) ;;
    --json) [ $# -ge 2 ] || usage; options+=(--json "$2"); shift ;;
    --only) [ $# -ge 2 ] || usage; options+=(--only "$2"); shift ;;
    --no-build) build=0 ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
  shift
done

if ! command -v wrk >/dev/null; then
  apt-get install -y -o DPkg::Lock::Timeout=600 wrk >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y -o DPkg::Lock::Timeout=600 wrk >/dev/null; }
fi
# The shipped build's flags (static Swift runtime, lld, packed relocations), for the peers too,
# so the footprint measured is the package's and the peers are built the same way.
source scripts/lib/release-build.sh
if [ "$build" = 1 ]; then
  echo "building (release, as shipped): iotoyd, iotoyd-bench-peer, iotoyd-bench-put, Firmware's host TestHost" >&2
  for product in iotoyd iotoyd-bench-peer iotoyd-bench-put; do
    if ! output=$(swift build "${release_flags[@]}" --product "$product" 2>&1); then
      echo "$output" | grep -E "error" | head -n 20 >&2
      exit 1
    fi
  done
  make -s -C Firmware host >/dev/null
fi
bin=$(swift build "${release_flags[@]}" --show-bin-path)
for binary in iotoyd iotoyd-bench-peer iotoyd-bench-put; do
  [ -x "$bin/$binary" ] || { echo "no $bin/$binary: build it (scripts/bench/run.sh without --no-build)" >&2; exit 1; }
done
# Daemons and simulated boards left by a killed test run share the two cores with what is
# measured, and distort every figure (PUT ran at 8,000/s beside 92 of them, 12,600/s without).
strays=$( (pgrep -f '/iotoyd( |$)|Firmware/build/(sim/runner|host/)' || true) | wc -l)
if [ "$strays" -gt 0 ]; then
  echo "warning: $strays other iotoyd or simulated-board processes are running; the figures will be low" >&2
  echo "  (a killed test run's daemons: pkill -f '/iotoyd( |\$)'; the simulated boards end with their parent)" >&2
fi
describe="iotoyd $(git describe --always --dirty 2>/dev/null || echo unknown), $(swift --version 2>/dev/null | head -n 1)"
ulimit -n 4096 2>/dev/null || true
PYTHONDONTWRITEBYTECODE=1 exec python3 scripts/bench/bench.py --bin "$bin" --describe "$describe" "${options[@]}"
