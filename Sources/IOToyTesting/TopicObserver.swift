import Foundation
import Synchronization

/// `mosquitto_sub` on a topic filter: every message it prints, in order, as ``Message``s.
public final class TopicObserver: Sendable {
    /// One message as the broker delivered it.
    public struct Message: Sendable, Hashable, CustomStringConvertible {
        public let topic: String
        public let payload: String
        public let retained: Bool
        public var description: String { "\(topic) \(payload)\(retained ? " (retained)" : "")" }
    }

    private let process: Process
    private let inbox = Inbox()

    /// What the output handler fills (its own object, so the handler does not keep the observer alive).
    final class Inbox: Sendable {
        let state = Mutex(State())
    }

    struct State {
        var pending = ""
        var messages: [Message] = []
        var waiters: [(id: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var nextWaiter = 0
    }

    init(port: Int, filter: String, user: String, password: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/mosquitto_sub")
        // -F: retained flag, topic and payload, tab-separated, one message per line.
        process.arguments = ["-h", "127.0.0.1", "-p", "\(port)", "-u", user, "-P", password, "-t", filter, "-F", "%r\t%t\t%p", "-q", "1"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let inbox = inbox
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            // End of file (mosquitto_sub is gone): take the handler off (see MosquittoBroker).
            if data.isEmpty { handle.readabilityHandler = nil }
            let text = String(decoding: data, as: UTF8.self)
            let waiters = inbox.state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.pending += text
                while let newline = state.pending.firstIndex(of: "\n") {
                    let line = state.pending[..<newline]
                    state.pending = String(state.pending[state.pending.index(after: newline)...])
                    let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
                    guard fields.count >= 2 else { continue }
                    state.messages.append(Message(
                        topic: String(fields[1]), payload: fields.count > 2 ? String(fields[2]) : "", retained: fields[0] == "1"))
                }
                defer { state.waiters = [] }
                return state.waiters.map(\.continuation)
            }
            for waiter in waiters { waiter.resume() }
        }
        try process.run()
    }

    deinit {
        // SIGKILL: a child of Foundation's `Process` inherits a blocked signal mask.
        kill(process.processIdentifier, SIGKILL)
    }

    /// Every message so far.
    public var messages: [Message] { inbox.state.withLock { $0.messages } }

    /// Waits for the first message after the first `skip` that satisfies `matches`; nil when none came within `timeout`.
    public func first(after skip: Int = 0, within timeout: Duration = .seconds(30), where matches: @escaping @Sendable (Message) -> Bool) async -> Message? {
        let deadline = ContinuousClock.now + timeout
        let timer = Task { [weak self] in
            try? await Task.sleep(until: deadline)
            self?.wakeAll()
        }
        defer { timer.cancel() }
        while true {
            let found = inbox.state.withLock { $0.messages.dropFirst(skip).first(where: matches) }
            if let found { return found }
            if ContinuousClock.now >= deadline { return nil }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = inbox.state.withLock { state -> Bool in
                    if state.messages.dropFirst(skip).contains(where: matches) || ContinuousClock.now >= deadline { return true }
                    state.nextWaiter += 1
                    state.waiters.append((state.nextWaiter, continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// The first message on `topic` (after the first `skip`).
    public func first(on topic: String, after skip: Int = 0, within timeout: Duration = .seconds(30)) async -> Message? {
        await first(after: skip, within: timeout) { $0.topic == topic }
    }

    private func wakeAll() {
        let waiters = inbox.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiters = [] }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume() }
    }
}
