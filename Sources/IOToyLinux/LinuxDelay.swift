import Glibc
import IOToyHAL

/// A real blocking wait (clock_nanosleep on CLOCK_MONOTONIC, resumed after signals), for
/// datasheet delays on an owner thread.
public struct LinuxDelay: BlockingDelay {
    public init() {}

    public func wait(_ duration: Duration) {
        let nanoseconds = duration.wholeNanoseconds
        guard nanoseconds > 0 else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let total = UInt64(now.tv_nsec) + nanoseconds % 1_000_000_000
        var deadline = timespec(
            tv_sec: now.tv_sec + Int(nanoseconds / 1_000_000_000) + Int(total / 1_000_000_000),
            tv_nsec: Int(total % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil) == EINTR {}
    }
}
