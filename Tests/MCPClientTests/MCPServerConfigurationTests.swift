import MCPClient
import Testing

@Suite struct MCPServerConfigurationTests {
    @Test func defaultsPerServer() throws {
        let environment = [
            "MCP_OPENSHIFT_URL": "http://k8s:8080/sse",
            "MCP_GITEA_URL": "http://gitea-mcp:8080/mcp",
            "MCP_GITEA_TOKEN": "secret",
            "MCP_GITEA_HEADERS": "X-Tenant: ci; X-Other:2",
        ]
        let openShift = try #require(try MCPServerConfiguration.openShift(environment: environment))
        #expect(openShift.transport == .sse)
        #expect(openShift.bearerToken == nil)
        let gitea = try #require(try MCPServerConfiguration.gitea(environment: environment))
        #expect(gitea.transport == .streamableHTTP)
        #expect(gitea.bearerToken == "secret")
        #expect(gitea.headers["x-tenant"] == "ci")
        #expect(gitea.headers["X-Other"] == "2")
    }

    @Test func explicitTransportAndErrors() throws {
        let configuration = try MCPServerConfiguration.openShift(environment: [
            "MCP_OPENSHIFT_URL": "http://k8s/mcp", "MCP_OPENSHIFT_TRANSPORT": "streamable-http",
        ])
        #expect(configuration?.transport == .streamableHTTP)
        #expect(try MCPServerConfiguration.gitea(environment: [:]) == nil)
        #expect(throws: MCPError.self) {
            try MCPServerConfiguration.gitea(environment: ["MCP_GITEA_URL": "x", "MCP_GITEA_TRANSPORT": "websocket"])
        }
    }

    @Test func aMalformedHeaderEntryIsRefusedWithoutQuotingIt() throws {
        // A cookie with its own `;` splits into an entry that is only the secret's tail.
        let error = try #require(throws: MCPError.self) {
            try MCPServerConfiguration.gitea(environment: [
                "MCP_GITEA_URL": "http://gitea-mcp/mcp", "MCP_GITEA_HEADERS": "Cookie: a=1; session=s3cr3t-v4lue",
            ])
        }
        #expect(String(describing: error).contains("MCP_GITEA_HEADERS"))
        #expect(!String(describing: error).contains("s3cr3t"))
    }
}
