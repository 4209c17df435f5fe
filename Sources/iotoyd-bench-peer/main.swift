// The benchmark's peer (scripts/bench/run.sh): a bare Hummingbird 2 server that answers every
// request with one fixed body, the bytes iotoyd answered for the demo's cached attribute, so
// the two can be measured against each other in one run. No router, no middleware, no IOTOY:
// what is left is Hummingbird's own cost per request. With --router, the same answer from a
// Router (a `GET **` route, the shape of a typical small Hummingbird application).
//
// Usage: iotoyd-bench-peer PORT [CONTENT-TYPE] [--router] < BODY
//   PORT          the TCP port on 127.0.0.1
//   CONTENT-TYPE  the answer's Content-Type (default application/json, as iotoyd's)
//   BODY          the answer's bytes, read from standard input to its end
// Wait for it by asking it (its standard output is buffered when not a terminal).
import Hummingbird

/// The command line: the port, the Content-Type, router or not, and the body read from
/// standard input.
struct PeerArguments {
    let port: Int
    let contentType: String
    let router: Bool
    let body: [UInt8]

    /// Stops with the usage when the arguments are wrong.
    static func parse(_ arguments: [String]) -> PeerArguments {
        let router = arguments.contains("--router")
        let positional = Array(arguments.dropFirst().filter { $0 != "--router" })
        guard (1...2).contains(positional.count), let port = Int(positional[0]), (1...65535).contains(port) else {
            fatalError("usage: iotoyd-bench-peer PORT [CONTENT-TYPE] [--router] < BODY")
        }
        var body: [UInt8] = []
        while let line = readLine(strippingNewline: false) { body += Array(line.utf8) }
        let contentType = positional.count == 2 ? positional[1] : "application/json"
        return PeerArguments(port: port, contentType: contentType, router: router, body: body)
    }
}

let arguments = PeerArguments.parse(CommandLine.arguments)
let body = ByteBuffer(bytes: arguments.body)
let contentType = arguments.contentType
let answer: @Sendable (Request, BasicRequestContext) async throws -> Response = { [body, contentType] _, _ in
    Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: body))
}
// "hbpeer" has as many letters as "iotoyd", so the two answers' heads are the same size.
let configuration = ApplicationConfiguration(address: .hostname("127.0.0.1", port: arguments.port), serverName: "hbpeer")
if arguments.router {
    let router = Router()
    router.get("**", use: answer)
    try await Application(router: router, configuration: configuration).runService()
} else {
    try await Application(responder: CallbackResponder(callback: answer), configuration: configuration).runService()
}
