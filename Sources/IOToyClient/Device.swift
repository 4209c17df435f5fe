import IOToyCore

/// A connected IOTOY device, its resources reached by name as the original Python client did:
///
/// ```swift
/// let cat = try await IOToy.device("robocat")
/// try await cat.front_left_leg.lift.set(45)
/// let celsius = try await cat.climate.temperature.value()
/// try await cat.eyes.toggle()
/// ```
///
/// The members are the device's own: they come from its `/devinfo`, read once on connecting
/// (``refreshed()`` reads it again).
@dynamicMemberLookup
public struct Device: Sendable, CustomStringConvertible {
    /// The device's description.
    public let info: DeviceInfo
    /// The HTTP connection to it.
    public let connection: IOToyConnection

    /// Connects over `connection` and reads the device's description.
    public init(connection: IOToyConnection) async throws {
        self.connection = connection
        self.info = try DeviceInfo(devinfo: try await connection.get(DeviceInfo.deviceInfoPath.description))
    }

    /// The device id (`devicename`).
    public var name: String { info.name }

    /// The root directory.
    public var root: Resource {
        // The root always exists.
        try! Resource(path: .root, info: info, connection: connection)
    }

    /// The resource called `name` at the root.
    public subscript(dynamicMember name: String) -> Resource {
        get throws(IOToyClientError) { try root[name] }
    }

    /// The resource at `path`: `cat["front_left_leg/lift"]` or `cat["/front_left_leg/lift"]`.
    public subscript(path: String) -> Resource {
        get throws(IOToyClientError) { try root[path] }
    }

    /// The resource at `path`.
    public func resource(at path: ResourcePath) throws(IOToyClientError) -> Resource {
        try Resource(path: path, info: info, connection: connection)
    }

    /// The same device with its description read again (after its tree changed).
    public func refreshed() async throws -> Device {
        try await Device(connection: connection)
    }

    /// `robocat at http://192.0.2.7:5000`.
    public var description: String { "\(name) at \(connection.baseURL)" }
}
