import CLI
import Logging

/// Logging for a service process: structured lines on stderr, level from `LOG_LEVEL`.
enum ProcessLogging {
    static func bootstrap(label: String, settings: EnvironmentSettings) -> Logger {
        let level = settings.nonEmpty("LOG_LEVEL").flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}
