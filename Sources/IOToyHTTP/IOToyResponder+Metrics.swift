import Hummingbird
import IOToyCore
import IOToyMetrics

extension IOToyResponder {
    /// Prometheus' text exposition format, version 0.0.4.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// `GET /metrics`: every family in Prometheus' text format (role `read`, like any GET).
    func metricsResponse(_ request: Request, _ metrics: MetricsExporter) -> Response {
        guard request.method == .get || request.method == .head else {
            return Self.failure(IOToyError(.methodNotAllowed(allow: ["GET"]), message: "/metrics takes GET"), href: "/metrics")
        }
        let bytes = metrics.render(dispatcher)
        let body = request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        return Response(status: .ok, headers: [.contentType: Self.metricsContentType, .contentLength: "\(bytes.count)"], body: body)
    }
}
