import ArgumentParser
import CLI
import Logging
import Prometheus
import ServiceLifecycle

/// `pipeline-agent worker`: turns queued reports into issues.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Lease queued reports, analyse them with the LLM and MCP servers, file or update issues."
    )

    @Option(help: "SQLite database file or postgres:// URL (default: $AGENT_DB or ./var/agent.sqlite).")
    var db: String?

    func run() async throws {
        let settings = EnvironmentSettings()
        let logger = try ProcessLogging.bootstrap(label: "pipeline-agent.worker", settings: settings)
        let storage = try await settings.openStorage(db, logger: logger)
        let (leadership, election) = try WorkerAssembly.leadership(storage: storage, settings: settings, logger: logger)
        let worker = try WorkerAssembly.worker(storage: storage, settings: settings, logger: logger, leadership: leadership)
        // SIGTERM/SIGINT: stop leasing, finish or release running jobs, exit 0.
        let registry = PrometheusCollectorRegistry()
        WorkerStatusAssembly.bootstrapMetrics(into: registry)
        var services: [any Service] = [worker.service]
        if let status = try WorkerStatusAssembly.server(
            worker: worker, queue: storage.queue, registry: registry, settings: settings, defaultPort: 8001) {
            services.append(status.application(logger: logger))
        }
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
