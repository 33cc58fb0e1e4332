import Analysis
import Foundation
import JSON
import MCPClient
import Queue

/// `IssueTracker` over the Gitea MCP server's tools (`create_issue`, `add_comment`,
/// `list_issues` of gitea-mcp), always in the configured repository. Bodies are redacted
/// before they leave the process.
public struct GiteaIssueTracker: IssueTracker {
    public let client: MCPClient
    public let owner: String
    public let repo: String
    public let redactor: SecretRedactor
    /// Open issues scanned for a marker (pages of 50).
    public let searchLimit: Int

    public init(client: MCPClient, owner: String, repo: String, redactor: SecretRedactor = SecretRedactor(), searchLimit: Int = 500) {
        self.client = client
        self.owner = owner
        self.repo = repo
        self.redactor = redactor
        self.searchLimit = searchLimit
    }

    public func createIssue(title: String, body: String) async throws -> FiledIssue {
        let result = try await call("create_issue", [
            "title": .string(redactor.redact(title)), "body": .string(redactor.redact(body)),
        ])
        guard let issue = Self.issue(from: Self.payload(of: result)) else {
            throw GiteaToolError.unexpectedResult(tool: "create_issue", text: String(result.text.prefix(300)))
        }
        return issue
    }

    public func comment(onIssue number: Int, body: String) async throws {
        _ = try await call("add_comment", ["issue_number": .int(number), "body": .string(redactor.redact(body))])
    }

    public func findOpenIssue(containing marker: String) async throws -> FiledIssue? {
        var page = 1
        while (page - 1) * 50 < searchLimit {
            let result = try await call("list_issues", ["state": "open", "page": .int(page), "limit": 50])
            let payload = Self.payload(of: result)
            let issues = payload?.arrayValue ?? payload?["result"]?.arrayValue ?? []
            if let match = issues.first(where: { $0["body"]?.stringValue?.contains(marker) == true }) {
                return Self.issue(from: match)
            }
            if issues.count < 50 { return nil }
            page += 1
        }
        return nil
    }

    public func isOpen(issue number: Int) async throws -> Bool? {
        let arguments: [String: JSONValue] = ["issue_number": .int(number), "owner": .string(owner), "repo": .string(repo)]
        let result = try await client.callTool("get_issue", arguments: arguments)
        // gitea-mcp reports Gitea's answer as "[GET <url>] 404: <message>".
        if result.isError, result.text.contains("] 404:") { return nil }
        if result.isError { throw GiteaToolError.toolFailed(tool: "get_issue", text: String(result.text.prefix(500))) }
        guard let state = Self.payload(of: result)?["state"]?.stringValue else {
            throw GiteaToolError.unexpectedResult(tool: "get_issue", text: String(result.text.prefix(300)))
        }
        return state != "closed"
    }

    public func hasComment(onIssue number: Int, containing marker: String) async throws -> Bool {
        let result = try await call("get_issue", ["issue_number": .int(number)])
        let comments = Self.payload(of: result)?["comments_list"]?.arrayValue ?? []
        return comments.contains { $0["body"]?.stringValue?.contains(marker) == true }
    }

    private func call(_ tool: String, _ arguments: [String: JSONValue]) async throws -> MCPToolResult {
        var arguments = arguments
        arguments["owner"] = .string(owner)
        arguments["repo"] = .string(repo)
        let result = try await client.callTool(tool, arguments: arguments)
        if result.isError { throw GiteaToolError.toolFailed(tool: tool, text: String(result.text.prefix(500))) }
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

    public var description: String {
        switch self {
        case .toolFailed(let tool, let text): "Gitea tool \(tool) failed: \(text)"
        case .unexpectedResult(let tool, let text): "Gitea tool \(tool) answered something unexpected: \(text)"
        }
    }

    /// A refused call may be a transient server problem (Gitea down behind the MCP server);
    /// the attempt budget bounds the retries.
    public var jobFailure: JobFailure {
        JobFailure(message: description, errorClass: "gitea_tool", retryable: true)
    }
}
