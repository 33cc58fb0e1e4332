import MCPClient
import Synchronization

/// The last router made from the servers' tool lists, reused while the lists stay the same.
///
/// Each `MCPClient` caches its tool list per session, so consecutive jobs get the same arrays;
/// comparing them is then a storage-identity check, and a reconnect or `list_changed` (a new
/// array) makes a new router. Saves every job building routes and definitions again.
public final class ToolRouterCache: Sendable {
    private struct Entry {
        let servers: [ObjectIdentifier]
        let lists: [[MCPTool]]
        let router: ToolRouter
    }

    private let last = Mutex<Entry?>(nil)

    public init() {}

    public func router(for servers: [MCPClient], timeout: Duration? = nil) async throws(MCPError) -> ToolRouter {
        var lists: [[MCPTool]] = []
        for server in servers { lists.append(try await server.listTools(timeout: timeout)) }
        let identities = servers.map(ObjectIdentifier.init)
        if let entry = last.withLock({ $0 }), entry.servers == identities, entry.lists == lists { return entry.router }
        let router = ToolRouter(servers: servers, lists: lists)
        last.withLock { $0 = Entry(servers: identities, lists: lists, router: router) }
        return router
    }
}
