import JSON

/// A function the model may call. `parametersJSON` is a JSON Schema object as text (for MCP
/// tools: the tool's `inputSchema`), passed through untouched.
public struct ToolDefinition: Sendable, Equatable {
    public var name: String
    public var description: String
    public var parametersJSON: String {
        didSet { schema = Self.check(parametersJSON) }
    }

    /// `parametersJSON` checked once, when it is set, so every request splices it without parsing.
    private(set) var schema: Result<RawJSON, JSONParseError>

    public init(name: String, description: String, parametersJSON: String = #"{"type":"object","properties":{}}"#) {
        self.name = name
        self.description = description
        self.parametersJSON = parametersJSON
        schema = Self.check(parametersJSON)
    }

    /// From a parsed schema (an MCP tool's `inputSchema`): written once with sorted keys, so the
    /// text is stable from request to request, and needs no check.
    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        do {
            let raw = try RawJSON(parameters, sortedKeys: true)
            parametersJSON = raw.text
            schema = .success(raw)
        } catch {
            // Only non-finite numbers fail, which parsed JSON cannot hold; `jsonText` sends null too.
            parametersJSON = "null"
            schema = Self.check("null")
        }
    }

    public static func == (left: ToolDefinition, right: ToolDefinition) -> Bool {
        left.name == right.name && left.description == right.description && left.parametersJSON == right.parametersJSON
    }

    /// Strict, since the text goes out verbatim. Text that only the lenient reading accepts (a
    /// trailing comma, which Foundation allowed) is normalized once instead of rejected.
    private static func check(_ text: String) -> Result<RawJSON, JSONParseError> {
        do {
            return .success(try RawJSON(validating: text))
        } catch let strict {
            guard let value = try? JSONParser(allowsTrailingCommas: true).parse(text), let raw = try? RawJSON(value) else {
                return .failure(strict)
            }
            return .success(raw)
        }
    }
}
