import Analysis
import Logging
import Queue
import Store
import Synchronization

/// One attempt of one job: the handler and a heartbeat side by side, then the outcome
/// written back under the lease.
struct JobExecution: Sendable {
    let job: LeasedJob
    let worker: WorkerService
    /// When the lease was asked for. The database set its expiry at or after this instant, so
    /// the lease holds at least one TTL from here (elapsed time agrees across clocks) unless
    /// taken away.
    let leaseAskedAt: ContinuousClock.Instant

    private static let redactor = SecretRedactor()
    /// `last_error` is for people: the start of a long error says what it is.
    static let maxErrorCharacters = 2000

    private enum Ending: Sendable {
        case finished(Result<String?, any Error>)
        case leaseLost(QueueError)
        /// No renewal reached the database for so long that the lease may expire there.
        case leaseUnrenewed(since: Duration)
    }

    func run() async {
        let logger = worker.jobLogger(job)
        let clock = ContinuousClock()
        let start = clock.now
        logger.info("job started", metadata: ["namespace": "\(job.job.namespace)", "pod": "\(job.job.pod)"])
        let handlerDone = HandlerDone()
        await withTaskGroup(of: Ending?.self) { group in
            group.addTask {
                defer { handlerDone.set() }
                do {
                    return .finished(.success(try await worker.handler.run(job, logger: logger)))
                } catch {
                    return .finished(.failure(error))
                }
            }
            group.addTask { await heartbeat(handlerDone: handlerDone, logger: logger) }
            let ending = (await group.next() ?? nil) ?? .finished(.failure(CancellationError()))
            let elapsed = clock.now - start
            // A lost lease stops the handler. A finished one leaves the heartbeat running while
            // the outcome is written, so a write that has to wait (a full disk) keeps the lease.
            switch ending {
            case .leaseLost, .leaseUnrenewed: group.cancelAll()
            case .finished: break
            }
            await recordOutcome(ending, logger: logger, elapsed: elapsed)
            group.cancelAll()
        }
    }

    /// Writes the outcome, again and again while it fails. A busy or full database must not
    /// throw away a finished analysis: while the error is transient (disk full, I/O, busy) the
    /// write is repeated, backing off to `maxRecordBackoff`, as long as the lease is held and
    /// the worker runs; the heartbeat keeps the lease meanwhile, and fencing refuses the write
    /// if someone else took the job. Any other error gets `maxRecordAttempts` within half a
    /// lease, then the job is left to the rescuer.
    private func recordOutcome(_ ending: Ending, logger: Logger, elapsed: Duration) async {
        let clock = ContinuousClock()
        var delay = Duration.milliseconds(100)
        let deadline = clock.now + worker.configuration.leaseTTL / 2
        for attempt in 1... {
            do {
                try await record(ending, logger: logger, elapsed: elapsed)
                if attempt > 1 { logger.info("outcome recorded", metadata: ["attempts": "\(attempt)"]) }
                return
            } catch let error as QueueError {
                // Another worker or an operator owns the job now; its outcome is theirs to write.
                logger.warning("outcome not recorded", metadata: ["error": "\(error)"])
                return
            } catch {
                let transient = (error as? any DatabaseFailure)?.isTransient ?? false
                let givingUp = Task.isCancelled
                    || (!transient && (attempt >= Self.maxRecordAttempts || clock.now + delay >= deadline))
                guard !givingUp else {
                    logger.error("outcome not recorded; the job runs again once its lease expires", metadata: ["error": "\(error)"])
                    return
                }
                // A full disk may last: the first failure and every tenth after are logged.
                if attempt == 1 || attempt % 10 == 0 {
                    logger.warning("recording the outcome failed; trying again", metadata: [
                        "error": "\(error)", "retry_in": "\(delay)", "attempt": "\(attempt)",
                    ])
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, Self.maxRecordBackoff)
            }
        }
    }

    static let maxRecordAttempts = 8
    static let maxRecordBackoff = Duration.seconds(5)

    /// Extends the lease until cancelled. Returns when the lease is lost: refused by the
    /// database, or not renewed for so long that it may expire there. A worker cut off from
    /// the database (a network partition, a hung connection) thereby stops its handler, and
    /// with it the side effects no database fence can stop (a comment, an issue, a model
    /// call), before another host can take the job over. A beat that fails otherwise is
    /// logged and tried again while the lease has time. Once the handler is done nothing is
    /// left to stop: the beats go on without a deadline while the outcome is written (a full
    /// disk may take longer than a lease), and the rescue decides.
    private func heartbeat(handlerDone: HandlerDone, logger: Logger) async -> Ending? {
        let clock = ContinuousClock()
        let ttl = worker.configuration.leaseTTL
        let interval = worker.configuration.heartbeatInterval
        // Given up just before the lease's earliest expiry (the rescuer may run right then),
        // not earlier: a beat delayed by a busy machine is no reason to drop the job.
        let margin = min(interval / 2, ttl / 20, .seconds(1))
        var heldFrom = leaseAskedAt
        while true {
            let giveUp = handlerDone.isSet ? nil : heldFrom + ttl - margin
            let next = clock.now + interval
            do {
                try await Task.sleep(until: giveUp.map { min(next, $0) } ?? next, clock: .continuous)
            } catch {
                return nil
            }
            if let giveUp, clock.now >= giveUp, !handlerDone.isSet { return .leaseUnrenewed(since: clock.now - heldFrom) }
            let sent = clock.now
            let renew = { @Sendable () async -> Result<Void, any Error> in
                do {
                    return .success(try await worker.queue.heartbeat(job.lease, ttl: ttl))
                } catch {
                    return .failure(error)
                }
            }
            let beat = if let giveUp { await answer(before: giveUp, of: renew) } else { Optional(await renew()) }
            switch beat {
            case nil:
                if Task.isCancelled { return nil }
                if handlerDone.isSet { continue }
                return .leaseUnrenewed(since: clock.now - heldFrom)
            case .success:
                heldFrom = sent
            case .failure(let error as QueueError):
                return .leaseLost(error)
            case .failure(let error):
                // A busy database: the lease still has time; try again next beat.
                logger.warning("heartbeat failed; trying again next beat", metadata: [
                    "error": "\(error)", "next_in": "\(worker.configuration.heartbeatInterval)",
                ])
            }
        }
    }

    private func record(_ ending: Ending, logger: Logger, elapsed: Duration) async throws {
        let seconds = "\(elapsed.seconds)"
        switch ending {
        case .leaseLost(let error):
            logger.warning("lease lost; job abandoned", metadata: ["error": "\(error)"])
            WorkerMetrics.attemptEnded(outcome: "lease_lost", errorClass: nil, duration: elapsed)
        case .leaseUnrenewed(let since):
            // Nothing can be written: the database was out of reach. The rescuer runs the job
            // again once the lease has expired.
            logger.warning("lease not renewed in time; job abandoned before its lease can expire", metadata: [
                "unrenewed_for": "\(since)", "lease_ttl": "\(worker.configuration.leaseTTL)",
            ])
            WorkerMetrics.attemptEnded(outcome: "lease_lost", errorClass: nil, duration: elapsed)
        case .finished(.success(let result)):
            try await worker.queue.complete(job.lease, result: result)
            logger.info("job succeeded", metadata: ["seconds": "\(seconds)"])
            WorkerMetrics.attemptEnded(outcome: "succeeded", errorClass: nil, duration: elapsed)
        case .finished(.failure(QueueError.leaseLost(let jobID, let state))):
            // A fenced write of the handler (failure groups, ledger) found the lease gone.
            logger.warning("lease lost; job abandoned", metadata: ["job": "\(jobID)", "state": "\(state.rawValue)"])
            WorkerMetrics.attemptEnded(outcome: "lease_lost", errorClass: nil, duration: elapsed)
        case .finished(.failure(let deferral as any JobDeferral)):
            try await worker.queue.release(job.lease, delay: deferral.delay)
            logger.info("job deferred", metadata: ["reason": "\(deferral)", "seconds": "\(deferral.delay)"])
            WorkerMetrics.attemptEnded(outcome: "deferred", errorClass: nil, duration: elapsed)
        case .finished(.failure(let error)) where error is CancellationError || Task.isCancelled:
            // Stopped from outside, not failed: another worker (or this one restarted) runs it
            // again without using up an attempt.
            try await worker.queue.release(job.lease, delay: worker.configuration.releaseDelay)
            let stopping = await worker.isStopping
            logger.info("job released", metadata: ["stopping": "\(stopping)"])
            WorkerMetrics.attemptEnded(outcome: "released", errorClass: nil, duration: elapsed)
        case .finished(.failure(let error)):
            var failure = FailureClassifier.classify(error)
            // Error texts can quote what a peer sent (a tool's error, a model's output): they
            // go to the database, `agentctl` and the log, so they are redacted like evidence.
            // Redacted before it is cut, with a margin, so a cut cannot split a secret from the
            // context its rule needs (`https://user:pw` without its `@host`).
            let redacted = Self.redactor.redact(String(failure.message.prefix(Self.maxErrorCharacters + 512)))
            failure.message = String(redacted.prefix(Self.maxErrorCharacters))
            let state = try await worker.queue.fail(job.lease, failure: failure)
            logger.warning("job attempt failed", metadata: [
                "error_class": "\(failure.errorClass)", "retryable": "\(failure.retryable)", "state": "\(state.rawValue)",
                "error": "\(failure.message)", "seconds": "\(seconds)",
            ])
            WorkerMetrics.attemptEnded(
                outcome: state == .queued ? "retry" : state.rawValue, errorClass: failure.errorClass, duration: elapsed)
        }
    }
}

/// Set once the job's handler has returned: from then on a lease in doubt has no side
/// effects left to stop.
private final class HandlerDone: Sendable {
    private let done = Atomic(false)
    var isSet: Bool { done.load(ordering: .acquiring) }
    func set() { done.store(true, ordering: .releasing) }
}
