import JSON
import MCPClient

/// Which tools the model may use, which of them write, and what is forced on their arguments.
public struct ToolPolicy: Sendable, Equatable {
    /// Read-only Kubernetes tools plus the issue tools of the Gitea MCP servers (the PyPI
    /// gitea-mcp and Gitea's own server name them differently).
    public static let defaultAllowedTools: Set<String> = [
        "pods_log", "pods_get", "events_list",
        "create_issue", "add_comment", "create_issue_comment",
        "list_issues", "list_repo_issues", "search_issues", "get_issue", "get_issue_by_index",
    ]

    public var allowedTools: Set<String>
    /// Issue tools get `owner`/`repo` replaced by this repository; nil leaves them alone.
    public var repository: IssueRepository?
    /// Writing tools are withheld: the call is answered, not made (`agentctl analyze --dry-run`).
    public var dryRun: Bool
    /// Put first in the body of every issue the model creates, e.g. the worker's fingerprint
    /// marker `<!-- pipeline-agent:fingerprint=… -->` (an HTML comment, invisible when rendered),
    /// so the issue can be found again even by a listing that cuts bodies to a short preview.
    public var issueBodyMarker: String?

    public init(
        allowedTools: Set<String> = ToolPolicy.defaultAllowedTools, repository: IssueRepository?, dryRun: Bool = false,
        issueBodyMarker: String? = nil
    ) {
        self.allowedTools = allowedTools
        self.repository = repository
        self.dryRun = dryRun
        self.issueBodyMarker = issueBodyMarker
    }

    /// `AGENT_TOOL_ALLOWLIST` (comma-separated) replaces the default list.
    public static func allowedTools(environment: [String: String]) -> Set<String> {
        guard let list = environment["AGENT_TOOL_ALLOWLIST"], !list.trimmingCharacters(in: .whitespaces).isEmpty else {
            return defaultAllowedTools
        }
        return Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    public func allows(_ name: String) -> Bool { allowedTools.contains(name) }

    /// A tool that changes something: the server's `readOnlyHint` wins, else the verb in its name.
    public static func writes(_ tool: MCPTool) -> Bool {
        if tool.annotations?["readOnlyHint"]?.boolValue == true { return false }
        return writes(name: tool.name)
    }

    public static func writes(name: String) -> Bool {
        let verbs = ["create", "add", "update", "edit", "delete", "close", "merge", "post", "set", "remove", "write", "patch", "apply"]
        return name.lowercased().split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == "." }).contains { verbs.contains(String($0)) }
    }

    /// `body` with `marker` as its first line (moved there if the text had it elsewhere).
    public static func marked(_ body: String, with marker: String) -> String {
        let rest = body.replacingOccurrences(of: marker, with: "").trimmingCharacters(in: .whitespacesAndNewlines)
        return rest.isEmpty ? marker : marker + "\n\n" + rest
    }

    /// Tools that open an issue, whose result names the issue created.
    public static func createsIssue(name: String) -> Bool { name == "create_issue" }

    /// Replaces what a call may not choose, and returns the arguments to send and the keys whose
    /// values changed: `owner`/`repo` of issue tools become the configured repository; with a
    /// pod, `namespace` of every tool that takes one becomes the pod's, and `name` of the pod
    /// tools (`pods_*`) the pod's — so text planted in a log cannot steer the model to another
    /// pod's log, spec or secrets, or to every namespace's events.
    public func forcing(_ arguments: [String: JSONValue], for tool: MCPTool, pod: PodContext? = nil) -> ([String: JSONValue], [String]) {
        let properties = tool.inputSchema["properties"]?.objectValue ?? [:]
        var forced = arguments
        var changed: [String] = []
        func force(_ key: String, _ value: String) {
            guard properties[key] != nil || arguments[key] != nil else { return }
            if forced[key] != .string(value) { changed.append(key) }
            forced[key] = .string(value)
        }
        if let repository {
            force("owner", repository.owner)
            force("repo", repository.repo)
        }
        if let pod {
            force("namespace", pod.namespace)
            if tool.name.hasPrefix("pods_") { force("name", pod.pod) }
        }
        return (forced, changed)
    }
}
