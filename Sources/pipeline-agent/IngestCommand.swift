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
        let storage = try await settings.openStorage(options.db, logger: logger)
        let server = try options.ingestServer(storage: storage, settings: settings)
        logger.info("ingest starting", metadata: [
            "address": "\(server.configuration.host):\(server.configuration.port)", "db": "\(storage.description)",
            "auth": "\(server.configuration.token == nil ? "off" : "bearer token")",
        ])
        // Runs until SIGTERM/SIGINT, then stops accepting and lets in-flight requests finish.
        try await server.application(logger: logger).runService()
        await storage.shutdown()
        logger.info("ingest stopped")
    }
}
