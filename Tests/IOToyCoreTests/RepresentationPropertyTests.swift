import PropertyBased
import Testing
@testable import IOToyCore

/// Encode → decode is the identity for every representation the daemon sends, for any value:
/// JSON trees of any shape with any text (quotes, back-slashes, control characters, non-ASCII),
/// numbers at the edges of Int and Double, every value type, constraints, timestamps, actions.
/// The one difference allowed is JSON's: a number has no kind, so 2.0 may come back as 2.
@Suite struct RepresentationPropertyTests {
    /// Any text: ASCII with its control characters, and characters beyond it.
    static let text = Gen<Character?>.element(of: Array("aZ09 _-/\"\\\u{0}\u{1}\n\t\u{7f}é€😀ß\u{2028}{}[],:") as [Character])
        .map { $0! }.string(of: 0...12)

    /// Numbers where encoders go wrong: integers near the ends of Int, tiny and huge doubles,
    /// negative zero, doubles that are whole numbers.
    static let double = Gen<Double?>.element(of: [0, -0.0, 1, 0.1, 2.5, -Double.leastNormalMagnitude / 4, Double.leastNonzeroMagnitude, 1e300, -Double.greatestFiniteMagnitude, 9_007_199_254_740_994, 1e16])
        .map { $0! }

    /// Builds a JSON value from `choices` (each number picks the next node); shrinking the list
    /// shrinks the tree.
    static func json(_ choices: [Int], doubles: [Double], texts: [String]) -> JSONValue {
        var index = 0
        func next(depth: Int) -> JSONValue {
            guard index < choices.count else { return .null }
            let choice = choices[index]
            index += 1
            switch choice % 8 {
            case 0: return .null
            case 1: return .bool(choice % 16 < 8)
            case 2: return .int([0, 1, -1, Int.max, Int.min, choice, -choice][choice % 7])
            case 3: return .double(doubles.isEmpty ? Double(choice) / 3 : doubles[choice % doubles.count])
            case 4: return .string(texts.isEmpty ? "" : texts[choice % texts.count])
            case 5 where depth < 4:
                return .array((0..<(choice / 8 % 4)).map { _ in next(depth: depth + 1) })
            case 6 where depth < 4:
                var object: [String: JSONValue] = [:]
                for key in 0..<(choice / 8 % 4) {
                    object[texts.isEmpty ? "k\(key)" : texts[(choice + key) % texts.count] + "\(key)"] = next(depth: depth + 1)
                }
                return .object(object)
            default: return .string("\(choice)")
            }
        }
        return next(depth: 0)
    }

    /// Equal as JSON: numbers by value (2 == 2.0), everything else exactly.
    static func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameJSON($0, $1) }
        case (.object(let x), .object(let y)): return x.keys == y.keys && x.allSatisfy { key, value in y[key].map { sameJSON(value, $0) } ?? false }
        case (.int(let x), .int(let y)): return x == y
        case (.int, .double), (.double, .int), (.double, .double): return a.doubleValue == b.doubleValue
        default: return a == b
        }
    }

    @Test func anyJSONValueSurvivesEncodeAndDecode() async {
        await propertyCheck(
            count: 400, input: Gen.int(in: 0...1_000_000).array(of: 0...40), Self.double.array(of: 0...4), Self.text.array(of: 0...4)
        ) { choices, doubles, texts in
            let value = Self.json(choices, doubles: doubles, texts: texts)
            let decoded = try? JSONCoding.decode(JSONValue.self, from: JSONCoding.encode(value))
            #expect(decoded.map { Self.sameJSON($0, value) } == true, "\(value) came back as \(String(describing: decoded))")
        }
    }

    @Test func anyAttributeRepresentationSurvivesEncodeAndDecode() async {
        let names = Gen.lowercaseLetter.string(of: 1...6).array(of: 1...4)
        await propertyCheck(
            count: 300, input: names, Gen.int(in: 0...1_000_000).array(of: 0...12), Self.double.array(of: 1...4), Self.text.array(of: 1...3)
        ) { segments, choices, doubles, texts in
            let path = try! ResourcePath(parsing: "/" + segments.joined(separator: "/"))
            let type = ValueType.allCases[choices.first.map { $0 % ValueType.allCases.count } ?? 0]
            var representation = Representation(
                type: type.typeURI, href: path.description, help: texts[0],
                value: Self.json(choices, doubles: doubles, texts: texts),
                methods: choices.count % 2 == 0 ? ["GET", "PUT"] : ["GET"],
                constraints: choices.count % 3 == 0 ? nil : Constraints(min: doubles.first, max: doubles.last, unit: texts.last),
                timestamp: choices.count % 4 == 0 ? nil : doubles[choices.count % doubles.count])
            representation.actions = choices.count % 5 == 0 ? ["toggle", "pulse"] : nil
            let decoded = try? JSONCoding.decode(Representation.self, from: JSONCoding.encode(representation))
            #expect(decoded?.type == representation.type && decoded?.href == representation.href && decoded?.help == representation.help)
            #expect(decoded?.methods == representation.methods && decoded?.actions == representation.actions)
            #expect(decoded?.constraints == representation.constraints, "\(String(describing: representation.constraints))")
            #expect(decoded?.timestamp == representation.timestamp)
            #expect(decoded.map { Self.sameJSON($0.value, representation.value) } == true)
        }
    }

    @Test func anyValueOfEveryTypeSurvivesItsJSON() async {
        await propertyCheck(count: 300, input: Gen.int(in: Int.min...Int.max), Self.double, Self.text) { int, double, text in
            for value in [Value.int(int), .float(double), .str(text), .bool(int % 2 == 0), .json(.array([.int(int), .string(text)]))] {
                let decoded = try? JSONCoding.decode(JSONValue.self, from: JSONCoding.encode(value.json))
                #expect(decoded.map { Self.sameJSON($0, value.json) } == true, "\(value)")
                #expect(decoded.flatMap { try? Value(json: $0, as: value.type) } == value, "\(value)")
            }
        }
    }

    @Test func anyPathPrintsAsItParses() async {
        let names = Gen<Character?>.element(of: Array("abcXYZ_019") as [Character]).map { $0! }.string(of: 1...8).array(of: 0...6)
        await propertyCheck(count: 300, input: names) { segments in
            let text = "/" + segments.joined(separator: "/")
            guard let path = try? ResourcePath(parsing: text) else {
                // Only names that are not IOTOY names are refused: a segment must start with a letter.
                #expect(segments.contains { $0.first.map { !$0.isLetter } ?? true }, "\(text) refused")
                return
            }
            #expect(path.description == (segments.isEmpty ? "/" : text))
            #expect((try? ResourcePath(parsing: path.description)) == path)
        }
    }
}
