import Foundation
import Store
import Testing
import TestSupport
@testable import Queue

/// Several processes on one database file, as several worker pods on one volume.
@Suite struct MultiProcessTests {
    let directory = TemporaryDirectory()

    private func drain(_ db: String, _ extra: [String] = []) throws -> ChildProcess {
        try ChildProcess(try BuildProducts.executable("pipeline-agent-bench"), ["drain", "--db", db] + extra)
    }

    private func ids(_ output: String) -> [Int64] {
        output.split(separator: "\n").compactMap { Int64($0) }
    }

    @Test func twoProcessesLeaseEveryJobExactlyOnce() async throws {
        let path = directory.path("shared.sqlite")
        let queue = SQLiteJobQueue(database: try Database.open(path: path))
        let all = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<2000 {
                group.addTask { try await queue.enqueue(NewJob(namespace: "ci", pod: "pod-\(index)")).job.id }
            }
            return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
        }
        // A little simulated work per batch keeps both processes busy at the same time.
        let workers = try ["a", "b"].map { try drain(path, ["--batch", "5", "--work-ms", "2", "--owner", $0]) }
        for worker in workers {
            let status = try await worker.wait()
            #expect(status == 0, "\(worker.stderr)")
        }
        let leasedA = ids(workers[0].stdout), leasedB = ids(workers[1].stdout)
        #expect(leasedA.count + leasedB.count == 2000)
        #expect(Set(leasedA).isDisjoint(with: leasedB))
        #expect(Set(leasedA).union(leasedB) == all)
        #expect(!leasedA.isEmpty && !leasedB.isEmpty, "both processes should have taken part")
        #expect(try await queue.stats().counts == [.succeeded: 2000])
    }

    @Test func aKilledProcessLosesNothing() async throws {
        let path = directory.path("killed.sqlite")
        let queue = SQLiteJobQueue(database: try Database.open(path: path))
        var all: [Int64] = []
        for index in 0..<20 { all.append(try await queue.enqueue(NewJob(namespace: "ci", pod: "pod-\(index)")).job.id) }

        // A TTL long enough for another process to start and look while the leases hold, on a
        // loaded 2-core machine (1.5 s was not: the early look once came after the expiry; a
        // loaded suite keeps tasks waiting for a thread for seconds).
        let ttl = Duration.seconds(20)
        let holder = try drain(path, ["--hold", "--batch", "20", "--ttl-ms", String(ttl.components.seconds * 1000), "--owner", "doomed"])
        try await holder.waitForOutput("holding")
        let held = ContinuousClock.now
        #expect(Set(ids(holder.stdout)) == Set(all))
        holder.kill()
        try await holder.wait()

        // Before the TTL the leases still hold: another worker finds nothing to do.
        let early = try drain(path, ["--rescue", "--owner", "early"])
        #expect(try await early.wait() == 0)
        #expect(ids(early.stdout).isEmpty)
        #expect(try await queue.stats().counts == [.running: 20])

        try await Task.sleep(until: held + ttl + .milliseconds(500), clock: .continuous)
        let rescuer = try drain(path, ["--rescue", "--owner", "rescuer"])
        #expect(try await rescuer.wait() == 0, "\(rescuer.stderr)")
        #expect(ids(rescuer.stdout).sorted() == all)

        for id in all {
            let job = try #require(try await queue.job(id: id))
            #expect(job.state == .succeeded && job.result == #"{"by":"rescuer"}"#)
            let attempts = try await queue.attempts(jobID: id)
            #expect(attempts.map(\.outcome) == ["lease_expired", "succeeded"])
            #expect(attempts.map(\.worker) == ["doomed", "rescuer"])
        }
    }
}
