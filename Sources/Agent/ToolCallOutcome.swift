import LLMClient

/// What came of one tool call: the text the model gets back and what the transcript keeps.
struct ToolCallOutcome: Sendable {
    /// Sent to the model (redacted, capped).
    var reply: String
    /// The arguments as sent to the server (after forcing), or as the model wrote them.
    var arguments: String
    /// The full redacted result when `reply` holds only part of it.
    var fullResult: String?
    var createdIssue: CreatedIssue?
    var proposedIssue: ProposedIssue?
    var withheld: Bool = false
    /// The call went to the server (whatever it answered): a create that "failed" may still
    /// have created the issue.
    var reachedServer: Bool = false
}
