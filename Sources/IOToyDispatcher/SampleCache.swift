import IOToyCore
import Synchronization

/// The last value of every cached attribute (sensor samples, inputs kept current by their
/// edges), with its timestamp and its encoded representation, so a GET is answered without
/// touching hardware or encoding JSON.
public final class SampleCache: Sendable {
    /// A cached value.
    public struct Entry: Sendable {
        public let value: Value
        public let timestamp: Double
        /// The encoded JSON representation served for GET.
        public let encoded: [UInt8]
    }

    private let entries = Mutex<[ResourcePath: Entry]>([:])

    public init() {}

    /// The entry for `path`, if one was stored.
    public func entry(_ path: ResourcePath) -> Entry? {
        entries.withLock { $0[path] }
    }

    /// Stores an entry and returns the value it replaced.
    @discardableResult
    public func store(_ entry: Entry, at path: ResourcePath) -> Value? {
        entries.withLock { entries in
            defer { entries[path] = entry }
            return entries[path]?.value
        }
    }

    /// Every entry at or below `path`, in path order.
    public func entries(below path: ResourcePath) -> [(path: ResourcePath, entry: Entry)] {
        entries.withLock { entries in
            entries.filter { $0.key.hasPrefix(path) }.map { (path: $0.key, entry: $0.value) }
        }.sorted { $0.path.description < $1.path.description }
    }

    /// Forgets everything below `path` (a faulted component's values are not served stale).
    public func removeAll(below path: ResourcePath) {
        entries.withLock { entries in
            entries = entries.filter { !$0.key.hasPrefix(path) }
        }
    }
}
