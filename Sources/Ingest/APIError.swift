import Foundation
import Hummingbird
import Queue

/// An error answer of the API: always `{"error": {"code": …, "message": …}}` with a status.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    public let status: HTTPResponse.Status
    /// Stable, machine-readable: `invalid_field`, `malformed_json`, `unauthorized`, …
    public let code: String
    public let message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONBody.response(status, Body(error: .init(code: code, message: message)), headers: headers)
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
        }
        let error: Detail
    }

    static func invalidField(_ field: String, _ rule: String) -> APIError {
        APIError(.badRequest, code: "invalid_field", message: "\(field): \(rule)")
    }

    /// A report for a namespace outside `AGENT_NAMESPACES`.
    static func namespaceNotAllowed(_ namespace: String, _ allowlist: NamespaceAllowlist) -> APIError {
        APIError(.forbidden, code: "namespace_not_allowed", message: allowlist.refusal(namespace))
    }

    static func unavailable(retryAfter seconds: Int, _ message: String) -> APIError {
        APIError(.serviceUnavailable, code: "unavailable", message: message, headers: [.retryAfter: String(seconds)])
    }
}
