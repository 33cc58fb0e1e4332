import Foundation
import HTTPClient

/// How to reach one MCP server.
public struct MCPServerConfiguration: Sendable {
    public var url: String
    public var transport: MCPTransportKind
    public var headers: HTTPHeaders
    public var bearerToken: String?
    public var timeouts: MCPTimeouts
    /// Largest single message accepted from the server: 4 MiB.
    public var maxMessageBytes: Int
    public var verifyTLS: Bool
    public var caBundlePath: String?
    public var clientName: String
    public var clientVersion: String

    public init(
        url: String,
        transport: MCPTransportKind,
        headers: HTTPHeaders = [:],
        bearerToken: String? = nil,
        timeouts: MCPTimeouts = MCPTimeouts(),
        maxMessageBytes: Int = 4 * 1024 * 1024,
        verifyTLS: Bool = true,
        caBundlePath: String? = nil,
        clientName: String = "pipeline-agent",
        clientVersion: String = "0.1.0"
    ) {
        self.url = url
        self.transport = transport
        self.headers = headers
        self.bearerToken = bearerToken
        self.timeouts = timeouts
        self.maxMessageBytes = maxMessageBytes
        self.verifyTLS = verifyTLS
        self.caBundlePath = caBundlePath
        self.clientName = clientName
        self.clientVersion = clientVersion
    }

    /// Headers sent with every request: the configured ones plus `Authorization: Bearer`.
    var requestHeaders: HTTPHeaders {
        var all = headers
        if let bearerToken, !bearerToken.isEmpty { all.set("Authorization", "Bearer \(bearerToken)") }
        return all
    }

    /// The Kubernetes/OpenShift server: `MCP_OPENSHIFT_URL`, `MCP_OPENSHIFT_TRANSPORT` (default `sse`),
    /// `MCP_OPENSHIFT_TOKEN`, `MCP_OPENSHIFT_HEADERS`. Nil when the URL is unset.
    public static func openShift(environment: [String: String]) throws -> MCPServerConfiguration? {
        try fromEnvironment(environment, prefix: "MCP_OPENSHIFT", defaultTransport: .sse)
    }

    /// The Gitea server: `MCP_GITEA_URL`, `MCP_GITEA_TRANSPORT` (default `streamable-http`),
    /// `MCP_GITEA_TOKEN`, `MCP_GITEA_HEADERS`. Nil when the URL is unset.
    public static func gitea(environment: [String: String]) throws -> MCPServerConfiguration? {
        try fromEnvironment(environment, prefix: "MCP_GITEA", defaultTransport: .streamableHTTP)
    }

    /// Reads `<prefix>_URL`, `_TRANSPORT`, `_TOKEN` and `_HEADERS` ("Name: value" pairs separated by ";").
    public static func fromEnvironment(
        _ environment: [String: String], prefix: String, defaultTransport: MCPTransportKind
    ) throws -> MCPServerConfiguration? {
        guard let url = environment["\(prefix)_URL"], !url.isEmpty else { return nil }
        var transport = defaultTransport
        if let name = environment["\(prefix)_TRANSPORT"], !name.isEmpty {
            guard let kind = MCPTransportKind(rawValue: name.lowercased()) else {
                throw MCPError.invalidConfiguration(
                    "\(prefix)_TRANSPORT=\(name): expected one of \(MCPTransportKind.allCases.map(\.rawValue))")
            }
            transport = kind
        }
        var headers = HTTPHeaders()
        for pair in (environment["\(prefix)_HEADERS"] ?? "").split(separator: ";") {
            headers.add(try parseHeader(String(pair), source: "\(prefix)_HEADERS"))
        }
        return MCPServerConfiguration(
            url: url, transport: transport, headers: headers, bearerToken: environment["\(prefix)_TOKEN"])
    }

    /// Parses "Name: value" (or "Name:value"). Errors never quote the entry: header values are
    /// often credentials (a cookie split at its `;` looks like a malformed entry).
    public static func parseHeader(_ text: String, source: String = "header") throws -> (String, String) {
        guard let colon = text.firstIndex(of: ":") else {
            throw MCPError.invalidConfiguration("\(source): an entry (\(text.count) characters) is not 'Name: value'")
        }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw MCPError.invalidConfiguration("\(source): an entry has no name before its ':'") }
        return (name, value)
    }
}

extension HTTPHeaders {
    mutating func add(_ field: (String, String)) { add(field.0, field.1) }
}
