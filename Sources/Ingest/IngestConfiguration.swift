/// Settings of the ingest HTTP server.
public struct IngestConfiguration: Sendable {
    /// Bind address; `0.0.0.0` in containers so the Service can reach the pod.
    public var host: String
    public var port: Int
    /// When set, every report and job request needs `Authorization: Bearer <token>`.
    public var token: String?
    /// Largest accepted report body (`POST /report-failure`).
    public var maxBodyBytes: Int
    /// Largest accepted CloudEvent: Tekton sends the whole TaskRun, with the task's spec and
    /// every step's script, which outgrows a report's limit for big tasks.
    public var maxCloudEventBytes: Int
    /// Upper bound of `?wait=SECONDS`.
    public var maxWait: Duration
    /// How often a waiting request looks at its job again.
    public var waitPollInterval: Duration
    /// Sent with 503 answers when the database is unavailable.
    public var retryAfterSeconds: Int

    public init(
        host: String = "0.0.0.0", port: Int = 8000, token: String? = nil, maxBodyBytes: Int = 64 * 1024,
        maxCloudEventBytes: Int = 1024 * 1024, maxWait: Duration = .seconds(300), waitPollInterval: Duration = .milliseconds(250), retryAfterSeconds: Int = 2
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.maxBodyBytes = maxBodyBytes
        self.maxCloudEventBytes = maxCloudEventBytes
        self.maxWait = maxWait
        self.waitPollInterval = waitPollInterval
        self.retryAfterSeconds = retryAfterSeconds
    }
}
