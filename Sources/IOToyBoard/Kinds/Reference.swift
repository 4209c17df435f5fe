/// Splits `hardware/rest` references (`gpio/GPIO17`, `hat/0`) and checks the hardware entry.
extension Field {
    func reference(in hardware: [String: HardwareSpec], kinds: [String], what: String) -> (name: String, spec: HardwareSpec, rest: String)? {
        guard let text = string() else { return nil }
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else {
            error("'\(text)' should be <hardware>/<\(what)>, e.g. \(kinds.first == "gpiochip" ? "gpio/GPIO17" : "hat/0")")
            return nil
        }
        guard let spec = hardware[parts[0]] else {
            let known = hardware.filter { kinds.contains($0.value.kind) }.keys.sorted()
            error("no hardware entry '\(parts[0])' (\(kinds.joined(separator: " or ")) entries: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
            return nil
        }
        guard kinds.contains(spec.kind) else {
            error("'\(parts[0])' is a \(spec.kind), not a \(kinds.joined(separator: " or "))")
            return nil
        }
        return (parts[0], spec, parts[1])
    }

    /// The claim of a resource at this field's position.
    func claim(_ resource: String) -> Claim {
        Claim(resource: resource, line: line, column: column, keyPath: path)
    }
}
