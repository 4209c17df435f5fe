import Glibc
import IOToyHAL

/// I2C buses through `/dev/i2c-N` and libi2c's SMBus calls.
public struct LinuxI2CProvider: I2CProvider {
    /// Where the bus character devices live (`/dev`).
    public let devRoot: String

    public init(devRoot: String = "/dev") {
        self.devRoot = devRoot
    }

    public func openBus(_ number: Int) throws(HardwareError) -> any I2CBus {
        try open(number)
    }

    /// Opens bus `number` as the concrete type (for scanning addresses).
    public func open(_ number: Int) throws(HardwareError) -> LinuxI2CBus {
        let path = "\(devRoot)/i2c-\(number)"
        do throws(HardwareError) {
            return try LinuxI2CBus(number: number, path: path)
        } catch where error.kind == .notFound {
            throw HardwareError(
                .notFound, operation: "open bus", device: path, errno: error.errno,
                message: "no such bus (on a Pi: dtparam=i2c_arm=on in config.txt for i2c-1; is i2c-dev loaded?)")
        } catch where error.kind == .permissionDenied {
            throw HardwareError(.permissionDenied, operation: "open bus", device: path, errno: error.errno,
                                message: "is the user in the i2c group?")
        }
    }

    /// The bus numbers that have a character device, in order.
    public func busNumbers() -> [Int] {
        ((try? SysfsFile.entries(devRoot)) ?? []).compactMap { name in
            name.hasPrefix("i2c-") ? Int(name.dropFirst(4)) : nil
        }.sorted()
    }
}
