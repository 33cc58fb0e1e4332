import Foundation
import HTTPClient
import JSON
import MCPClient
import Synchronization
import TestSupport

/// The peers one end-to-end test talks to: the shared LiteLLM proxy in front of the scripted
/// model, and its own Kubernetes MCP stand-in (serving the test's fixture pods), fake Gitea and
/// a Gitea MCP server of the given kind. The Gitea MCP server can be stopped and started again
/// on the same port.
final class EndToEndPeers: Sendable {
    let llm: LiteLLMStack
    let kubernetes: TestPeer
    let gitea: TestPeer
    let giteaMCPPort: Int
    let giteaKind: GiteaMCPServerKind
    /// Tools left out of the Gitea MCP server (Go stand-ins only).
    let giteaWithout: [String]
    let directory: TemporaryDirectory
    private let giteaMCP: Mutex<TestPeer?>

    /// `pods` maps "namespace/name" to the log of its `container`.
    init(pods: [String: String], container: String = FailingLogs.container, gitea kind: GiteaMCPServerKind = .pypi,
         giteaWithout: [String] = []) async throws {
        giteaKind = kind
        self.giteaWithout = giteaWithout
        directory = TemporaryDirectory()
        async let llm = LiteLLMStack.shared()
        let fixture: [String: Any] = ["pods": pods.mapValues { log in ["phase": "Failed", "containers": [container: ["log": log]]] }]
        let path = directory.path("pods.json")
        try JSONSerialization.data(withJSONObject: fixture).write(to: URL(fileURLWithPath: path))
        kubernetes = try await TestPeer(script: "kube_mcp_server.py", arguments: ["--transport", "sse", "--fixtures", path])
        gitea = try await TestPeer(script: "fake_gitea.py")
        let mcp = try await kind.start(giteaURL: gitea.baseURL, without: giteaWithout)
        giteaMCPPort = mcp.port
        giteaMCP = Mutex(mcp)
        self.llm = try await llm
    }

    deinit { stop() }

    func stop() {
        stopGiteaMCP()
        kubernetes.stop()
        gitea.stop()
    }

    func stopGiteaMCP() {
        let peer = giteaMCP.withLock { peer in
            defer { peer = nil }
            return peer
        }
        peer?.stop()
    }

    /// Starts gitea-mcp again on its first port.
    func restartGiteaMCP() async throws {
        stopGiteaMCP()
        let peer = try await giteaKind.start(giteaURL: gitea.baseURL, port: giteaMCPPort, without: giteaWithout)
        giteaMCP.withLock { $0 = peer }
    }

    /// The worker's environment: every peer, the database, the repository and the model.
    func environment(database: String, repository: String, model: ScriptedModel, port: Int? = nil,
                     overrides: [String: String] = [:]) -> [String: String] {
        var environment = [
            "LITELLM_URL": llm.proxyURL,
            "LITELLM_API_KEY": LiteLLMStack.masterKey,
            "LITELLM_MODEL": model.name,
            "LITELLM_TIMEOUT_SECONDS": "30",
            "MCP_OPENSHIFT_URL": kubernetes.baseURL + "/sse",
            "MCP_OPENSHIFT_TRANSPORT": "sse",
            "MCP_GITEA_URL": "http://127.0.0.1:\(giteaMCPPort)/mcp",
            "MCP_GITEA_TRANSPORT": "streamable-http",
            "GITEA_OWNER": Self.owner,
            "GITEA_REPO": repository,
            "AGENT_DB": database,
            "AGENT_INGEST_HOST": "127.0.0.1",
            "AGENT_WORKER_CONCURRENCY": "8",
            "AGENT_LEASE_TTL_SECONDS": "10",
            "AGENT_SHUTDOWN_GRACE_SECONDS": "2",
            "AGENT_MAX_ATTEMPTS": "5",
            "AGENT_RETRY_BASE_SECONDS": "1",
            "AGENT_RETRY_CAP_SECONDS": "2",
            "AGENT_TOOL_ALLOWLIST": "",
            "LOG_LEVEL": "info",
        ]
        if let port { environment["PORT"] = String(port) }
        return environment.merging(overrides) { $1 }
    }

    static let owner = "team"

    /// A repository no other test writes to.
    static func uniqueRepository() -> String { "app-\(UUID().uuidString.prefix(8).lowercased())" }

    /// Every request the fake Gitea received, oldest first.
    func giteaRequests() async throws -> [JSONValue] {
        let response = try await HTTPClient().send(HTTPRequest(url: gitea.baseURL + "/_test/requests"))
        return try JSONValue.decode(response.body).arrayValue ?? []
    }

    /// The issues of one repository of the fake Gitea.
    func issues(repo: String, owner: String = EndToEndPeers.owner) async throws -> [JSONValue] {
        let response = try await HTTPClient().send(HTTPRequest(url: gitea.baseURL + "/api/v1/repos/\(owner)/\(repo)/issues?state=all&limit=50"))
        return try JSONValue.decode(response.body).arrayValue ?? []
    }

    /// Bodies of every issue and comment the fake Gitea was asked to create.
    func postedBodies() async throws -> [String] {
        try await giteaRequests().filter { $0["method"] == "POST" }.compactMap { $0["body"]?["body"]?.stringValue }
    }
}
