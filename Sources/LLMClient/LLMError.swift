import HTTPClient

/// How the worker should treat a failure.
public enum LLMErrorClass: String, Sendable, Codable {
    /// A later attempt may succeed (connect, timeout, 408, 409, 429, 5xx, cancellation).
    case retryable
    /// Retrying will not help (400, 401, 403, 404, context length, configuration).
    case permanent
    /// The server answered 2xx with something that is not a usable completion.
    case invalidOutput = "invalid_output"
}

/// Why a chat completion failed; every case carries what the server said.
public enum LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    /// Not connected: refused, DNS, TLS, connect timeout, connection dropped.
    case unreachable(url: String, HTTPClientError)
    case timeout(url: String, after: Duration)
    /// An HTTP error answer. `retryAfter` from `Retry-After`/`retry-after-ms` or LiteLLM's
    /// `llm_provider-retry-after(-ms)`.
    case status(code: Int, message: String, retryAfter: Duration?)
    /// The prompt does not fit the model's context window (whatever status carried it).
    case contextLengthExceeded(code: Int, message: String)
    case invalidOutput(detail: String, bodyExcerpt: String)
    case cancelled

    public var errorClass: LLMErrorClass {
        switch self {
        case .invalidConfiguration, .contextLengthExceeded: .permanent
        // Cancelled by shutdown: the job was not at fault and runs again.
        case .cancelled: .retryable
        case let .unreachable(_, error):
            switch error {
            case .tls, .invalidRequest: .permanent
            default: .retryable
            }
        case .timeout: .retryable
        case let .status(code, _, _):
            code == 408 || code == 409 || code == 429 || code >= 500 ? .retryable : .permanent
        case .invalidOutput: .invalidOutput
        }
    }

    public var isRetryable: Bool { errorClass == .retryable }

    /// The window a context-length error names: OpenAI's and vLLM's "maximum context length is
    /// N tokens" (LiteLLM passes it on in its ContextWindowExceededError), llama.cpp's `n_ctx`.
    public var reportedContextTokens: Int? {
        guard case let .contextLengthExceeded(_, message) = self else { return nil }
        for pattern in [#/maximum context length is (\d+)/#, #/n_ctx"?[=: ]+(\d+)/#, #/context (?:window|size|length) (?:is |of )?(\d+)/#] {
            if let match = message.firstMatch(of: pattern), let value = Int(match.1) { return value }
        }
        return nil
    }

    /// The wait the server asked for, if any.
    public var retryAfter: Duration? {
        if case let .status(_, _, retryAfter) = self { return retryAfter }
        return nil
    }

    public var description: String {
        switch self {
        case let .invalidConfiguration(reason): "invalid LLM configuration: \(reason)"
        case let .unreachable(url, error): "LLM endpoint \(url) unreachable: \(error)"
        case let .timeout(url, after): "LLM endpoint \(url) did not answer within \(after)"
        case let .status(code, message, retryAfter):
            "LLM endpoint answered HTTP \(code): \(message)" + (retryAfter.map { " (retry after \($0))" } ?? "")
        case let .contextLengthExceeded(code, message): "prompt exceeds the model's context window (HTTP \(code)): \(message)"
        case let .invalidOutput(detail, excerpt): "LLM endpoint sent an unusable answer: \(detail): \(excerpt)"
        case .cancelled: "LLM request was cancelled"
        }
    }
}
