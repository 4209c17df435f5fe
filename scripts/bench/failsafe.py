#!/usr/bin/env python3
"""How late a failsafe deadline puts the actuator into its safe state, on real time (not a test).

Against a running iotoyd whose board has `tail: { kind: servo, …, failsafe_ms: N }`: watches
/tail's stream, sets the servo, and waits for its `failsafe` event, R times. Lateness = the
failsafe event's timestamp (taken after the owner put the PWM into its safe state) minus the
set event's timestamp (taken as the command went through) minus N. Prints p50/p99/max.

Part of scripts/bench/run.sh (its `failsafe` phase), which starts the daemon with BOARD below.
Alone: scripts/bench/failsafe.py --port P --deadline-ms N [--rounds 200]
"""
import argparse, re, socket, statistics, time

EVENT = re.compile(rb"event: (value|failsafe)\ndata: ([^\n]*)\n")
STAMP = re.compile(rb'"timestamp":([0-9.]+)')

# The board the benchmark serves: a servo on a simulated pwmchip with a 100 ms deadline.
BOARD = """device: failsafe
hardware:
  pwm: { kind: pwmchip, chip: pwmchip0 }
resources:
  tail: { kind: servo, pwm: pwm/0, angle: [-90, 90], failsafe_ms: 100 }
"""
DEADLINE_MS = 100

def measure(port, deadline_ms, rounds):
    """Lateness of the safe state after each of `rounds` commands left to expire (ms)."""
    stream = socket.create_connection(("127.0.0.1", port))
    stream.sendall(b"GET /tail HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n")
    driver = socket.create_connection(("127.0.0.1", port))
    buffer = b""
    lateness = []
    for index in range(rounds):
        angle = b"10" if index % 2 else b"-10"
        driver.sendall(b"PUT /tail HTTP/1.1\r\nHost: bench\r\nContent-Length: %d\r\n\r\n%s" % (len(angle), angle))
        driver.recv(65536)
        set_at = failsafe_at = None
        deadline = time.monotonic() + 5 + deadline_ms / 1000
        while failsafe_at is None and time.monotonic() < deadline:
            buffer += stream.recv(65536)
            for match in EVENT.finditer(buffer):
                stamp = STAMP.search(match.group(2))
                if not stamp:
                    continue
                if match.group(1) == b"value" and set_at is None and b'"value":' + angle in match.group(2):
                    set_at = float(stamp.group(1))
                elif match.group(1) == b"failsafe" and set_at is not None:
                    failsafe_at = float(stamp.group(1))
            buffer = buffer[buffer.rfind(b"\n\n") + 2:] if failsafe_at is None and set_at is None else b""
        if set_at is None or failsafe_at is None:
            raise RuntimeError(f"round {index}: no failsafe event")
        lateness.append((failsafe_at - set_at) * 1000 - deadline_ms)
    stream.close()
    driver.close()
    lateness.sort()
    return {"deadline_ms": deadline_ms, "rounds": len(lateness), "late_p50_ms": round(statistics.median(lateness), 3),
            "late_p99_ms": round(lateness[max(int(len(lateness) * 0.99) - 1, 0)], 3), "late_max_ms": round(lateness[-1], 3),
            "early": sum(1 for late in lateness if late < 0)}

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--deadline-ms", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=200)
    arguments = parser.parse_args()
    figures = measure(arguments.port, arguments.deadline_ms, arguments.rounds)
    print(f"failsafe_ms {figures['deadline_ms']}, {figures['rounds']} rounds: late by p50 {figures['late_p50_ms']:.3f} ms, "
          f"p99 {figures['late_p99_ms']:.3f} ms, max {figures['late_max_ms']:.3f} ms; early: {figures['early']}")

if __name__ == "__main__":
    main()
