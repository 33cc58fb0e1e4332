import Agent
import MCPClient
import Testing

/// The router is reused only for the same servers with the same tool lists.
@Suite struct ToolRouterCacheTests {
    @Test func reusedForTheSameServersAndRebuiltForOthers() async throws {
        let peers = try await AgentPeers.shared()
        let first = [MCPClient(configuration: peers.kubernetesConfiguration), MCPClient(configuration: peers.giteaConfiguration)]
        let cache = ToolRouterCache()

        let router = try await cache.router(for: first)
        #expect(router.route("pods_log")?.server === first[0])
        #expect(router.route("create_issue")?.server === first[1])
        #expect(router.route("pods_log")?.definition.name == "pods_log")
        let again = try await cache.router(for: first)
        #expect(again.order == router.order && again.route("pods_log")?.server === first[0])

        // Same tools offered by other clients: their routes must point at those clients.
        let second = [MCPClient(configuration: peers.kubernetesConfiguration), MCPClient(configuration: peers.giteaConfiguration)]
        let other = try await cache.router(for: second)
        #expect(other.route("pods_log")?.server === second[0])
        #expect(other.route("create_issue")?.server === second[1])
    }
}
