import Logging

/// The model's context window, looked up once: `LITELLM_CONTEXT_TOKENS` when set, else what
/// the proxy reports (`/model/info`), else `AgentConfiguration.defaultContextTokens`.
public actor ContextWindow {
    private let lookup: @Sendable () async -> Int?
    private let fallback: Int
    private var known: Int?

    public init(fixed: Int? = nil, fallback: Int = AgentConfiguration.defaultContextTokens,
                lookup: @escaping @Sendable () async -> Int? = { nil }) {
        known = fixed
        self.fallback = fallback
        self.lookup = lookup
    }

    public func tokens(logger: Logger = Logger(label: "pipeline-agent.agent")) async -> Int {
        if let known { return known }
        let reported = await lookup()
        let tokens = reported ?? fallback
        logger.info("the model's context window", metadata: [
            "context_tokens": "\(tokens)", "source": "\(reported == nil ? "default" : "proxy /model/info")"])
        known = tokens
        return tokens
    }
}
