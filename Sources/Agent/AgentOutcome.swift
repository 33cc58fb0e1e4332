import LLMClient

/// An issue the model created through a tool.
public struct CreatedIssue: Sendable, Equatable, Codable {
    public var number: Int?
    public var url: String?

    public init(number: Int?, url: String?) {
        self.number = number
        self.url = url
    }
}

/// An issue a dry run withheld: what the model asked to create.
public struct ProposedIssue: Sendable, Equatable, Codable {
    public var tool: String
    public var title: String?
    public var body: String?
    public var arguments: String
}

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

    public var issueCreated: Bool { issue != nil }
}
