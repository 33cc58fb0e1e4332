import CLI
import Logging

/// Logging for a service process on stderr: level from `LOG_LEVEL`, format from
/// `AGENT_LOG_FORMAT` (`text`, the default: swift-log's lines; `json`: one object per line).
enum ProcessLogging {
    static func bootstrap(label: String, settings: EnvironmentSettings) throws -> Logger {
        let level = settings.nonEmpty("LOG_LEVEL").flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        switch try settings.logFormat() {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: label)
    }
}
