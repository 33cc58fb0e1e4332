import Foundation

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

    /// The JSON body. Tool schemas are embedded as parsed JSON, so they reach the server unchanged.
    func body(defaultModel: String) throws(LLMError) -> Data {
        var object: [String: Any] = [
            "model": model ?? defaultModel,
            "messages": messages.map(\.wireObject),
        ]
        if !tools.isEmpty {
            var wireTools: [[String: Any]] = []
            for tool in tools {
                let schema: Any
                do {
                    schema = try JSONSerialization.jsonObject(with: Data(tool.parametersJSON.utf8), options: [.fragmentsAllowed])
                } catch {
                    throw .invalidConfiguration("tool \(tool.name) has an unparsable parameter schema: \(error)")
                }
                wireTools.append([
                    "type": "function",
                    "function": ["name": tool.name, "description": tool.description, "parameters": schema],
                ])
            }
            object["tools"] = wireTools
            if let toolChoice { object["tool_choice"] = toolChoice.wireValue }
        }
        if let temperature { object["temperature"] = temperature }
        if let maxTokens { object["max_tokens"] = maxTokens }
        do {
            return try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])
        } catch {
            throw .invalidConfiguration("cannot encode the request: \(error)")
        }
    }
}
