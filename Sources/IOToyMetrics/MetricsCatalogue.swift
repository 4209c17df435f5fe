import IOToyCore

/// Every metric family the daemon may expose, gathered from the modules that record them,
/// so each family gets its `# HELP` line and a histogram its buckets.
public struct MetricsCatalogue: Sendable {
    /// The descriptions by family name.
    public let descriptions: [String: MetricDescription]

    /// A catalogue of `descriptions`; a name described twice keeps its first description.
    public init(_ descriptions: [MetricDescription]) {
        self.descriptions = Dictionary(descriptions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The help line of `name`; a family nobody described says so (the tests look for it).
    public func help(_ name: String) -> String {
        descriptions[name]?.help ?? Self.undescribed
    }

    /// The help text given to a family missing from the catalogue.
    public static let undescribed = "(not described in the metrics catalogue)"
}
