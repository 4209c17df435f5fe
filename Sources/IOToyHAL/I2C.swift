/// Opens I2C buses by number (`/dev/i2c-N` on Linux).
public protocol I2CProvider: Sendable {
    /// Opens bus `number`, or throws `notFound`.
    func openBus(_ number: Int) throws(HardwareError) -> any I2CBus
}

/// An I2C bus spoken through SMBus transactions: each call is one atomic transaction.
///
/// SMBus is what every target chip and the kernel's i2c-stub support. Words are little-endian
/// on the wire, as SMBus defines. Single owner: one thread issues transactions at a time.
public protocol I2CBus: Sendable {
    /// The bus number.
    var number: Int { get }
    /// SMBus read byte data.
    func readByte(address: UInt8, register: UInt8) throws(HardwareError) -> UInt8
    /// SMBus write byte data.
    func writeByte(address: UInt8, register: UInt8, value: UInt8) throws(HardwareError)
    /// SMBus read word data (low byte from `register`, high byte from `register + 1`).
    func readWord(address: UInt8, register: UInt8) throws(HardwareError) -> UInt16
    /// SMBus write word data.
    func writeWord(address: UInt8, register: UInt8, value: UInt16) throws(HardwareError)
    /// I2C block read of `count` (1…32) bytes starting at `register`.
    func readBlock(address: UInt8, register: UInt8, count: Int) throws(HardwareError) -> [UInt8]
    /// I2C block write of up to 32 bytes starting at `register`.
    func writeBlock(address: UInt8, register: UInt8, bytes: [UInt8]) throws(HardwareError)
    /// Closes the bus.
    func close()
}

extension I2CBus {
    /// A device name for errors: `i2c-1 address 0x76`.
    public func deviceName(_ address: UInt8) -> String {
        "i2c-\(number) address 0x\(String(address, radix: 16))"
    }
}
