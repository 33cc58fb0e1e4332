import CLI
import Foundation
import Queue
import Storage

/// `pipeline-agent-bench queue --db postgres://…`: the PostgreSQL queue on that server, then
/// PgQueuer (scripts/bench/pgqueuer_lifecycle.py) on the same server in the same run, each in
/// a fresh database, with the server's durability settings as they are (printed).
extension QueueBenchmark {
    func runPostgres(_ url: String) async throws {
        let databases = try BenchDatabases(url: url)
        do {
            try await measurePostgres(databases)
        } catch {
            await databases.dropAll()
            throw error
        }
        await databases.dropAll()
    }

    private func measurePostgres(_ databases: BenchDatabases) async throws {
        let fsync = try await databases.setting("fsync")
        let synchronousCommit = try await databases.setting("synchronous_commit")
        print("queue benchmark (PostgreSQL \(databases.server.host):\(databases.server.port)): \(jobs) jobs, fsync=\(fsync), "
              + "synchronous_commit=\(synchronousCommit), \(concurrency) concurrent callers, \(workers) workers × batch \(batch), "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores (client and server on one machine)")

        try await walWarmUp.run(databases)
        let phases = try await databases.storage("phases", poolSize: concurrency)
        let enqueueTime = try await measure { try await enqueueAll(phases.queue, prefix: "a") }
        print("enqueue: \(rate(jobs, enqueueTime)) jobs/s")
        var latencies = LatencySamples()
        let drainTime = try await measure { latencies = try await drain(phases, until: jobs) }
        print("lease+complete: \(rate(jobs, drainTime)) jobs/s")
        print("lease latency: p50 \(latencies.percentile(50).formattedMilliseconds), p99 \(latencies.percentile(99).formattedMilliseconds)")
        await phases.shutdown()

        let lifecycle = try await databases.storage("lifecycle", poolSize: concurrency)
        var lifecycleLatencies = LatencySamples()
        let lifecycleTime = try await measure {
            async let produced: Void = enqueueAll(lifecycle.queue, prefix: "b")
            async let consumed = drain(lifecycle, until: jobs)
            (_, lifecycleLatencies) = try await (produced, consumed)
        }
        await lifecycle.shutdown()
        let lifecycleRate = rate(jobs, lifecycleTime)
        let ourP99 = lifecycleLatencies.percentile(99)
        print("lifecycle: \(lifecycleRate) jobs/s (enqueue+lease+complete, concurrent), lease p99 \(ourP99.formattedMilliseconds)")

        guard FileManager.default.fileExists(atPath: pgqueuerScript) else {
            print("pgqueuer: skipped (\(pgqueuerScript) not found)")
            return
        }
        let target = try await databases.create("pgqueuer")
        let output = try runPython(pgqueuerScript, [
            "--dsn", target.libpqURL, "--jobs", String(jobs), "--concurrency", String(concurrency),
            "--workers", String(workers), "--batch", String(batch),
        ])
        guard let line = output.split(separator: "\n").last,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let theirs = object["lifecycle"] as? Int else {
            print("pgqueuer: skipped (\(output.split(separator: "\n").last ?? "no output"))")
            return
        }
        let version = object["version"] as? String ?? "?"
        let theirP99 = object["dequeue_p99_ms"] as? Double ?? 0
        print(String(format: "pgqueuer %@ lifecycle: %d jobs/s (enqueue+dequeue+log, concurrent), dequeue p99 %.2f ms",
                     version, theirs, theirP99))
        print(String(format: "ratio vs pgqueuer: %.2fx lifecycle; lease p99 %.2f ms vs dequeue p99 %.2f ms",
                     Double(lifecycleRate) / Double(max(theirs, 1)), ourP99.seconds * 1000, theirP99))
    }

    /// Runs `python3 script arguments`; returns its output (stdout and stderr).
    private func runPython(_ script: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
