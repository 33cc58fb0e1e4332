import CoreMetrics
import Foundation

/// The worker's metrics, through swift-metrics: the process bootstraps the backend
/// (Prometheus in `pipeline-agent`), so this module knows no exposition format. Names follow
/// Prometheus conventions (`_total` for counters, `_seconds` for durations).
enum WorkerMetrics {
    /// One per finished attempt: `outcome` is succeeded, retry, failed, dead, released, deferred
    /// or lease_lost; `error_class` is the classifier's class ("" when none).
    static func attemptEnded(outcome: String, errorClass: String?, duration: Duration) {
        Counter(label: "pipeline_agent_worker_jobs_total",
                dimensions: [("outcome", outcome), ("error_class", errorClass ?? "")]).increment()
        Timer(label: "pipeline_agent_worker_attempt_duration_seconds", dimensions: [("outcome", outcome)])
            .recordNanoseconds(duration.nanoseconds)
    }

    static func leasesInFlight(_ count: Int) {
        Gauge(label: "pipeline_agent_worker_leases_in_flight").record(count)
    }

    static func rescued(_ count: Int) {
        Counter(label: "pipeline_agent_worker_rescued_total").increment(by: count)
    }

    /// A new issue filed: `analysis` is `model`, or `fallback` when the model's answer failed
    /// the quality gates and the issue was built from the evidence.
    static func issueFiled(analysis: String) {
        Counter(label: "pipeline_agent_issues_filed_total", dimensions: [("analysis", analysis)]).increment()
    }

    /// Tokens the model read (`in`) and wrote (`out`).
    static func modelTokens(input: Int, output: Int) {
        Counter(label: "pipeline_agent_model_tokens_total", dimensions: [("direction", "in")]).increment(by: input)
        Counter(label: "pipeline_agent_model_tokens_total", dimensions: [("direction", "out")]).increment(by: output)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
