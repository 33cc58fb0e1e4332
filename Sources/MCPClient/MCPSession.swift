import JSON

/// What the server said about itself in `initialize`.
public struct MCPSession: Sendable, Equatable {
    public var protocolVersion: String
    public var serverName: String
    public var serverVersion: String
    public var capabilities: JSONValue
    public var instructions: String?
}
