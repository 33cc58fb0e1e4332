import MCPClient
import Testing
import TestSupport

/// The Kubernetes MCP stand-in the later end-to-end tests use, over both transports.
@Suite(.serialized) struct KubernetesStandInTests {
    static let pod = "build-and-test-run-7x9k2-unit-tests-pod"

    @Test(arguments: [MCPPeerMode.sse, .streamable])
    func servesRealSchemasAndFixtureLogs(mode: MCPPeerMode) async throws {
        let peer = try await TestPeer(script: "kube_mcp_server.py", arguments: ["--transport", mode.transport.rawValue])
        defer { peer.stop() }
        let client = MCPClient(configuration: mode.configuration(peer))

        let tools = Dictionary(uniqueKeysWithValues: try await client.listTools().map { ($0.name, $0) })
        let podsLog = try #require(tools["pods_log"])
        let properties = try #require(podsLog.inputSchema["properties"]?.objectValue)
        // containers/kubernetes-mcp-server's names: `tail` (default 100), not `tailLines`.
        #expect(Set(properties.keys) == ["namespace", "name", "container", "tail", "previous"])
        #expect(properties["tail"]?["default"] == 100)
        #expect(podsLog.inputSchema["required"] == ["name"])
        #expect(tools["pods_get"] != nil && tools["events_list"] != nil)

        let log = try await client.callTool("pods_log", arguments: [
            "namespace": "ci", "name": .string(Self.pod), "container": "step-unit-tests",
        ])
        #expect(!log.isError)
        #expect(log.text.contains("config_test.go:42: expected port 8080, got 0"))

        let tail = try await client.callTool("pods_log", arguments: [
            "namespace": "ci", "name": .string(Self.pod), "container": "step-unit-tests", "tail": 2,
        ])
        #expect(tail.text == "FAIL\nexit status 1\n")

        // Like the Kubernetes API, a pod of several containers needs the container named.
        let unnamed = try await client.callTool("pods_log", arguments: ["namespace": "ci", "name": .string(Self.pod)])
        #expect(unnamed.isError && unnamed.text.contains("a container name must be specified"))

        let previous = try await client.callTool("pods_log", arguments: [
            "namespace": "ci", "name": .string(Self.pod), "container": "step-unit-tests", "previous": true,
        ])
        #expect(previous.text.contains("OOMKilled"))

        let pod = try await client.callTool("pods_get", arguments: ["namespace": "ci", "name": .string(Self.pod)])
        #expect(pod.text.contains("phase: Failed"))
        let events = try await client.callTool("events_list", arguments: ["namespace": "ci"])
        #expect(events.text.contains("BackOff"))

        let missing = try await client.callTool("pods_log", arguments: ["namespace": "ci", "name": "nope"])
        #expect(missing.isError)
        #expect(missing.text.contains("not found"))
        await client.close()
    }
}
