import Foundation
import Logging
import PostgresNIO

/// Wake-ups across replicas, one channel each: on `jobsChannel` an enqueue, a release or a
/// retry wakes waiting workers; on `jobEndsChannel` a job's end wakes the requests ingest holds
/// for `?wait=`. Listeners `LISTEN` on a dedicated connection (LISTEN belongs to one session, so
/// not to the pool). Notifications only shorten the wait: listeners still poll, so a lost
/// notification, a broken listen connection or PgBouncer in transaction mode (which drops
/// LISTEN) costs latency, never a job or an answer.
///
/// NOTIFY takes a database-wide lock at commit, so it is coalesced: while one is in flight,
/// further requests collapse into a single one sent after it. A NOTIFY also gets its
/// transaction an ID, hence a commit record and, with `synchronous_commit` on, a WAL flush
/// waited for under that lock: its commit is made asynchronous (`set_config(…, true)` lasts
/// until the end of the statement's own transaction). A notification lost in a server crash
/// costs latency only, like any other.
public actor PostgresJobNotifier {
    public static let jobsChannel = "pipeline_agent_jobs"
    public static let jobEndsChannel = "pipeline_agent_job_ends"

    let backend: PostgresBackend
    public let channel: String
    private var sending = false
    private var pending = false
    /// NOTIFY statements sent so far (coalescing keeps this far below the requests).
    public private(set) var sent = 0

    public init(backend: PostgresBackend, channel: String = PostgresJobNotifier.jobsChannel) {
        self.backend = backend
        self.channel = channel
    }

    /// Asks for a NOTIFY without waiting for it (the enqueue has committed already).
    public nonisolated func wakeUp() {
        Task { await self.send() }
    }

    /// Sends a NOTIFY, or marks one as due when another is in flight. Returns once no
    /// notification is pending.
    public func send() async {
        if sending {
            pending = true
            return
        }
        sending = true
        repeat {
            pending = false
            sent += 1
            do {
                try await backend.execute("SELECT set_config('synchronous_commit', 'off', true), pg_notify(\(channel), '')")
            } catch {
                // Workers poll as well: a lost notification costs latency only.
                backend.logger.debug("NOTIFY failed", metadata: ["error": "\(error)"])
            }
        } while pending
        sending = false
    }

    /// Notifications as they arrive, on a connection of their own that is made again (after
    /// `retryDelay`) whenever it fails. Ends when the consuming task is cancelled.
    public nonisolated func notifications(retryDelay: Duration = .seconds(2)) -> AsyncStream<Void> {
        let backend = backend
        let channel = channel
        return AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let listener = Task {
                var connectionID = 0
                while !Task.isCancelled {
                    connectionID += 1
                    do {
                        let connection = try await PostgresConnection.connect(
                            configuration: try backend.location.connectionConfiguration(backend.settings),
                            id: connectionID, logger: backend.logger)
                        do {
                            try await connection.listen(on: channel) { notifications in
                                // A (re)connected listener may have missed notifications: look once.
                                continuation.yield()
                                for try await _ in notifications { continuation.yield() }
                            }
                        } catch {
                            try? await connection.close()
                            throw error
                        }
                        try? await connection.close()
                    } catch {
                        if Task.isCancelled { break }
                        backend.logger.debug("LISTEN connection failed; polling until it is back",
                                             metadata: ["error": "\(String(reflecting: PostgresStoreError.wrap(error)))"])
                    }
                    try? await Task.sleep(for: retryDelay)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in listener.cancel() }
        }
    }
}

extension PostgresLocation {
    /// The settings of a single connection (the LISTEN connection), as the pool's.
    func connectionConfiguration(_ settings: PostgresSettings) throws -> PostgresConnection.Configuration {
        let tlsSetting: PostgresConnection.Configuration.TLS
        switch tls {
        case .disable:
            tlsSetting = .disable
        case .prefer, .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            let context = try NIOSSLContext(configuration: configuration)
            tlsSetting = tls == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            tlsSetting = .require(try NIOSSLContext(configuration: TLSConfiguration.makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tlsSetting)
        configuration.options.connectTimeout = .milliseconds(settings.connectTimeout.wholeMilliseconds)
        configuration.options.additionalStartupParameters = [("application_name", settings.applicationName + "-listen")]
        return configuration
    }
}
