import Foundation
import Prometheus
import Queue
import QueueMetrics
import Synchronization

/// The ingest server's Prometheus metrics: requests by route and status, latency, reports,
/// ignored CloudEvents, and the queue's state (`QueueGauges`, read from the database at scrape time).
public final class IngestMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let queueGauges: QueueGauges
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
        queueGauges = QueueGauges(registry: registry)
        var counters: [ReportKey: Counter] = [:]
        for source in JobSource.allCases {
            for duplicate in [false, true] {
                counters[ReportKey(source: source, duplicate: duplicate)] = registry.makeCounter(
                    descriptor: Self.descriptor(
                        "reports", unit: "total",
                        help: "Failure reports received, by source and whether they joined an existing job"),
                    labels: [("source", source.rawValue), ("duplicate", String(duplicate))])
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
                    descriptor: Self.descriptor("http_requests", unit: "total", help: "HTTP requests by route, method and status"),
                    labels: [("route", route), ("method", method), ("status", String(status))]),
                registry.makeDurationHistogram(
                    descriptor: Self.descriptor("http_request_duration", unit: "seconds", help: "HTTP request latency by route"),
                    labels: [("route", route)], buckets: Self.latencyBuckets)
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
            descriptor: Self.descriptor(
                "cloudevents_ignored", unit: "total", help: "CloudEvents acknowledged without queuing a job, by event type"),
            labels: [("type", type)]
        ).increment()
    }

    /// The exposition text, with the queue gauges set from `stats`.
    public func render(stats: QueueStats, now: Date = Date()) -> String {
        queueGauges.exposition(stats, now: now)
    }

    /// A `pipeline_agent_NAME[_UNIT]` metric name (Prometheus naming: the unit, or `total` for
    /// counters, as the suffix).
    private static func descriptor(_ name: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "pipeline_agent", metricName: name, unitName: unit, helpText: help)
    }
}
