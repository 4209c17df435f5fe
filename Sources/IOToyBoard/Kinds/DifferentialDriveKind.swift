import IOToyDrivers
import IOToyHAL

/// `differential_drive`: two motors, `left` and `right`, each written as a `motor` entry is
/// (without `kind`), on one chip's owner.
enum DifferentialDriveKind {
    static let kind = ComponentKind(
        name: "differential_drive", summary: "two motors as a base: drive(linear, angular), stop",
        keys: ["left", "right", "failsafe_ms"]
    ) { map, context in
        var motors: [MotorKind.Plan] = []
        var fields: [Field] = []
        for side in ["left", "right"] {
            guard let field = map.required(side, "the \(side) motor: pwm + dir or in1 + in2, as a motor entry"),
                  let sideMap = field.mapping() else { continue }
            let motor = MotorKind.read(sideMap, context)
            sideMap.finish(known: MotorKind.wiringKeys + MotorKind.settingKeys)
            if let motor {
                motors.append(motor)
                fields.append(field)
            }
        }
        let failsafe = map.optional("failsafe_ms")?.failsafe()
        guard motors.count == 2, failsafe != .some(.invalid) else { return nil }
        let (left, right) = (motors[0], motors[1])
        guard left.owner == right.owner else {
            fields[1].error("the right motor's PWM is on \(right.owner), the left's on \(left.owner); put both motors' PWM inputs on one chip so one owner drives the base")
            return nil
        }
        return ComponentPlan(
            claims: left.claims + right.claims, owner: left.owner, help: "Differential drive: left and right motors",
            simulated: left.simulated + right.simulated, failsafe: failsafe?.duration
        ) { build, _ in
            DifferentialDrive(left: left.build(build), right: right.build(build))
        }
    }
}
