import LLMClient

/// How an analysis ended. When `issue` is nil the model ended without creating one and the
/// caller (the worker) creates it from `finalText`, which passed the quality gates — unless
/// `rejection` says why there is no usable text.
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
    /// Why the model's issue was refused: its answer failed the quality gates
    /// (`IssueQualityGate`) or imitated a call to a tool that does not exist, and its one
    /// repair turn did too. Nothing of it was filed; the caller files a fallback issue.
    public var rejection: String?

    public var issueCreated: Bool { issue != nil }
}
