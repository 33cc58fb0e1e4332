import Logging

/// The model's context window: `LITELLM_CONTEXT_TOKENS` when set, else what the proxy reports
/// (`/model/info`), else `AgentConfiguration.defaultContextTokens`. A reported window is kept;
/// without one (a proxy that is down, or knows no window for the model) the default is used
/// and the proxy is asked again after `retryAfter`.
public actor ContextWindow {
    private let lookup: @Sendable () async -> Int?
    private let fallback: Int
    private let retryAfter: Duration
    private var known: Int?
    private var lastAsked: ContinuousClock.Instant?

    public init(fixed: Int? = nil, fallback: Int = AgentConfiguration.defaultContextTokens, retryAfter: Duration = .seconds(300),
                lookup: @escaping @Sendable () async -> Int? = { nil }) {
        known = fixed
        self.fallback = fallback
        self.retryAfter = retryAfter
        self.lookup = lookup
    }

    public func tokens(logger: Logger = Logger(label: "pipeline-agent.agent")) async -> Int {
        if let known { return known }
        if let lastAsked, ContinuousClock.now - lastAsked < retryAfter { return fallback }
        lastAsked = .now
        let reported = await lookup()
        logger.info("the model's context window", metadata: [
            "context_tokens": "\(reported ?? fallback)", "source": "\(reported == nil ? "default" : "proxy /model/info")"])
        known = reported
        return reported ?? fallback
    }
}
