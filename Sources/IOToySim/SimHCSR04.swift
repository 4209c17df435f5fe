import IOToyHAL
import Synchronization

/// An HC-SR04 ultrasonic ranger at the line level: it watches its trigger line and answers
/// every pulse (a rise, then a fall) with an echo on its echo line whose width is the round
/// trip to the obstacle, stamped as the kernel would stamp the edges. Nothing waits: both
/// edges are queued at once with their timestamps, so a driver that measures the width from
/// the edges' timestamps reads the distance exactly.
///
/// The echo rises ``echoDelayNs`` after the trigger falls (the module's eight 40 kHz cycles,
/// then the echo), and is `2 × distance / speed of sound` long. With no obstacle
/// (``distanceCm`` nil) it stays low; ``holdsEchoHigh`` keeps it high after the rise (a module
/// waiting for an echo that never comes).
public final class SimHCSR04: Sendable {
    /// What the model answers.
    struct Scene {
        var distanceCm: Double? = 100
        var speedOfSoundMps = 343.0
        var holdsEchoHigh = false
        var pulses = 0
        var risenAtNs: UInt64?
        var lastTriggerNs: UInt64?
    }

    /// How long after the trigger's falling edge the echo rises.
    public static let echoDelayNs: UInt64 = 450_000

    private let chip: SimGPIOChip
    private let echo: LineSelector
    private let scene = Mutex(Scene())

    /// Attaches a model to `chip`: it watches `trigger` and drives `echo`. Echo waits that find
    /// no edge return at once (simulated time), so a missing echo costs no real time.
    public init(chip: SimGPIOChip, trigger: LineSelector, echo: LineSelector) throws(HardwareError) {
        self.chip = chip
        self.echo = echo
        try chip.setWaitsExpireAtOnce(true, line: echo)
        try chip.observeOutput(line: trigger) { [weak self] level, timestampNs in
            self?.triggerChanged(to: level, at: timestampNs)
        }
    }

    /// The obstacle's distance in centimetres; nil: nothing answers (the echo never rises).
    public var distanceCm: Double? {
        get { scene.withLock { $0.distanceCm } }
        set { scene.withLock { $0.distanceCm = newValue } }
    }

    /// The speed of sound the echo's width is computed with, in m/s (343: dry air at 20 °C).
    public var speedOfSoundMps: Double {
        get { scene.withLock { $0.speedOfSoundMps } }
        set { scene.withLock { $0.speedOfSoundMps = newValue } }
    }

    /// When true the echo rises and stays high: the answer never ends.
    public var holdsEchoHigh: Bool {
        get { scene.withLock { $0.holdsEchoHigh } }
        set { scene.withLock { $0.holdsEchoHigh = newValue } }
    }

    /// How many trigger pulses (rise then fall) the model has seen.
    public var triggerPulses: Int { scene.withLock { $0.pulses } }

    /// The timestamp of the last trigger pulse's falling edge, in nanoseconds.
    public var lastTriggerNs: UInt64? { scene.withLock { $0.lastTriggerNs } }

    /// The echo's width for `distanceCm` at the model's speed of sound, in nanoseconds.
    public func echoWidthNs(forCm distanceCm: Double) -> UInt64 {
        UInt64((2 * distanceCm / 100 / speedOfSoundMps * 1e9).rounded())
    }

    private func triggerChanged(to level: Bool, at timestampNs: UInt64) {
        let answer: (rise: UInt64, fall: UInt64?)? = scene.withLock { scene in
            if level {
                scene.risenAtNs = timestampNs
                return nil
            }
            guard scene.risenAtNs != nil else { return nil }
            scene.risenAtNs = nil
            scene.pulses += 1
            scene.lastTriggerNs = timestampNs
            guard let distance = scene.distanceCm else { return nil }
            let rise = timestampNs + Self.echoDelayNs
            let width = UInt64((2 * distance / 100 / scene.speedOfSoundMps * 1e9).rounded())
            return (rise, scene.holdsEchoHigh ? nil : rise + width)
        }
        guard let answer else { return }
        try? chip.setExternalLevel(true, line: echo, timestampNs: answer.rise)
        if let fall = answer.fall { try? chip.setExternalLevel(false, line: echo, timestampNs: fall) }
    }
}
