"""wrk (Debian's package) runs with a Lua reporter that prints the figures as one JSON line."""
import json, os, subprocess, tempfile

REPORT = r"""
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.6f, "p50_us": %.1f, "p90_us": %.1f, "p99_us": %.1f, "max_us": %.1f, ' ..
    '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""


def lua_put_cycle(path, values):
    """A Lua request function: PUT of each value in turn to path."""
    listed = ", ".join(f'"{value}"' for value in values)
    return (f"local values = {{{listed}}}\nlocal i = 0\n"
            "request = function()\n  i = i % #values + 1\n"
            f'  return wrk.format("PUT", "{path}", {{}}, values[i])\nend\n')


def lua_request(method, path, body, content_type=None):
    """A Lua request function: the same request every time."""
    headers = f'{{["Content-Type"] = "{content_type}"}}' if content_type else "{}"
    return f'request = function() return wrk.format("{method}", "{path}", {headers}, [==[{body}]==]) end\n'


def run(url, seconds, connections, threads=2, request_lua=""):
    """One wrk run; returns requests/s, p50/p90/p99/max in µs and the error counts."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(request_lua + REPORT)
    try:
        output = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", script.name, url],
            capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line[6:])
    figures["rps"] = round(figures["requests"] / figures["seconds"], 1)
    return figures
