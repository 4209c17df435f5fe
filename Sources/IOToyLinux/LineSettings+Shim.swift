import CGPIOD
import IOToyHAL

extension LineBias {
    /// The shim's `enum iotoy_gpio_bias` value.
    var shimValue: Int32 {
        switch self {
        case .asIs: Int32(IOTOY_GPIO_BIAS_AS_IS.rawValue)
        case .disabled: Int32(IOTOY_GPIO_BIAS_DISABLED.rawValue)
        case .pullUp: Int32(IOTOY_GPIO_BIAS_PULL_UP.rawValue)
        case .pullDown: Int32(IOTOY_GPIO_BIAS_PULL_DOWN.rawValue)
        }
    }
}

extension LineDrive {
    /// The shim's `enum iotoy_gpio_drive` value.
    var shimValue: Int32 {
        switch self {
        case .pushPull: Int32(IOTOY_GPIO_DRIVE_PUSH_PULL.rawValue)
        case .openDrain: Int32(IOTOY_GPIO_DRIVE_OPEN_DRAIN.rawValue)
        case .openSource: Int32(IOTOY_GPIO_DRIVE_OPEN_SOURCE.rawValue)
        }
    }
}

extension LineEdge {
    /// The shim's `enum iotoy_gpio_edge` value.
    var shimValue: Int32 {
        switch self {
        case .none: Int32(IOTOY_GPIO_EDGE_NONE.rawValue)
        case .rising: Int32(IOTOY_GPIO_EDGE_RISING.rawValue)
        case .falling: Int32(IOTOY_GPIO_EDGE_FALLING.rawValue)
        case .both: Int32(IOTOY_GPIO_EDGE_BOTH.rawValue)
        }
    }
}

extension Duration {
    /// The duration in whole microseconds (negative durations count as zero).
    var wholeMicroseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 || seconds > 0 else { return 0 }
        return UInt64(seconds) * 1_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000_000)
    }

    /// The duration in nanoseconds (negative durations count as zero).
    var wholeNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 || seconds > 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    /// The duration in milliseconds for poll(2), rounded up so a short wait does not spin.
    var pollMilliseconds: Int32 {
        let nanoseconds = wholeNanoseconds
        return Int32(clamping: (nanoseconds + 999_999) / 1_000_000)
    }
}
