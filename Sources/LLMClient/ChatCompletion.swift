/// The model's answer to one request.
public struct ChatCompletion: Sendable, Equatable {
    public var id: String?
    /// The model the server says answered (may differ from the requested alias).
    public var model: String?
    /// The assistant message; `toolCalls` holds native tool calls only.
    public var message: ChatMessage
    public var finishReason: String?
    public var usage: TokenUsage?
    public var latency: Duration

    public init(
        id: String?, model: String?, message: ChatMessage, finishReason: String?, usage: TokenUsage?, latency: Duration
    ) {
        self.id = id
        self.model = model
        self.message = message
        self.finishReason = finishReason
        self.usage = usage
        self.latency = latency
    }

    /// Native tool calls, or else calls the model wrote as JSON in its text (models served
    /// without tool-call parsing do that); `written` tells which.
    public func toolCalls(knownTools: Set<String>) -> (calls: [ToolCall], written: Bool) {
        if !message.toolCalls.isEmpty { return (message.toolCalls, false) }
        guard let text = message.content, !text.isEmpty else { return ([], false) }
        let written = TextToolCallParser(knownTools: knownTools).parse(text)
        return (written, !written.isEmpty)
    }
}
