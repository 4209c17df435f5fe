/// A blocking wait on the caller's thread, for the datasheet delays a driver must respect
/// (a conversion time, an oscillator start-up). Only ever called on a hardware owner's
/// thread, never on an event loop. The simulator's delay returns at once.
public protocol BlockingDelay: Sendable {
    func wait(_ duration: Duration)
}

/// A delay that returns at once: for simulated hardware, whose models answer instantly.
public struct NoDelay: BlockingDelay {
    public init() {}
    public func wait(_ duration: Duration) {}
}
