#!/usr/bin/env python3
"""Edge -> stream latency and the memory of idle watchers, against a running iotoyd (not a test).

For 1, 10 and 100 watchers of /bumper: drives the simulated bumper line through /_sim N times,
alternating pressed and released, and measures, for every watcher, the time from just before
the /_sim request is sent until that watcher has read the `value` event with the new value (an
upper bound of edge -> client: it includes the /_sim request itself). Then the daemon's RSS with
0 and with 500 idle watchers connected to /. Prints a table; --json FILE writes the figures.

Part of scripts/bench/run.sh (its `stream` phase), which starts the daemon for it. Alone:
scripts/bench/stream.py --port P --pid PID [--edges 1000] [--json out.json], against a daemon
serving the demo board with server.max_watchers raised to 500 (run.sh does that).
"""
import argparse, json, re, selectors, socket, statistics, time

def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

def open_stream(port, path):
    connection = socket.create_connection(("127.0.0.1", port))
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode())
    return connection

def request(port, method, path, body=b""):
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(f"{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
    answer = b""
    while chunk := connection.recv(65536):
        answer += chunk
    connection.close()
    return answer

PRESSED = re.compile(rb'"href":"/bumper"[^\n]*"timestamp":([0-9.]+)[^\n]*"value":(true|false)')

def measure(port, watchers, edges):
    streams = [open_stream(port, "/bumper") for _ in range(watchers)]
    selector = selectors.DefaultSelector()
    buffers = {}
    for stream in streams:
        stream.setblocking(False)
        selector.register(stream, selectors.EVENT_READ)
        buffers[stream] = b""
    # Until every watcher has its current value, the stream is not settled.
    def drain_until(predicate, deadline):
        while not predicate() and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.5):
                data = key.fileobj.recv(65536)
                buffers[key.fileobj] += data
        return predicate()
    if not drain_until(lambda: all(PRESSED.search(b) for b in buffers.values()), time.monotonic() + 10):
        raise RuntimeError("the watchers did not get the bumper's current value")
    latencies = []
    recorded_to_client = []
    level = b"1"
    # One kept-alive connection drives the edges; its answers are read after the watchers'
    # events, so the measuring loop is never blocked in a request.
    driver = socket.create_connection(("127.0.0.1", port))
    driver.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    answers = b""
    for edge in range(edges):
        level = b"0" if level == b"1" else b"1"
        expected = b"true" if level == b"0" else b"false"
        for stream in streams:
            buffers[stream] = b""
        arrived = {}
        start = time.monotonic()
        driver.sendall(b"PUT /_sim/gpio/pinctrl-bcm2711/GPIO27 HTTP/1.1\r\nHost: bench\r\nContent-Length: 1\r\n\r\n" + level)
        while len(arrived) < len(streams) and time.monotonic() < start + 5:
            for key, _ in selector.select(timeout=0.5):
                stream = key.fileobj
                buffers[stream] += stream.recv(65536)
                if stream not in arrived:
                    match = PRESSED.search(buffers[stream])
                    if match and match.group(2) == expected:
                        arrived[stream] = time.monotonic()
                        recorded_to_client.append((time.time() - float(match.group(1))) * 1000)
        if len(arrived) < len(streams):
            raise RuntimeError(f"edge {edge}: {len(streams) - len(arrived)} watchers missed it")
        while answers.count(b"HTTP/1.1 ") <= edge:
            answers += driver.recv(65536)
        if not answers.split(b"HTTP/1.1 ")[-1].startswith(b"200"):
            raise RuntimeError(f"edge {edge}: /_sim answered {answers[-200:]!r}")
        latencies += [(at - start) * 1000 for at in arrived.values()]
        time.sleep(0.015)       # the demo bumper debounces 10 ms: let each edge stand
    for stream in streams:
        stream.close()
    driver.close()
    latencies.sort()
    recorded_to_client.sort()
    return {
        "watchers": watchers, "edges": edges, "events": len(latencies),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 3),
        "max_ms": round(latencies[-1], 3),
        "recorded_p50_ms": round(statistics.median(recorded_to_client), 3),
        "recorded_p99_ms": round(recorded_to_client[int(len(recorded_to_client) * 0.99) - 1], 3),
    }

def idle_watchers(port, pid, count=500):
    """RSS with no watcher and with `count` idle watchers of /, and the answer to one more."""
    time.sleep(1)
    idle = rss_kb(pid)
    watchers = [open_stream(port, "/") for _ in range(count)]
    time.sleep(2)
    loaded = rss_kb(pid)
    refused = request(port, "GET", "/?watch").split(b"\r\n", 1)[0].decode()
    for stream in watchers:
        stream.close()
    return {"watchers": count, "rss_0_kb": idle, "rss_kb": loaded, "kb_each": round((loaded - idle) / count, 1),
            "one_more": refused}

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--edges", type=int, default=1000)
    parser.add_argument("--json")
    arguments = parser.parse_args()
    fresh = rss_kb(arguments.pid)
    rows = [measure(arguments.port, watchers, arguments.edges) for watchers in (1, 10, 100)]
    print("request -> event: from just before the /_sim request to the event read by the watcher")
    print("recorded -> event: from the dispatcher recording the edge (the event's timestamp) to the read")
    print(f"{'watchers':>8}  {'events':>7}  {'request->event p50/p99 (max) ms':>34}  {'recorded->event p50/p99 ms':>27}")
    for row in rows:
        print(f"{row['watchers']:>8}  {row['events']:>7}  {row['p50_ms']:>13} / {row['p99_ms']:>6} ({row['max_ms']:>6})"
              f"  {row['recorded_p50_ms']:>14} / {row['recorded_p99_ms']:>6}")
    idle = idle_watchers(arguments.port, arguments.pid)
    print(f"RSS fresh: {fresh} kB; after the latency runs, 0 watchers: {idle['rss_0_kb']} kB; "
          f"with 500 idle watchers: {idle['rss_kb']} kB ({idle['kb_each']} kB each)")
    print(f"the 501st watcher (max_watchers 500): {idle['one_more']}")
    if arguments.json:
        with open(arguments.json, "w") as out:
            json.dump({"latency": rows, "rss_kb": {"fresh": fresh, "watchers_0": idle["rss_0_kb"], "watchers_500": idle["rss_kb"]}},
                      out, indent=2)

if __name__ == "__main__":
    main()
