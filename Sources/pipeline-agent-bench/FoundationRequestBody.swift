import Foundation
import LLMClient

/// The chat request body as LLMClient built it before the JSON module (JSONSerialization, every
/// schema parsed per request), kept here only as the benchmark's baseline. Tests/LLMClientTests
/// has the same reference for the equivalence check.
enum FoundationRequestBody {
    static func body(_ request: ChatRequest, defaultModel: String) throws -> Data {
        var object: [String: Any] = [
            "model": request.model ?? defaultModel,
            "messages": request.messages.map(wireObject),
        ]
        if !request.tools.isEmpty {
            object["tools"] = try request.tools.map { tool in
                let schema = try JSONSerialization.jsonObject(with: Data(tool.parametersJSON.utf8), options: [.fragmentsAllowed])
                return ["type": "function", "function": ["name": tool.name, "description": tool.description, "parameters": schema]]
            }
            if let choice = request.toolChoice { object["tool_choice"] = wireValue(choice) }
        }
        if let temperature = request.temperature { object["temperature"] = temperature }
        if let maxTokens = request.maxTokens { object["max_tokens"] = maxTokens }
        return try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])
    }

    private static func wireValue(_ choice: ToolChoice) -> Any {
        switch choice {
        case .auto: "auto"
        case .none: "none"
        case .required: "required"
        case let .function(name): ["type": "function", "function": ["name": name]]
        }
    }

    private static func wireObject(_ message: ChatMessage) -> [String: Any] {
        var object: [String: Any] = ["role": message.role.rawValue, "content": message.content ?? NSNull()]
        if !message.toolCalls.isEmpty {
            object["tool_calls"] = message.toolCalls.map { call in
                ["id": call.id, "type": "function", "function": ["name": call.name, "arguments": call.arguments]]
            }
        }
        if let toolCallID = message.toolCallID { object["tool_call_id"] = toolCallID }
        if let name = message.name, message.role == .tool { object["name"] = name }
        return object
    }
}
