import CLI
import Foundation
import HTTPClient
import JSON
import MCPClient

/// The worker's peers for the benchmark, as child processes: the scripted model (talked to
/// directly as the OpenAI-compatible endpoint, no LiteLLM), the Kubernetes MCP stand-in (SSE)
/// serving the fixture pods, and gitea-mcp (streamable HTTP) in front of the fake Gitea.
final class WorkerBenchPeers: Sendable {
    static let owner = "team"
    static let repo = "app"

    let model: PeerProcess
    let kubernetes: PeerProcess
    let gitea: PeerProcess
    let giteaMCP: PeerProcess
    private let http = HTTPClient()

    /// Starts all four; any already started are killed when one fails.
    static func start(peersDirectory: URL, fixturesPath: String, logDirectory: URL) async throws -> WorkerBenchPeers {
        var started: [PeerProcess] = []
        do {
            func peer(_ script: String, _ arguments: [String] = [], _ environment: [String: String] = [:]) async throws -> PeerProcess {
                let peer = try await PeerProcess(script: script, peersDirectory: peersDirectory, arguments: arguments,
                                                 environment: environment, logDirectory: logDirectory)
                started.append(peer)
                return peer
            }
            let model = try await peer("scripted_model.py")
            let kubernetes = try await peer("kube_mcp_server.py", ["--transport", "sse", "--fixtures", fixturesPath])
            let gitea = try await peer("fake_gitea.py")
            let giteaMCP = try await peer("gitea_mcp_peer.py", [], ["GITEA_URL": gitea.baseURL, "GITEA_TOKEN": "bench-token"])
            return WorkerBenchPeers(model: model, kubernetes: kubernetes, gitea: gitea, giteaMCP: giteaMCP)
        } catch {
            for peer in started { peer.kill() }
            throw error
        }
    }

    private init(model: PeerProcess, kubernetes: PeerProcess, gitea: PeerProcess, giteaMCP: PeerProcess) {
        self.model = model
        self.kubernetes = kubernetes
        self.gitea = gitea
        self.giteaMCP = giteaMCP
    }

    /// CPU time each peer has used so far, by script name.
    func cpuTimes() -> [(String, Duration)] {
        [model, kubernetes, giteaMCP, gitea].map { ($0.name, ProcessUsage.cpuTime(pid: $0.pid) ?? .zero) }
    }

    func killAll() {
        for peer in [giteaMCP, gitea, kubernetes, model] { peer.kill() }
    }

    func kubernetesConfiguration(timeouts: MCPTimeouts) -> MCPServerConfiguration {
        MCPServerConfiguration(url: kubernetes.baseURL + "/sse", transport: .sse, timeouts: timeouts)
    }

    func giteaConfiguration(timeouts: MCPTimeouts) -> MCPServerConfiguration {
        MCPServerConfiguration(url: giteaMCP.baseURL + "/mcp", transport: .streamableHTTP, timeouts: timeouts)
    }

    /// Every conversation with `model` gets one answer: after `delay`, a final text that the
    /// worker files as the issue itself (it passes the quality gates: the four sections, a
    /// quoted line every fixture log has). The script is one queue per model name shared by all
    /// conversations, so a two-step script (tool call, then text) would interleave between
    /// concurrent jobs; identical one-step answers keep every job's path the same.
    func scriptModel(_ model: String, answers: Int, delay: Duration) async throws {
        let step: JSONValue = .object([
            "delay": .double(delay.seconds),
            "text": .string("""
                Checkout unit test fails: upstream backend unavailable

                ## Cluster/namespace location
                The unit-tests step of the pipeline run.
                ## Summary
                The checkout service answered 503 because its upstream backend was unavailable.
                ## Detailed error
                error: step unit-tests exited with status 1
                ## Possible causes and solutions
                Make the test use a stub of the backend instead of the live service.
                """),
        ])
        let script: JSONValue = .object(["model": .string(model), "steps": .array(Array(repeating: step, count: answers))])
        try await post(model: "/_test/script", script)
    }

    /// Sets a script on the scripted model (`{"model", "steps", …}`, see scripted_model.py).
    func script(_ script: JSONValue) async throws {
        try await post(model: "/_test/script", script)
    }

    /// One issue of the benchmark's repository, nil when the fake Gitea has none with that number.
    func issue(_ number: Int) async throws -> JSONValue? {
        let response = try await http.send(HTTPRequest(
            url: gitea.baseURL + "/api/v1/repos/\(Self.owner)/\(Self.repo)/issues/\(number)", timeout: .seconds(20)))
        guard response.status == 200 else { return nil }
        return try JSONValue.decode(response.body)
    }

    /// Chat-completion requests the scripted model received.
    func modelRequests() async throws -> Int {
        try await getArray(model.baseURL + "/_test/requests").count
    }

    /// Issues in the benchmark's repository, as the fake Gitea lists them.
    func issues() async throws -> Int {
        try await getArray(gitea.baseURL + "/api/v1/repos/\(Self.owner)/\(Self.repo)/issues").count
    }

    private func post(model path: String, _ body: JSONValue) async throws {
        let request = HTTPRequest(method: "POST", url: model.baseURL + path, headers: ["Content-Type": "application/json"],
                                  body: try body.encoded(), timeout: .seconds(10))
        _ = try await http.send(request).requireSuccess()
    }

    private func getArray(_ url: String) async throws -> [JSONValue] {
        let response = try await http.send(HTTPRequest(url: url, timeout: .seconds(20), maxResponseBytes: 256 * 1024 * 1024))
        guard let items = try JSONValue.decode(try response.requireSuccess().body).arrayValue else {
            throw CommandFailure("\(url) did not answer a JSON array")
        }
        return items
    }
}
