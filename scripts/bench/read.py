"""GET of a cached attribute, iotoyd against the bare peer, measured two ways.

Throughput (`alternate`): many short wrk rounds, the servers one after another in a rotating
order within each round. On a small shared machine the rate of *both* servers drifts by a third
within seconds (the host's scheduling of the virtual CPUs), so long rounds compare different
machines; short adjacent runs see the same one. The figure is the median of the per-round
ratios, with their interquartile range, beside the ratio of all requests.

Instructions (`instructions`): each server under valgrind's callgrind, counting the
instructions it executes while answering a fixed load (one connection, so each request is a
whole event-loop turn in both), less what it executes idle for as long
(iotoyd's simulated sensors sample on their own), measured before and after. Counting is exact and does not drift, so this
is the cost of the IOTOY layer per request without the machine's noise, though not its cache
misses or its threads' scheduling.
"""
import os, shutil, statistics, subprocess, tempfile, time

import wrk
from servers import http


def alternate(urls, rounds, seconds, connections):
    """`rounds` rounds of `seconds` each per server; returns the rounds' figures by server."""
    names = list(urls)
    results = []
    for index in range(rounds):
        order = names[index % len(names):] + names[:index % len(names)]
        if index % 2:
            order.reverse()
        results.append({name: wrk.run(urls[name], seconds, connections) for name in order})
    return results


def ratios(rounds, name, peer):
    """The per-round ratios of `name`'s rate to `peer`'s, their median and quartiles, and the
    ratio of all requests."""
    per_round = [r[name]["rps"] / r[peer]["rps"] for r in rounds]
    quartiles = statistics.quantiles(per_round, n=4) if len(per_round) > 1 else per_round * 3
    return {"median": round(statistics.median(per_round), 3), "q1": round(quartiles[0], 3), "q3": round(quartiles[2], 3),
            "all_requests": round(sum(r[name]["requests"] for r in rounds) / sum(r[peer]["requests"] for r in rounds), 3),
            "per_round": [round(x, 3) for x in per_round]}


def _total_instructions(dump):
    with open(dump) as lines:
        for line in lines:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError(f"no totals in {dump}")


def _callgrind(argv, port, path, stdin_path, seconds):
    """(instructions while loaded, requests answered, instructions idle for as long)."""
    work = tempfile.mkdtemp(prefix="iotoyd-bench-callgrind-")
    try:
        binary = os.path.join(work, os.path.basename(argv[0]))
        # valgrind cannot read the toolchain's compressed DWARF; the symbols are enough.
        subprocess.run(["strip", "--strip-debug", "-o", binary, argv[0]], check=True)
        out = os.path.join(work, "callgrind.out")
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        process = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, *argv[1:]],
                                   stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if http(port, "GET", path, timeout=10)[0] == 200:
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{argv[0]} did not answer under valgrind")
                time.sleep(0.5)
            url = f"http://127.0.0.1:{port}{path}"
            wrk.run(url, 2, 1, threads=1)                      # warm up: first-use paths out of the count

            def measured(action):
                subprocess.run(["callgrind_control", "-z", str(process.pid)], check=True, capture_output=True)
                result = action()
                subprocess.run(["callgrind_control", "-d", str(process.pid)], check=True, capture_output=True)
                dumps = sorted((name for name in os.listdir(work) if name.startswith("callgrind.out.")),
                               key=lambda name: int(name.rsplit(".", 1)[1]))
                return result, _total_instructions(os.path.join(work, dumps[-1]))

            # Idle before and after the load, so the background's own drift is averaged out.
            _, idle_before = measured(lambda: time.sleep(seconds))
            started = time.monotonic()
            # One connection: every request is a whole turn of the event loop in both servers,
            # so the count does not move with how many requests a turn happened to batch (at
            # four connections the peer's own count moved by 2% between runs).
            figures, loaded = measured(lambda: wrk.run(url, seconds, 1, threads=1))
            elapsed = time.monotonic() - started
            _, idle_after = measured(lambda: time.sleep(seconds))
            return loaded, figures["requests"], (idle_before + idle_after) / 2 * elapsed / seconds
        finally:
            process.terminate()
            process.wait(timeout=30)
            if stdin_path:
                stdin.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def instructions(servers, path, seconds):
    """Instructions per GET of `path` for each server: {name: (argv, port, stdin path)}."""
    if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
        return {"skipped": "valgrind is not installed"}
    result = {}
    for name, (argv, port, stdin_path) in servers.items():
        loaded, requests, idle = _callgrind(argv, port, path, stdin_path, seconds)
        result[name] = {"requests": requests, "instructions_loaded": loaded, "instructions_idle": round(idle),
                        "per_request": round((loaded - idle) / requests)}
    return result
