/// Defaults applied to every request that does not set its own.
public struct HTTPClientConfiguration: Sendable {
    /// Default connect timeout: 10 s.
    public var connectTimeout: Duration = .seconds(10)
    /// Default total timeout for one exchange: 30 s.
    public var timeout: Duration = .seconds(30)
    /// Default response size limit: 4 MiB.
    public var maxResponseBytes: Int = 4 * 1024 * 1024
    /// TLS peer and host verification; on unless explicitly disabled.
    public var verifyTLS: Bool = true
    /// PEM file of trusted CAs; nil uses the system bundle.
    public var caBundlePath: String?
    /// Redirects followed for any method; POST stays POST and keeps its body. 0: a 3xx answer
    /// is returned as it is.
    public var maxRedirects: Int = 5
    /// Idle connections kept open for reuse (on top of those in use).
    public var maxIdleConnections: Int = 16
    /// libcurl's receive buffer per transfer in flight (its default is 16 KiB). Every transfer
    /// holds one for its whole life, so with hundreds of slow LLM calls in flight the smaller
    /// buffer saves megabytes; a large body only takes more (cheap) callbacks.
    public var receiveBufferBytes: Int = 8 * 1024
    public var userAgent: String = "pipeline-agent"

    public init() {}
}
