import MCPClient
import Testing
import TestSupport

/// Against the official Python SDK's FastMCP server, over every transport it offers.
@Suite(.serialized) struct FastMCPInteropTests {
    @Test(arguments: MCPPeerMode.all)
    func handshakeListAndCall(mode: MCPPeerMode) async throws {
        let peer = try await TestPeer(script: "fastmcp_test_server.py", arguments: mode.peerArguments)
        defer { peer.stop() }
        let client = MCPClient(configuration: mode.configuration(peer))

        let session = try await client.connect()
        #expect(session.protocolVersion == "2025-06-18")
        #expect(session.serverName == "fastmcp-test")

        let tools = try await client.listTools()
        #expect(Set(tools.map(\.name)).isSuperset(of: ["echo", "add", "fail", "sleep", "sized", "big"]))
        let echo = try #require(tools.first { $0.name == "echo" })
        #expect(echo.description == "Returns its input text unchanged.")
        #expect(echo.inputSchema["properties"]?["text"]?["type"] == "string")

        let echoed = try await client.callTool("echo", arguments: ["text": "héllo\nwörld"])
        #expect(echoed.text == "héllo\nwörld")
        #expect(!echoed.isError)

        let sum = try await client.callTool("add", arguments: ["a": 2, "b": 3])
        #expect(sum.structuredContent?["result"] == 5)

        let failed = try await client.callTool("fail", arguments: ["message": "disk full"])
        #expect(failed.isError)
        #expect(failed.text.contains("disk full"))

        try await client.ping()
        let chatty = try await client.callTool("chatty")
        #expect(chatty.text == "done")
        await client.close()
    }

    @Test(arguments: [MCPPeerMode.sse, .streamable])
    func serverInitiatedRequestIsDeclined(mode: MCPPeerMode) async throws {
        let peer = try await TestPeer(script: "fastmcp_test_server.py", arguments: mode.peerArguments)
        defer { peer.stop() }
        let client = MCPClient(configuration: mode.configuration(peer))
        let result = try await client.callTool("ask_client")
        #expect(result.text.hasPrefix("client declined: Method not supported by this client: roots/list"), "\(result.text)")
        await client.close()
    }

    @Test(arguments: [MCPPeerMode.sse, .streamable])
    func toolSleepingPastTimeoutThenNextCallWorks(mode: MCPPeerMode) async throws {
        let peer = try await TestPeer(script: "fastmcp_test_server.py", arguments: mode.peerArguments)
        defer { peer.stop() }
        let client = MCPClient(configuration: mode.configuration(peer))
        try await client.connect()
        let started = ContinuousClock.now
        await #expect(throws: MCPError.timeout(server: mode.url(peer), method: "tools/call", after: .seconds(1))) {
            try await client.callTool("sleep", arguments: ["seconds": 60], timeout: .seconds(1))
        }
        // The error says the 1 s timeout fired; the bound, far below the tool's 60 s, only
        // catches a client that waited for the answer.
        #expect(ContinuousClock.now - started < .seconds(30))
        let after = try await client.callTool("echo", arguments: ["text": "still here"])
        #expect(after.text == "still here")
        await client.close()
    }

    @Test(arguments: MCPPeerMode.all)
    func hugeResultHitsLimitAndResultUnderLimitArrivesWhole(mode: MCPPeerMode) async throws {
        let peer = try await TestPeer(script: "fastmcp_test_server.py", arguments: mode.peerArguments)
        defer { peer.stop() }
        let client = MCPClient(configuration: mode.configuration(peer))
        await #expect(throws: MCPError.responseTooLarge(server: mode.url(peer), limit: 4 * 1024 * 1024)) {
            try await client.callTool("big")
        }
        let size = 3 * 1024 * 1024
        let fits = try await client.callTool("sized", arguments: ["size": .int(size)])
        #expect(fits.text.utf8.count == size)
        await client.close()
    }
}
