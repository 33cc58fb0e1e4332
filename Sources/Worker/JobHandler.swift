import Logging
import Queue

/// What the worker runs for each leased job. Returns the job's result (JSON text) or throws;
/// the thrown error is classified by `FailureClassifier`. A handler must stop promptly when
/// its task is cancelled (shutdown past the grace period, or the lease was lost).
public protocol JobHandler: Sendable {
    func run(_ job: LeasedJob, logger: Logger) async throws -> String?
}

/// An error that says itself how the worker should treat it.
public protocol JobFailureConvertible: Error {
    var jobFailure: JobFailure { get }
}

/// Thrown by a handler that cannot proceed yet for a reason that is not a failure (another job
/// is doing the work): the job goes back to the queue without using up an attempt.
public protocol JobDeferral: Error {
    var delay: Duration { get }
}
