/// Which MCP HTTP transport a server speaks.
public enum MCPTransportKind: String, Sendable, CaseIterable {
    /// Legacy HTTP+SSE (protocol 2024-11-05): GET an event stream, POST to its `endpoint`.
    case sse
    /// Streamable HTTP (protocol 2025-03-26 and later): POST each message to one URL.
    case streamableHTTP = "streamable-http"
}
