import Foundation
import Hummingbird
import Logging
import Queue
import QueueMetrics
import Worker

/// The worker's own HTTP port (`AGENT_WORKER_PORT`): `/healthz` (the process serves),
/// `/readyz` (leasing, and its MCP servers answer now) and `/metrics` (the registry the
/// worker's counters and histograms go to, plus the queue's gauges), for Kubernetes probes and
/// a ServiceMonitor.
public struct WorkerStatusServer: Sendable {
    public let worker: WorkerService
    public let queue: any JobQueue
    public let gauges: QueueGauges
    public let host: String
    public let port: Int
    private let peers: PeerReadiness

    /// `peersAnswer` throws when a peer does not answer; it is asked at most every
    /// `peerCheckInterval`, so frequent probes cost the MCP servers nothing. It should be cheap
    /// and quiet (a ping), not the worker's start check.
    public init(worker: WorkerService, queue: any JobQueue, gauges: QueueGauges, host: String, port: Int,
                peersAnswer: @escaping @Sendable () async throws -> Void, peerCheckInterval: Duration = .seconds(5)) {
        self.worker = worker
        self.queue = queue
        self.gauges = gauges
        self.host = host
        self.port = port
        peers = PeerReadiness(check: peersAnswer, interval: peerCheckInterval)
    }

    struct Status: ResponseEncodable {
        let status: String
        var reason: String?
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in Status(status: "ok") }
        router.get("/readyz") { _, context -> Response in
            let status: Status
            if await !worker.isLeasing {
                status = Status(status: "not ready", reason: "not leasing (starting, waiting for its peers, or stopping)")
            } else if let problem = await peers.problem() {
                context.logger.warning("worker not ready", metadata: ["error": "\(problem)"])
                status = Status(status: "not ready", reason: "an MCP server does not answer")
            } else {
                return try Self.json(.ok, Status(status: "ready"))
            }
            return try Self.json(.serviceUnavailable, status)
        }
        router.get("/metrics") { _, _ in
            let text = gauges.exposition(try await queue.stats())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return router
    }

    private static func json(_ status: HTTPResponse.Status, _ body: Status) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(body))))
    }

    public func application(logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(
            router: router(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "pipeline-agent-worker"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}

/// The peers' last answer, asked again once it is older than `interval`.
actor PeerReadiness {
    private let check: @Sendable () async throws -> Void
    private let interval: Duration
    private var last: (at: ContinuousClock.Instant, problem: String?)?

    init(check: @escaping @Sendable () async throws -> Void, interval: Duration) {
        self.check = check
        self.interval = interval
    }

    /// Nil when every peer answered.
    func problem() async -> String? {
        if let last, ContinuousClock.now - last.at < interval { return last.problem }
        var problem: String?
        do { try await check() } catch { problem = "\(error)" }
        last = (ContinuousClock.now, problem)
        return problem
    }
}
