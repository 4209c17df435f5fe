#!/usr/bin/env python3
"""The benchmark suite of issue 15 §1, run by scripts/bench/run.sh (which builds first): figures,
not a test. Prints a table and writes it, with every round's figures, as JSON.

Phases (--only picks some, comma-separated):
  rest      the demo (release, simulated) and a bare Hummingbird 2 peer answering the same bytes
            (iotoyd-bench-peer: a CallbackResponder, and with --router a Router's `GET **`):
            start to first answer, RSS idle, GET of a cached attribute under wrk at 32
            connections in short rounds, the servers alternated within each (requests/s, the
            median of the rounds' ratios and its quartiles, p50/p99; a second bare peer against
            the first as the method's own spread), the same GET counted in
            instructions under callgrind (read.py says why both),
            PUT of a servo angle at 8 connections in 2 s runs, PUT -> the simulated PCA9685's duty
            written (iotoyd-bench-put: one process, one clock, one PUT at a time), RSS after
            load, binary sizes
  serial    `get ratio` to the host-built TestHost on a pty directly, and GET /ratio through
            `iotoyd serve --serial` on the same pty: the difference of p50/p99
  stream    simulated edge -> SSE event at 1/10/100 watchers; RSS with 500 idle watchers
  failsafe  failsafe deadline -> safe state, lateness on real time
  scale     a generated board of 1,024 servos on 64 PCA9685 hats on 4 I2C buses: check, start to
            first answer, GET /devinfo (latency, size), GET of one servo, RSS
A server that does not start stops the run (exit 1); any other failure is reported in its phase.
"""
import argparse, json, os, re, resource, statistics, subprocess, sys, tempfile, time

import failsafe, read, scale, serial, stream, wrk
from servers import DidNotStart, KeepAlive, Server, clean_up, free_port, http

FULL = {"starts": 3, "read_rounds": 20, "read_seconds": 1, "count_seconds": 6, "warmup_seconds": 2, "write_seconds": 10,
        "serial_rounds": 2, "serial_requests": 2000, "serial_wrk_seconds": 3, "edges": 300, "failsafe_rounds": 200,
        "scale_seconds": 5, "devinfo_requests": 20, "put_probes": 5000}
QUICK = {"starts": 2, "read_rounds": 6, "read_seconds": 1, "count_seconds": 3, "warmup_seconds": 1, "write_seconds": 4,
         "serial_rounds": 1, "serial_requests": 500, "serial_wrk_seconds": 2, "edges": 60, "failsafe_rounds": 40,
         "scale_seconds": 3, "devinfo_requests": 10, "put_probes": 1000}
PHASES = ["rest", "serial", "stream", "failsafe", "scale"]
READ_PATH, WRITE_PATH = "/climate/temperature", "/front_left_leg/lift"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def machine():
    with open("/proc/cpuinfo") as cpuinfo:
        models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    with open("/proc/meminfo") as meminfo:
        memory_kb = int(meminfo.readline().split()[1])
    return {"uname_m": os.uname().machine, "nproc": len(os.sched_getaffinity(0)),
            "cpu": models[0] if models else "unknown", "kernel": os.uname().release, "memory_mb": memory_kb // 1024}


def daemon_argv(binary, *arguments):
    return [binary, "serve", *arguments, "--bind", "127.0.0.1", "--no-advertise"]


def median(values):
    return round(statistics.median(values), 1)


def binary_sizes(path):
    """The file's size and its size stripped of symbols and debug information (bytes)."""
    with tempfile.NamedTemporaryFile(suffix=".stripped", delete=False) as stripped:
        pass
    try:
        subprocess.run(["strip", "-o", stripped.name, path], check=True)
        return {"bytes": os.path.getsize(path), "stripped_bytes": os.path.getsize(stripped.name)}
    finally:
        os.unlink(stripped.name)


def rest(bins, p):
    """The demo and the peer: footprint, alternating reads, writes."""
    port = free_port()
    demo = Server("iotoyd", daemon_argv(bins["iotoyd"], "--port", str(port), "--log-level", "warning"), port)
    demo_starts = []
    for attempt in range(p["starts"]):
        demo_starts.append(demo.start())
        if attempt < p["starts"] - 1:
            demo.stop()
    time.sleep(2)
    demo_idle = demo.memory_breakdown()

    status, headers, body = http(port, "GET", READ_PATH)
    if status != 200:
        raise RuntimeError(f"GET {READ_PATH} answered {status}")
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as body_file:
        body_file.write(body)
    peer_port = free_port()
    peer = Server("peer", [bins["peer"], str(peer_port), headers["content-type"]], peer_port, stdin_path=body_file.name)
    peer_starts = []
    for attempt in range(p["starts"]):
        peer_starts.append(peer.start())
        if attempt < p["starts"] - 1:
            peer.stop()
    router_port = free_port()
    router = Server("peer-router", [bins["peer"], str(router_port), headers["content-type"], "--router"], router_port,
                    stdin_path=body_file.name)
    router.start()
    # The same bare peer once more: its ratio to the first is the method's own spread on this
    # machine (an A/A control), beside which the ratio of iotoyd is read.
    again_port = free_port()
    again = Server("peer-again", [bins["peer"], str(again_port), headers["content-type"]], again_port, stdin_path=body_file.name)
    again.start()
    os.unlink(body_file.name)
    same = True
    for answering in (peer_port, router_port):
        _, peer_headers, peer_body = http(answering, "GET", READ_PATH)
        same = same and peer_body == body and peer_headers.get("content-type") == headers["content-type"]
    time.sleep(2)
    peer_idle = peer.memory_breakdown()

    urls = {"peer": f"http://127.0.0.1:{peer_port}{READ_PATH}", "peer_router": f"http://127.0.0.1:{router_port}{READ_PATH}",
            "iotoyd": f"http://127.0.0.1:{port}{READ_PATH}", "peer_again": f"http://127.0.0.1:{again_port}{READ_PATH}"}
    for url in urls.values():
        wrk.run(url, p["warmup_seconds"], 32)
    rounds = read.alternate(urls, p["read_rounds"], p["read_seconds"], 32)
    measured = {"connections": 32, "seconds_each": p["read_seconds"], "body_bytes": len(body),
                "content_type": headers["content-type"], "peer_same_bytes": same, "rounds": rounds}
    for name in urls:
        measured[name] = {"rps": median([r[name]["rps"] for r in rounds]), "p50_us": median([r[name]["p50_us"] for r in rounds]),
                          "p99_us": median([r[name]["p99_us"] for r in rounds]),
                          "errors": sum(r[name]["non_2xx"] + r[name]["socket_errors"] for r in rounds)}
    measured["ratio"] = read.ratios(rounds, "iotoyd", "peer")
    measured["ratio_router"] = read.ratios(rounds, "iotoyd", "peer_router")
    measured["ratio_control"] = read.ratios(rounds, "peer_again", "peer")
    # The same request counted in instructions, each server under callgrind on a port of its own.
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as body_file:
        body_file.write(body)
    try:
        measured["instructions"] = read.instructions({
            "iotoyd": (daemon_argv(bins["iotoyd"], "--port", str(counted_port := free_port()), "--log-level", "warning"),
                       counted_port, None),
            "peer": ([bins["peer"], str(peer_counted_port := free_port()), headers["content-type"]], peer_counted_port,
                     body_file.name),
        }, READ_PATH, p["count_seconds"])
    finally:
        os.unlink(body_file.name)

    status, _, answer = http(port, "PUT", WRITE_PATH, b"45")
    if status != 200:
        raise RuntimeError(f"PUT {WRITE_PATH} answered {status}: {answer[:200]!r}")
    # In runs of 2 s, so a rate that changes as the daemon works is seen.
    runs = [wrk.run(f"http://127.0.0.1:{port}/", 2, 8, request_lua=wrk.lua_put_cycle(WRITE_PATH, [30, 60, 90, 120, 150]))
            for _ in range(max(p["write_seconds"] // 2, 1))]
    write = {"connections": 8, "rps": round(sum(r["requests"] for r in runs) / sum(r["seconds"] for r in runs), 1),
             "p50_us": median([r["p50_us"] for r in runs]), "p99_us": median([r["p99_us"] for r in runs]),
             "errors": sum(r["non_2xx"] + r["socket_errors"] for r in runs), "rps_per_run": [r["rps"] for r in runs],
             "runs": runs}
    # PUT -> the simulated chip's duty written, on one clock in one process (iotoyd-bench-put).
    probe = subprocess.run([bins["put"], os.path.join(ROOT, "boards/demo.yaml"), WRITE_PATH, "1", "0x40", str(p["put_probes"])],
                           capture_output=True, text=True, timeout=300)
    if probe.returncode != 0:
        raise RuntimeError(f"iotoyd-bench-put failed: {probe.stderr[-500:]}")
    write["in_process"] = json.loads(probe.stdout)

    footprint = {
        "iotoyd": {"start_to_first_answer_ms": [round(s * 1000, 1) for s in demo_starts], "idle": demo_idle,
                   "after_load": demo.status(), "binary": binary_sizes(bins["iotoyd"])},
        "peer": {"start_to_first_answer_ms": [round(s * 1000, 1) for s in peer_starts], "idle": peer_idle,
                 "after_load": peer.status(), "binary": binary_sizes(bins["peer"])},
    }
    demo.stop()
    peer.stop()
    router.stop()
    again.stop()
    return {"read": measured, "write": write, "footprint": footprint}


def serial_overhead(bins, p):
    """Direct to the pty against through iotoyd, alternating rounds on the same TestHost."""
    testhost = os.path.join(ROOT, "Firmware/build/host/testhost")
    scratch = tempfile.mkdtemp()
    link = os.path.join(scratch, "testhost.pty")
    firmware = subprocess.Popen([testhost, "--pty-link", link], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(link):
                break
            time.sleep(0.05)
        direct, through, starts, rss = [], [], [], []
        for _ in range(p["serial_rounds"]):
            direct += serial.direct(link, p["serial_requests"])
            port = free_port()
            daemon = Server("serial", daemon_argv(bins["iotoyd"], "--serial", link, "--port", str(port), "--log-level", "warning"),
                            port, probe_path="/ratio", ready=lambda status: status == 200)
            starts.append(daemon.start())
            through += serial.through_iotoyd(port, p["serial_requests"])
            rss.append(daemon.rss_kb())
            daemon.stop()
        # Throughput with 4 connections queueing on the one port (the old bench-serial.sh's figures).
        daemon.start()
        url = f"http://127.0.0.1:{port}"
        loaded = {
            "get": wrk.run(url + "/ratio", p["serial_wrk_seconds"], 4, threads=1),
            "put": wrk.run(url + "/", p["serial_wrk_seconds"], 4, threads=1, request_lua=wrk.lua_request("PUT", "/ratio", "2.5")),
            "call": wrk.run(url + "/", p["serial_wrk_seconds"], 4, threads=1,
                            request_lua=wrk.lua_request("POST", "/add", "[2, 3]", "application/json")),
        }
        daemon.stop()
        direct_figures, through_figures = serial.summary(direct), serial.summary(through)
        return {"command": "get ratio", "path": "/ratio", "direct": direct_figures, "through_iotoyd": through_figures,
                "overhead_p50_us": round(through_figures["p50_us"] - direct_figures["p50_us"], 1),
                "overhead_p99_us": round(through_figures["p99_us"] - direct_figures["p99_us"], 1),
                "start_to_ready_ms": [round(s * 1000, 1) for s in starts], "rss_kb": rss, "wrk_c4": loaded}
    finally:
        firmware.terminate()
        firmware.wait()
        if os.path.exists(link):
            os.unlink(link)
        os.rmdir(scratch)


def stream_latency(bins, p):
    """The demo with max_watchers 500: edge -> event at 1/10/100 watchers, 500 idle watchers."""
    with open(os.path.join(ROOT, "boards/demo.yaml")) as demo:
        text, replaced = re.subn(r"^server:.*$", "server: { port: 5000, max_watchers: 500, max_connections: 700 }",
                                 demo.read(), flags=re.M)
    if replaced != 1:
        raise RuntimeError("boards/demo.yaml has no server: line to raise max_watchers on")
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as board:
        board.write(text)
    try:
        port = free_port()
        daemon = Server("stream", daemon_argv(bins["iotoyd"], "--simulate", board.name, "--port", str(port), "--log-level", "warning"), port)
        daemon.start()
        fresh = daemon.rss_kb()
        rows = [stream.measure(port, watchers, p["edges"]) for watchers in (1, 10, 100)]
        idle = stream.idle_watchers(port, daemon.pid, 500)
        daemon.stop()
        return {"latency": rows, "rss_fresh_kb": fresh, "idle_watchers": idle}
    finally:
        os.unlink(board.name)


def failsafe_lateness(bins, p):
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as board:
        board.write(failsafe.BOARD)
    try:
        port = free_port()
        daemon = Server("failsafe", daemon_argv(bins["iotoyd"], "--simulate", board.name, "--port", str(port), "--log-level", "error"), port)
        daemon.start()
        figures = failsafe.measure(port, failsafe.DEADLINE_MS, p["failsafe_rounds"])
        daemon.stop()
        return figures
    finally:
        os.unlink(board.name)


def scale_board(bins, p):
    text, last = scale.board()
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as board:
        board.write(text)
    try:
        began = time.monotonic()
        check = subprocess.run([bins["iotoyd"], "check", board.name], capture_output=True, text=True)
        check_ms = round((time.monotonic() - began) * 1000, 1)
        if check.returncode != 0:
            raise RuntimeError(f"iotoyd check refused the generated board:\n{check.stdout[-1000:]}{check.stderr[-1000:]}")
        port = free_port()
        daemon = Server("scale", daemon_argv(bins["iotoyd"], "--simulate", board.name, "--port", str(port), "--log-level", "warning"), port)
        spawned = time.monotonic()
        first_answer = daemon.start(timeout=120)
        while http(port, "GET", last)[0] != 200:
            if time.monotonic() - spawned > 120:
                raise RuntimeError(f"{last} never answered 200")
            time.sleep(0.01)
        last_ready = time.monotonic() - spawned
        time.sleep(2)
        idle = daemon.memory_breakdown()
        connection = KeepAlive(port)
        devinfo_ms, size, attributes = [], 0, 0
        for _ in range(p["devinfo_requests"]):
            start = time.perf_counter()
            status, body = connection.request("GET", "/devinfo")
            devinfo_ms.append((time.perf_counter() - start) * 1000)
            size = len(body)
        connection.close()
        attributes = len(json.loads(body)["value"]["attrs"])
        one = wrk.run(f"http://127.0.0.1:{port}{last}", p["scale_seconds"], 32)
        after = daemon.status()
        daemon.stop()
        return {"buses": 4, "hats": 64, "servos": 1024, "attributes_in_devinfo": attributes, "board_lines": text.count("\n"),
                "check_ms": check_ms, "start_to_first_answer_ms": round(first_answer * 1000, 1),
                "start_to_last_servo_ms": round(last_ready * 1000, 1),
                "devinfo": {"bytes": size, "p50_ms": round(statistics.median(devinfo_ms), 2), "max_ms": round(max(devinfo_ms), 2)},
                "get_one": dict(one, path=last, connections=32), "idle": idle, "after_load": after}
    finally:
        os.unlink(board.name)


def mb(kb):
    return f"{kb / 1024:.1f} MiB"


def instructions_row(counted):
    """Instructions per GET under callgrind, and the peer's over iotoyd's (1.0: no IOTOY cost)."""
    label = "  instructions per GET (callgrind)"
    if "skipped" in counted:
        return (label, "-", counted["skipped"])
    i, q = counted["iotoyd"]["per_request"], counted["peer"]["per_request"]
    return (label, f"{i}", f"peer {q}; ratio peer/iotoyd {q / i:.3f}; {counted['iotoyd']['requests']} and "
                           f"{counted['peer']['requests']} requests, less idle")


def table(results):
    """The rows printed and kept in the JSON: (measure, iotoyd, peer or note)."""
    rows = []
    rest_ = results.get("rest")
    if isinstance(rest_, dict):
        read, write, foot = rest_["read"], rest_["write"], rest_["footprint"]
        i, q, r = read["iotoyd"], read["peer"], read["peer_router"]
        rows += [
            ("GET cached attribute, c32: requests/s", f"{i['rps']:.0f}",
             f"peer {q['rps']:.0f}, peer with a Router {r['rps']:.0f}"),
            ("  ratio iotoyd/peer (median of rounds)", f"{read['ratio']['median']:.3f}",
             f"quartiles {read['ratio']['q1']:.3f}-{read['ratio']['q3']:.3f}; all requests {read['ratio']['all_requests']:.3f}; "
             f"{len(read['rounds'])} rounds of {read['seconds_each']} s"),
            ("  ratio iotoyd/peer with a Router", f"{read['ratio_router']['median']:.3f}",
             f"quartiles {read['ratio_router']['q1']:.3f}-{read['ratio_router']['q3']:.3f}; "
             f"all requests {read['ratio_router']['all_requests']:.3f}"),
            ("  control: the bare peer against itself", f"{read['ratio_control']['median']:.3f}",
             f"quartiles {read['ratio_control']['q1']:.3f}-{read['ratio_control']['q3']:.3f}; "
             f"all requests {read['ratio_control']['all_requests']:.3f} (the method's own spread)"),
            instructions_row(read["instructions"]),
            ("  p50 / p99 µs", f"{i['p50_us']:.0f} / {i['p99_us']:.0f}",
             f"peer {q['p50_us']:.0f} / {q['p99_us']:.0f}, with a Router {r['p50_us']:.0f} / {r['p99_us']:.0f}"),
            ("PUT servo angle, c8: requests/s", f"{write['rps']:.0f}",
             "2 s runs: " + " ".join(f"{x:.0f}" for x in write["rps_per_run"]) + f"; errors {write['errors']}"),
            ("  p50 / p99 µs", f"{write['p50_us']:.0f} / {write['p99_us']:.0f}", ""),
            ("PUT -> PCA9685 duty written, one at a time: p50 / p99 µs",
             f"{write['in_process']['put_to_duty']['p50_us']:.0f} / {write['in_process']['put_to_duty']['p99_us']:.0f}",
             f"in-process clock; answer at {write['in_process']['put_to_answer']['p50_us']:.0f} / "
             f"{write['in_process']['put_to_answer']['p99_us']:.0f}; {write['in_process']['count']} PUTs"),
        ]
        di, dp = foot["iotoyd"], foot["peer"]
        rows += [
            ("start to first answer (median) ms", f"{statistics.median(di['start_to_first_answer_ms']):.0f}",
             f"{statistics.median(dp['start_to_first_answer_ms']):.0f} (peer)"),
            ("RSS idle", mb(di["idle"]["status_kb"]["VmRSS"]), mb(dp["idle"]["status_kb"]["VmRSS"]) + " (peer)"),
            ("  anonymous / file-backed", f"{mb(di['idle']['status_kb']['RssAnon'])} / {mb(di['idle']['status_kb']['RssFile'])}",
             f"{mb(dp['idle']['status_kb']['RssAnon'])} / {mb(dp['idle']['status_kb']['RssFile'])} (peer)"),
            ("  threads", str(di["idle"]["status_kb"]["Threads"]), f"{dp['idle']['status_kb']['Threads']} (peer)"),
            ("RSS after load", mb(di["after_load"]["VmRSS"]), mb(dp["after_load"]["VmRSS"]) + " (peer)"),
            ("binary (stripped)", f"{di['binary']['bytes'] / 1e6:.1f} MB ({di['binary']['stripped_bytes'] / 1e6:.1f} MB)",
             f"{dp['binary']['bytes'] / 1e6:.1f} MB ({dp['binary']['stripped_bytes'] / 1e6:.1f} MB) (peer)"),
        ]
    serial_ = results.get("serial")
    if isinstance(serial_, dict):
        d, t = serial_["direct"], serial_["through_iotoyd"]
        rows += [
            ("serial GET, through iotoyd p50 / p99 µs", f"{t['p50_us']:.0f} / {t['p99_us']:.0f}",
             f"direct to the pty {d['p50_us']:.0f} / {d['p99_us']:.0f}"),
            ("  host overhead p50 / p99 µs", f"{serial_['overhead_p50_us']:.0f} / {serial_['overhead_p99_us']:.0f}",
             f"{t['requests']} requests each, one at a time"),
        ]
        loaded = serial_["wrk_c4"]
        rows.append(("  c4 requests/s: GET, PUT (set+get), POST /add",
                     f"{loaded['get']['rps']:.0f}, {loaded['put']['rps']:.0f}, {loaded['call']['rps']:.0f}",
                     f"GET p50 / p99 {loaded['get']['p50_us']:.0f} / {loaded['get']['p99_us']:.0f} µs"))
    stream_ = results.get("stream")
    if isinstance(stream_, dict):
        for row in stream_["latency"]:
            rows.append((f"edge -> SSE event, {row['watchers']} watcher(s) p50 / p99 ms",
                         f"{row['recorded_p50_ms']} / {row['recorded_p99_ms']}",
                         f"from the /_sim request {row['p50_ms']} / {row['p99_ms']}"))
        idle = stream_["idle_watchers"]
        rows.append(("RSS with 500 idle watchers", mb(idle["rss_kb"]), f"{mb(idle['rss_0_kb'])} with none, {idle['kb_each']} kB each"))
    failsafe_ = results.get("failsafe")
    if isinstance(failsafe_, dict):
        rows.append((f"failsafe {failsafe_['deadline_ms']} ms -> safe state, late p50 / p99 ms",
                     f"{failsafe_['late_p50_ms']} / {failsafe_['late_p99_ms']}",
                     f"max {failsafe_['late_max_ms']}, early {failsafe_['early']} of {failsafe_['rounds']}"))
    scale_ = results.get("scale")
    if isinstance(scale_, dict):
        one = scale_["get_one"]
        rows += [
            ("scale board: start to first answer ms", f"{scale_['start_to_first_answer_ms']:.0f}",
             f"{scale_['servos']} servos on {scale_['hats']} PCA9685s on {scale_['buses']} buses; "
             f"the last answering at {scale_['start_to_last_servo_ms']:.0f} ms"),
            ("  GET /devinfo p50 ms, size", f"{scale_['devinfo']['p50_ms']}", f"{scale_['devinfo']['bytes'] / 1024:.0f} kB, "
             f"{scale_['attributes_in_devinfo']} attributes"),
            ("  GET one servo, c32: requests/s, p50 / p99 µs", f"{one['rps']:.0f}", f"{one['p50_us']:.0f} / {one['p99_us']:.0f}"),
            ("  RSS idle / after load", f"{mb(scale_['idle']['status_kb']['VmRSS'])} / {mb(scale_['after_load']['VmRSS'])}",
             f"threads {scale_['idle']['status_kb']['Threads']}"),
        ]
    for phase, result in results.items():
        if isinstance(result, str):
            rows.append((f"{phase}: not measured", result.splitlines()[0][:60], ""))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True, help="the release build's bin directory")
    parser.add_argument("--json", default=os.path.join(ROOT, "build/bench.json"))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default=",".join(PHASES))
    parser.add_argument("--describe", default="", help="the build's description (git describe, swift --version)")
    arguments = parser.parse_args()
    phases = arguments.only.split(",")
    if unknown := [phase for phase in phases if phase not in PHASES]:
        parser.error(f"unknown phase {', '.join(unknown)}; the phases: {', '.join(PHASES)}")
    p = QUICK if arguments.quick else FULL
    bins = {"iotoyd": os.path.join(arguments.bin, "iotoyd"), "peer": os.path.join(arguments.bin, "iotoyd-bench-peer"),
            "put": os.path.join(arguments.bin, "iotoyd-bench-put")}
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 4096), hard), hard))
    about = machine()
    with open("/proc/loadavg") as loadavg:
        about["loadavg_before"] = loadavg.read().split()[:3]
    print(f"{about['uname_m']}, {about['nproc']} cores ({about['cpu']}), {about['memory_mb']} MB, Linux {about['kernel']}")
    print(f"{arguments.describe}; {'--quick' if arguments.quick else 'full'} run; servers and clients share the cores")
    measures = {"rest": rest, "serial": serial_overhead, "stream": stream_latency, "failsafe": failsafe_lateness, "scale": scale_board}
    results, began, failed_start = {}, time.monotonic(), None
    try:
        for phase in phases:
            phase_began = time.monotonic()
            print(f"... {phase}", file=sys.stderr, flush=True)
            try:
                results[phase] = measures[phase](bins, p)
            except DidNotStart:
                raise
            except Exception as error:  # a figure missing is reported, not fatal
                results[phase] = f"{type(error).__name__}: {error}"
            print(f"    {time.monotonic() - phase_began:.0f} s", file=sys.stderr, flush=True)
    except DidNotStart as error:
        failed_start = str(error)
    finally:
        clean_up(keep_output=failed_start is not None)
    with open("/proc/loadavg") as loadavg:
        about["loadavg_after"] = loadavg.read().split()[:3]
    rows = table(results)
    width = max(len(row[0]) for row in rows) if rows else 0
    value_width = max(len(row[1]) for row in rows) if rows else 0
    for measure, value, note in rows:
        print(f"{measure:<{width}}  {value:>{value_width}}  {note}")
    print(f"({time.monotonic() - began:.0f} s)")
    os.makedirs(os.path.dirname(os.path.abspath(arguments.json)), exist_ok=True)
    with open(arguments.json, "w") as out:
        json.dump({"machine": about, "build": arguments.describe, "quick": arguments.quick, "parameters": p,
                   "seconds": round(time.monotonic() - began, 1), "table": rows, "results": results,
                   "failed_start": failed_start}, out, indent=2, ensure_ascii=False)
    print(f"written: {arguments.json}")
    if failed_start:
        print(failed_start, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
