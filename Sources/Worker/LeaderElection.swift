import Foundation
import Logging
import ServiceLifecycle
import Store

/// Elects one leader among replicas through a `LeaderLease` row: every `ttl / 3` each process
/// tries to take or renew the lease. A process counts itself leader only until `ttl` after it
/// *sent* its last successful renewal, measured on its own monotonic clock: the database's
/// lease ends `ttl` after the statement *ran*, which is later, so a leader whose renewals
/// stop (it hangs, its database connection or its link is cut) steps down before anyone else
/// can take over, and the others take over within `ttl` plus one round of the lease ending.
/// A leader that shuts down gracefully gives the lease up, so another leads within a round.
public actor LeaderElection: Leadership, Service {
    public nonisolated let name: String
    public nonisolated let holder: String
    public nonisolated let ttl: Duration
    private let lease: any LeaderLease
    private let logger: Logger
    private let clock = ContinuousClock()
    private var validUntil: ContinuousClock.Instant?

    /// `holder` should be unique per process (`uniqueHolder(_:)`).
    public init(lease: any LeaderLease, name: String = "maintenance", holder: String, ttl: Duration = .seconds(30),
                logger: Logger) {
        self.lease = lease
        self.name = name
        self.holder = holder
        self.ttl = ttl
        var logger = logger
        logger[metadataKey: "leader_lease"] = "\(name)"
        logger[metadataKey: "holder"] = "\(holder)"
        self.logger = logger
    }

    /// `owner` with a random suffix: two processes never share a holder name, even when an
    /// operator gave them one worker identity.
    public static func uniqueHolder(_ owner: String) -> String {
        "\(owner)/\(UUID().uuidString.prefix(8).lowercased())"
    }

    public var isLeading: Bool {
        guard let validUntil else { return false }
        return clock.now < validUntil
    }

    public nonisolated func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                await self.contend()
                try await Task.sleep(for: self.ttl / 3)
            }
        }
        await resign()
    }

    /// One take-or-renew. A failure or a timeout changes nothing: leadership then runs out on
    /// its own at `validUntil`.
    public func contend() async {
        let sent = clock.now
        let wasLeading = isLeading
        do {
            let held = try await acquireWithin(ttl / 3)
            validUntil = held ? sent + ttl : nil
            if held != wasLeading {
                logger.notice(held ? "leading maintenance" : "another replica leads maintenance")
            }
        } catch {
            logger.warning("leader lease not renewed; leadership ends unless the next round succeeds",
                           metadata: ["error": "\(error)", "leading": "\(isLeading)"])
        }
    }

    /// Gives the lease up (at once, not after `ttl`) and stops leading.
    public func resign() async {
        let wasLeading = isLeading
        validUntil = nil
        guard wasLeading else { return }
        do {
            try await lease.release(name, holder: holder)
            logger.notice("gave up leading maintenance")
        } catch {
            logger.warning("leader lease not released; another replica takes over once it expires",
                           metadata: ["error": "\(error)", "ttl": "\(ttl)"])
        }
    }

    /// The acquire, or `LeaderElectionTimeout` after `limit` even when the database call
    /// hangs on a cut link (the call is left to end on its own).
    private func acquireWithin(_ limit: Duration) async throws -> Bool {
        let (lease, name, holder, ttl) = (lease, name, holder, ttl)
        let result = await answer(before: .now + limit) { () async -> Result<Bool, any Error> in
            do {
                return .success(try await lease.acquire(name, holder: holder, ttl: ttl))
            } catch {
                return .failure(error)
            }
        }
        guard let result else { throw LeaderElectionTimeout(limit: limit) }
        return try result.get()
    }
}

/// The leader lease's database did not answer in time.
public struct LeaderElectionTimeout: Error, CustomStringConvertible {
    public let limit: Duration
    public var description: String { "the leader lease's database did not answer within \(limit)" }
}
