#if canImport(Glibc)
import Glibc
#endif

/// CLOCK_MONOTONIC in microseconds, as `RELOADING=1`'s `MONOTONIC_USEC` wants it.
public enum MonotonicTime {
    public static var microseconds: UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }
}
