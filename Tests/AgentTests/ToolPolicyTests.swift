import Agent
import MCPClient
import Testing

@Suite struct ToolPolicyTests {
    @Test func repositoryComesFromGiteaVariablesWithPrototypeFallbacks() {
        #expect(IssueRepository.fromEnvironment(["GITEA_OWNER": "team", "GITEA_REPO": "app"]) == IssueRepository(owner: "team", repo: "app"))
        #expect(IssueRepository.fromEnvironment(["MCP_GITEA_USER": "old", "MCP_GITEA_REPO": "proto"]) == IssueRepository(owner: "old", repo: "proto"))
        #expect(IssueRepository.fromEnvironment(["GITEA_OWNER": "team", "MCP_GITEA_USER": "old", "MCP_GITEA_REPO": "proto"])
            == IssueRepository(owner: "team", repo: "proto"))
        #expect(IssueRepository.fromEnvironment(["GITEA_OWNER": "team"]) == nil)
        #expect(IssueRepository.fromEnvironment(["GITEA_OWNER": " ", "GITEA_REPO": "app"]) == nil)
    }

    @Test func allowlistFromEnvironmentReplacesTheDefault() {
        #expect(ToolPolicy.allowedTools(environment: [:]) == ToolPolicy.defaultAllowedTools)
        #expect(ToolPolicy.allowedTools(environment: ["AGENT_TOOL_ALLOWLIST": "pods_log, create_issue"]) == ["pods_log", "create_issue"])
        #expect(!ToolPolicy.defaultAllowedTools.contains("update_issue"))
    }

    @Test func writingToolsAreToldByTheirVerb() {
        for name in ["create_issue", "add_comment", "update_issue", "pods_delete", "issue_write", "create_issue_comment"] {
            #expect(ToolPolicy.writes(name: name), "\(name)")
        }
        for name in ["pods_log", "pods_get", "events_list", "list_issues", "get_issue_by_index", "search_issues"] {
            #expect(!ToolPolicy.writes(name: name), "\(name)")
        }
    }
}
