import CI2C
import Glibc
import IOToyHAL
import Synchronization

/// One open `/dev/i2c-N`. Every call is one SMBus transaction through libi2c, addressed with
/// the `I2C_SLAVE` ioctl (set only when the address changes). libi2c answers -errno; a failure
/// names the bus, address, register and errno.
///
/// Single owner: the bus's owner thread issues transactions; the lock keeps the address and
/// the transaction together should anything else touch the bus object.
public final class LinuxI2CBus: I2CBus {
    public let number: Int
    /// The character device, e.g. `/dev/i2c-1`.
    public let path: String
    private let state: Mutex<State>

    struct State {
        var fd: Int32
        var address: UInt8?
    }

    init(number: Int, path: String) throws(HardwareError) {
        self.number = number
        self.path = path
        let fd = try Syscall.retrying("open bus", device: path) { open(path, O_RDWR | O_CLOEXEC) }
        state = Mutex(State(fd: fd, address: nil))
    }

    deinit { close() }

    public func readByte(address: UInt8, register: UInt8) throws(HardwareError) -> UInt8 {
        UInt8(truncatingIfNeeded: try transact(address, "read byte data \(hex(register))") { i2c_smbus_read_byte_data($0, register) })
    }

    public func writeByte(address: UInt8, register: UInt8, value: UInt8) throws(HardwareError) {
        try transact(address, "write byte data \(hex(register)) = \(hex(value))") { i2c_smbus_write_byte_data($0, register, value) }
    }

    public func readWord(address: UInt8, register: UInt8) throws(HardwareError) -> UInt16 {
        UInt16(truncatingIfNeeded: try transact(address, "read word data \(hex(register))") { i2c_smbus_read_word_data($0, register) })
    }

    public func writeWord(address: UInt8, register: UInt8, value: UInt16) throws(HardwareError) {
        try transact(address, "write word data \(hex(register)) = 0x\(String(value, radix: 16))") {
            i2c_smbus_write_word_data($0, register, value)
        }
    }

    public func readBlock(address: UInt8, register: UInt8, count: Int) throws(HardwareError) -> [UInt8] {
        let operation = "read \(count)-byte I2C block data \(hex(register))"
        guard (1...32).contains(count) else {
            throw HardwareError(.unsupported, operation: operation, device: deviceName(address), errno: EINVAL,
                                message: "an I2C block is 1…32 bytes")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        let got = try transact(address, operation) { fd in
            bytes.withUnsafeMutableBufferPointer { i2c_smbus_read_i2c_block_data(fd, register, UInt8(count), $0.baseAddress) }
        }
        guard Int(got) == count else {
            throw HardwareError(.io, operation: operation, device: deviceName(address), errno: EIO,
                                message: "short read: \(got) of \(count) bytes")
        }
        return Array(bytes[..<count])
    }

    public func writeBlock(address: UInt8, register: UInt8, bytes: [UInt8]) throws(HardwareError) {
        let operation = "write \(bytes.count)-byte I2C block data \(hex(register))"
        guard (1...32).contains(bytes.count) else {
            throw HardwareError(.unsupported, operation: operation, device: deviceName(address), errno: EINVAL,
                                message: "an I2C block is 1…32 bytes")
        }
        try transact(address, operation) { fd in
            bytes.withUnsafeBufferPointer { i2c_smbus_write_i2c_block_data(fd, register, UInt8($0.count), $0.baseAddress) }
        }
    }

    public func close() {
        state.withLock { state in
            if state.fd >= 0 { Glibc.close(state.fd) }
            state.fd = -1
        }
    }

    /// Addresses this bus's owner may probe with (for `iotoyd probe`), as `i2cdetect` does: a
    /// receive-byte for the EEPROM and write-protect ranges, a quick write elsewhere.
    /// Returns whether a device answered; `busy` when a kernel driver holds the address.
    public func probe(address: UInt8) throws(HardwareError) -> Bool {
        let useReadByte = (0x30...0x37).contains(address) || (0x50...0x5F).contains(address) || !supportsQuick
        do throws(HardwareError) {
            try transact(address, useReadByte ? "probe (receive byte)" : "probe (quick write)") { fd in
                useReadByte ? i2c_smbus_read_byte(fd) : i2c_smbus_write_quick(fd, UInt8(I2C_SMBUS_WRITE))
            }
            return true
        } catch where error.kind == .io || error.kind == .notFound || error.kind == .timeout {
            return false
        }
    }

    /// Whether the adapter can do an SMBus quick command.
    private var supportsQuick: Bool {
        state.withLock { state in
            var functions: UInt = 0
            return ioctl(state.fd, UInt(I2C_FUNCS), &functions) == 0 && functions & UInt(I2C_FUNC_SMBUS_QUICK) != 0
        }
    }

    /// One transaction: select the address, run `body` (a libi2c call returning -errno).
    @discardableResult
    private func transact(_ address: UInt8, _ operation: String, _ body: (Int32) -> Int32) throws(HardwareError) -> Int32 {
        let device = deviceName(address)
        let result: Result<Int32, HardwareError> = state.withLock { state in
            guard state.fd >= 0 else {
                return .failure(HardwareError(.notFound, operation: operation, device: device, message: "the bus is closed"))
            }
            do throws(HardwareError) {
                if state.address != address {
                    state.address = nil
                    do throws(HardwareError) {
                        try Syscall.retrying("select address (I2C_SLAVE)", device: device) {
                            ioctl(state.fd, UInt(I2C_SLAVE), CInt(address))
                        }
                    } catch where error.kind == .busy {
                        throw HardwareError(.busy, operation: "select address (I2C_SLAVE)", device: device, errno: EBUSY,
                                            message: "a kernel driver holds this address")
                    }
                    state.address = address
                }
                let fd = state.fd
                return .success(try Syscall.returningNegativeErrno(operation, device: device) { body(fd) })
            } catch {
                return .failure(LinuxI2CBus.classify(error))
            }
        }
        return try result.get()
    }

    /// A NACK (ENXIO, EREMOTEIO; i2c-stub says ENODEV) is an I/O failure of the transaction,
    /// not a missing bus: the bus is there, the device did not answer.
    static func classify(_ error: HardwareError) -> HardwareError {
        guard let code = error.errno, [ENXIO, ENODEV, EREMOTEIO].contains(code) else { return error }
        return HardwareError(.io, operation: error.operation, device: error.device, errno: code,
                             message: "no device answered (NACK): \(Syscall.describe(code))")
    }

    private func hex(_ byte: UInt8) -> String { "0x" + String(byte, radix: 16) }
}
