import CLI
import Logging
import Queue
import Worker

/// The background pruning that `worker` and `serve` run (`AGENT_RETENTION_DAYS`, 0 = keep
/// everything).
enum RetentionAssembly {
    static func service(retention: any JobRetention, settings: EnvironmentSettings, logger: Logger) throws -> RetentionService? {
        let days = try settings.retentionDays()
        guard days > 0 else {
            logger.info("retention off (AGENT_RETENTION_DAYS=0): finished jobs are kept")
            return nil
        }
        return RetentionService(retention: retention, window: .seconds(days * 86400), logger: logger)
    }
}
