import CGPIOD
import Glibc
import IOToyHAL
import Synchronization

/// A requested line. Its owner reads edge events from the request's file descriptor after
/// poll(2) says they are there, with the kernel's timestamps (CLOCK_MONOTONIC). With libgpiod
/// v1 a debounce period is applied in software (``SoftwareDebouncer``).
///
/// Single owner; the lock only makes `release()` from shutdown safe, and is held through a
/// bounded wait, so a release waits at most one wait's timeout.
final class LinuxGPIOLineRequest: GPIOLineRequest {
    let offset: Int
    let device: String
    private let settings: LineSettings
    private let state: Mutex<State>

    struct State {
        var request: ShimHandle?
        var debouncer: SoftwareDebouncer?
    }

    init(request: OpaquePointer, offset: Int, device: String, settings: LineSettings, softwareDebounce: Duration?) {
        self.offset = offset
        self.device = device
        self.settings = settings
        var debouncer: SoftwareDebouncer?
        if let softwareDebounce, softwareDebounce > .zero, settings.edge != .none {
            let level = iotoy_gpio_request_get_value(request) == 1
            debouncer = SoftwareDebouncer(window: softwareDebounce, edge: settings.edge, offset: offset, level: level)
        }
        self.state = Mutex(State(request: ShimHandle(pointer: request), debouncer: debouncer))
    }

    deinit { release() }

    func read() throws(HardwareError) -> Bool {
        try withRequest("read") { request, _ throws(HardwareError) in
            try Syscall.retrying("read", device: device) { iotoy_gpio_request_get_value(request) } == 1
        }
    }

    func write(_ value: Bool) throws(HardwareError) {
        guard case .output = settings.direction else {
            throw HardwareError(.unsupported, operation: "write", device: device, errno: EPERM, message: "line is an input")
        }
        try withRequest("write") { request, _ throws(HardwareError) in
            _ = try Syscall.retrying("write \(value ? 1 : 0)", device: device) { iotoy_gpio_request_set_value(request, value ? 1 : 0) }
        }
    }

    func waitForEdgeEvents(timeout: Duration) throws(HardwareError) -> [EdgeEvent] {
        guard settings.edge != .none else {
            // Nothing can arrive: wait out the timeout, as on a simulated line.
            _ = poll(nil, 0, timeout.pollMilliseconds)
            return []
        }
        return try withRequest("wait for edge events") { request, debouncer throws(HardwareError) in
            var wait = timeout.pollMilliseconds
            if let due = debouncer?.checkDueNs {
                let now = Monotonic.nanoseconds()
                wait = min(wait, Int32(clamping: due > now ? (due - now + 999_999) / 1_000_000 : 0))
            }
            var events = try readEvents(request, waitMilliseconds: wait)
            if debouncer != nil {
                events = debouncer!.filter(events)
                if let due = debouncer!.checkDueNs, Monotonic.nanoseconds() >= due {
                    let level = try Syscall.retrying("read", device: device) { iotoy_gpio_request_get_value(request) } == 1
                    if let settled = debouncer!.settle(level: level, nowNs: Monotonic.nanoseconds()) { events.append(settled) }
                }
            }
            return events
        }
    }

    /// Polls the request's fd for up to `waitMilliseconds` and reads every queued event.
    private func readEvents(_ request: OpaquePointer, waitMilliseconds: Int32) throws(HardwareError) -> [EdgeEvent] {
        let fd = iotoy_gpio_request_fd(request)
        guard fd >= 0 else { throw HardwareError(errno: errno, operation: "get the event descriptor", device: device) }
        var events: [EdgeEvent] = []
        var wait = waitMilliseconds
        // Drain what is queued (bounded: a line chattering faster than this is read next time).
        for _ in 0..<8 {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = try Syscall.retrying("wait for edge events (poll)", device: device) { poll(&poller, 1, wait) }
            if ready == 0 { break }
            if poller.revents & Int16(POLLIN) == 0 {
                throw HardwareError(.disconnected, operation: "wait for edge events", device: device,
                                    message: "the chip went away (poll revents 0x\(String(poller.revents, radix: 16)))")
            }
            var buffer = [iotoy_gpio_edge_event](repeating: iotoy_gpio_edge_event(), count: 16)
            let count = try Syscall.retrying("read edge events", device: device) {
                buffer.withUnsafeMutableBufferPointer { iotoy_gpio_request_read_edge_events(request, $0.baseAddress, Int32($0.count)) }
            }
            events += buffer[..<Int(count)].map { raw in
                EdgeEvent(kind: raw.rising != 0 ? .rising : .falling, timestampNs: raw.timestamp_ns, offset: Int(raw.offset))
            }
            if count < 16 { break }
            wait = 0
        }
        return events
    }

    func release() {
        state.withLock { state in
            if let request = state.request { iotoy_gpio_request_release(request.pointer) }
            state.request = nil
        }
    }

    private func withRequest<T>(
        _ operation: String, _ body: (OpaquePointer, inout SoftwareDebouncer?) throws(HardwareError) -> T
    ) throws(HardwareError) -> T {
        let result: Result<T, HardwareError> = state.withLock { state in
            guard let request = state.request else {
                return .failure(HardwareError(.notFound, operation: operation, device: device, message: "line released"))
            }
            do throws(HardwareError) { return .success(try body(request.pointer, &state.debouncer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
