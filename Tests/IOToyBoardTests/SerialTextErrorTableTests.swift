import Testing
@testable import IOToyBoard

/// The board error table's rows for `serial_text`: each refused at its own key, with one error.
@Suite struct SerialTextErrorTableTests {
    static func row(_ name: String, _ body: String, _ keyPath: String, _ message: String) -> BoardErrorTableTests.Case {
        BoardErrorTableTests.Case(name: name, marked: BoardErrorTableTests.serialHeader + body, keyPath: keyPath, message: message)
    }

    /// One attribute `a` on the device `t`, written as `attribute`.
    static func attribute(_ name: String, _ attribute: String, _ keyPath: String, _ message: String) -> BoardErrorTableTests.Case {
        row(name, "  t: { kind: serial_text, serial: nano, attributes: { a: \(attribute) } }\n", "resources.t.attributes.a" + keyPath, message)
    }

    static let cases: [BoardErrorTableTests.Case] = [
        row("a text device on a port nobody declared", "  t: { kind: serial_text, serial: ⟨uno, attributes: { a: { type: int, read: { pattern: \"(?<value>.*)\" } } } }\n",
            "resources.t.serial", "no hardware entry 'uno'"),
        row("a text device and an IOTOY device on one port",
            "  a: { kind: iotoy_serial, serial: nano }\n  t: { kind: serial_text, serial: ⟨nano, functions: { off: { send: \"OFF\" } } }\n",
            "resources.t.serial", "serial nano is already used by /a"),
        row("a text device with nothing to offer", "  t: ⟨{ kind: serial_text, serial: nano }\n",
            "resources.t", "needs 'attributes' or 'functions'"),
        row("a newline that is not one", #"  t: { kind: serial_text, serial: nano, newline: ⟨"\t", functions: { off: { send: "OFF" } } }"# + "\n",
            "resources.t.newline", #"newline must be one of "\r\n", "\n", "\r""#),
        row("a text device's timeout of nothing", "  t: { kind: serial_text, serial: nano, timeout_ms: ⟨0, functions: { off: { send: \"OFF\" } } }\n",
            "resources.t.timeout_ms", "outside 10…600000"),
        row("an error pattern that does not compile", #"  t: { kind: serial_text, serial: nano, error: ⟨"^ERR(", functions: { off: { send: "OFF" } } }"# + "\n",
            "resources.t.error", "is not a valid pattern"),
        row("an attribute name that is no resource name",
            #"  t: { kind: serial_text, serial: nano, attributes: { ⟨relay-1: { type: bool, read: { pattern: "(?<value>.*)" } } } }"# + "\n",
            "resources.t.attributes.relay-1", "not a valid attribute name"),
        row("a function named like an attribute",
            #"  t: { kind: serial_text, serial: nano, attributes: { off: { type: int, read: { pattern: "(?<value>.*)" } } }, functions: { ⟨off: { send: "OFF" } } }"# + "\n",
            "resources.t.functions.off", "'off' is already an attribute"),
        row("a function without its line", "  t: { kind: serial_text, serial: nano, functions: { off: ⟨{ expect: OK } } }\n",
            "resources.t.functions.off", "missing 'send'"),
        attribute("an attribute of no known type", #"{ type: ⟨double, read: { pattern: "(?<value>.*)" } }"#,
                  ".type", "'double' is not one of int, float, bool, str"),
        attribute("an attribute that cannot be read", "⟨{ type: int, write: { send: \"SET {value}\" } }",
                  "", "missing 'read'"),
        attribute("a read pattern that does not compile", #"{ type: float, read: { query: "T?", pattern: ⟨"T=(?<value>[0-9" } }"#,
                  ".read.pattern", "is not a valid pattern"),
        attribute("a read pattern without the value capture", #"{ type: float, read: { query: "T?", pattern: ⟨"^T=[0-9.]+$" } }"#,
                  ".read.pattern", "has no named capture (?<value>…)"),
        attribute("a misspelt query", #"{ type: float, read: { ⟨qeury: "T?", pattern: "(?<value>.*)" } }"#,
                  ".read.qeury", "unknown key 'qeury' (did you mean 'query'?)"),
        attribute("a query of two lines", #"{ type: float, read: { query: ⟨"T?\nH?", pattern: "(?<value>.*)" } }"#,
                  ".read.query", "cannot contain a line break"),
        attribute("a write line without the value", #"{ type: bool, read: { pattern: "(?<value>.*)" }, write: { send: ⟨"RELAY1 ON" } }"#,
                  ".write.send", "has no {value}"),
        attribute("an acknowledgement that does not compile",
                  #"{ type: bool, read: { pattern: "(?<value>.*)" }, write: { send: "R {value}", expect: ⟨"OK[" } }"#,
                  ".write.expect", "is not a valid pattern"),
        attribute("decimals of an int", #"{ type: int, read: { pattern: "(?<value>.*)" }, write: { send: "S {value}", decimals: ⟨2 } }"#,
                  ".write.decimals", "decimals applies to float attributes"),
        attribute("limits of a bool", #"{ type: bool, min: ⟨0, read: { pattern: "(?<value>.*)" } }"#,
                  ".min", "min applies to int and float attributes, not bool"),
        attribute("a maximum below the minimum", #"{ type: float, min: 5, max: ⟨1, read: { pattern: "(?<value>.*)" } }"#,
                  ".max", "is below min"),
        attribute("a unit of a string", #"{ type: str, unit: ⟨degC, read: { pattern: "(?<value>.*)" } }"#,
                  ".unit", "unit applies to int and float attributes"),
        attribute("a map value of the wrong type", #"{ type: bool, map: { "ON": ⟨yes }, read: { pattern: "(?<value>.*)" } }"#,
                  ".map.ON", "expected true or false, found 'yes'"),
        attribute("an attribute without query that would not listen", #"{ type: str, listen: ⟨false, read: { pattern: "(?<value>.*)" } }"#,
                  ".listen", "it always listens"),
    ]

    @Test(arguments: cases)
    func isRejectedAtItsPosition(_ testCase: BoardErrorTableTests.Case) throws {
        try BoardErrorTableTests().isRejectedAtItsPosition(testCase)
    }
}
