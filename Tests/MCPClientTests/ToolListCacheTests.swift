import Foundation
import JSON
import MCPClient
import Testing
import TestSupport

/// `tools/list` is asked once per session, however many callers want the tools at once.
@Suite(.serialized) struct ToolListCacheTests {
    @Test(arguments: [MCPTransportKind.sse, .streamableHTTP])
    func concurrentAndRepeatedCallersShareOneFetchPerSession(transport: MCPTransportKind) async throws {
        let peer = try await TestPeer(script: "raw_mcp_peer.py")
        defer { peer.stop() }
        let configuration = MCPPeerMode(transport: transport, jsonResponse: false).configuration(peer)
        let client = MCPClient(configuration: configuration)
        let observer = MCPClient(configuration: configuration)
        func pagesAsked() async throws -> Int? {
            try JSONValue.decode(Data(try await observer.callTool("stats").text.utf8))["tools_list"]?.intValue
        }

        let names = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<20 { group.addTask { try await client.listTools().map(\.name) } }
            return try await group.reduce(into: Set<[String]>()) { $0.insert($1) }
        }
        #expect(names == [["t1", "t2", "t3", "t4", "t5"]])
        let onePass = try #require(try await pagesAsked())
        #expect(onePass == 3)  // three pages, fetched once for twenty callers
        _ = try await client.listTools()
        #expect(try await pagesAsked() == onePass)

        // A new session asks again.
        await client.close()
        #expect(try await client.listTools().count == 5)
        #expect(try await pagesAsked() == 2 * onePass)
        await client.close()
        await observer.close()
    }
}
