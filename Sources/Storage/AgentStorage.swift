import Agent
import Foundation
import Logging
import PostgresStore
import Queue
import Store
import Worker

/// Everything the processes keep, behind the storage seams: the queue, failure groups with
/// the side-effect ledger, and transcripts, all in one database. `AGENT_DB` chooses it: a
/// `postgres://` URL puts everything on PostgreSQL (replicas on several hosts); anything else
/// is a SQLite file (the embedded default).
public struct AgentStorage: Sendable {
    public let queue: any JobQueue
    public let groups: any FailureGroupStore
    public let transcripts: any TranscriptStore
    /// Where it is, for logs and messages (a URL without its password, or a file path).
    public let description: String
    /// Throws unless the database answers and has this binary's schema (readiness).
    public let checkSchema: @Sendable () async throws -> Void
    /// Closes connections (PostgreSQL's pool); nothing to do for SQLite.
    public let shutdown: @Sendable () async -> Void
    /// The SQLite database, when that is the engine (benchmarks and tests reach past the seams).
    public let sqlite: Database?
    /// Notifications that jobs may be due, for workers (PostgreSQL's LISTEN; SQLite: jobs
    /// enqueued by this process); nil: poll only.
    public let wakeUps: (@Sendable () -> AsyncStream<Void>)?
    /// Signals that jobs may have ended, for requests held by `?wait=`; nil: they poll.
    public let jobEnds: (@Sendable () -> AsyncStream<Void>)?
    /// Elects the replica that runs maintenance (PostgreSQL's `leaders` rows); nil: one node,
    /// every process runs it (SQLite).
    public let leaderLease: (any LeaderLease)?

    public init(
        queue: any JobQueue, groups: any FailureGroupStore, transcripts: any TranscriptStore, description: String,
        checkSchema: @escaping @Sendable () async throws -> Void, shutdown: @escaping @Sendable () async -> Void = {},
        sqlite: Database? = nil, wakeUps: (@Sendable () -> AsyncStream<Void>)? = nil,
        jobEnds: (@Sendable () -> AsyncStream<Void>)? = nil, leaderLease: (any LeaderLease)? = nil
    ) {
        self.leaderLease = leaderLease
        self.queue = queue
        self.groups = groups
        self.transcripts = transcripts
        self.description = description
        self.checkSchema = checkSchema
        self.shutdown = shutdown
        self.sqlite = sqlite
        self.wakeUps = wakeUps
        self.jobEnds = jobEnds
    }

    /// Opens (and migrates) the database `location` names.
    public static func open(
        _ location: String, connectionOptions: ConnectionOptions = ConnectionOptions(),
        queueConfiguration: QueueConfiguration = QueueConfiguration(),
        postgresSettings: PostgresSettings = PostgresSettings(),
        logger: Logger = Logger(label: "pipeline-agent.storage")
    ) async throws -> AgentStorage {
        if PostgresLocation.isPostgresURL(location) {
            return try await postgres(
                PostgresLocation(url: location), settings: postgresSettings, queueConfiguration: queueConfiguration, logger: logger)
        }
        return try sqlite(path: location, connectionOptions: connectionOptions, queueConfiguration: queueConfiguration)
    }

    public static func sqlite(
        path: String, connectionOptions: ConnectionOptions = ConnectionOptions(),
        queueConfiguration: QueueConfiguration = QueueConfiguration()
    ) throws -> AgentStorage {
        let database = try Database.open(path: path, options: connectionOptions)
        return sqlite(database, queueConfiguration: queueConfiguration)
    }

    public static func sqlite(_ database: Database, queueConfiguration: QueueConfiguration = QueueConfiguration()) -> AgentStorage {
        let queue = SQLiteJobQueue(database: database, configuration: queueConfiguration)
        return AgentStorage(
            queue: queue,
            groups: SQLiteFailureGroupStore(database: database, now: queueConfiguration.now),
            transcripts: SQLiteTranscriptStore(database: database),
            description: database.path,
            checkSchema: { try await database.checkSchema() },
            sqlite: database,
            wakeUps: { queue.arrivals.wakeUps() },
            jobEnds: { queue.jobEndSignals() })
    }

    /// Connects, migrates (once across replicas starting together) and puts the drivers on it.
    public static func postgres(
        _ location: PostgresLocation, settings: PostgresSettings = PostgresSettings(),
        queueConfiguration: QueueConfiguration = QueueConfiguration(), logger: Logger
    ) async throws -> AgentStorage {
        let backend = PostgresBackend(location: location, settings: settings, logger: logger)
        do {
            try await PostgresMigrator(backend: backend).migrate()
        } catch {
            await backend.shutdown()
            throw error
        }
        return postgres(backend, queueConfiguration: queueConfiguration)
    }

    public static func postgres(_ backend: PostgresBackend, queueConfiguration: QueueConfiguration = QueueConfiguration()) -> AgentStorage {
        let notifier = PostgresJobNotifier(backend: backend)
        let endNotifier = PostgresJobNotifier(backend: backend, channel: PostgresJobNotifier.jobEndsChannel)
        return AgentStorage(
            queue: PostgresJobQueue(
                backend: backend, configuration: queueConfiguration, wakeUp: { notifier.wakeUp() },
                jobEnded: { endNotifier.wakeUp() }),
            groups: PostgresFailureGroupStore(backend: backend),
            transcripts: PostgresTranscriptStore(backend: backend),
            description: backend.location.description,
            checkSchema: { try await PostgresMigrator(backend: backend).requireCurrent() },
            shutdown: { await backend.shutdown() },
            wakeUps: { notifier.notifications() },
            jobEnds: { endNotifier.notifications() },
            leaderLease: PostgresLeaderLease(backend: backend))
    }
}

extension AgentStorage {
    /// Who runs maintenance in this process: an election among replicas when the database
    /// is shared by several hosts (run the returned election as a service), else every process.
    public func leadership(owner: String, ttl: Duration, logger: Logger) -> (any Leadership, LeaderElection?) {
        guard let leaderLease else { return (SingleNodeLeadership(), nil) }
        let election = LeaderElection(lease: leaderLease, holder: LeaderElection.uniqueHolder(owner), ttl: ttl, logger: logger)
        return (election, election)
    }
}
