/// Limits and sampling of one analysis.
public struct AgentConfiguration: Sendable {
    public var policy: ToolPolicy
    /// Model turns before the run stops with an error (default 10).
    public var maxIterations: Int
    /// Prompt plus completion tokens over the whole run (default 100,000).
    public var tokenBudget: Int
    /// Largest tool result the model sees, in UTF-8 bytes (default 16 KiB); longer ones keep
    /// their head and tail.
    public var maxToolResultBytes: Int
    /// Largest tool result kept in the transcript (default 256 KiB).
    public var maxStoredResultBytes: Int
    public var toolTimeout: Duration
    public var temperature: Double?
    /// `max_tokens` of each answer; lowered to a quarter of `contextTokens` when larger.
    public var maxTokens: Int?
    /// The model's context window in tokens (default 8192): prompt, tools, excerpt and answer
    /// are sized to fit it (`ContextBudget`).
    public var contextTokens: Int
    public static let defaultContextTokens = 8192

    public init(
        policy: ToolPolicy,
        maxIterations: Int = 10,
        tokenBudget: Int = 100_000,
        maxToolResultBytes: Int = 16 * 1024,
        maxStoredResultBytes: Int = 256 * 1024,
        toolTimeout: Duration = .seconds(60),
        temperature: Double? = 0.2,
        maxTokens: Int? = 2048,
        contextTokens: Int = AgentConfiguration.defaultContextTokens
    ) {
        self.policy = policy
        self.maxIterations = maxIterations
        self.tokenBudget = tokenBudget
        self.maxToolResultBytes = maxToolResultBytes
        self.maxStoredResultBytes = maxStoredResultBytes
        self.toolTimeout = toolTimeout
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.contextTokens = contextTokens
    }
}
