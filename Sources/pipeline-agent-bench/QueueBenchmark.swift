import ArgumentParser
import CLI
import Foundation
import Queue
import Store
import Synchronization

/// `pipeline-agent-bench queue --jobs N`: queue throughput on a fresh database file with WAL and
/// the chosen synchronous mode, then Huey's SqliteHuey on the same machine for a ratio.
struct QueueBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Measure enqueue, lease+complete and full-lifecycle throughput of the SQLite queue."
    )

    @Option(help: "Jobs per phase.")
    var jobs = 20_000

    @Option(help: "Concurrent producers (enqueue) and completions in flight.")
    var concurrency = 64

    @Option(help: "Concurrent workers leasing.")
    var workers = 4

    @Option(help: "Jobs per lease.")
    var batch = 256

    @Option(help: "PRAGMA synchronous: FULL (fsync per commit) or NORMAL.")
    var synchronous = "FULL"

    @Option(help: "Directory for the temporary databases (default: system temp dir).")
    var directory: String?

    @Option(help: "Python script measuring Huey; skipped when Huey is not installed.")
    var hueyScript = "scripts/bench/huey_lifecycle.py"

    @Flag(help: "Skip the Huey comparison.")
    var noHuey = false

    @Option(help: "A postgres:// URL: measure the PostgreSQL queue on that server (in fresh databases it creates and drops) and PgQueuer beside it, instead of SQLite.")
    var db: String?

    @Option(help: "Python script measuring PgQueuer (with --db); skipped when PgQueuer is not installed.")
    var pgqueuerScript = "scripts/bench/pgqueuer_lifecycle.py"

    func validate() throws {
        guard jobs > 0, concurrency > 0, workers > 0, batch > 0 else { throw ValidationError("counts must be positive") }
        guard SynchronousMode(rawValue: synchronous.uppercased()) != nil else { throw ValidationError("--synchronous is FULL or NORMAL") }
    }

    func run() async throws {
        if let db { return try await runPostgres(db) }
        let base = URL(fileURLWithPath: directory ?? FileManager.default.temporaryDirectory.path)
            .appending(path: "pipeline-agent-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let mode = SynchronousMode(rawValue: synchronous.uppercased())!
        print("queue benchmark: \(jobs) jobs, synchronous=\(mode.rawValue), WAL, \(concurrency) concurrent callers, \(workers) workers × batch \(batch)")

        let queue = try makeQueue(base.appending(path: "phases.sqlite").path, mode)
        let enqueueTime = try await measure { try await enqueueAll(queue, prefix: "a") }
        print("enqueue: \(rate(jobs, enqueueTime)) jobs/s")

        var latencies = LatencySamples()
        let drainTime = try await measure { latencies = try await drain(queue, until: jobs) }
        print("lease+complete: \(rate(jobs, drainTime)) jobs/s")
        print("lease latency: p50 \(latencies.percentile(50).formattedMilliseconds), p99 \(latencies.percentile(99).formattedMilliseconds)")

        let lifecycleQueue = try makeQueue(base.appending(path: "lifecycle.sqlite").path, mode)
        let lifecycleTime = try await measure {
            async let produced: Void = enqueueAll(lifecycleQueue, prefix: "b")
            async let consumed = drain(lifecycleQueue, until: jobs)
            _ = try await (produced, consumed)
        }
        let lifecycleRate = rate(jobs, lifecycleTime)
        print("lifecycle: \(lifecycleRate) jobs/s (enqueue+lease+complete, concurrent)")
        for (name, database) in [("phases", queue.database), ("lifecycle", lifecycleQueue.database)] {
            let stats = database.statistics
            print(String(format: "group commit (%@): %d writes in %d commits, %.1f per commit, %.1f µs of database-thread CPU per write",
                         name, stats.writes, stats.commits, Double(stats.writes) / Double(max(stats.commits, 1)),
                         stats.busy.seconds * 1e6 / Double(max(stats.writes, 1))))
        }

        guard !noHuey else { return }
        switch runHuey(directory: base) {
        case .success(let hueyRate):
            print("huey lifecycle: \(hueyRate) jobs/s (SqliteHuey enqueue+dequeue+execute with result)")
            print(String(format: "ratio vs huey: %.1fx", Double(lifecycleRate) / Double(max(hueyRate, 1))))
        case .failure(let reason):
            print("huey: skipped (\(reason.description))")
        }
    }

    private func makeQueue(_ path: String, _ mode: SynchronousMode) throws -> SQLiteJobQueue {
        SQLiteJobQueue(database: try Database.open(path: path, options: ConnectionOptions(synchronous: mode)))
    }

    func enqueueAll(_ queue: some JobQueue, prefix: String) async throws {
        let perTask = (jobs + concurrency - 1) / concurrency
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<concurrency {
                group.addTask {
                    for index in min(jobs, task * perTask)..<min(jobs, (task + 1) * perTask) {
                        _ = try await queue.enqueue(NewJob(namespace: "bench", pod: "\(prefix)-pod-\(index)", container: "step-run"))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Workers lease and complete until `count` jobs are done; returns the lease latencies.
    func drain(_ queue: some JobQueue, until count: Int) async throws -> LatencySamples {
        let done = Counter()
        return try await withThrowingTaskGroup(of: LatencySamples.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var samples = LatencySamples()
                    let clock = ContinuousClock()
                    while done.value < count {
                        let start = clock.now
                        let leased = try await queue.lease(batch: batch, ttl: .seconds(60), owner: "bench-\(worker)")
                        samples.append(clock.now - start)
                        if leased.isEmpty {
                            try await Task.sleep(for: .milliseconds(1))
                            continue
                        }
                        try await withThrowingTaskGroup(of: Void.self) { completions in
                            for job in leased { completions.addTask { try await queue.complete(job.lease, result: nil) } }
                            try await completions.waitForAll()
                        }
                        done.add(leased.count)
                    }
                    return samples
                }
            }
            var all = LatencySamples()
            for try await samples in group { all.append(contentsOf: samples) }
            return all
        }
    }

    func measure(_ body: () async throws -> Void) async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        try await body()
        return clock.now - start
    }

    func rate(_ count: Int, _ duration: Duration) -> Int {
        Int(Double(count) / max(duration.seconds, 1e-9))
    }

    private func runHuey(directory: URL) -> Result<Int, CommandFailure> {
        guard FileManager.default.fileExists(atPath: hueyScript) else { return .failure(CommandFailure("\(hueyScript) not found")) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", hueyScript, "--jobs", String(jobs), "--db", directory.appending(path: "huey.sqlite").path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch { return .failure(CommandFailure("cannot run python3: \(error)")) }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, let value = Int(text.split(separator: "\n").last ?? "") else {
            return .failure(CommandFailure(text.split(separator: "\n").last.map(String.init) ?? "exit \(process.terminationStatus)"))
        }
        return .success(value)
    }
}

/// Jobs done so far, shared by the benchmark's workers.
private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add(_ n: Int) { count.withLock { $0 += n } }
}
