import CGPIOD
import Glibc
import IOToyHAL
import Synchronization

/// An open GPIO chip (a libgpiod chip handle through the CGPIOD shim). Requests made from it
/// are independent of it: closing the chip leaves them held.
public final class LinuxGPIOChip: GPIOChip {
    public let name: String
    public let label: String
    /// The character device, e.g. `/dev/gpiochip0`.
    public let path: String
    /// The number of lines.
    public let lineCount: Int
    private let handle: Mutex<ShimHandle?>

    init(path: String, selector: ChipSelector) throws(HardwareError) {
        let device = "gpio chip '\(selector)'" + (selector.description == path ? "" : " (\(path))")
        let chip: OpaquePointer
        do {
            chip = try Syscall.retryingPointer("open chip", device: device) { iotoy_gpio_chip_open(path) }
        } catch {
            // libgpiod says ENOTTY or ENODEV for a path that is not a GPIO chip.
            if error.errno == ENOTTY || error.errno == ENODEV {
                throw HardwareError(.notFound, operation: "open chip", device: device, errno: error.errno,
                                    message: "not a GPIO chip character device")
            }
            throw error
        }
        self.path = path
        self.name = String(cString: iotoy_gpio_chip_name(chip))
        self.label = String(cString: iotoy_gpio_chip_label(chip))
        self.lineCount = Int(iotoy_gpio_chip_num_lines(chip))
        self.handle = Mutex(ShimHandle(pointer: chip))
    }

    deinit { close() }

    /// A name for errors: `gpiochip0 (pinctrl-bcm2711)`.
    var device: String { "\(name) (\(label))" }

    public func close() {
        handle.withLock { chip in
            if let open = chip { iotoy_gpio_chip_close(open.pointer) }
            chip = nil
        }
    }

    /// The offset of a line, checked against the chip.
    public func offset(of line: LineSelector) throws(HardwareError) -> Int {
        let device = "\(self.device) line \(line)"
        switch line {
        case .offset(let offset):
            guard (0..<lineCount).contains(offset) else {
                throw HardwareError(.notFound, operation: "find line", device: device, errno: EINVAL,
                                    message: "the chip has \(lineCount) lines (0…\(lineCount - 1))")
            }
            return offset
        case .name(let wanted):
            return try withChip("find line", device) { chip throws(HardwareError) in
                let found = wanted.withCString { iotoy_gpio_chip_find_line(chip, $0) }
                guard found >= 0 else {
                    let code = errno
                    if code == ENOENT {
                        throw HardwareError(.notFound, operation: "find line", device: device, errno: ENOENT,
                                            message: "no line of this chip is named '\(wanted)'")
                    }
                    throw HardwareError(errno: code, operation: "find line", device: device)
                }
                return Int(found)
            }
        }
    }

    /// What the kernel reports about the line at `offset`.
    public func lineInfo(offset: Int) throws(HardwareError) -> GPIOLineInfo {
        try withChip("read line info", "\(device) line \(offset)") { chip throws(HardwareError) in
            var info = iotoy_gpio_line_info()
            try Syscall.retrying("read line info", device: "\(device) line \(offset)") {
                iotoy_gpio_chip_line_info(chip, UInt32(offset), &info)
            }
            return GPIOLineInfo(info)
        }
    }

    public func requestLine(_ line: LineSelector, settings: LineSettings, consumer: String) throws(HardwareError)
        -> any GPIOLineRequest
    {
        let offset = try self.offset(of: line)
        let device = "\(self.device) line \(line)" + (line == .offset(offset) ? "" : " (offset \(offset))")
        if settings.edge != .none, case .output = settings.direction {
            throw HardwareError(.unsupported, operation: "request line", device: device, errno: EINVAL,
                                message: "edge detection on an output")
        }
        let kernelDebounce = LinuxGPIOProvider.kernelDebounce
        var config = iotoy_gpio_line_config()
        config.offset = UInt32(offset)
        switch settings.direction {
        case .input: config.direction = Int32(IOTOY_GPIO_INPUT.rawValue)
        case .output(let initial):
            config.direction = Int32(IOTOY_GPIO_OUTPUT.rawValue)
            config.output_value = initial ? 1 : 0
        }
        config.bias = settings.bias.shimValue
        config.drive = settings.drive.shimValue
        config.active_low = settings.activeLow ? 1 : 0
        config.edge = settings.edge.shimValue
        if kernelDebounce, let debounce = settings.debounce { config.debounce_us = debounce.wholeMicroseconds }
        let request: OpaquePointer
        do throws(HardwareError) {
            request = try withChip("request line", device) { chip throws(HardwareError) in
                let result: Result<OpaquePointer, HardwareError> = consumer.withCString { text in
                    config.consumer = text
                    return Result { () throws(HardwareError) in
                        try Syscall.retryingPointer("request line", device: device) { iotoy_gpio_request_line(chip, &config) }
                    }
                }
                return try result.get()
            }
        } catch where error.kind == .busy {
            let holder = (try? lineInfo(offset: offset)).flatMap { $0.consumer.isEmpty ? nil : "'\($0.consumer)'" }
            throw HardwareError(.busy, operation: "request line", device: device, errno: EBUSY,
                                message: "held by \(holder ?? "another consumer")")
        }
        return LinuxGPIOLineRequest(
            request: request, offset: offset, device: device, settings: settings,
            softwareDebounce: kernelDebounce ? nil : settings.debounce)
    }

    private func withChip<T>(
        _ operation: String, _ device: String, _ body: (OpaquePointer) throws(HardwareError) -> T
    ) throws(HardwareError) -> T {
        let result: Result<T, HardwareError> = handle.withLock { chip in
            guard let chip else {
                return .failure(HardwareError(.notFound, operation: operation, device: device, message: "the chip is closed"))
            }
            do throws(HardwareError) { return .success(try body(chip.pointer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
