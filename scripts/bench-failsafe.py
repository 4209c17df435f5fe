#!/usr/bin/env python3
"""How late a failsafe deadline puts the actuator into its safe state, on real time (not a test).

Against a running iotoyd whose board has `tail: { kind: servo, …, failsafe_ms: N }`: watches
/tail's stream, sets the servo, and waits for its `failsafe` event, R times. Lateness = the
failsafe event's timestamp (taken after the owner put the PWM into its safe state) minus the
set event's timestamp (taken as the command went through) minus N. Prints p50/p99/max.

Usage: scripts/bench-failsafe.py --port P --deadline-ms N [--rounds 200]
"""
import argparse, re, socket, statistics, sys, time

EVENT = re.compile(rb"event: (value|failsafe)\ndata: ([^\n]*)\n")
STAMP = re.compile(rb'"timestamp":([0-9.]+)')

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--deadline-ms", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=200)
    arguments = parser.parse_args()
    stream = socket.create_connection(("127.0.0.1", arguments.port))
    stream.sendall(b"GET /tail HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n")
    driver = socket.create_connection(("127.0.0.1", arguments.port))
    buffer = b""
    lateness = []
    for round in range(arguments.rounds):
        angle = b"10" if round % 2 else b"-10"
        driver.sendall(b"PUT /tail HTTP/1.1\r\nHost: bench\r\nContent-Length: %d\r\n\r\n%s" % (len(angle), angle))
        driver.recv(65536)
        set_at = failsafe_at = None
        deadline = time.monotonic() + 5 + arguments.deadline_ms / 1000
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
            sys.exit(f"round {round}: no failsafe event")
        lateness.append((failsafe_at - set_at) * 1000 - arguments.deadline_ms)
    lateness.sort()
    print(f"failsafe_ms {arguments.deadline_ms}, {len(lateness)} rounds: late by p50 {statistics.median(lateness):.3f} ms, "
          f"p99 {lateness[int(len(lateness) * 0.99) - 1]:.3f} ms, max {lateness[-1]:.3f} ms; early: {sum(1 for l in lateness if l < 0)}")

if __name__ == "__main__":
    main()
