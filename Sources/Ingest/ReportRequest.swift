import Foundation
import JSON
import Queue

/// The body of `POST /report-failure`, the original prototype's contract plus optional
/// `pipeline_run` and `task`. Unknown fields are ignored.
struct ReportRequest {
    let namespace: String
    let podName: String
    let containerName: String?
    let pipelineRun: String?
    let task: String?

    /// Parses and validates a body; every problem is an `APIError` naming the field and rule.
    /// Read with the byte-level JSON parser: on every report's path, JSONDecoder cost more than
    /// the rest of the handler.
    static func parse(_ data: Data) throws -> ReportRequest {
        let fields: [String: JSONValue]
        do {
            guard case .object(let object) = try JSONValue.decode(data) else {
                throw APIError(.badRequest, code: "malformed_json", message: "body must be a JSON object")
            }
            fields = object
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.badRequest, code: "malformed_json", message: "body is not valid JSON")
        }
        let report = ReportRequest(
            namespace: try required(fields, "namespace"), podName: try required(fields, "pod_name"),
            containerName: try optional(fields, "container_name"), pipelineRun: try optional(fields, "pipeline_run"),
            task: try optional(fields, "task"))
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

    private static func required(_ fields: [String: JSONValue], _ key: String) throws -> String {
        guard let value = try optional(fields, key) else { throw APIError.invalidField(key, "is required") }
        return value
    }

    /// A string, or absent/null/empty (which all mean "not given").
    private static func optional(_ fields: [String: JSONValue], _ key: String) throws -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value.isEmpty ? nil : value
        default: throw APIError.invalidField(key, "must be a string")
        }
    }
}
