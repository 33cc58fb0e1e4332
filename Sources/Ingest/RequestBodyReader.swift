import Foundation
import Hummingbird

/// Reads a request body that must be JSON and at most `limit` bytes, with the API's errors.
enum RequestBodyReader {
    static func json(_ request: Request, limit: Int, acceptedTypes: [String] = ["application/json"]) async throws -> Data {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard let mediaType, acceptedTypes.contains(mediaType) else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type",
                           message: "Content-Type must be \(acceptedTypes.joined(separator: " or "))")
        }
        return try await body(request, limit: limit)
    }

    static func body(_ request: Request, limit: Int) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw tooLarge(limit)
        }
        var request = request
        do {
            return Data(buffer: try await request.collectBody(upTo: limit))
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // A chunked body has no Content-Length: NIO's NIOTooManyBytesError arrives here,
            // not Hummingbird's HTTPError, and used to end as a 500.
            throw tooLarge(limit)
        }
    }

    private static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "body_too_large", message: "request body exceeds \(limit) bytes")
    }
}
