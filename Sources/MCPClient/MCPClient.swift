import Foundation
import HTTPClient
import JSON

/// JSON-RPC 2.0 client for one MCP server. Connects lazily on the first call (initialize, then
/// `notifications/initialized`); every call has a timeout; a lost connection fails the calls in
/// flight with a typed error and the next call connects again.
public actor MCPClient {
    public nonisolated let configuration: MCPServerConfiguration
    private let transport: any MCPTransport
    private var session: MCPSession?
    private var connecting: Task<MCPSession, any Error>?
    private var pending: [Int: OneShot<JSONValue>] = [:]
    private var nextID = 1
    /// The session's tools (by connection generation) and the fetch in flight.
    private var toolsCache: (generation: Int, tools: [MCPTool])?
    private var toolsLoading: (generation: Int, task: Task<[MCPTool], any Error>)?
    /// Bumped per connection so a late "closed" from an old connection is ignored.
    private var generation = 0
    /// What the transport delivers, handled one by one in arrival order (an answer that arrives
    /// just before the stream ends must settle its call before the end fails the rest).
    private var inboxFeed: AsyncStream<InboxEvent>.Continuation?

    private enum InboxEvent: Sendable {
        case message(JSONValue)
        case closed(MCPError)
    }

    public init(configuration: MCPServerConfiguration, http: HTTPClient? = nil) {
        var httpConfiguration = HTTPClientConfiguration()
        httpConfiguration.connectTimeout = configuration.timeouts.connect
        httpConfiguration.timeout = configuration.timeouts.request
        httpConfiguration.maxResponseBytes = configuration.maxMessageBytes
        httpConfiguration.verifyTLS = configuration.verifyTLS
        httpConfiguration.caBundlePath = configuration.caBundlePath
        let client = http ?? HTTPClient(configuration: httpConfiguration)
        let transport: any MCPTransport = switch configuration.transport {
        case .sse: SSETransport(configuration: configuration, http: client)
        case .streamableHTTP: StreamableHTTPTransport(configuration: configuration, http: client)
        }
        self.init(configuration: configuration, transport: transport)
    }

    /// For other transports (and tests): the client only needs the seam.
    public init(configuration: MCPServerConfiguration, transport: any MCPTransport) {
        self.configuration = configuration
        self.transport = transport
    }

    private var server: String { configuration.url }

    // MARK: Operations

    /// Connects if needed and returns what the server announced.
    @discardableResult
    public func connect() async throws(MCPError) -> MCPSession {
        if let session { return session }
        if let connecting { return try await Self.outcome(of: connecting, server: server) }
        let attempt = Task { try await establish() }
        connecting = attempt
        defer { connecting = nil }
        return try await Self.outcome(of: attempt, server: server)
    }

    /// All tools, following `nextCursor` pages. Fetched once per session and shared by
    /// concurrent callers (each job used to fetch them up to three times: evidence, then the
    /// agent's router for both servers); fetched again after a reconnect or the server's
    /// `notifications/tools/list_changed`. A cancelled caller still waits for a shared fetch,
    /// which the request timeout bounds.
    public func listTools(timeout: Duration? = nil) async throws(MCPError) -> [MCPTool] {
        try await connect()
        let current = generation
        if let toolsCache, toolsCache.generation == current { return toolsCache.tools }
        let loading: Task<[MCPTool], any Error>
        if let toolsLoading, toolsLoading.generation == current {
            loading = toolsLoading.task
        } else {
            loading = Task { try await self.fetchTools(timeout: timeout) }
            toolsLoading = (current, loading)
        }
        defer { if toolsLoading?.task == loading { toolsLoading = nil } }
        do {
            let tools = try await loading.value
            if generation == current { toolsCache = (current, tools) }
            return tools
        } catch {
            throw MCPError.from(error, server: server)
        }
    }

    private func fetchTools(timeout: Duration?) async throws(MCPError) -> [MCPTool] {
        var tools: [MCPTool] = []
        var cursor: String?
        var seen: Set<String> = []
        repeat {
            let params: JSONValue = cursor.map { .object(["cursor": .string($0)]) } ?? .object([:])
            let result = try await call("tools/list", params: params, timeout: timeout)
            guard let page = result["tools"]?.arrayValue else {
                throw .invalidResult(server: server, method: "tools/list", detail: "no tools array")
            }
            for item in page {
                guard let tool = MCPTool(item) else {
                    throw .invalidResult(server: server, method: "tools/list", detail: "tool without name: \(item.jsonText)")
                }
                tools.append(tool)
            }
            cursor = result["nextCursor"]?.stringValue
            if let next = cursor, !seen.insert(next).inserted {
                throw .invalidResult(server: server, method: "tools/list", detail: "cursor '\(next)' repeats")
            }
        } while cursor != nil
        return tools
    }

    /// Calls a tool. A result with `isError` is returned, not thrown: the caller decides.
    public func callTool(
        _ name: String, arguments: [String: JSONValue] = [:], timeout: Duration? = nil
    ) async throws(MCPError) -> MCPToolResult {
        let params: JSONValue = .object(["name": .string(name), "arguments": .object(arguments)])
        let result = try await call("tools/call", params: params, timeout: timeout)
        guard let toolResult = MCPToolResult(result) else {
            throw .invalidResult(server: server, method: "tools/call", detail: String(result.jsonText.prefix(300)))
        }
        return toolResult
    }

    public func ping(timeout: Duration? = nil) async throws(MCPError) {
        _ = try await call("ping", params: nil, timeout: timeout)
    }

    /// Ends the session (DELETE for streamable HTTP, closes the SSE stream).
    public func close() async {
        generation += 1
        session = nil
        inboxFeed?.finish()
        inboxFeed = nil
        failAll(.connectionClosed(server: server, detail: "client closed"))
        await transport.close()
    }

    // MARK: Requests

    /// One request on a connected session; re-initializes once if the server forgot the session.
    private func call(_ method: String, params: JSONValue?, timeout: Duration?) async throws(MCPError) -> JSONValue {
        let limit = timeout ?? configuration.timeouts.request
        try await connect()
        do {
            return try await request(method, params: params, timeout: limit)
        } catch .sessionExpired {
            session = nil
            try await connect()
            return try await request(method, params: params, timeout: limit)
        }
    }

    private func request(_ method: String, params: JSONValue?, timeout: Duration) async throws(MCPError) -> JSONValue {
        let id = nextID
        nextID += 1
        let reply = OneShot<JSONValue>()
        pending[id] = reply
        defer { pending[id] = nil }
        let message: Data
        do {
            message = try JSONRPCMessage.makeRequest(id: id, method: method, params: params).encoded()
        } catch {
            throw .invalidConfiguration("cannot encode \(method) parameters: \(error)")
        }
        let transport = self.transport
        let server = self.server
        let sender = Task {
            do throws(MCPError) {
                try await transport.send(message, requestID: id, timeout: timeout)
            } catch {
                reply.settle(.failure(error))
            }
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            reply.settle(.failure(MCPError.timeout(server: server, method: method, after: timeout)))
        }
        defer { timer.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await reply.value()
            } onCancel: {
                reply.settle(.failure(MCPError.cancelled(server: server)))
            }
        } catch {
            // Stops a POST still waiting for its answer; the server is told to stop working on it.
            sender.cancel()
            let failure = MCPError.from(error, server: server)
            if case .timeout = failure { notifyCancelled(id: id, reason: "timeout") }
            if case .cancelled = failure { notifyCancelled(id: id, reason: "cancelled") }
            throw failure
        }
    }

    private func notifyCancelled(id: Int, reason: String) {
        let notice = JSONRPCMessage.makeNotification(
            method: "notifications/cancelled", params: ["requestId": .int(id), "reason": .string(reason)])
        sendDetached(notice)
    }

    /// Fire-and-forget message (notifications, answers to server requests).
    private func sendDetached(_ message: JSONValue) {
        guard let data = try? message.encoded() else { return }
        let transport = self.transport
        let timeout = configuration.timeouts.request
        Task { try? await transport.send(data, requestID: nil, timeout: timeout) }
    }

    // MARK: Connection

    private func establish() async throws -> MCPSession {
        generation += 1
        let current = generation
        failAll(.connectionClosed(server: server, detail: "reconnecting"))
        inboxFeed?.finish()
        let (events, feed) = AsyncStream.makeStream(of: InboxEvent.self)
        inboxFeed = feed
        Task { [weak self] in
            for await event in events {
                switch event {
                case let .message(message): await self?.receive(message)
                case let .closed(error): await self?.connectionClosed(error, generation: current)
                }
            }
        }
        let inbox = MCPInbox(
            deliver: { feed.yield(.message($0)) },
            closed: { feed.yield(.closed($0)) }
        )
        try await transport.open(inbox: inbox)
        do {
            let params: JSONValue = [
                "protocolVersion": .string(MCPProtocolVersion.latest),
                "capabilities": [:],
                "clientInfo": ["name": .string(configuration.clientName), "version": .string(configuration.clientVersion)],
            ]
            let result = try await request("initialize", params: params, timeout: configuration.timeouts.request)
            guard let version = result["protocolVersion"]?.stringValue else {
                throw MCPError.invalidResult(server: server, method: "initialize", detail: "no protocolVersion")
            }
            guard MCPProtocolVersion.supported.contains(version) else {
                throw MCPError.unsupportedProtocolVersion(server: server, offered: version)
            }
            await transport.negotiated(protocolVersion: version)
            let notice = try JSONRPCMessage.makeNotification(method: "notifications/initialized", params: nil).encoded()
            try await transport.send(notice, requestID: nil, timeout: configuration.timeouts.request)
            let established = MCPSession(
                protocolVersion: version,
                serverName: result["serverInfo"]?["name"]?.stringValue ?? "",
                serverVersion: result["serverInfo"]?["version"]?.stringValue ?? "",
                capabilities: result["capabilities"] ?? [:],
                instructions: result["instructions"]?.stringValue
            )
            if generation == current { session = established }
            return established
        } catch {
            await transport.close()
            throw error
        }
    }

    private func connectionClosed(_ error: MCPError, generation closed: Int) {
        guard closed == generation else { return }
        session = nil
        failAll(error)
    }

    private func failAll(_ error: MCPError) {
        for reply in pending.values { reply.settle(.failure(error)) }
    }

    private func receive(_ message: JSONValue) {
        switch JSONRPCMessage(message) {
        case let .response(id, result):
            if let id = JSONRPCMessage.integerID(id) { pending[id]?.settle(.success(result)) }
        case let .errorResponse(id, code, text):
            if let id = JSONRPCMessage.integerID(id) {
                pending[id]?.settle(.failure(MCPError.rpcError(server: server, method: "request \(id)", code: code, message: text)))
            }
        case let .request(id, method, _):
            answer(serverRequest: id, method: method)
        case .notification("notifications/tools/list_changed", _):
            toolsCache = nil
        case .notification, .none:
            break // progress and logging notices need no action here
        }
    }

    /// Servers may ask things of the client; it answers ping and declines everything else.
    private func answer(serverRequest id: JSONValue, method: String) {
        let reply: JSONValue = method == "ping"
            ? ["jsonrpc": "2.0", "id": id, "result": [:]]
            : ["jsonrpc": "2.0", "id": id,
               "error": ["code": -32601, "message": .string("Method not supported by this client: \(method)")]]
        sendDetached(reply)
    }

    private static func outcome(of task: Task<MCPSession, any Error>, server: String) async throws(MCPError) -> MCPSession {
        do {
            return try await task.value
        } catch {
            throw MCPError.from(error, server: server)
        }
    }
}
