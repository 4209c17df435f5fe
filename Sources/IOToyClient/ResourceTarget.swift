import IOToyCore

/// `DEVICE[/path]` as typed on the command line: `robocat/front_left_leg/lift`,
/// `192.0.2.7:5000/eyes`, `robocat` (the root).
public struct ResourceTarget: Sendable, Hashable, CustomStringConvertible {
    public let device: DeviceAddress
    public let path: ResourcePath

    public init(device: DeviceAddress, path: ResourcePath) {
        self.device = device
        self.path = path
    }

    /// Splits at the first `/`: what comes before is the device, the rest the resource path.
    public init(parsing text: String) throws(IOToyClientError) {
        let slash = text.firstIndex(of: "/") ?? text.endIndex
        device = try DeviceAddress(parsing: String(text[..<slash]))
        do {
            path = try ResourcePath(parsing: text[slash...])
        } catch {
            throw IOToyClientError.invalidPath(String(text[slash...]), reason: error.description)
        }
    }

    public var description: String { "\(device)\(path.isRoot ? "" : path.description)" }
}
