import JSON

extension ChatMessage {
    /// The OpenAI wire form, written straight into the request body.
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.write(key: "role")
        writer.write(string: role.rawValue)
        writer.write(key: "content")
        if let content { writer.write(string: content) } else { writer.writeNull() }
        if !toolCalls.isEmpty {
            writer.write(key: "tool_calls")
            writer.beginArray()
            for call in toolCalls {
                writer.beginObject()
                writer.write(key: "id")
                writer.write(string: call.id)
                writer.write(key: "type")
                writer.write(string: "function")
                writer.write(key: "function")
                writer.beginObject()
                writer.write(key: "name")
                writer.write(string: call.name)
                writer.write(key: "arguments")
                writer.write(string: call.arguments)
                writer.endObject()
                writer.endObject()
            }
            writer.endArray()
        }
        if let toolCallID {
            writer.write(key: "tool_call_id")
            writer.write(string: toolCallID)
        }
        if let name, role == .tool {
            writer.write(key: "name")
            writer.write(string: name)
        }
        writer.endObject()
    }
}
