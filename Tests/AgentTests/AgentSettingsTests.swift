import Agent
import LLMClient
import Testing

@Suite struct AgentSettingsTests {
    let base = [
        "LITELLM_URL": "http://litellm:4000", "MCP_OPENSHIFT_URL": "http://k8s-mcp:8080/sse",
        "MCP_GITEA_URL": "http://gitea-mcp:8080/mcp", "GITEA_OWNER": "team", "GITEA_REPO": "app",
    ]

    @Test func defaultsAndOverrides() throws {
        let defaults = try AgentSettings.fromEnvironment(base)
        #expect(defaults.servers.map(\.url) == ["http://k8s-mcp:8080/sse", "http://gitea-mcp:8080/mcp"])
        #expect(defaults.agent.maxIterations == 10 && defaults.agent.tokenBudget == 100_000)
        #expect(defaults.agent.policy.repository == IssueRepository(owner: "team", repo: "app"))
        #expect(defaults.llm.model == LLMConfiguration.defaultModel)
        let tuned = try AgentSettings.fromEnvironment(base.merging([
            "AGENT_MAX_ITERATIONS": "4", "AGENT_TOKEN_BUDGET": "5000", "AGENT_TOOL_RESULT_MAX_BYTES": "1024",
            "AGENT_TOOL_TIMEOUT_SECONDS": "5", "AGENT_TOOL_ALLOWLIST": "pods_log",
        ]) { $1 })
        #expect(tuned.agent.maxIterations == 4 && tuned.agent.tokenBudget == 5000 && tuned.agent.maxToolResultBytes == 1024)
        #expect(tuned.agent.toolTimeout == .seconds(5) && tuned.agent.policy.allowedTools == ["pods_log"])
    }

    @Test func theContextWindowComesFromTheEnvironmentOrIsLookedUp() async throws {
        let unset = try AgentSettings.fromEnvironment(base)
        #expect(unset.contextTokens == nil && unset.agent.contextTokens == AgentConfiguration.defaultContextTokens)
        let set = try AgentSettings.fromEnvironment(base.merging(["LITELLM_CONTEXT_TOKENS": "4096"]) { $1 })
        #expect(set.contextTokens == 4096 && set.agent.contextTokens == 4096)
        #expect(throws: AgentSettingsError.self) { try AgentSettings.fromEnvironment(base.merging(["LITELLM_CONTEXT_TOKENS": "4k"]) { $1 }) }
        // Looked up once; the default when the proxy says nothing.
        #expect(await ContextWindow(fixed: 4096, lookup: { 1 }).tokens() == 4096)
        #expect(await ContextWindow(lookup: { 16384 }).tokens() == 16384)
        #expect(await ContextWindow(lookup: { nil }).tokens() == AgentConfiguration.defaultContextTokens)
        // Without a reported window the proxy is asked again later, not at every job.
        let asked = Counter()
        let window = ContextWindow(retryAfter: .seconds(300), lookup: { await asked.increment(); return nil })
        for _ in 0..<3 { _ = await window.tokens() }
        #expect(await asked.value == 1)
    }

    @Test func refusesWhatWouldSendIssuesAstray() throws {
        var noRepository = base
        noRepository["GITEA_REPO"] = nil
        #expect(throws: AgentSettingsError.self) { try AgentSettings.fromEnvironment(noRepository) }
        #expect(try AgentSettings.fromEnvironment(noRepository, dryRun: true).agent.policy.dryRun)
        #expect(throws: AgentSettingsError.self) {
            try AgentSettings.fromEnvironment(base.merging(["AGENT_MAX_ITERATIONS": "0"]) { $1 })
        }
        #expect(throws: AgentSettingsError.self) {
            try AgentSettings.fromEnvironment(["LITELLM_URL": "http://x", "GITEA_OWNER": "a", "GITEA_REPO": "b"])
        }
    }
}

private actor Counter {
    var value = 0
    func increment() { value += 1 }
}
