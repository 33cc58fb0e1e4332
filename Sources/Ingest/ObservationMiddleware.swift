import Hummingbird
import Logging
import Queue

/// Logs one structured line per request (method, path, status, latency, job id — never the
/// body) and records it in the metrics. Sits outside the error middleware, so failed requests
/// arrive here as the error responses the client gets.
struct ObservationMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: IngestMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let duration = ContinuousClock.now - start
        // Matched route patterns keep metric labels few; anything else is one label.
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(route: route, method: request.method.rawValue, status: response.status.code, duration: duration)
        if context.logger.logLevel <= .info {
            context.logger.info("request", metadata: Self.metadata(request, response, duration))
        }
        return response
    }

    private static func metadata(_ request: Request, _ response: Response, _ duration: Duration) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
            "status": "\(response.status.code)", "latency_ms": "\(String(format: "%.2f", duration.seconds * 1000))",
        ]
        if let location = response.headers[.location], location.hasPrefix("/jobs/") {
            metadata["job_id"] = "\(location.dropFirst(6))"
        }
        return metadata
    }
}
