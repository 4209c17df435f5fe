import IOToyCore

/// The data of `funcs` and `attrs` replies.
public enum SerialListing {
    /// `ping,devinfo,funcs,…,forward`: the user functions, built-ins dropped, order kept.
    public static func functions(_ data: String) -> [String] {
        var seen: Set<String> = []
        return data.split(separator: ",").map { String($0).trimmingSpaces }
            .filter { !$0.isEmpty && $0 != "-" && !SerialCommand.builtinNames.contains($0) && seen.insert($0).inserted }
    }

    /// `name:type,name:type`: the attributes in order. An entry with an unknown type is kept
    /// with a nil type (its help may still name it); an empty list is empty data or `-`.
    public static func attributes(_ data: String) -> [(name: String, type: ValueType?)] {
        var seen: Set<String> = []
        return data.split(separator: ",").compactMap { entry in
            let pair = entry.split(separator: ":", maxSplits: 1).map { String($0).trimmingSpaces }
            guard let name = pair.first, !name.isEmpty, name != "-", seen.insert(name).inserted else { return nil }
            return (name, pair.count == 2 ? ValueType(serialName: pair[1]) : nil)
        }
    }
}
