import Queue

/// Everything the author of a new issue gets about the failure. Text fields are redacted.
public struct FailureContext: Sendable {
    public var job: Job
    public var attempt: Int
    public var container: String?
    /// The lines of the log that explain the failure, redacted, with line numbers.
    public var excerpt: String
    public var events: String?
    public var fingerprint: String
    /// Must open the body of the issue that gets created, so it can be found again after a crash.
    public var marker: String
    /// Best-effort evidence that could not be had, each with why (told to the model).
    public var missing: [String] = []
    /// The failure's key lines (cleaned, redacted), strongest first: what a fallback issue quotes.
    public var keyLines: [String] = []
    /// An operator's re-run (`agentctl jobs rerun`) of a failure whose issue is open: the text
    /// becomes a comment on that issue, so the author must not create one (writing tools are
    /// answered, not made, as in a dry run).
    public var reanalysis = false
}

/// What the author produced.
public enum AuthoredIssue: Sendable, Equatable {
    /// The author created the issue itself (the agent called the create tool).
    case filed(FiledIssue)
    /// The author wrote an issue but did not create it; the worker creates it. `mayExist`
    /// when a create call was made that answered with an error or without the issue's
    /// address: the issue may exist, so the worker looks for its marker first.
    case draft(title: String, body: String, mayExist: Bool = false, analysis: IssueAnalysis = .model)
}

/// Who wrote an issue: the model, or — when its answer could not be used — the worker's
/// deterministic fallback from the evidence. Recorded in the job's result as `analysis`.
public enum IssueAnalysis: Sendable, Equatable {
    case model
    case fallback(reason: String)

    public var name: String {
        switch self {
        case .model: "model"
        case .fallback: "fallback"
        }
    }
}

/// Writes the issue for a new failure: in production the agent loop (model + MCP tools).
public protocol IssueAuthor: Sendable {
    func author(_ context: FailureContext) async throws -> AuthoredIssue
}
