import Foundation
import Hummingbird

/// JSON responses: one encoder configuration for every answer.
enum JSONBody {
    static func response(_ status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding our own value types cannot fail; an empty object is the safe fallback.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return response(status, ByteBuffer(bytes: data), headers: headers)
    }

    /// A body already rendered as JSON text (the hot path's answers, see `ReportRoute.Accepted`).
    static func response(_ status: HTTPResponse.Status, text: String, headers: HTTPFields = [:]) -> Response {
        response(status, ByteBuffer(string: text), headers: headers)
    }

    private static func response(_ status: HTTPResponse.Status, _ body: ByteBuffer, headers: HTTPFields) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: body))
    }
}
