/// Why an HTTP exchange failed; every case names the URL it concerns.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidRequest(url: String, reason: String)
    case connectionRefused(url: String)
    case dnsFailure(url: String, detail: String)
    case connectTimeout(url: String, after: Duration)
    case timeout(url: String, after: Duration)
    case tls(url: String, detail: String)
    /// The peer closed the connection before the response was complete.
    case connectionClosed(url: String, detail: String)
    case status(code: Int, url: String, bodyExcerpt: String)
    case responseTooLarge(url: String, limit: Int)
    case cancelled(url: String)
    case transport(url: String, curlCode: Int, detail: String)

    public var description: String {
        switch self {
        case let .invalidRequest(url, reason): "invalid request to \(url): \(reason)"
        case let .connectionRefused(url): "connection refused by \(url)"
        case let .dnsFailure(url, detail): "cannot resolve host of \(url): \(detail)"
        case let .connectTimeout(url, after): "no connection to \(url) within \(after)"
        case let .timeout(url, after): "\(url) did not answer within \(after)"
        case let .tls(url, detail): "TLS failure with \(url): \(detail)"
        case let .connectionClosed(url, detail): "\(url) closed the connection: \(detail)"
        case let .status(code, url, excerpt): "HTTP \(code) from \(url): \(excerpt)"
        case let .responseTooLarge(url, limit): "response from \(url) exceeds the limit of \(limit) bytes"
        case let .cancelled(url): "request to \(url) was cancelled"
        case let .transport(url, code, detail): "transfer with \(url) failed (curl \(code)): \(detail)"
        }
    }
}
