import LLMClient
import MCPClient

/// Everything an analysis needs from the environment, read in one place so `agentctl analyze`
/// and the worker configure the agent identically.
public struct AgentSettings: Sendable {
    public var llm: LLMConfiguration
    /// The Kubernetes/OpenShift server first, then Gitea; either may be absent.
    public var servers: [MCPServerConfiguration]
    public var agent: AgentConfiguration
    /// `LITELLM_CONTEXT_TOKENS`, when set; else the window is looked up (`ContextWindow`).
    public var contextTokens: Int?

    /// Reads the `LITELLM_*`, `MCP_OPENSHIFT_*`, `MCP_GITEA_*`, `GITEA_OWNER`/`GITEA_REPO`
    /// variables and `AGENT_TOOL_ALLOWLIST`, `AGENT_MAX_ITERATIONS` (10), `AGENT_TOKEN_BUDGET`
    /// (100000), `AGENT_TOOL_RESULT_MAX_BYTES` (16384), `AGENT_TOOL_TIMEOUT_SECONDS` (60),
    /// `LITELLM_CONTEXT_TOKENS` (the model's window; unset = the proxy's `/model/info`, else 8192).
    /// Without a repository only a dry run is allowed: issues must never land somewhere unplanned.
    public static func fromEnvironment(_ environment: [String: String], dryRun: Bool = false) throws -> AgentSettings {
        let llm = try LLMConfiguration.fromEnvironment(environment)
        let servers = try [MCPServerConfiguration.openShift(environment: environment), MCPServerConfiguration.gitea(environment: environment)]
            .compactMap { $0 }
        guard !servers.isEmpty else { throw AgentSettingsError("set MCP_OPENSHIFT_URL and/or MCP_GITEA_URL") }
        let repository = IssueRepository.fromEnvironment(environment)
        if repository == nil, !dryRun {
            throw AgentSettingsError("set GITEA_OWNER and GITEA_REPO (or MCP_GITEA_USER and MCP_GITEA_REPO): issues go only there")
        }
        func integer(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return fallback }
            guard let value = Int(text), range.contains(value) else {
                throw AgentSettingsError("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), not \(text)")
            }
            return value
        }
        let contextTokens = environment["LITELLM_CONTEXT_TOKENS"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } == nil
            ? nil : try integer("LITELLM_CONTEXT_TOKENS", AgentConfiguration.defaultContextTokens, 1_024...10_000_000)
        let agent = AgentConfiguration(
            policy: ToolPolicy(allowedTools: ToolPolicy.allowedTools(environment: environment), repository: repository, dryRun: dryRun),
            maxIterations: try integer("AGENT_MAX_ITERATIONS", 10, 1...100),
            tokenBudget: try integer("AGENT_TOKEN_BUDGET", 100_000, 1_000...10_000_000),
            maxToolResultBytes: try integer("AGENT_TOOL_RESULT_MAX_BYTES", 16 * 1024, 256...4 * 1024 * 1024),
            toolTimeout: .seconds(try integer("AGENT_TOOL_TIMEOUT_SECONDS", 60, 1...3600)),
            contextTokens: contextTokens ?? AgentConfiguration.defaultContextTokens)
        return AgentSettings(llm: llm, servers: servers, agent: agent, contextTokens: contextTokens)
    }
}

/// A missing or malformed agent setting, naming the variable.
public struct AgentSettingsError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
