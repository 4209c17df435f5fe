import Foundation
import Testing
@testable import IOToyDispatcher

/// An idle task that waits until it is told to stop waiting.
private final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var opened = 0
    private var forever = false
    private(set) var waits = 0

    /// Blocks until opened (each opening releases one wait).
    func wait() {
        condition.lock()
        defer { condition.unlock() }
        waits += 1
        while opened == 0 && !forever { condition.wait() }
        if opened > 0 { opened -= 1 }
    }

    func open() {
        condition.lock()
        opened += 1
        condition.broadcast()
        condition.unlock()
    }

    func openForever() {
        condition.lock()
        forever = true
        condition.broadcast()
        condition.unlock()
    }
}

@Suite(.timeLimit(.minutes(1))) struct HardwareOwnerTests {
    @Test func aQueuedOperationInterruptsTheIdleTask() async throws {
        let owner = HardwareOwner(name: "test")
        let gate = Gate()
        defer {
            gate.openForever()
            owner.shutdown()
        }
        _ = try await owner.perform { 0 }                            // the thread runs
        owner.setIdleTask({ gate.wait() }, interrupt: { gate.open() })
        // The idle task would wait forever: the operation completes only because queuing it
        // interrupted the wait.
        #expect(try await owner.perform { 42 } == 42)
        #expect(try await owner.perform { 43 } == 43)
    }

    @Test func withoutAnIdleTaskNothingIsInterrupted() async throws {
        let owner = HardwareOwner(name: "test")
        defer { owner.shutdown() }
        #expect(try await owner.perform { "done" } == "done")
        owner.setIdleTask(nil, interrupt: { Issue.record("no idle task runs, so nothing to interrupt") })
        #expect(try await owner.perform { "again" } == "again")
    }
}
