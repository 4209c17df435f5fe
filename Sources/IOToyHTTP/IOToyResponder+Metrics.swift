import Hummingbird
import IOToyCore
import IOToyMetrics
import NIOPosix

extension IOToyResponder {
    /// Prometheus' text exposition format, version 0.0.4.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// `GET /metrics`: every family in Prometheus' text format (role `read`, like any GET).
    /// Rendered on NIO's blocking thread pool: the process sample reads `/proc`, which has no
    /// place on the cooperative pool the responder runs on.
    func metricsResponse(_ request: Request, _ metrics: MetricsExporter) async -> Response {
        guard request.method == .get || request.method == .head else {
            return Self.failure(IOToyError(.methodNotAllowed(allow: ["GET"]), message: "/metrics takes GET"), href: "/metrics")
        }
        let dispatcher = dispatcher
        let rendered = try? await NIOThreadPool.singleton.runIfActive { metrics.render(dispatcher) }
        guard let bytes = rendered else {
            return Self.failure(IOToyError(.hardwareFault, code: "shutting_down", message: "iotoyd is stopping"), href: "/metrics")
        }
        let body = request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        return Response(status: .ok, headers: [.contentType: Self.metricsContentType, .contentLength: "\(bytes.count)"], body: body)
    }
}
