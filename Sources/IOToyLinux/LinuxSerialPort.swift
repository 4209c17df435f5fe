import Glibc
import IOToyHAL
import Synchronization

/// One open serial port. Single owner: the port's ``HardwareOwner`` thread opens, reads,
/// writes and closes it (the dispatcher stops components on their owners). The descriptor sits
/// behind a lock only so that the class can be `Sendable`; closing it while another thread is
/// in `read` would not be safe, and nothing does that.
///
/// The input is not flushed on open: a pseudo-terminal (or a board that does not reset) may
/// already hold the ready line, and the host skips anything before it anyway.
final class LinuxSerialPort: SerialConnection {
    let path: String
    private let descriptor: Mutex<Int32>
    /// A self-pipe that `interruptRead()` writes from any thread; its read end is polled
    /// beside the port.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    init(path: String, baud: Int) throws(HardwareError) {
        self.path = path
        guard let speed = LinuxSerialProvider.speed(forBaud: baud) else {
            throw HardwareError(.unsupported, operation: "open", device: path, message: "\(baud) baud is not a termios speed")
        }
        let fd = try Syscall.retrying("open", device: path) { Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC) }
        do throws(HardwareError) {
            try Syscall.retrying("lock exclusively (TIOCEXCL)", device: path) { ioctl(fd, UInt(TIOCEXCL)) }
            var settings = termios()
            try Syscall.retrying("read settings (tcgetattr)", device: path) { tcgetattr(fd, &settings) }
            cfmakeraw(&settings)
            settings.c_cflag |= tcflag_t(CLOCAL | CREAD)
            settings.c_cflag &= ~(tcflag_t(CSTOPB | PARENB) | tcflag_t(CRTSCTS))
            settings.c_cflag = (settings.c_cflag & ~tcflag_t(CSIZE)) | tcflag_t(CS8)
            withUnsafeMutableBytes(of: &settings.c_cc) { controls in
                controls[Int(VMIN)] = 0   // reads never wait: poll(2) does the waiting
                controls[Int(VTIME)] = 0
            }
            cfsetispeed(&settings, speed)
            cfsetospeed(&settings, speed)
            try Syscall.retrying("apply raw 8N1 at \(baud) baud (tcsetattr)", device: path) { tcsetattr(fd, TCSANOW, &settings) }
            // Assert DTR and RTS (this resets most Arduinos, as any serial monitor does). A
            // pseudo-terminal answers ENOTTY and some adapters EINVAL: that is not an error.
            var lines = Int32(TIOCM_DTR | TIOCM_RTS)
            if ioctl(fd, UInt(TIOCMBIS), &lines) < 0, errno != ENOTTY, errno != EINVAL {
                throw HardwareError(errno: errno, operation: "assert DTR/RTS", device: path)
            }
        } catch {
            Glibc.close(fd)
            throw error
        }
        var ends: [Int32] = [-1, -1]
        do throws(HardwareError) {
            try Syscall.retrying("create wake-up pipe", device: path) { pipe(&ends) }
            for end in ends {
                try Syscall.retrying("configure wake-up pipe", device: path) { fcntl(end, F_SETFL, O_NONBLOCK) }
                try Syscall.retrying("configure wake-up pipe", device: path) { fcntl(end, F_SETFD, FD_CLOEXEC) }
            }
        } catch {
            for end in ends where end >= 0 { Glibc.close(end) }
            Glibc.close(fd)
            throw error
        }
        descriptor = Mutex(fd)
        wakeRead = ends[0]
        wakeWrite = ends[1]
    }

    private var fd: Int32 { descriptor.withLock { $0 } }

    func write(_ bytes: [UInt8]) throws(HardwareError) {
        let fd = try openDescriptor("write")
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            var count = result
            if result < 0 {
                let code = errno
                guard code == EINTR || code == EAGAIN else { throw disconnectedOr(code, operation: "write") }
                count = 0
            }
            written += count
            if written < bytes.count, count == 0 { try waitWritable(fd) }
        }
    }

    func read(timeout: Duration) throws(HardwareError) -> [UInt8] {
        let fd = try openDescriptor("read")
        var pollers = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = try Syscall.retrying("wait for input (poll)", device: path) { poll(&pollers, 2, max(0, milliseconds)) }
        if ready == 0 { return [] }
        if pollers[1].revents & Int16(POLLIN) != 0 {
            var drained = [UInt8](repeating: 0, count: 64)
            _ = drained.withUnsafeMutableBytes { Glibc.read(wakeRead, $0.baseAddress!, $0.count) }
        }
        let poller = pollers[0]
        if poller.revents == 0 { return [] }   // only woken
        if poller.revents & Int16(POLLIN) == 0 {
            if poller.revents & Int16(POLLNVAL) != 0 {
                throw HardwareError(.disconnected, operation: "read", device: path, message: "the port is closed")
            }
            throw HardwareError(.disconnected, operation: "read", device: path, message: "hang-up (unplugged?)")
        }
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if count > 0 { return Array(buffer[..<count]) }
            if count == 0 {
                // With VMIN = VTIME = 0 a tty answers 0 for "nothing yet"; only a hang-up is the end.
                guard poller.revents & Int16(POLLHUP | POLLERR) != 0 else { return [] }
                throw HardwareError(.disconnected, operation: "read", device: path, message: "end of file (unplugged?)")
            }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN { return [] }
            throw disconnectedOr(code, operation: "read")
        }
    }

    func interruptRead() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWrite, &byte, 1)   // a full pipe already means: wake up
    }

    func close() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            Glibc.close(fd)
            fd = -1
        }
    }

    deinit {
        close()
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    private func openDescriptor(_ operation: String) throws(HardwareError) -> Int32 {
        let fd = self.fd
        guard fd >= 0 else { throw HardwareError(.disconnected, operation: operation, device: path, message: "the port is closed") }
        return fd
    }

    /// EIO and friends on a tty mean the device went away.
    private func disconnectedOr(_ code: Int32, operation: String) -> HardwareError {
        switch code {
        case EIO, ENXIO, ENODEV, EPIPE:
            HardwareError(.disconnected, operation: operation, device: path, errno: code, message: "\(Syscall.describe(code)) (unplugged?)")
        default:
            HardwareError(errno: code, operation: operation, device: path)
        }
    }

    private func waitWritable(_ fd: Int32) throws(HardwareError) {
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ready = try Syscall.retrying("wait for output (poll)", device: path) { poll(&poller, 1, 2000) }
        // Part of a command may be on the wire already: the port has to be reopened, not retried.
        if ready == 0 { throw HardwareError(.io, operation: "write", device: path, message: "the port did not drain in 2 s") }
        if poller.revents & Int16(POLLOUT) == 0 {
            throw HardwareError(.disconnected, operation: "write", device: path, message: "hang-up (unplugged?)")
        }
    }
}
