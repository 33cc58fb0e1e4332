import LLMClient
import MCPClient

/// Which MCP server offers which tool, learnt from each server's `tools/list`.
public struct ToolRouter: Sendable {
    public struct Route: Sendable {
        public let tool: MCPTool
        public let server: MCPClient
        /// What the model is told about the tool, made once per discovery (the schema is
        /// written as JSON text here, not for every run).
        public let definition: ToolDefinition

        init(tool: MCPTool, server: MCPClient) {
            self.tool = tool
            self.server = server
            definition = ToolDefinition(
                name: tool.name, description: tool.description ?? tool.title ?? tool.name, parameters: tool.inputSchema)
        }
    }

    public private(set) var routes: [String: Route] = [:]
    /// Tool names in discovery order, so the model sees a stable list.
    public private(set) var order: [String] = []

    public init() {}

    /// Lists the tools of every server; a name offered twice goes to the first server.
    public static func discover(_ servers: [MCPClient], timeout: Duration? = nil) async throws(MCPError) -> ToolRouter {
        var lists: [[MCPTool]] = []
        for server in servers { lists.append(try await server.listTools(timeout: timeout)) }
        return ToolRouter(servers: servers, lists: lists)
    }

    /// Routes for `lists[i]`, the tools of `servers[i]`.
    init(servers: [MCPClient], lists: [[MCPTool]]) {
        for (server, tools) in zip(servers, lists) {
            for tool in tools where routes[tool.name] == nil {
                routes[tool.name] = Route(tool: tool, server: server)
                order.append(tool.name)
            }
        }
    }

    public func route(_ name: String) -> Route? { routes[name] }

    /// Definitions of the offered tools the policy allows, in the servers' order.
    public func definitions(allowed policy: ToolPolicy) -> [ToolDefinition] {
        order.filter(policy.allows).compactMap { routes[$0]?.definition }
    }
}
