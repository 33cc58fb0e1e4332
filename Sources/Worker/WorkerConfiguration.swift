import Foundation

/// Settings of a worker process.
public struct WorkerConfiguration: Sendable {
    /// Jobs run at once.
    public var concurrency: Int
    /// Lease time-to-live: a crashed worker's jobs return to the queue this long after its
    /// last heartbeat.
    public var leaseTTL: Duration
    /// How often a running job's lease is extended (well inside the TTL).
    public var heartbeatInterval: Duration
    /// Pause between lease attempts when the queue is empty or the database is busy.
    public var pollInterval: Duration
    /// How often expired leases are returned to the queue: by default every lease TTL (at most
    /// 15 s), so a crashed worker's jobs come back about one TTL after its last heartbeat.
    public var rescueInterval: Duration
    /// On SIGTERM, how long running jobs may take to finish before they are released.
    public var shutdownGrace: Duration
    /// A job released at shutdown is due again after this long: longer than the issue server's
    /// own request timeout (gitea-mcp: 30 s), so an issue a stopped attempt's create call may
    /// still be making exists by the time the next attempt looks for its marker.
    public var releaseDelay: Duration
    /// The lease owner recorded in jobs and attempts.
    public var owner: String

    public init(
        concurrency: Int = 8, leaseTTL: Duration = .seconds(60), heartbeatInterval: Duration? = nil,
        pollInterval: Duration = .milliseconds(500), rescueInterval: Duration? = nil,
        shutdownGrace: Duration = .seconds(20), releaseDelay: Duration = .seconds(40),
        owner: String = WorkerConfiguration.defaultOwner
    ) {
        self.concurrency = max(1, concurrency)
        self.leaseTTL = leaseTTL
        self.heartbeatInterval = heartbeatInterval ?? leaseTTL / 3
        self.pollInterval = pollInterval
        self.rescueInterval = rescueInterval ?? min(.seconds(15), leaseTTL)
        self.shutdownGrace = shutdownGrace
        self.releaseDelay = releaseDelay
        self.owner = owner
    }

    /// `host:pid`, unique among the workers sharing a database.
    public static var defaultOwner: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }
}
