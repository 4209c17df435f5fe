import Glibc
import IOToyHAL
import Testing
@testable import IOToyLinux

/// libi2c's SMBus calls against the kernel's i2c-stub (inside the harness guest only). The
/// stub answers at 0x76 and 0x40 and is a 256-cell register file per address.
@Suite(.serialized, .enabled(if: KernelHarness.isPresent, "needs the kernel harness (Tests/kernel)"))
struct KernelI2CTests {
    let provider = LinuxI2CProvider()

    @Test func byteWordAndBlockTransactions() throws {
        let bus = try provider.openBus(KernelHarness.i2cBus)
        defer { bus.close() }
        try bus.writeByte(address: 0x40, register: 0x10, value: 0xA5)
        #expect(try bus.readByte(address: 0x40, register: 0x10) == 0xA5)
        try bus.writeWord(address: 0x40, register: 0x20, value: 0x6B70)
        #expect(try bus.readWord(address: 0x40, register: 0x20) == 0x6B70)
        #expect(try bus.readByte(address: 0x40, register: 0x20) == 0x70, "a byte read is the cell's low byte")
        try bus.writeBlock(address: 0x76, register: 0x30, bytes: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try bus.readBlock(address: 0x76, register: 0x30, count: 8) == [1, 2, 3, 4, 5, 6, 7, 8])
        // Alternate addresses: the I2C_SLAVE selection follows.
        #expect(try bus.readByte(address: 0x40, register: 0x10) == 0xA5)
    }

    @Test func aNackNamesBusAddressRegisterAndErrno() throws {
        let bus = try provider.openBus(KernelHarness.i2cBus)
        defer { bus.close() }
        #expect {
            _ = try bus.readByte(address: 0x50, register: 0xD0)
        } throws: { error in
            guard let error = error as? HardwareError else { return false }
            return error.kind == .io && error.device == "i2c-\(KernelHarness.i2cBus) address 0x50"
                && error.operation == "read byte data 0xd0" && error.errno != nil
                && error.message?.hasPrefix("no device answered (NACK)") == true
        }
        // The bus still works for the devices that are there.
        #expect(throws: Never.self) { _ = try bus.readByte(address: 0x76, register: 0x00) }
    }

    @Test func aMissingBusIsNotFound() {
        #expect {
            _ = try provider.openBus(99)
        } throws: { error in
            (error as? HardwareError).map { $0.kind == .notFound && $0.device == "/dev/i2c-99" } ?? false
        }
    }

    @Test func probingFindsTheStubsAddresses() throws {
        let bus = try provider.open(KernelHarness.i2cBus)
        defer { bus.close() }
        #expect(try bus.probe(address: 0x76))
        #expect(try bus.probe(address: 0x40))
        #expect(try bus.probe(address: 0x50) == false)
        let entry = HardwareProbe().i2cBuses().first { $0.number == KernelHarness.i2cBus }
        // Every chip i2c-stub was given (run.sh --i2c-addrs; test.sh adds sensors-e2e.sh's), in order.
        let stubAddresses = (KernelHarness.environment["IOTOY_I2C_ADDRS"] ?? "0x76,0x40").split(separator: ",")
            .compactMap { UInt8($0.dropFirst(2), radix: 16) }.sorted()
        #expect(entry?.answering == stubAddresses)
        #expect(entry?.adapter.contains("stub") == true)
    }
}
