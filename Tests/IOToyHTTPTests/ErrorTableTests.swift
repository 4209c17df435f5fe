import Foundation
import IOToyCore
import IOToyHAL
import Testing

/// docs/wire.md's error table lists exactly the `value.error` codes the server can answer:
/// the codes written in the server's modules, each kind's default code, and one per kind of
/// hardware failure. A new code without a row, or a row for a code that is gone, fails here.
@Suite struct ErrorTableTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    /// The modules whose errors reach an HTTP client.
    static let serverModules = ["IOToyCore", "IOToyDrivers", "IOToyDispatcher", "IOToyBoard", "IOToyHTTP"]

    static func codesInCode() throws -> Set<String> {
        var codes: Set<String> = []
        let pattern = try Regex(#"code: [^,\n]*?"([a-z_]+)""#)
        for module in serverModules {
            let directory = root.appendingPathComponent("Sources/\(module)")
            let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?
                .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
            for file in files {
                let text = try String(contentsOf: file, encoding: .utf8)
                for match in text.matches(of: pattern) {
                    if let code = match.output[1].substring { codes.insert(String(code)) }
                }
            }
        }
        let kinds: [IOToyError.Kind] = [
            .badRequest, .notFound, .methodNotAllowed(allow: []), .payloadTooLarge, .unsupportedMediaType,
            .requestHeaderTooLarge, .conflict, .outOfRange, .hardwareFault, .timeout, .internalError,
            .unauthorized, .forbidden, .tooManyRequests,
        ]
        // `conflict` and `timeout` are only ever raised with their own codes.
        codes.formUnion(kinds.filter { $0 != .conflict && $0 != .timeout }.map(\.defaultCode))
        codes.formUnion(HardwareError.Kind.allCases.filter { $0 != .timeout }.map { "hardware_\($0.rawValue)" })
        return codes
    }

    static func codesInTable() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("docs/wire.md"), encoding: .utf8)
        guard let start = text.range(of: "| status | when | `value.error` |") else { return [] }
        var codes: Set<String> = []
        for line in text[start.upperBound...].split(separator: "\n").dropFirst() {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
            guard cells.count >= 4 else { continue }
            for match in cells[3].matches(of: try Regex("`([a-z_]+)`")) {
                if let code = match.output[1].substring { codes.insert(String(code)) }
            }
        }
        return codes
    }

    @Test func theDocumentedTableListsExactlyTheCodesTheServerAnswers() throws {
        let inCode = try Self.codesInCode(), inTable = try Self.codesInTable()
        #expect(inCode.count > 20, "the scan found the server's codes")
        #expect(inCode.subtracting(inTable).isEmpty, "codes missing from docs/wire.md §2.6: \(inCode.subtracting(inTable).sorted())")
        #expect(inTable.subtracting(inCode).isEmpty, "codes in docs/wire.md §2.6 the server never answers: \(inTable.subtracting(inCode).sorted())")
    }
}
