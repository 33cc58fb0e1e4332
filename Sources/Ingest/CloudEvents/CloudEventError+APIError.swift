import Hummingbird

extension CloudEventError {
    /// The API's answer to a request that is not a usable CloudEvent: 415 for an event format
    /// this service does not read, 400 otherwise, always naming the attribute or JSON path.
    var apiError: APIError {
        switch self {
        case .unsupportedContentType:
            return APIError(.unsupportedMediaType, code: "unsupported_media_type", message: description)
        case .malformedJSON:
            return APIError(.badRequest, code: "malformed_json", message: description)
        case .missingAttribute, .invalidAttribute, .invalidData:
            return .invalidField(field, message)
        }
    }
}
