import LLMClient

/// How an analysis ended. When `issue` is nil the model ended without creating one and the
/// caller (the worker) creates it from `finalText`.
public struct AgentOutcome: Sendable, Equatable {
    public var finalText: String
    public var issue: CreatedIssue?
    /// Dry run: the writing calls answered instead of made, the issue first among them.
    public var proposedIssue: ProposedIssue?
    public var withheldCalls: [ToolCall]
    public var iterations: Int
    public var tokensIn: Int
    public var tokensOut: Int
    /// A create call reached the issue server, even if it answered with an error or without
    /// the issue's address: the issue may exist, so whoever files one must look for it first.
    public var issueCreateAttempted = false

    public var issueCreated: Bool { issue != nil }
}
