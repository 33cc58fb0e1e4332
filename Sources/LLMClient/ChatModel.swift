/// Something that answers chat-completion requests: the seam between the agent and the model.
public protocol ChatModel: Sendable {
    /// The model requests go to when they name none.
    var modelName: String { get }
    func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion
}
