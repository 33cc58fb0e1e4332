import HTTPClient

/// Why an MCP exchange failed; `server` is the configured URL.
public enum MCPError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    /// Connect refused, DNS, TLS, connect timeout and other transfer failures.
    case transport(server: String, HTTPClientError)
    case httpStatus(server: String, code: Int, bodyExcerpt: String)
    case timeout(server: String, method: String, after: Duration)
    case connectionClosed(server: String, detail: String)
    case malformedMessage(server: String, detail: String)
    case responseTooLarge(server: String, limit: Int)
    case rpcError(server: String, method: String, code: Int, message: String)
    case unsupportedProtocolVersion(server: String, offered: String)
    case invalidResult(server: String, method: String, detail: String)
    /// The streamable-HTTP server no longer knows our session (404); the client re-initializes once.
    case sessionExpired(server: String)
    case cancelled(server: String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(reason): "invalid MCP configuration: \(reason)"
        case let .transport(server, error): "MCP server \(server) unreachable: \(error)"
        case let .httpStatus(server, code, excerpt): "MCP server \(server) answered HTTP \(code): \(excerpt)"
        case let .timeout(server, method, after): "MCP server \(server) did not answer \(method) within \(after)"
        case let .connectionClosed(server, detail): "MCP server \(server) closed the connection: \(detail)"
        case let .malformedMessage(server, detail): "MCP server \(server) sent a malformed message: \(detail)"
        case let .responseTooLarge(server, limit):
            "MCP server \(server) sent a message larger than the limit of \(limit) bytes"
        case let .rpcError(server, method, code, message):
            "MCP server \(server) rejected \(method): \(message) (JSON-RPC error \(code))"
        case let .unsupportedProtocolVersion(server, offered):
            "MCP server \(server) speaks protocol \(offered), which this client does not support"
        case let .invalidResult(server, method, detail): "MCP server \(server) sent an invalid \(method) result: \(detail)"
        case let .sessionExpired(server): "MCP server \(server) no longer knows the session"
        case let .cancelled(server): "call to MCP server \(server) was cancelled"
        }
    }

    /// True for failures a later attempt may not see (server down, slow, or restarted).
    public var isRetryable: Bool {
        switch self {
        case .transport, .timeout, .connectionClosed, .sessionExpired: true
        case let .httpStatus(_, code, _): code == 429 || code >= 500
        default: false
        }
    }

    static func from(_ error: any Error, server: String) -> MCPError {
        switch error {
        case let error as MCPError: error
        case let .responseTooLarge(_, limit) as HTTPClientError: .responseTooLarge(server: server, limit: limit)
        case .cancelled as HTTPClientError: .cancelled(server: server)
        case let .connectionClosed(_, detail) as HTTPClientError: .connectionClosed(server: server, detail: detail)
        case let .status(code, _, excerpt) as HTTPClientError: .httpStatus(server: server, code: code, bodyExcerpt: excerpt)
        case let error as HTTPClientError: .transport(server: server, error)
        case let .eventTooLarge(limit) as SSEParserError: .responseTooLarge(server: server, limit: limit)
        case is CancellationError: .cancelled(server: server)
        default: .connectionClosed(server: server, detail: String(describing: error))
        }
    }
}
