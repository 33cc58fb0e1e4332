import Foundation
@testable import LLMClient

/// The request body as it was built before the JSON module (JSONSerialization, schemas parsed
/// per request): the reference the new writer must match in meaning.
enum LegacyRequestBody {
    static func body(_ request: ChatRequest, defaultModel: String) throws -> Data {
        var object: [String: Any] = [
            "model": request.model ?? defaultModel,
            "messages": request.messages.map(wireObject),
        ]
        if !request.tools.isEmpty {
            var wireTools: [[String: Any]] = []
            for tool in request.tools {
                let schema = try JSONSerialization.jsonObject(with: Data(tool.parametersJSON.utf8), options: [.fragmentsAllowed])
                wireTools.append([
                    "type": "function",
                    "function": ["name": tool.name, "description": tool.description, "parameters": schema],
                ])
            }
            object["tools"] = wireTools
            if let toolChoice = request.toolChoice { object["tool_choice"] = wireValue(toolChoice) }
        }
        if let temperature = request.temperature { object["temperature"] = temperature }
        if let maxTokens = request.maxTokens { object["max_tokens"] = maxTokens }
        return try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])
    }

    static func wireObject(_ message: ChatMessage) -> [String: Any] {
        var object: [String: Any] = ["role": message.role.rawValue]
        object["content"] = message.content ?? NSNull()
        if !message.toolCalls.isEmpty {
            object["tool_calls"] = message.toolCalls.map { call in
                ["id": call.id, "type": "function", "function": ["name": call.name, "arguments": call.arguments]]
            }
        }
        if let toolCallID = message.toolCallID { object["tool_call_id"] = toolCallID }
        if let name = message.name, message.role == .tool { object["name"] = name }
        return object
    }

    static func wireValue(_ choice: ToolChoice) -> Any {
        switch choice {
        case .auto: "auto"
        case .none: "none"
        case .required: "required"
        case let .function(name): ["type": "function", "function": ["name": name]]
        }
    }
}
