import Foundation

/// Reads a CloudEvent from an HTTP request in either content mode of the CloudEvents HTTP
/// protocol binding (spec v1.0). Takes plain header lookups and bytes, not framework types,
/// so the route stays thin and the rules are unit-testable.
///
/// - Structured mode: `Content-Type: application/cloudevents+json`; the body is one JSON object
///   holding the attributes and `data` or `data_base64`.
/// - Binary mode: any other content type; attributes travel in `ce-*` headers (percent-encoded
///   where needed) and the body is the data, typed by `Content-Type`.
public enum CloudEventParser {
    /// The only spec version this parser reads; 0.3 and older have different attribute names.
    public static let supportedSpecVersion = "1.0"
    static let structuredJSON = "application/cloudevents+json"

    /// Parses a request. `header` looks a header up by its lower-cased name.
    public static func parse(header: (String) -> String?, body: Data) throws(CloudEventError) -> CloudEvent {
        let contentType = header("content-type")
        // The binding distinguishes the modes by media type alone: every `application/cloudevents…`
        // type is an event format (structured or batch), anything else is binary-mode data.
        if let mediaType = mediaType(contentType), mediaType.hasPrefix("application/cloudevents") {
            guard mediaType == structuredJSON else { throw CloudEventError.unsupportedContentType(mediaType) }
            return try parseStructured(body)
        }
        return try parseBinary(header: header, contentType: contentType, body: body)
    }

    /// Parses a request whose headers are given as a dictionary; names are matched case-insensitively.
    public static func parse(headers: [String: String], body: Data) throws(CloudEventError) -> CloudEvent {
        let lowered = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        return try parse(header: { lowered[$0] }, body: body)
    }

    // MARK: Binary mode

    private static func parseBinary(
        header: (String) -> String?, contentType: String?, body: Data
    ) throws(CloudEventError) -> CloudEvent {
        func attribute(_ name: String) -> String? {
            guard let raw = header("ce-" + name) else { return nil }
            // The binding percent-encodes space, quote, percent and non-ASCII in header values.
            let value = (raw.removingPercentEncoding ?? raw).trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        func required(_ name: String) throws(CloudEventError) -> String {
            guard let value = attribute(name) else { throw CloudEventError.missingAttribute(field: "ce-" + name) }
            return value
        }
        let specVersion = try required("specversion")
        try checkSpecVersion(specVersion, field: "ce-specversion")
        return CloudEvent(
            specVersion: specVersion, type: try required("type"), source: try required("source"),
            id: try required("id"), subject: attribute("subject"), time: attribute("time"),
            dataContentType: contentType, data: body.isEmpty ? nil : body)
    }

    // MARK: Structured mode

    private static func parseStructured(_ body: Data) throws(CloudEventError) -> CloudEvent {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        } catch {
            throw CloudEventError.malformedJSON(field: "body", message: "is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw CloudEventError.malformedJSON(field: "body", message: "must be a JSON object")
        }

        func string(_ key: String) throws(CloudEventError) -> String? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let text = value as? String else {
                throw CloudEventError.invalidAttribute(field: key, message: "must be a string")
            }
            return text.isEmpty ? nil : text
        }
        func required(_ key: String) throws(CloudEventError) -> String {
            guard let value = try string(key) else { throw CloudEventError.missingAttribute(field: key) }
            return value
        }

        let specVersion = try required("specversion")
        try checkSpecVersion(specVersion, field: "specversion")
        let dataContentType = try string("datacontenttype")
        var event = CloudEvent(
            specVersion: specVersion, type: try required("type"), source: try required("source"),
            id: try required("id"), subject: try string("subject"), time: try string("time"),
            dataContentType: dataContentType)
        event.data = try structuredData(object, event: event)
        return event
    }

    /// The event's data as bytes: `data_base64` decoded, or `data` as JSON text (or, for a
    /// non-JSON content type, the string's UTF-8 bytes).
    private static func structuredData(_ object: [String: Any], event: CloudEvent) throws(CloudEventError) -> Data? {
        let data = object["data"].flatMap { $0 is NSNull ? nil : $0 }
        let base64 = object["data_base64"].flatMap { $0 is NSNull ? nil : $0 }
        if let base64 {
            guard data == nil else {
                throw CloudEventError.invalidAttribute(field: "data_base64", message: "must not be sent together with data")
            }
            guard let text = base64 as? String else {
                throw CloudEventError.invalidAttribute(field: "data_base64", message: "must be a string")
            }
            guard let bytes = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                throw CloudEventError.invalidAttribute(field: "data_base64", message: "is not valid base64")
            }
            return bytes
        }
        guard let data else { return nil }
        if !event.dataIsJSON, let text = data as? String { return Data(text.utf8) }
        do {
            return try JSONSerialization.data(withJSONObject: data, options: [.fragmentsAllowed])
        } catch {
            // Unreachable for values JSONSerialization itself produced; reported rather than trapped.
            throw CloudEventError.malformedJSON(field: "data", message: "cannot be re-encoded as JSON")
        }
    }

    // MARK: Helpers

    private static func checkSpecVersion(_ version: String, field: String) throws(CloudEventError) {
        guard version == supportedSpecVersion else {
            throw CloudEventError.invalidAttribute(field: field, message: "must be \(supportedSpecVersion), got \(version)")
        }
    }

    /// `type/subtype` of a Content-Type value, lower-cased, without parameters; nil when empty.
    static func mediaType(_ contentType: String?) -> String? {
        guard let first = contentType?.split(separator: ";").first else { return nil }
        let type = first.trimmingCharacters(in: .whitespaces).lowercased()
        return type.isEmpty ? nil : type
    }
}
