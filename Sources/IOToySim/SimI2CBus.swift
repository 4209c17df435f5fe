import IOToyCore
import IOToyHAL
import Synchronization

/// A device model on a simulated I2C bus: a register file that behaves like the chip.
public protocol SimI2CDevice: AnyObject, Sendable {
    /// Reads one register (block reads call this for each successive register).
    func readRegister(_ register: UInt8) -> UInt8
    /// Writes one register.
    func writeRegister(_ register: UInt8, _ value: UInt8)
    /// The model's state as JSON for the simulation view.
    func snapshot() -> JSONValue
    /// SMBus read word data: the first byte on the wire in the low half. A chip with 16-bit
    /// registers (an ADS1115, an INA219) answers from one register, most significant byte
    /// first; the default reads `register` and `register + 1` as two byte registers.
    func readWordRegister(_ register: UInt8) -> UInt16
    /// SMBus write word data: the low half is the first byte on the wire. The default writes
    /// `register` and `register + 1` as two byte registers.
    func writeWordRegister(_ register: UInt8, _ value: UInt16)
}

extension SimI2CDevice {
    public func readWordRegister(_ register: UInt8) -> UInt16 {
        UInt16(readRegister(register)) | UInt16(readRegister(register &+ 1)) << 8
    }

    public func writeWordRegister(_ register: UInt8, _ value: UInt16) {
        writeRegister(register, UInt8(value & 0xff))
        writeRegister(register &+ 1, UInt8(value >> 8))
    }
}

/// A simulated I2C bus speaking SMBus transactions to register-level device models.
/// An address with no model NACKs (ENXIO), as on a real bus; faults can be injected.
public final class SimI2CBus: I2CBus {
    public let number: Int
    private let state = Mutex(State())

    struct State {
        var devices: [UInt8: any SimI2CDevice] = [:]
        var faults: [UInt8: Int32] = [:]
        /// Addresses whose device answers garbage: every byte read is 0xFF, writes are lost.
        var garbage: Set<UInt8> = []
        var transactions = 0
    }

    public init(number: Int) {
        self.number = number
    }

    /// Attaches a device model at `address`.
    public func attach(_ device: any SimI2CDevice, at address: UInt8) {
        state.withLock { $0.devices[address] = device }
    }

    /// The model at `address`, if any.
    public func device(at address: UInt8) -> (any SimI2CDevice)? {
        state.withLock { $0.devices[address] }
    }

    /// Makes every transaction to `address` fail with `errno` (nil clears the fault).
    public func injectFault(at address: UInt8, errno: Int32?) {
        state.withLock { $0.faults[address] = errno }
    }

    /// Makes the device at `address` answer garbage (every byte read 0xFF, as a bus held high
    /// or a chip in a bad state answers; writes are lost) or, with `false`, answer again.
    public func injectGarbage(at address: UInt8, _ answersGarbage: Bool = true) {
        state.withLock {
            if answersGarbage { $0.garbage.insert(address) } else { $0.garbage.remove(address) }
        }
    }

    /// How many transactions the bus has carried.
    public var transactionCount: Int { state.withLock { $0.transactions } }

    /// The bus's devices as JSON for the simulation view.
    public func snapshot() -> JSONValue {
        let devices = state.withLock { $0.devices }
        return .object(Dictionary(uniqueKeysWithValues: devices.map { address, device in
            ("0x" + String(address, radix: 16), device.snapshot())
        }))
    }

    private func transact<T>(_ address: UInt8, _ operation: String, _ body: (any SimI2CDevice) -> T) throws(HardwareError) -> T {
        let result: Result<T, HardwareError> = state.withLock { state in
            state.transactions += 1
            if let errno = state.faults[address] {
                return .failure(HardwareError(.io, operation: operation, device: deviceName(address), errno: errno))
            }
            guard let device = state.devices[address] else {
                return .failure(HardwareError(.io, operation: operation, device: deviceName(address), errno: 6,
                                              message: "no device answered (NACK)"))
            }
            if state.garbage.contains(address) { return .success(body(GarbageDevice())) }
            return .success(body(device))
        }
        return try result.get()
    }

    public func readByte(address: UInt8, register: UInt8) throws(HardwareError) -> UInt8 {
        try transact(address, "read byte data 0x\(String(register, radix: 16))") { $0.readRegister(register) }
    }

    public func writeByte(address: UInt8, register: UInt8, value: UInt8) throws(HardwareError) {
        try transact(address, "write byte data 0x\(String(register, radix: 16))") { $0.writeRegister(register, value) }
    }

    public func readWord(address: UInt8, register: UInt8) throws(HardwareError) -> UInt16 {
        try transact(address, "read word data 0x\(String(register, radix: 16))") { $0.readWordRegister(register) }
    }

    public func writeWord(address: UInt8, register: UInt8, value: UInt16) throws(HardwareError) {
        try transact(address, "write word data 0x\(String(register, radix: 16))") { $0.writeWordRegister(register, value) }
    }

    public func readBlock(address: UInt8, register: UInt8, count: Int) throws(HardwareError) -> [UInt8] {
        guard (1...32).contains(count) else {
            throw HardwareError(.unsupported, operation: "read block data", device: deviceName(address), errno: 22,
                                message: "block length \(count) outside 1…32")
        }
        return try transact(address, "read block data 0x\(String(register, radix: 16))") { device in
            (0..<count).map { device.readRegister(register &+ UInt8($0)) }
        }
    }

    public func writeBlock(address: UInt8, register: UInt8, bytes: [UInt8]) throws(HardwareError) {
        guard (1...32).contains(bytes.count) else {
            throw HardwareError(.unsupported, operation: "write block data", device: deviceName(address), errno: 22,
                                message: "block length \(bytes.count) outside 1…32")
        }
        try transact(address, "write block data 0x\(String(register, radix: 16))") { device in
            for (index, byte) in bytes.enumerated() { device.writeRegister(register &+ UInt8(index), byte) }
        }
    }

    public func close() {}
}

/// What a device answering garbage looks like from the bus: 0xFF everywhere, writes lost.
private final class GarbageDevice: SimI2CDevice {
    func readRegister(_ register: UInt8) -> UInt8 { 0xFF }
    func writeRegister(_ register: UInt8, _ value: UInt8) {}
    func snapshot() -> JSONValue { .string("garbage") }
}

/// Simulated I2C buses by number.
public final class SimI2CProvider: I2CProvider {
    private let buses = Mutex<[Int: SimI2CBus]>([:])

    public init() {}

    /// The bus with this number, created on first use.
    public func bus(_ number: Int) -> SimI2CBus {
        buses.withLock { buses in
            if let bus = buses[number] { return bus }
            let bus = SimI2CBus(number: number)
            buses[number] = bus
            return bus
        }
    }

    /// All buses, by number.
    public var allBuses: [Int: SimI2CBus] { buses.withLock { $0 } }

    public func openBus(_ number: Int) throws(HardwareError) -> any I2CBus {
        guard let bus = buses.withLock({ $0[number] }) else {
            throw HardwareError(.notFound, operation: "open", device: "/dev/i2c-\(number)", errno: 2)
        }
        return bus
    }
}
