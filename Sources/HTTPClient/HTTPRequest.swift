import Foundation

/// One outgoing HTTP request. Unset limits fall back to the client's `HTTPClientConfiguration`.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: HTTPHeaders
    public var body: Data?
    /// Time allowed to establish the TCP/TLS connection; nil = client default (10 s).
    public var connectTimeout: Duration?
    /// Time allowed for the whole exchange including the body; nil = client default (30 s).
    /// `.zero` disables it, which only long-lived streams should do.
    public var timeout: Duration?
    /// Largest body accepted; nil = client default (4 MiB). `Int.max` for unbounded streams.
    public var maxResponseBytes: Int?

    public init(
        method: String = "GET",
        url: String,
        headers: HTTPHeaders = [:],
        body: Data? = nil,
        connectTimeout: Duration? = nil,
        timeout: Duration? = nil,
        maxResponseBytes: Int? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }
}
