import IOToyCore
import IOToyHAL
import Synchronization

/// A simulated pwmchip whose channels check what the kernel checks (duty ≤ period, a period
/// before enabling) and record every state they are given: the waveform over time.
public final class SimPWMChip: Sendable {
    /// A recorded state change.
    public struct Record: Sendable, Hashable {
        public let channel: Int
        public let state: PWMState
    }

    public let name: String
    public let channelCount: Int
    private let state: Mutex<State>

    struct State {
        var channels: [PWMState]
        var exported: Set<Int> = []
        var history: [Record] = []
    }

    public init(name: String, channelCount: Int) {
        self.name = name
        self.channelCount = channelCount
        self.state = Mutex(State(channels: Array(repeating: .off, count: channelCount)))
    }

    /// The state channel `channel` has now.
    public func state(of channel: Int) -> PWMState? {
        state.withLock { $0.channels.indices.contains(channel) ? $0.channels[channel] : nil }
    }

    /// Every state applied so far, oldest first.
    public var history: [Record] { state.withLock { $0.history } }

    /// The chip as JSON for the simulation view.
    public func snapshot() -> JSONValue {
        state.withLock { state in
            .array(state.channels.indices.map { index in
                let channel = state.channels[index]
                return .object([
                    "channel": .int(index),
                    "exported": .bool(state.exported.contains(index)),
                    "period_ns": .int(Int(channel.periodNs)),
                    "duty_ns": .int(Int(channel.dutyNs)),
                    "enabled": .bool(channel.enabled),
                    "polarity": .string(channel.polarity.rawValue),
                ])
            })
        }
    }

    func export(_ channel: Int) throws(HardwareError) -> SimPWMChannel {
        let result: Result<SimPWMChannel, HardwareError> = state.withLock { state in
            guard state.channels.indices.contains(channel) else {
                return .failure(HardwareError(.notFound, operation: "export", device: "\(name)/pwm\(channel)", errno: 19))
            }
            guard state.exported.insert(channel).inserted else {
                return .failure(HardwareError(.busy, operation: "export", device: "\(name)/pwm\(channel)", errno: 16))
            }
            return .success(SimPWMChannel(chip: self, channel: channel))
        }
        return try result.get()
    }

    func apply(_ new: PWMState, channel: Int) throws(HardwareError) {
        let device = "\(name)/pwm\(channel)"
        if new.dutyNs > new.periodNs {
            throw HardwareError(.unsupported, operation: "apply", device: device, errno: 22, message: "duty above period")
        }
        if new.enabled && new.periodNs == 0 {
            throw HardwareError(.unsupported, operation: "enable", device: device, errno: 22, message: "no period set")
        }
        state.withLock { state in
            guard state.channels[channel] != new else { return }
            state.channels[channel] = new
            state.history.append(Record(channel: channel, state: new))
        }
    }

    func unexport(_ channel: Int) {
        state.withLock { state in
            if state.channels[channel].enabled {
                state.channels[channel].enabled = false
                state.history.append(Record(channel: channel, state: state.channels[channel]))
            }
            state.exported.remove(channel)
        }
    }
}

/// An exported channel of a simulated pwmchip.
struct SimPWMChannel: PWMChannel {
    let chip: SimPWMChip
    let channel: Int

    var name: String { "\(chip.name)/pwm\(channel)" }

    func apply(_ state: PWMState) throws(HardwareError) { try chip.apply(state, channel: channel) }

    func currentState() throws(HardwareError) -> PWMState { chip.state(of: channel) ?? .off }

    func release() { chip.unexport(channel) }
}

/// Simulated pwmchips by name.
public final class SimPWMProvider: PWMProvider {
    private let chips = Mutex<[String: SimPWMChip]>([:])

    public init() {}

    /// Adds a chip.
    public func add(_ chip: SimPWMChip) {
        chips.withLock { $0[chip.name] = chip }
    }

    /// The chip called `name`, if any.
    public func chip(_ name: String) -> SimPWMChip? { chips.withLock { $0[name] } }

    /// All chips by name.
    public var allChips: [String: SimPWMChip] { chips.withLock { $0 } }

    public func openChannel(chip: String, channel: Int) throws(HardwareError) -> any PWMChannel {
        guard let found = self.chip(chip) else {
            throw HardwareError(.notFound, operation: "open", device: "/sys/class/pwm/\(chip)", errno: 2)
        }
        return try found.export(channel)
    }
}
