# Sourced by the suites and scripts that run the real daemon (Tests/metrics, Tests/browser,
# Tests/openapi, scripts/soak): starts it in the background on a free port of 127.0.0.1,
# without advertising, and waits for its banner ("iotoyd: serving ... on http://127.0.0.1:PORT/").
#
#   start_iotoyd BINARY OUT ERR [ARGUMENTS...]   (its stdout to OUT, its stderr to ERR)
#
# Sets $daemon (its pid) and $port. When it exits or does not announce a port within 30 s,
# prints both files on stderr and returns 1; the caller's trap stops it.
start_iotoyd() {
  local binary=$1 out=$2 err=$3
  shift 3
  "$binary" "$@" --port 0 --bind 127.0.0.1 --no-advertise >"$out" 2>"$err" &
  daemon=$!
  port=""
  local _
  for _ in $(seq 1 300); do
    port=$(sed -n 's|^iotoyd: serving .* on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$out" | head -n 1)
    [ -n "$port" ] && return 0
    kill -0 "$daemon" 2>/dev/null || break
    sleep 0.1
  done
  echo "iotoyd ($binary $*) did not announce its port; its output:" >&2
  cat "$out" "$err" >&2
  return 1
}
