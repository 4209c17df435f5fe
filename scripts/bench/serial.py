"""The serial host's overhead: the same IOTOY command sent to the same pseudo-terminal directly and
through iotoyd (`serve --serial`, GET over HTTP), one at a time, timed at the client (not a test).

The device is the host-built TestHost (Firmware/build/host/testhost) on a pty. Directly, the
client writes `get ratio` and reads the reply line; through iotoyd, it sends `GET /ratio` on a
kept-alive connection, which iotoyd turns into that command on the wire. The difference of the
two distributions' percentiles is what the host adds: HTTP, the dispatcher, the port's owner
thread and its idle watch. Both clients are the same Python process; the HTTP one parses a little
more (a few µs).
"""
import os, statistics, time, tty

from servers import KeepAlive


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[max(int(len(ordered) * fraction) - 1, 0)]


def summary(samples_us):
    return {"requests": len(samples_us), "p50_us": round(statistics.median(samples_us), 1),
            "p99_us": round(percentile(samples_us, 0.99), 1)}


def direct(pty_path, count, warmup=50, command=b"get ratio\n"):
    """Round trips of `command` written straight to the pty (µs), after `warmup` untimed ones."""
    fd = os.open(pty_path, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    try:
        os.set_blocking(fd, False)
        try:
            while os.read(fd, 4096):     # the ready line and anything else already waiting
                pass
        except BlockingIOError:
            pass
        os.set_blocking(fd, True)
        samples, pending = [], b""
        for index in range(warmup + count):
            began = time.perf_counter()
            os.write(fd, command)
            while b"\n" not in pending:
                pending += os.read(fd, 4096)
            ended = time.perf_counter()
            line, _, pending = pending.partition(b"\n")
            if not line.startswith(b"200:"):
                raise RuntimeError(f"the device answered {line!r} to {command!r}")
            if index >= warmup:
                samples.append((ended - began) * 1e6)
        return samples
    finally:
        os.close(fd)


def through_iotoyd(port, count, warmup=50, path="/ratio"):
    """Round trips of GET `path` through iotoyd on one kept-alive connection (µs)."""
    connection = KeepAlive(port)
    try:
        samples = []
        for index in range(warmup + count):
            began = time.perf_counter()
            status, body = connection.request("GET", path)
            ended = time.perf_counter()
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}: {body[:200]!r}")
            if index >= warmup:
                samples.append((ended - began) * 1e6)
        return samples
    finally:
        connection.close()
