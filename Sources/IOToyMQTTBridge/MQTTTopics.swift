import IOToyCore

/// Where a device's resources live on the broker: `<prefix>/<device>/<path…>` for values
/// (retained), `…/set` and `…/call` for commands, `…/result` for their answers, and
/// `<prefix>/<device>/status` for `online` / `offline`.
public struct MQTTTopics: Sendable, Hashable {
    /// `<prefix>/<device>`.
    public let base: String

    public init(prefix: String, device: String) {
        base = "\(prefix)/\(device)"
    }

    public var status: String { "\(base)/status" }

    /// The value topic of the resource at `path`.
    public func value(_ path: ResourcePath) -> String { base + path.description }
    public func set(_ path: ResourcePath) -> String { value(path) + "/set" }
    public func call(_ path: ResourcePath) -> String { value(path) + "/call" }
    public func result(_ path: ResourcePath) -> String { value(path) + "/result" }

    /// What a command topic asks: PUT (`…/set`) or POST (`…/call`) of a path; nil for any other topic.
    public func command(in topic: String) -> (path: ResourcePath, isCall: Bool)? {
        guard topic.hasPrefix(base + "/") else { return nil }
        let rest = topic.dropFirst(base.count)
        let isCall: Bool
        if rest.hasSuffix("/set") { isCall = false } else if rest.hasSuffix("/call") { isCall = true } else { return nil }
        let pathText = rest.dropLast(isCall ? 5 : 4)
        guard let path = try? ResourcePath(parsing: String(pathText)), path != .root else { return nil }
        return (path, isCall)
    }
}
