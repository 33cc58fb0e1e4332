import Logging
import Queue
import Worker

/// A job handler that times each run of the real one: the job's wall time inside the worker,
/// from lease to result (completing the job in the queue is not included).
struct TimedJobHandler: JobHandler {
    let inner: any JobHandler
    let latency: LatencyTotal

    func run(_ job: LeasedJob, logger: Logger) async throws -> String? {
        let start = ContinuousClock.now
        do {
            let result = try await inner.run(job, logger: logger)
            latency.add(.now - start)
            return result
        } catch {
            latency.add(.now - start, failed: true)
            throw error
        }
    }
}
