import CGPIOD
import IOToyHAL

/// What the kernel reports about one GPIO line: for `iotoyd probe` and busy-line errors.
public struct GPIOLineInfo: Sendable, Hashable {
    public let offset: Int
    /// The line's name from the device tree (`GPIO17`); empty when unnamed.
    public let name: String
    /// Who holds the line; empty when free.
    public let consumer: String
    public let used: Bool
    public let isOutput: Bool
    public let activeLow: Bool
    /// nil when the kernel does not say.
    public let bias: LineBias?
    public let drive: LineDrive
    public let edge: LineEdge
    /// The kernel's debounce period in microseconds (libgpiod v2 only).
    public let debounceUs: UInt64

    public init(
        offset: Int, name: String, consumer: String, used: Bool, isOutput: Bool, activeLow: Bool = false,
        bias: LineBias? = nil, drive: LineDrive = .pushPull, edge: LineEdge = .none, debounceUs: UInt64 = 0
    ) {
        self.offset = offset
        self.name = name
        self.consumer = consumer
        self.used = used
        self.isOutput = isOutput
        self.activeLow = activeLow
        self.bias = bias
        self.drive = drive
        self.edge = edge
        self.debounceUs = debounceUs
    }

    init(_ info: iotoy_gpio_line_info) {
        func text<T>(_ tuple: T) -> String {
            withUnsafeBytes(of: tuple) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        }
        let bias: LineBias? = switch UInt32(info.bias) {
        case IOTOY_GPIO_BIAS_AS_IS.rawValue: .asIs
        case IOTOY_GPIO_BIAS_DISABLED.rawValue: .disabled
        case IOTOY_GPIO_BIAS_PULL_UP.rawValue: .pullUp
        case IOTOY_GPIO_BIAS_PULL_DOWN.rawValue: .pullDown
        default: nil
        }
        let drive: LineDrive = switch UInt32(info.drive) {
        case IOTOY_GPIO_DRIVE_OPEN_DRAIN.rawValue: .openDrain
        case IOTOY_GPIO_DRIVE_OPEN_SOURCE.rawValue: .openSource
        default: .pushPull
        }
        let edge: LineEdge = switch UInt32(info.edge) {
        case IOTOY_GPIO_EDGE_RISING.rawValue: .rising
        case IOTOY_GPIO_EDGE_FALLING.rawValue: .falling
        case IOTOY_GPIO_EDGE_BOTH.rawValue: .both
        default: .none
        }
        self.init(
            offset: Int(info.offset), name: text(info.name), consumer: text(info.consumer), used: info.used != 0,
            isOutput: UInt32(info.direction) == IOTOY_GPIO_OUTPUT.rawValue, activeLow: info.active_low != 0,
            bias: bias, drive: drive, edge: edge, debounceUs: info.debounce_us)
    }
}
