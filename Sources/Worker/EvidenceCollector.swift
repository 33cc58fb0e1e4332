import Foundation
import JSON
import MCPClient

/// Collects the evidence of one failed pod through the Kubernetes MCP server, deterministically
/// and before the model runs: the exact container's log (found with `pods_get` when the report
/// names none), its previous run's log after a restart, and the pod's events. Only the failed
/// container's log is required; the pod's status, the previous log and the events are
/// best-effort: an error, a timeout or an answer over the size limit leaves a note in
/// `Evidence.missing` instead of failing the job.
public struct EvidenceCollector: Sendable {
    public let kubernetes: MCPClient
    /// Log lines fetched from the end of the container's log.
    public let tailLines: Int

    public init(kubernetes: MCPClient, tailLines: Int = 5000) {
        self.kubernetes = kubernetes
        self.tailLines = tailLines
    }

    public func collect(namespace: String, pod: String, container: String?) async throws -> Evidence {
        let listed = try await kubernetes.listTools()
        guard let logTool = listed.first(where: { $0.name == "pods_log" }) else { throw EvidenceError.missingTool("pods_log") }
        let tools = Set(listed.map(\.name))
        let tailArgument = Self.tailArgument(of: logTool)

        var missing: [String] = []
        var podText: String?
        var status: PodStatusReader.ContainerState?
        if tools.contains("pods_get") {
            switch try await optional("pods_get", ["namespace": .string(namespace), "name": .string(pod)]) {
            case .success(let text):
                podText = text
                // A report without a container (a timeout, an image that would not pull) still
                // gets one: the API refuses a log request without it for a pod of several containers.
                status = PodStatusReader(yaml: text).state(of: container)
            case .failure(let reason):
                // A pod that is gone shows in its log's answer, which decides.
                missing.append("pod status (pods_get): \(reason)")
            }
        }
        let chosen = container ?? status?.name

        let log = try await podLog(namespace: namespace, pod: pod, container: chosen, previous: false, tailArgument: tailArgument)
        var previousLog: String?
        if (status?.restartCount ?? 0) > 0 {
            // The previous run may have failed differently (e.g. OOMKilled).
            var arguments = logArguments(namespace: namespace, pod: pod, container: chosen, tailArgument: tailArgument)
            arguments["previous"] = .bool(true)
            switch try await optional("pods_log", arguments) {
            case .success(let text): previousLog = text
            case .failure(let reason): missing.append("the previous run's log: \(reason)")
            }
        }
        var events: String?
        if tools.contains("events_list") {
            switch try await optional("events_list", ["namespace": .string(namespace)]) {
            case .success(let text):
                let mentions = text.split(separator: "\n").filter { $0.contains(pod) }
                events = mentions.isEmpty ? nil : mentions.joined(separator: "\n")
            case .failure(let reason):
                missing.append("events (events_list): \(reason)")
            }
        } else {
            missing.append("events: the Kubernetes MCP server offers no events_list")
        }
        return Evidence(container: chosen, log: log, previousLog: previousLog, pod: podText, events: events,
                        terminationReason: status?.reason, exitCode: status?.exitCode, missing: missing)
    }

    /// Why a best-effort piece of evidence is missing.
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// A best-effort call: its text, or why there is none (the tool's error, or the call's:
    /// a timeout, an answer over the size limit, a server that dropped the connection).
    /// Cancellation still ends the job.
    private func optional(_ tool: String, _ arguments: [String: JSONValue]) async throws -> Result<String, Unavailable> {
        do {
            let result = try await kubernetes.callTool(tool, arguments: arguments)
            if result.isError { return .failure(Unavailable(description: String(result.text.prefix(300)))) }
            return .success(result.text)
        } catch let error {
            if case .cancelled = error { throw error }
            return .failure(Unavailable(description: String(String(describing: error).prefix(300))))
        }
    }

    private func logArguments(namespace: String, pod: String, container: String?, tailArgument: String?) -> [String: JSONValue] {
        var arguments: [String: JSONValue] = ["namespace": .string(namespace), "name": .string(pod)]
        if let tailArgument { arguments[tailArgument] = .int(tailLines) }
        if let container { arguments["container"] = .string(container) }
        return arguments
    }

    private func podLog(namespace: String, pod: String, container: String?, previous: Bool, tailArgument: String?) async throws -> String {
        var arguments = logArguments(namespace: namespace, pod: pod, container: container, tailArgument: tailArgument)
        if previous { arguments["previous"] = .bool(true) }
        let result = try await kubernetes.callTool("pods_log", arguments: arguments)
        // A container that never started (image pull, missing Secret) has no log; its status
        // and the pod's events tell the story.
        if result.isError, Self.neverStarted(result.text) { return "" }
        if result.isError { throw EvidenceError.toolError("pods_log", namespace: namespace, pod: pod, detail: result.text) }
        return result.text
    }

    /// The Kubernetes API's answer for the log of a container that has not started.
    static func neverStarted(_ text: String) -> Bool {
        ["is waiting to start", "ContainerCreating", "PodInitializing"].contains { text.contains($0) }
    }

    /// The name `pods_log` gives its line limit: containers/kubernetes-mcp-server says `tail`
    /// (default 100 lines), some servers `tailLines`; nil when it takes none (whole log).
    static func tailArgument(of tool: MCPTool) -> String? {
        let properties = tool.inputSchema["properties"]?.objectValue ?? [:]
        return ["tail", "tailLines"].first { properties[$0] != nil }
    }
}
