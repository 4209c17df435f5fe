/// Where the broker is and how to talk to it.
public struct MQTTSettings: Sendable, Hashable {
    /// TLS with the broker: the CA that signed its certificate, and a client certificate and
    /// key where the broker asks for one (AWS IoT Core and other cloud brokers do).
    public struct TLS: Sendable, Hashable {
        public var caFile: String
        public var certFile: String?
        public var keyFile: String?

        public init(caFile: String, certFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
        }
    }

    public var host: String
    public var port: Int
    public var clientID: String
    public var username: String?
    public var password: String?
    public var tls: TLS?
    /// The broker drops the client (and sends its will) after 1.5 times this without a word.
    public var keepAliveSeconds = 30
    /// Published by the broker when the connection ends without a clean disconnect.
    public var will: MQTTMessage?
    /// Messages waiting to be sent; when full, the oldest is dropped (and counted).
    public var queueCapacity = 1024
    /// The wait before the first retry, doubled after each failure up to ``maximumRetryDelay``.
    public var minimumRetryDelay: Duration = .seconds(1)
    public var maximumRetryDelay: Duration = .seconds(30)

    public init(host: String, port: Int = 1883, clientID: String) {
        self.host = host
        self.port = port
        self.clientID = clientID
    }
}
