import Foundation
import JSON

/// One chat-completions request. `model` nil = the configured model.
public struct ChatRequest: Sendable, Equatable {
    public var model: String?
    public var messages: [ChatMessage]
    public var tools: [ToolDefinition]
    public var toolChoice: ToolChoice?
    public var temperature: Double?
    public var maxTokens: Int?

    public init(
        model: String? = nil, messages: [ChatMessage], tools: [ToolDefinition] = [],
        toolChoice: ToolChoice? = nil, temperature: Double? = nil, maxTokens: Int? = nil
    ) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.toolChoice = toolChoice
        self.temperature = temperature
        self.maxTokens = maxTokens
    }

    /// The JSON body, written directly as bytes. Tool schemas are spliced in as the text checked
    /// when each definition was made, so they reach the server unchanged and are not parsed per request.
    public func body(defaultModel: String) throws(LLMError) -> Data {
        var writer = JSONWriter(capacity: estimatedSize)
        writer.beginObject()
        writer.write(key: "model", string: model ?? defaultModel)
        writer.write(key: "messages")
        writer.beginArray()
        for message in messages { message.write(to: &writer) }
        writer.endArray()
        if !tools.isEmpty {
            writer.write(key: "tools")
            writer.beginArray()
            for tool in tools {
                let schema: RawJSON
                switch tool.schema {
                case let .success(raw): schema = raw
                case let .failure(error): throw .invalidConfiguration("tool \(tool.name) has an unparsable parameter schema: \(error)")
                }
                writer.beginObject()
                writer.write(key: "type", string: "function")
                writer.write(key: "function")
                writer.beginObject()
                writer.write(key: "name", string: tool.name)
                writer.write(key: "description", string: tool.description)
                writer.write(key: "parameters")
                writer.write(raw: schema)
                writer.endObject()
                writer.endObject()
            }
            writer.endArray()
            if let toolChoice {
                writer.write(key: "tool_choice")
                toolChoice.write(to: &writer)
            }
        }
        if let temperature {
            writer.write(key: "temperature")
            do {
                try writer.write(double: temperature)
            } catch {
                throw .invalidConfiguration("cannot encode the request: \(error)")
            }
        }
        if let maxTokens {
            writer.write(key: "max_tokens")
            writer.write(int: maxTokens)
        }
        writer.endObject()
        return Data(writer.bytes)
    }

    /// Enough for the texts plus JSON punctuation, so a long prompt is not copied while it grows.
    private var estimatedSize: Int {
        var size = 512
        for message in messages {
            size += 96 + (message.content?.utf8.count ?? 0)
            for call in message.toolCalls { size += 96 + call.arguments.utf8.count }
        }
        for tool in tools { size += 128 + tool.description.utf8.count + tool.parametersJSON.utf8.count }
        return size
    }
}
