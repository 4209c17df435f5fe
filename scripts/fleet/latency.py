#!/usr/bin/python3
"""The measuring half of scripts/fleet/mqtt-fleet.sh (not a test): run by it, not by hand.

Connects to the fleet's broker before the fleet is launched, with two clients (paho-mqtt,
Debian's python3-paho-mqtt):

  counter  subscribed to `#`: counts every message the broker delivers, and sees each
           instance's `<prefix>/<device>/status` = online and its discovery configs arrive;
  watcher  subscribed to `<prefix>/+/bumper` and `<prefix>/+/tail`: the latency subscriber.

Then waits for the fleet file the script writes once every instance has printed its banner
(`launch <epoch>`, `banners <epoch>`, then `device port pid` lines) and measures:

  startup  from the launch of the first instance until every instance is online and its
           discovery configs are out (the last of those messages; settled when all devices
           have the same number of configs and none came for 2 s);
  latency  for --seconds, every --interval-ms, round-robin over the instances, each instance
           in turn: a bumper edge (PUT /_sim/gpio/pinctrl-bcm2711/GPIO27, 0 = pressed,
           1 = released), a tail move (PUT /tail with a value different from its last), and a
           tail move over MQTT (publish to `<prefix>/<device>/tail/set`, no HTTP at all); each
           from just before the request or publish is sent until the watcher has the matching
           message, and for the HTTP triggers the request's own time (send -> answer read, on
           a kept-alive connection) beside it;
  rate     the messages the `#` subscriber got during the window, per second, and the
           instances' own count of messages published (/metrics) over the same window;
  memory   VmRSS (and VmHWM) of every instance and of the broker at the end of the window;
  cpu      their CPU time over the window (utime + stime from /proc/PID/stat).

All times of the latency and the window are time.monotonic() in this one process; the startup
burst uses the wall clock, because its start is stamped by the shell script.
Prints a table and writes the figures as JSON to --json.
"""
import argparse, http.client, json, os, re, statistics, sys, threading, time

import paho.mqtt.client as mqtt

CLK_TCK = os.sysconf("SC_CLK_TCK")


def parse_arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--broker-port", type=int, required=True)
    parser.add_argument("--broker-pid", type=int, required=True)
    parser.add_argument("--fleet-file", required=True)
    parser.add_argument("--ready-file", required=True)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--interval-ms", type=float, default=100)
    parser.add_argument("--prefix", default="iotoy")
    parser.add_argument("--json", required=True)
    parser.add_argument("--startup-timeout", type=float, default=600)
    return parser.parse_args()


def proc_status(pid, field):
    """A /proc/PID/status field in kB (VmRSS, VmHWM), 0 when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return 0.0


def percentiles(values):
    """count, p50, p90, p99, max, mean of a list of milliseconds (nearest-rank percentiles)."""
    if not values:
        return {"count": 0, "p50": None, "p90": None, "p99": None, "max": None, "mean": None}
    ordered = sorted(values)
    def rank(p):
        return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]
    return {"count": len(ordered), "p50": round(rank(50), 2), "p90": round(rank(90), 2),
            "p99": round(rank(99), 2), "max": round(ordered[-1], 2),
            "mean": round(statistics.fmean(ordered), 2)}


class Counter:
    """The `#` subscriber: counts messages, watches status and discovery configs."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.lock = threading.Lock()
        self.total = 0
        self.online = {}          # device -> wall time of its `online`
        self.configs = {}         # device -> set of config topics
        self.last_startup = 0.0   # wall time of the last status/config message
        self.offline = 0

    def on_message(self, client, userdata, message):
        now = time.time()
        topic = message.topic
        with self.lock:
            self.total += 1
            if topic.startswith("homeassistant/"):
                parts = topic.split("/")
                if len(parts) == 5 and message.payload:
                    self.configs.setdefault(parts[2], set()).add(topic)
                    self.last_startup = now
            elif topic.endswith("/status") and topic.startswith(self.prefix + "/"):
                device = topic[len(self.prefix) + 1:-len("/status")]
                if message.payload == b"online":
                    self.online.setdefault(device, now)
                    self.last_startup = now
                elif message.payload == b"offline":
                    self.offline += 1

    def snapshot(self):
        with self.lock:
            return self.total


def same(value, expected):
    """A JSON value equal to the expected one: `true` is not `1`, `30.0` is `30`."""
    if isinstance(expected, bool) or isinstance(value, bool):
        return value is expected
    return isinstance(value, (int, float)) and value == expected


class Watcher:
    """The latency subscriber: matches messages to the triggers waiting for them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending = {}         # topic -> (expected value, sample)
        self.unexpected = 0

    def expect(self, topic, value, sample):
        with self.lock:
            self.pending[topic] = (value, sample)

    def on_message(self, client, userdata, message):
        now = time.monotonic()
        try:
            value = json.loads(message.payload)
        except ValueError:
            return
        with self.lock:
            waiting = self.pending.get(message.topic)
            if waiting is None:
                return
            expected, sample = waiting
            if same(value, expected):
                sample["arrived"] = now
                del self.pending[message.topic]
            else:
                self.unexpected += 1


def connect(name, port, topics, on_message):
    connected = threading.Event()
    client = mqtt.Client(client_id=f"fleet-{name}-{os.getpid()}", clean_session=True)
    def on_connect(client, userdata, flags, rc):
        if rc == 0:
            for topic in topics:
                client.subscribe(topic, qos=0)
            connected.set()
    client.on_connect = on_connect
    client.on_message = on_message
    client.connect("127.0.0.1", port, keepalive=60)
    client.loop_start()
    if not connected.wait(10):
        sys.exit(f"latency.py: the {name} client could not connect to the broker on port {port}")
    time.sleep(0.3)   # the SUBACK: let the subscriptions be in place before the fleet starts
    return client


def read_fleet(path):
    launch = banners = None
    fleet = []
    with open(path) as lines:
        for line in lines:
            words = line.split()
            if words[0] == "launch":
                launch = float(words[1])
            elif words[0] == "banners":
                banners = float(words[1])
            else:
                fleet.append((words[0], int(words[1]), int(words[2])))
    return launch, banners, fleet


def metrics_published(port):
    """iotoyd_mqtt_published_messages_total and _dropped_ of one instance, or None."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
        connection.close()
    except OSError:
        return None
    values = {}
    for name in ("published", "dropped"):
        match = re.search(rf"^iotoyd_mqtt_{name}_messages_total (\S+)$", text, re.M)
        values[name] = float(match.group(1)) if match else 0.0
    return values


def sum_metrics(fleet):
    published = dropped = 0.0
    answered = 0
    for _, port, _ in fleet:
        values = metrics_published(port)
        if values:
            published += values["published"]
            dropped += values["dropped"]
            answered += 1
    return published, dropped, answered


def main():
    arguments = parse_arguments()
    prefix = arguments.prefix
    counter = Counter(prefix)
    watcher = Watcher()
    counter_client = connect("counter", arguments.broker_port, ["#"], counter.on_message)
    watcher_client = connect("watcher", arguments.broker_port,
                             [f"{prefix}/+/bumper", f"{prefix}/+/tail"], watcher.on_message)
    with open(arguments.ready_file, "w") as ready:
        ready.write("subscribed\n")

    # The fleet: written by the script once every banner is out.
    deadline = time.monotonic() + arguments.startup_timeout
    while not os.path.exists(arguments.fleet_file):
        if time.monotonic() > deadline:
            sys.exit("latency.py: no fleet file")
        time.sleep(0.05)
    launch, banners, fleet = read_fleet(arguments.fleet_file)
    devices = [device for device, _, _ in fleet]

    # Startup burst: every device online, the same number of configs for all, 2 s quiet.
    while True:
        with counter.lock:
            online = sum(1 for device in devices if device in counter.online)
            counts = {len(counter.configs.get(device, ())) for device in devices}
            last = counter.last_startup
            total_at_settle = counter.total
        if online == len(devices) and len(counts) == 1 and min(counts) > 0 and time.time() - last > 2:
            break
        if time.monotonic() > deadline:
            sys.exit(f"latency.py: startup did not settle: {online}/{len(devices)} online, "
                     f"config counts {sorted(counts)}")
        time.sleep(0.1)
    configs_per_device = counts.pop()
    startup = {
        "instances": len(devices),
        "banners_s": round(banners - launch, 3),
        "all_online_s": round(max(counter.online[d] for d in devices) - launch, 3),
        "online_and_configs_s": round(last - launch, 3),
        "configs_per_instance": configs_per_device,
        "messages_until_settled": total_at_settle,
    }

    # The measured window.
    connections = {device: http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                   for device, port, _ in fleet}
    for connection in connections.values():
        connection.connect()
    metrics_before = sum_metrics(fleet)
    pids = [pid for _, _, pid in fleet]
    cpu_before = [cpu_seconds(pid) for pid in pids]
    broker_cpu_before = cpu_seconds(arguments.broker_pid)
    samples = []
    visits = {device: 0 for device in devices}
    bumper_pressed = {device: False for device in devices}
    tail_value = {device: 0 for device in devices}
    http_errors = 0
    interval = arguments.interval_ms / 1000
    count_before = counter.snapshot()
    window_start = time.monotonic()
    tick = 0
    while True:
        due = window_start + tick * interval
        if due >= window_start + arguments.seconds:
            break
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        device, port, _ = fleet[tick % len(fleet)]
        tick += 1
        visit = visits[device]
        visits[device] += 1
        # Each instance in turn: a bumper edge, a tail PUT, a tail set over MQTT, and again.
        kind = ("bumper", "tail", "tail_set")[visit % 3]
        if kind == "bumper":
            bumper_pressed[device] = not bumper_pressed[device]
            path, body = "/_sim/gpio/pinctrl-bcm2711/GPIO27", ("0" if bumper_pressed[device] else "1")
            expected, topic = bumper_pressed[device], f"{prefix}/{device}/bumper"
        else:
            value = (tail_value[device] + 7 + 13 * (visit % 5)) % 91 - 45   # never the last value
            tail_value[device] = value
            path, body = "/tail", str(value)
            expected, topic = value, f"{prefix}/{device}/tail"
        sample = {"kind": kind, "device": device}
        sample["start"] = time.monotonic()
        watcher.expect(topic, expected, sample)
        if kind == "tail_set":
            watcher_client.publish(f"{topic}/set", body, qos=0)
            samples.append(sample)
            continue
        connection = connections[device]
        try:
            connection.request("PUT", path, body=body.encode(), headers={"Content-Type": "text/plain"})
            answer = connection.getresponse()
            answer.read()
            sample["answered"] = time.monotonic()
            if answer.status // 100 != 2:
                http_errors += 1
                sample["http_status"] = answer.status
        except (OSError, http.client.HTTPException) as error:
            http_errors += 1
            sample["error"] = str(error)
            connection.close()
            connections[device] = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        samples.append(sample)
    window_end = time.monotonic()
    count_after = counter.snapshot()
    window = window_end - window_start
    cpu_after = [cpu_seconds(pid) for pid in pids]
    broker_cpu_after = cpu_seconds(arguments.broker_pid)
    rss = [proc_status(pid, "VmRSS") for pid in pids]
    hwm = [proc_status(pid, "VmHWM") for pid in pids]
    broker_rss = proc_status(arguments.broker_pid, "VmRSS")
    metrics_after = sum_metrics(fleet)

    # Late messages: give the last triggers up to 5 s.
    drain_deadline = time.monotonic() + 5
    while time.monotonic() < drain_deadline:
        with watcher.lock:
            if not watcher.pending:
                break
        time.sleep(0.05)
    counter_client.loop_stop()
    watcher_client.loop_stop()
    for connection in connections.values():
        connection.close()

    def figures(kinds):
        chosen = [s for s in samples if s["kind"] in kinds]
        arrived = [s for s in chosen if "arrived" in s]
        answered = [s for s in chosen if "answered" in s]
        return {
            "triggers": len(chosen),
            "missed": len(chosen) - len(arrived),
            "latency_ms": percentiles([(s["arrived"] - s["start"]) * 1000 for s in arrived]),
            "http_ms": percentiles([(s["answered"] - s["start"]) * 1000 for s in answered]),
            # The message's arrival after the HTTP answer was read: negative when it came first.
            "after_http_answer_ms": percentiles(
                [(s["arrived"] - s["answered"]) * 1000 for s in arrived if "answered" in s]),
            "arrived_before_answer": sum(1 for s in arrived if "answered" in s and s["arrived"] < s["answered"]),
        }

    instance_cpu = [after - before for before, after in zip(cpu_before, cpu_after)]
    result = {
        "instances": len(fleet),
        "seconds": round(window, 3),
        "interval_ms": arguments.interval_ms,
        "machine": {"nproc": os.cpu_count(), "loadavg_at_end": open("/proc/loadavg").read().split()[:3],
                    "note": "CPU shared: the instances, the broker and this measuring process run on the same cores"},
        "startup": startup,
        "latency": {"http_triggers": figures(("bumper", "tail")), "bumper": figures(("bumper",)),
                    "tail": figures(("tail",)), "tail_set": figures(("tail_set",)),
                    "http_errors": http_errors, "unexpected_values": watcher.unexpected},
        "rate": {
            "messages": count_after - count_before,
            "messages_per_s": round((count_after - count_before) / window, 1),
            "published_by_instances": metrics_after[0] - metrics_before[0],
            "published_per_s": round((metrics_after[0] - metrics_before[0]) / window, 1),
            "dropped_by_instances_total": metrics_after[1],
            "metrics_answered": metrics_after[2],
        },
        "memory_kb": {
            "instances_rss_sum": sum(rss), "instances_rss_mean": round(statistics.fmean(rss)) if rss else 0,
            "instances_rss_min": min(rss, default=0), "instances_rss_max": max(rss, default=0),
            "instances_hwm_sum": sum(hwm), "broker_rss": broker_rss,
        },
        "cpu": {
            "instances_percent_of_one_core_sum": round(100 * sum(instance_cpu) / window, 1),
            "instances_percent_of_one_core_mean": round(100 * statistics.fmean(instance_cpu) / window, 2) if instance_cpu else 0,
            "broker_percent_of_one_core": round(100 * (broker_cpu_after - broker_cpu_before) / window, 1),
        },
        "offline_seen": counter.offline,
    }
    with open(arguments.json, "w") as out:
        json.dump(result, out, indent=2)
        out.write("\n")
    print_table(result)


def print_table(r):
    def row(label, value):
        print(f"  {label:<44} {value}")
    def stats(label, s):
        if s["count"] == 0:
            row(label, "none")
        else:
            row(label, f"n={s['count']:<5} p50 {s['p50']:>8.2f}  p90 {s['p90']:>8.2f}  "
                       f"p99 {s['p99']:>8.2f}  max {s['max']:>8.2f}")
    s = r["startup"]
    print(f"MQTT fleet: {r['instances']} instances, window {r['seconds']} s, a trigger every "
          f"{r['interval_ms']:g} ms, {r['machine']['nproc']} cores (shared by everything), "
          f"load {' '.join(r['machine']['loadavg_at_end'])}")
    print("startup (from the first instance's launch)")
    row("all banners printed (s)", s["banners_s"])
    row("all instances online (s)", s["all_online_s"])
    row("online + discovery configs out (s)", s["online_and_configs_s"])
    row("configs per instance", s["configs_per_instance"])
    row("messages through # until settled", s["messages_until_settled"])
    for kind, title in (("http_triggers", "both HTTP triggers"),
                        ("bumper", "bumper: PUT /_sim line -> <dev>/bumper"),
                        ("tail", "tail: PUT /tail -> <dev>/tail"),
                        ("tail_set", "tail over MQTT: publish <dev>/tail/set -> <dev>/tail, no HTTP")):
        f = r["latency"][kind]
        print(f"latency, {title} (ms): {f['triggers']} triggers, {f['missed']} missed")
        if kind == "tail_set":
            stats("publish -> subscriber", f["latency_ms"])
            continue
        stats("change -> subscriber (HTTP request included)", f["latency_ms"])
        stats("HTTP request alone (send -> answer read)", f["http_ms"])
        stats("message after the HTTP answer (<0: before)", f["after_http_answer_ms"])
        row("messages that arrived before the HTTP answer", f["arrived_before_answer"])
    row("HTTP errors / unexpected values", f"{r['latency']['http_errors']} / {r['latency']['unexpected_values']}")
    q = r["rate"]
    print("broker message rate over the window")
    row("messages to the # subscriber", f"{q['messages']} ({q['messages_per_s']}/s)")
    row("published by the instances (/metrics)", f"{q['published_by_instances']:g} ({q['published_per_s']}/s)")
    row("dropped by the instances (total)", f"{q['dropped_by_instances_total']:g}")
    m = r["memory_kb"]
    print("memory at the end of the window (VmRSS)")
    row("instances: sum (MiB)", f"{m['instances_rss_sum'] / 1024:.1f}")
    row("instances: mean / min / max (MiB)", f"{m['instances_rss_mean'] / 1024:.1f} / "
        f"{m['instances_rss_min'] / 1024:.1f} / {m['instances_rss_max'] / 1024:.1f}")
    row("instances: peak sum, VmHWM (MiB)", f"{m['instances_hwm_sum'] / 1024:.1f}")
    row("broker (MiB)", f"{m['broker_rss'] / 1024:.1f}")
    c = r["cpu"]
    print("CPU over the window, % of one core (the cores are shared, so only indicative)")
    row("instances: sum / mean", f"{c['instances_percent_of_one_core_sum']} / {c['instances_percent_of_one_core_mean']}")
    row("broker", c["broker_percent_of_one_core"])


if __name__ == "__main__":
    main()
