import IOToyHAL

/// The channels of an IIO device, read off its file names as the kernel's ABI
/// (Documentation/ABI/testing/sysfs-bus-iio) names them: `in_<type>[<index>][-<type><index>][_<modifier>]_{input,raw}`.
///
/// An `_input` file is already processed (`in_temp_input` in m°C); a `_raw` one is converted
/// as `(raw + offset) × scale`, with the most specific `_offset` and `_scale` present (the
/// channel's own, else its type's, else the direction's, else the device's). The result is in
/// the ABI's unit for the type, which `types` turns into ours. Averages, peaks and troughs,
/// outputs, and types without a documented unit are left out.
enum IIOChannelCatalog {
    /// A channel type the ABI documents: what it measures, the attribute name's stem, and the
    /// factor from the ABI's unit to the quantity's.
    struct ChannelType {
        let quantity: SensorQuantity
        let stem: String
        let factor: Double
    }

    static let types: [String: ChannelType] = [
        "temp": .init(quantity: .temperature, stem: "temperature", factor: 0.001),        // m°C
        "humidityrelative": .init(quantity: .humidity, stem: "humidity", factor: 0.001),  // m%RH
        "pressure": .init(quantity: .pressure, stem: "pressure", factor: 10),              // kPa → hPa
        "voltage": .init(quantity: .voltage, stem: "voltage", factor: 0.001),              // mV
        "current": .init(quantity: .current, stem: "current", factor: 0.001),              // mA
        "power": .init(quantity: .power, stem: "power", factor: 0.001),                    // mW
        "capacitance": .init(quantity: .capacitance, stem: "capacitance", factor: 1e-9),   // nF
        "accel": .init(quantity: .acceleration, stem: "acceleration", factor: 1),          // m/s²
        "gravity": .init(quantity: .acceleration, stem: "gravity", factor: 1),             // m/s²
        "anglvel": .init(quantity: .angularVelocity, stem: "angular_velocity", factor: 1), // rad/s
        "magn": .init(quantity: .magneticField, stem: "magnetic_field", factor: 1e-4),     // gauss → T
        "angl": .init(quantity: .angle, stem: "angle", factor: 1),                         // rad
        "illuminance": .init(quantity: .illuminance, stem: "illuminance", factor: 1),      // lux
        "distance": .init(quantity: .distance, stem: "distance", factor: 1),               // m
        "resistance": .init(quantity: .resistance, stem: "resistance", factor: 1),         // Ω
        "concentration": .init(quantity: .concentration, stem: "concentration", factor: 1), // %
        "proximity": .init(quantity: .dimensionless, stem: "proximity", factor: 1),
        "intensity": .init(quantity: .dimensionless, stem: "intensity", factor: 1),
        "uvindex": .init(quantity: .dimensionless, stem: "uv_index", factor: 1),
    ]

    /// Postfixes that make a value something other than the channel's reading.
    static let notReadings: Set<String> = ["mean", "peak", "trough"]

    /// The channels among `files` (the names in an `iio:deviceN` directory), sorted by name.
    static func channels(files: [String]) -> [SysfsSensorChannel] {
        let present = Set(files)
        var bySpec: [String: SysfsSensorChannel] = [:]
        for file in files.sorted() where file.hasPrefix("in_") {
            let processed = file.hasSuffix("_input")
            guard processed || file.hasSuffix("_raw") else { continue }
            let spec = String(file.dropFirst(3).dropLast(processed ? 6 : 4))
            // An _input file wins over the _raw file of the same channel.
            if !processed, present.contains("in_\(spec)_input") { continue }
            guard let parsed = parse(spec) else { continue }
            var scale: String?, offset: String?
            if !processed {
                let shared = parsed.differential == nil ? parsed.type : "\(parsed.type)-\(parsed.type)"
                func lookup(_ postfix: String) -> String? {
                    ["in_\(spec)_\(postfix)", "in_\(shared)_\(postfix)", "in_\(postfix)", postfix].first(where: present.contains)
                }
                scale = lookup("scale")
                offset = lookup("offset")
            }
            bySpec[spec] = SysfsSensorChannel(
                name: parsed.name, quantity: parsed.kind.quantity, valueFile: file, scaleFile: scale, offsetFile: offset,
                unitFactor: parsed.kind.factor)
        }
        return bySpec.values.sorted { SysfsFile.naturalOrder($0.channel.name, $1.channel.name) }
    }

    /// Splits `voltage0`, `voltage0-voltage1`, `accel_x`, `temp_ambient`, `voltage0_supply`
    /// into type, index, second index and modifier, and names the attribute.
    static func parse(_ spec: String) -> (type: String, kind: ChannelType, differential: String?, name: String)? {
        var tokens = spec.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        guard let channel = tokens.first, !channel.isEmpty else { return nil }
        tokens.removeFirst()
        if let last = tokens.last, notReadings.contains(last) { return nil }
        let pair = channel.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard pair.count <= 2, let (type, index) = split(pair[0]), let kind = types[type] else { return nil }
        var differential: String?
        if pair.count == 2 {
            guard let (secondType, secondIndex) = split(pair[1]), secondType == type, !secondIndex.isEmpty else { return nil }
            differential = secondIndex
        }
        var name = kind.stem + index
        if let differential { name += "_minus_\(differential)" }
        for modifier in tokens { name += "_" + modifier }
        guard SysfsSensorChannel.isAttributeName(name) else { return nil }
        return (type, kind, differential, name)
    }

    /// `voltage12` → (`voltage`, `12`); `temp` → (`temp`, ``).
    private static func split(_ token: String) -> (String, String)? {
        let digits = token.reversed().prefix(while: { $0.isASCII && $0.isNumber })
        let type = String(token.dropLast(digits.count))
        guard !type.isEmpty, type.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        return (type, String(digits.reversed()))
    }
}

/// The channels of a hwmon device (Documentation/hwmon/sysfs-interface): `temp<N>_input` in
/// m°C, `in<N>_input` in mV, `curr<N>_input` in mA, `power<N>_input` in µW, `energy<N>_input`
/// in µJ, `humidity<N>_input` in m%RH, `fan<N>_input` in RPM. Attributes keep hwmon's number
/// and spell the quantity out: `temp1` is `temperature1`, `in0` is `voltage0`.
enum HWMonChannelCatalog {
    static let types: [String: IIOChannelCatalog.ChannelType] = [
        "temp": .init(quantity: .temperature, stem: "temperature", factor: 0.001),
        "in": .init(quantity: .voltage, stem: "voltage", factor: 0.001),
        "curr": .init(quantity: .current, stem: "current", factor: 0.001),
        "power": .init(quantity: .power, stem: "power", factor: 1e-6),
        "energy": .init(quantity: .energy, stem: "energy", factor: 1e-6),
        "humidity": .init(quantity: .humidity, stem: "humidity", factor: 0.001),
        "fan": .init(quantity: .fanSpeed, stem: "fan", factor: 1),
    ]

    /// The channels among `files` (the names in a `hwmonN` directory), sorted by name.
    static func channels(files: [String]) -> [SysfsSensorChannel] {
        files.compactMap { file -> SysfsSensorChannel? in
            guard file.hasSuffix("_input") else { return nil }
            let stem = file.dropLast(6)
            let digits = stem.reversed().prefix(while: { $0.isASCII && $0.isNumber })
            let type = String(stem.dropLast(digits.count))
            guard !digits.isEmpty, let kind = types[type] else { return nil }
            return SysfsSensorChannel(
                name: kind.stem + String(digits.reversed()), quantity: kind.quantity, valueFile: file, unitFactor: kind.factor)
        }.sorted { SysfsFile.naturalOrder($0.channel.name, $1.channel.name) }
    }
}
