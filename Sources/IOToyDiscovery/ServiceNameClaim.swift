import CAvahi

/// The instance name a service is advertised under, and what happens on a collision: another
/// host (or another process on this one) already has the name, so the next of Avahi's
/// alternatives is taken — `robocat`, then `robocat #2`, `robocat #3`…
public struct ServiceNameClaim: Sendable, Hashable {
    /// The name asked for (the device id).
    public let preferred: String
    /// The name currently claimed.
    public private(set) var current: String

    /// Starts by claiming `preferred`.
    public init(preferred: String) {
        self.preferred = preferred
        self.current = preferred
    }

    /// Moves to the next alternative after a collision and returns it.
    @discardableResult
    public mutating func collided() -> String {
        current = ServiceNameClaim.alternative(to: current)
        return current
    }

    /// Avahi's alternative for a taken service name (`avahi_alternative_service_name`).
    public static func alternative(to name: String) -> String {
        guard let alternative = avahi_alternative_service_name(name) else { return name + " #2" }
        defer { avahi_free(alternative) }
        return String(cString: alternative)
    }
}
