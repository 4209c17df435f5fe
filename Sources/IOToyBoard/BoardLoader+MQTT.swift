import IOToyCore

extension Board {
    /// The `mqtt:` section: the broker the tree is bridged to.
    public struct MQTT: Sendable, Hashable {
        /// The broker's host name or address.
        public var host: String
        /// 1883, or 8883 with `tls`, unless given.
        public var port: Int
        public var username: String?
        /// A file holding the password (its first line), readable by the daemon only.
        public var passwordFile: String?
        /// `tls:`: the CA file, and a client certificate and key where the broker asks for one.
        public var tls: TLS?
        /// The first topic level: topics are `<prefix>/<device>/<path…>`.
        public var prefix = "iotoy"
        /// Home Assistant's discovery prefix, or nil with `discovery: none`.
        public var discoveryPrefix: String? = "homeassistant"

        public struct TLS: Sendable, Hashable {
            public var caFile: String
            public var certFile: String?
            public var keyFile: String?
        }
    }
}

extension BoardLoader {
    /// Reads `mqtt:`; nil when absent or invalid (errors recorded).
    func readMQTT(_ field: Field?) -> Board.MQTT? {
        guard let field, let map = field.mapping() else { return nil }
        defer {
            map.finish(known: ["host", "port", "username", "password_file", "tls", "prefix", "discovery"])
        }
        var valid = true
        guard let host = map.required("host", "the broker's host name or address")?.string() else { return nil }
        if host.isEmpty { map.optional("host")?.error("the broker's host is empty"); valid = false }
        var mqtt = Board.MQTT(host: host, port: 1883)
        if let tlsField = map.optional("tls") {
            if let tls = tlsField.mapping() {
                let ca = tls.required("ca_file", "the CA certificate file that signed the broker's certificate").flatMap(absolutePath)
                let cert = tls.optional("cert_file").flatMap(absolutePath)
                let key = tls.optional("key_file").flatMap(absolutePath)
                if (cert == nil) != (key == nil), tls.optional("cert_file") != nil || tls.optional("key_file") != nil {
                    tlsField.error("a client certificate needs both cert_file and key_file")
                    valid = false
                }
                tls.finish(known: ["ca_file", "cert_file", "key_file"])
                if let ca { mqtt.tls = .init(caFile: ca, certFile: cert, keyFile: key) } else { valid = false }
                mqtt.port = 8883
            } else {
                valid = false
            }
        }
        if let port = map.optional("port") {
            if let number = port.int(in: 1...65535) { mqtt.port = number } else { valid = false }
        }
        if let field = map.optional("username") {
            if let name = field.string(), !name.isEmpty { mqtt.username = name } else { field.error("the user name is empty"); valid = false }
        }
        if let field = map.optional("password_file") {
            if let path = absolutePath(field) {
                mqtt.passwordFile = path
                if mqtt.username == nil { field.error("a password needs a username"); valid = false }
            } else {
                valid = false
            }
        }
        if let field = map.optional("prefix"), let prefix = field.string() {
            if Self.isValidTopicPrefix(prefix) {
                mqtt.prefix = prefix
            } else {
                field.error("'\(prefix)' is not a topic prefix: levels of letters, digits, '_' or '-' separated by '/', no wildcards")
                valid = false
            }
        }
        if let field = map.optional("discovery"), let text = field.string() {
            switch text {
            case "homeassistant": mqtt.discoveryPrefix = "homeassistant"
            case "none": mqtt.discoveryPrefix = nil
            default: field.error("'\(text)' is not one of homeassistant, none"); valid = false
            }
        }
        return valid ? mqtt : nil
    }

    func absolutePath(_ field: Field) -> String? {
        guard let path = field.string() else { return nil }
        guard path.hasPrefix("/") else {
            field.error("'\(path)' is not an absolute path")
            return nil
        }
        return path
    }

    /// `iotoy`, `site/lab-2`: levels of letters, digits, `_` and `-`.
    static func isValidTopicPrefix(_ prefix: String) -> Bool {
        let levels = prefix.split(separator: "/", omittingEmptySubsequences: false)
        return !levels.isEmpty && levels.allSatisfy { level in
            !level.isEmpty && level.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        }
    }
}
