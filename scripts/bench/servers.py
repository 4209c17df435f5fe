"""Starting and stopping the servers the benchmark measures, and reading their memory.

A Server is a process started from an argument list with its output in a file; `started()`
waits until it answers an HTTP request and says how long that took from the spawn. Nothing here
is a test: a server that does not start raises, which stops the benchmark.
"""
import os, re, signal, socket, subprocess, tempfile, time


class DidNotStart(RuntimeError):
    """A server did not answer: the one failure that stops the benchmark."""


# Every server started and not yet stopped, so an interrupted run leaves none behind; every
# server made, whose output files `clean_up` removes.
RUNNING, MADE = [], []


def clean_up(keep_output=False):
    """Stops what still runs and removes the output files (kept when a server did not start)."""
    for server in list(RUNNING):
        server.stop()
    for server in MADE:
        if not keep_output and os.path.exists(server.output.name):
            os.unlink(server.output.name)


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on now (the kernel's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http(port, method, path, body=b"", headers=None, timeout=5):
    """One request on a fresh connection: (status, headers dict, body bytes)."""
    head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
    for name, value in (headers or {}).items():
        head += f"{name}: {value}\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(head.encode() + b"\r\n" + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, payload = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return status, fields, payload


class KeepAlive:
    """One kept-alive HTTP/1.1 connection for timing requests one after another."""

    def __init__(self, port):
        self.connection = socket.create_connection(("127.0.0.1", port))
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def request(self, method, path, body=b""):
        """Sends one request and reads its whole answer; returns (status, body)."""
        self.connection.sendall(f"{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.receive()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
        while len(rest) < length:
            rest += self.receive()
        self.buffer = rest[length:]
        return int(head[9:12]), rest[:length]

    def receive(self):
        chunk = self.connection.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk

    def close(self):
        self.connection.close()


class Server:
    """A server process: spawned by `start`, stopped (SIGTERM, then SIGKILL) by `stop`."""

    def __init__(self, name, argv, port, stdin_path=None, probe_path="/", ready=lambda status: status < 500):
        self.name, self.argv, self.port, self.stdin_path = name, argv, port, stdin_path
        self.probe_path, self.ready = probe_path, ready
        self.output = tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".out", delete=False)
        self.process = None
        MADE.append(self)

    def start(self, timeout=60):
        """Spawns the process and waits for its first answer; returns seconds from spawn to it."""
        stdin = open(self.stdin_path, "rb") if self.stdin_path else subprocess.DEVNULL
        began = time.monotonic()
        self.process = subprocess.Popen(self.argv, stdin=stdin, stdout=self.output, stderr=subprocess.STDOUT)
        RUNNING.append(self)
        if self.stdin_path:
            stdin.close()
        while time.monotonic() < began + timeout:
            if self.process.poll() is not None:
                break
            try:
                status, _, _ = http(self.port, "GET", self.probe_path, timeout=1)
                if self.ready(status):
                    return time.monotonic() - began
            except OSError:
                pass
            time.sleep(0.002)
        self.stop()
        with open(self.output.name, errors="replace") as log:
            tail = log.read()[-2000:]
        raise DidNotStart(f"{self.name} did not start ({' '.join(self.argv)}):\n{tail}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self in RUNNING:
            RUNNING.remove(self)
        self.process = None

    @property
    def pid(self):
        return self.process.pid

    def status(self):
        """VmRSS, RssAnon, RssFile (kB) and Threads from /proc/PID/status."""
        values = {}
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem", "VmHWM", "Threads"):
                    values[key] = int(value.split()[0])
        return values

    def rss_kb(self):
        return self.status()["VmRSS"]

    def memory_breakdown(self, top=8):
        """Where the resident memory is: the status figures and the largest mappings by Rss
        (anonymous mappings summed, file mappings by library)."""
        by_name = {}
        name = None
        with open(f"/proc/{self.pid}/smaps") as smaps:
            for line in smaps:
                fields = line.split()
                if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                    path = fields[5] if len(fields) > 5 else "[anon]"
                    name = os.path.basename(path) if path.startswith("/") else path
                elif fields[0] == "Rss:" and name is not None:
                    by_name[name] = by_name.get(name, 0) + int(fields[1])
        largest = sorted(by_name.items(), key=lambda item: -item[1])[:top]
        return {"status_kb": self.status(), "largest_mappings_kb": dict(largest)}
