import Foundation

/// Async HTTP client on libcurl.
///
/// Every request has a connect timeout (default 10 s) and a total timeout (default 30 s),
/// a response size limit (default 4 MiB) and TLS verification (on by default); see
/// `HTTPClientConfiguration`. All transfers of one client run on one event-loop thread (a
/// libcurl multi handle), started with the first request and ended when the client is released
/// and its last transfer has finished. Cancelling the calling task aborts the transfer. Idle
/// connections are kept for reuse.
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    /// Internal so tests can watch the thread end.
    let loop: CurlMultiLoop

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
        loop = CurlMultiLoop(maxIdleConnections: configuration.maxIdleConnections)
    }

    deinit { loop.shutdown() }

    /// Sends `request` and reads the whole body (any status; see `HTTPResponse.requireSuccess()`).
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await stream(request)
        let complete = try await response.collect()
        try Task.checkCancellation()
        return complete
    }

    /// Sends `request` and returns as soon as the final headers arrived; the body streams.
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let transfer = CurlTransfer(request: request, configuration: configuration, loop: loop)
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
