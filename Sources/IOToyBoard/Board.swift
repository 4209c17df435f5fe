import IOToyCore

/// A validated board file: nothing in it refers to hardware that was not declared, nothing is
/// claimed twice, every limit lies in its range. Building it opens no hardware yet.
public struct Board: Sendable {
    /// The IOTOY device id: mDNS instance name and `devicename`.
    public let device: String
    public let help: String
    public let server: Server
    /// Hardware entries in file order.
    public let hardware: [(name: String, spec: HardwareSpec)]
    /// Directories with their help, in file order.
    public let directories: [(path: ResourcePath, help: String)]
    /// Components in file order.
    public let components: [PlannedComponent]
    /// Directory and component paths in the order the file lists them.
    public let order: [ResourcePath]
    /// The file it came from.
    public let file: String
    /// `simulate: true`: served on simulated hardware that has everything it declares, as with
    /// `serve --simulate` (the package's starter board, until it describes a real robot).
    public var simulate = false
    /// `mqtt:`: the broker the tree is bridged to; nil without one.
    public var mqtt: MQTT?
    /// What the board may run with but should know (`file:line:column: warning: …`).
    public var warnings: [BoardError] = []

    /// The `server:` section.
    public struct Server: Sendable, Hashable {
        /// TCP port; 5000 is the IOTOY default.
        public var port: Int
        /// Address to bind; all interfaces by default.
        public var bind: String
        /// A request head must be complete within this of the connection opening or the
        /// previous answer ending (`head_timeout_ms`, default 10 s).
        public var headTimeout: Duration = .seconds(10)
        /// A connection idle this long is closed (`idle_timeout_ms`, default 60 s).
        public var idleTimeout: Duration = .seconds(60)
        /// Event streams open at once; more are refused with 503 (`max_watchers`, default 64).
        public var maximumWatchers = 64
        /// Connections open at once; one more is answered 503 (`max_connections`, default 256).
        public var maximumConnections = 256
        /// `auth:`: who may do what; nil when the section is absent (the device is open).
        public var access: Access?
        /// `read_only: true` refuses every change (403), whatever the role.
        public var readOnly = false
        /// `metrics: false` turns `GET /metrics` (Prometheus' text format) off; on by default.
        public var metrics = true

        /// The `server.auth` section.
        public struct Access: Sendable, Hashable {
            /// The tokens file `iotoyd token add` writes (hashes only); nil: no tokens.
            public var tokensFile: String?
            /// Networks whose clients may do everything without a token (default: loopback).
            public var trusted: [IPNetwork] = IPNetwork.loopback
            /// What others may do without a token: nil (`none`) or `.read` (the default).
            public var anonymous: Role? = .read
        }

        /// The defaults are also what a device served without a board file gets.
        public init(port: Int = 5000, bind: String = "0.0.0.0") {
            self.port = port
            self.bind = bind
        }
    }

    /// A component entry, validated, ready to build.
    public struct PlannedComponent: Sendable {
        public let path: ResourcePath
        public let kind: String
        let plan: ComponentPlan
        /// Its configuration as text (its entry and the hardware it names): a reload keeps the
        /// running component when this is unchanged.
        let fingerprint: String

        /// The owner (bus, chip or port) its operations run on.
        public var owner: OwnerKey { plan.owner }

        /// The hardware it holds, as claimed: `line gpio/GPIO17`, `pwm hat/0`, `i2c-1 address 0x76`.
        public var heldHardware: [HardwareClaim] { plan.claims.map(\.resource) }
    }
}
