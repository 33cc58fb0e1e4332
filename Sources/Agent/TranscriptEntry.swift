import Foundation
import LLMClient

/// One stored step of an analysis: a prompt, a model answer (with the calls it asked for and
/// its tokens and latency) or a tool result. Already redacted.
public struct TranscriptEntry: Sendable, Equatable, Codable {
    public var seq: Int
    public var role: ChatMessage.Role
    /// What the model received (prompts, tool results after capping) or wrote.
    public var content: String?
    /// Tool entries: the tool, the call answered and the arguments sent to the server.
    public var toolName: String?
    public var toolCallID: String?
    public var toolArguments: String?
    /// Tool entries: the full (redacted) result, when the model saw only part of it.
    public var toolResult: String?
    /// Assistant entries: the calls asked for, native or written as text.
    public var toolCalls: [ToolCall]
    public var model: String?
    public var tokensIn: Int?
    public var tokensOut: Int?
    public var latencyMilliseconds: Int?
    public var createdAt: Date

    public init(
        seq: Int, role: ChatMessage.Role, content: String?, toolName: String? = nil, toolCallID: String? = nil,
        toolArguments: String? = nil, toolResult: String? = nil, toolCalls: [ToolCall] = [], model: String? = nil,
        tokensIn: Int? = nil, tokensOut: Int? = nil, latencyMilliseconds: Int? = nil, createdAt: Date = Date()
    ) {
        self.seq = seq
        self.role = role
        self.content = content
        self.toolName = toolName
        self.toolCallID = toolCallID
        self.toolArguments = toolArguments
        self.toolResult = toolResult
        self.toolCalls = toolCalls
        self.model = model
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.latencyMilliseconds = latencyMilliseconds
        self.createdAt = createdAt
    }

    /// The entry as an OpenAI chat message (for replay and evals).
    public var message: ChatMessage {
        ChatMessage(role: role, content: content, toolCalls: toolCalls, toolCallID: toolCallID, name: role == .tool ? toolName : nil)
    }
}
