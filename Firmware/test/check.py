#!/usr/bin/env python3
"""Byte-for-byte checks of IOTOY firmware on a pseudo-terminal (stdlib only).

    check.py testhost PTY PID        TestHost (PID of the host build for the unplug
                                     test; 0 skips it, e.g. for the ELF in simavr)
    check.py bothost PTY PULSELOG    BotHost ELF in simavr via sim/runner
    check.py leg PTY PULSELOG        LegController ELF in simavr via sim/runner

Prints one "PASS <name>" or "FAIL <name>: <detail>" line per check.
"""
import os, re, select, signal, sys, termios, time

OK, BAD, NOATTR = "200:Success:-", "500:Bad Value:-", "404:Attribute Not Found:-"
HELP = "200:Help found:help -> helptext:str - try 'help help', 'funcs' and 'attrs'"
failures = 0


def report(name, ok, detail=""):
    global failures
    if not ok:
        failures += 1
    print(("PASS %s" % name) if ok else ("FAIL %s: %s" % (name, detail)), flush=True)


class Dev:
    def __init__(self, path):
        self.path = path
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        a = termios.tcgetattr(self.fd)  # raw, but without flushing what is queued
        a[0] &= ~(termios.IGNBRK | termios.BRKINT | termios.PARMRK | termios.ISTRIP |
                  termios.INLCR | termios.IGNCR | termios.ICRNL | termios.IXON)
        a[1] &= ~termios.OPOST
        a[2] = (a[2] & ~(termios.CSIZE | termios.PARENB)) | termios.CS8
        a[3] &= ~(termios.ECHO | termios.ECHONL | termios.ICANON | termios.ISIG | termios.IEXTEN)
        termios.tcsetattr(self.fd, termios.TCSANOW, a)
        self.buf = b""

    def close(self):
        os.close(self.fd)

    def write(self, data):
        while data:
            select.select([], [self.fd], [], 1)
            n = os.write(self.fd, data)
            data = data[n:]

    def _fill(self, timeout):
        r, _, _ = select.select([self.fd], [], [], max(0, timeout))
        if not r:
            return False
        try:
            data = os.read(self.fd, 4096)
        except OSError:  # EIO
            data = b""
        if not data:  # hung up (the device died or was unplugged): nothing more will come
            return False
        self.buf += data
        return True

    def line(self, timeout=3.0):
        """Next line including its CRLF, or None on timeout."""
        end = time.time() + timeout
        while b"\n" not in self.buf:
            if not self._fill(end - time.time()):
                return None
        i = self.buf.index(b"\n") + 1
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def quiet(self, t):
        """Whatever arrives within t seconds (b"" if the device stays silent)."""
        end = time.time() + t
        while time.time() < end:
            self._fill(end - time.time())
        out, self.buf = self.buf, b""
        return out

    def cmd(self, text, timeout=3.0):
        self.write(text.encode() + b"\n")
        return self.line(timeout)


def expect(dev, name, send, want, timeout=3.0):
    got = dev.cmd(send, timeout)
    if isinstance(want, re.Pattern):
        ok = got is not None and want.fullmatch(got.decode(errors="replace")[:-2]) and got.endswith(b"\r\n")
    else:
        ok = got == want.encode() + b"\r\n"
    report(name, bool(ok), "sent %r, wanted %r, got %r" % (send, want if isinstance(want, str) else want.pattern, got))
    return got


def exchanges(dev, prefix, table):
    for send, want in table:
        expect(dev, "%s: %s" % (prefix, send if len(send) < 50 else send[:40] + "..."), send, want)


# ------------------------------------------------------------------ TestHost (host build)
def testhost(path, pid):
    dev = Dev(path)
    report("ready line on start", dev.line() == b"200:DEV READY:testhost\r\n")
    exchanges(dev, "builtin", [
        ("ping", "200:OK:pong"),
        ("devinfo", "200:DEV READY:testhost"),
        ("funcs", "200:FUNCS OK:ping,devinfo,funcs,attrs,set,get,help,one_arg_int_result_int,"
                  "barecommand,no_arg_result_int,one_arg_no_result,add,scale,echo,not,divide,label,slow"),
        ("attrs", "200:ATTRS OK:drive_forward_time_ms:int,turn_time_ms:int,str_id:str,ratio:float,"
                  "some_flag:bool,uptime_ms:int"),
        ("help", HELP), ("help help", HELP),
        ("help ratio", "200:Help found:float - Sample float attribute"),
        ("help drive_forward_time_ms", "200:Help found:int - How long to move forward"),
        ("help some_flag", "200:Help found:bool - Sample boolean attribute"),
        ("help one_arg_int_result_int", "200:Help found:one_arg_int_result_int myarg:int -> result:int"
                                        " - test, one arg, one result, both ints"),
        ("help barecommand", "200:Help found:barecommand -> - test, no args, no result"),
        ("help add", "200:Help found:add a:int b:int -> sum:int - Add two integers"),
        ("help nosuch", "404:No help found:nosuch"),
        ("get", "400:Fail:Usage: get <attr>"), ("set", "400:Fail:Usage: set <attr> <value>"),
        ("get nosuch", NOATTR), ("set nosuch 1", NOATTR),
    ])
    exchanges(dev, "int attr", [
        ("get drive_forward_time_ms", "200:Found:1500"), ("set drive_forward_time_ms 2000", OK),
        ("get drive_forward_time_ms", "200:Found:2000"), ("set drive_forward_time_ms -7", OK),
        ("get drive_forward_time_ms", "200:Found:-7"), ("set drive_forward_time_ms 12x", BAD),
        ("set drive_forward_time_ms ", BAD), ("set drive_forward_time_ms 99999999999", BAD),
        ("set drive_forward_time_ms 1.5", BAD), ("set turn_time_ms 10001", BAD),
        ("set turn_time_ms -1", BAD), ("set turn_time_ms 10000", OK), ("get turn_time_ms", "200:Found:10000"),
    ])
    exchanges(dev, "float attr", [
        ("get ratio", "200:Found:0.5"), ("set ratio 2.25", OK), ("get ratio", "200:Found:2.25"),
        ("set ratio -1e-3", OK), ("get ratio", "200:Found:-0.001"), ("set ratio 3", OK),
        ("get ratio", "200:Found:3.0"), ("set ratio abc", BAD), ("set ratio ", BAD),
    ])
    bools = [("get some_flag", "200:Found:True")]
    for word, value in [("False", "False"), ("1", "True"), ("0", "False"), ("true", "True"),
                        ("false", "False"), ("t", "True"), ("f", "False"), ("T", "True"),
                        ("F", "False"), ("True", "True")]:
        bools += [("set some_flag " + word, OK), ("get some_flag", "200:Found:" + value)]
    bools += [("set some_flag yes", BAD), ("set some_flag ", BAD), ("get some_flag", "200:Found:True")]
    exchanges(dev, "bool attr", bools)
    exchanges(dev, "str attr", [
        ("get str_id", "200:Found:testhost"), ("set str_id hello world", OK),
        ("get str_id", "200:Found:hello world"), ("set str_id  two  spaces", OK),
        ("get str_id", "200:Found: two  spaces"), ("set str_id a:b:c", OK), ("get str_id", "200:Found:a:b:c"),
        ("set str_id ", OK), ("get str_id", "200:Found:"),
        ("set str_id", "400:Fail:Usage: set <attr> <value>"),
        ("set str_id " + "x" * 23, OK), ("set str_id " + "x" * 24, BAD), ("get str_id", "200:Found:" + "x" * 23),
    ])
    exchanges(dev, "read-only attr", [
        ("get uptime_ms", re.compile(r"200:Found:\d+")), ("set uptime_ms 5", BAD),
    ])
    exchanges(dev, "function", [
        ("one_arg_int_result_int 41", "200:Success:41"), ("one_arg_int_result_int", BAD),
        ("one_arg_int_result_int x", BAD), ("barecommand", OK),
        ("no_arg_result_int", re.compile(r"200:Success:\d+")),
        ("add 2 3", "200:Success:5"), ("add -2 40", "200:Success:38"), ("add  2   3 ", "200:Success:5"),
        ("add 2", BAD), ("add 2 x", BAD), ("add 1 2 3", BAD),
        ("scale 1.5 2", "200:Success:3.0"), ("scale 0.1 0.2", "200:Success:0.02"),
        ("scale 1e12 1", "200:Success:1.0e+12"), ("scale 1.5 z", BAD),
        ("echo hello world", "200:Success:hello world"), ("echo", "200:Success:"),
        ("not True", "200:Success:False"), ("not 0", "200:Success:True"), ("not maybe", BAD),
        ("divide 7 2", "200:Success:3"), ("divide 7 0", BAD),
        ("label 3 some words", "200:Success:3: some words"),
        ("one_arg_no_result F", OK), ("get some_flag", "200:Found:False"),
        ("nosuch", "404:nosuch Not Found:-"), ("nosuch 1 2", "404:nosuch Not Found:-"),
        ("PING", "404:PING Not Found:-"), ("slow -1", BAD),
    ])
    # int results are 32-bit (-2147483648..2147483647): one that does not fit is refused, not wrapped
    exchanges(dev, "int result range", [
        ("add 2147483647 1", BAD), ("add 2147483646 1", "200:Success:2147483647"),
        ("add -2147483648 -1", BAD), ("add -2147483647 -1", "200:Success:-2147483648"),
        ("add 2147483647 -2147483648", "200:Success:-1"), ("add 2147483647 2147483647", BAD),
        ("add 2147483648 0", BAD), ("add -2147483649 0", BAD),
        ("one_arg_int_result_int 2147483647", "200:Success:2147483647"),
        ("one_arg_int_result_int -2147483648", "200:Success:-2147483648"),
        ("divide -2147483648 -1", BAD), ("divide -2147483648 1", "200:Success:-2147483648"),
        ("divide 2147483647 -1", "200:Success:-2147483647"),
        ("label -2147483648 x", "200:Success:-2147483648: x"), ("ping", "200:OK:pong"),
    ])
    exchanges(dev, "float result range", [  # inf/nan are no wire floats: refused
        ("scale 1e38 10", BAD), ("scale 1e30 -1e30", BAD), ("scale inf 0", BAD), ("ping", "200:OK:pong"),
    ])
    # framing
    dev.write(b"ping\r")
    report("framing: CR ends a command", dev.line() == b"200:OK:pong\r\n" and dev.quiet(0.2) == b"")
    dev.write(b"ping\r\n")
    report("framing: CRLF gives one reply", dev.line() == b"200:OK:pong\r\n" and dev.quiet(0.2) == b"")
    dev.write(b"\n\r\n\r\r\n\n")
    report("framing: empty lines ignored", dev.quiet(0.3) == b"")
    dev.write(b"ping\ndevinfo\rattrs\r\n")
    got = [dev.line(), dev.line(), dev.line()]
    report("framing: three commands in one write", got[0] == b"200:OK:pong\r\n" and
           got[1] == b"200:DEV READY:testhost\r\n" and got[2].startswith(b"200:ATTRS OK:"), repr(got))
    dev.write(b"pi"); time.sleep(0.05); dev.write(b"ng\n")
    report("framing: split write", dev.line() == b"200:OK:pong\r\n")
    for b in b"add 20 22\n":
        dev.write(bytes([b])); time.sleep(0.005)
    report("framing: byte by byte", dev.line() == b"200:Success:42\r\n")
    expect(dev, "long line: 139 bytes accepted", "echo " + "a" * 134, "200:Success:" + "a" * 134)
    expect(dev, "long line: 140 bytes refused", "echo " + "a" * 135, "400:Line too long:-")
    expect(dev, "long line: parser recovers", "ping", "200:OK:pong")
    dev.write(b"y" * 300 + b"\r\n")
    report("long line: 300 bytes CRLF, one reply", dev.line() == b"400:Line too long:-\r\n" and dev.quiet(0.2) == b"")
    for _ in range(10):
        dev.write(b"z" * 100); time.sleep(0.01)
    dev.write(b"\nping\n")
    got = [dev.line(), dev.line()]
    report("long line: 1000 bytes in chunks, then ping", got == [b"400:Line too long:-\r\n", b"200:OK:pong\r\n"], repr(got))
    # a slow function: the reply is deferred, later commands wait their turn
    t0 = time.time()
    dev.write(b"slow 400\n")
    early = dev.quiet(0.2)
    got = dev.line(3)
    dt = time.time() - t0
    report("slow: no reply before its time", early == b"", repr(early))
    report("slow: replies after 400 ms", got == b"200:Success:-\r\n" and 0.39 <= dt < 1.5, "%r after %.3f s" % (got, dt))
    dev.write(b"slow 300\nping\n")
    got = [dev.line(), dev.line()]
    report("slow: next command answered after it", got == [b"200:Success:-\r\n", b"200:OK:pong\r\n"], repr(got))
    if not pid:
        return
    # unplug and replug (SIGUSR1 to the host build)
    os.kill(pid, signal.SIGUSR1)
    hung = False
    end = time.time() + 3
    while time.time() < end and not hung:
        try:
            r, _, _ = select.select([dev.fd], [], [], 0.2)
            if r and os.read(dev.fd, 100) == b"":
                hung = True
        except OSError:
            hung = True
    report("unplug: the old port hangs up", hung)
    dev.close()
    dev = None
    end = time.time() + 5
    while time.time() < end and dev is None:
        try:
            dev = Dev(path)
        except OSError:
            time.sleep(0.1)
    report("replug: the link opens again", dev is not None)
    if dev:
        report("replug: ready line again", dev.line() == b"200:DEV READY:testhost\r\n")
        expect(dev, "replug: ping", "ping", "200:OK:pong")


# ------------------------------------------------------------------ simulated boards
def pulses(log, since, settle=0.2):
    """{pin: [widths]} logged after byte offset since, after settle seconds."""
    time.sleep(settle)
    with open(log) as f:
        f.seek(since)
        data = f.read()
    out = {}
    for ln in data.splitlines():
        p = ln.split()
        if len(p) == 2:
            out.setdefault(int(p[0]), []).append(int(p[1]))
    return out


def near(ws, want, tol=5):
    return bool(ws) and all(abs(w - want) <= tol for w in ws)


def check_latest(log, name, want, timeout=3.0):
    """The last 3 pulses on each pin are near the wanted widths (polls: the
    simulator may run slower than real time on a loaded machine)."""
    end = time.time() + timeout
    while True:
        p = pulses(log, 0, 0.1)
        last = {pin: p.get(pin, [])[-3:] for pin in want}
        ok = all(near(last[pin], w) for pin, w in want.items())
        if ok or time.time() > end:
            break
    report(name, ok, "wanted %r, got %r" % (want, last))


def bothost(path, log):
    dev = Dev(path)
    report("bothost: ready line", dev.line(5) == b"200:DEV READY:bothost\r\n")
    exchanges(dev, "bothost", [
        ("ping", "200:OK:pong"),
        ("funcs", "200:FUNCS OK:ping,devinfo,funcs,attrs,set,get,help,forward,backward,left,right,stop"),
        ("attrs", "200:ATTRS OK:drive_forward_time_ms:int,turn_time_ms:int,speed:int"),
        ("help forward", "200:Help found:forward ms:int -> - Drive forward for ms milliseconds"
                         " (0: drive_forward_time_ms)"),
        ("get drive_forward_time_ms", "200:Found:1500"), ("set speed 101", BAD), ("forward -5", BAD),
    ])
    check_latest(log, "bothost: wheels stopped at 1500 us", {9: 1500, 10: 1500})
    start = os.path.getsize(log)
    t0 = time.time()
    got = dev.cmd("forward 500", 5)
    dt = time.time() - t0
    report("bothost: forward 500 answers when done", got == b"200:Success:-\r\n" and 0.45 <= dt < 3,
           "%r after %.3f s" % (got, dt))
    p = pulses(log, start, 0.1)
    fwd9 = [w for w in p.get(9, []) if abs(w - 2000) <= 5]
    fwd10 = [w for w in p.get(10, []) if abs(w - 1000) <= 5]
    report("bothost: forward drives D9 at 2000 us, D10 at 1000 us", len(fwd9) >= 15 and len(fwd10) >= 15,
           "%d and %d pulses of %r" % (len(fwd9), len(fwd10), {k: sorted(set(v)) for k, v in p.items()}))
    check_latest(log, "bothost: stopped after forward", {9: 1500, 10: 1500})
    expect(dev, "bothost: set speed 50", "set speed 50", OK)
    start = os.path.getsize(log)
    expect(dev, "bothost: backward 200", "backward 200", OK, 5)
    p = pulses(log, start, 0.1)
    report("bothost: backward at half speed (D9 1250, D10 1750)",
           sum(abs(w - 1250) <= 5 for w in p.get(9, [])) >= 5 and sum(abs(w - 1750) <= 5 for w in p.get(10, [])) >= 5,
           repr({k: sorted(set(v)) for k, v in p.items()}))


def leg(path, log):
    dev = Dev(path)
    report("leg: ready line", dev.line(5) == b"200:DEV READY:legcontroller\r\n")
    exchanges(dev, "leg", [
        ("attrs", "200:ATTRS OK:lift:int,swing:int"),
        ("help lift", "200:Help found:int - Lift servo angle in degrees, 20 to 160 (D9)"),
        ("help move", "200:Help found:move lift:int swing:int -> - Set both angles at once (degrees)"),
        ("get lift", "200:Found:90"),
    ])
    check_latest(log, "leg: 90 degrees is 1472 us on D9 and D10", {9: 1472, 10: 1472})
    expect(dev, "leg: set lift 45", "set lift 45", OK)
    check_latest(log, "leg: lift 45 is 1008 us on D9", {9: 1008, 10: 1472})
    exchanges(dev, "leg", [("get lift", "200:Found:45"), ("set lift 10", BAD), ("set lift 161", BAD),
                           ("get lift", "200:Found:45"), ("set swing 150", OK), ("set swing 151", BAD)])
    check_latest(log, "leg: refused values leave the pins alone", {9: 1008, 10: 2091})
    exchanges(dev, "leg", [("move 100 60", OK), ("move 10 60", BAD), ("move 100", BAD)])
    check_latest(log, "leg: move 100 60 (D9 1575, D10 1163)", {9: 1575, 10: 1163})
    expect(dev, "leg: center", "center", OK)
    check_latest(log, "leg: centered", {9: 1472, 10: 1472})


if __name__ == "__main__":
    suite, path, extra = sys.argv[1], sys.argv[2], sys.argv[3]
    {"testhost": lambda: testhost(path, int(extra)), "sim-testhost": lambda: testhost(path, 0), "bothost": lambda: bothost(path, extra),
     "leg": lambda: leg(path, extra)}[suite]()
    sys.exit(1 if failures else 0)
