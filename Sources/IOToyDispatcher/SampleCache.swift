import IOToyCore
import Synchronization

/// The last value of every cached attribute (sensor samples, inputs kept current by their
/// edges), with its timestamp and its encoded representation, so a GET is answered without
/// touching hardware or encoding JSON.
///
/// Each path has a ``Slot`` of its own, made on first use and kept for the cache's life
/// (forgetting a value empties its slot). A reader that already holds the slot, like GET's
/// table by the path's text, reads it without hashing the path again.
public final class SampleCache: Sendable {
    /// A cached value.
    public struct Entry: Sendable {
        public let value: Value
        public let timestamp: Double
        /// The encoded JSON representation served for GET.
        public let encoded: [UInt8]
    }

    /// One path's place in the cache.
    final class Slot: Sendable {
        private let entry = Mutex<Entry?>(nil)

        /// The entry stored here, if any.
        var current: Entry? { entry.withLock { $0 } }

        /// Stores `new` (nil empties the slot) and returns the value it replaced.
        func replace(with new: Entry?) -> Value? {
            entry.withLock { entry in
                defer { entry = new }
                return entry?.value
            }
        }
    }

    private let slots = Mutex<[ResourcePath: Slot]>([:])

    public init() {}

    /// The slot for `path`, made if there is none yet.
    func slot(_ path: ResourcePath) -> Slot {
        slots.withLock { slots in
            if let slot = slots[path] { return slot }
            let slot = Slot()
            slots[path] = slot
            return slot
        }
    }

    /// The entry for `path`, if one was stored.
    public func entry(_ path: ResourcePath) -> Entry? {
        slots.withLock { $0[path] }?.current
    }

    /// Stores an entry and returns the value it replaced.
    @discardableResult
    public func store(_ entry: Entry, at path: ResourcePath) -> Value? {
        slot(path).replace(with: entry)
    }

    /// Every entry at or below `path`, in path order.
    public func entries(below path: ResourcePath) -> [(path: ResourcePath, entry: Entry)] {
        slots.withLock { slots in slots.filter { $0.key.hasPrefix(path) } }
            .compactMap { path, slot in slot.current.map { (path: path, entry: $0) } }
            .sorted { $0.path.description < $1.path.description }
    }

    /// Forgets everything below `path` (a faulted component's values are not served stale).
    public func removeAll(below path: ResourcePath) {
        let emptied = slots.withLock { slots in slots.filter { $0.key.hasPrefix(path) }.values }
        for slot in emptied { _ = slot.replace(with: nil) }
    }
}
