import IOToyCore
import IOToyHAL
import Synchronization

/// `hc_sr04`: an ultrasonic ranger on a trigger output and an echo input. Each sample sends
/// the 10 µs trigger pulse and measures the echo's width from the kernel's timestamps of its
/// rising and falling edges (never from clock reads around the waits), so the owner thread's
/// scheduling does not enter the distance.
///
/// Waits are bounded by the round trip to `max_cm`: at most that long for the echo to rise,
/// then that long for it to fall. A ping that finds nothing is not a fault: `distance` and
/// `echo_us` are JSON `null` and `reason` says why; a line that cannot be read or driven is
/// (the component faults and is restarted).
public final class HCSR04: Component {
    /// `reason` after a ping that found its echo (never empty: a dashboard shows every value).
    public static let echoReceived = "echo received"

    /// The fewest milliseconds between pings: the datasheet asks for a cycle over 60 ms, so
    /// an echo of the last ping is never taken for the next.
    public static let shortestPollMs = 60
    /// The trigger pulse the module needs.
    public static let triggerPulse: Duration = .microseconds(10)

    /// What the board file says about the ranger.
    public struct Configuration: Sendable, Hashable {
        public var chip: ChipSelector
        public var trigger: LineSelector
        public var echo: LineSelector
        /// The farthest distance measured, in cm; a longer echo is "nothing within range".
        public var maxCm = 400.0
        /// The speed of sound in m/s (343: dry air at 20 °C); settable at run time.
        public var speedOfSoundMps = 343.0
        public var pollInterval: Duration = .milliseconds(100)
        public var help = "Ultrasonic distance (HC-SR04)"

        public init(chip: ChipSelector, trigger: LineSelector, echo: LineSelector) {
            self.chip = chip
            self.trigger = trigger
            self.echo = echo
        }
    }

    /// The speeds of sound `speed_of_sound` accepts, in m/s (air from about −50 °C to 125 °C).
    public static let speedOfSoundRange = 300.0...450.0

    /// One ping's outcome: a width, or why there is none.
    public enum Ping: Sendable, Hashable {
        case echo(widthNs: UInt64)
        case noEcho(reason: String)
    }

    private let gpio: any GPIOProvider
    private let delay: any BlockingDelay
    private let configuration: Configuration
    private let consumer: String
    private let triggerLine: RequestedLine
    private let echoLine: RequestedLine
    private let speedOfSound: Mutex<Double>
    /// The last ping's values: a fresh read answers them rather than ping again sooner than
    /// the poll interval allows.
    private let lastPing = Mutex<[[String]: Value]>([:])

    public init(gpio: any GPIOProvider, delay: any BlockingDelay, configuration: Configuration, consumer: String) {
        self.gpio = gpio
        self.delay = delay
        self.configuration = configuration
        self.consumer = consumer
        triggerLine = RequestedLine(chip: configuration.chip, line: configuration.trigger)
        echoLine = RequestedLine(chip: configuration.chip, line: configuration.echo)
        speedOfSound = Mutex(configuration.speedOfSoundMps)
    }

    public var endpoints: [Endpoint] {
        [
            Endpoint(["distance"], .attribute(AttributeInfo(
                type: .float, help: "Distance to the nearest obstacle in centimetres; null when the ping found none (see reason)",
                constraints: Constraints(min: 0, max: configuration.maxCm, unit: "cm"), writable: false, sampled: true, nullable: true))),
            Endpoint(["echo_us"], .attribute(AttributeInfo(
                type: .float, help: "The echo's width in microseconds, from the kernel's edge timestamps; null with distance",
                constraints: Constraints(unit: "us"), writable: false, sampled: true, nullable: true))),
            Endpoint(["reason"], .attribute(AttributeInfo(
                type: .str, help: "Why distance is null (no echo, nothing within max_cm); 'echo received' after a good ping",
                writable: false, sampled: true))),
            Endpoint(["speed_of_sound"], .attribute(AttributeInfo(
                type: .float, help: "The speed of sound distances are computed with, in m/s",
                constraints: Constraints(min: Self.speedOfSoundRange.lowerBound, max: Self.speedOfSoundRange.upperBound, unit: "m/s"),
                writable: true))),
        ]
    }

    public var schedule: Schedule { .polled(every: configuration.pollInterval) }

    public func start() throws {
        try triggerLine.open(gpio, settings: LineSettings(direction: .output(initial: false)), consumer: consumer)
        do {
            try echoLine.open(gpio, settings: LineSettings(direction: .input, edge: .both), consumer: consumer)
        } catch {
            triggerLine.release()
            throw error
        }
    }

    /// The round trip of sound to `max_cm` and back, in nanoseconds: the longest echo measured,
    /// and the longest wait for the echo to rise.
    public var roundTripNs: UInt64 {
        UInt64((2 * configuration.maxCm / 100 / speedOfSound.withLock { $0 } * 1e9).rounded(.up))
    }

    public func sample() throws -> [[String]: Value] {
        let speed = speedOfSound.withLock { $0 }
        let values: [[String]: Value]
        switch try ping() {
        case .echo(let widthNs):
            let centimetres = Double(widthNs) / 1e9 * speed * 100 / 2
            values = [["distance"]: .float(centimetres), ["echo_us"]: .float(Double(widthNs) / 1000), ["reason"]: .str(HCSR04.echoReceived)]
        case .noEcho(let reason):
            values = [["distance"]: .json(.null), ["echo_us"]: .json(.null), ["reason"]: .str(reason)]
        }
        lastPing.withLock { $0 = values }
        return values
    }

    /// Sends one trigger pulse and measures the echo. Throws only what the lines throw.
    public func ping() throws -> Ping {
        let trigger = try triggerLine.current(), echo = try echoLine.current()
        _ = try echo.waitForEdgeEvents(timeout: .zero)            // edges of an earlier echo
        try trigger.write(true)
        delay.wait(Self.triggerPulse)
        try trigger.write(false)
        let roundTripNs = roundTripNs
        let window = Duration.nanoseconds(Int64(roundTripNs))
        let limit = Self.milliseconds(roundTripNs)
        var risingNs: UInt64?
        // Each wait ends at the first edges it sees; an edge of an echo that began before the
        // trigger (a falling edge first) is skipped. At most four waits: noise cannot hold the
        // owner longer than that.
        for _ in 0..<4 {
            let edges = try echo.waitForEdgeEvents(timeout: window)
            if edges.isEmpty { break }
            for edge in edges {
                switch (edge.kind, risingNs) {
                case (.rising, nil):
                    risingNs = edge.timestampNs
                case (.falling, let rose?) where edge.timestampNs >= rose:
                    let width = edge.timestampNs - rose
                    guard width <= roundTripNs else {
                        return .noEcho(reason: "nothing within \(Self.number(configuration.maxCm)) cm: the echo lasted \(Self.milliseconds(width)) ms, longer than the \(limit) ms round trip")
                    }
                    return .echo(widthNs: width)
                default:
                    continue
                }
            }
        }
        if risingNs == nil {
            return .noEcho(reason: "no echo: the echo line did not rise within \(limit) ms of the trigger")
        }
        return .noEcho(reason: "nothing within \(Self.number(configuration.maxCm)) cm: the echo was still high \(limit) ms after it rose")
    }

    public func read(_ path: [String]) throws -> Value {
        switch path {
        case ["speed_of_sound"]: return .float(speedOfSound.withLock { $0 })
        case ["distance"], ["echo_us"], ["reason"]:
            _ = try echoLine.current()
            return lastPing.withLock { $0[path] } ?? .json(.null)
        default: throw ComponentError(.noSuchResource, "no such attribute")
        }
    }

    public func write(_ path: [String], value: Value) throws {
        guard path == ["speed_of_sound"] else { throw ComponentError(.readOnly, "this attribute is read-only") }
        let speed: Double
        switch value {
        case .float(let number): speed = number
        case .int(let number): speed = Double(number)
        default: throw ComponentError(.badValue, "expected a speed in m/s")
        }
        guard Self.speedOfSoundRange.contains(speed) else {
            throw ComponentError(.outOfRange, "\(speed) m/s is outside \(Self.number(Self.speedOfSoundRange.lowerBound))…\(Self.number(Self.speedOfSoundRange.upperBound)) m/s",
                                 detail: "min \(Self.number(Self.speedOfSoundRange.lowerBound)), max \(Self.number(Self.speedOfSoundRange.upperBound)) m/s")
        }
        speedOfSound.withLock { $0 = speed }
    }

    public func stop() {
        lastPing.withLock { $0 = [:] }
        triggerLine.release()
        echoLine.release()
    }

    /// Nanoseconds as milliseconds with one decimal: `23.3`.
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let tenths = (nanoseconds + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// A number without a needless `.0`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
