import ArgumentParser
import CLI
import Ingest
import Logging

/// `pipeline-agent ingest`: the webhook server. Never calls an LLM or an MCP server.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Serve the webhook: validate, dedupe and durably queue failure reports."
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let settings = EnvironmentSettings()
        let logger = try ProcessLogging.bootstrap(label: "pipeline-agent.ingest", settings: settings)
        let queue = try options.openQueue(settings)
        let server = try options.ingestServer(queue: queue, settings: settings)
        logger.info("ingest starting", metadata: [
            "address": "\(server.configuration.host):\(server.configuration.port)", "db": "\(queue.database.path)",
            "auth": "\(server.configuration.token == nil ? "off" : "bearer token")",
        ])
        // Runs until SIGTERM/SIGINT, then stops accepting and lets in-flight requests finish.
        try await server.application(logger: logger).runService()
        logger.info("ingest stopped")
    }
}
