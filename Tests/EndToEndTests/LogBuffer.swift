import Foundation
import Synchronization

/// Text collected from a child's output (or a socket) by a reader thread. Tests wait for a line
/// to appear without holding a thread: the waiter is suspended and woken by the reader, or by
/// its time limit, or when every writer has said it is done.
///
/// The waits are async on purpose. The cooperative pool has one thread per core (two here);
/// a test blocked in a condition wait holds one of them, and on a loaded CI machine every other
/// test then waits behind it.
final class LogBuffer: Sendable {
    private struct State {
        var storage = ""
        var openWriters: Int
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state: Mutex<State>

    /// A buffer that `writers` readers fill; once each has called ``close()``, waits stop early.
    init(writers: Int = 1) {
        state = Mutex(State(openWriters: writers))
    }

    /// Everything so far.
    var text: String { state.withLock { $0.storage } }

    /// Adds what a reader read and wakes the waiters.
    func append(_ more: String) {
        let waiters = state.withLock { state in
            state.storage += more
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Puts `text` before everything so far (the banner a child printed on its other pipe).
    func prepend(_ text: String) {
        state.withLock { $0.storage = text + $0.storage }
    }

    /// Says one writer has reached its end (the pipe's end of file).
    func close() {
        let waiters = state.withLock { state in
            state.openWriters -= 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until `needle` occurs after the first `skipping` characters; false when the time
    /// limit passes first, or every writer has closed without it.
    func wait(for needle: String, after skipping: Int = 0, timeout seconds: Double = 30) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let timer = Task { [weak self] in
            try? await Task.sleep(until: deadline)
            self?.wakeAll()
        }
        defer { timer.cancel() }
        while true {
            let (found, ended) = state.withLock { state in
                (state.storage.dropFirst(skipping).contains(needle), state.openWriters <= 0)
            }
            if found { return true }
            if ended || ContinuousClock.now >= deadline { return false }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.storage.dropFirst(skipping).contains(needle) || state.openWriters <= 0 || ContinuousClock.now >= deadline {
                        return true
                    }
                    state.nextWaiter += 1
                    state.waiters[state.nextWaiter] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    private func wakeAll() {
        let waiters = state.withLock { state in
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }
}
