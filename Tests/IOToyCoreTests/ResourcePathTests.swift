import Testing
@testable import IOToyCore

@Suite struct ResourcePathTests {
    @Test func parsesAbsoluteRelativeAndDirectoryForms() throws {
        let path = try ResourcePath(parsing: "/front_left_leg/lift")
        #expect(path.segments == ["front_left_leg", "lift"])
        #expect(try ResourcePath(parsing: "front_left_leg/lift/") == path)
        #expect(path.description == "/front_left_leg/lift")
        #expect(path.directoryHref == "/front_left_leg/lift/")
        #expect(path.relativeName == "front_left_leg/lift")
        #expect(path.parent == (try ResourcePath(["front_left_leg"])))
    }

    @Test func combiningMarkAfterTheLastSlashIsASegmentNotADirectoryForm() {
        // As Characters, "/\u{301}" is one grapheme and "a/\u{301}" has no trailing "/"; on
        // bytes it is a slash and a segment of one combining mark, which is invalid either way.
        #expect(throws: ResourcePathError.invalidSegment("\u{301}")) { try ResourcePath(parsing: "/a/\u{301}") }
    }

    @Test func rootIsSlash() throws {
        #expect(try ResourcePath(parsing: "/") == .root)
        #expect(try ResourcePath(parsing: "") == .root)
        #expect(ResourcePath.root.description == "/")
        #expect(ResourcePath.root.directoryHref == "/")
        #expect(ResourcePath.root.parent == nil)
    }

    @Test(arguments: ["/a//b", "/1abc", "/a b", "/a-b", "/_sim", "/a/../b", "/é", "/" + String(repeating: "x", count: 65),
                      // Split on bytes: a combining mark after a slash, a slash inside a
                      // multi-byte neighbourhood, a lone trailing combining mark.
                      "/a/\u{301}b", "/a\u{301}/b", "/\u{301}", "///a"])
    func rejectsInvalidSegments(_ text: String) {
        #expect(throws: ResourcePathError.self) { try ResourcePath(parsing: text) }
    }

    @Test func appendingValidates() throws {
        #expect(throws: ResourcePathError.invalidSegment("x y")) { try ResourcePath.root.appending("x y") }
        #expect(try ResourcePath.root.appending("eyes").description == "/eyes")
    }

    @Test func prefixAndOrdering() throws {
        let leg = try ResourcePath(parsing: "/leg"), lift = try ResourcePath(parsing: "/leg/lift")
        #expect(lift.hasPrefix(leg))
        #expect(!leg.hasPrefix(lift))
        #expect(leg < lift)
    }
}
