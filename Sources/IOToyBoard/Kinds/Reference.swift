import IOToyCore
/// Splits `hardware/rest` references (`gpio/GPIO17`, `hat/0`) and checks the hardware entry.
extension Field {
    func reference(in context: BoardContext, kinds: [String], what: String) -> (name: String, spec: HardwareSpec, rest: String)? {
        guard let text = string() else { return nil }
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else {
            error("'\(text)' should be <hardware>/<\(what)>, e.g. \(kinds.first == "gpiochip" ? "gpio/GPIO17" : "hat/0")")
            return nil
        }
        guard let spec = hardwareEntry(parts[0], kinds: kinds, in: context) else { return nil }
        return (parts[0], spec, parts[1])
    }

    /// The hardware entry `name`, which must be one of `kinds`. A missing entry or one of
    /// another kind is reported here; an entry that is declared but wrong was reported at its
    /// own position, and is not reported again.
    func hardwareEntry(_ name: String, kinds: [String], in context: BoardContext) -> HardwareSpec? {
        guard let spec = context.hardware[name] else {
            if context.failedHardware.contains(name) { return nil }
            let known = context.hardware.filter { kinds.contains($0.value.kind) }.keys.sorted()
            error("no hardware entry '\(name)' (\(kinds.joined(separator: " or ")) entries: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
            return nil
        }
        guard kinds.contains(spec.kind) else {
            error("'\(name)' is of kind \(spec.kind), not \(kinds.joined(separator: " or "))")
            return nil
        }
        return spec
    }

    /// The claim of a resource at this field's position.
    func claim(_ resource: HardwareClaim) -> Claim {
        Claim(resource: resource, line: line, column: column, keyPath: path)
    }
}

extension Field {
    /// Whether the chip has `line` (a name or an offset), as far as its line names are known
    /// (``HardwareSpec/knownLineNames``); an unknown name is reported with the closest one.
    func lineExists(_ line: String, on chipName: String, _ spec: HardwareSpec) -> Bool {
        guard let known = spec.knownLineNames else { return true }
        if let offset = Int(line) {
            guard offset >= 0, offset < known.count else {
                error("'\(chipName)' has lines 0…\(known.count - 1), not \(offset)")
                return false
            }
            return true
        }
        guard known.names.contains(line) else {
            let suggestion = closestMatch(to: line, among: known.names.sorted()).map { " (did you mean '\($0)'?)" } ?? ""
            error("'\(chipName)' has no line '\(line)'\(suggestion)")
            return false
        }
        return true
    }
}
