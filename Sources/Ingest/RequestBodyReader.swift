import Foundation
import Hummingbird

/// Reads a request body that must be JSON and at most `limit` bytes, with the API's errors.
enum RequestBodyReader {
    static func json(_ request: Request, limit: Int, acceptedTypes: [String] = ["application/json"]) async throws -> Data {
        guard let contentType = request.headers[.contentType],
              acceptedTypes.contains(where: { mediaType(of: contentType, is: $0) }) else {
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

    /// Whether `contentType` (e.g. `Application/JSON; charset=utf-8`) names `expected` (lowercase),
    /// compared on bytes: Foundation's trimming showed up on every report's path.
    static func mediaType(of contentType: String, is expected: String) -> Bool {
        var type = contentType.utf8[...]
        if let semicolon = type.firstIndex(of: UInt8(ascii: ";")) { type = type[..<semicolon] }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = type.first, isBlank(first) { type = type.dropFirst() }
        while let last = type.last, isBlank(last) { type = type.dropLast() }
        return type.count == expected.utf8.count
            && zip(type, expected.utf8).allSatisfy { byte, wanted in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 == wanted : byte == wanted
            }
    }

    private static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "body_too_large", message: "request body exceeds \(limit) bytes")
    }
}
