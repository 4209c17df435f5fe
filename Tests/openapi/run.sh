#!/usr/bin/env bash
# The REST contract checked by a peer tool: schemathesis (from PyPI) reads the demo daemon's
# own /_openapi.json and runs every operation with generated requests, valid and invalid:
# no 5xx but the documented 503/504, every status, Content-Type, header and body as the
# description says, and the daemon still serving at the end.
#
# Usage: Tests/openapi/run.sh     (iotoyd from .build/debug, or IOTOY_BIN=dir)
# IOTOY_OPENAPI_EXAMPLES=N cases per operation (default 12; the demo has ~150 operations).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${IOTOY_BIN:-$root/.build/debug}
examples=${IOTOY_OPENAPI_EXAMPLES:-12}
version=4.32.5
venv=${IOTOY_PY_CACHE:-$HOME/.cache/iotoyd}/schemathesis-$version
[ -x "$bin/iotoyd" ] || { echo "Tests/openapi/run.sh: no $bin/iotoyd; run 'swift build' first" >&2; exit 2; }

# schemathesis in its own virtual environment, kept between runs.
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv" 2>/dev/null || { echo "python3-venv is needed (apt-get install python3-venv)" >&2; exit 2; }
  "$venv/bin/pip" install -q "schemathesis==$version" || { sleep 10; "$venv/bin/pip" install -q "schemathesis==$version"; }
fi

work=$(mktemp -d /tmp/iotoy-openapi.XXXXXX)
daemon=""
trap '[ -n "$daemon" ] && kill "$daemon" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
source "$root/scripts/lib/start-iotoyd.sh"
start_iotoyd "$bin/iotoyd" "$work/out" "$work/err" serve --simulate "$root/boards/demo.yaml" || exit 1
base=http://127.0.0.1:$port

status=0
(cd "$work" && "$venv/bin/st" --config-file "$root/Tests/openapi/schemathesis.toml" --no-color run "$base/_openapi.json" \
  --checks all --max-examples "$examples" --seed 2014 --workers 1 \
  --phases examples,coverage,fuzzing --request-timeout 10 \
  --report junit --report-junit-path "$work/junit.xml") | tee "$work/st.txt" || status=$?

# The daemon survived it and still answers.
kill -0 "$daemon" 2>/dev/null || { echo "FAIL: iotoyd died under schemathesis" >&2; cat "$work/err" >&2; exit 1; }
curl -sf "$base/devinfo" >/dev/null || { echo "FAIL: iotoyd no longer answers" >&2; exit 1; }
cases=$(sed -n 's/^ *\([0-9]*\) generated.*/\1/p' "$work/st.txt" | tail -1)
echo "schemathesis: exit $status; ${cases:-no} generated cases over $(grep -c '<testcase' "$work/junit.xml") operations"
if [ "${cases:-0}" -lt 1000 ]; then echo "FAIL: fewer than 1000 generated cases" >&2; status=1; fi
exit "$status"
