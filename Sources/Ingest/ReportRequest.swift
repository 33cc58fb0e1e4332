import Foundation
import Queue

/// The body of `POST /report-failure`, the original prototype's contract plus optional
/// `pipeline_run` and `task`. Unknown fields are ignored.
struct ReportRequest: Decodable {
    let namespace: String
    let podName: String
    let containerName: String?
    let pipelineRun: String?
    let task: String?

    enum CodingKeys: String, CodingKey {
        case namespace, task
        case podName = "pod_name"
        case containerName = "container_name"
        case pipelineRun = "pipeline_run"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        namespace = try Self.required(container, .namespace)
        podName = try Self.required(container, .podName)
        containerName = try Self.optional(container, .containerName)
        pipelineRun = try Self.optional(container, .pipelineRun)
        task = try Self.optional(container, .task)
    }

    /// Parses and validates a body; every problem is an `APIError` naming the field and rule.
    static func parse(_ data: Data) throws -> ReportRequest {
        let report: ReportRequest
        do {
            report = try JSONDecoder().decode(ReportRequest.self, from: data)
        } catch let error as APIError {
            throw error
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            throw APIError(.badRequest, code: "malformed_json", message: "body must be a JSON object")
        } catch {
            throw APIError(.badRequest, code: "malformed_json", message: "body is not valid JSON")
        }
        try report.newJob(source: .webhook).validate()
        for (field, value) in [("pipeline_run", report.pipelineRun), ("task", report.task)] {
            if let value, let violation = KubernetesName.dns1123Subdomain.violation(value) {
                throw APIError.invalidField(field, violation)
            }
        }
        return report
    }

    func newJob(source: JobSource) -> NewJob {
        NewJob(namespace: namespace, pod: podName, container: containerName, pipelineRun: pipelineRun, task: task, source: source)
    }

    private static func required(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String {
        guard let value = try optional(container, key) else {
            throw APIError.invalidField(key.stringValue, "is required")
        }
        return value
    }

    /// A string, or absent/null/empty (which all mean "not given").
    private static func optional(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String? {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
        guard let value = try? container.decode(String.self, forKey: key) else {
            throw APIError.invalidField(key.stringValue, "must be a string")
        }
        return value.isEmpty ? nil : value
    }
}
