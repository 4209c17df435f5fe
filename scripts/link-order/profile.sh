#!/usr/bin/env bash
# scripts/link-order/profile.sh — makes scripts/link-order/iotoyd.order, the functions the shipped
# build gathers in one block (scripts/lib/release-build.sh says why): builds iotoyd the way it
# ships, runs it under valgrind's callgrind serving the demo board on simulated hardware, sends
# the requests a controller sends (reads of every kind of resource, the tree, /devinfo,
# /metrics, the OpenAPI description, the dashboard, a servo PUT in and out of its limits, a
# function call, a stream of changes, an unknown path), lets it idle past the failsafe's
# deadline, stops it with SIGTERM, and writes every function of iotoyd that ran, hottest first
# (the instructions it executed itself), so the request path shares pages and cache lines. Run
# it after changes to start-up or the request path; a stale file costs memory, never
# correctness. Needs valgrind and curl; about 20 s after the build.
#
#   scripts/link-order/profile.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in valgrind curl strip; do
  command -v "$tool" >/dev/null || { echo "profile.sh: needs $tool (apt-get install $tool)" >&2; exit 1; }
done
source scripts/lib/release-build.sh
source scripts/lib/start-iotoyd.sh
swift build "${release_flags[@]}" --product iotoyd >/dev/null
bin=$(swift build "${release_flags[@]}" --show-bin-path)/iotoyd
work=$(mktemp -d)
trap 'kill "${daemon:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
# Valgrind 3.19 cannot read DWARF 5; the symbol table is all it needs.
strip --strip-debug -o "$work/iotoyd" "$bin"
start_iotoyd valgrind "$work/out" "$work/err" --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
  --dump-line=no --compress-strings=no --compress-pos=no --demangle=no "$work/iotoyd" serve
base=http://127.0.0.1:$port
for path in / /devinfo /front_left_leg /front_left_leg/lift /tail /climate /climate/temperature /base \
            /distance /imu /battery /eyes /headlight /bumper /metrics /_openapi.json /_ui/ /no/such/path; do
  curl -s -o /dev/null "$base$path"
done
json=(-H 'Content-Type: application/json')
curl -s -o /dev/null -X PUT "${json[@]}" -d 100 "$base/front_left_leg/lift"
curl -s -o /dev/null -X PUT "${json[@]}" -d 500 "$base/front_left_leg/lift"
curl -s -o /dev/null -X POST "${json[@]}" -d '[0.2, 0]' "$base/base/drive"
curl -s -o /dev/null -X POST "$base/base/stop"
curl -s -o /dev/null -H 'Accept: text/event-stream' --max-time 3 "$base/climate/temperature" || true
# The request path, many times over on one keep-alive connection: it is what runs hottest
# (600 GETs, 100 PUTs).
python3 - "$port" <<'PY'
import http.client, sys
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=60)
for round in range(300):
    for path in ("/climate/temperature", "/front_left_leg/lift"):   # a cached sample, a servo through its owner
        connection.request("GET", path)
        connection.getresponse().read()
    if round % 3 == 0:
        connection.request("PUT", "/front_left_leg/lift", body=str(60 + round % 90), headers={"Content-Type": "application/json"})
        connection.getresponse().read()
PY
sleep 3   # past the failsafe's 1 s deadline: the drive it stops, then idle
kill -TERM "$daemon"
wait "$daemon" || true
python3 - "$work/callgrind.out" "$work/iotoyd" scripts/link-order/iotoyd.order <<'PY'
import re, sys
profile, binary, order = sys.argv[1:]
# Each function's own cost (instructions executed in it, not in what it calls): a cost line
# right after "calls=" is the call's inclusive cost and is not counted.
cost, obj, name, after_call = {}, None, None, False
for line in open(profile):
    if line.startswith("ob="):
        obj = line[3:].strip()
    elif line.startswith("fn="):
        name = None
        if obj == binary:
            name = re.sub(r"'\d+$", "", line[3:].strip())   # callgrind's recursion-level suffix
            if name.startswith("0x"):                          # a helper without a symbol
                name = None
            else:
                cost.setdefault(name, 0)
    elif line.startswith("calls="):
        after_call = True
    elif line[:1].isdigit() or line[:1] in "+-*":
        if name is not None and not after_call:
            cost[name] += int(line.split()[1])
        after_call = False
# Hottest first, so the request path shares pages and cache lines; ties by name.
ranked = sorted(cost, key=lambda name: (-cost[name], name))
with open(order, "w") as out:
    out.write("".join(name + "\n" for name in ranked))
print(f"profile.sh: {len(ranked)} functions of iotoyd ran; written to {order}, hottest first")
PY
