import IOToyHAL
import Synchronization

/// One GPIO line a component holds: requested at start, released at stop, shared by
/// ``GPIOOutput`` and ``GPIOInput``.
final class RequestedLine: Sendable {
    let chip: ChipSelector
    let line: LineSelector
    private let request = Mutex<(any GPIOLineRequest)?>(nil)

    init(chip: ChipSelector, line: LineSelector) {
        self.chip = chip
        self.line = line
    }

    /// A name for errors: `pinctrl-bcm2711 line GPIO17`.
    var device: String { "\(chip) line \(line)" }

    /// Releases any previous request, then requests the line with `settings`.
    func open(_ gpio: any GPIOProvider, settings: LineSettings, consumer: String) throws {
        release()
        let opened = try gpio.openChip(chip)
        defer { opened.close() }
        let requested = try opened.requestLine(line, settings: settings, consumer: consumer)
        request.withLock { $0 = requested }
    }

    /// The live request, or a `not started` error.
    func current() throws -> any GPIOLineRequest {
        guard let requested = request.withLock({ $0 }) else { throw notStarted(device) }
        return requested
    }

    /// The live request, if any.
    var ifOpen: (any GPIOLineRequest)? { request.withLock { $0 } }

    /// Gives the line back to the kernel.
    func release() {
        request.withLock { requested in
            requested?.release()
            requested = nil
        }
    }
}
