import Foundation
import Prometheus
import Queue
import Synchronization

/// The ingest server's Prometheus metrics: requests by route and status, latency, reports,
/// ignored CloudEvents, and the queue's state (read from the database at scrape time).
public final class IngestMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Handles by label values: the registry's own lookup hashes label arrays on every call,
    /// which shows up on the request path.
    private let requestMetrics = Mutex<[RequestKey: (Counter, DurationHistogram)]>([:])
    /// Report counters by source and duplicate flag, made once: there are only six.
    private let reportCounters: [ReportKey: Counter]

    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private struct ReportKey: Hashable {
        let source: JobSource
        let duplicate: Bool
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var counters: [ReportKey: Counter] = [:]
        for source in JobSource.allCases {
            for duplicate in [false, true] {
                counters[ReportKey(source: source, duplicate: duplicate)] = registry.makeCounter(
                    name: "pipeline_agent_reports_total",
                    labels: [("source", source.rawValue), ("duplicate", String(duplicate))],
                    help: "Failure reports received, by source and whether they joined an existing job")
            }
        }
        reportCounters = counters
    }

    private static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(1000),
        .seconds(5), .seconds(30), .seconds(300),
    ]

    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let key = RequestKey(route: route, method: method, status: status)
        let (counter, histogram) = requestMetrics.withLock { cache in
            if let handles = cache[key] { return handles }
            let handles = (
                registry.makeCounter(
                    name: "pipeline_agent_http_requests_total",
                    labels: [("route", route), ("method", method), ("status", String(status))],
                    help: "HTTP requests by route, method and status"),
                registry.makeDurationHistogram(
                    name: "pipeline_agent_http_request_duration_seconds", labels: [("route", route)],
                    buckets: Self.latencyBuckets, help: "HTTP request latency by route")
            )
            cache[key] = handles
            return handles
        }
        counter.increment()
        histogram.record(duration)
    }

    func recordReport(source: JobSource, duplicate: Bool) {
        reportCounters[ReportKey(source: source, duplicate: duplicate)]?.increment()
    }

    func recordIgnoredCloudEvent(type: String) {
        registry.makeCounter(
            name: "pipeline_agent_cloudevents_ignored_total", labels: [("type", type)],
            help: "CloudEvents acknowledged without queuing a job, by event type"
        ).increment()
    }

    /// The exposition text, with the queue gauges refreshed from `stats`.
    func render(stats: QueueStats, now: Date = Date()) -> String {
        for state in JobState.allCases {
            registry.makeGauge(name: "pipeline_agent_jobs", labels: [("state", state.rawValue)], help: "Jobs by state")
                .set(Double(stats.counts[state] ?? 0))
        }
        registry.makeGauge(name: "pipeline_agent_queue_depth", help: "Queued jobs").set(Double(stats.queueDepth))
        registry.makeGauge(name: "pipeline_agent_oldest_queued_age_seconds", help: "Age of the oldest queued job")
            .set(stats.oldestQueuedAt.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        return registry.emitToString()
    }
}
