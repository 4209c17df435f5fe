#!/usr/bin/env bash
# mDNS end to end against a real avahi-daemon (docs/wire.md §3), as root, inside a network
# namespace of its own: lo and a veth pair (192.0.2.1/24, TEST-NET-1, and IPv6 link-local),
# private tmpfs over /run/dbus and /run/avahi-daemon, a system dbus-daemon and an
# avahi-daemon started here. Nothing reaches the host's network or its own daemons.
#
# Checks: without a daemon iotoyd warns once and serves; started before avahi-daemon it
# advertises once the daemon runs; `avahi-browse -rtp _iotoy._tcp` and `iotoy browse` find it (IPv4
# and IPv6); `iotoy get|set|call|ls|tree|help` work by name; errors give their exit codes; a
# second iotoyd with the same device id is advertised under Avahi's alternative name; both
# come back after avahi-daemon restarts; stopping iotoyd withdraws the service;
# --no-advertise stays off mDNS.
#
# Usage: Tests/mdns/run.sh            (binaries from .build/debug, or IOTOY_BIN=dir)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${IOTOY_BIN:-$root/.build/debug}

if [ "${1:-}" != "--inside" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "Tests/mdns/run.sh: needs root (network namespace, mounts, daemons)" >&2; exit 2; }
  for tool in ip unshare dbus-daemon avahi-daemon avahi-browse; do
    command -v "$tool" >/dev/null || { echo "Tests/mdns/run.sh: '$tool' is missing; run scripts/install-deps.sh" >&2; exit 2; }
  done
  for program in iotoyd iotoy; do
    [ -x "$bin/$program" ] || { echo "Tests/mdns/run.sh: no $bin/$program; run 'swift build' first" >&2; exit 2; }
  done
  namespace="iotoy-mdns-$$"
  cleanup_namespace() {
    # Anything still running in the namespace was started by this script: end it by pid.
    local pids
    pids=$(ip netns pids "$namespace" 2>/dev/null || true)
    if [ -n "$pids" ]; then
      kill $pids 2>/dev/null || true
      sleep 1
      pids=$(ip netns pids "$namespace" 2>/dev/null || true)
      [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
    fi
    ip netns del "$namespace" 2>/dev/null || true
  }
  trap cleanup_namespace EXIT
  ip netns add "$namespace"
  status=0
  IOTOY_BIN="$bin" ip netns exec "$namespace" unshare --mount --propagation private bash "$0" --inside || status=$?
  exit "$status"
fi

# ---------------------------------------------------------------- inside the namespace
work=$(mktemp -d /tmp/iotoy-mdns.XXXXXX)
passed=0
started_pids=()

stop_everything() {
  local pid
  for pid in "${started_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f /run/avahi-daemon/pid ] && kill "$(cat /run/avahi-daemon/pid)" 2>/dev/null || true
  [ -f /run/dbus/pid ] && kill "$(cat /run/dbus/pid)" 2>/dev/null || true
  sleep 0.5
  rm -rf "$work"
}
trap stop_everything EXIT

fail() {
  echo "FAIL: $*" >&2
  for log in "$work"/*.log; do
    [ -f "$log" ] || continue
    echo "---- $(basename "$log")" >&2
    tail -n 30 "$log" >&2
  done
  echo "$passed passed, 1 failed"
  exit 1
}

ok() {
  passed=$((passed + 1))
  echo "ok $passed - $*"
}

# avahi-browse -p escapes a name's space and '#' as \032 and \035: 'robocat #2' is robocat\032\0352.
# wait_until SECONDS DESCRIPTION COMMAND…: polls COMMAND until it succeeds.
wait_until() {
  local seconds=$1 description=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$description (waited ${seconds}s)"
    sleep 0.2
  done
}

browse() { avahi-browse -rtp _iotoy._tcp 2>/dev/null; }
browse_has() { grep -qF -- "$1" <<<"$(browse)"; }
browse_lacks() { ! grep -qF -- "$1" <<<"$(browse)"; }

start_dbus() {
  dbus-daemon --system --fork
  wait_until 10 "the system D-Bus starts" test -S /run/dbus/system_bus_socket
}

start_avahi() {
  avahi-daemon --daemonize --no-chroot --no-rlimits --file "$work/avahi-daemon.conf"
  wait_until 15 "avahi-daemon starts" avahi-daemon --check
  wait_until 15 "avahi-daemon answers on D-Bus" avahi-browse -at
}

stop_avahi() {
  avahi-daemon --kill
  wait_until 10 "avahi-daemon stops" bash -c '! avahi-daemon --check'
}

# start_iotoyd NAME ARGS…: starts iotoyd with its output in $work/NAME.{out,log}; sets $pid and $port.
start_iotoyd() {
  local name=$1
  shift
  "$bin/iotoyd" serve --port 0 --bind 0.0.0.0 "$@" >"$work/$name.out" 2>"$work/$name.log" &
  pid=$!
  started_pids+=("$pid")
  wait_until 30 "$name serves HTTP" grep -q "serving" "$work/$name.out"
  port=$(sed -n 's|.*http://0\.0\.0\.0:\([0-9]*\)/.*|\1|p' "$work/$name.out" | head -n 1)
  [ -n "$port" ] || fail "$name printed no port"
}

stop_iotoyd() {
  local name=$1 which=$2
  kill -TERM "$which"
  local status=0
  wait "$which" || status=$?
  [ "$status" -eq 0 ] || fail "$name exited with $status on SIGTERM"
}

# expect_exit STATUS TEXT COMMAND…: COMMAND fails with STATUS and says TEXT on standard error.
expect_exit() {
  local want=$1 text=$2
  shift 2
  local status=0
  "$@" >"$work/out.txt" 2>"$work/err.txt" || status=$?
  [ "$status" -eq "$want" ] || fail "'$*' exited $status, wanted $want: $(cat "$work/err.txt")"
  grep -qF -- "$text" "$work/err.txt" || fail "'$*' said '$(cat "$work/err.txt")', wanted '$text'"
}

# ---- the network: lo and a veth pair, only inside this namespace
ip link set lo up
ip link add iotoy0 type veth peer name iotoy1
ip addr add 192.0.2.1/24 dev iotoy0
ip link set iotoy0 up
ip link set iotoy1 up

# ---- private /run/dbus and /run/avahi-daemon, so the host's daemons (if any) are untouched
mount -t tmpfs tmpfs /run/dbus
mkdir -p /run/avahi-daemon
mount -t tmpfs tmpfs /run/avahi-daemon
cat >"$work/avahi-daemon.conf" <<'EOF'
[server]
host-name=iotoy-mdns-test
use-ipv4=yes
use-ipv6=yes
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
EOF

# ---- 1. no daemon at all: one warning, HTTP served
start_iotoyd lonely
sleep 3   # long enough for a retry or two
warnings=$(grep -c "mDNS: avahi-daemon is not running" "$work/lonely.log" || true)
[ "$warnings" -eq 1 ] || fail "without avahi-daemon iotoyd warned $warnings times, wanted once"
[ "$("$bin/iotoy" get "127.0.0.1:$port/front_left_leg/lift")" = "90 deg" ] || fail "HTTP by address without avahi-daemon"
expect_exit 3 "avahi-daemon is not running" "$bin/iotoy" get robocat/front_left_leg/lift
stop_iotoyd lonely "$pid"
ok "without avahi-daemon: one warning, HTTP served, 'iotoy get NAME' exits 3"

# ---- 2. D-Bus but no avahi-daemon yet: iotoyd waits for it, then advertises
start_dbus
start_iotoyd first
first_pid=$pid first_port=$port
wait_until 10 "iotoyd notices avahi-daemon is missing" grep -q "mDNS: avahi-daemon is not running" "$work/first.log"
start_avahi
wait_until 20 "robocat is advertised" browse_has ";robocat;_iotoy._tcp;local;iotoy-mdns-test.local;192.0.2.1;$first_port;"
grep -q "advertising 'robocat'" "$work/first.log" || fail "iotoyd did not log its advertisement"
[ "$(grep -c "warning.*mDNS" "$work/first.log")" -eq 1 ] || fail "iotoyd warned more than once while waiting"
ok "iotoyd started before avahi-daemon warns once, then advertises robocat._iotoy._tcp on port $first_port"

browse >"$work/browse.txt"
grep -q "^=;[^;]*;IPv4;robocat;.*\"path=/\"" "$work/browse.txt" || fail "TXT path=/ missing: $(cat "$work/browse.txt")"
grep -q "^=;[^;]*;IPv4;robocat;.*\"version=0\.1\.0\"" "$work/browse.txt" || fail "TXT version missing"
grep -q "^=;iotoy0;IPv6;robocat;.*;fe80::[0-9a-f:]*;$first_port;" "$work/browse.txt" || fail "no IPv6 resolution: $(cat "$work/browse.txt")"
ok "avahi-browse -rtp resolves it over IPv4 and IPv6 with TXT path=/ and version"

"$bin/iotoy" browse >"$work/iotoy-browse.txt" || fail "iotoy browse failed"
grep -q "^robocat  .*192\.0\.2\.1.*fe80::.*%iotoy.*  $first_port  iotoy-mdns-test\.local  0\.1\.0$" "$work/iotoy-browse.txt" \
  || fail "iotoy browse: $(cat "$work/iotoy-browse.txt")"
"$bin/iotoy" browse --json | python3 -c '
import json, sys
devices = {d["name"]: d for d in json.load(sys.stdin)}
robocat = devices["robocat"]
assert robocat["port"] == int(sys.argv[1]), robocat
assert any(a.startswith("192.0.2.1") for a in robocat["addresses"]), robocat
assert any(a.startswith("fe80::") for a in robocat["addresses"]), robocat
assert robocat["txt"] == {"path": "/", "version": "0.1.0"}, robocat
' "$first_port" || fail "iotoy browse --json"
ok "iotoy browse finds robocat with its IPv4 and IPv6 addresses, port and version"

# ---- 3. the client by name
[ "$("$bin/iotoy" get robocat/climate/temperature)" = "25.08 degC" ] || fail "iotoy get by name"
[ "$("$bin/iotoy" set robocat/front_left_leg/lift 45)" = "45 deg" ] || fail "iotoy set by name"
[ "$("$bin/iotoy" get robocat/front_left_leg/lift)" = "45 deg" ] || fail "iotoy get after set"
[ "$("$bin/iotoy" set robocat/tail -30)" = "-30 deg" ] || fail "iotoy set a negative value"
[ "$("$bin/iotoy" call robocat/eyes/toggle)" = "true" ] || fail "iotoy call"
[ "$("$bin/iotoy" get robocat/eyes)" = "true" ] || fail "the call toggled the eyes"
# (grep reads captured output: `cmd | grep -q` would fail under pipefail when grep stops early)
listing=$("$bin/iotoy" ls robocat) && grep -q "^front_left_leg/" <<<"$listing" || fail "iotoy ls: $listing"
tree=$("$bin/iotoy" tree robocat) && grep -q "lift .*float.*Lift the leg" <<<"$tree" || fail "iotoy tree: $tree"
help=$("$bin/iotoy" help robocat/front_left_leg/lift) && grep -q "limits: *min 20, max 160 deg" <<<"$help" || fail "iotoy help: $help"
"$bin/iotoy" get --json robocat/front_left_leg/lift | python3 -c 'import json,sys; assert json.load(sys.stdin)["value"] == 45'
ok "iotoy get, set, call, ls, tree, help by name"

expect_exit 7 "/front_left_leg/lift: 200 is outside the limits (min 20, max 160 deg)" \
  "$bin/iotoy" set robocat/front_left_leg/lift 200
expect_exit 5 "/front_left_leg/lfit: no such resource" "$bin/iotoy" get robocat/front_left_leg/lfit
expect_exit 2 "no device named 'nosuchcat' found on the network" "$bin/iotoy" get --timeout 2 nosuchcat/eyes
ok "errors by name: 422 exits 7 with the limits, unknown path exits 5, unknown device exits 2"

# ---- 3b. IPv6 literals: loopback, and link-local with its zone (the veth's fe80:: address)
"$bin/iotoyd" serve --port 0 --bind :: --no-advertise >"$work/six.out" 2>"$work/six.log" &
six_pid=$!
started_pids+=("$six_pid")
wait_until 30 "the IPv6 iotoyd serves HTTP" grep -q "serving" "$work/six.out"
six_port=$(sed -n 's|.*http://\[::\]:\([0-9]*\)/.*|\1|p' "$work/six.out" | head -n 1)
[ -n "$six_port" ] || fail "the IPv6 banner is no URL: $(cat "$work/six.out")"
link_local=$(ip -6 -o addr show dev iotoy0 scope link | sed -n 's|.*inet6 \(fe80::[0-9a-f:]*\)/.*|\1|p' | head -n 1)
[ -n "$link_local" ] || fail "iotoy0 has no link-local address"
[ "$("$bin/iotoy" get "[::1]:$six_port/eyes")" = "false" ] || fail "iotoy get [::1]:port"
[ "$("$bin/iotoy" get "[$link_local%iotoy0]:$six_port/eyes")" = "false" ] || fail "iotoy get [$link_local%iotoy0]:port"
kill "$six_pid"
ok "IPv6: the banner is http://[::]:port/, iotoy reaches [::1]:port and [$link_local%iotoy0]:port"

# ---- 3c. bound to one address: advertised on that interface and family only; to loopback: not at all
"$bin/iotoyd" token add ci --role control --file "$work/tokens" >/dev/null 2>&1 || fail "iotoyd token add"
sed -e 's/^device: robocat$/device: bound/' -e "s|^server: { port: 5000 }$|server: { port: 5000, auth: { tokens_file: $work/tokens } }|" \
  "$root/boards/demo.yaml" >"$work/bound.yaml"
grep -q tokens_file "$work/bound.yaml" || fail "boards/demo.yaml has no 'server: { port: 5000 }' line to add auth to"
"$bin/iotoyd" serve "$work/bound.yaml" --simulate --port 0 --bind 192.0.2.1 >"$work/bound.out" 2>"$work/bound.log" &
bound_pid=$!
started_pids+=("$bound_pid")
wait_until 20 "'bound' is advertised on iotoy0 over IPv4" browse_has ';iotoy0;IPv4;bound;_iotoy._tcp;'
browse_lacks ';IPv6;bound;' || fail "'bound' (bound to 192.0.2.1) is advertised over IPv6 too: $(browse | grep bound)"
browse_has '"auth=token"' || fail "'bound' asks for tokens but its TXT record lacks auth=token: $(browse | grep bound)"
kill "$bound_pid"
sed 's/^device: robocat$/device: hidden/' "$root/boards/demo.yaml" >"$work/hidden.yaml"
"$bin/iotoyd" serve "$work/hidden.yaml" --simulate --port 0 --bind 127.0.0.1 >"$work/hidden.out" 2>"$work/hidden.log" &
hidden_pid=$!
started_pids+=("$hidden_pid")
wait_until 20 "the loopback-bound iotoyd says it is not advertised" grep -q "not advertised over mDNS" "$work/hidden.log"
browse_lacks ';hidden;' || fail "'hidden' (bound to 127.0.0.1) is advertised"
kill "$hidden_pid"
ok "bound to 192.0.2.1: advertised on iotoy0 over IPv4 only, TXT auth=token; bound to 127.0.0.1: not advertised"

# ---- 4. a second robocat: Avahi's alternative name
start_iotoyd second
second_pid=$pid second_port=$port
wait_until 20 "the second robocat is advertised as 'robocat #2'" \
  browse_has ';robocat\032\0352;_iotoy._tcp;local;iotoy-mdns-test.local;192.0.2.1;'"$second_port;"
grep -q "the name 'robocat' is taken on the network; advertising as 'robocat #2'" "$work/second.log" \
  || fail "the second iotoyd did not log its new name"
wait_until 10 "robocat stays on the first port" browse_has ";robocat;_iotoy._tcp;local;iotoy-mdns-test.local;192.0.2.1;$first_port;"
[ "$("$bin/iotoy" get "robocat #2/front_left_leg/lift")" = "90 deg" ] || fail "iotoy get 'robocat #2/…'"
ok "a second iotoyd for robocat is advertised as 'robocat #2' on port $second_port and answers by that name"

# ---- 5. avahi-daemon restarts: both are advertised again
stop_avahi
start_avahi
wait_until 30 "both robocats are advertised again after the restart" \
  bash -c "[ \"\$(avahi-browse -rtp _iotoy._tcp | grep -c '^=;iotoy0;IPv4;robocat')\" = 2 ]"
grep -q "avahi-daemon went away" "$work/first.log" || fail "iotoyd did not notice avahi-daemon going away"
ok "after avahi-daemon restarts, both are advertised again"

# ---- 6. stopping withdraws
stop_iotoyd second "$second_pid"
grep -q "withdrew the mDNS advertisement" "$work/second.log" || fail "the second iotoyd did not log the withdrawal"
wait_until 10 "only one robocat is left" bash -c "[ \"\$(avahi-browse -rtp _iotoy._tcp | grep -c '^=;iotoy0;IPv4;robocat')\" = 1 ]"
stop_iotoyd first "$first_pid"
wait_until 10 "no _iotoy._tcp service is left" browse_lacks ";robocat"
ok "stopping iotoyd withdraws its service"

# ---- 7. --no-advertise
start_iotoyd quiet --no-advertise
sleep 2
browse_lacks ";robocat" || fail "--no-advertise advertised"
! grep -q "mDNS" "$work/quiet.log" || fail "--no-advertise logged about mDNS: $(cat "$work/quiet.log")"
stop_iotoyd quiet "$pid"
ok "iotoyd --no-advertise stays off mDNS"

echo "$passed passed, 0 failed"
