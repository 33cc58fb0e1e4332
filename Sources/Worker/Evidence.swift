import Queue

/// What the worker learned about a failed pod before asking the model anything.
public struct Evidence: Sendable, Equatable {
    /// The container whose log this is (the report's, or the first failed one found).
    public var container: String?
    /// The container's log tail, unredacted: it never leaves the process as is.
    public var log: String
    /// The log of the container's previous run, when it restarted.
    public var previousLog: String?
    /// The pod as `pods_get` printed it, when the server offers that tool.
    public var pod: String?
    /// Events mentioning the pod, when the server offers `events_list`.
    public var events: String?
    /// How the container's current run ended (`state.terminated` in the pod status), when the
    /// pod was readable and the container has terminated.
    public var terminationReason: String? = nil
    public var exitCode: Int? = nil
    /// Optional evidence that could not be had (pod status, the previous run's log, events),
    /// each with why: said to the model and kept in the transcript, never a failure.
    public var missing: [String] = []
}

/// Why evidence could not be collected.
public enum EvidenceError: JobFailureConvertible, CustomStringConvertible {
    /// The pod (or container) does not exist: another try will not change that.
    case unknownPod(namespace: String, pod: String, detail: String)
    /// The server does not offer `pods_log`.
    case missingTool(String)
    /// The server answered with an error that is not "not found".
    case toolFailed(tool: String, namespace: String, pod: String, detail: String)

    public var description: String {
        switch self {
        case .unknownPod(let namespace, let pod, let detail): "pod \(namespace)/\(pod) not found: \(detail)"
        case .missingTool(let tool): "the Kubernetes MCP server offers no \(tool) tool"
        case .toolFailed(let tool, let namespace, let pod, let detail): "\(tool) of \(namespace)/\(pod) failed: \(detail)"
        }
    }

    /// A tool's error answer: the pod is gone only when the Kubernetes API said NotFound
    /// (`pods "x" not found`); anything else (API timeouts, 429, 5xx, RBAC during a token
    /// rotation) may pass, so it is retried.
    static func toolError(_ tool: String, namespace: String, pod: String, detail: String) -> EvidenceError {
        let detail = String(detail.prefix(500))
        // `container x is not valid for pod y`: the report names a container the pod lacks.
        if detail.localizedCaseInsensitiveContains("not found") || detail.localizedCaseInsensitiveContains("is not valid for pod") {
            return .unknownPod(namespace: namespace, pod: pod, detail: detail)
        }
        return .toolFailed(tool: tool, namespace: namespace, pod: pod, detail: detail)
    }

    public var jobFailure: JobFailure {
        switch self {
        case .unknownPod: JobFailure(message: description, errorClass: "unknown_pod", retryable: false)
        case .missingTool: JobFailure(message: description, errorClass: "mcp_missing_tool", retryable: false)
        case .toolFailed: JobFailure(message: description, errorClass: "mcp_tool_error", retryable: true)
        }
    }
}
