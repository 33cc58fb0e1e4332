import LLMClient

/// How one conversation fits the model's context window: the answer's `max_tokens`, the
/// bytes the excerpt may take after the prompt and the tool list, the size of tool results,
/// and which tools are offered when the full list is too large. Tokens are estimated from
/// bytes (3 bytes a token: logs and JSON schemas tokenise denser than prose), so the estimate
/// errs on the safe side; a server that still refuses says so and the agent shrinks again.
struct ContextBudget: Sendable {
    /// The model's window in tokens (prompt, tools and answer).
    let windowTokens: Int
    /// The configured `max_tokens`, if any.
    let configuredAnswerTokens: Int?

    /// The tools an analysis cannot do without, kept when the full list does not fit.
    static let neededTools: Set<String> = ["pods_log", "create_issue"]

    static func tokens(bytes: Int) -> Int { (bytes + 2) / 3 }
    static func bytes(tokens: Int) -> Int { max(0, tokens) * 3 }

    /// A quarter of the window at most: a 4,096-token model gets 1,024 for its answer.
    var answerTokens: Int { max(128, min(configuredAnswerTokens ?? 2048, windowTokens / 4)) }

    /// What the request may hold besides the answer, less a margin for the chat template's tokens.
    var promptTokens: Int { max(0, windowTokens - answerTokens - 32 - windowTokens / 32) }

    /// Bytes left for the excerpt once `fixedBytes` (system prompt, user prompt without the
    /// excerpt, tool definitions) are in; a third of what is left stays free for the turns
    /// to come (tool results, a repair).
    func excerptBytes(fixedBytes: Int) -> Int {
        Self.bytes(tokens: (promptTokens - Self.tokens(bytes: fixedBytes)) * 2 / 3)
    }

    /// The largest tool result a turn may add: a quarter of the prompt's share.
    var toolResultBytes: Int { max(512, Self.bytes(tokens: promptTokens / 4)) }

    /// All `tools` when their definitions take at most half of the prompt's share, else only
    /// the needed ones.
    func offered(_ tools: [ToolDefinition]) -> [ToolDefinition] {
        let size = tools.reduce(0) { $0 + Self.definitionBytes($1) }
        return Self.tokens(bytes: size) <= promptTokens / 2 ? tools : tools.filter { Self.neededTools.contains($0.name) }
    }

    static func definitionBytes(_ tool: ToolDefinition) -> Int {
        64 + tool.name.utf8.count + tool.description.utf8.count + tool.parametersJSON.utf8.count
    }

    /// The window to assume after the server refused a request as too long: the size it
    /// reported, if smaller, else two thirds of the current one.
    func shrunk(reported: Int?) -> ContextBudget {
        let next = reported.map { min($0, windowTokens * 9 / 10) } ?? windowTokens * 2 / 3
        return ContextBudget(windowTokens: max(512, next), configuredAnswerTokens: configuredAnswerTokens)
    }
}
