import IOToyCore
import IOToyDispatcher

/// Home Assistant's MQTT discovery for a tree: one retained config per resource under
/// `<discovery prefix>/<component>/<device>/<object id>/config`. Boolean attributes become a
/// `switch` (writable) or a `binary_sensor`; numbers a `number` (writable, with min, max and
/// step from the limits) or a `sensor` (with its unit and device class where known); text a
/// `text` or a `sensor`; functions without arguments a `button`. JSON attributes and
/// functions with arguments have no Home Assistant entity and are left out.
public struct HomeAssistantDiscovery: Sendable {
    public let discoveryPrefix: String
    public let topics: MQTTTopics
    public let device: String
    public let softwareVersion: String

    public init(discoveryPrefix: String = "homeassistant", topics: MQTTTopics, device: String, softwareVersion: String) {
        self.discoveryPrefix = discoveryPrefix
        self.topics = topics
        self.device = device
        self.softwareVersion = softwareVersion
    }

    /// One entity's config.
    public struct Config: Sendable, Hashable {
        /// `switch`, `binary_sensor`, `number`, `sensor`, `text`, `button`.
        public let component: String
        public let topic: String
        public let payload: JSONValue
    }

    /// The configs of every resource of `tree` that Home Assistant has an entity for.
    public func configs(for tree: ResourceTree) -> [Config] {
        tree.nodes.keys.sorted().compactMap { path in
            switch tree.node(at: path) {
            case .attribute(let attribute)?: config(attribute)
            case .function(let function)? where function.info.spec.args.isEmpty: button(function)
            default: nil
            }
        }
    }

    /// The topic a config of `component` for `path` is published on.
    public func configTopic(component: String, path: ResourcePath) -> String {
        "\(discoveryPrefix)/\(component)/\(device)/\(Self.objectID(path))/config"
    }

    /// The subscription that finds every config this device left retained (stale ones are cleared).
    public var retainedConfigs: String { "\(discoveryPrefix)/+/\(device)/+/config" }

    /// `front_left_leg/lift` → `front_left_leg_lift`.
    static func objectID(_ path: ResourcePath) -> String { path.segments.joined(separator: "_") }

    func common(_ path: ResourcePath) -> [String: JSONValue] {
        [
            "name": .string(path.segments.joined(separator: " ")),
            "unique_id": .string("iotoyd_\(device)_\(Self.objectID(path))"),
            "object_id": .string("\(device)_\(Self.objectID(path))"),
            "availability_topic": .string(topics.status),
            "payload_available": .string("online"),
            "payload_not_available": .string("offline"),
            "device": .object([
                "identifiers": .array([.string("iotoyd_\(device)")]), "name": .string(device), "model": .string("iotoyd"),
                "manufacturer": .string("iotoyd"), "sw_version": .string(softwareVersion),
            ]),
        ]
    }

    func config(_ attribute: ResourceTree.Attribute) -> Config? {
        let path = attribute.path, info = attribute.info
        var payload = common(path)
        payload["state_topic"] = .string(topics.value(path))
        if info.writable { payload["command_topic"] = .string(topics.set(path)) }
        let component: String
        switch info.type {
        case .bool:
            component = info.writable ? "switch" : "binary_sensor"
            payload["payload_on"] = .string("true")
            payload["payload_off"] = .string("false")
            if info.writable {
                payload["state_on"] = .string("true")
                payload["state_off"] = .string("false")
            }
        case .int, .float:
            let unit = info.constraints?.unit.flatMap(Self.unit)
            if let unit { payload["unit_of_measurement"] = .string(unit.symbol) }
            if info.writable {
                component = "number"
                let wide: Double = info.type == .int ? 2_147_483_647 : 1_000_000_000
                payload["min"] = .double(info.constraints?.min ?? -wide)
                payload["max"] = .double(info.constraints?.max ?? wide)
                payload["step"] = .double(info.type == .int ? 1 : 0.1)
                payload["mode"] = .string(info.constraints?.min != nil && info.constraints?.max != nil ? "slider" : "box")
            } else {
                component = "sensor"
                payload["state_class"] = .string("measurement")
                if let deviceClass = unit?.deviceClass { payload["device_class"] = .string(deviceClass) }
                payload["value_template"] = .string("{{ value_json }}")
            }
        case .str:
            component = info.writable ? "text" : "sensor"
            payload["value_template"] = .string("{{ value_json }}")
        case .json:
            return nil
        }
        return Config(component: component, topic: configTopic(component: component, path: path), payload: .object(payload))
    }

    func button(_ function: ResourceTree.Function) -> Config {
        var payload = common(function.path)
        payload["command_topic"] = .string(topics.call(function.path))
        payload["payload_press"] = .string("")
        return Config(component: "button", topic: configTopic(component: "button", path: function.path), payload: .object(payload))
    }

    /// A constraint's unit as Home Assistant writes it, and its device class where one fits.
    static func unit(_ unit: String) -> (symbol: String, deviceClass: String?) {
        switch unit {
        case "degC", "°C": ("°C", "temperature")
        case "hPa", "Pa", "kPa": (unit, "pressure")
        case "%RH": ("%", "humidity")
        case "V", "mV": (unit, "voltage")
        case "A", "mA": (unit, "current")
        case "W", "mW": (unit, "power")
        case "m", "cm", "mm": (unit, "distance")
        case "deg": ("°", nil)
        default: (unit, nil)
        }
    }
}
