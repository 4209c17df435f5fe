import IOToyHAL

/// A named bus or chip from the board file's `hardware:` section.
public enum HardwareSpec: Sendable, Hashable {
    /// A GPIO chip by label, name or /dev path (never a bare number), with the names of its
    /// lines in offset order when the board file lists them (`lines:`).
    case gpiochip(chip: ChipSelector, lines: [String]? = nil)
    /// An I2C bus, `/dev/i2c-N`.
    case i2c(bus: Int)
    /// A kernel pwmchip, `/sys/class/pwm/pwmchipN`.
    case pwmchip(chip: String, channels: Int)
    /// A PCA9685 on the I2C bus named `i2c` (which is bus `bus`).
    case pca9685(i2c: String, bus: Int, address: UInt8, frequencyHz: Double)
    /// A serial port.
    case serial(port: String, baud: Int)

    /// The kind name as written in the board file.
    public var kind: String {
        switch self {
        case .gpiochip: "gpiochip"
        case .i2c: "i2c"
        case .pwmchip: "pwmchip"
        case .pca9685: "pca9685"
        case .serial: "serial"
        }
    }

    /// The names of a gpiochip's lines in offset order, as far as they are known: the board
    /// file's `lines:`, or the table iotoyd ships for the chip's label (Raspberry Pi 4 and 5).
    /// Nil when nothing is known, so names cannot be checked before the chip is opened.
    var knownLineNames: (names: Set<String>, count: Int)? {
        guard case .gpiochip(let chip, let lines) = self else { return nil }
        if let lines { return (Set(lines.filter { !$0.isEmpty }), lines.count) }
        if case .label(let label) = chip, let names = KnownGPIOChips.acceptedNames(ofChipLabel: label),
           let table = KnownGPIOChips.lineNames(ofChipLabel: label) {
            return (names, table.count)
        }
        return nil
    }

    /// The kinds the board file accepts.
    public static let kinds = ["gpiochip", "i2c", "pwmchip", "pca9685", "serial"]

    /// Serial speeds termios supports.
    public static let baudRates = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600]

    /// Reads one hardware entry; the I2C buses already read are needed to resolve a PCA9685's bus.
    /// `declaredI2C` names every `kind: i2c` entry, valid or not: a PCA9685 on a bus whose own
    /// entry is wrong reports nothing more (that entry's error is the one).
    static func read(_ map: MappingReader, i2cBuses: [String: Int], declaredI2C: Set<String>) -> HardwareSpec? {
        guard let kind = map.required("kind", "one of \(kinds.joined(separator: ", "))")?.string() else {
            map.finish(known: ["kind"])
            return nil
        }
        // An unknown kind is the one error: its other keys are not checked against nothing.
        defer { if kinds.contains(kind) { map.finish(known: ["kind"] + keys(of: kind)) } }
        switch kind {
        case "gpiochip":
            guard let chip = map.required("chip", "the chip's label, name or /dev path")?.string() else { return nil }
            if Int(chip) != nil {
                map.optional("chip")?.error("'\(chip)' is a bare number; name the chip by label (e.g. pinctrl-bcm2711), gpiochipN or /dev/gpiochipN — numbers change between kernels and boards")
                return nil
            }
            var lines: [String]?
            if let field = map.optional("lines") {
                guard let items = field.node.sequence.map(Array.init), !items.isEmpty else {
                    field.error("expected the chip's line names in offset order, e.g. [ID_SDA, ID_SCL, GPIO2]")
                    return nil
                }
                var names: [String] = []
                for (offset, item) in items.enumerated() {
                    let itemField = Field(node: item, keyPath: field.keyPath + ["\(offset)"], report: field.report)
                    // An unnamed line is written "" (usable by offset only).
                    if item.scalar?.string == "", item.scalar?.style != .plain {
                        names.append("")
                        continue
                    }
                    guard let name = itemField.string() else { return nil }
                    if let earlier = names.firstIndex(of: name) {
                        itemField.error("'\(name)' names line \(earlier) already; each name picks out one line")
                        return nil
                    }
                    names.append(name)
                }
                lines = names
            }
            return .gpiochip(chip: ChipSelector(chip), lines: lines)
        case "i2c":
            guard let bus = map.required("bus", "the bus number N of /dev/i2c-N")?.int(in: 0...255) else { return nil }
            return .i2c(bus: bus)
        case "pwmchip":
            guard let chip = map.required("chip", "pwmchipN")?.string() else { return nil }
            guard chip.hasPrefix("pwmchip"), Int(chip.dropFirst(7)) != nil else {
                map.optional("chip")?.error("'\(chip)' is not a pwmchip name such as pwmchip0")
                return nil
            }
            let channels = map.optional("channels")?.int(in: 1...64) ?? 2
            return .pwmchip(chip: chip, channels: channels)
        case "pca9685":
            guard let busField = map.required("i2c", "the name of an i2c entry under hardware"),
                  let busName = busField.string() else { return nil }
            guard let bus = i2cBuses[busName] else {
                if !declaredI2C.contains(busName) {
                    let known = i2cBuses.keys.sorted()
                    busField.error("'\(busName)' is not an i2c entry under hardware (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
                }
                return nil
            }
            let address = map.optional("address").map { $0.int(in: 0x03...0x77) } ?? 0x40
            let frequency = map.optional("frequency_hz").map { field -> Double? in
                guard let value = field.number() else { return nil }
                guard (24...1526).contains(value) else {
                    field.error("\(value) Hz is outside the PCA9685's 24…1526 Hz")
                    return nil
                }
                return value
            } ?? 50
            guard let address, let frequency else { return nil }
            return .pca9685(i2c: busName, bus: bus, address: UInt8(address), frequencyHz: frequency)
        case "serial":
            guard let port = map.required("port", "the device path, best /dev/serial/by-id/…")?.string() else { return nil }
            guard port.hasPrefix("/") else {
                map.optional("port")?.error("'\(port)' is not an absolute device path")
                return nil
            }
            var baud = 19200
            if let field = map.optional("baud") {
                guard let value = field.int(in: 1...4_000_000) else { return nil }
                guard baudRates.contains(value) else {
                    field.error("\(value) is not a standard baud rate (\(baudRates.map(String.init).joined(separator: ", ")))")
                    return nil
                }
                baud = value
            }
            return .serial(port: port, baud: baud)
        default:
            map.optional("kind")?.error("unknown hardware kind '\(kind)'; known: \(kinds.joined(separator: ", "))")
            return nil
        }
    }

    static func keys(of kind: String) -> [String] {
        switch kind {
        case "gpiochip": ["chip", "lines"]
        case "i2c": ["bus"]
        case "pwmchip": ["chip", "channels"]
        case "pca9685": ["i2c", "address", "frequency_hz"]
        case "serial": ["port", "baud"]
        default: []
        }
    }
}
