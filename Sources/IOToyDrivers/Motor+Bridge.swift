import IOToyHAL

extension Motor {
    /// A PWM state at `fraction` of the motor's period.
    func duty(_ fraction: Double) -> PWMState {
        let period = configuration.periodNs
        return PWMState(periodNs: period, dutyNs: UInt64((Double(period) * min(max(fraction, 0), 1)).rounded()), enabled: true)
    }

    /// Drives the bridge at `speed` (−1…1, before `invert`). The PWM that will not carry the
    /// new direction goes to 0 first, so both directions are never driven at once.
    func drive(_ hardware: Opened, _ speed: Double) throws {
        let pin = configuration.invert ? -speed : speed
        switch configuration.wiring {
        case .pwmAndDirection:
            let forward = pin >= 0
            if let direction = hardware.direction, state.withLock({ $0.forward }) != forward {
                try hardware.first.apply(duty(0))
                try direction.set(forward)
                state.withLock { $0.forward = forward }
            }
            try hardware.standby?.set(true)
            try hardware.first.apply(duty(abs(pin)))
        case .twoInputs:
            guard let second = hardware.second else { return }
            let (driven, idle) = pin >= 0 ? (hardware.first, second) : (second, hardware.first)
            try idle.apply(duty(0))
            try driven.apply(duty(abs(pin)))
        }
    }

    /// Stops the bridge. `pwm_dir`: PWM 0 (the driver's own stop: a short brake on a TB6612
    /// or DRV8838) and, to coast, standby off — without a standby input coast and brake are
    /// the same. `in1_in2`: both inputs low coasts, both high brakes.
    func halt(_ hardware: Opened, _ stop: Stop) throws {
        switch configuration.wiring {
        case .pwmAndDirection:
            try hardware.first.apply(duty(0))
            try hardware.standby?.set(stop == .brake)
        case .twoInputs:
            try hardware.first.apply(duty(0))
            try hardware.second?.apply(duty(0))
            if stop == .brake {
                try hardware.first.apply(duty(1))
                try hardware.second?.apply(duty(1))
            }
        }
    }

    public var hasTimedWork: Bool { configuration.rampPerS > 0 }

    public func nextStep() -> Duration? {
        state.withLock { $0.opened != nil && $0.applied != $0.target } ? Configuration.rampStep : nil
    }

    /// Moves the applied speed toward the target by at most `ramp_per_s` × the time since the
    /// last step. The first step after a command starts the clock; it changes nothing.
    public func advance(to now: Duration) throws -> [ComponentEvent] {
        let (hardware, from, target, lastStep) = state.withLock { ($0.opened, $0.applied, $0.target, $0.lastStep) }
        guard let hardware, from != target, configuration.rampPerS > 0 else {
            state.withLock { $0.lastStep = nil }
            return []
        }
        guard let lastStep else {
            state.withLock { $0.lastStep = now }
            return []
        }
        let reach = configuration.rampPerS * max(Double((now - lastStep).totalNanoseconds) / 1e9, 0)
        let next = abs(target - from) <= reach ? target : from + (target > from ? reach : -reach)
        try drive(hardware, next)
        state.withLock {
            $0.applied = next
            $0.lastStep = next == $0.target ? nil : now
        }
        return [ComponentEvent(path: ["applied_speed"], value: .float(next))]
    }
}
