import Foundation
import Hummingbird
import Queue

/// `POST /report-failure`: validate, dedupe and queue a report in one transaction, then answer
/// 202 (new job) or 200 (duplicate) — or, with `?wait=SECONDS`, the prototype's answer once
/// the job has ended.
struct ReportRoute: Sendable {
    let queue: any JobQueue
    let configuration: IngestConfiguration
    let metrics: IngestMetrics
    /// Shared by every request of one server.
    let waiters: WaiterLimit
    let watch: JobEndWatch

    struct Accepted: Encodable {
        let jobID: Int64
        let status: JobState
        let duplicate: Bool?

        enum CodingKeys: String, CodingKey {
            case status, duplicate
            case jobID = "job_id"
        }

        /// The same JSON as the encoder's (sorted keys), written directly: this answer is on
        /// every report's path and JSONEncoder costs more than the rest of the handler.
        /// Nothing needs escaping: the state is one of a few lowercase words.
        var jsonText: String {
            let duplicateMember = duplicate.map { #""duplicate":\#($0),"# } ?? ""
            return #"{\#(duplicateMember)"job_id":\#(jobID),"status":"\#(status.rawValue)"}"#
        }
    }

    /// The prototype's answer: `{"status": "success"|"error", "result": "…"}`.
    struct Outcome: Encodable {
        let status: String
        let result: String
    }

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let wait = try Self.waitDuration(request, max: configuration.maxWait)
        // A slot is taken before anything else, so a refused request made no job.
        if wait != nil {
            guard waiters.acquire() else {
                throw APIError.unavailable(
                    retryAfter: configuration.retryAfterSeconds,
                    "too many requests are waiting (AGENT_MAX_WAITERS=\(waiters.capacity)); retry later or report without ?wait")
            }
        }
        defer { if wait != nil { waiters.release() } }
        let body = try await RequestBodyReader.json(request, limit: configuration.maxBodyBytes)
        let report = try ReportRequest.parse(body)
        if let allowlist = configuration.namespaces, !allowlist.allows(report.namespace) {
            throw APIError.namespaceNotAllowed(report.namespace, allowlist)
        }
        let result = try await queue.enqueue(report.newJob(source: .webhook))
        metrics.recordReport(source: .webhook, duplicate: result.duplicate)
        context.logger.debug("report queued", metadata: [
            "job_id": "\(result.job.id)", "duplicate": "\(result.duplicate)", "namespace": "\(report.namespace)",
            "pod": "\(report.podName)",
        ])
        if let wait {
            if let finished = try await watch.wait(for: result.job.id, timeout: wait) {
                return JSONBody.response(.ok, Self.outcome(of: finished), headers: Self.location(result.job.id))
            }
        }
        let accepted = Accepted(jobID: result.job.id, status: result.job.state, duplicate: result.duplicate ? true : nil)
        return JSONBody.response(result.duplicate ? .ok : .accepted, text: accepted.jsonText, headers: Self.location(result.job.id))
    }

    static func location(_ id: Int64) -> HTTPFields { [.location: "/jobs/\(id)"] }

    static func waitDuration(_ request: Request, max: Duration) throws -> Duration? {
        guard let text = request.uri.queryParameters["wait"] else { return nil }
        guard let seconds = Double(String(text)), seconds.isFinite, seconds >= 0, seconds <= max.seconds else {
            throw APIError.invalidField("wait", "must be a number of seconds between 0 and \(Int(max.seconds))")
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    static func outcome(of job: Job) -> Outcome {
        switch job.state {
        case .succeeded:
            if let url = issueURL(in: job.result) { return Outcome(status: "success", result: "Issue created: \(url)") }
            return Outcome(status: "success", result: job.result ?? "analysis finished")
        default:
            return Outcome(status: "error", result: job.lastError ?? "job \(job.id) \(job.state.rawValue)")
        }
    }

    /// The issue URL the worker recorded in the job's result (`issue_url`).
    static func issueURL(in result: String?) -> String? {
        guard let data = result?.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["issue_url"] as? String
    }
}
