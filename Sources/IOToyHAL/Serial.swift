/// Opens serial ports (termios on Linux; in-memory or pseudo-terminal in simulation).
public protocol SerialProvider: Sendable {
    /// Opens `path` at `baud`, 8N1, raw mode, exclusively.
    func open(path: String, baud: Int) throws(HardwareError) -> any SerialConnection
}

/// An open serial port. Single owner: one thread reads and writes at a time.
public protocol SerialConnection: Sendable {
    /// The port's path.
    var path: String { get }
    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws(HardwareError)
    /// Waits up to `timeout` for bytes and returns what arrived (empty on timeout).
    /// Throws `disconnected` on EOF, EIO or hang-up.
    func read(timeout: Duration) throws(HardwareError) -> [UInt8]
    /// Makes a `read` that is waiting (or the next one) return at once, possibly empty.
    /// Safe to call from any thread; never blocks.
    func interruptRead()
    /// Closes the port.
    func close()
}

extension SerialConnection {
    public func interruptRead() {}
}
