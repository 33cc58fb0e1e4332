import JSON

/// Whether and which tool the model must call.
public enum ToolChoice: Sendable, Equatable {
    case auto, none, required
    case function(String)

    /// The OpenAI wire form: a string, or `{"type": "function", "function": {"name": …}}`.
    func write(to writer: inout JSONWriter) {
        switch self {
        case .auto: writer.write(string: "auto")
        case .none: writer.write(string: "none")
        case .required: writer.write(string: "required")
        case let .function(name):
            writer.beginObject()
            writer.write(key: "type", string: "function")
            writer.write(key: "function")
            writer.beginObject()
            writer.write(key: "name", string: name)
            writer.endObject()
            writer.endObject()
        }
    }
}
