import IOToyCore
import IOToyDrivers
import IOToyHAL

extension Dispatcher {
    /// Steps a component's timed work (a slew, a ramp, a pulse) while it is healthy: after
    /// every command and every step it asks the component, on its owner, how long until the
    /// next step, and sleeps that long on the dispatcher's clock — or less, when a command
    /// wakes it first. Nothing runs while no work is in progress. The steps run on the owner
    /// like any operation; values they change go to the cache and the change feed. A step
    /// that fails faults the component (its supervisor then restarts it and this loop).
    func stepTimedWork(_ mount: Mount, signals: AsyncStream<Void>) async {
        let component = mount.component, elapsed = elapsed, clock = clock
        var timer: Task<Void, Never>?
        defer { timer?.cancel() }
        // A first step at start: whatever the start left in progress gets its timer.
        mount.wakeTimedWork()
        for await _ in signals {
            timer?.cancel()
            let outcome = await Result(catching: {
                try await mount.owner.perform { () throws -> ([ComponentEvent], Duration?) in
                    let events = try component.advance(to: elapsed.now())
                    return (events, component.nextStep())
                }
            })
            guard case .success(let (events, next)) = outcome else {
                if case .failure(let error) = outcome, !(error is CancellationError), !Task.isCancelled {
                    metrics.component(mount).recordError(kind: (error as? HardwareError)?.kind.rawValue ?? "step")
                    fault(mount, error)
                }
                return
            }
            for event in events { record(event, from: mount) }
            guard let next else { continue }
            timer = Task {
                do { try await clock.sleep(for: max(next, .zero)) } catch { return }
                mount.wakeTimedWork()
            }
        }
    }
}
