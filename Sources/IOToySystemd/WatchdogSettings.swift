/// The watchdog systemd asks for (`WatchdogSec=` in the unit): `$WATCHDOG_USEC`, for this
/// process when `$WATCHDOG_PID` is unset or names it (`sd_watchdog_enabled(3)`).
public struct WatchdogSettings: Sendable, Equatable {
    /// The interval within which `WATCHDOG=1` must arrive.
    public let interval: Duration

    /// Nil when no watchdog is asked of this process, or the values are not numbers.
    public init?(environment: [String: String], processID: Int32) {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], !pid.isEmpty, Int32(pid) != processID { return nil }
        interval = .microseconds(Int64(clamping: microseconds))
    }

    /// How often to check and ping: a third of the interval (`sd_watchdog_enabled(3)` asks
    /// for at least half), so one check that finds a slow owner does not miss the deadline.
    public var pingInterval: Duration { interval / 3 }
}
