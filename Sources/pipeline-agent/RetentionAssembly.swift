import CLI
import Logging
import Queue
import Storage
import Worker

/// The background pruning that `worker` and `serve` run (`AGENT_RETENTION_DAYS`, 0 = keep
/// everything).
enum RetentionAssembly {
    static func service(storage: AgentStorage, settings: EnvironmentSettings, logger: Logger,
                        leadership: any Leadership = SingleNodeLeadership()) throws -> RetentionService? {
        let days = try settings.retentionDays()
        guard days > 0 else {
            logger.info("retention off (AGENT_RETENTION_DAYS=0): finished jobs are kept")
            return nil
        }
        guard let retention = storage.queue as? any JobRetention else {
            throw CommandFailure("AGENT_RETENTION_DAYS: \(storage.description) cannot prune; set AGENT_RETENTION_DAYS=0")
        }
        return RetentionService(retention: retention, window: .seconds(days * 86400), logger: logger, leadership: leadership)
    }
}
