import IOToyHAL
import Synchronization

/// A simulated device on a port that is not an IOTOY microcontroller (a text-protocol module,
/// ``SimTextDevice``): it makes its own connections.
public protocol SimSerialPeer: AnyObject, Sendable {
    /// A name for ``SimSerialProvider/ports``.
    var id: String { get }
    /// A new connection; the previous one, if any, is closed.
    func connect(path: String, clock: SimSerialClock, chunkBytes: Int) -> any SerialConnection
    /// The cable is pulled: the open connection fails from now on.
    func hangUp()
}

/// Serial ports with simulated devices on them (IOTOY microcontrollers, or any
/// ``SimSerialPeer``), which tests can unplug and plug back.
public final class SimSerialProvider: SerialProvider {
    private struct Slot {
        var device: SimIOToyDevice
        var plugged = true
        var open: SimSerialPort?
        var opened = 0
    }

    public let clock: SimSerialClock
    /// Reads return at most this many bytes (1 in tests that split every line).
    public let chunkBytes: Int
    /// How long a device takes after open before its ready line (an Uno's bootloader).
    public let bootDelay: Duration
    private let slots = Mutex<[String: Slot]>([:])
    private let peers = Mutex<[String: (peer: any SimSerialPeer, plugged: Bool, opened: Int)]>([:])

    public init(clock: SimSerialClock = .realTime(), chunkBytes: Int = 64, bootDelay: Duration = .zero) {
        self.clock = clock
        self.chunkBytes = chunkBytes
        self.bootDelay = bootDelay
    }

    /// Puts `device` on the port `path`.
    public func attach(_ device: SimIOToyDevice, at path: String) {
        slots.withLock { $0[path] = Slot(device: device) }
    }

    /// Puts a device of another kind (``SimTextDevice``) on the port `path`.
    public func attach(_ peer: any SimSerialPeer, at path: String) {
        peers.withLock { $0[path] = (peer, true, 0) }
    }

    /// The device on `path`, if any.
    public func device(at path: String) -> SimIOToyDevice? { slots.withLock { $0[path]?.device } }

    /// The device of another kind on `path`, if any.
    public func peer(at path: String) -> (any SimSerialPeer)? { peers.withLock { $0[path]?.peer } }

    /// The ports and their devices' ids.
    public var ports: [String: String] {
        slots.withLock { $0.mapValues(\.device.id) }.merging(peers.withLock { $0.mapValues(\.peer.id) }) { first, _ in first }
    }

    /// How many times `path` was opened.
    public func openCount(_ path: String) -> Int { slots.withLock { $0[path]?.opened } ?? peers.withLock { $0[path]?.opened ?? 0 } }

    /// Pulls the cable: the open connection hangs up and the port disappears.
    public func unplug(_ path: String) {
        if let peer = peers.withLock({ peers -> (any SimSerialPeer)? in
            peers[path]?.plugged = false
            return peers[path]?.peer
        }) {
            peer.hangUp()
        }
        let port = slots.withLock { slots -> SimSerialPort? in
            slots[path]?.plugged = false
            defer { slots[path]?.open = nil }
            return slots[path]?.open
        }
        port?.hangUp()
    }

    /// Presses the device's reset button: it prints its ready line on the open connection.
    public func reset(_ path: String) {
        guard let (port, device) = slots.withLock({ slots in slots[path].flatMap { slot in slot.open.map { ($0, slot.device) } } }) else { return }
        port.emit(device.readyLine)
    }

    /// The device on `path` prints `line` unasked, once it has answered what it is busy with.
    public func emit(_ line: String, at path: String) {
        slots.withLock { $0[path]?.open }?.emit(line)
    }

    /// Plugs the cable back, optionally with a different sketch flashed.
    public func replug(_ path: String, device: SimIOToyDevice? = nil) {
        peers.withLock { $0[path]?.plugged = true }
        slots.withLock { slots in
            slots[path]?.plugged = true
            if let device { slots[path]?.device = device }
        }
    }

    public func open(path: String, baud: Int) throws(HardwareError) -> any SerialConnection {
        if let peer = try openPeer(path) { return peer }
        let result = slots.withLock { slots -> Result<SimSerialPort, HardwareError> in
            guard var slot = slots[path], slot.plugged else {
                return .failure(HardwareError(.notFound, operation: "open", device: path, errno: 2, message: "no such port (unplugged?)"))
            }
            let port = SimSerialPort(path: path, device: slot.device, clock: clock, chunkBytes: chunkBytes, bootDelay: bootDelay)
            slot.open = port
            slot.opened += 1
            slots[path] = slot
            return .success(port)
        }
        return try result.get()
    }

    /// A connection to the peer on `path`; nil when `path` holds none.
    private func openPeer(_ path: String) throws(HardwareError) -> (any SerialConnection)? {
        let found = peers.withLock { peers -> (peer: any SimSerialPeer, plugged: Bool)? in
            guard let slot = peers[path] else { return nil }
            if slot.plugged { peers[path]?.opened += 1 }
            return (slot.peer, slot.plugged)
        }
        guard let found else { return nil }
        guard found.plugged else {
            throw HardwareError(.notFound, operation: "open", device: path, errno: 2, message: "no such port (unplugged?)")
        }
        return found.peer.connect(path: path, clock: clock, chunkBytes: chunkBytes)
    }
}
