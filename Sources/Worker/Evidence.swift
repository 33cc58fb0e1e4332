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
}

/// Why evidence could not be collected.
public enum EvidenceError: JobFailureConvertible, CustomStringConvertible {
    /// The pod (or container) does not exist: another try will not change that.
    case unknownPod(namespace: String, pod: String, detail: String)
    /// The server does not offer `pods_log`.
    case missingTool(String)

    public var description: String {
        switch self {
        case .unknownPod(let namespace, let pod, let detail): "pod \(namespace)/\(pod) not found: \(detail)"
        case .missingTool(let tool): "the Kubernetes MCP server offers no \(tool) tool"
        }
    }

    public var jobFailure: JobFailure {
        switch self {
        case .unknownPod: JobFailure(message: description, errorClass: "unknown_pod", retryable: false)
        case .missingTool: JobFailure(message: description, errorClass: "mcp_missing_tool", retryable: false)
        }
    }
}
