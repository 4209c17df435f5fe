import IOToyCore
import IOToyDispatcher

extension Dispatcher {
    /// Runs the dispatcher in a task of its own and returns once every component has had its
    /// first start (started or faulted), with a change-feed subscription opened before the
    /// start and read past each component's first `started` (or `fault`) event: what comes
    /// next is what happened after. Cancel the task to stop.
    public func runUntilStarted() async -> (task: Task<Void, Never>, events: AsyncStream<ChangeEvent>.Iterator) {
        var events = changes.subscribe().makeAsyncIterator()
        let task = Task { await self.run() }
        await waitUntilStarted()
        let mounts = Set(tree.mounts.map(\.path))
        var started = Set<ResourcePath>()
        while started.count < mounts.count, let event = await events.next() {
            if event.kind == .started || event.kind == .fault, mounts.contains(event.path) { started.insert(event.path) }
        }
        return (task, events)
    }
}

extension AsyncStream<ChangeEvent>.Iterator {
    /// The next event of one of `kinds`, skipping others; nil once the feed has ended.
    public mutating func next(_ kinds: ChangeEvent.Kind...) async -> ChangeEvent? {
        while let event = await next() {
            if kinds.contains(event.kind) { return event }
        }
        return nil
    }

    /// The next event of `kind` at `path`, skipping others; nil once the feed has ended.
    public mutating func next(_ kind: ChangeEvent.Kind, at path: ResourcePath) async -> ChangeEvent? {
        while let event = await next() {
            if event.kind == kind, event.path == path { return event }
        }
        return nil
    }
}
