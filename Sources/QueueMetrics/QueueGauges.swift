import Foundation
import Prometheus
import Queue

/// The queue's state as Prometheus gauges: jobs by state (`pipeline_agent_jobs`), queued jobs
/// (`pipeline_agent_queue_depth`) and the age of the oldest queued job
/// (`pipeline_agent_oldest_queued_age_seconds`). Set from `QueueStats` when scraped, not on
/// every transition, because several processes share the queue: ingest's `/metrics` and the
/// worker's both show them under the same names, so either can be scraped for them.
public struct QueueGauges: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let jobs: [JobState: Gauge]
    private let depth: Gauge
    private let oldestQueuedAge: Gauge

    /// Registers the gauges in `registry` (a registry that has them already hands back the same ones).
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        var jobs: [JobState: Gauge] = [:]
        for state in JobState.allCases {
            jobs[state] = registry.makeGauge(
                descriptor: Self.descriptor("jobs", help: "Jobs by state"), labels: [("state", state.rawValue)])
        }
        self.jobs = jobs
        depth = registry.makeGauge(descriptor: Self.descriptor("queue_depth", help: "Queued jobs"))
        oldestQueuedAge = registry.makeGauge(
            descriptor: Self.descriptor("oldest_queued_age", unit: "seconds", help: "Age of the oldest queued job"))
    }

    /// Sets every gauge from `stats`, taken at `now`.
    public func update(_ stats: QueueStats, now: Date = Date()) {
        for (state, gauge) in jobs { gauge.set(Double(stats.counts[state] ?? 0)) }
        depth.set(Double(stats.queueDepth))
        oldestQueuedAge.set(stats.oldestQueuedAt.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    }

    /// The registry's exposition text with the gauges set from `stats` first.
    public func exposition(_ stats: QueueStats, now: Date = Date()) -> String {
        update(stats, now: now)
        return registry.emitToString()
    }

    private static func descriptor(_ name: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "pipeline_agent", metricName: name, unitName: unit, helpText: help)
    }
}
