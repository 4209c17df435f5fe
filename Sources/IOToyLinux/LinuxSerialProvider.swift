import Glibc
import IOToyHAL

/// Serial ports through termios: `/dev/ttyACM0`, `/dev/serial/by-id/…`, `/dev/iotoy/<name>`
/// or a pseudo-terminal. Always raw mode (a real ttyACM starts with echo on), 8N1, the
/// requested baud, opened exclusively.
public struct LinuxSerialProvider: SerialProvider {
    public init() {}

    public func open(path: String, baud: Int) throws(HardwareError) -> any SerialConnection {
        try LinuxSerialPort(path: path, baud: baud)
    }

    /// The termios speed constant for `baud`, or nil when the kernel has none.
    static func speed(forBaud baud: Int) -> speed_t? {
        let table: [Int: Int32] = [
            1200: B1200, 2400: B2400, 4800: B4800, 9600: B9600, 19200: B19200, 38400: B38400,
            57600: B57600, 115200: B115200, 230400: B230400, 460800: B460800, 500000: B500000,
            576000: B576000, 921600: B921600, 1000000: B1000000,
        ]
        return table[baud].map { speed_t($0) }
    }
}
