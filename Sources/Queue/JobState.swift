/// Where a job is in its life. `queued → running → succeeded`; a retryable failure goes back
/// to `queued` with a later `run_after`; `failed` is a permanent error, `dead` means retries
/// are exhausted, `cancelled` was an operator's decision.
public enum JobState: String, Sendable, Codable, CaseIterable, Comparable {
    case queued, running, succeeded, failed, dead, cancelled

    /// The report is still being worked on: a new report of the same pod joins this job.
    public var isActive: Bool { self == .queued || self == .running }

    /// An operator may send the job back to the queue (`agentctl jobs retry`).
    public var isRetryable: Bool { self == .failed || self == .dead || self == .cancelled }

    public static func < (lhs: JobState, rhs: JobState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Who reported the failure.
public enum JobSource: String, Sendable, Codable, CaseIterable {
    case webhook, cloudevent, cli
}
