import Analysis
import Foundation
import JSON
import MCPClient
import Queue

/// `IssueTracker` over a Gitea MCP server's issue tools, always in the configured repository.
/// The tools are resolved by capability from the server's `tools/list` (`IssueToolSet`), so
/// Gitea's own server and the PyPI gitea-mcp both work, whatever their release calls them.
/// Bodies are redacted before they leave the process.
public struct GiteaIssueTracker: IssueTracker {
    public let client: MCPClient
    public let owner: String
    public let repo: String
    public let redactor: SecretRedactor
    /// Open issues scanned for a marker.
    public let searchLimit: Int
    /// Issues of a listing that shows too little of their bodies (none, or a preview without
    /// the marker) read in full while looking for a marker, newest first as listed.
    public let fullReadLimit: Int
    static let pageSize = 50

    public init(client: MCPClient, owner: String, repo: String, redactor: SecretRedactor = SecretRedactor(), searchLimit: Int = 500,
                fullReadLimit: Int = 20) {
        self.client = client
        self.owner = owner
        self.repo = repo
        self.redactor = redactor
        self.searchLimit = searchLimit
        self.fullReadLimit = fullReadLimit
    }

    /// The server's issue operations (its tool list is cached per session).
    public func tools() async throws -> IssueToolSet {
        try IssueToolSet.resolve(try await client.listTools())
    }

    public func createIssue(title: String, body: String) async throws -> FiledIssue {
        let operation = try await tools().create
        let result = try await call(operation, operation.arguments([
            "title": .string(redactor.redact(title)), "body": .string(redactor.redact(body)),
        ]))
        guard let issue = Self.issue(from: Self.payload(of: result)) else {
            throw GiteaToolError.unexpectedResult(tool: operation.tool, text: String(result.text.prefix(300)))
        }
        return issue
    }

    public func comment(onIssue number: Int, body: String) async throws {
        let operation = try await tools().comment
        _ = try await call(operation, operation.arguments(issue: number, ["body": .string(redactor.redact(body))]))
    }

    /// The marker is looked for where the listing shows it: a row whose body holds it is the
    /// issue. A listing may cut bodies to a preview or leave them out; the worker writes the
    /// marker first in the body so a preview keeps it, and rows that show no body, or a cut one
    /// without a marker of this agent at its start, are read in full (up to `fullReadLimit`).
    public func findOpenIssue(containing marker: String) async throws -> FiledIssue? {
        let tools = try await tools()
        guard let list = tools.list else {
            throw GiteaToolError.missingOperation("list issues", offered: try await client.listTools().map(\.name))
        }
        var candidates: [Int] = []
        var page = 1
        var seen = 0
        var numbers: Set<Int> = []
        while seen < searchLimit {
            var extra: [String: JSONValue] = [:]
            if list.takesState { extra["state"] = "open" }
            if list.takesPage { extra["page"] = .int(page) }
            if let size = list.pageSizeParameter { extra[size] = .int(Self.pageSize) }
            let payload = Self.payload(of: try await call(list, list.arguments(extra)))
            let rows = Self.rows(payload)
            // A server that ignores `page` repeats its first page: stop rather than loop.
            var fresh: [JSONValue] = []
            for row in rows {
                guard let number = row["number"]?.intValue else { fresh.append(row); continue }
                if numbers.insert(number).inserted { fresh.append(row) }
            }
            for row in fresh where row["state"]?.stringValue ?? "open" == "open" {
                switch Self.match(row, marker: marker) {
                case .found:
                    // Compact rows carry no URL: the issue itself has it.
                    if let issue = Self.issue(from: row) { return issue }
                    if let number = row["number"]?.intValue, let issue = Self.issue(from: try await readIssue(number, tools: tools)) {
                        return issue
                    }
                case .unknown: if let number = row["number"]?.intValue { candidates.append(number) }
                case .other: break
                }
            }
            seen += rows.count
            // A short page is not the last one: Gitea caps pages at MAX_RESPONSE_ITEMS, which
            // may be below the size asked for. The listing ends with an empty (or repeated) page.
            if fresh.isEmpty || !list.takesPage { break }
            page += 1
        }
        for number in candidates.prefix(fullReadLimit) {
            guard let issue = try await readIssue(number, tools: tools) else { continue }
            if issue["body"]?.stringValue?.contains(marker) == true, issue["state"]?.stringValue != "closed" {
                return Self.issue(from: issue)
            }
        }
        return nil
    }

    /// A listing's rows: the JSON array itself, or wrapped (`{"result": [...]}` as structured content).
    static func rows(_ payload: JSONValue?) -> [JSONValue] {
        if let rows = payload?.arrayValue { return rows }
        if let rows = payload?["result"]?.arrayValue { return rows }
        return payload?["issues"]?.arrayValue ?? []
    }

    enum RowMatch { case found, other, unknown }

    /// Whether a listing row is the marker's issue, is not, or cannot tell without a full read.
    static func match(_ row: JSONValue, marker: String) -> RowMatch {
        guard let body = row["body"]?.stringValue else { return .unknown }
        if body.contains(marker) { return .found }
        let cut = body.hasSuffix("...") || body.hasSuffix("…")
        // This agent's marker opens the body: a preview that starts with another marker is
        // another failure's issue.
        if !cut || body.hasPrefix(markerPrefix) { return .other }
        return .unknown
    }

    /// What every marker of this agent starts with.
    static let markerPrefix = "<!-- pipeline-agent:"

    public func isOpen(issue number: Int) async throws -> Bool? {
        guard let issue = try await readIssue(number, tools: tools()) else { return nil }
        guard let state = issue["state"]?.stringValue else {
            throw GiteaToolError.unexpectedResult(tool: try await tools().read?.tool ?? "read", text: String(issue.jsonText.prefix(300)))
        }
        return state != "closed"
    }

    public func hasComment(onIssue number: Int, containing marker: String) async throws -> Bool {
        let tools = try await tools()
        let list: [JSONValue]
        if let operation = tools.comments {
            let payload = Self.payload(of: try await call(operation, operation.arguments(issue: number)))
            list = payload?.arrayValue ?? payload?["result"]?.arrayValue ?? []
        } else {
            list = try await readIssue(number, tools: tools)?["comments_list"]?.arrayValue ?? []
        }
        return list.contains { $0["body"]?.stringValue?.contains(marker) == true }
    }

    /// One issue in full; nil when it does not exist (deleted, or never was).
    func readIssue(_ number: Int, tools: IssueToolSet) async throws -> JSONValue? {
        guard let operation = tools.read else {
            throw GiteaToolError.missingOperation("read an issue", offered: try await client.listTools().map(\.name))
        }
        var arguments = operation.arguments(issue: number)
        arguments["owner"] = .string(owner)
        arguments["repo"] = .string(repo)
        let result: MCPToolResult
        do {
            result = try await client.callTool(operation.tool, arguments: arguments)
        } catch {
            // Servers on older MCP libraries answer a failed tool with a JSON-RPC error.
            if Self.rpcErrorSaysNotFound(error) { return nil }
            throw error
        }
        if result.isError, Self.saysNotFound(result.text) { return nil }
        if result.isError { throw GiteaToolError.toolFailed(tool: operation.tool, text: String(result.text.prefix(500))) }
        guard let payload = Self.payload(of: result), payload.objectValue != nil else {
            throw GiteaToolError.unexpectedResult(tool: operation.tool, text: String(result.text.prefix(300)))
        }
        return payload["result"]?.objectValue != nil && payload["number"] == nil ? payload["result"] : payload
    }

    static func rpcErrorSaysNotFound(_ error: MCPError) -> Bool {
        guard case .rpcError(_, _, _, let message) = error else { return false }
        return saysNotFound(message)
    }

    /// Gitea's "no such issue", as the servers relay it: gitea-mcp (PyPI) says
    /// `[GET <url>] 404: <message>`; Gitea's server `get o/r/issue/N err: 404 Not Found` or,
    /// with newer SDKs, Gitea's own message ("The target couldn't be found.", "issue does not exist").
    static func saysNotFound(_ text: String) -> Bool {
        ["] 404:", "404 Not Found", "couldn't be found", "does not exist", "IsErrIssueNotExist"].contains { text.contains($0) }
    }

    private func call(_ operation: IssueOperation, _ arguments: [String: JSONValue]) async throws -> MCPToolResult {
        var arguments = arguments
        arguments["owner"] = .string(owner)
        arguments["repo"] = .string(repo)
        let result = try await client.callTool(operation.tool, arguments: arguments)
        if result.isError { throw GiteaToolError.toolFailed(tool: operation.tool, text: String(result.text.prefix(500))) }
        return result
    }

    /// The tool's JSON answer: structured content, or its text parsed as JSON.
    static func payload(of result: MCPToolResult) -> JSONValue? {
        if let structured = result.structuredContent { return structured }
        return try? JSONValue.decode(Data(result.text.utf8))
    }

    static func issue(from value: JSONValue?) -> FiledIssue? {
        guard let value, let url = value["html_url"]?.stringValue ?? value["url"]?.stringValue else { return nil }
        return FiledIssue(url: url, number: value["number"]?.intValue, title: value["title"]?.stringValue ?? "")
    }
}

/// The Gitea MCP server refused or answered something unusable.
public enum GiteaToolError: JobFailureConvertible, CustomStringConvertible {
    case toolFailed(tool: String, text: String)
    case unexpectedResult(tool: String, text: String)
    /// The server lacks an operation this step needs (listing, reading).
    case missingOperation(String, offered: [String])

    public var description: String {
        switch self {
        case .toolFailed(let tool, let text): "Gitea tool \(tool) failed: \(text)"
        case .unexpectedResult(let tool, let text): "Gitea tool \(tool) answered something unexpected: \(text)"
        case .missingOperation(let operation, let offered):
            "the Gitea MCP server offers no tool to \(operation); it offers: \(offered.sorted().joined(separator: ", "))"
        }
    }

    /// A refused call may be a transient server problem (Gitea down behind the MCP server);
    /// the attempt budget bounds the retries.
    public var jobFailure: JobFailure {
        JobFailure(message: description, errorClass: "gitea_tool", retryable: true)
    }
}
