/// Why a request is not a usable CloudEvent. The route answers these with 400 (415 for
/// `unsupportedContentType`): a sender that retries the same bytes gets the same answer.
public enum CloudEventError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A required context attribute (`ce-type`, `id`, …) is absent or empty.
    case missingAttribute(field: String)
    /// An attribute is present but has the wrong type or value.
    case invalidAttribute(field: String, message: String)
    /// The body (structured mode) or the event data is not valid JSON.
    case malformedJSON(field: String, message: String)
    /// A structured or batched format this parser does not read (only `application/cloudevents+json`).
    case unsupportedContentType(String)
    /// The data parsed as JSON but does not have the shape the event type promises.
    case invalidData(field: String, message: String)

    /// The attribute or JSON path the error is about, for the API's `invalid_field` answer.
    public var field: String {
        switch self {
        case .missingAttribute(let field), .invalidAttribute(let field, _), .malformedJSON(let field, _),
             .invalidData(let field, _):
            return field
        case .unsupportedContentType:
            return "content-type"
        }
    }

    public var message: String {
        switch self {
        case .missingAttribute: return "is required"
        case .invalidAttribute(_, let message), .malformedJSON(_, let message), .invalidData(_, let message):
            return message
        case .unsupportedContentType(let type):
            return "\(type) is not supported; send binary mode or application/cloudevents+json"
        }
    }

    public var description: String { "\(field): \(message)" }
}
