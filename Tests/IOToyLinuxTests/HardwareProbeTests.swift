import Testing
@testable import IOToyLinux

/// `iotoyd probe`'s inventory against fake /dev and /sys trees (GPIO and I2C scanning need a
/// kernel: they are covered in the harness).
@Suite struct HardwareProbeTests {
    @Test func findsBusesPWMChipsAndSerialPorts() throws {
        let dev = try TemporaryTree(), sys = try TemporaryTree()
        try dev.file("i2c-1")
        try dev.file("i2c-20")
        try sys.file("class/i2c-dev/i2c-1/name", "bcm2835 (i2c@7e804000)\n")
        try sys.pwmChip("class/pwm/pwmchip0", channels: 2, exported: [1])
        try sys.directory("devices/platform/fe20c000.pwm")
        try sys.link("class/pwm/pwmchip0/device", to: "../../../devices/platform/fe20c000.pwm")
        try dev.file("ttyACM0")
        try dev.file("ttyUSB1")
        try dev.file("ttyAMA0")
        try dev.file("tty7")
        try dev.link("serial/by-id/usb-Arduino_Uno_8573-if00", to: "../../ttyACM0")
        try dev.link("serial0", to: "ttyAMA0")
        let report = HardwareProbe(devRoot: dev.root, sysRoot: sys.root, scanI2C: false).run()
        #expect(report.gpioLibrary.hasPrefix("libgpiod "))
        #expect(report.gpioChips.isEmpty)
        #expect(report.i2cBuses.map(\.number) == [1, 20])
        #expect(report.i2cBuses.first?.adapter == "bcm2835 (i2c@7e804000)")
        #expect(report.i2cBuses.first?.answering == nil)
        #expect(report.pwmChips == [.init(name: "pwmchip0", channelCount: 2, device: "fe20c000.pwm", exported: [1], error: nil)])
        #expect(report.serialPorts == [
            .init(path: "\(dev.root)/serial/by-id/usb-Arduino_Uno_8573-if00", tty: "\(dev.root)/ttyACM0"),
            .init(path: "\(dev.root)/serial0", tty: "\(dev.root)/ttyAMA0"),
            .init(path: "\(dev.root)/ttyUSB1", tty: nil),
        ])
    }

    @Test func anUnreadableChipIsReportedNotFatal() throws {
        let dev = try TemporaryTree(), sys = try TemporaryTree()
        try dev.file("gpiochip0", "not a chip")
        try sys.file("class/pwm/pwmchip3/npwm", "many\n")
        let report = HardwareProbe(devRoot: dev.root, sysRoot: sys.root, scanI2C: false).run()
        #expect(report.gpioChips.count == 1)
        #expect(report.gpioChips.first?.error?.contains("gpiochip0") == true)
        #expect(report.pwmChips.first?.channelCount == nil)
        #expect(report.pwmChips.first?.error?.contains("not a number") == true)
    }
}
