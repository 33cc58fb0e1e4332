import Queue

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
    /// `AGENT_MAX_WAITERS`: requests held by `?wait=` at once; more get 503 with `Retry-After`.
    public var maxWaiters: Int
    /// How often requests held by `?wait=` look at their jobs when no job-end signal came: the
    /// fallback for a missed signal (see `JobEndWatch`), not the usual way they learn of the end.
    public var waitPollInterval: Duration
    /// Sent with 503 answers when the database is unavailable.
    public var retryAfterSeconds: Int
    /// `AGENT_CLOUDEVENTS_TOKEN`: when set, CloudEvents are accepted only at
    /// `/cloudevents/<token>` (Tekton's sink sends no headers, so the credential is in the sink
    /// URL), and plain `/cloudevents` answers 401. Separate from `token`, which Tekton cannot send.
    public var cloudEventsToken: String?
    /// `AGENT_NAMESPACES`: reports for other namespaces get 403 and no job. nil: any namespace.
    public var namespaces: NamespaceAllowlist?

    public init(
        host: String = "0.0.0.0", port: Int = 8000, token: String? = nil, maxBodyBytes: Int = 64 * 1024,
        maxCloudEventBytes: Int = 1024 * 1024, maxWait: Duration = .seconds(300), waitPollInterval: Duration = .seconds(2), retryAfterSeconds: Int = 2,
        namespaces: NamespaceAllowlist? = nil, cloudEventsToken: String? = nil, maxWaiters: Int = 64
    ) {
        self.maxWaiters = maxWaiters
        self.cloudEventsToken = cloudEventsToken
        self.namespaces = namespaces
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
