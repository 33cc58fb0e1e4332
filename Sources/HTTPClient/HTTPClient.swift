import Foundation

/// Async HTTP client on libcurl.
///
/// Every request has a connect timeout (default 10 s) and a total timeout (default 30 s),
/// a response size limit (default 4 MiB) and TLS verification (on by default); see
/// `HTTPClientConfiguration`. Each transfer runs on a thread of its own; cancelling the
/// calling task aborts it. Idle connections are reused through a pool of curl handles.
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let pool: CurlHandlePool

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
        pool = CurlHandlePool(capacity: configuration.maxIdleConnections)
    }

    /// Sends `request` and reads the whole body (any status; see `HTTPResponse.requireSuccess()`).
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await stream(request)
        let complete = try await response.collect()
        try Task.checkCancellation()
        return complete
    }

    /// Sends `request` and returns as soon as the final headers arrived; the body streams.
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let transfer = CurlTransfer(request: request, configuration: configuration, pool: pool)
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.start(head: continuation)
            }
        } onCancel: {
            transfer.cancel()
        }
        return HTTPStreamingResponse(
            status: head.status, headers: head.headers, url: request.url,
            body: transfer.body, transfer: transfer
        )
    }
}
