import Synchronization

extension SimIOToyDevice {
    /// The simulated devices `--simulate` can put on a port, by the name a board file gives
    /// as `simulate:` — the same tables as the firmware examples under `Firmware/examples`.
    public static func example(named name: String) -> SimIOToyDevice? {
        switch name {
        case "testhost": testHost()
        case "bothost": botHost()
        case "legcontroller": legController()
        default: nil
        }
    }

    /// The example names.
    public static let exampleNames = ["testhost", "bothost", "legcontroller"]

    /// Every type, like the original TestHostTiny (`Firmware/examples/TestHost`).
    public static func testHost(id: String = "testhost") -> SimIOToyDevice {
        let calls = Mutex(0)
        @Sendable func count() -> Int { calls.withLock { $0 += 1; return $0 } }
        return SimIOToyDevice(
            id: id,
            attributes: [
                Attribute("drive_forward_time_ms:int - How long to move forward"),
                Attribute("turn_time_ms:int - How long to turn, 0 to 10000", range: 0...10000),
                Attribute("str_id:str - Sample string attribute (up to 23 characters)"),
                Attribute("ratio:float - Sample float attribute"),
                Attribute("some_flag:bool - Sample boolean attribute"),
            ],
            initialValues: ["drive_forward_time_ms": "1000", "turn_time_ms": "800", "str_id": "testhost", "ratio": "0.5"],
            functions: [
                Function("one_arg_int_result_int myarg:int -> result:int - test, one arg, one result, both ints") { _ = count(); return .result($0[0]) },
                Function("barecommand -> - test, no args, no result") { _ in _ = count(); return .none },
                Function("no_arg_result_int -> calls:int - Count the function calls so far") { _ in .result(String(count())) },
                // As the firmware: a sum beyond 32 bits is refused, not wrapped.
                Function("add a:int b:int -> sum:int - Add two integers") { arguments in
                    _ = count()
                    guard let a = Int32(arguments[0]), let b = Int32(arguments[1]) else { return .badValue }
                    let (sum, overflow) = a.addingReportingOverflow(b)
                    return overflow ? .badValue : .result(String(sum))
                },
                Function("scale x:float factor:float -> product:float - Multiply two floats") { _ = count(); return .result(String(Double($0[0])! * Double($0[1])!)) },
                Function("echo text:str -> text:str - Answer the rest of the line") { _ = count(); return .result($0[0]) },
                Function("not flag:bool -> result:bool - Negate a boolean") { _ = count(); return .result($0[0] == "True" ? "False" : "True") },
                Function("divide a:int b:int -> quotient:int - Integer division, fails on 0") { arguments in
                    _ = count()
                    guard let dividend = Int32(arguments[0]), let divisor = Int32(arguments[1]), divisor != 0 else { return .badValue }
                    let (quotient, overflow) = dividend.dividedReportingOverflow(by: divisor)   // -2147483648 / -1
                    return overflow ? .badValue : .result(String(quotient))
                },
                Function("label n:int text:str -> labelled:str - Number and text") { _ = count(); return .result("\($0[0]): \($0[1])") },
                Function("slow ms:int -> - Answer after ms milliseconds without blocking loop()", duration: { .milliseconds(Int($0[0]) ?? 0) }) { arguments in
                    _ = count()
                    return (Int(arguments[0]) ?? -1) < 0 ? .badValue : .none
                },
            ])
    }

    /// Two continuous-rotation wheels (`Firmware/examples/BotHost`): moves answer when they end.
    public static func botHost(id: String = "bothost") -> SimIOToyDevice {
        let move = { (name: String, what: String, defaultKey: String) in
            Function("\(name) ms:int -> - \(what) for ms milliseconds (0: \(defaultKey))", duration: { .milliseconds(max(0, Int($0[0]) ?? 0)) }) {
                (Int($0[0]) ?? -1) < 0 ? .badValue : .none
            }
        }
        return SimIOToyDevice(
            id: id,
            attributes: [
                Attribute("drive_forward_time_ms:int - Default forward/backward time (ms)", range: 0...30000),
                Attribute("turn_time_ms:int - Default turn time (ms)", range: 0...30000),
                Attribute("speed:int - Wheel speed in percent, 0 to 100", range: 0...100),
            ],
            initialValues: ["drive_forward_time_ms": "1500", "turn_time_ms": "800", "speed": "100"],
            functions: [
                move("forward", "Drive forward", "drive_forward_time_ms"),
                move("backward", "Drive backward", "drive_forward_time_ms"),
                move("left", "Turn left on the spot", "turn_time_ms"),
                move("right", "Turn right on the spot", "turn_time_ms"),
                Function("stop -> - Stop both wheels") { _ in .none },
            ])
    }

    /// One leg, two positional servos with limits (`Firmware/examples/LegController`).
    public static func legController(id: String = "legcontroller") -> SimIOToyDevice {
        SimIOToyDevice(
            id: id,
            attributes: [
                Attribute("lift:int - Lift servo angle in degrees, 20 to 160 (D9)", range: 20...160),
                Attribute("swing:int - Swing servo angle in degrees, 30 to 150 (D10)", range: 30...150),
            ],
            initialValues: ["lift": "90", "swing": "90"],
            functions: [
                Function("move lift:int swing:int -> - Set both angles at once (degrees)", acting: { device, arguments in
                    guard let lift = Int(arguments[0]), let swing = Int(arguments[1]), (20...160).contains(lift), (30...150).contains(swing) else {
                        return .badValue
                    }
                    device.setValue(String(lift), of: "lift")
                    device.setValue(String(swing), of: "swing")
                    return .none
                }),
                Function("center -> - Move both servos to 90 degrees", acting: { device, _ in
                    device.setValue("90", of: "lift")
                    device.setValue("90", of: "swing")
                    return .none
                }),
            ])
    }
}
