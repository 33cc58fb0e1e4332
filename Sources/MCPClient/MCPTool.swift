import JSON

/// A tool as listed by `tools/list`.
public struct MCPTool: Sendable, Equatable {
    public var name: String
    public var title: String?
    public var description: String?
    /// JSON Schema of the arguments, as the server sent it.
    public var inputSchema: JSONValue
    public var outputSchema: JSONValue?
    public var annotations: JSONValue?

    init?(_ value: JSONValue) {
        guard let name = value["name"]?.stringValue else { return nil }
        self.name = name
        title = value["title"]?.stringValue ?? value["annotations"]?["title"]?.stringValue
        description = value["description"]?.stringValue
        inputSchema = value["inputSchema"] ?? .object(["type": "object"])
        outputSchema = value["outputSchema"]
        annotations = value["annotations"]
    }
}
