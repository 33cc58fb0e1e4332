import Foundation
import HTTPClient
import JSON
import MCPClient
import Testing
import TestSupport

/// `gitea-mcp` from PyPI over streamable HTTP, in front of the fake Gitea REST API.
@Suite(.serialized) struct GiteaMCPInteropTests {
    @Test func createsListsAndCommentsOnIssues() async throws {
        let gitea = try await TestPeer(script: "fake_gitea.py")
        defer { gitea.stop() }
        let server = try await TestPeer(
            script: "gitea_mcp_peer.py", environment: ["GITEA_URL": gitea.baseURL, "GITEA_TOKEN": "test-token"])
        defer { server.stop() }
        let client = MCPClient(configuration: MCPServerConfiguration(
            url: server.baseURL + "/mcp", transport: .streamableHTTP,
            timeouts: MCPTimeouts(connect: .seconds(5), request: .seconds(20))))

        let tools = Set(try await client.listTools().map(\.name))
        #expect(tools.isSuperset(of: ["create_issue", "list_issues", "add_comment"]))

        let created = try await client.callTool("create_issue", arguments: [
            "owner": "team", "repo": "app", "title": "Pipeline build failed", "body": "## Summary\nexit status 1",
        ])
        #expect(!created.isError, "\(created.text)")
        let number = try #require(created.structuredContent?["number"]?.intValue)

        let listed = try await client.callTool("list_issues", arguments: ["owner": "team", "repo": "app"])
        #expect(listed.text.contains("Pipeline build failed"))

        let comment = try await client.callTool("add_comment", arguments: [
            "owner": "team", "repo": "app", "issue_number": .int(number), "body": "Seen again",
        ])
        #expect(!comment.isError, "\(comment.text)")
        await client.close()

        let requests = try JSONValue.decode(
            try await HTTPClient().send(HTTPRequest(url: gitea.baseURL + "/_test/requests")).body)
        let posts = (requests.arrayValue ?? []).filter { $0["method"] == "POST" }
        #expect(posts.first?["path"] == "/api/v1/repos/team/app/issues")
        #expect(posts.first?["body"]?["title"] == "Pipeline build failed")
        #expect(posts.first?["body"]?["body"] == "## Summary\nexit status 1")
        #expect(posts.last?["path"] == .string("/api/v1/repos/team/app/issues/\(number)/comments"))
        #expect(posts.last?["body"]?["body"] == "Seen again")
    }
}
