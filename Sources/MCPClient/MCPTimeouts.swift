/// Time limits for one MCP server.
public struct MCPTimeouts: Sendable, Equatable {
    /// TCP/TLS connect: 10 s.
    public var connect: Duration = .seconds(10)
    /// One JSON-RPC call, from send to answer (also the wait for the SSE `endpoint` event): 60 s.
    public var request: Duration = .seconds(60)

    public init(connect: Duration = .seconds(10), request: Duration = .seconds(60)) {
        self.connect = connect
        self.request = request
    }
}
