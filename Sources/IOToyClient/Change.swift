import Foundation
import IOToyCore

/// One change a device pushed (docs/wire.md §2.7): a new value, a call's result, a fault or a
/// recovery, a new tree; or the stream's own `reset` and `dropped` notices.
public struct Change: Sendable, Hashable {
    /// The device's sequence number (nil for `reset` and `dropped`).
    public let id: UInt64?
    /// `value`, `call`, `fault`, `recovered`, `tree`, `reset` or `dropped`.
    public let kind: String
    /// The resource it is about (`/bumper`); empty for `reset` and `dropped`.
    public let href: String
    /// The new value (`value`), the result (`call`), nil otherwise.
    public let value: JSONValue?
    /// When it happened, seconds since the Unix epoch, when the device said.
    public let timestamp: Double?
    /// A fault's reason, a drop's count.
    public let message: String?
    /// The event's whole data.
    public let data: JSONValue

    /// Reads an event's data; nil for events that are not JSON.
    public init?(_ event: ServerSentEvent) {
        guard let data = try? JSONCoding.decode(JSONValue.self, from: Array(event.data.utf8)) else { return nil }
        guard case .object(let object) = data else { return nil }
        id = event.id.flatMap { UInt64($0) }
        kind = event.event
        self.data = data
        if case .string(let href)? = object["href"] { self.href = href } else { href = "" }
        timestamp = object["timestamp"]?.doubleValue
        switch event.event {
        case "value", "call": value = object["value"]
        default: value = nil
        }
        switch event.event {
        case "fault": if case .object(let error)? = object["value"], case .string(let text)? = error["message"] { message = text } else { message = nil }
        case "dropped": message = object["count"].map { "\($0.compactDescription) events dropped" }
        case "reset": message = "events were missed; current values follow"
        default: message = nil
        }
    }
}

extension Resource {
    /// The changes of this resource and everything below it, as the device pushes them:
    /// `for try await change in cat.bumper.changes() { … }`. Reconnects by itself.
    public func changes(rateMilliseconds: Int? = nil) -> AsyncThrowingStream<Change, any Error> {
        let events = connection.events(href, rateMilliseconds: rateMilliseconds)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await event in events { if let change = Change(event) { continuation.yield(change) } }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// An attribute's new values, typed as the device describes it (the current one first):
    /// `for try await pressed in cat.bumper.values() { … }`.
    public func values(rateMilliseconds: Int? = nil) -> AsyncThrowingStream<Value, any Error> {
        let changes = changes(rateMilliseconds: rateMilliseconds)
        let path = href
        let type: ValueType? = if case .attribute(let type) = kind { type } else { nil }
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await change in changes where change.kind == "value" && change.href == path {
                        guard let json = change.value else { continue }
                        if let type, let value = try? Value(json: json, as: type) { continuation.yield(value) }
                        else { continuation.yield(.json(json)) }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

extension Device {
    /// Every change of the device: `for try await change in cat.changes() { … }`.
    public func changes(rateMilliseconds: Int? = nil) -> AsyncThrowingStream<Change, any Error> {
        root.changes(rateMilliseconds: rateMilliseconds)
    }
}
