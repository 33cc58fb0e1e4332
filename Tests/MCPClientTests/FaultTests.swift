import Foundation
import HTTPClient
import JSON
import MCPClient
import Testing
import TestSupport

/// Misbehaving or absent servers: every failure is typed and arrives in bounded time.
@Suite(.serialized) struct FaultTests {
    @Test(arguments: [MCPTransportKind.sse, .streamableHTTP])
    func nothingListeningFailsWithinConnectTimeout(transport: MCPTransportKind) async throws {
        let url = "http://127.0.0.1:\(try TestPeer.freePort())/mcp"
        let client = MCPClient(configuration: MCPServerConfiguration(
            url: url, transport: transport, timeouts: MCPTimeouts(connect: .seconds(120), request: .seconds(120))))
        let started = ContinuousClock.now
        await #expect(throws: MCPError.transport(server: url, .connectionRefused(url: url))) {
            try await client.listTools()
        }
        // The refusal itself takes milliseconds (alone: 0.01 s). In the full suite this task can
        // wait for a thread: CPU-bound suites (AnalysisTests' 50 MB excerpt and redaction runs)
        // hold both cooperative threads of a 2-core machine for seconds, which measured 6–9 s
        // here (`swift test --filter "FaultTests|AnalysisTests"`). So the bound is far below the
        // 120 s connect timeout, which a refusal that waited for it would exceed, and far above
        // any scheduling delay.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test(arguments: [MCPTransportKind.sse, .streamableHTTP])
    func streamClosedMidAnswerFailsThenReconnects(transport: MCPTransportKind) async throws {
        let peer = try await TestPeer(script: "raw_mcp_peer.py")
        defer { peer.stop() }
        let mode = MCPPeerMode(transport: transport, jsonResponse: false)
        let client = MCPClient(configuration: mode.configuration(peer))
        #expect(try await client.callTool("echo", arguments: ["text": "before"]).text == "before")
        let started = ContinuousClock.now
        await #expect {
            try await client.callTool("close_mid")
        } throws: { error in
            if case .connectionClosed = error as? MCPError { return true }
            return false
        }
        // The error says the connection closed (no timeout); the bound only catches a hang.
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(try await client.callTool("echo", arguments: ["text": "after"]).text == "after")
        await client.close()
    }

    @Test(arguments: [MCPTransportKind.sse, .streamableHTTP])
    func malformedJSONIsTyped(transport: MCPTransportKind) async throws {
        let peer = try await TestPeer(script: "raw_mcp_peer.py")
        defer { peer.stop() }
        let client = MCPClient(configuration: MCPPeerMode(transport: transport, jsonResponse: false).configuration(peer))
        for tool in ["malformed", "not_json_rpc"] {
            await #expect {
                try await client.callTool(tool)
            } throws: { error in
                if case .malformedMessage = error as? MCPError { return true }
                return false
            }
        }
        #expect(try await client.callTool("echo", arguments: ["text": "ok"]).text == "ok")
        await client.close()
    }

    @Test(arguments: [MCPTransportKind.sse, .streamableHTTP])
    func toolsListFollowsCursorPages(transport: MCPTransportKind) async throws {
        let peer = try await TestPeer(script: "raw_mcp_peer.py", arguments: ["--absolute-endpoint"])
        defer { peer.stop() }
        let client = MCPClient(configuration: MCPPeerMode(transport: transport, jsonResponse: false).configuration(peer))
        #expect(try await client.listTools().map(\.name) == ["t1", "t2", "t3", "t4", "t5"])
        await client.close()
    }

    @Test func expiredSessionReinitializesOnceAndCloseDeletesSession() async throws {
        let peer = try await TestPeer(script: "raw_mcp_peer.py")
        defer { peer.stop() }
        let configuration = MCPPeerMode.streamable.configuration(peer)
        let client = MCPClient(configuration: configuration)
        _ = try await client.callTool("expire_session")
        #expect(try await client.callTool("echo", arguments: ["text": "again"]).text == "again")
        await client.close()

        let observer = MCPClient(configuration: configuration)
        let stats = try JSONValue.decode(Data(try await observer.callTool("stats").text.utf8))
        #expect(stats["initialize"] == 3)
        #expect(stats["delete"] == 1)
        #expect(stats["notifications"]?.arrayValue?.contains("notifications/initialized") == true)
        await observer.close()
    }

    @Test func aForgottenSSESessionIsMadeAgainForTheNextCall() async throws {
        let peer = try await TestPeer(script: "raw_mcp_peer.py")
        defer { peer.stop() }
        let configuration = MCPPeerMode(transport: .sse, jsonResponse: false).configuration(peer)
        let client = MCPClient(configuration: configuration)
        _ = try await client.callTool("expire_session")
        // The message endpoint now answers 404 while the stream stays open.
        #expect(try await client.callTool("echo", arguments: ["text": "again"]).text == "again")
        #expect(try await client.callTool("echo", arguments: ["text": "and again"]).text == "and again")
        await client.close()

        let observer = MCPClient(configuration: configuration)
        let stats = try JSONValue.decode(Data(try await observer.callTool("stats").text.utf8))
        #expect(stats["initialize"] == 3, "the first session, the one made again, the observer's")
        await observer.close()
    }

    @Test func unsupportedProtocolVersionIsRejected() async throws {
        let peer = try await TestPeer(script: "raw_mcp_peer.py", arguments: ["--protocol-version", "1999-01-01"])
        defer { peer.stop() }
        let configuration = MCPPeerMode.streamable.configuration(peer)
        let client = MCPClient(configuration: configuration)
        await #expect(throws: MCPError.unsupportedProtocolVersion(server: configuration.url, offered: "1999-01-01")) {
            try await client.connect()
        }
    }
}

/// The server goes away and comes back: calls fail typed while it is down, then work again.
@Suite(.serialized) struct ServerRestartTests {
    @Test(arguments: [MCPPeerMode.sse, .streamable])
    func nextCallReconnectsAfterRestart(mode: MCPPeerMode) async throws {
        var peer = try await TestPeer(script: "fastmcp_test_server.py", arguments: mode.peerArguments)
        defer { peer.stop() }
        let port = peer.port
        let client = MCPClient(configuration: mode.configuration(peer, request: .seconds(5)))
        #expect(try await client.callTool("echo", arguments: ["text": "one"]).text == "one")

        peer.stop()
        await #expect(throws: MCPError.self) {
            try await client.callTool("echo", arguments: ["text": "down"])
        }

        peer = try await TestPeer(script: "fastmcp_test_server.py", arguments: mode.peerArguments, port: port)
        #expect(try await client.callTool("echo", arguments: ["text": "two"]).text == "two")
        await client.close()
    }

    @Test func cancellingTheCallingTaskEndsTheCall() async throws {
        let peer = try await TestPeer(script: "fastmcp_test_server.py", arguments: MCPPeerMode.streamable.peerArguments)
        defer { peer.stop() }
        let client = MCPClient(configuration: MCPPeerMode.streamable.configuration(peer))
        try await client.connect()
        let call = Task { try await client.callTool("sleep", arguments: ["seconds": 10]) }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        call.cancel()
        await #expect(throws: MCPError.cancelled(server: MCPPeerMode.streamable.url(peer))) { try await call.value }
        // libcurl checks for cancellation about once a second.
        // A timeout, not a refusal or a hang; the bound leaves room for a loaded machine (9 s
        // measured while other builds held both cores) and still catches a missing timeout.
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(try await client.callTool("echo", arguments: ["text": "fine"]).text == "fine")
        await client.close()
    }
}

/// What travels on the wire besides the JSON: auth, extra headers, session and version headers.
@Suite(.serialized) struct WireHeaderTests {
    @Test(arguments: [MCPTransportKind.sse, .streamableHTTP])
    func sendsConfiguredAndProtocolHeaders(transport: MCPTransportKind) async throws {
        let peer = try await TestPeer(script: "raw_mcp_peer.py")
        defer { peer.stop() }
        var configuration = MCPPeerMode(transport: transport, jsonResponse: false).configuration(peer)
        configuration.bearerToken = "s3cret"
        configuration.headers = ["X-Tenant": "ci"]
        let client = MCPClient(configuration: configuration)
        let stats = try JSONValue.decode(Data(try await client.callTool("stats").text.utf8))
        await client.close()

        let initialize = try #require(stats["headers"]?["initialize"])
        let call = try #require(stats["headers"]?["tools/call"])
        for headers in [initialize, call] {
            #expect(headers["authorization"] == "Bearer s3cret")
            #expect(headers["x-tenant"] == "ci")
            #expect(headers["content-type"] == "application/json")
        }
        if transport == .streamableHTTP {
            #expect(initialize["accept"] == "application/json, text/event-stream")
            #expect(initialize["mcp-session-id"] == nil && initialize["mcp-protocol-version"] == nil)
            #expect(call["mcp-protocol-version"] == "2025-06-18")
            #expect(call["mcp-session-id"]?.stringValue?.isEmpty == false)
        }
    }
}

@Suite(.serialized) struct ConnectTimeoutTests {
    @Test(arguments: [MCPTransportKind.sse, .streamableHTTP])
    func silentServerFailsWithinConnectTimeout(transport: MCPTransportKind) async throws {
        let peer = try await TestPeer(script: "blackhole_peer.py", readyWhenLogged: "filled")
        defer { peer.stop() }
        let url = peer.baseURL + "/mcp"
        let client = MCPClient(configuration: MCPServerConfiguration(
            url: url, transport: transport, timeouts: MCPTimeouts(connect: .seconds(1), request: .seconds(10))))
        let started = ContinuousClock.now
        await #expect(throws: MCPError.transport(server: url, .connectTimeout(url: url, after: .seconds(1)))) {
            try await client.listTools()
        }
        // The error names the 1 s connect timeout (not the 10 s request timeout); the bound only
        // catches a wait far past both, with room for a machine whose cores another build holds
        // (8 s measured there).
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}

@Suite(.serialized) struct SilentServerTests {
    /// Accepts the connection and the request, then says nothing at all (not even headers).
    @Test(arguments: [MCPTransportKind.sse, .streamableHTTP])
    func serverThatNeverAnswersTimesOut(transport: MCPTransportKind) async throws {
        let peer = try await TestPeer(script: "http_peer.py")
        defer { peer.stop() }
        let url = peer.baseURL + "/silent"
        let client = MCPClient(configuration: MCPServerConfiguration(
            url: url, transport: transport, timeouts: MCPTimeouts(connect: .seconds(2), request: .seconds(1))))
        let started = ContinuousClock.now
        await #expect {
            try await client.listTools()
        } throws: { error in
            if case .timeout = error as? MCPError { return true }
            return false
        }
        // A timeout, not a refusal or a hang; the bound leaves room for a loaded machine (9 s
        // measured while other builds held both cores) and still catches a missing timeout.
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
