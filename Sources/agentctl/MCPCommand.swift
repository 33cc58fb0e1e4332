import ArgumentParser
import Foundation
import HTTPClient
import JSON
import MCPClient
import Worker

/// A failure of `agentctl mcp …`; the root command turns it into exit status 1.
struct MCPCommandError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// `agentctl mcp`: how an operator checks that the deployment reaches its MCP servers.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Talk to an MCP server: list its tools, call one, measure round trips.",
        subcommands: [Tools.self, Call.self, Bench.self]
    )

    struct Tools: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the server's tools: name, description, input schema; on a Gitea server, the issue operations the worker resolves.")

        @OptionGroup var server: MCPServerOptions
        @Flag(help: "Print the tools as JSON.") var json = false

        func run() async throws {
            let client = MCPClient(configuration: try server.configuration())
            let tools = try await MCPCommandError.wrapping { try await client.listTools() }
            await client.close()
            if json {
                let list = JSONValue.array(tools.map { tool in
                    var fields: [String: JSONValue] = ["name": .string(tool.name), "inputSchema": tool.inputSchema]
                    if let description = tool.description { fields["description"] = .string(description) }
                    if let title = tool.title { fields["title"] = .string(title) }
                    return .object(fields)
                })
                print(String(decoding: try list.encoded(sortedKeys: true, pretty: true), as: UTF8.self))
                return
            }
            for tool in tools {
                // Continuation lines of long descriptions are indented under the tool name.
                let description = tool.description?.trimmingCharacters(in: .whitespacesAndNewlines)
                    .replacingOccurrences(of: "\n", with: "\n    ")
                print(tool.name + (description.map { " — \($0)" } ?? ""))
                print("  input schema: \(tool.inputSchema.jsonText)")
            }
            // On a Gitea server: the issue operations the worker would use, and what it lacks.
            let issues = IssueToolResolution(tools)
            if !issues.isEmpty {
                print("")
                print("issue operations (as the worker resolves them): \(issues)")
                for missing in issues.missingRequired { print("  missing: \(missing); the worker would not start") }
            }
        }
    }

    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Call a tool and print its text content in full (exit 1 if the tool reports isError).")

        @OptionGroup var server: MCPServerOptions
        @Argument(help: "Tool name.") var tool: String
        @Argument(help: "Arguments as a JSON object.") var arguments: String = "{}"
        @Flag(help: "Print the raw result object as JSON.") var json = false

        func run() async throws {
            guard case let .object(fields)? = try? JSONValue.decode(Data(arguments.utf8)) else {
                throw MCPCommandError(message: "arguments must be a JSON object, got: \(arguments)")
            }
            let client = MCPClient(configuration: try server.configuration())
            let result = try await MCPCommandError.wrapping { try await client.callTool(tool, arguments: fields) }
            await client.close()
            if json {
                print(String(decoding: try result.raw.encoded(sortedKeys: true, pretty: true), as: UTF8.self))
            } else if !result.isError {
                print(Self.render(result))
            }
            if result.isError {
                if !json { FileHandle.standardError.write(Data((Self.render(result) + "\n").utf8)) }
                throw MCPCommandError(message: "tool \(tool) reported an error (isError)")
            }
        }

        /// Text blocks in full; other blocks as a one-line note; structured content if nothing else.
        static func render(_ result: MCPToolResult) -> String {
            var parts: [String] = result.content.map { block in
                switch block {
                case let .text(text): text
                case let .image(data, mimeType): "[image \(mimeType), \(data.count) base64 characters]"
                case let .audio(data, mimeType): "[audio \(mimeType), \(data.count) base64 characters]"
                case let .resourceLink(uri, name): "[resource link \(name ?? "") \(uri)]"
                case let .resource(uri, text): text ?? "[resource \(uri)]"
                case let .other(value): value.jsonText
                }
            }
            if parts.isEmpty, let structured = result.structuredContent { parts.append(structured.jsonText) }
            return parts.joined(separator: "\n")
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure tools/call round trips per server and the memory of one client holding all connections.",
            discussion: "Example: agentctl mcp bench --server sse=http://127.0.0.1:8001/sse --server streamable-http=http://127.0.0.1:8002/mcp --tool echo --arguments '{\"text\":\"hi\"}'"
        )

        @Option(name: .customLong("server"), help: "TRANSPORT=URL; repeat for several servers.")
        var servers: [String]
        @Option(help: "Tool to call.") var tool = "echo"
        @Option(help: "Arguments as a JSON object.") var arguments = "{\"text\":\"ping\"}"
        @Option(help: "Measured calls per server.") var count = 200

        func run() async throws {
            guard case let .object(fields)? = try? JSONValue.decode(Data(arguments.utf8)) else {
                throw MCPCommandError(message: "arguments must be a JSON object, got: \(arguments)")
            }
            let baseline = ResidentMemory.current()
            var clients: [MCPClient] = []
            for spec in servers {
                guard let equals = spec.firstIndex(of: "="),
                      let kind = MCPTransportKind(rawValue: String(spec[..<equals])) else {
                    throw MCPCommandError(message: "--server wants TRANSPORT=URL (sse|streamable-http), got \(spec)")
                }
                clients.append(MCPClient(configuration: MCPServerConfiguration(
                    url: String(spec[spec.index(after: equals)...]), transport: kind)))
            }
            for client in clients {
                let label = "\(client.configuration.transport.rawValue) \(client.configuration.url)"
                let samples = try await MCPCommandError.wrapping {
                    try await Self.measure(client, tool: tool, arguments: fields, count: count)
                }
                let millis = samples.map { Double($0.components.attoseconds) / 1e15 + Double($0.components.seconds) * 1e3 }
                    .sorted()
                print(String(format: "%@: n=%d median=%.3f ms p90=%.3f ms min=%.3f ms", label, millis.count,
                             millis[millis.count / 2], millis[millis.count * 9 / 10], millis[0]))
            }
            let holding = ResidentMemory.current()
            print("RSS before clients: \(baseline / 1024) KiB; holding \(clients.count) connected clients: \(holding / 1024) KiB")
            for client in clients { await client.close() }
        }

        static func measure(
            _ client: MCPClient, tool: String, arguments: [String: JSONValue], count: Int
        ) async throws(MCPError) -> [Duration] {
            for _ in 0..<5 { _ = try await client.callTool(tool, arguments: arguments) } // warm-up
            var samples: [Duration] = []
            let clock = ContinuousClock()
            for _ in 0..<max(count, 1) {
                let started = clock.now
                _ = try await client.callTool(tool, arguments: arguments)
                samples.append(clock.now - started)
            }
            return samples
        }
    }
}

/// Options naming one MCP server on the command line.
struct MCPServerOptions: ParsableArguments {
    @Option(help: "Server URL (the SSE URL for sse, the MCP endpoint for streamable-http).")
    var url: String
    @Option(help: "sse or streamable-http.") var transport: MCPTransportKind
    @Option(name: .customLong("header"), help: "Extra header 'Name: value'; repeatable.")
    var headers: [String] = []
    @Option(help: "Bearer token for the Authorization header.") var token: String?
    @Option(help: "PEM file of trusted CAs.") var caBundle: String?
    @Option(help: "Connect timeout in seconds.") var connectTimeout: Double = 10
    @Option(help: "Timeout of each call in seconds.") var timeout: Double = 60

    func configuration() throws -> MCPServerConfiguration {
        var fields = HTTPHeaders()
        for header in headers {
            do {
                let (name, value) = try MCPServerConfiguration.parseHeader(header, source: "--header")
                fields.add(name, value)
            } catch {
                throw MCPCommandError(message: String(describing: error))
            }
        }
        return MCPServerConfiguration(
            url: url, transport: transport, headers: fields, bearerToken: token,
            timeouts: MCPTimeouts(connect: .milliseconds(Int(connectTimeout * 1000)),
                                  request: .milliseconds(Int(timeout * 1000))),
            caBundlePath: caBundle)
    }
}

extension MCPTransportKind: ExpressibleByArgument {}

extension MCPCommandError {
    /// Runs an MCP operation, turning its error into a command failure with the same text.
    static func wrapping<T>(_ operation: () async throws -> T) async throws(MCPCommandError) -> T {
        do {
            return try await operation()
        } catch {
            throw MCPCommandError(message: String(describing: error))
        }
    }
}

/// Resident set size of this process, from /proc/self/status (Linux).
enum ResidentMemory {
    static func current() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }
}
