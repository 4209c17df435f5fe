import IOToyCore
import IOToyHAL

/// `differential_drive`: two motors (`left`, `right`) as one base, a directory holding each
/// motor's own resources and the functions `drive(linear, angular)` and `stop`.
///
/// `drive` mixes as REP-103 has it (positive angular turns left, counter-clockwise): left =
/// linear − angular, right = linear + angular, both scaled down together when either passes
/// full scale or its motor's limits, so the curve is kept and only the speed drops. Both
/// motors run on one owner, so a drive command reaches both in one operation.
public final class DifferentialDrive: Component {
    let left: Motor
    let right: Motor
    public init(left: Motor, right: Motor) {
        self.left = left
        self.right = right
    }

    private var sides: [(name: String, motor: Motor)] { [("left", left), ("right", right)] }

    public var endpoints: [Endpoint] {
        var endpoints: [Endpoint] = []
        for (name, motor) in sides {
            endpoints += motor.endpoints.map { Endpoint([name] + $0.path, $0.kind) }
        }
        endpoints.append(Endpoint(["drive"], .function(FunctionInfo(
            spec: FunctionSpec(args: [Parameter("linear", .float), Parameter("angular", .float)]),
            help: "Drive: linear -1…1 forward, angular -1…1 counter-clockwise (left) positive"))))
        endpoints.append(Endpoint(["stop"], .function(FunctionInfo(
            spec: FunctionSpec(), help: "Stop both motors at once, each as its safe setting says (coast or brake)"))))
        return endpoints
    }

    public func start() throws {
        try left.start()
        do { try right.start() } catch {
            left.stop()
            throw error
        }
    }

    private func side(_ path: [String]) throws -> (Motor, [String]) {
        switch path.first {
        case "left": return (left, Array(path.dropFirst()))
        case "right": return (right, Array(path.dropFirst()))
        default: throw ComponentError(.noSuchResource, "no such resource")
        }
    }

    public func read(_ path: [String]) throws -> Value {
        let (motor, rest) = try side(path)
        return try motor.read(rest)
    }

    public func write(_ path: [String], value: Value) throws {
        let (motor, rest) = try side(path)
        try motor.write(rest, value: value)
    }

    public func call(_ path: [String], arguments: [Value]) throws -> Value? {
        switch path {
        case ["drive"]:
            guard arguments.count == 2, case .float(let linear) = arguments[0], case .float(let angular) = arguments[1] else {
                throw ComponentError(.badValue, "expected linear and angular, two floats")
            }
            for (name, value) in [("linear", linear), ("angular", angular)] where !(-1...1).contains(value) {
                throw ComponentError(.outOfRange, "\(name) \(value) is outside [-1, 1]", detail: "min -1, max 1")
            }
            let (leftSpeed, rightSpeed) = mix(linear: linear, angular: angular)
            try left.setSpeed(leftSpeed)
            try right.setSpeed(rightSpeed)
            return nil
        case ["stop"]:
            try left.halt(left.configuration.safe)
            try right.halt(right.configuration.safe)
            return nil
        default:
            let (motor, rest) = try side(path)
            return try motor.call(rest, arguments: arguments)
        }
    }

    /// The two wheel speeds for a linear and an angular command, scaled together into full
    /// scale and into each motor's limits.
    func mix(linear: Double, angular: Double) -> (left: Double, right: Double) {
        var leftSpeed = linear - angular, rightSpeed = linear + angular
        var scale = 1.0
        for (speed, motor) in [(leftSpeed, left), (rightSpeed, right)] where speed != 0 {
            let limits = motor.configuration.effectiveLimits
            let bound = speed > 0 ? limits.upperBound : -limits.lowerBound
            scale = min(scale, bound / abs(speed))
        }
        leftSpeed *= scale
        rightSpeed *= scale
        return (leftSpeed, rightSpeed)
    }

    public var isActuator: Bool { true }

    /// Both motors to their safe state; the second is tried even when the first fails.
    public func enterSafeState() throws {
        var failure: (any Error)?
        for (_, motor) in sides {
            do { try motor.enterSafeState() } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    public var hasTimedWork: Bool { left.hasTimedWork || right.hasTimedWork }

    public func nextStep() -> Duration? {
        [left.nextStep(), right.nextStep()].compactMap { $0 }.min()
    }

    public func advance(to now: Duration) throws -> [ComponentEvent] {
        var events: [ComponentEvent] = []
        for (name, motor) in sides {
            events += try motor.advance(to: now).map { ComponentEvent(path: [name] + $0.path, value: $0.value) }
        }
        return events
    }

    public func stop() {
        left.stop()
        right.stop()
    }
}
