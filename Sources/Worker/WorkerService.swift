import Logging
import Queue
import ServiceLifecycle

/// Leases jobs and runs them, up to `concurrency` at once, each with a heartbeat that keeps its
/// lease alive. Failures are classified and recorded (retry with backoff, `failed`, `dead`);
/// a rescuer (on the elected replica only, see `Leadership`) returns other workers' expired
/// leases to the queue, and at start it takes back
/// its own identity's leases at once (`JobQueue.reclaimLeases`). On graceful shutdown
/// (SIGTERM/SIGINT through ServiceLifecycle, or `stop()`) it stops leasing, lets running jobs
/// finish within the grace period, and releases the rest without using up an attempt.
public final class WorkerService: Service, Sendable {
    public let queue: any JobQueue
    public let handler: any JobHandler
    public let configuration: WorkerConfiguration
    /// Checked before the first lease, retried with backoff until it passes: a worker whose
    /// peers (MCP servers) are down leaves the jobs queued instead of failing them.
    public let readiness: (@Sendable () async throws -> Void)?
    /// Notifications that jobs may be due (PostgreSQL's LISTEN): an idle lease loop looks at
    /// once instead of at its next poll. Polling stays, so a missed one costs only latency.
    public let wakeUps: (@Sendable () -> AsyncStream<Void>)?
    /// Whether this process's rescuer runs (one elected replica on PostgreSQL; every process
    /// on SQLite). Reclaiming its own leases at start does not depend on it.
    public let leadership: any Leadership
    private let logger: Logger
    private let state = WorkerState()

    public init(queue: any JobQueue, handler: any JobHandler, configuration: WorkerConfiguration, logger: Logger,
                readiness: (@Sendable () async throws -> Void)? = nil, wakeUps: (@Sendable () -> AsyncStream<Void>)? = nil,
                leadership: any Leadership = SingleNodeLeadership()) {
        self.queue = queue
        self.leadership = leadership
        self.wakeUps = wakeUps
        self.handler = handler
        self.configuration = configuration
        self.readiness = readiness
        var logger = logger
        logger[metadataKey: "worker"] = "\(configuration.owner)"
        self.logger = logger
    }

    /// Begins a graceful shutdown; `run()` returns once running jobs are finished or released.
    public func stop() {
        Task { await state.stop() }
    }

    public func run() async throws {
        let state = state
        // Cancellation stops it the same way: in `serve`, a failing sibling service (the HTTP
        // server cannot bind) cancels the group rather than shutting it down gracefully.
        await withTaskCancellationOrGracefulShutdownHandler {
            await runUntilStopped()
        } onCancelOrGracefulShutdown: {
            Task { await state.stop() }
        }
    }

    private func runUntilStopped() async {
        logger.info("worker started", metadata: ["concurrency": "\(configuration.concurrency)"])
        await reclaimOwnLeases()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.rescueExpiredLeases() }
            if let wakeUps {
                group.addTask { [state] in
                    for await _ in wakeUps() { await state.nudge() }
                }
            }
            if await waitUntilReady() {
                await state.startLeasing()
                await leaseLoop(into: &group)
            }
            let finished = await state.waitUntilIdle(timeout: configuration.shutdownGrace)
            if !finished {
                let running = await state.running
                logger.warning("grace period over; releasing running jobs", metadata: ["running": "\(running)"])
            }
            // Cancelled jobs release their leases; the rescuer stops.
            group.cancelAll()
        }
        logger.info("worker stopped")
    }

    private func leaseLoop(into group: inout TaskGroup<Void>) async {
        // Cancellation also sets `isStopping`, but from a task of its own: checked here too so no
        // batch is leased only to be released again.
        while !Task.isCancelled, await !state.isStopping {
            let free = configuration.concurrency - (await state.running)
            if free <= 0 {
                await state.waitForChange(timeout: configuration.pollInterval)
                continue
            }
            let leased: [LeasedJob]
            let askedAt = ContinuousClock.now
            do {
                leased = try await queue.lease(batch: free, ttl: configuration.leaseTTL, owner: configuration.owner)
            } catch {
                logger.warning("lease failed; retrying", metadata: ["error": "\(error)"])
                await state.waitForChange(timeout: configuration.pollInterval)
                continue
            }
            if leased.isEmpty {
                await state.waitForChange(timeout: configuration.pollInterval)
                continue
            }
            for job in leased {
                await state.jobStarted()
                group.addTask {
                    await JobExecution(job: job, worker: self, leaseAskedAt: askedAt).run()
                    await self.state.jobFinished()
                }
            }
        }
    }

    /// False when shutdown began before the peers answered.
    private func waitUntilReady() async -> Bool {
        guard let readiness else { return true }
        var delay = Duration.seconds(1)
        while await !state.isStopping {
            do {
                try await readiness()
                return true
            } catch {
                logger.warning("peers not ready; jobs stay queued", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                await state.waitForChange(timeout: delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
        return false
    }

    /// Takes back the jobs a previous process with this identity held when it died, before the
    /// first lease, instead of letting them wait out the lease TTL. Only a stable identity
    /// (AGENT_WORKER_ID, the pod name) finds any; a failure leaves them to the rescuer.
    private func reclaimOwnLeases() async {
        do {
            let reclaimed = try await queue.reclaimLeases(owner: configuration.owner)
            if !reclaimed.isEmpty { WorkerMetrics.rescued(reclaimed.count) }
            logger.info("reclaimed this worker's leases from before its restart",
                        metadata: ["count": "\(reclaimed.count)", "jobs": "\(reclaimed)"])
        } catch {
            logger.warning("reclaiming this worker's leases failed; the rescuer returns them once they expire",
                           metadata: ["error": "\(error)"])
        }
    }

    private func rescueExpiredLeases() async {
        while !Task.isCancelled {
            guard await leadership.isLeading else {
                try? await Task.sleep(for: configuration.rescueInterval)
                continue
            }
            do {
                let rescued = try await queue.rescueExpiredLeases()
                if !rescued.isEmpty {
                    WorkerMetrics.rescued(rescued.count)
                    logger.warning("returned expired leases to the queue", metadata: ["jobs": "\(rescued)"])
                }
            } catch {
                logger.warning("rescuer failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: configuration.rescueInterval)
        }
    }

    var isStopping: Bool { get async { await state.isStopping } }

    /// Passed its readiness check and leasing, not shutting down (the worker's `/readyz`).
    public var isLeasing: Bool { get async { await state.isLeasing } }

    func jobLogger(_ job: LeasedJob) -> Logger {
        var logger = logger
        logger[metadataKey: "job_id"] = "\(job.job.id)"
        logger[metadataKey: "attempt"] = "\(job.lease.attempt)"
        return logger
    }
}
