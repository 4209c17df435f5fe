import IOToyCore

/// What `POST /_reload` does: re-read the board file and, when it is valid, serve its tree in
/// place of the current one. The daemon gives it (the HTTP module knows no board files);
/// SIGHUP runs the same.
public struct BoardReload: Sendable {
    /// Runs one reload; reloads never overlap.
    public let run: @Sendable () async -> Report

    public init(run: @escaping @Sendable () async -> Report) {
        self.run = run
    }

    /// What a reload did, or why it did nothing.
    public struct Report: Sendable, Equatable {
        /// The file's errors (`file:line:column: error: …`): when there are any, nothing changed.
        public var errors: [String] = []
        /// Components carried over running, new or changed ones started, removed or changed
        /// ones stopped in their safe state (paths).
        public var kept: [String] = []
        public var started: [String] = []
        public var removed: [String] = []
        /// Settings that changed in the file but take a restart (`server.port`, …).
        public var needsRestart: [String] = []

        public init(errors: [String] = [], kept: [String] = [], started: [String] = [], removed: [String] = [], needsRestart: [String] = []) {
            self.errors = errors
            self.kept = kept
            self.started = started
            self.removed = removed
            self.needsRestart = needsRestart
        }

        /// The answer's value: the lists by name.
        public var json: JSONValue {
            func list(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }
            return .object([
                "kept": list(kept), "started": list(started), "removed": list(removed), "needs_restart": list(needsRestart),
            ])
        }

        /// The refusal of an invalid file: 422 `invalid_board`, its errors one per line.
        public var error: IOToyError? {
            guard !errors.isEmpty else { return nil }
            let count = errors.count == 1 ? "an error" : "\(errors.count) errors"
            return IOToyError(
                .outOfRange, code: "invalid_board", message: "the board file has \(count); the running tree is unchanged",
                detail: errors.joined(separator: "\n"))
        }
    }
}
