/// What a client may do, each role including the ones below it.
///
/// - ``read``: `GET`, `HEAD`, `OPTIONS`, change streams, the dashboard read-only.
/// - ``control``: also `PUT` and `POST` on resources (set attributes, call functions) and the
///   heartbeat.
/// - ``admin``: also the daemon's own commands: `POST /_safe`, `POST /_resume`, reload.
///
/// Ordered `read < control < admin`; the raw values are the words used in the board file and
/// the tokens file.
public enum Role: String, Sendable, Comparable, CaseIterable {
    case read
    case control
    case admin

    /// The role's place in the order, lowest first.
    private var rank: Int {
        switch self {
        case .read: 0
        case .control: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        lhs.rank < rhs.rank
    }

    /// True when a client with this role may do what needs `needed`.
    public func allows(_ needed: Role) -> Bool {
        self >= needed
    }
}
