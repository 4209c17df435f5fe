#!/usr/bin/env python3
"""Soak: a bounded load against a running iotoyd on loopback (not a test; figures, then a verdict).

For --seconds (60): --connections (256) keep-alive HTTP/1.1 clients send a mix of GETs of cached
and uncached attributes, PUTs of servo angles (some out of range: 422 is a right answer), POSTs
of a toggle and GETs of /devinfo, while --watchers (50) stream watchers of / read every event.
Counts answers by status, connection drops, watcher events and losses, and samples the
daemon's RSS every second. Verdict: no transport errors or unexpected statuses, no dropped
connection, every watcher alive to the end, RSS growth under --rss-growth-mb (5) from the
first full second of load to the end. Prints a table; --json FILE writes it.

Usage: scripts/soak/soak.py --port P --pid PID [--seconds 60] [--connections 256] [--watchers 50]
"""
import argparse, json, random, selectors, socket, sys, time

EXPECTED = {200, 422}   # 422: the generated out-of-range angles

def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

REQUESTS = [
    (30, "GET", "/climate/temperature", None),
    (15, "GET", "/front_left_leg/lift", None),
    (10, "GET", "/bumper", None),
    (5, "GET", "/devinfo", None),
    (25, "PUT", "/front_left_leg/lift", "angle"),
    (10, "PUT", "/tail", "angle"),
    (5, "POST", "/eyes/toggle", ""),
]
WEIGHTS = [weight for weight, *_ in REQUESTS]

def request_bytes(rng):
    _, method, path, body = rng.choices(REQUESTS, weights=WEIGHTS)[0]
    if body == "angle":
        body = str(rng.choice([30, 45, 60, 90, 120, 150, 500]))
    payload = (body or "").encode()
    head = f"{method} {path} HTTP/1.1\r\nHost: soak\r\nContent-Length: {len(payload)}\r\n\r\n"
    return head.encode() + payload

class Client:
    """One keep-alive connection with one request in flight."""
    def __init__(self, port, rng):
        self.rng = rng
        self.socket = socket.create_connection(("127.0.0.1", port))
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.socket.setblocking(False)
        self.buffer = b""
        self.send()

    def send(self):
        self.socket.sendall(request_bytes(self.rng))

    def answers(self, data):
        """Complete answers' statuses in `data` (Content-Length framing)."""
        self.buffer += data
        statuses = []
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return statuses
            head = self.buffer[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                return statuses
            statuses.append(int(head.split(" ")[1]))
            self.buffer = self.buffer[end + 4 + length:]

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--watchers", type=int, default=50)
    parser.add_argument("--rss-growth-mb", type=float, default=5)
    parser.add_argument("--json")
    options = parser.parse_args()
    rng = random.Random(2014)
    selector = selectors.DefaultSelector()

    watchers = []
    for _ in range(options.watchers):
        stream = socket.create_connection(("127.0.0.1", options.port))
        stream.sendall(b"GET / HTTP/1.1\r\nHost: soak\r\nAccept: text/event-stream\r\n\r\n")
        stream.setblocking(False)
        selector.register(stream, selectors.EVENT_READ, ("watcher", stream))
        watchers.append(stream)
    events = {stream: 0 for stream in watchers}
    dropped_events = 0
    closed_watchers = 0

    clients = [Client(options.port, rng) for _ in range(options.connections)]
    for client in clients:
        selector.register(client.socket, selectors.EVENT_READ, ("client", client))

    statuses = {}
    drops = 0
    rss = []
    started = time.monotonic()
    next_sample = started
    latency_count = 0
    while time.monotonic() - started < options.seconds:
        now = time.monotonic()
        if now >= next_sample:
            rss.append(rss_kb(options.pid))
            next_sample += 1
        for key, _ in selector.select(timeout=0.2):
            kind, owner = key.data
            try:
                data = key.fileobj.recv(65536)
            except ConnectionError:
                data = b""
            if kind == "watcher":
                if not data:
                    closed_watchers += 1
                    selector.unregister(key.fileobj)
                    continue
                events[owner] += data.count(b"\nevent: ")
                dropped_events += data.count(b"event: dropped")
                continue
            if not data:
                drops += 1
                selector.unregister(key.fileobj)
                continue
            for status in owner.answers(data):
                statuses[status] = statuses.get(status, 0) + 1
                latency_count += 1
                owner.send()
    elapsed = time.monotonic() - started
    rss.append(rss_kb(options.pid))
    baseline = rss[1] if len(rss) > 1 else rss[0]
    growth_mb = (rss[-1] - baseline) / 1024
    unexpected = {status: count for status, count in statuses.items() if status not in EXPECTED}
    figures = {
        "seconds": round(elapsed, 1), "connections": options.connections, "watchers": options.watchers,
        "answers": sum(statuses.values()), "answers_per_s": round(sum(statuses.values()) / elapsed),
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
        "dropped_connections": drops, "watchers_closed": closed_watchers,
        "watcher_events_min": min(events.values()) if events else 0, "watcher_dropped_notices": dropped_events,
        "rss_mb_start": round(rss[0] / 1024, 1), "rss_mb_after_1s": round(baseline / 1024, 1),
        "rss_mb_end": round(rss[-1] / 1024, 1), "rss_mb_max": round(max(rss) / 1024, 1), "rss_growth_mb": round(growth_mb, 2),
    }
    for name, value in figures.items():
        print(f"{name:26} {value}")
    failures = []
    if unexpected: failures.append(f"unexpected statuses {unexpected}")
    if drops: failures.append(f"{drops} connections dropped")
    if closed_watchers: failures.append(f"{closed_watchers} watchers closed")
    if growth_mb >= options.rss_growth_mb: failures.append(f"RSS grew {growth_mb:.1f} MB")
    figures["verdict"] = "pass" if not failures else "; ".join(failures)
    print(f"{'verdict':26} {figures['verdict']}")
    if options.json:
        with open(options.json, "w") as out:
            json.dump(figures, out, indent=2)
    sys.exit(0 if not failures else 1)

if __name__ == "__main__":
    main()
