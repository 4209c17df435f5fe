import Foundation
import IOToyCore
import IOToyDispatcher
import IOToyWire
import Testing
@testable import IOToyBoard

/// Every input kept in Fuzz/corpus (the seeds, and each reproducer a fuzzer found) replayed
/// through the code its fuzz target drives, without the sanitizers, on every `make test`: what
/// once crashed stays fixed. (Fuzz/run.sh runs the fuzzers themselves.)
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fuzz/corpus").standardized

    static func inputs(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let directory = corpus.appendingPathComponent(target)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map { name in
            (name, Array(try Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }

    @Test func boardFiles() throws {
        let inputs = try Self.inputs("board")
        #expect(!inputs.isEmpty)
        for (name, bytes) in inputs {
            do {
                let board = try BoardLoader(registry: .standard).parse(yaml: String(decoding: bytes, as: UTF8.self), file: name)
                _ = try? board.buildTree(platform: board.simulatedHardware().platform)
            } catch {
                #expect(!error.errors.isEmpty, "\(name)")
            }
        }
    }

    @Test func serialTrafficSplitAnywhereGivesTheSameLines() throws {
        for (name, bytes) in try Self.inputs("wire") {
            guard let first = bytes.first else { continue }
            let input = bytes.dropFirst()
            for cut in Set([input.startIndex + Int(first) % (input.count + 1), input.startIndex, input.endIndex]) {
                var whole = SerialLineSplitter(maximumLineBytes: 256), pieces = SerialLineSplitter(maximumLineBytes: 256)
                let lines = whole.feed(input)
                #expect(pieces.feed(input[..<cut]) + pieces.feed(input[cut...]) == lines, "\(name) split at \(cut)")
                for line in lines { _ = (SerialReply(line: line), AttributeHelp(line), FunctionHelp(line)) }
            }
        }
    }

    @Test func requestBodiesOfEveryContentType() throws {
        for (name, bytes) in try Self.inputs("body") {
            for type in [nil, "application/json", "text/plain", "application/x-www-form-urlencoded", "image/png"] as [String?] {
                guard let input = try? RequestInput(body: Array(bytes.dropFirst()), contentType: type) else { continue }
                for valueType in ValueType.allCases { _ = try? input.value(as: valueType) }
                _ = try? input.arguments(for: FunctionSpec(args: [Parameter("a", .float), Parameter("b", .float)]))
            }
            _ = name
        }
    }

    @Test func pathsParseBackToThemselves() throws {
        for (name, bytes) in try Self.inputs("path") {
            guard let path = try? ResourcePath(parsing: String(decoding: bytes, as: UTF8.self)) else { continue }
            #expect(try ResourcePath(parsing: path.description) == path, "\(name)")
        }
    }

    @Test func eventStreamsSplitAnywhereGiveTheSameEvents() throws {
        for (name, bytes) in try Self.inputs("stream") {
            let input = bytes.dropFirst()
            var whole = ServerSentEventParser()
            let events = whole.feed(input)
            #expect(!events.isEmpty, "\(name) is a seed with events")
            for cut in input.indices {
                var pieces = ServerSentEventParser()
                #expect(pieces.feed(input[..<cut]) + pieces.feed(input[cut...]) == events, "\(name) split at \(cut)")
            }
        }
    }
}
