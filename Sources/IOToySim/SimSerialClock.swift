import Foundation
import Synchronization

/// The time simulated serial devices live in: virtual for tests (a read that would wait
/// advances it instead, so a 5 s timeout costs nothing), or the real monotonic clock for
/// `iotoyd serve --simulate`.
public final class SimSerialClock: Sendable {
    /// True when time moves only as things wait.
    public let isVirtual: Bool
    private let virtualNow = Mutex(Duration.zero)
    private let origin = ContinuousClock.now

    private init(virtual: Bool) {
        isVirtual = virtual
    }

    /// Time that moves only when something waits.
    public static func virtual() -> SimSerialClock { SimSerialClock(virtual: true) }
    /// The real monotonic clock.
    public static func realTime() -> SimSerialClock { SimSerialClock(virtual: false) }

    /// Time since the clock was made.
    public func now() -> Duration {
        if isVirtual { return virtualNow.withLock { $0 } }
        return origin.duration(to: .now)
    }

    /// A monotonic reading for the host side (`IOToySerialDevice`'s `now`).
    public var reading: @Sendable () -> Duration { { [self] in now() } }

    /// Moves virtual time forward to `instant` (never back). No effect on real time.
    func advance(to instant: Duration) {
        if isVirtual { virtualNow.withLock { $0 = max($0, instant) } }
    }

    /// Waits on `condition` (locked by the caller) until `deadline`: advances virtual time,
    /// or sleeps on the condition in real time. Returns when the deadline passed or a signal came.
    func wait(on condition: NSCondition, until deadline: Duration) {
        if isVirtual {
            advance(to: deadline)
        } else {
            let remaining = deadline - now()
            guard remaining > .zero else { return }
            let seconds = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) / 1e18
            _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
        }
    }
}
