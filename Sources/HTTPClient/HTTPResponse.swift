import Foundation

/// A complete response whose body was read into memory within the size limit.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    public var url: String

    public init(status: Int, headers: HTTPHeaders, body: Data, url: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Throws `HTTPClientError.status` unless the status is 2xx; keeps the first 512 bytes of the body.
    @discardableResult
    public func requireSuccess() throws -> HTTPResponse {
        guard (200..<300).contains(status) else {
            throw HTTPClientError.status(code: status, url: url, bodyExcerpt: Self.excerpt(body))
        }
        return self
    }

    static func excerpt(_ body: Data, limit: Int = 512) -> String {
        let text = String(decoding: body.prefix(limit), as: UTF8.self)
        return body.count > limit ? text + "…" : text
    }
}
