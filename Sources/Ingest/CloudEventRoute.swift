import Foundation
import Hummingbird
import Queue

/// `POST /cloudevents`: Tekton's CloudEvents sink. A failed TaskRun becomes one job per failed
/// step; every other event is acknowledged with 202 and counted, never rejected (Tekton would
/// retry a non-2xx answer).
struct CloudEventRoute: Sendable {
    let queue: any JobQueue
    let configuration: IngestConfiguration
    let metrics: IngestMetrics

    struct Queued: Encodable {
        let jobs: [ReportRoute.Accepted]
        let ignored = false
    }

    struct Ignored: Encodable {
        let ignored = true
        let type: String
        let reason: String
    }

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await RequestBodyReader.body(request, limit: configuration.maxCloudEventBytes)
        let outcome: CloudEventOutcome
        let headers = Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { first, _ in first })
        do throws(CloudEventError) {
            outcome = try TektonEventInterpreter.outcome(for: CloudEventParser.parse(headers: headers, body: body))
        } catch {
            throw error.apiError
        }
        switch outcome {
        case .ignored(let type, let reason):
            metrics.recordIgnoredCloudEvent(type: TektonEventInterpreter.metricLabel(forType: type))
            context.logger.debug("cloudevent ignored", metadata: ["type": "\(type)", "reason": "\(reason)"])
            return JSONBody.response(.accepted, Ignored(type: type, reason: reason))
        case .reports(let reports):
            for report in reports {
                try report.validate()
                if let allowlist = configuration.namespaces, !allowlist.allows(report.namespace) {
                    throw APIError.namespaceNotAllowed(report.namespace, allowlist)
                }
            }
            var accepted: [ReportRoute.Accepted] = []
            for report in reports {
                let result = try await queue.enqueue(report)
                metrics.recordReport(source: .cloudevent, duplicate: result.duplicate)
                accepted.append(ReportRoute.Accepted(
                    jobID: result.job.id, status: result.job.state, duplicate: result.duplicate ? true : nil))
            }
            return JSONBody.response(.accepted, Queued(jobs: accepted), headers: ReportRoute.location(accepted[0].jobID))
        }
    }
}
