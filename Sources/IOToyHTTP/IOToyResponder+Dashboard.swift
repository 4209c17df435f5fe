import Hummingbird
import IOToyCore

extension IOToyResponder {
    /// The dashboard's files, embedded in the binary (no files to install, no CDN).
    static let dashboardFiles: [String: (contentType: String, bytes: [UInt8])] = [
        "": ("text/html; charset=utf-8", PackageResources.index_html),
        "index.html": ("text/html; charset=utf-8", PackageResources.index_html),
        "app.js": ("text/javascript; charset=utf-8", PackageResources.app_js),
        "style.css": ("text/css; charset=utf-8", PackageResources.style_css),
    ]

    /// A browser asking for the root (`Accept: text/html`) is sent to the dashboard; the
    /// original client sends `Accept: */*` and gets JSON as before.
    static func wantsDashboard(_ request: Request, path: String) -> Bool {
        guard request.method == .get || request.method == .head, path == "/" else { return false }
        return request.headers[values: .accept].contains { $0.lowercased().contains("text/html") }
    }

    /// `/_ui/…`: the single-page dashboard, built in the browser from `/devinfo` and the stream.
    func dashboardResponse(_ request: Request, rawPath: String) -> Response {
        if rawPath == "/_ui" { return Response(status: .movedPermanently, headers: [.location: "/_ui/"]) }
        let name = String(rawPath.dropFirst("/_ui/".count))
        guard let file = Self.dashboardFiles[name] else {
            return Self.failure(IOToyError(.notFound, message: "no dashboard file at \(Self.echoed(rawPath))"), href: Self.echoed(rawPath))
        }
        guard request.method == .get || request.method == .head else {
            return Self.failure(IOToyError(.methodNotAllowed(allow: ["GET"]), message: "the dashboard is read with GET"), href: rawPath)
        }
        let headers: HTTPFields = [
            .contentType: file.contentType, .contentLength: "\(file.bytes.count)", .cacheControl: "no-cache",
        ]
        return Response(
            status: .ok, headers: headers,
            body: request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
