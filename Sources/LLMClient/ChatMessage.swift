/// One message of a chat-completions conversation.
public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable, Codable, CaseIterable {
        case system, user, assistant, tool
    }

    public var role: Role
    public var content: String?
    /// Calls an assistant message asks for.
    public var toolCalls: [ToolCall]
    /// For `tool` messages: the call this message answers.
    public var toolCallID: String?
    /// For `tool` messages: the tool's name (some backends want it).
    public var name: String?

    public init(role: Role, content: String?, toolCalls: [ToolCall] = [], toolCallID: String? = nil, name: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.name = name
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    public static func assistant(_ text: String?, toolCalls: [ToolCall] = []) -> ChatMessage {
        ChatMessage(role: .assistant, content: text, toolCalls: toolCalls)
    }
    public static func tool(callID: String, name: String, result: String) -> ChatMessage {
        ChatMessage(role: .tool, content: result, toolCallID: callID, name: name)
    }
}
