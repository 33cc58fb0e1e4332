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
        let queue = try options.openQueue(settings)
        let server = try options.ingestServer(queue: queue, settings: settings)
        let worker = try WorkerAssembly.worker(queue: queue, settings: settings, logger: logger)
        logger.info("serve starting", metadata: [
            "address": "\(server.configuration.host):\(server.configuration.port)", "db": "\(queue.database.path)",
        ])
        // SIGTERM/SIGINT: the webhook stops accepting, the worker finishes or releases its jobs.
        let retention = try RetentionAssembly.service(retention: queue, settings: settings, logger: logger)
        let group = ServiceGroup(
            services: [server.application(logger: logger), worker] + (retention.map { [$0] } ?? []),
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
