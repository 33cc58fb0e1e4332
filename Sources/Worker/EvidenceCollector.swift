import Foundation
import JSON
import MCPClient

/// Collects the evidence of one failed pod through the Kubernetes MCP server, deterministically
/// and before the model runs: the exact container's log (found with `pods_get` when the report
/// names none), its previous run's log after a restart, and the pod's events.
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

        var podText: String?
        var status: PodStatusReader.ContainerState?
        if tools.contains("pods_get") {
            let result = try await kubernetes.callTool("pods_get", arguments: ["namespace": .string(namespace), "name": .string(pod)])
            if result.isError { throw EvidenceError.toolError("pods_get", namespace: namespace, pod: pod, detail: result.text) }
            podText = result.text
            // A report without a container (a timeout, an image that would not pull) still gets
            // one: the API refuses a log request without it for a pod of several containers.
            status = PodStatusReader(yaml: result.text).state(of: container)
        }
        let chosen = container ?? status?.name

        let log = try await podLog(namespace: namespace, pod: pod, container: chosen, previous: false, tailArgument: tailArgument)
        var previousLog: String?
        if (status?.restartCount ?? 0) > 0 {
            // The previous run may have failed differently (e.g. OOMKilled); a missing one is no error.
            previousLog = try? await podLog(namespace: namespace, pod: pod, container: chosen, previous: true, tailArgument: tailArgument)
        }
        var events: String?
        if tools.contains("events_list") {
            let result = try await kubernetes.callTool("events_list", arguments: ["namespace": .string(namespace)])
            if !result.isError {
                let mentions = result.text.split(separator: "\n").filter { $0.contains(pod) }
                events = mentions.isEmpty ? nil : mentions.joined(separator: "\n")
            }
        }
        return Evidence(container: chosen, log: log, previousLog: previousLog, pod: podText, events: events,
                        terminationReason: status?.reason, exitCode: status?.exitCode)
    }

    private func podLog(namespace: String, pod: String, container: String?, previous: Bool, tailArgument: String?) async throws -> String {
        var arguments: [String: JSONValue] = ["namespace": .string(namespace), "name": .string(pod)]
        if let tailArgument { arguments[tailArgument] = .int(tailLines) }
        if let container { arguments["container"] = .string(container) }
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
