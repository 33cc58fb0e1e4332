import CLI
import Ingest
import Queue

/// The ingest server's environment variables (documented in the README).
enum IngestSettings {
    static func configuration(_ settings: EnvironmentSettings) throws -> IngestConfiguration {
        IngestConfiguration(
            host: settings.nonEmpty("AGENT_INGEST_HOST") ?? "0.0.0.0",
            port: try settings.integer("PORT", default: 8000, range: 0...65535),
            token: settings.nonEmpty("AGENT_INGEST_TOKEN"),
            maxBodyBytes: try settings.integer("AGENT_INGEST_MAX_BODY_BYTES", default: 64 * 1024, range: 1024...16 * 1024 * 1024),
            maxCloudEventBytes: try settings.integer(
                "AGENT_INGEST_MAX_CLOUDEVENT_BYTES", default: 1024 * 1024, range: 1024...64 * 1024 * 1024),
            maxWait: .seconds(try settings.integer("AGENT_INGEST_MAX_WAIT_SECONDS", default: 300, range: 0...3600)),
            namespaces: settings.nonEmpty("AGENT_NAMESPACES").flatMap(NamespaceAllowlist.init),
            cloudEventsToken: settings.nonEmpty("AGENT_CLOUDEVENTS_TOKEN"),
            maxWaiters: try settings.integer("AGENT_MAX_WAITERS", default: 64, range: 0...100_000))
    }
}
