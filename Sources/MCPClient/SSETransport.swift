import Foundation
import HTTPClient

/// Legacy HTTP+SSE transport: GET the SSE URL, wait for the `endpoint` event (a relative or
/// absolute URL on the same origin), POST each message there, read every answer from the stream.
public actor SSETransport: MCPTransport {
    private let configuration: MCPServerConfiguration
    private let http: HTTPClient
    private var stream: HTTPStreamingResponse?
    private var reader: Task<Void, Never>?
    private var endpoint: String?

    public init(configuration: MCPServerConfiguration, http: HTTPClient) {
        self.configuration = configuration
        self.http = http
    }

    private var server: String { configuration.url }

    /// A client dropped without `close()` must not leave the stream's thread and connection behind.
    deinit {
        reader?.cancel()
        stream?.cancel()
    }

    public func open(inbox: MCPInbox) async throws(MCPError) {
        await close()
        var headers = configuration.requestHeaders
        headers.set("Accept", "text/event-stream")
        headers.set("Cache-Control", "no-cache")
        // The stream itself has no total timeout, so waiting for its headers gets a deadline here.
        let request = HTTPRequest(
            url: configuration.url, headers: headers,
            connectTimeout: configuration.timeouts.connect, timeout: .zero, maxResponseBytes: Int.max)
        let http = self.http
        let openLimit = configuration.timeouts.request
        let opening = Task { try await http.stream(request) }
        let deadline = Task {
            try await Task.sleep(for: openLimit)
            opening.cancel()
        }
        let response: HTTPStreamingResponse
        do {
            response = try await withTaskCancellationHandler {
                try await opening.value
            } onCancel: {
                opening.cancel()
            }
            deadline.cancel()
        } catch {
            deadline.cancel()
            if case .cancelled = error as? HTTPClientError, !Task.isCancelled {
                throw .timeout(server: server, method: "GET event stream", after: openLimit)
            }
            throw MCPError.from(error, server: server)
        }
        guard response.status == 200 else {
            response.cancel()
            throw .httpStatus(server: server, code: response.status, bodyExcerpt: "")
        }
        guard response.headers["Content-Type"]?.lowercased().hasPrefix("text/event-stream") == true else {
            response.cancel()
            throw .malformedMessage(
                server: server, detail: "SSE URL answered \(response.headers["Content-Type"] ?? "no content type")")
        }
        stream = response
        let endpointEvent = OneShot<String>()
        let server = server
        let limit = configuration.maxMessageBytes
        reader = Task {
            await Self.read(response, limit: limit, server: server, endpoint: endpointEvent, inbox: inbox)
        }
        let timer = Task { [timeout = configuration.timeouts.request] in
            try await Task.sleep(for: timeout)
            endpointEvent.settle(.failure(MCPError.timeout(server: server, method: "SSE endpoint event", after: timeout)))
        }
        defer { timer.cancel() }
        do {
            let announced = try await endpointEvent.value()
            endpoint = try resolve(endpoint: announced)
        } catch {
            await close()
            throw MCPError.from(error, server: server)
        }
    }

    public func send(_ message: Data, requestID: Int?, timeout: Duration) async throws(MCPError) {
        // No endpoint: the stream was closed under the client (a 404 below): a session to
        // make again, which the client does at once (`sessionExpired`) instead of failing
        // every later call here.
        guard let endpoint else {
            throw .sessionExpired(server: server)
        }
        var headers = configuration.requestHeaders
        headers.set("Content-Type", "application/json")
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(
                method: "POST", url: endpoint, headers: headers, body: message,
                connectTimeout: configuration.timeouts.connect, timeout: timeout,
                maxResponseBytes: configuration.maxMessageBytes
            ))
        } catch {
            throw MCPError.from(error, server: server)
        }
        if response.status == 404 {
            // The server forgot the SSE session (a restart, or the stream dropped on its side):
            // the stream is useless now, and the message was not taken, so the client may make
            // a new session and send it again. Closing here cancels the reader, which therefore
            // reports no end of stream: without `sessionExpired` the client would keep its
            // session and every later call would fail at once (seen in the multi-host test).
            await close()
            throw .sessionExpired(server: server)
        }
        guard (200..<300).contains(response.status) else {
            throw .httpStatus(server: server, code: response.status, bodyExcerpt: String(response.text.prefix(512)))
        }
    }

    public func negotiated(protocolVersion: String) async {}

    public func close() async {
        reader?.cancel()
        stream?.cancel()
        reader = nil
        stream = nil
        endpoint = nil
    }

    private func resolve(endpoint announced: String) throws(MCPError) -> String {
        guard let base = URL(string: configuration.url),
              let resolved = URL(string: announced.trimmingCharacters(in: .whitespaces), relativeTo: base)?
                  .absoluteURL
        else {
            throw .malformedMessage(server: server, detail: "endpoint event '\(announced)' is not a URL")
        }
        // Our headers (and bearer token) must not be sent to another origin the stream names.
        guard resolved.scheme == base.scheme, resolved.host == base.host, resolved.port == base.port else {
            throw .malformedMessage(server: server, detail: "endpoint \(resolved) is not on the origin of \(base)")
        }
        return resolved.absoluteString
    }

    /// Runs for the life of the stream: the first `endpoint` event settles `endpoint`, every
    /// `message` event goes to the inbox; the end of the stream is reported once.
    private static func read(
        _ response: HTTPStreamingResponse, limit: Int, server: String,
        endpoint: OneShot<String>, inbox: MCPInbox
    ) async {
        var failure = MCPError.connectionClosed(server: server, detail: "SSE stream ended")
        do {
            for try await event in response.events(maxEventBytes: limit) {
                switch event.type {
                case "endpoint":
                    endpoint.settle(.success(event.data))
                case "message":
                    if event.data.isEmpty { continue }
                    for message in try JSONRPCMessage.decode(Data(event.data.utf8), server: server) {
                        inbox.deliver(message)
                    }
                default:
                    continue
                }
            }
        } catch {
            failure = MCPError.from(error, server: server)
        }
        response.cancel()
        endpoint.settle(.failure(failure))
        if !Task.isCancelled { inbox.closed(failure) }
    }
}
