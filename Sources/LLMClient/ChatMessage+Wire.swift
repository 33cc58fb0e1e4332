import JSON

extension ChatMessage {
    /// The OpenAI wire form, written straight into the request body.
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.write(key: "role", string: role.rawValue)
        writer.write(key: "content")
        if let content { writer.write(string: content) } else { writer.writeNull() }
        if !toolCalls.isEmpty {
            writer.write(key: "tool_calls")
            writer.beginArray()
            for call in toolCalls {
                writer.beginObject()
                writer.write(key: "id", string: call.id)
                writer.write(key: "type", string: "function")
                writer.write(key: "function")
                writer.beginObject()
                writer.write(key: "name", string: call.name)
                writer.write(key: "arguments", string: call.arguments)
                writer.endObject()
                writer.endObject()
            }
            writer.endArray()
        }
        if let toolCallID {
            writer.write(key: "tool_call_id", string: toolCallID)
        }
        if let name, role == .tool {
            writer.write(key: "name", string: name)
        }
        writer.endObject()
    }
}
