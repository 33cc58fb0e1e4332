/// The Gitea MCP servers the worker must work with, each as a test peer in front of the fake
/// Gitea: the PyPI gitea-mcp 0.5.1 (`add_comment`, `get_issue`, `list_issues` with
/// `issue_number`), and stand-ins for Gitea's own Go server, the one the chart deploys (see
/// Tests/peers/gitea_go_mcp_peer.py for the releases they mirror).
public enum GiteaMCPServerKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// PyPI gitea-mcp 0.5.1.
    case pypi
    /// gitea.com/gitea/gitea-mcp: create_issue_comment(index), get_issue_by_index, compact
    /// list_repo_issues with bodies cut to a preview.
    case go
    /// Its later releases: issue_read / issue_write with a `method`, list_issues without bodies.
    case goConsolidated

    public var description: String { rawValue }

    /// The peer script and its arguments; `without` leaves tools out of the Go server.
    public func peer(without: [String] = []) -> (script: String, arguments: [String]) {
        switch self {
        case .pypi: ("gitea_mcp_peer.py", [])
        case .go: ("gitea_go_mcp_peer.py", ["--surface", "classic"] + without.flatMap { ["--without", $0] })
        case .goConsolidated: ("gitea_go_mcp_peer.py", ["--surface", "consolidated"] + without.flatMap { ["--without", $0] })
        }
    }

    /// Starts the server in front of the fake Gitea at `giteaURL`.
    public func start(giteaURL: String, port: Int? = nil, without: [String] = []) async throws -> TestPeer {
        let (script, arguments) = peer(without: without)
        return try await TestPeer(script: script, arguments: arguments,
                                  environment: ["GITEA_URL": giteaURL, "GITEA_TOKEN": "test-token"],
                                  port: port, readyWithin: .seconds(90))
    }
}
