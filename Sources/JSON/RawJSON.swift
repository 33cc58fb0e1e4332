/// JSON text checked once, so it can be spliced into many documents without parsing it again
/// (e.g. a tool's parameter schema in every chat request).
public struct RawJSON: Sendable, Hashable {
    public let text: String

    /// Strict RFC 8259 check: the text goes out verbatim, so it must be valid for any reader.
    public init(validating text: String) throws(JSONParseError) {
        _ = try JSONParser().parse(text)
        self.text = text
    }

    public init(_ value: JSONValue, sortedKeys: Bool = false) throws(JSONWriteError) {
        var writer = JSONWriter(sortedKeys: sortedKeys)
        try writer.write(value)
        text = String(decoding: writer.bytes, as: UTF8.self)
    }
}
