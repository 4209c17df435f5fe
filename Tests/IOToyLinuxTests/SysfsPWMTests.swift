import IOToyHAL
import Testing
@testable import IOToyLinux

/// The sysfs PWM backend against a directory tree shaped like /sys/class/pwm.
@Suite struct SysfsPWMTests {
    let tree: TemporaryTree
    let provider: LinuxPWMProvider

    init() throws {
        tree = try TemporaryTree()
        try tree.pwmChip("pwmchip0", channels: 2, exported: [0])
        provider = LinuxPWMProvider(root: tree.root, exportTimeout: .milliseconds(30))
    }

    @Test func opensExportsAppliesAndReadsBack() throws {
        let channel = try provider.open(chip: "pwmchip0", channel: 0)
        #expect(channel.name == "pwmchip0/pwm0")
        #expect(try tree.read("pwmchip0/export") == "0")
        let servo = PWMState(periodNs: 20_000_000, dutyNs: 1_500_000, enabled: true)
        try channel.apply(servo)
        #expect(try tree.read("pwmchip0/pwm0/period") == "20000000")
        #expect(try tree.read("pwmchip0/pwm0/duty_cycle") == "1500000")
        #expect(try tree.read("pwmchip0/pwm0/enable") == "1")
        #expect(try channel.currentState() == servo)
    }

    @Test func releaseDisablesAndUnexports() throws {
        let channel = try provider.open(chip: "pwmchip0", channel: 0)
        try channel.apply(PWMState(periodNs: 20_000_000, dutyNs: 1_000_000, enabled: true))
        channel.release()
        #expect(try tree.read("pwmchip0/pwm0/enable") == "0")
        #expect(try tree.read("pwmchip0/unexport") == "0")
    }

    @Test func dutyAbovePeriodIsRefusedBeforeAnythingIsWritten() throws {
        let channel = try provider.open(chip: "pwmchip0", channel: 0)
        #expect {
            try channel.apply(PWMState(periodNs: 1_000, dutyNs: 2_000, enabled: true))
        } throws: { error in
            (error as? HardwareError)?.kind == .unsupported && "\(error)".contains("pwmchip0/pwm0")
        }
        #expect(try tree.read("pwmchip0/pwm0/period") == "0\n")
    }

    @Test func enablingWithoutAPeriodIsRefused() throws {
        let channel = try provider.open(chip: "pwmchip0", channel: 0)
        #expect(throws: HardwareError.self) { try channel.apply(PWMState(periodNs: 0, dutyNs: 0, enabled: true)) }
    }

    @Test func aMissingChipNamesItsPath() {
        #expect {
            _ = try provider.open(chip: "pwmchip7", channel: 0)
        } throws: { error in
            guard let error = error as? HardwareError else { return false }
            return error.kind == .notFound && error.device == "\(tree.root)/pwmchip7" && error.message!.contains("dtoverlay")
        }
    }

    @Test func aChannelBeyondNpwmIsNotFound() {
        #expect {
            _ = try provider.open(chip: "pwmchip0", channel: 2)
        } throws: { error in
            guard let error = error as? HardwareError else { return false }
            return error.kind == .notFound && error.message == "the chip has 2 channels (npwm)"
        }
    }

    /// A channel whose directory never appears after export: a bounded wait, then an error
    /// that names the file.
    @Test func aChannelThatNeverAppearsTimesOut() throws {
        let start = ContinuousClock.now
        #expect {
            _ = try provider.open(chip: "pwmchip0", channel: 1)
        } throws: { error in
            guard let error = error as? HardwareError else { return false }
            return error.kind == .timeout && error.device == "\(tree.root)/pwmchip0/pwm1"
                && error.message!.contains("pwm1/period did not appear")
        }
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(try tree.read("pwmchip0/export") == "1")
    }

    @Test func unreadableNumbersAreIOErrors() throws {
        try tree.file("pwmchip0/pwm0/period", "lots\n")
        let channel = try provider.open(chip: "pwmchip0", channel: 0)
        #expect {
            _ = try channel.currentState()
        } throws: { error in
            (error as? HardwareError)?.kind == .io && "\(error)".contains("'lots' is not a number")
        }
    }

    @Test func chipNamesAreListedInNumericOrder() throws {
        try tree.pwmChip("pwmchip10", channels: 1, exported: [])
        try tree.pwmChip("pwmchip2", channels: 1, exported: [])
        #expect(provider.chipNames() == ["pwmchip0", "pwmchip2", "pwmchip10"])
        #expect(try provider.channelCount(chip: "pwmchip10") == 1)
    }
}
