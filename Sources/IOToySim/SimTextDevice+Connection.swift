import Foundation
import IOToyHAL

/// One open connection to a ``SimTextDevice``. Its state lives in the device, under the
/// device's lock, so the device can speak and be unplugged from any thread.
final class SimTextConnection: SerialConnection, @unchecked Sendable {
    let path: String
    let clock: SimSerialClock
    private let device: SimTextDevice
    private let chunkBytes: Int
    // Guarded by the device's lock.
    private var hungUp = false
    private var closed = false
    private var interrupted = false

    init(path: String, device: SimTextDevice, clock: SimSerialClock, chunkBytes: Int) {
        self.path = path
        self.device = device
        self.clock = clock
        self.chunkBytes = max(1, chunkBytes)
    }

    func write(_ bytes: [UInt8]) throws(HardwareError) {
        let lock = device.lock
        lock.lock()
        defer { lock.unlock() }
        try checkOpen("write")
        device.take(bytes, now: clock.now())
    }

    func read(timeout: Duration) throws(HardwareError) -> [UInt8] {
        let lock = device.lock
        lock.lock()
        defer { lock.unlock() }
        let deadline = clock.now() + timeout
        while true {
            try checkOpen("read")
            if let chunk = device.readable(at: clock.now(), limit: chunkBytes) { return chunk }
            if interrupted {
                interrupted = false
                return []
            }
            guard clock.now() < deadline else { return [] }
            clock.wait(on: lock, until: min(deadline, device.nextReadable ?? deadline))
        }
    }

    func interruptRead() {
        device.lock.lock()
        interrupted = true
        device.lock.broadcast()
        device.lock.unlock()
    }

    func close() {
        device.lock.lock()
        markClosed()
        device.lock.unlock()
    }

    /// Called with the device's lock held.
    func markClosed() {
        closed = true
        device.lock.broadcast()
    }

    /// The cable is pulled (called with the device's lock held).
    func markHungUp() {
        hungUp = true
        device.lock.broadcast()
    }

    private func checkOpen(_ operation: String) throws(HardwareError) {
        if hungUp { throw HardwareError(.disconnected, operation: operation, device: path, errno: 5, message: "hang-up (simulated unplug)") }
        if closed { throw HardwareError(.disconnected, operation: operation, device: path, message: "the port is closed") }
    }
}
