import IOToyCore
import IOToyDispatcher
import IOToyDrivers

/// One component's self-test: start, read, write back, safe state, stop.
enum ComponentSelftest {
    struct Outcome: Sendable {
        let path: ResourcePath
        let kind: String
        let passed: Bool
        let notes: [String]

        var line: String {
            (passed ? "PASS  " : "FAIL  ") + TreeListing.pad(path.description, 24) + TreeListing.pad(kind, 13)
                + notes.joined(separator: "; ")
        }
    }

    static func run(_ mount: Mount) -> Outcome {
        let component = mount.component
        var notes: [String] = []
        func outcome(_ passed: Bool) -> Outcome { Outcome(path: mount.path, kind: mount.kind, passed: passed, notes: notes) }
        do {
            try component.start()
        } catch {
            notes.append("start: \(error)")
            component.stop()
            return outcome(false)
        }
        defer { component.stop() }
        var passed = true
        do {
            if case .polled = component.schedule {
                let sample = try component.sample()
                notes += sample.sorted { $0.key.joined(separator: "/") < $1.key.joined(separator: "/") }
                    .map { "\(name($0.key))=\($0.value.json.compactDescription)" }
            }
            // The component's endpoints as they are after start (a self-describing device's
            // attributes are only known then).
            for endpoint in component.endpoints {
                guard case .attribute(let info) = endpoint.kind, !info.sampled else { continue }
                let value = try component.read(endpoint.path)
                var note = "\(name(endpoint.path))=\(value.json.compactDescription)"
                if info.writable {
                    try component.write(endpoint.path, value: value)
                    let again = try component.read(endpoint.path)
                    if again != value {
                        passed = false
                        note += ", wrote it back but read \(again.json.compactDescription)"
                    } else {
                        note += " (written back)"
                    }
                }
                notes.append(note)
            }
        } catch {
            notes.append("\(error)")
            passed = false
        }
        do {
            try component.enterSafeState()
            notes.append("safe state")
        } catch {
            notes.append("safe state: \(error)")
            passed = false
        }
        return outcome(passed)
    }

    static func name(_ relative: [String]) -> String {
        relative.isEmpty ? "value" : relative.joined(separator: "/")
    }
}
