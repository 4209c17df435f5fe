import CGPIOD
import Glibc
import IOToyHAL

/// GPIO chips through libgpiod (v1 or v2, whichever the build found), opened by label, kernel
/// name or path. A label is found by opening each `/dev/gpiochip*` in turn and asking the
/// kernel for its label: chip numbers change between kernels and boards, labels do not.
public struct LinuxGPIOProvider: GPIOProvider {
    /// Where the chip character devices live (`/dev`; a test may point elsewhere).
    public let devRoot: String

    public init(devRoot: String = "/dev") {
        self.devRoot = devRoot
    }

    /// The libgpiod API this build was compiled against (1 or 2) and the library's version.
    public static var library: (apiMajor: Int, version: String) {
        (Int(iotoy_gpiod_api_major()), String(cString: iotoy_gpiod_version()))
    }

    /// Whether the kernel debounces edges (libgpiod v2); with v1 this backend debounces in software.
    public static var kernelDebounce: Bool { iotoy_gpiod_kernel_debounce() != 0 }

    /// The paths of the chip character devices, in numeric order (`/dev/gpiochip0`, …).
    public func chipPaths() -> [String] {
        let names = (try? SysfsFile.entries(devRoot)) ?? []
        return names.filter { $0.hasPrefix("gpiochip") && Int($0.dropFirst("gpiochip".count)) != nil }
            .map { "\(devRoot)/\($0)" }
    }

    public func openChip(_ selector: ChipSelector) throws(HardwareError) -> any GPIOChip {
        try open(selector)
    }

    /// Opens the chip the selector names, as the concrete type (for probing line information).
    public func open(_ selector: ChipSelector) throws(HardwareError) -> LinuxGPIOChip {
        switch selector {
        case .path(let path):
            return try LinuxGPIOChip(path: path, selector: selector)
        case .name(let name):
            return try LinuxGPIOChip(path: "\(devRoot)/\(name)", selector: selector)
        case .label(let label):
            return try openByLabel(label)
        }
    }

    private func openByLabel(_ label: String) throws(HardwareError) -> LinuxGPIOChip {
        var seen: [String] = []
        var refused: [String] = []
        for path in chipPaths() {
            do {
                let chip = try LinuxGPIOChip(path: path, selector: .label(label))
                if chip.label == label { return chip }
                seen.append("\(chip.name) [\(chip.label)]")
                chip.close()
            } catch {
                if error.kind == .permissionDenied { refused.append(path) }
                seen.append("\(path) (\(error.message ?? error.kind.rawValue))")
            }
        }
        let device = "gpio chip '\(label)'"
        if !refused.isEmpty {
            throw HardwareError(
                .permissionDenied, operation: "find chip by label", device: device, errno: EACCES,
                message: "no readable chip has this label and \(refused.joined(separator: ", ")) could not be opened; is the user in the gpio group?")
        }
        let found = seen.isEmpty ? "no GPIO chips under \(devRoot)" : "found: \(seen.joined(separator: ", "))"
        throw HardwareError(.notFound, operation: "find chip by label", device: device, errno: ENOENT, message: found)
    }
}
