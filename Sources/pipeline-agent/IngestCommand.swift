import ArgumentParser
import CLI
import Ingest
import Logging
import ServiceLifecycle

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
        let token = try IngestSettings.configuration(settings).token
        let ui = try WebUIAssembly.placement(storage: storage, settings: settings, ingestToken: token)
        let server = try options.ingestServer(storage: storage, settings: settings, ui: ui)
        logger.info("ingest starting", metadata: [
            "address": "\(server.configuration.host):\(server.configuration.port)", "db": "\(storage.description)",
            "auth": "\(server.configuration.token == nil ? "off" : "bearer token")", "ui": "\(WebUIAssembly.describe(ui, ingestToken: token))",
        ])
        // Runs until SIGTERM/SIGINT, then stops accepting and lets in-flight requests finish.
        var services: [any Service] = [server.application(logger: logger)]
        if let uiServer = WebUIAssembly.loopbackServer(ui, logger: logger) { services.append(uiServer) }
        try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
        await storage.shutdown()
        logger.info("ingest stopped")
    }
}
