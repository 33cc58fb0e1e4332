import Testing
import TestSupport

/// `agentctl mcp tools` on a Gitea MCP server shows the issue operations the worker resolves
/// from it, and what it lacks.
@Suite struct MCPToolsCommandTests {
    @Test(arguments: [(GiteaMCPServerKind.pypi, "comment=add_comment(owner, repo, issue_number:number)"),
                      (.go, "comment=create_issue_comment(owner, repo, index:number)"),
                      (.goConsolidated, "comment=issue_write(method=add_comment, owner, repo, index:number)")])
    func showsTheResolvedIssueOperations(kind: GiteaMCPServerKind, comment: String) async throws {
        let gitea = try await TestPeer(script: "fake_gitea.py")
        defer { gitea.stop() }
        let server = try await kind.start(giteaURL: gitea.baseURL)
        defer { server.stop() }
        let run = try await ChildProcess.run(
            try BuildProducts.executable("agentctl"),
            ["mcp", "tools", "--url", server.baseURL + "/mcp", "--transport", "streamable-http"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("issue operations (as the worker resolves them):"))
        #expect(run.stdout.contains(comment), "\(run.stdout.suffix(600))")
        #expect(!run.stdout.contains("missing:"))
    }

    @Test func saysWhatAServerWithoutACommentToolLacks() async throws {
        let gitea = try await TestPeer(script: "fake_gitea.py")
        defer { gitea.stop() }
        let server = try await GiteaMCPServerKind.go.start(giteaURL: gitea.baseURL, without: ["create_issue_comment"])
        defer { server.stop() }
        let run = try await ChildProcess.run(
            try BuildProducts.executable("agentctl"),
            ["mcp", "tools", "--url", server.baseURL + "/mcp", "--transport", "streamable-http"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("comment=none"))
        #expect(run.stdout.contains("missing: comment on an issue"), "\(run.stdout.suffix(600))")
    }
}
