import Testing
import TestSupport

/// ingest → worker → issue with the real binaries against the real peers: LiteLLM + scripted
/// model, gitea-mcp + fake Gitea, the Kubernetes MCP stand-in (issue 7, "Must be true").
/// Serialized: several tests measure time or kill processes, and the machine is small.
@Suite(.serialized, .timeLimit(.minutes(5))) struct EndToEndTests {
    /// The Gitea MCP servers the dedupe and crash tests run against: the PyPI gitea-mcp and a
    /// stand-in for Gitea's own Go server, the one the chart deploys.
    static let giteaServers: [GiteaMCPServerKind] = [.pypi, .go]
}
