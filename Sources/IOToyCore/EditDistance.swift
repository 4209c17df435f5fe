/// Levenshtein distance between two strings, for "did you mean" suggestions.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

/// The candidate closest to `word` within `maximumDistance` edits, for "did you mean".
public func closestMatch(to word: String, among candidates: some Sequence<String>, maximumDistance: Int = 2) -> String? {
    candidates
        .map { (candidate: $0, distance: editDistance($0, word)) }
        .filter { $0.distance <= maximumDistance && $0.candidate != word }
        .min { $0.distance < $1.distance }?.candidate
}
