import MCPClient
import Queue
import Store

/// Decides whether a failed attempt is worth retrying. Retryable: an unreachable, slow or
/// overloaded peer (connect/timeout, HTTP 429/5xx, MCP server down), a busy database.
/// Permanent: what another try cannot fix (bad request, auth, unknown pod, invalid output).
public enum FailureClassifier {
    public static func classify(_ error: any Error) -> JobFailure {
        switch error {
        case let error as any JobFailureConvertible:
            return error.jobFailure
        case let error as MCPError:
            return JobFailure(message: error.description, errorClass: mcpClass(error), retryable: error.isRetryable)
        case let error as SQLiteError:
            return JobFailure(message: error.description, errorClass: error.isBusy ? "database_busy" : "database", retryable: true)
        default:
            // Unknown errors are retried: at worst the job ends `dead` after its attempts,
            // with the error recorded, instead of being dropped on a first hiccup.
            return JobFailure(message: String(describing: error), errorClass: "unexpected", retryable: true)
        }
    }

    private static func mcpClass(_ error: MCPError) -> String {
        switch error {
        case .transport: "mcp_unreachable"
        case .httpStatus(_, let code, _): "mcp_http_\(code)"
        case .timeout: "mcp_timeout"
        case .connectionClosed: "mcp_connection_closed"
        case .rpcError: "mcp_rpc_error"
        case .sessionExpired: "mcp_session_expired"
        default: "mcp_error"
        }
    }
}
