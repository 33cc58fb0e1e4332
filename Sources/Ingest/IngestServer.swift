import Foundation
import Hummingbird
import Logging
import Queue

/// The ingest HTTP API: routes, middleware and the Hummingbird application around them.
public struct IngestServer: Sendable {
    public let queue: any JobQueue
    public let configuration: IngestConfiguration
    public let metrics: IngestMetrics
    public let readiness: @Sendable () async throws -> Void
    /// Signals that jobs may have ended (`AgentStorage.jobEnds`), which wake requests held by
    /// `?wait=`; without them those requests look every `waitPollInterval`.
    public let jobEnds: (@Sendable () -> AsyncStream<Void>)?
    /// Routes the process adds beside the API (the web UI under `/ui`), with their own access
    /// checks: they do not sit behind the API's bearer-token middleware.
    public let additionalRoutes: @Sendable (Router<BasicRequestContext>) -> Void

    public init(queue: any JobQueue, configuration: IngestConfiguration, metrics: IngestMetrics = IngestMetrics(),
                readiness: @escaping @Sendable () async throws -> Void, jobEnds: (@Sendable () -> AsyncStream<Void>)? = nil,
                additionalRoutes: @escaping @Sendable (Router<BasicRequestContext>) -> Void = { _ in }) {
        self.queue = queue
        self.configuration = configuration
        self.metrics = metrics
        self.readiness = readiness
        self.jobEnds = jobEnds
        self.additionalRoutes = additionalRoutes
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ObservationMiddleware(metrics: metrics))
        router.add(middleware: ErrorMiddleware(retryAfterSeconds: configuration.retryAfterSeconds))

        let health = HealthRoutes(readiness: readiness)
        router.get("/health") { request, context in health.health(request, context: context) }
        router.get("/healthz") { request, context in health.liveness(request, context: context) }
        router.get("/readyz") { request, context in await health.readiness(request, context: context) }
        router.get("/metrics") { _, _ in
            let text = metrics.render(stats: try await queue.stats())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }

        // Everything below needs the bearer token when one is configured.
        let api = router.group()
        if let token = configuration.token, !token.isEmpty {
            api.add(middleware: BearerTokenMiddleware(token: token))
        }
        let watch = JobEndWatch(
            lookUp: { [queue] id in try await queue.job(id: id) }, signals: jobEnds, fallbackInterval: configuration.waitPollInterval)
        let report = ReportRoute(
            queue: queue, configuration: configuration, metrics: metrics, waiters: WaiterLimit(capacity: configuration.maxWaiters),
            watch: watch)
        api.post("/report-failure") { request, context in try await report.handle(request, context: context) }
        let cloudEvents = CloudEventRoute(queue: queue, configuration: configuration, metrics: metrics)
        if let secret = configuration.cloudEventsToken, !secret.isEmpty {
            // Tekton's sink cannot send a bearer token: its credential is a path segment.
            let expected = Array(secret.utf8)
            router.post("/cloudevents/:credential") { request, context in
                let given = Array((context.parameters.get("credential") ?? "").utf8)
                guard BearerTokenMiddleware<BasicRequestContext>.constantTimeEquals(given, expected) else {
                    throw APIError(.unauthorized, code: "unauthorized", message: "wrong CloudEvents credential in the sink URL")
                }
                return try await cloudEvents.handle(request, context: context)
            }
            router.post("/cloudevents") { _, _ -> Response in
                throw APIError(.unauthorized, code: "unauthorized",
                               message: "CloudEvents need the credential in the sink URL: POST /cloudevents/<AGENT_CLOUDEVENTS_TOKEN>")
            }
            router.rejectOtherMethods("/cloudevents/:credential", allowed: [.post])
        } else {
            api.post("/cloudevents") { request, context in try await cloudEvents.handle(request, context: context) }
        }
        let job = JobRoute(queue: queue)
        api.get("/jobs/:id") { request, context in try await job.handle(request, context: context) }

        router.rejectOtherMethods("/report-failure", allowed: [.post])
        router.rejectOtherMethods("/cloudevents", allowed: [.post])
        router.rejectOtherMethods("/jobs/:id", allowed: [.get])
        for path in ["/health", "/healthz", "/readyz", "/metrics"] {
            router.rejectOtherMethods(RouterPath(path), allowed: [.get])
        }
        additionalRoutes(router)
        return router
    }

    /// The application, bound to the configured address. `onServerRunning` receives the
    /// actual port (useful with port 0).
    public func application(logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(
            router: router(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "pipeline-agent"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
