import Foundation
import IOToyHAL

/// The kernel harness guest (Tests/kernel): gpio-sim, i2c-stub and pwm-sim, described by the
/// IOTOY_* variables its init exports. Tests that need it are enabled only inside the guest.
enum KernelHarness {
    static let environment = ProcessInfo.processInfo.environment

    /// True inside the guest.
    static var isPresent: Bool { environment["IOTOY_HARNESS"] == "1" }

    static var gpioLabel: String { environment["IOTOY_GPIOSIM_LABEL"] ?? "pinctrl-sim" }
    static var gpioChip: String { environment["IOTOY_GPIOSIM_CHIP"] ?? "gpiochip0" }
    /// The directory holding `sim_gpioN/{pull,value}`.
    static var gpioSysfs: String { environment["IOTOY_GPIOSIM_SYSFS"] ?? "" }
    static var gpioLines: [String] { (environment["IOTOY_GPIOSIM_LINES"] ?? "").split(separator: " ").map(String.init) }
    static var i2cBus: Int { Int(environment["IOTOY_I2C_BUS"] ?? "") ?? 0 }
    static var pwmChip: String { environment["IOTOY_PWMCHIP"] ?? "pwmchip0" }
    static var pwmRoot: String { environment["IOTOY_PWM_ROOT"] ?? "/sys/class/pwm" }

    /// The offset of a named gpio-sim line.
    static func offset(_ name: String) -> Int { gpioLines.firstIndex(of: name) ?? -1 }

    /// Sets the simulated pull of a line (`pull-up` / `pull-down`): what a button does.
    static func setPull(_ name: String, up: Bool) throws {
        try (up ? "pull-up" : "pull-down").write(
            toFile: "\(gpioSysfs)/sim_gpio\(offset(name))/pull", atomically: false, encoding: .utf8)
    }

    /// The level gpio-sim sees on a line: what a program drives.
    static func simulatedValue(_ name: String) throws -> Int? {
        Int(try String(contentsOfFile: "\(gpioSysfs)/sim_gpio\(offset(name))/value", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A sysfs attribute of the simulated pwmchip's channel.
    static func pwmAttribute(_ channel: Int, _ name: String) throws -> String {
        try String(contentsOfFile: "\(pwmRoot)/\(pwmChip)/pwm\(channel)/\(name)", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
