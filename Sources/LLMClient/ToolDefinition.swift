/// A function the model may call. `parametersJSON` is a JSON Schema object as text (for MCP
/// tools: the tool's `inputSchema`), passed through untouched.
public struct ToolDefinition: Sendable, Equatable {
    public var name: String
    public var description: String
    public var parametersJSON: String

    public init(name: String, description: String, parametersJSON: String = #"{"type":"object","properties":{}}"#) {
        self.name = name
        self.description = description
        self.parametersJSON = parametersJSON
    }
}
