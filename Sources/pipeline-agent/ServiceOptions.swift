import ArgumentParser
import CLI
import Ingest
import Logging
import Storage

/// `--db`, `--port`, `--host`: what `ingest` and `serve` share, and how they open the queue
/// and build the webhook server from them and the environment.
struct ServiceOptions: ParsableArguments {
    @Option(help: "SQLite database file or postgres:// URL (default: $AGENT_DB or ./var/agent.sqlite).")
    var db: String?

    @Option(help: "Port (default: $PORT or 8000).")
    var port: Int?

    @Option(help: "Bind address (default: $AGENT_INGEST_HOST or 0.0.0.0).")
    var host: String?

    func ingestServer(storage: AgentStorage, settings: EnvironmentSettings, ui: WebUIAssembly.Placement = .off) throws -> IngestServer {
        var configuration = try IngestSettings.configuration(settings)
        if let port { configuration.port = port }
        if let host { configuration.host = host }
        return IngestServer(
            queue: storage.queue, configuration: configuration, readiness: storage.checkSchema, jobEnds: storage.jobEnds,
            additionalRoutes: WebUIAssembly.ingestRoutes(ui))
    }
}
