import LLMClient
import MCPClient

/// Why an analysis stopped without an outcome; `errorClass` tells the worker what to do.
public enum AgentError: Error, Sendable, CustomStringConvertible {
    case model(LLMError)
    /// Tool discovery failed, or a tool server failed in a way a later attempt may not see.
    case toolServer(MCPError)
    /// The model kept calling tools; `lastText` is its last words, if any.
    case maxIterationsReached(limit: Int, lastText: String?)
    case tokenBudgetExceeded(used: Int, budget: Int)
    case transcript(String)

    public var errorClass: LLMErrorClass {
        switch self {
        case let .model(error): error.errorClass
        case let .toolServer(error):
            if case .cancelled = error { .retryable } else { error.isRetryable ? .retryable : .permanent }
        case .maxIterationsReached, .tokenBudgetExceeded: .invalidOutput
        case .transcript: .retryable
        }
    }

    public var retryAfter: Duration? {
        if case let .model(error) = self { return error.retryAfter }
        return nil
    }

    public var description: String {
        switch self {
        case let .model(error): "\(error)"
        case let .toolServer(error): "\(error)"
        case let .maxIterationsReached(limit, _): "the model still called tools after \(limit) iterations; stopped"
        case let .tokenBudgetExceeded(used, budget): "the analysis used \(used) tokens, over its budget of \(budget); stopped"
        case let .transcript(detail): "cannot store the transcript: \(detail)"
        }
    }
}
