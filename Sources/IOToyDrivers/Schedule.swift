/// When a component does anything between requests, and so how its values are served.
public enum Schedule: Sendable, Hashable {
    /// Nothing between requests: every GET reads the hardware (outputs, servos, an input
    /// without edge detection).
    case onDemand
    /// ``Component/sample()`` every `interval`; GETs of sampled attributes come from the cache
    /// (sensors).
    case polled(every: Duration)
    /// ``Component/waitForEvents(timeout:)`` in a loop on the owner whenever it is idle, each
    /// wait at most `slice` (queued requests wait for it to end). `servesValues`: the events
    /// keep every attribute current, so GETs come from the cache (an input watching both
    /// edges); otherwise they are watched for what happens on their own (a serial device's
    /// reset) and GETs read the hardware.
    case eventDriven(slice: Duration, servesValues: Bool)

    /// The sampling interval of a polled component.
    public var pollInterval: Duration? {
        if case .polled(let interval) = self { return interval }
        return nil
    }

    /// Whether GETs of the component's attributes are answered from the cache its events fill.
    public var servesValuesFromEvents: Bool {
        if case .eventDriven(_, let servesValues) = self { return servesValues }
        return false
    }
}
