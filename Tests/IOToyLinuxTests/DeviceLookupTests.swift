import IOToyHAL
import Testing
@testable import IOToyLinux

/// Finding chips and buses, and what is said when they are not there.
@Suite struct DeviceLookupTests {
    @Test(arguments: [
        ("pinctrl-bcm2711", ChipSelector.label("pinctrl-bcm2711")), ("gpiochip0", .name("gpiochip0")),
        ("/dev/gpiochip4", .path("/dev/gpiochip4")), ("gpiochipX", .label("gpiochipX")), ("pinctrl-rp1", .label("pinctrl-rp1")),
    ])
    func chipSelectors(text: String, selector: ChipSelector) {
        #expect(ChipSelector(text) == selector)
    }

    @Test func chipDevicesAreListedInNumericOrder() throws {
        let dev = try TemporaryTree()
        for name in ["gpiochip10", "gpiochip2", "gpiochip0", "gpiochipX", "i2c-1"] { try dev.file(name) }
        let provider = LinuxGPIOProvider(devRoot: dev.root)
        #expect(provider.chipPaths() == ["gpiochip0", "gpiochip2", "gpiochip10"].map { "\(dev.root)/\($0)" })
    }

    @Test func aLabelNoChipHasIsNotFoundAndSaysWhatWasLookedAt() throws {
        let dev = try TemporaryTree()
        #expect {
            _ = try LinuxGPIOProvider(devRoot: dev.root).openChip(.label("pinctrl-bcm2711"))
        } throws: { error in
            guard let error = error as? HardwareError else { return false }
            return error.kind == .notFound && error.device == "gpio chip 'pinctrl-bcm2711'"
                && error.message == "no GPIO chips under \(dev.root)"
        }
    }

    @Test func aFileThatIsNotAChipIsNamed() throws {
        let dev = try TemporaryTree()
        try dev.file("gpiochip0", "not a device")
        #expect {
            _ = try LinuxGPIOProvider(devRoot: dev.root).openChip(.name("gpiochip0"))
        } throws: { error in
            guard let error = error as? HardwareError else { return false }
            return error.kind == .notFound && error.device.contains("\(dev.root)/gpiochip0")
        }
        #expect {
            _ = try LinuxGPIOProvider(devRoot: dev.root).openChip(.label("pinctrl-sim"))
        } throws: { error in
            "\(error)".contains("\(dev.root)/gpiochip0 (")
        }
    }

    @Test func aMissingPathIsNotFound() {
        #expect {
            _ = try LinuxGPIOProvider().openChip(.path("/dev/gpiochip-none"))
        } throws: { error in
            (error as? HardwareError).map { $0.kind == .notFound && $0.device == "gpio chip '/dev/gpiochip-none'" } ?? false
        }
    }

    @Test func aMissingI2CBusNamesItsDeviceAndTheOverlay() throws {
        let dev = try TemporaryTree()
        #expect {
            _ = try LinuxI2CProvider(devRoot: dev.root).openBus(3)
        } throws: { error in
            guard let error = error as? HardwareError else { return false }
            return error.kind == .notFound && error.device == "\(dev.root)/i2c-3" && error.message!.contains("i2c_arm")
        }
    }

    /// /dev/null opens but is no I2C adapter: the ioctl's refusal names bus and address.
    @Test func anI2CTransactionOnSomethingElseNamesBusAddressAndRegister() throws {
        let dev = try TemporaryTree()
        try dev.link("i2c-5", to: "/dev/null")
        let bus = try LinuxI2CProvider(devRoot: dev.root).openBus(5)
        defer { bus.close() }
        #expect(LinuxI2CProvider(devRoot: dev.root).busNumbers() == [5])
        #expect {
            _ = try bus.readByte(address: 0x76, register: 0xD0)
        } throws: { error in
            guard let error = error as? HardwareError else { return false }
            return error.device == "i2c-5 address 0x76" && error.errno != nil && error.operation.contains("I2C_SLAVE")
        }
        #expect {
            _ = try bus.readBlock(address: 0x76, register: 0x88, count: 33)
        } throws: { error in
            (error as? HardwareError)?.kind == .unsupported && "\(error)".contains("1…32 bytes")
        }
        bus.close()
        #expect {
            _ = try bus.readByte(address: 0x76, register: 0xD0)
        } throws: { error in
            "\(error)".contains("the bus is closed")
        }
    }
}
