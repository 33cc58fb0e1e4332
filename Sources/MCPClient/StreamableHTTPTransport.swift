import Foundation
import HTTPClient
import JSON

/// Streamable HTTP transport: every message is a POST to one URL; the answer comes back as
/// `application/json` or as a `text/event-stream` on that POST. Keeps `Mcp-Session-Id`, sends
/// `MCP-Protocol-Version` once negotiated, DELETEs the session on close. The optional GET
/// stream for unsolicited server messages is not opened: the client needs none of them.
public actor StreamableHTTPTransport: MCPTransport {
    private let configuration: MCPServerConfiguration
    private let http: HTTPClient
    private var inbox: MCPInbox?
    private var sessionID: String?
    private var protocolVersion: String?

    public init(configuration: MCPServerConfiguration, http: HTTPClient) {
        self.configuration = configuration
        self.http = http
    }

    private var server: String { configuration.url }

    public func open(inbox: MCPInbox) async throws(MCPError) {
        await close()
        self.inbox = inbox
    }

    public func negotiated(protocolVersion: String) async {
        self.protocolVersion = protocolVersion
    }

    public func send(_ message: Data, requestID: Int?, timeout: Duration) async throws(MCPError) {
        guard let inbox else { throw .connectionClosed(server: server, detail: "transport not open") }
        var headers = configuration.requestHeaders
        headers.set("Content-Type", "application/json")
        headers.set("Accept", "application/json, text/event-stream")
        let sentSession = sessionID
        if let sentSession { headers.set("Mcp-Session-Id", sentSession) }
        if let protocolVersion { headers.set("MCP-Protocol-Version", protocolVersion) }

        let response: HTTPStreamingResponse
        do {
            response = try await http.stream(HTTPRequest(
                method: "POST", url: configuration.url, headers: headers, body: message,
                connectTimeout: configuration.timeouts.connect,
                // The client's own timer fires first; this only bounds a forgotten transfer.
                timeout: timeout + .seconds(1),
                maxResponseBytes: configuration.maxMessageBytes
            ))
        } catch {
            throw MCPError.from(error, server: server)
        }
        if response.status == 404, sentSession != nil {
            response.cancel()
            sessionID = nil
            protocolVersion = nil
            throw .sessionExpired(server: server)
        }
        guard (200..<300).contains(response.status) else {
            let excerpt = (try? await response.collect().text.prefix(512)).map(String.init) ?? ""
            throw .httpStatus(server: server, code: response.status, bodyExcerpt: excerpt)
        }
        if let assigned = response.headers["Mcp-Session-Id"], !assigned.isEmpty { sessionID = assigned }
        guard let requestID, response.status != 202 else {
            response.cancel()
            return
        }
        let contentType = response.headers["Content-Type"]?.lowercased() ?? ""
        do {
            let answered: Bool
            if contentType.hasPrefix("text/event-stream") {
                answered = try await readEventStream(response, requestID: requestID, inbox: inbox)
            } else if contentType.hasPrefix("application/json") {
                let body = try await response.collect().body
                answered = try deliver(JSONRPCMessage.decode(body, server: server), requestID: requestID, inbox: inbox)
            } else {
                response.cancel()
                throw MCPError.malformedMessage(server: server, detail: "answer has content type '\(contentType)'")
            }
            if !answered {
                throw MCPError.connectionClosed(server: server, detail: "answer stream ended before the response to request \(requestID)")
            }
        } catch {
            throw MCPError.from(error, server: server)
        }
    }

    /// Reads SSE events until the answer to `requestID` arrived (then stops) or the stream ends.
    private func readEventStream(_ response: HTTPStreamingResponse, requestID: Int, inbox: MCPInbox) async throws -> Bool {
        for try await event in response.events(maxEventBytes: configuration.maxMessageBytes)
        where event.type == "message" && !event.data.isEmpty {
            let messages = try JSONRPCMessage.decode(Data(event.data.utf8), server: server)
            if deliver(messages, requestID: requestID, inbox: inbox) { return true }
        }
        return false
    }

    /// Hands messages to the inbox; true when one of them answers `requestID`.
    private func deliver(_ messages: [JSONValue], requestID: Int, inbox: MCPInbox) -> Bool {
        var answered = false
        for message in messages {
            inbox.deliver(message)
            switch JSONRPCMessage(message) {
            case let .response(id, _), let .errorResponse(id, _, _):
                if JSONRPCMessage.integerID(id) == requestID { answered = true }
            default:
                break
            }
        }
        return answered
    }

    public func close() async {
        defer {
            sessionID = nil
            protocolVersion = nil
            inbox = nil
        }
        guard let sessionID else { return }
        var headers = configuration.requestHeaders
        headers.set("Mcp-Session-Id", sessionID)
        if let protocolVersion { headers.set("MCP-Protocol-Version", protocolVersion) }
        // Best effort: a server that is gone has forgotten the session anyway.
        _ = try? await http.send(HTTPRequest(
            method: "DELETE", url: configuration.url, headers: headers,
            connectTimeout: configuration.timeouts.connect, timeout: .seconds(2)))
    }
}
