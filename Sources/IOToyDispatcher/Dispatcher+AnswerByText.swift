import IOToyCore

/// GET's shortcut for the requests a robot's clients make most: a cached value or a fixed
/// answer, found by the path's text in one dictionary lookup, without parsing it into a
/// ``ResourcePath`` and walking the tree. It only ever gives the bytes ``Dispatcher/get(_:fresh:)``
/// would give; everything that needs a decision (a fault, a missing value, an error, a path
/// written another way) is left to `get`.
extension Dispatcher {
    /// What a GET of one exact path text answers when nothing is left to decide.
    enum TextAnswer: Sendable {
        /// A directory, a function or `/devinfo`: the same bytes until the tree changes.
        case fixed([UInt8])
        /// A cached attribute: its slot in the cache, read while its component is ready.
        case cached(SampleCache.Slot, Mount)
    }

    /// The table for a tree, keyed by the text a request writes for each path: `/a/b`, and
    /// `/a/` for a directory too. Only texts that parse back to their path are keys, so the
    /// table cannot answer for a path `get` would read differently. A cached attribute's key
    /// holds its slot in `cache`, so answering it hashes nothing but the text.
    static func answersByText(
        for tree: ResourceTree, staticAnswers: [ResourcePath: [UInt8]], cache: SampleCache
    ) -> [String: TextAnswer] {
        var answers: [String: TextAnswer] = [:]
        func add(_ text: String, for path: ResourcePath, _ answer: TextAnswer) {
            guard (try? ResourcePath(parsing: text)) == path else { return }
            answers[text] = answer
        }
        for (path, bytes) in staticAnswers {
            add(path.description, for: path, .fixed(bytes))
            if case .directory? = tree.node(at: path) { add(path.directoryHref, for: path, .fixed(bytes)) }
        }
        for (path, node) in tree.nodes {
            guard case .attribute(let attribute) = node, attribute.isCached else { continue }
            add(path.description, for: path, .cached(cache.slot(path), attribute.mount))
        }
        return answers
    }

    /// GET's answer for a path exactly as the request wrote it (no query), when that answer
    /// needs no decision: a fixed answer, or the cached value of a ready component. nil means
    /// "ask ``get(_:fresh:)``", which answers everything else, errors included.
    public func answer(forPathText text: String) -> [UInt8]? {
        let found = published.withLock { published -> TextAnswer? in
            // A self-describing device's endpoints come and go with it: always through `get`.
            published.selfDescribingRoot == nil ? published.answersByText[text] : nil
        }
        switch found {
        case .fixed(let bytes)?:
            return bytes
        case .cached(let slot, let mount)?:
            guard mount.currentHealth == .ready else { return nil }
            return slot.current?.encoded
        case nil:
            return nil
        }
    }
}
