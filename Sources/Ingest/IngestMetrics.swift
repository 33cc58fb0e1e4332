import Foundation
import Prometheus
import Queue

/// The ingest server's Prometheus metrics: requests by route and status, latency, reports,
/// ignored CloudEvents, and the queue's state (read from the database at scrape time).
public struct IngestMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    private static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(1000),
        .seconds(5), .seconds(30), .seconds(300),
    ]

    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(
            name: "pipeline_agent_http_requests_total",
            labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            name: "pipeline_agent_http_request_duration_seconds", labels: [("route", route)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    func recordReport(source: JobSource, duplicate: Bool) {
        registry.makeCounter(
            name: "pipeline_agent_reports_total", labels: [("source", source.rawValue), ("duplicate", String(duplicate))]
        ).increment()
    }

    func recordIgnoredCloudEvent(type: String) {
        registry.makeCounter(name: "pipeline_agent_cloudevents_ignored_total", labels: [("type", type)]).increment()
    }

    /// The exposition text, with the queue gauges refreshed from `stats`.
    func render(stats: QueueStats, now: Date = Date()) -> String {
        for state in JobState.allCases {
            registry.makeGauge(name: "pipeline_agent_jobs", labels: [("state", state.rawValue)])
                .set(Double(stats.counts[state] ?? 0))
        }
        registry.makeGauge(name: "pipeline_agent_queue_depth").set(Double(stats.queueDepth))
        registry.makeGauge(name: "pipeline_agent_oldest_queued_age_seconds")
            .set(stats.oldestQueuedAt.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        return registry.emitToString()
    }
}
