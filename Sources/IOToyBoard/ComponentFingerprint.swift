import Yams

/// What a component's configuration is, as text: its own entry (re-serialised, so comments,
/// quoting and key spacing do not count) and every `hardware:` entry it names. A reload keeps
/// a component, its hardware and its state, exactly when this is unchanged.
enum ComponentFingerprint {
    static func of(_ node: Node, kind: String, hardware: [String: HardwareSpec]) -> String {
        var referenced = Set<String>()
        collectReferences(node, hardware: hardware, into: &referenced)
        let entry = (try? Yams.serialize(node: node)) ?? String(describing: node)
        let specs = referenced.sorted().map { "\n# hardware \($0): \(String(describing: hardware[$0]!))" }
        return "kind \(kind)\n" + entry + specs.joined()
    }

    /// Hardware names used as values (`pwm: hat/3` names `hat`). A help text that happens to
    /// be a hardware name only makes the fingerprint stricter.
    private static func collectReferences(_ node: Node, hardware: [String: HardwareSpec], into names: inout Set<String>) {
        switch node {
        case .scalar(let scalar):
            let head = String(scalar.string.split(separator: "/", maxSplits: 1).first ?? "")
            if hardware[head] != nil { names.insert(head) }
        case .mapping(let mapping):
            for (_, value) in mapping { collectReferences(value, hardware: hardware, into: &names) }
        case .sequence(let sequence):
            for value in sequence { collectReferences(value, hardware: hardware, into: &names) }
        default:
            break
        }
    }
}
