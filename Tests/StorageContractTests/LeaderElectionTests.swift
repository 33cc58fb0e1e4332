import Foundation
import Logging
import PostgresStore
import Storage
import Testing
import TestSupport
import Worker

/// One elected replica runs maintenance, on a real PostgreSQL: of two contenders (each with
/// its own connection pool, as two hosts would have) only one leads, and when the leader's
/// connections die the other takes over within the lease TTL plus a round, never both at once.
@Suite struct LeaderElectionTests {
    /// Renewed every third of this: long enough that a loaded machine stalling a renewal for
    /// seconds does not end a leadership the test expects to hold.
    static let ttl = Duration.seconds(9)
    /// For the tests that call `contend()` by hand and then ask who leads: long enough that a
    /// loaded machine stalling the test for seconds does not run the leadership out between
    /// the two (nor time the acquire out: it may take a third of this).
    static let stallProofTTL = Duration.seconds(30)

    /// Two storages on one fresh database, as two replicas see it.
    func withTwoReplicas(_ body: (AgentStorage, AgentStorage) async throws -> Void) async throws {
        let url = try await PostgresCluster.shared.createDatabase()
        var logger = Logger(label: "leader-tests")
        logger.logLevel = .critical
        let first = try await AgentStorage.postgres(PostgresLocation(url: url), settings: PostgresSettings(poolSize: 2), logger: logger)
        let second = try await AgentStorage.postgres(PostgresLocation(url: url), settings: PostgresSettings(poolSize: 2), logger: logger)
        do {
            try await body(first, second)
        } catch {
            await first.shutdown()
            await second.shutdown()
            throw error
        }
        await first.shutdown()
        await second.shutdown()
    }

    func election(_ storage: AgentStorage, _ name: String, ttl: Duration = Self.ttl) throws -> LeaderElection {
        var logger = Logger(label: "leader-tests")
        logger.logLevel = .critical
        let (_, election) = storage.leadership(owner: name, ttl: ttl, logger: logger)
        return try #require(election)
    }

    @Test func onlyOneOfTwoContendersLeads() async throws {
        try await withTwoReplicas { one, two in
            let a = try election(one, "a", ttl: Self.stallProofTTL)
            let b = try election(two, "b", ttl: Self.stallProofTTL)
            for _ in 0..<5 {
                await a.contend()
                await b.contend()
                let leading = [await a.isLeading, await b.isLeading]
                #expect(leading.filter { $0 }.count == 1, "\(leading)")
            }
            // The first to contend took it and kept it by renewing.
            #expect(await a.isLeading)
        }
    }

    @Test func theOtherLeadsWhenTheLeadersConnectionsDie() async throws {
        try await withTwoReplicas { one, two in
            let a = try election(one, "a")
            let b = try election(two, "b")
            let runs = [Task { try await a.run() }, Task { try await b.run() }]
            defer { runs.forEach { $0.cancel() } }
            let clock = ContinuousClock()
            let start = clock.now
            var leader: LeaderElection?
            while leader == nil, clock.now - start < .seconds(60) {
                let leading = (await a.isLeading, await b.isLeading)
                #expect(!(leading.0 && leading.1))
                leader = leading.0 ? a : leading.1 ? b : nil
                try await Task.sleep(for: .milliseconds(50))
            }
            let old = try #require(leader)
            let follower = old === a ? b : a
            // The leader's host dies: every connection it has is closed, nothing is released.
            await (old === a ? one : two).shutdown()
            let died = clock.now
            while await !follower.isLeading, clock.now - died < .seconds(60) {
                let both = (await old.isLeading, await follower.isLeading)
                #expect(!(both.0 && both.1))
                try await Task.sleep(for: .milliseconds(50))
            }
            let takeover = clock.now - died
            #expect(await follower.isLeading)
            #expect(await !old.isLeading)
            // Within the TTL and a renewal round (ttl / 3), with a wide margin for a loaded machine.
            #expect(takeover < Self.ttl + Self.ttl / 3 + .seconds(30), "takeover took \(takeover)")
        }
    }

    @Test func aLeaderThatResignsHandsOverAtOnce() async throws {
        try await withTwoReplicas { one, two in
            let a = try election(one, "a", ttl: Self.stallProofTTL)
            let b = try election(two, "b", ttl: Self.stallProofTTL)
            await a.contend()
            await b.contend()
            #expect(await a.isLeading)
            #expect(await !b.isLeading)
            await a.resign()
            #expect(await !a.isLeading)
            await b.contend()
            #expect(await b.isLeading)
            await a.contend()
            #expect(await !a.isLeading)
        }
    }

    @Test func sqliteLeadsAlone() async throws {
        // One node: every process runs maintenance, no election.
        let directory = TemporaryDirectory()
        let storage = try AgentStorage.sqlite(path: directory.path("agent.sqlite"))
        let (leadership, election) = storage.leadership(owner: "w", ttl: Self.ttl, logger: Logger(label: "t"))
        #expect(election == nil)
        #expect(await leadership.isLeading)
    }
}
