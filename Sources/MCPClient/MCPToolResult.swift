import JSON

/// One content block of a tool result.
public enum MCPContent: Sendable, Equatable {
    case text(String)
    case image(data: String, mimeType: String)
    case audio(data: String, mimeType: String)
    case resourceLink(uri: String, name: String?)
    /// An embedded resource; `text` is set for text resources.
    case resource(uri: String, text: String?)
    /// A block type this client does not know, kept whole.
    case other(JSONValue)

    init(_ value: JSONValue) {
        switch value["type"]?.stringValue {
        case "text":
            self = .text(value["text"]?.stringValue ?? "")
        case "image":
            self = .image(data: value["data"]?.stringValue ?? "", mimeType: value["mimeType"]?.stringValue ?? "")
        case "audio":
            self = .audio(data: value["data"]?.stringValue ?? "", mimeType: value["mimeType"]?.stringValue ?? "")
        case "resource_link":
            self = .resourceLink(uri: value["uri"]?.stringValue ?? "", name: value["name"]?.stringValue)
        case "resource":
            self = .resource(
                uri: value["resource"]?["uri"]?.stringValue ?? "", text: value["resource"]?["text"]?.stringValue)
        default:
            self = .other(value)
        }
    }
}

/// The result of `tools/call`. `isError` means the tool ran and failed (the text says why);
/// protocol failures are thrown as `MCPError` instead.
public struct MCPToolResult: Sendable, Equatable {
    public var content: [MCPContent]
    public var structuredContent: JSONValue?
    public var isError: Bool
    /// The result object exactly as received.
    public var raw: JSONValue

    init?(_ value: JSONValue) {
        guard case .object = value else { return nil }
        let blocks = value["content"]?.arrayValue
        // A result with neither content nor structured content is not a tool result.
        guard blocks != nil || value["structuredContent"] != nil else { return nil }
        content = (blocks ?? []).map(MCPContent.init)
        structuredContent = value["structuredContent"]
        isError = value["isError"]?.boolValue ?? false
        raw = value
    }

    /// All text blocks (and text resources) joined with newlines.
    public var text: String {
        content.compactMap { block -> String? in
            switch block {
            case let .text(text): text
            case let .resource(_, text): text
            default: nil
            }
        }.joined(separator: "\n")
    }
}
