import IOToyCore
import IOToyHAL
import IOToyWire
import Logging

/// The conversation with one device on one open port: one command in flight, its reply
/// awaited until a deadline, lines that are not replies logged and skipped.
///
/// Confined to the port's owner thread (hence `@unchecked Sendable`: it is handed there,
/// never used from two threads). Time comes from `now`, a monotonic reading (tests pass a
/// manual clock that their simulated port advances while it "waits").
final class SerialSession: @unchecked Sendable {
    let connection: any SerialConnection
    private let now: @Sendable () -> Duration
    private let logger: Logger
    private var splitter = SerialLineSplitter()
    private var lines: [String] = []
    /// Commands that timed out and may still be answered: their late replies are dropped.
    private var unanswered = 0
    /// When the device last sent anything.
    private var lastHeard: Duration
    /// How long the device may stay silent while replies are owed before it counts as gone.
    private let giveUpAfterSilence: Duration
    private let metrics: SerialLinkMetrics

    init(
        connection: any SerialConnection, now: @escaping @Sendable () -> Duration, giveUpAfterSilence: Duration, logger: Logger,
        metrics: SerialLinkMetrics
    ) {
        self.metrics = metrics
        self.connection = connection
        self.now = now
        self.logger = logger
        self.giveUpAfterSilence = giveUpAfterSilence
        lastHeard = now()
    }

    var device: String { connection.path }

    /// Waits up to `timeout` for the ready line `200:DEV READY:<id>`; nil when none came.
    func waitForReadyLine(timeout: Duration) throws(HardwareError) -> DeviceIdentity? {
        let deadline = now() + timeout
        while true {
            while !lines.isEmpty {
                let line = lines.removeFirst()
                if let identity = SerialReply(line: line)?.readyIdentity { return identity }
                skip(line, reason: "before the ready line")
            }
            let remaining = deadline - now()
            guard remaining > .zero else { return nil }
            try receive(timeout: remaining)
        }
    }

    /// Sends `command` and returns the device's reply, or throws `timeout` when none arrives
    /// within `timeout`. A ready line instead of a reply means the device reset: `disconnected`.
    func send(_ command: SerialCommand, timeout: Duration) throws(HardwareError) -> SerialReply {
        try resynchronise(timeout: timeout)
        try discardUnsolicited(before: command)
        try write(command.bytes)
        metrics.commands.increment()
        let isDevinfo = command == SerialCommand.devinfo
        let sentAt = now()
        let deadline = sentAt + timeout
        while true {
            while !lines.isEmpty {
                let line = lines.removeFirst()
                guard let reply = SerialReply(line: line) else {
                    skip(line, reason: "while waiting for the reply to '\(command)'")
                    continue
                }
                if reply.readyIdentity != nil, !isDevinfo { throw reset(during: command.line) }
                metrics.roundTrip.recordNanoseconds((now() - sentAt).totalNanoseconds)
                return reply
            }
            let remaining = deadline - now()
            guard remaining > .zero else {
                unanswered += 1
                metrics.timeouts.increment()
                throw HardwareError(
                    .timeout, operation: command.line, device: device,
                    message: "no reply within \(SerialSession.describe(timeout))")
            }
            try receive(timeout: remaining)
        }
    }

    /// Writes `command` without waiting for its reply (which is then dropped when it comes):
    /// for the safe-state call at shutdown, which must not wait behind a busy device.
    func post(_ command: SerialCommand) throws(HardwareError) {
        try write(command.bytes)
        metrics.commands.increment()
        unanswered += 1
    }

    /// Reads whatever arrives within `timeout` while no command is in flight: lines are
    /// logged and skipped; a ready line means the device reset (`disconnected`); a hang-up throws.
    func idle(timeout: Duration) throws(HardwareError) {
        let deadline = now() + timeout
        while true {
            while !lines.isEmpty {
                let line = lines.removeFirst()
                if let reply = SerialReply(line: line) {
                    if reply.readyIdentity != nil { throw reset(during: "idle") }
                    if unanswered > 0 {
                        unanswered -= 1
                        continue
                    }
                }
                skip(line, reason: "no command in flight")
            }
            let remaining = deadline - now()
            guard remaining > .zero, try receive(timeout: remaining) else { return }
        }
    }

    /// After a timeout the device may still be busy: before the next command, `ping`, and
    /// drop every reply still owed (the timed-out commands', then the pong), so a reply never
    /// pairs with the wrong command. A device silent for longer than `giveUpAfterSilence`
    /// counts as gone (`io`): the port is reopened and the counts start afresh.
    private func resynchronise(timeout: Duration) throws(HardwareError) {
        while try receive(timeout: .zero) {}   // everything that has arrived, not just one read's worth
        try dropOwedReplies()
        guard unanswered > 0 else { return }
        try write(SerialCommand.ping.bytes)
        unanswered += 1
        let deadline = now() + timeout
        let owed = unanswered - 1
        while true {
            try dropOwedReplies()
            if unanswered == 0 {
                metrics.resyncs.increment()
                logger.notice("serial link back in step", metadata: ["port": "\(device)", "late_replies_dropped": "\(owed)"])
                return
            }
            let remaining = deadline - now()
            guard remaining > .zero else {
                if now() - lastHeard >= giveUpAfterSilence {
                    throw HardwareError(
                        .io, operation: "ping", device: device,
                        message: "the device has said nothing for \(SerialSession.describe(now() - lastHeard))")
                }
                throw HardwareError(.timeout, operation: "ping", device: device, message: "the device is still busy with an earlier command")
            }
            _ = try receive(timeout: remaining)
        }
    }

    /// Drops buffered replies still owed to timed-out commands; a ready line among them is a reset.
    private func dropOwedReplies() throws(HardwareError) {
        while unanswered > 0, let index = lines.firstIndex(where: { SerialReply(line: $0) != nil }) {
            for line in lines[..<index] { skip(line, reason: "while getting back in step") }
            let line = lines[index]
            lines.removeFirst(index + 1)
            if SerialReply(line: line)?.readyIdentity != nil { throw reset(during: "resynchronising") }
            logger.debug("late reply dropped", metadata: ["port": "\(device)", "line": "\(line)"])
            unanswered -= 1
        }
    }

    /// With nothing owed, whatever arrived before a command is unsolicited: logged and
    /// dropped, so it cannot pass for the command's reply; a ready line among it is a reset.
    private func discardUnsolicited(before command: SerialCommand) throws(HardwareError) {
        while !lines.isEmpty {
            let line = lines.removeFirst()
            if SerialReply(line: line)?.readyIdentity != nil, command != SerialCommand.devinfo { throw reset(during: command.line) }
            skip(line, reason: "before '\(command)'")
        }
    }

    private func reset(during operation: String) -> HardwareError {
        metrics.resets.increment()
        return HardwareError(.disconnected, operation: operation, device: device, message: "the device reset (it sent its ready line)")
    }

    /// Reads once; false when nothing arrived in time.
    @discardableResult
    private func receive(timeout: Duration) throws(HardwareError) -> Bool {
        let bytes = try connection.read(timeout: timeout)
        guard !bytes.isEmpty else { return false }
        metrics.received.increment(by: bytes.count)
        lastHeard = now()
        lines += splitter.feed(bytes)
        return true
    }

    private func write(_ bytes: [UInt8]) throws(HardwareError) {
        try connection.write(bytes)
        metrics.sent.increment(by: bytes.count)
    }

    private func skip(_ line: String, reason: String) {
        guard !line.isEmpty else { return }
        logger.notice("unexpected line from the device skipped", metadata: ["port": "\(device)", "line": "\(line)", "when": "\(reason)"])
    }

    static func describe(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}
