import Agent
import Foundation
import HTTPClient
import JSON
import LLMClient
import MCPClient
import TestSupport

/// Real peers for agent tests, started once per test process: LiteLLM in front of the scripted
/// model, the Kubernetes MCP stand-in (SSE), and gitea-mcp (streamable HTTP) in front of the
/// fake Gitea. Tests keep apart by model name and by target repository.
final class AgentPeers: Sendable {
    static let pod = "build-and-test-run-7x9k2-unit-tests-pod"
    static let container = "step-unit-tests"

    let llm: LiteLLMStack
    let kubernetes: TestPeer
    let gitea: TestPeer
    let giteaMCP: TestPeer

    private static let instance = Task<AgentPeers, any Error> { try await AgentPeers() }
    static func shared() async throws -> AgentPeers { try await instance.value }

    private init() async throws {
        async let llm = LiteLLMStack.shared()
        kubernetes = try await TestPeer(script: "kube_mcp_server.py", arguments: ["--transport", "sse"])
        gitea = try await TestPeer(script: "fake_gitea.py")
        giteaMCP = try await TestPeer(
            script: "gitea_mcp_peer.py", environment: ["GITEA_URL": gitea.baseURL, "GITEA_TOKEN": "test-token"])
        self.llm = try await llm
    }

    var kubernetesConfiguration: MCPServerConfiguration {
        MCPServerConfiguration(url: kubernetes.baseURL + "/sse", transport: .sse,
                               timeouts: MCPTimeouts(connect: .seconds(5), request: .seconds(20)))
    }

    var giteaConfiguration: MCPServerConfiguration {
        MCPServerConfiguration(url: giteaMCP.baseURL + "/mcp", transport: .streamableHTTP,
                               timeouts: MCPTimeouts(connect: .seconds(5), request: .seconds(20)))
    }

    /// Fresh MCP clients and their tools (clients hold sessions; each test gets its own).
    func router() async throws -> (ToolRouter, [MCPClient]) {
        let clients = [MCPClient(configuration: kubernetesConfiguration), MCPClient(configuration: giteaConfiguration)]
        return (try await ToolRouter.discover(clients), clients)
    }

    func chatClient(_ model: ScriptedModel) -> OpenAIChatClient {
        OpenAIChatClient(configuration: LLMConfiguration(
            baseURL: llm.proxyURL + "/v1", apiKey: LiteLLMStack.masterKey, model: model.name,
            connectTimeout: .seconds(5), requestTimeout: .seconds(30)))
    }

    /// Every request the fake Gitea received, as JSON.
    func giteaRequests() async throws -> [JSONValue] {
        let response = try await HTTPClient().send(HTTPRequest(url: gitea.baseURL + "/_test/requests"))
        return try JSONValue.decode(response.body).arrayValue ?? []
    }

    /// Issues of one repository, as the fake Gitea lists them.
    func issues(owner: String, repo: String) async throws -> [JSONValue] {
        let response = try await HTTPClient().send(HTTPRequest(url: gitea.baseURL + "/api/v1/repos/\(owner)/\(repo)/issues?state=all&limit=50"))
        return try JSONValue.decode(response.body).arrayValue ?? []
    }

    /// A repository no other test writes to.
    static func uniqueRepository() -> IssueRepository {
        IssueRepository(owner: "team", repo: "app-\(UUID().uuidString.prefix(8).lowercased())")
    }
}
