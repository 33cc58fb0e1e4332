import CLI
import Hummingbird
import Ingest
import Logging
import ServiceLifecycle
import Storage
import WebUI

/// Where the web UI is served, from `AGENT_UI` and `AGENT_UI_PORT` (documented in the README).
enum WebUIAssembly {
    enum Placement {
        /// `AGENT_UI=off` (the default).
        case off
        /// Under `/ui` on the ingest port, behind the ingest token.
        case ingestPort(WebUI)
        /// On its own port bound to 127.0.0.1, without auth (for `kubectl port-forward`).
        case loopbackPort(WebUI, port: Int)
    }

    static func placement(storage: AgentStorage, settings: EnvironmentSettings, ingestToken: String?) throws -> Placement {
        let switchValue = settings.nonEmpty("AGENT_UI")?.lowercased() ?? "off"
        guard ["on", "off"].contains(switchValue) else { throw CommandFailure("AGENT_UI must be on or off, not \(switchValue)") }
        guard switchValue == "on" else { return .off }
        let port = try settings.integer("AGENT_UI_PORT", default: 0, range: 0...65535)
        if port > 0 {
            return .loopbackPort(WebUI(queue: storage.queue, groups: storage.groups, transcripts: storage.transcripts, access: .open),
                                 port: port)
        }
        let access: WebUIAccess = ingestToken.map { .token($0) } ?? .open
        return .ingestPort(WebUI(queue: storage.queue, groups: storage.groups, transcripts: storage.transcripts, access: access))
    }

    /// The UI's routes for the ingest server (nothing unless placed there).
    static func ingestRoutes(_ placement: Placement) -> @Sendable (Router<BasicRequestContext>) -> Void {
        guard case .ingestPort(let ui) = placement else { return { _ in } }
        return { router in ui.addRoutes(to: router) }
    }

    /// The UI's own loopback server, when it has a port of its own.
    static func loopbackServer(_ placement: Placement, logger: Logger) -> (any Service)? {
        guard case .loopbackPort(let ui, let port) = placement else { return nil }
        return Application(
            router: ui.router(),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: "pipeline-agent-ui"),
            logger: logger)
    }

    static func describe(_ placement: Placement, ingestToken: String?) -> String {
        switch placement {
        case .off: "off"
        case .ingestPort: ingestToken == nil ? "/ui on the ingest port, open (no AGENT_INGEST_TOKEN)" : "/ui on the ingest port, ingest token"
        case .loopbackPort(_, let port): "http://127.0.0.1:\(port)/ui, no auth"
        }
    }
}
