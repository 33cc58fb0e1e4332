import Foundation
import JSON

/// Where a transport hands what the server sends: parsed JSON-RPC messages, and the end of
/// the connection (with the reason) for transports that keep one open.
public struct MCPInbox: Sendable {
    public let deliver: @Sendable (JSONValue) -> Void
    public let closed: @Sendable (MCPError) -> Void

    public init(deliver: @escaping @Sendable (JSONValue) -> Void, closed: @escaping @Sendable (MCPError) -> Void) {
        self.deliver = deliver
        self.closed = closed
    }
}

/// Moves JSON-RPC messages between the client and one server. The client owns ids, timeouts
/// and the handshake; a transport only carries bytes and reports typed failures.
public protocol MCPTransport: Sendable {
    /// Prepares a fresh connection (a new session); earlier state is discarded.
    func open(inbox: MCPInbox) async throws(MCPError)
    /// Sends one message. When `requestID` is set, answers that travel back on the same HTTP
    /// exchange are delivered to the inbox before this returns, or it throws.
    func send(_ message: Data, requestID: Int?, timeout: Duration) async throws(MCPError)
    /// Called after `initialize` succeeded with the negotiated protocol version.
    func negotiated(protocolVersion: String) async
    /// Ends the session; errors are ignored.
    func close() async
}
