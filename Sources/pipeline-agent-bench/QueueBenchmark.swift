import ArgumentParser
import CLI
import Foundation
import Queue
import Storage
import Store

/// `pipeline-agent-bench queue --jobs N`: queue throughput on a fresh database file with WAL and
/// the chosen synchronous mode, then Huey's SqliteHuey on the same machine for a ratio. The
/// drains print the rate of every slice of `--slice` jobs, so a queue that slows as finished
/// rows and a backlog accumulate shows it (the last slice against the first).
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

    @Option(help: "Jobs per slice: the drains print the rate and lease latency of each.")
    var slice = 10_000

    @Option(help: "Jobs of the Huey run (default: --jobs, at most 20,000); the ratio compares our lifecycle rate over as many jobs.")
    var hueyJobs: Int?

    @Option(help: "Python script measuring Huey; skipped when Huey is not installed.")
    var hueyScript = "scripts/bench/huey_lifecycle.py"

    @Flag(help: "Skip the Huey comparison.")
    var noHuey = false

    @Option(help: "A postgres:// URL: measure the PostgreSQL queue on that server (in fresh databases it creates and drops) and PgQueuer beside it, instead of SQLite.")
    var db: String?

    @Option(help: "Python script measuring PgQueuer (with --db); skipped when PgQueuer is not installed.")
    var pgqueuerScript = "scripts/bench/pgqueuer_lifecycle.py"

    @OptionGroup var walWarmUp: WALWarmUp

    func validate() throws {
        guard jobs > 0, concurrency > 0, workers > 0, batch > 0, slice > 0, (hueyJobs ?? 1) > 0 else { throw ValidationError("counts must be positive") }
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

        var latencies: [LatencySamples] = []
        let drainClock = SliceClock(size: slice, cost: costProbe(queue.database))
        let drainTime = try await measure {
            latencies = try await drain(queue, until: jobs, clock: drainClock, wakeUps: { queue.arrivals.wakeUps() })
        }
        print("lease+complete: \(rate(jobs, drainTime)) jobs/s")
        let all = latencies.reduce(into: LatencySamples()) { $0.append(contentsOf: $1) }
        print("lease latency: p50 \(all.percentile(50).formattedMilliseconds), p99 \(all.percentile(99).formattedMilliseconds)")
        printSlices("lease+complete", drainClock, drainClock.rates(total: jobs, elapsed: drainTime), latencies)

        let lifecycleQueue = try makeQueue(base.appending(path: "lifecycle.sqlite").path, mode)
        let lifecycleClock = SliceClock(size: slice, cost: costProbe(lifecycleQueue.database))
        var lifecycleLatencies: [LatencySamples] = []
        let lifecycleTime = try await measure {
            async let produced: Void = enqueueAll(lifecycleQueue, prefix: "b")
            async let consumed = drain(lifecycleQueue, until: jobs, clock: lifecycleClock,
                                       wakeUps: { lifecycleQueue.arrivals.wakeUps() })
            (_, lifecycleLatencies) = try await (produced, consumed)
        }
        let lifecycleRate = rate(jobs, lifecycleTime)
        print("lifecycle: \(lifecycleRate) jobs/s (enqueue+lease+complete, concurrent)")
        printSlices("lifecycle", lifecycleClock, lifecycleClock.rates(total: jobs, elapsed: lifecycleTime), lifecycleLatencies)
        for (name, database) in [("phases", queue.database), ("lifecycle", lifecycleQueue.database)] {
            let stats = database.statistics
            print(String(format: "group commit (%@): %d writes in %d commits, %.1f per commit, %.1f µs of database-thread CPU per write",
                         name, stats.writes, stats.commits, Double(stats.writes) / Double(max(stats.commits, 1)),
                         stats.busy.seconds * 1e6 / Double(max(stats.writes, 1))))
        }

        for (name, database) in [("phases", queue.database), ("lifecycle", lifecycleQueue.database)] {
            print("files (\(name)): database \(megabytes(database.path)), WAL \(megabytes(database.path + "-wal"))")
        }

        guard !noHuey else { return }
        let hueyCount = min(jobs, hueyJobs ?? 20_000)
        // Our rate over the same number of jobs: the time the lifecycle took to complete them.
        let ours = hueyCount == jobs ? lifecycleRate : lifecycleClock.elapsed(untilDone: hueyCount).map { rate(hueyCount, $0) }
        switch runHuey(directory: base, jobs: hueyCount) {
        case .success(let hueyRate):
            print("huey lifecycle: \(hueyRate) jobs/s at \(hueyCount) jobs (SqliteHuey enqueue+dequeue+execute with result)")
            if let ours {
                print(String(format: "ratio vs huey at %d jobs: %.1fx (our lifecycle %d jobs/s over its first %d jobs)",
                             hueyCount, Double(ours) / Double(max(hueyRate, 1)), ours, hueyCount))
            } else {
                print("ratio vs huey: not computed (--huey-jobs \(hueyCount) is not a multiple of --slice \(slice))")
            }
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

    /// Workers lease and complete until `count` jobs are done, woken by the storage's own
    /// notifications (LISTEN/NOTIFY) as `pipeline-agent serve` wires them; returns the lease
    /// latencies (PostgreSQL's run, which does not print slices).
    func drain(_ storage: AgentStorage, until count: Int) async throws -> LatencySamples {
        let slices = try await drain(storage.queue, until: count, clock: SliceClock(size: slice), wakeUps: storage.wakeUps)
        return slices.reduce(into: LatencySamples()) { $0.append(contentsOf: $1) }
    }

    /// Workers lease and complete until `count` jobs are done, counting them on `done`;
    /// returns the lease latencies by the slice in which each lease started. A worker that
    /// finds nothing waits for one of `wakeUps` (the queue's own, as `pipeline-agent serve`
    /// wires them) or a 100 ms poll, as `WorkerService` does; without them it looks again
    /// after 1 ms.
    func drain(_ queue: some JobQueue, until count: Int, clock done: SliceClock,
               wakeUps: (@Sendable () -> AsyncStream<Void>)? = nil) async throws -> [LatencySamples] {
        let slices = (count + slice - 1) / slice
        let idle = IdleWorkers()
        let listener = wakeUps.map { wakeUps in
            Task { for await _ in wakeUps() { await idle.wakeAll() } }
        }
        defer { listener?.cancel() }
        return try await withThrowingTaskGroup(of: [LatencySamples].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var samples = Array(repeating: LatencySamples(), count: slices)
                    let clock = ContinuousClock()
                    while done.done < count {
                        let current = min(done.currentSlice, slices - 1)
                        let start = clock.now
                        let leased = try await queue.lease(batch: batch, ttl: .seconds(60), owner: "bench-\(worker)")
                        samples[current].append(clock.now - start)
                        if leased.isEmpty {
                            if wakeUps != nil { await idle.wait(timeout: .milliseconds(100)) } else { try await Task.sleep(for: .milliseconds(1)) }
                            continue
                        }
                        try await withThrowingTaskGroup(of: Void.self) { completions in
                            for job in leased { completions.addTask { try await queue.complete(job.lease, result: nil) } }
                            try await completions.waitForAll()
                        }
                        done.add(leased.count)
                        if done.done >= count { await idle.wakeAll() }
                    }
                    return samples
                }
            }
            var all = Array(repeating: LatencySamples(), count: slices)
            for try await samples in group {
                for (index, slice) in samples.enumerated() { all[index].append(contentsOf: slice) }
            }
            return all
        }
    }

    /// The process's CPU time and the database thread's, for the cost of each slice.
    private func costProbe(_ database: Database) -> @Sendable () -> SliceCost {
        {
            let cpu = ProcessUsage.cpuTime()
            let stats = database.statistics
            return SliceCost(processCPU: cpu.user + cpu.system, databaseCPU: stats.busy, writes: stats.writes)
        }
    }

    private func printSlices(_ phase: String, _ clock: SliceClock, _ rates: [SliceRate], _ latencies: [LatencySamples]) {
        let costs = clock.costs
        for (index, slice) in rates.enumerated() {
            let lease = latencies.indices.contains(index) ? latencies[index] : LatencySamples()
            var line = String(format: "  %@ slice %7d-%-7d %7d jobs/s   lease p50 %@, p99 %@", phase, slice.first, slice.first + slice.jobs,
                              slice.perSecond, lease.percentile(50).formattedMilliseconds, lease.percentile(99).formattedMilliseconds)
            if costs.indices.contains(index) {
                let cost = costs[index]
                line += String(format: "   CPU %.1f µs/job, database thread %.1f µs/write",
                               cost.processCPU.seconds * 1e6 / Double(slice.jobs),
                               cost.databaseCPU.seconds * 1e6 / Double(max(cost.writes, 1)))
            }
            print(line)
        }
        if rates.count > 1, let first = rates.first, let last = rates.last {
            var line = String(format: "  %@ last slice / first slice: %.2f", phase, Double(last.perSecond) / Double(max(first.perSecond, 1)))
            if costs.count > 1, let firstCost = costs.first, let lastCost = costs.last {
                line += String(format: " (rate), %.2f (CPU per job)", lastCost.processCPU.seconds / max(firstCost.processCPU.seconds, 1e-9))
            }
            print(line)
        }
    }

    /// A file's size in MB ("-" when it does not exist): the WAL must stay bounded by checkpoints.
    private func megabytes(_ path: String) -> String {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else { return "-" }
        return String(format: "%.1f MB", Double(size) / 1e6)
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

    private func runHuey(directory: URL, jobs: Int) -> Result<Int, CommandFailure> {
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
