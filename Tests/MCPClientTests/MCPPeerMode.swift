import MCPClient
import Testing
import TestSupport

/// How a test reaches an MCP peer: which transport, and for FastMCP whether it answers with JSON.
struct MCPPeerMode: Sendable, CustomTestStringConvertible {
    let transport: MCPTransportKind
    let jsonResponse: Bool

    static let sse = MCPPeerMode(transport: .sse, jsonResponse: false)
    static let streamable = MCPPeerMode(transport: .streamableHTTP, jsonResponse: false)
    static let streamableJSON = MCPPeerMode(transport: .streamableHTTP, jsonResponse: true)
    static let all = [sse, streamable, streamableJSON]

    var testDescription: String { transport.rawValue + (jsonResponse ? "+json" : "") }

    var peerArguments: [String] {
        ["--transport", transport.rawValue] + (jsonResponse ? ["--json-response"] : [])
    }

    func url(_ peer: TestPeer) -> String {
        peer.baseURL + (transport == .sse ? "/sse" : "/mcp")
    }

    func configuration(_ peer: TestPeer, request: Duration = .seconds(20)) -> MCPServerConfiguration {
        MCPServerConfiguration(
            url: url(peer), transport: transport,
            timeouts: MCPTimeouts(connect: .seconds(5), request: request))
    }
}

