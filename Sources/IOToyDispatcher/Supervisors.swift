import Synchronization

/// The supervising task of every mounted component, so a reload can stop one component's
/// supervision without the others'; and which components have not yet finished their first
/// start (`READY=1` waits for all of them).
final class Supervisors: Sendable {
    struct State {
        var tasks: [ObjectIdentifier: Task<Void, Never>] = [:]
        var awaitingFirstStart: Set<ObjectIdentifier> = []
        var startWaiters: [CheckedContinuation<Void, Never>] = []
        /// Set at shutdown: no new supervision starts.
        var closed = false
    }

    let state = Mutex(State())

    /// Records a new supervising task; false (and the task is cancelled) after shutdown began.
    func add(_ id: ObjectIdentifier, _ task: Task<Void, Never>) {
        let accepted = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.tasks[id] = task
            state.awaitingFirstStart.insert(id)
            return true
        }
        if !accepted { task.cancel() }
    }

    /// Components about to be supervised: ``waitUntilStarted()`` waits for them from now on,
    /// before their tasks exist.
    func expect(_ ids: [ObjectIdentifier]) {
        state.withLock { state in
            guard !state.closed else { return }
            state.awaitingFirstStart.formUnion(ids)
        }
    }

    /// The first start of `id` ended (started or faulted).
    func firstStartEnded(_ id: ObjectIdentifier) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.awaitingFirstStart.remove(id)
            return takeWaitersIfSettled(&state)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Removes `id`'s task (a reload retires it) and returns it.
    func remove(_ id: ObjectIdentifier) -> Task<Void, Never>? {
        let (task, waiters) = state.withLock { state -> (Task<Void, Never>?, [CheckedContinuation<Void, Never>]) in
            state.awaitingFirstStart.remove(id)
            return (state.tasks.removeValue(forKey: id), takeWaitersIfSettled(&state))
        }
        for waiter in waiters { waiter.resume() }
        return task
    }

    /// Closes to new tasks and returns every running one.
    func close() -> [Task<Void, Never>] {
        let (tasks, waiters) = state.withLock { state -> ([Task<Void, Never>], [CheckedContinuation<Void, Never>]) in
            state.closed = true
            state.awaitingFirstStart.removeAll()
            let tasks = Array(state.tasks.values)
            state.tasks.removeAll()
            return (tasks, takeWaitersIfSettled(&state))
        }
        for waiter in waiters { waiter.resume() }
        return tasks
    }

    /// Returns when every component has had its first start (or at shutdown).
    func waitUntilStarted() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let settled = state.withLock { state -> Bool in
                if state.awaitingFirstStart.isEmpty { return true }
                state.startWaiters.append(continuation)
                return false
            }
            if settled { continuation.resume() }
        }
    }

    private func takeWaitersIfSettled(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        guard state.awaitingFirstStart.isEmpty else { return [] }
        defer { state.startWaiters.removeAll() }
        return state.startWaiters
    }
}
