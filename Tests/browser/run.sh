#!/usr/bin/env bash
# The dashboard (/_ui/) in headless Chromium against the real iotoyd serving the demo robot on
# simulated hardware (issue 11 §4): rows for every attribute, the lift servo's slider reaching the
# simulated PCA9685, a 422 shown in its row, the simulated bumper pressed live, a screenshot in
# .build/dashboard.png. Installs nothing: it needs Debian's chromium and chromium-driver and
# Python's selenium (scripts/install-deps.sh or by hand, see the messages below).
#
# Usage: Tests/browser/run.sh            (iotoyd from .build/debug, or IOTOY_BIN=dir; PYTHON=python)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${IOTOY_BIN:-$root/.build/debug}

missing() { echo "Tests/browser/run.sh: $1" >&2; exit 2; }
# The first Python that has selenium: $PYTHON, then python3 on PATH (pip install selenium), then
# Debian's own (apt-get install python3-selenium), which a pyenv python3 on PATH would hide.
python=""
for candidate in ${PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import selenium' 2>/dev/null; then
    python=$candidate
    break
  fi
done
[ -n "$python" ] || missing "no python3 with the selenium module (apt-get install python3-selenium, or pip install selenium)"
[ -x /usr/lib/chromium/chromium ] || command -v chromium >/dev/null \
  || missing "no Chromium (apt-get install --no-install-recommends chromium)"
command -v chromedriver >/dev/null || [ -x /usr/bin/chromedriver ] \
  || missing "no chromedriver (apt-get install --no-install-recommends chromium-driver)"
[ -x "$bin/iotoyd" ] || missing "no $bin/iotoyd; run 'swift build' first"

work=$(mktemp -d /tmp/iotoy-browser.XXXXXX)
daemon=""
stop() {
  if [ -n "$daemon" ]; then
    kill "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT

# The demo robot (iotoyd's default command).
source "$root/scripts/lib/start-iotoyd.sh"
if ! start_iotoyd "$bin/iotoyd" "$work/out" "$work/log"; then
  echo "0 passed, 1 failed"
  exit 1
fi
echo "# iotoyd (pid $daemon) serving on http://127.0.0.1:$port/"

status=0
"$python" "$root/Tests/browser/dashboard_test.py" "http://127.0.0.1:$port" \
  --screenshot "$root/.build/dashboard.png" || status=$?
if [ "$status" -ne 0 ]; then
  echo "---- iotoyd log (last 30 lines)" >&2
  tail -n 30 "$work/log" >&2
  exit "$status"
fi

# The same page against a daemon that asks for tokens: it asks, and logs in with one.
kill "$daemon"; wait "$daemon" 2>/dev/null || true
token=$("$bin/iotoyd" token add ci --role control --file "$work/tokens" 2>/dev/null)
sed "s|^server: { port: 5000 }$|server: { port: 5000, auth: { tokens_file: $work/tokens, trusted: [], anonymous: none } }|" \
  "$root/boards/demo.yaml" >"$work/auth.yaml"
grep -q tokens_file "$work/auth.yaml" || { echo "boards/demo.yaml has no 'server: { port: 5000 }' line" >&2; exit 1; }
start_iotoyd "$bin/iotoyd" "$work/out2" "$work/log2" serve --simulate "$work/auth.yaml" || { echo "0 passed, 1 failed"; exit 1; }
echo "# iotoyd with server.auth (pid $daemon) serving on http://127.0.0.1:$port/"
(cd "$root/Tests/browser" && "$python" login_test.py "http://127.0.0.1:$port" "$token") || status=$?
[ "$status" -eq 0 ] || tail -n 30 "$work/log2" >&2
exit "$status"
