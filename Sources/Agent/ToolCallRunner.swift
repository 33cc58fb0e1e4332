import Foundation
import JSON
import LLMClient
import Logging
import MCPClient

/// Runs one tool call under the policy: refusals, unknown tools and bad arguments become
/// error text for the model, never a crash; results are redacted and capped.
struct ToolCallRunner: Sendable {
    let router: ToolRouter
    let configuration: AgentConfiguration
    /// The pod under analysis: Kubernetes tools are held to it.
    let pod: PodContext?
    let redact: @Sendable (String) -> String
    let logger: Logger

    func run(_ call: ToolCall) async throws(AgentError) -> ToolCallOutcome {
        let policy = configuration.policy
        var logger = logger
        logger[metadataKey: "tool"] = "\(call.name)"
        guard policy.allows(call.name) else {
            logger.warning("refused a tool outside the allowlist")
            return refusal(call, "Error: the tool '\(call.name)' is not allowed here. Allowed tools: \(allowedList). The call was not made.")
        }
        guard let route = router.route(call.name) else {
            return refusal(call, "Error: unknown tool '\(call.name)'. Available tools: \(allowedList).")
        }
        guard let parsed = try? JSONValue.decode(Data(call.arguments.utf8)), case let .object(arguments) = parsed else {
            return refusal(call, "Error: the arguments of \(call.name) must be a JSON object, got: \(call.arguments.prefix(300))")
        }
        // Forced first: a model that leaves out owner/repo or the namespace still gets them.
        var (sent, forced) = policy.forcing(arguments, for: route.tool, pod: pod)
        let missing = (route.tool.inputSchema["required"]?.arrayValue ?? []).compactMap(\.stringValue)
            .filter { sent[$0] == nil }
        guard missing.isEmpty else {
            return refusal(call, "Error: \(call.name) needs the argument(s) \(missing.joined(separator: ", ")). Call it again with them.")
        }
        if ToolPolicy.writes(route.tool) { sent = written(sent, tool: call.name) }
        if !forced.isEmpty {
            logger.notice("forced the configured repository or the analysed pod", metadata: ["keys": "\(forced.joined(separator: ","))"])
        }
        let sentText = JSONValue.object(sent).jsonText
        if policy.dryRun, ToolPolicy.writes(route.tool) {
            let proposal = ProposedIssue(
                tool: call.name, title: sent["title"]?.stringValue, body: sent["body"]?.stringValue, arguments: sentText)
            return ToolCallOutcome(
                reply: "Dry run: \(call.name) was not called; nothing was written. Treat it as done and finish.",
                arguments: sentText, proposedIssue: ToolPolicy.createsIssue(name: call.name) ? proposal : nil, withheld: true)
        }
        let result: MCPToolResult
        do {
            result = try await route.server.callTool(call.name, arguments: sent, timeout: configuration.toolTimeout)
        } catch {
            // A server that is down or slow fails the attempt (retried later); anything else is
            // the call's fault and goes back to the model.
            if error.isRetryable { throw .toolServer(error) }
            if case .cancelled = error { throw .toolServer(error) }
            var outcome = refusal(call, "Error: \(call.name) failed: \(error)", arguments: sentText)
            outcome.reachedServer = true
            return outcome
        }
        let raw = result.text.isEmpty ? (result.structuredContent?.jsonText ?? "") : result.text
        let redacted = redact(raw)
        let capped = TextBudget.cap(redacted, maxBytes: configuration.maxToolResultBytes)
        let stored = capped.truncated ? TextBudget.cap(redacted, maxBytes: configuration.maxStoredResultBytes).text : nil
        let reply = result.isError ? "Error from \(call.name): \(capped.text)" : capped.text
        var outcome = ToolCallOutcome(reply: reply, arguments: sentText, fullResult: stored, reachedServer: true)
        if !result.isError, ToolPolicy.createsIssue(name: call.name) {
            outcome.createdIssue = Self.issue(from: result, sentTitle: sent["title"]?.stringValue)
        }
        return outcome
    }

    /// What a writing tool publishes is redacted too (the model may have been shown, or have
    /// guessed, a secret), and a created issue carries the configured marker.
    private func written(_ arguments: [String: JSONValue], tool: String) -> [String: JSONValue] {
        var result = arguments
        for key in ["title", "body"] {
            if let text = arguments[key]?.stringValue { result[key] = .string(redact(text)) }
        }
        if ToolPolicy.createsIssue(name: tool), let marker = configuration.policy.issueBodyMarker {
            result["body"] = .string(ToolPolicy.marked(result["body"]?.stringValue ?? "", with: marker))
        }
        return result
    }

    private var allowedList: String {
        router.order.filter(configuration.policy.allows).joined(separator: ", ")
    }

    /// Error texts are redacted like results: a server's error may quote what it was given or
    /// read (a connection string, a token), and a refusal quotes the model's arguments.
    private func refusal(_ call: ToolCall, _ text: String, arguments: String? = nil) -> ToolCallOutcome {
        ToolCallOutcome(reply: redact(text), arguments: arguments ?? call.arguments)
    }

    /// Number and URL of a created issue: from structured content, JSON text, or a URL in the text.
    static func issue(from result: MCPToolResult, sentTitle: String? = nil) -> CreatedIssue {
        let candidates = [result.structuredContent, try? JSONValue.decode(Data(result.text.utf8))].compactMap { $0 }
        for value in candidates {
            let object = value["result"] ?? value
            let number = object["number"]?.intValue ?? object["index"]?.intValue
            let url = object["html_url"]?.stringValue ?? object["url"]?.stringValue
            if number != nil || url != nil {
                return CreatedIssue(number: number, url: url, title: object["title"]?.stringValue ?? sentTitle)
            }
        }
        if let match = result.text.firstMatch(of: /https?:\/\/\S+\/issues\/(\d+)/) {
            return CreatedIssue(number: Int(match.1), url: String(match.0), title: sentTitle)
        }
        return CreatedIssue(number: nil, url: nil, title: sentTitle)
    }
}
