import Foundation

/// A job as stored: one reported pod failure and everything the queue knows about its handling.
/// Its JSON form (snake_case keys, ISO-8601 times) is a stable, documented interface used by
/// `agentctl --json` and the HTTP API.
public struct Job: Sendable, Equatable, Codable {
    public var id: Int64
    public var namespace: String
    public var pod: String
    public var container: String?
    public var pipelineRun: String?
    public var task: String?
    public var source: JobSource
    public var state: JobState
    public var attempts: Int
    public var maxAttempts: Int
    public var runAfter: Date
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    public var lastError: String?
    /// The analysis outcome, JSON text.
    public var result: String?
    public var fingerprint: String?
    public var groupID: Int64?
    public var reportCount: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
    /// Set by `agentctl jobs rerun`: the first attempt of the latest re-run of this succeeded
    /// job (nil: never re-run). It names the re-run in the side-effect ledger, so an attempt
    /// that crashed and is retried does not comment twice.
    public var rerunAttempt: Int?

    /// Whether an operator asked for this job to be analysed again (`agentctl jobs rerun`).
    public var rerun: Bool { rerunAttempt != nil }

    /// Every field; for queue drivers, which build jobs from their rows.
    public init(
        id: Int64, namespace: String, pod: String, container: String?, pipelineRun: String?, task: String?,
        source: JobSource, state: JobState, attempts: Int, maxAttempts: Int, runAfter: Date, leaseOwner: String?,
        leaseExpiresAt: Date?, lastError: String?, result: String?, fingerprint: String?, groupID: Int64?,
        reportCount: Int, createdAt: Date, updatedAt: Date, finishedAt: Date?, rerunAttempt: Int? = nil
    ) {
        self.rerunAttempt = rerunAttempt
        self.id = id
        self.namespace = namespace
        self.pod = pod
        self.container = container
        self.pipelineRun = pipelineRun
        self.task = task
        self.source = source
        self.state = state
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.runAfter = runAfter
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.lastError = lastError
        self.result = result
        self.fingerprint = fingerprint
        self.groupID = groupID
        self.reportCount = reportCount
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, namespace, pod, container, source, state, attempts, result, fingerprint, task
        case pipelineRun = "pipeline_run"
        case maxAttempts = "max_attempts"
        case runAfter = "run_after"
        case leaseOwner = "lease_owner"
        case leaseExpiresAt = "lease_expires_at"
        case lastError = "last_error"
        case groupID = "group_id"
        case reportCount = "report_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case finishedAt = "finished_at"
        case rerunAttempt = "rerun_attempt"
    }

    /// Encoded only: derived from `rerunAttempt`.
    enum DerivedKeys: String, CodingKey {
        case rerun
    }

    /// Encodes optional fields as `null` rather than leaving them out, so the JSON always has
    /// the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(namespace, forKey: .namespace)
        try c.encode(pod, forKey: .pod)
        try c.encode(container, forKey: .container)
        try c.encode(pipelineRun, forKey: .pipelineRun)
        try c.encode(task, forKey: .task)
        try c.encode(source, forKey: .source)
        try c.encode(state, forKey: .state)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(maxAttempts, forKey: .maxAttempts)
        try c.encode(runAfter, forKey: .runAfter)
        try c.encode(leaseOwner, forKey: .leaseOwner)
        try c.encode(leaseExpiresAt, forKey: .leaseExpiresAt)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(result, forKey: .result)
        try c.encode(fingerprint, forKey: .fingerprint)
        try c.encode(groupID, forKey: .groupID)
        try c.encode(reportCount, forKey: .reportCount)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(rerunAttempt, forKey: .rerunAttempt)
        var derived = encoder.container(keyedBy: DerivedKeys.self)
        try derived.encode(rerun, forKey: .rerun)
    }
}
