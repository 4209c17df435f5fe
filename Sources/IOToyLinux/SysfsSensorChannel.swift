import Glibc
import IOToyHAL

/// How one channel of a kernel sensor device is read from its sysfs directory and turned into
/// its quantity's unit: `(value + offset) × scale × unitFactor`, where `value` is the `_input`
/// or `_raw` file, `offset` and `scale` the IIO files that apply to a raw channel (0 and 1 when
/// absent), and `unitFactor` the step from the kernel's unit to ours (m°C → °C: 0.001).
struct SysfsSensorChannel: Sendable, Hashable {
    let channel: KernelSensorChannel
    /// The value file, e.g. `in_temp_input`, `in_voltage0_raw`, `temp1_input`.
    let valueFile: String
    /// The IIO scale file that applies to a raw value (`in_voltage0_scale`, `in_voltage_scale`).
    let scaleFile: String?
    /// The IIO offset file that applies to a raw value, added before scaling.
    let offsetFile: String?
    /// From the kernel's documented unit to the quantity's unit.
    let unitFactor: Double

    init(name: String, quantity: SensorQuantity, valueFile: String, scaleFile: String? = nil, offsetFile: String? = nil,
         unitFactor: Double) {
        var source = valueFile
        if let offsetFile { source = "(\(source) + \(offsetFile))" }
        if let scaleFile { source += " × \(scaleFile)" }
        channel = KernelSensorChannel(name: name, quantity: quantity, source: source)
        self.valueFile = valueFile
        self.scaleFile = scaleFile
        self.offsetFile = offsetFile
        self.unitFactor = unitFactor
    }

    /// The converted value, given a way to read a file of the device's directory as a number.
    func value(reading number: (String) throws(HardwareError) -> Double) throws(HardwareError) -> Double {
        let raw = try number(valueFile)
        let offset = try offsetFile.map { file throws(HardwareError) in try number(file) } ?? 0
        let scale = try scaleFile.map { file throws(HardwareError) in try number(file) } ?? 1
        let value = (raw + offset) * scale
        // Dividing by 1000 rather than multiplying by 0.001 keeps 25080 m°C at exactly 25.08.
        return Self.significant(unitFactor < 1 ? value / (1 / unitFactor).rounded() : value * unitFactor)
    }

    /// `value` to 12 significant digits: sysfs gives at most 9 decimals, so this drops only the
    /// binary noise of the conversion (100.653253906 kPa × 10 is 1006.53253906 hPa, not
    /// 1006.5325390600001).
    static func significant(_ value: Double) -> Double {
        guard value != 0, value.isFinite else { return value }
        let scale = pow(10, 11 - log10(abs(value)).rounded(.down))
        guard scale.isFinite, (value * scale).isFinite else { return value }
        return (value * scale).rounded() / scale
    }

    /// Whether `name` can be an attribute name: a letter, then letters, digits and `_`.
    static func isAttributeName(_ name: String) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        guard let first = name.unicodeScalars.first, isLetter(first), name.utf8.count <= 64 else { return false }
        return name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
