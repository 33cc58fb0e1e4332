import Foundation
import Hummingbird
import Queue

/// `GET /jobs/{id}`: where a report is — state, attempts, times, last error, result.
struct JobRoute: Sendable {
    let queue: any JobQueue

    struct View: Encodable {
        let job: Job
        /// The created issue's URL, when the worker recorded one.
        let issueURL: String?

        enum CodingKeys: String, CodingKey {
            case issueURL = "issue_url"
        }

        func encode(to encoder: any Encoder) throws {
            try job.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(issueURL, forKey: .issueURL)
        }
    }

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.invalidField("id", "must be a positive integer")
        }
        guard let job = try await queue.job(id: id) else {
            throw APIError(.notFound, code: "not_found", message: "job \(id) not found")
        }
        return JSONBody.response(.ok, View(job: job, issueURL: ReportRoute.issueURL(in: job.result)))
    }
}
