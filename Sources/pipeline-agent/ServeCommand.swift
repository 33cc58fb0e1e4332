import ArgumentParser
import CLI
import Ingest
import Logging
import ServiceLifecycle

/// `pipeline-agent serve`: ingest and worker in one process, sharing one database connection
/// (a laptop, or a single small pod).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the webhook and the worker in one process."
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let settings = EnvironmentSettings()
        let logger = try ProcessLogging.bootstrap(label: "pipeline-agent.serve", settings: settings)
        let storage = try await settings.openStorage(options.db, logger: logger)
        let token = try IngestSettings.configuration(settings).token
        let ui = try WebUIAssembly.placement(storage: storage, settings: settings, ingestToken: token)
        let server = try options.ingestServer(storage: storage, settings: settings, ui: ui)
        let (leadership, election) = try WorkerAssembly.leadership(storage: storage, settings: settings, logger: logger)
        let worker = try WorkerAssembly.worker(storage: storage, settings: settings, logger: logger, leadership: leadership)
        logger.info("serve starting", metadata: [
            "address": "\(server.configuration.host):\(server.configuration.port)", "db": "\(storage.description)",
            "ui": "\(WebUIAssembly.describe(ui, ingestToken: token))",
        ])
        // SIGTERM/SIGINT: the webhook stops accepting, the worker finishes or releases its jobs.
        // The worker's metrics join the webhook's /metrics; its own port is opt-in here.
        WorkerStatusAssembly.bootstrapMetrics(into: server.metrics.registry)
        var services: [any Service] = [server.application(logger: logger), worker.service]
        if let status = try WorkerStatusAssembly.server(
            worker: worker, queue: storage.queue, registry: server.metrics.registry, settings: settings, defaultPort: 0) {
            services.append(status.application(logger: logger))
        }
        if let uiServer = WebUIAssembly.loopbackServer(ui, logger: logger) { services.append(uiServer) }
        if let retention = try RetentionAssembly.service(
            storage: storage, settings: settings, logger: logger, leadership: leadership) {
            services.append(retention)
        }
        // Shut down last (services stop in reverse order): it gives the leader lease up.
        if let election { services.insert(election, at: 0) }
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        await storage.shutdown()
    }
}
