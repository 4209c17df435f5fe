#!/usr/bin/env bash
# The MQTT bridge's figures with a fleet (a measurement, not a test).
#
# Starts a real Mosquitto broker on a free loopback port, then N iotoyd instances on simulated
# hardware (the demo board, devices robot01..robotNN, each with an `mqtt:` section pointing at
# the broker, Home Assistant discovery on), started in batches, and measures, for SECONDS:
#   - change -> subscriber latency: every 100 ms, round-robin over the instances, a bumper edge
#     (PUT on the /_sim GPIO line), a tail move (PUT /tail) or a tail move over MQTT (publish
#     to iotoy/<device>/tail/set), until a subscriber on iotoy/+/bumper and iotoy/+/tail has
#     the new value; for the HTTP triggers, the HTTP request's own time beside it;
#   - the broker's message rate seen by a `#` subscriber in the window, and the instances' own
#     count of published messages (/metrics);
#   - the startup burst: from the first launch until every instance is `online` and its
#     discovery configs are out;
#   - VmRSS of the instances (sum, mean) and of the broker; their CPU time over the window.
# Everything shares this machine's cores (and whatever else runs on it): the CPU-bound figures
# are indicative. Prints a table and writes the figures as JSON to $FLEET_JSON.
#
# Usage: scripts/fleet/mqtt-fleet.sh [N] [SECONDS]          (defaults: 50 instances, 20 s)
# Environment:
#   IOTOYD            the iotoyd binary (default .build/debug/iotoyd; it is not built here)
#   FLEET_JSON        where the JSON goes (default /tmp/mqtt-fleet.json)
#   FLEET_BATCH       instances started at once before waiting for their banners (default 10)
#   FLEET_INTERVAL_MS time between triggers (default 100)
#   PYTHON            a Python 3 with paho-mqtt (default /usr/bin/python3, with Debian's
#                     python3-paho-mqtt)
# Needs /usr/sbin/mosquitto (Debian's mosquitto package).
set -euo pipefail
cd "$(dirname "$0")/../.."

count=${1:-50}
seconds=${2:-20}
bin=${IOTOYD:-.build/debug/iotoyd}
json_out=${FLEET_JSON:-/tmp/mqtt-fleet.json}
batch=${FLEET_BATCH:-10}
interval_ms=${FLEET_INTERVAL_MS:-100}
python=${PYTHON:-/usr/bin/python3}
mosquitto=/usr/sbin/mosquitto

[[ $count =~ ^[0-9]+$ && $count -ge 1 && $count -le 99 ]] || { echo "N must be 1..99" >&2; exit 2; }
[[ -x $bin ]] || { echo "no iotoyd at $bin (build it, or set IOTOYD)" >&2; exit 1; }
[[ -x $mosquitto ]] || { echo "no $mosquitto (apt-get install mosquitto)" >&2; exit 1; }
"$python" -c 'import paho.mqtt.client' 2>/dev/null ||
    { echo "$python has no paho-mqtt (apt-get install python3-paho-mqtt)" >&2; exit 1; }

# Mosquitto started as root drops its privileges to the mosquitto user, who must read the
# config: a world-readable directory and files.
work=$(mktemp -d /tmp/mqtt-fleet.XXXXXX)
chmod 755 "$work"
pids=()
broker_pid=
helper_pid=
# shellcheck disable=SC2317  # run by the trap
cleanup() {
    trap - EXIT INT TERM
    if [[ -n $helper_pid ]]; then kill "$helper_pid" 2>/dev/null || true; fi
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [[ -n $broker_pid ]]; then kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The broker, on a free loopback port.
broker_port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/mosquitto.conf" <<EOF
listener $broker_port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 10000
log_dest stderr
log_type error
log_type warning
EOF
chmod 644 "$work/mosquitto.conf"
"$mosquitto" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
broker_pid=$!
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$broker_port") 2>/dev/null && break
    kill -0 "$broker_pid" 2>/dev/null || { cat "$work/mosquitto.log" >&2; exit 1; }
    sleep 0.1
done

# One board per instance: the demo robot under another name, bridged to the broker.
grep -q '^device: robocat$' boards/demo.yaml || { echo "boards/demo.yaml has no 'device: robocat' line" >&2; exit 1; }
devices=()
for i in $(seq 1 "$count"); do
    device=$(printf 'robot%02d' "$i")
    devices+=("$device")
    {
        sed "s/^device: robocat\$/device: $device/" boards/demo.yaml
        printf 'mqtt:\n  host: 127.0.0.1\n  port: %s\n  discovery: homeassistant\n' "$broker_port"
    } >"$work/$device.yaml"
done

# The measuring process subscribes before anything is launched, so it sees the startup burst.
"$python" scripts/fleet/latency.py --broker-port "$broker_port" --broker-pid "$broker_pid" \
    --fleet-file "$work/fleet" --ready-file "$work/ready" --seconds "$seconds" \
    --interval-ms "$interval_ms" --json "$json_out" &
helper_pid=$!
for _ in $(seq 1 200); do
    [[ -e $work/ready ]] && break
    kill -0 "$helper_pid" 2>/dev/null || { wait "$helper_pid" || true; echo "latency.py did not start" >&2; exit 1; }
    sleep 0.05
done
[[ -e $work/ready ]] || { echo "latency.py did not subscribe" >&2; exit 1; }

# The fleet, in batches: each batch's banners before the next batch starts.
ulimit -n 4096 2>/dev/null || true
launch=$(date +%s.%N)
ports=()
for ((first = 0; first < count; first += batch)); do
    last=$((first + batch < count ? first + batch : count))
    for ((i = first; i < last; i++)); do
        device=${devices[i]}
        "$bin" serve "$work/$device.yaml" --simulate --port 0 --bind 127.0.0.1 --no-advertise \
            --log-level warning >"$work/$device.out" 2>"$work/$device.err" &
        pids+=($!)
    done
    for ((i = first; i < last; i++)); do
        device=${devices[i]}
        port=
        for _ in $(seq 1 1200); do   # up to 120 s: a debug build on busy cores starts slowly
            port=$(sed -n "s|^iotoyd: serving '$device' on http://127.0.0.1:\([0-9]*\)/.*|\1|p" "$work/$device.out")
            [[ -n $port ]] && break
            kill -0 "${pids[i]}" 2>/dev/null || break
            sleep 0.1
        done
        if [[ -z $port ]]; then
            echo "$device printed no banner; its stderr:" >&2
            cat "$work/$device.err" >&2
            exit 1
        fi
        ports+=("$port")
    done
done
banners=$(date +%s.%N)
{
    echo "launch $launch"
    echo "banners $banners"
    for i in "${!devices[@]}"; do echo "${devices[i]} ${ports[i]} ${pids[i]}"; done
} >"$work/fleet.tmp"
mv "$work/fleet.tmp" "$work/fleet"

status=0
wait "$helper_pid" || status=$?
helper_pid=
warnings=$(cat "$work"/robot*.err | wc -l)
echo "  lines the instances logged on stderr (warning and above): $warnings"
if ((warnings > 0)); then
    cat "$work"/robot*.err | head -5 | sed "s/^/    /"
fi
for i in "${!pids[@]}"; do
    kill -0 "${pids[i]}" 2>/dev/null || echo "  ${devices[i]} is no longer running" >&2
done
[[ -s $work/mosquitto.log ]] && { echo "  broker log:"; sed 's/^/    /' "$work/mosquitto.log" | tail -5; }
((status == 0)) && echo "figures written to $json_out"
exit "$status"
