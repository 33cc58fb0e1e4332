import LLMClient
import MCPClient

/// Which MCP server offers which tool, learnt from each server's `tools/list`.
public struct ToolRouter: Sendable {
    public struct Route: Sendable {
        public let tool: MCPTool
        public let server: MCPClient
    }

    public private(set) var routes: [String: Route] = [:]
    /// Tool names in discovery order, so the model sees a stable list.
    public private(set) var order: [String] = []

    public init() {}

    /// Lists the tools of every server; a name offered twice goes to the first server.
    public static func discover(_ servers: [MCPClient], timeout: Duration? = nil) async throws(MCPError) -> ToolRouter {
        var router = ToolRouter()
        for server in servers {
            for tool in try await server.listTools(timeout: timeout) where router.routes[tool.name] == nil {
                router.routes[tool.name] = Route(tool: tool, server: server)
                router.order.append(tool.name)
            }
        }
        return router
    }

    public func route(_ name: String) -> Route? { routes[name] }

    /// Definitions of the offered tools the policy allows, in the servers' order.
    public func definitions(allowed policy: ToolPolicy) -> [ToolDefinition] {
        order.filter(policy.allows).compactMap { name in
            guard let tool = routes[name]?.tool else { return nil }
            return ToolDefinition(
                name: tool.name, description: tool.description ?? tool.title ?? tool.name,
                parameters: tool.inputSchema)
        }
    }
}
