import CLI
import CoreMetrics
import Logging
import Prometheus
import Queue
import QueueMetrics
import Worker
import WorkerStatus

/// The worker's metrics backend and its status port (`AGENT_WORKER_PORT`, `AGENT_WORKER_HOST`).
enum WorkerStatusAssembly {
    /// Sends the worker's swift-metrics to `registry` (once per process).
    static func bootstrapMetrics(into registry: PrometheusCollectorRegistry) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["pipeline_agent_worker_attempt_duration_seconds"] = [
            .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
            .seconds(60), .seconds(120), .seconds(300), .seconds(600),
        ]
        MetricsSystem.bootstrap(factory)
    }

    /// The status server on the configured port, or nil when the port is 0.
    static func server(worker: AssembledWorker, queue: any JobQueue, registry: PrometheusCollectorRegistry,
                       settings: EnvironmentSettings, defaultPort: Int) throws -> WorkerStatusServer? {
        let port = try settings.integer("AGENT_WORKER_PORT", default: defaultPort, range: 0...65535)
        guard port > 0 else { return nil }
        return WorkerStatusServer(
            worker: worker.service, queue: queue, gauges: QueueGauges(registry: registry),
            host: settings.nonEmpty("AGENT_WORKER_HOST") ?? "0.0.0.0", port: port, peersAnswer: worker.peersAnswer)
    }
}
