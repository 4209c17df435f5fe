import Testing
@testable import IOToyDiscovery

@Suite struct TXTRecordTests {
    @Test func iotoydPublishesPathAndVersion() throws {
        let record = try TXTRecord.iotoy(version: "0.1.0")
        #expect(record.strings == ["path=/", "version=0.1.0"])
        #expect(record["path"] == "/")
        #expect(record["VERSION"] == "0.1.0")
        #expect(record.description == #""path=/" "version=0.1.0""#)
    }

    @Test func keysMustBePrintableUniqueAndEntriesShort() {
        #expect(throws: TXTRecordError.invalidKey("")) { try TXTRecord().adding("", "x") }
        #expect(throws: TXTRecordError.invalidKey("a=b")) { try TXTRecord().adding("a=b", "x") }
        #expect(throws: TXTRecordError.invalidKey("tab\t")) { try TXTRecord().adding("tab\t", "x") }
        #expect(throws: TXTRecordError.duplicateKey("Path")) { try TXTRecord(["path": "/", "Path": "/x"]) }
        let longest = String(repeating: "v", count: TXTRecord.maximumEntryBytes - 2)
        #expect(throws: Never.self) { try TXTRecord().adding("k", longest) }
        #expect(throws: TXTRecordError.entryTooLong("k")) { try TXTRecord().adding("k", longest + "v") }
    }

    @Test func readsResolvedStringsTheFirstOfARepeatedKeyWins() {
        let record = TXTRecord(strings: ["path=/", "flag", "path=/other", "=nokey", "eq=a=b"])
        #expect(record.strings == ["path=/", "flag=", "eq=a=b"])
        #expect(record["flag"] == "")
        #expect(record["eq"] == "a=b")
        #expect(record.dictionary == ["path": "/", "flag": "", "eq": "a=b"])
    }

    @Test func survivesTheTripThroughAnAvahiStringListInOrder() throws {
        let record = try TXTRecord(["path": "/", "version": "0.1.0", "note": "ünïcode and spaces"])
        #expect(record.withAvahiStringList { TXTRecord(avahi: $0) } == record)
        #expect(TXTRecord().withAvahiStringList { $0 == nil })
    }
}
