import Foundation

/// A response whose body arrives chunk by chunk while the transfer runs.
/// Dropping or cancelling it aborts the transfer.
public struct HTTPStreamingResponse: Sendable {
    public let status: Int
    public let headers: HTTPHeaders
    public let url: String
    /// Body chunks in arrival order; ends with an `HTTPClientError` if the transfer fails.
    public let body: AsyncThrowingStream<Data, any Error>
    let transfer: CurlTransfer

    /// Aborts the transfer; the body stream then ends.
    public func cancel() { transfer.cancel() }

    /// Reads the remaining body into memory, failing past the request's size limit.
    public func collect() async throws -> HTTPResponse {
        var data = Data()
        for try await chunk in body { data.append(chunk) }
        return HTTPResponse(status: status, headers: headers, body: data, url: url)
    }
}
