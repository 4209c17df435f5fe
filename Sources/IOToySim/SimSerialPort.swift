import Foundation
import IOToyHAL

/// One open connection to a simulated IOTOY device: the host writes command bytes, the
/// device answers each line after the time its handler takes, and reads return the reply
/// bytes at most `chunkBytes` at a time (so tests see lines split across reads).
final class SimSerialPort: SerialConnection, @unchecked Sendable {
    let path: String
    private let device: SimIOToyDevice
    private let clock: SimSerialClock
    private let chunkBytes: Int
    private let condition = NSCondition()
    /// Bytes of an unfinished command line.
    private var pendingCommand: [UInt8] = []
    /// Reply bytes and when they become readable.
    private var outbox: [(bytes: [UInt8], at: Duration)] = []
    /// When the device is free again (it handles one line at a time).
    private var busyUntil: Duration = .zero
    private var hungUp = false
    private var interrupted = false
    private var closed = false

    init(path: String, device: SimIOToyDevice, clock: SimSerialClock, chunkBytes: Int, bootDelay: Duration) {
        self.path = path
        self.device = device
        self.clock = clock
        self.chunkBytes = max(1, chunkBytes)
        if device.printsReadyLine {
            outbox.append((Array((device.readyLine + "\r\n").utf8), clock.now() + bootDelay))
            busyUntil = clock.now() + bootDelay
        }
    }

    func write(_ bytes: [UInt8]) throws(HardwareError) {
        condition.lock()
        defer { condition.unlock() }
        try checkOpen("write")
        for byte in bytes {
            // Only LF ends a command, as in the original firmware (which keeps a CR as part of
            // the command): a host that sent CR would meet unknown functions here.
            if byte == UInt8(ascii: "\n") {
                let line = String(decoding: pendingCommand, as: UTF8.self)
                pendingCommand.removeAll()
                guard !line.isEmpty else { continue }
                let reply = device.handle(line)
                let start = max(busyUntil, clock.now())
                busyUntil = start + reply.after
                if let chatter = device.chatter { outbox.append((Array((chatter + "\r\n").utf8), busyUntil)) }
                outbox.append((Array((reply.line + "\r\n").utf8), busyUntil))
            } else {
                pendingCommand.append(byte)
            }
        }
        condition.broadcast()
    }

    func read(timeout: Duration) throws(HardwareError) -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        let deadline = clock.now() + timeout
        while true {
            try checkOpen("read")
            if let first = outbox.first, first.at <= clock.now() {
                let count = min(chunkBytes, first.bytes.count)
                let chunk = Array(first.bytes[..<count])
                if count == first.bytes.count { outbox.removeFirst() } else { outbox[0].bytes.removeFirst(count) }
                return chunk
            }
            if interrupted {
                interrupted = false
                return []
            }
            let now = clock.now()
            guard now < deadline else { return [] }
            clock.wait(on: condition, until: min(deadline, outbox.first?.at ?? deadline))
        }
    }

    func interruptRead() {
        condition.lock()
        interrupted = true
        condition.broadcast()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The device prints `line` unasked (a reset's ready line, a debug print).
    func emit(_ line: String) {
        condition.lock()
        outbox.append((Array((line + "\r\n").utf8), max(busyUntil, clock.now())))
        condition.broadcast()
        condition.unlock()
    }

    /// The cable is pulled: reads and writes fail with a hang-up from now on.
    func hangUp() {
        condition.lock()
        hungUp = true
        condition.broadcast()
        condition.unlock()
    }

    private func checkOpen(_ operation: String) throws(HardwareError) {
        if hungUp { throw HardwareError(.disconnected, operation: operation, device: path, errno: 5, message: "hang-up (simulated unplug)") }
        if closed { throw HardwareError(.disconnected, operation: operation, device: path, message: "the port is closed") }
    }
}
