// The benchmark's peer (scripts/bench/run.sh): a bare Hummingbird 2 server that answers every
// request with one fixed body, the bytes iotoyd answered for the demo's cached attribute, so
// the two can be measured against each other in one run. No router, no middleware, no IOTOY:
// what is left is Hummingbird's own cost per request.
//
// Usage: iotoyd-bench-peer PORT [CONTENT-TYPE] < BODY
//   PORT          the TCP port on 127.0.0.1
//   CONTENT-TYPE  the answer's Content-Type (default application/json, as iotoyd's)
//   BODY          the answer's bytes, read from standard input to its end
// Wait for it by asking it (its standard output is buffered when not a terminal).
import Hummingbird

/// The command line: the port, the Content-Type and the body read from standard input.
struct PeerArguments {
    let port: Int
    let contentType: String
    let body: [UInt8]

    /// Stops with the usage when the arguments are wrong.
    static func parse(_ arguments: [String]) -> PeerArguments {
        guard (2...3).contains(arguments.count), let port = Int(arguments[1]), (1...65535).contains(port) else {
            fatalError("usage: iotoyd-bench-peer PORT [CONTENT-TYPE] < BODY")
        }
        var body: [UInt8] = []
        while let line = readLine(strippingNewline: false) { body += Array(line.utf8) }
        return PeerArguments(port: port, contentType: arguments.count == 3 ? arguments[2] : "application/json", body: body)
    }
}

let arguments = PeerArguments.parse(CommandLine.arguments)
let body = ByteBuffer(bytes: arguments.body)
let contentType = arguments.contentType
let responder = CallbackResponder<BasicRequestContext> { [body, contentType] _, _ in
    Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: body))
}
// "hbpeer" has as many letters as "iotoyd", so the two answers' heads are the same size.
let application = Application(
    responder: responder,
    configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: arguments.port), serverName: "hbpeer"))
try await application.runService()
