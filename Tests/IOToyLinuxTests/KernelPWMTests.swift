import Glibc
import IOToyHAL
import Testing
@testable import IOToyLinux

/// sysfs PWM against the harness's pwm-sim chip (inside the guest only). The PWM core refuses
/// duty above period and enable without a period, as on real hardware.
@Suite(.serialized, .enabled(if: KernelHarness.isPresent, "needs the kernel harness (Tests/kernel)"))
struct KernelPWMTests {
    let provider = LinuxPWMProvider(root: KernelHarness.pwmRoot)

    @Test func exportApplyReadBackAndUnexport() throws {
        let channel = try provider.openChannel(chip: KernelHarness.pwmChip, channel: 0)
        let servo = PWMState(periodNs: 20_000_000, dutyNs: 1_500_000, enabled: true)
        try channel.apply(servo)
        #expect(try KernelHarness.pwmAttribute(0, "period") == "20000000")
        #expect(try KernelHarness.pwmAttribute(0, "duty_cycle") == "1500000")
        #expect(try KernelHarness.pwmAttribute(0, "enable") == "1")
        #expect(try channel.currentState() == servo)
        channel.release()
        #expect(SysfsFile.exists("\(KernelHarness.pwmRoot)/\(KernelHarness.pwmChip)/pwm0") == false, "unexported")
    }

    /// Every transition the write plan makes is one the PWM core accepts.
    @Test func transitionsTheKernelWouldRefuseInTheWrongOrder() throws {
        let channel = try provider.openChannel(chip: KernelHarness.pwmChip, channel: 1)
        defer { channel.release() }
        let states = [
            PWMState(periodNs: 20_000_000, dutyNs: 2_000_000, enabled: true),
            PWMState(periodNs: 1_000_000, dutyNs: 500_000, enabled: true),     // period below the old duty
            PWMState(periodNs: 30_000_000, dutyNs: 25_000_000, enabled: true), // duty above the old period
            PWMState(periodNs: 30_000_000, dutyNs: 1_000_000, enabled: true, polarity: .inversed),
            PWMState(periodNs: 30_000_000, dutyNs: 1_000_000, enabled: false, polarity: .normal),
        ]
        for state in states {
            try channel.apply(state)
            #expect(try channel.currentState() == state)
        }
    }

    @Test func exportingAnExportedChannelIsFine() throws {
        let first = try provider.openChannel(chip: KernelHarness.pwmChip, channel: 0)
        let second = try provider.openChannel(chip: KernelHarness.pwmChip, channel: 0)   // EBUSY from export
        try second.apply(PWMState(periodNs: 10_000_000, dutyNs: 1_000_000, enabled: true))
        #expect(try first.currentState().dutyNs == 1_000_000)
        first.release()
        second.release()
    }

    @Test func whatTheKernelRefusesIsNamed() throws {
        let channel = try provider.openChannel(chip: KernelHarness.pwmChip, channel: 0)
        defer { channel.release() }
        #expect(throws: HardwareError.self) { try channel.apply(PWMState(periodNs: 1_000, dutyNs: 2_000, enabled: true)) }
        // Straight to sysfs: the kernel's own refusal of a duty above the period, classified.
        try channel.apply(PWMState(periodNs: 1_000_000, dutyNs: 0, enabled: false))
        #expect {
            try SysfsFile.write("2000000", to: "\(KernelHarness.pwmRoot)/\(KernelHarness.pwmChip)/pwm0/duty_cycle",
                                operation: "set duty_cycle 2000000", device: channel.name)
        } throws: { error in
            (error as? HardwareError).map { $0.kind == .unsupported && $0.errno == EINVAL && $0.device == "pwmchip0/pwm0" } ?? false
        }
    }

    @Test func missingChipsAndChannelsAreNotFound() {
        #expect(throws: HardwareError.self) { _ = try provider.openChannel(chip: "pwmchip9", channel: 0) }
        #expect {
            _ = try provider.openChannel(chip: KernelHarness.pwmChip, channel: 5)
        } throws: { error in
            (error as? HardwareError).map { $0.kind == .notFound && $0.message!.contains("npwm") } ?? false
        }
    }
}

/// `iotoyd probe`'s view of the guest's simulators.
@Suite(.enabled(if: KernelHarness.isPresent, "needs the kernel harness (Tests/kernel)"))
struct KernelProbeTests {
    @Test func probeSeesTheSimulatedChips() throws {
        let report = HardwareProbe(scanI2C: false).run()
        let chip = try #require(report.gpioChips.first { $0.label == KernelHarness.gpioLabel })
        #expect(chip.name == KernelHarness.gpioChip)
        #expect(chip.lines.map(\.name) == KernelHarness.gpioLines)
        let pwm = try #require(report.pwmChips.first { $0.name == KernelHarness.pwmChip })
        #expect(pwm.channelCount == 2)
        #expect(pwm.device.contains("pwm-sim"))
        #expect(report.i2cBuses.contains { $0.number == KernelHarness.i2cBus })
    }
}
