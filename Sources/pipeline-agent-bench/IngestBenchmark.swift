import ArgumentParser
import CLI
import Foundation
import Hummingbird
import Ingest
import Logging
import PostgresStore
import Queue
import Store

/// `pipeline-agent-bench ingest`: HTTP throughput of `POST /report-failure` against a plain
/// route in the same server, measured with wrk over loopback. The plain route sits on the
/// ingest router (same middleware: metrics, request log, errors) and answers 202 without the
/// database, so the ratio is what validating and durably queueing a report costs.
struct IngestBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Measure the ingest server with wrk: a plain route vs POST /report-failure (distinct pods)."
    )

    static let plainPath = "/bench/plain"
    static let reportPath = "/report-failure"

    @Option(help: "Seconds wrk runs against each route.")
    var seconds = 10

    @Option(help: "wrk connections.")
    var connections = 32

    @Option(help: "wrk threads.")
    var threads = 2

    @Option(help: "PRAGMA synchronous: FULL (fsync per commit) or NORMAL.")
    var synchronous = "FULL"

    @Option(help: "Directory for the temporary database and wrk files (default: system temp dir).")
    var directory: String?

    @Option(help: "The wrk executable.")
    var wrk = "wrk"

    @Option(help: "A postgres:// URL: also run the report route on the PostgreSQL queue (a fresh database on that server, dropped afterwards), printed beside SQLite's.")
    var db: String?

    @Option(help: "PostgreSQL connections of the ingest server with --db (AGENT_DB_POOL_SIZE; its default is 10).")
    var poolSize = 10

    @Option(help: "With --db: reports in one enqueue statement at most (PostgreSQL group commit).")
    var enqueueBatch = PostgresSettings().enqueueBatchSize

    @Option(help: "With --db: enqueue statements in flight at most; reports arriving meanwhile wait for the next batch.")
    var enqueueInFlight = PostgresSettings().enqueueBatchesInFlight

    @OptionGroup var walWarmUp: WALWarmUp

    @Flag(help: "Also run the report route with the enqueue cut short (answered in memory; handed to the database thread without SQL) to show where its cost goes.")
    var breakdown = false

    func validate() throws {
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds is 1...600") }
        guard connections > 0, threads > 0, threads <= connections else {
            throw ValidationError("--connections and --threads must be positive, threads ≤ connections")
        }
        guard SynchronousMode(rawValue: synchronous.uppercased()) != nil else { throw ValidationError("--synchronous is FULL or NORMAL") }
        guard (1...1000).contains(poolSize) else { throw ValidationError("--pool-size is 1...1000") }
        guard (1...10_000).contains(enqueueBatch), (1...poolSize).contains(enqueueInFlight) else {
            throw ValidationError("--enqueue-batch is 1...10000, --enqueue-in-flight 1...--pool-size")
        }
    }

    func run() async throws {
        let base = URL(fileURLWithPath: directory ?? FileManager.default.temporaryDirectory.path)
            .appending(path: "pipeline-agent-bench-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let mode = SynchronousMode(rawValue: synchronous.uppercased())!
        let database = try Database.open(path: base.appending(path: "ingest.sqlite").path,
                                         options: ConnectionOptions(synchronous: mode))
        let queue = StagedEnqueueQueue(inner: SQLiteJobQueue(database: database))
        let script = base.appending(path: "distinct-pods.lua")
        try WrkRun.distinctPodsScript.write(to: script, atomically: true, encoding: .utf8)

        let reports = SuccessCounter()
        // The server runs until the process exits: cancelling it only adds a shutdown error log.
        let port = try await start(queue: queue, readiness: { try await database.checkSchema() }, reports: reports)
        print("ingest benchmark: wrk -t\(threads) -c\(connections) -d\(seconds)s, 127.0.0.1:\(port), synchronous=\(mode.rawValue), WAL")

        // The server's own CPU (this process; wrk is a child) per request: unlike req/s, it hardly
        // changes when other work competes for the cores.
        let measure = { (path: String) -> (WrkRun, Duration) in
            let before = ProcessUsage.cpuTime()
            let run = try await WrkRun.run(wrk: wrk, url: "http://127.0.0.1:\(port)\(path)", script: script.path,
                                           connections: connections, threads: threads, seconds: seconds, directory: base)
            let after = ProcessUsage.cpuTime()
            let cpu = (after.user - before.user) + (after.system - before.system)
            return (run, cpu / max(run.requests, 1))
        }
        let (plain, plainCPU) = try await measure(Self.plainPath)
        report("plain    POST \(Self.plainPath)", plain, cpu: plainCPU)
        let (ingest, ingestCPU) = try await measure(Self.reportPath)
        let stats = database.statistics
        report("ingest   POST \(Self.reportPath)", ingest, cpu: ingestCPU)
        print(String(format: "ratio ingest/plain: %.2f (server CPU per request: %.2fx)",
                     ingest.requestsPerSecond / max(plain.requestsPerSecond, 1e-9),
                     ingestCPU.seconds / max(plainCPU.seconds, 1e-12)))

        // Jobs are committed before the 2xx is sent, so the database must hold exactly one job
        // per 2xx the server produced; wrk saw those minus the ones in flight at its deadline.
        let jobs = try await settledJobCount(queue, answers: reports)
        print("jobs in database: \(jobs); 2xx answers sent by the server: \(reports.value); 2xx received by wrk: \(ingest.successes)")
        print(String(format: "group commit: %d writes in %d commits, %.1f per commit; database thread CPU %.1f µs per write",
                     stats.writes, stats.commits, Double(stats.writes) / Double(max(stats.commits, 1)),
                     stats.busy.seconds * 1e6 / Double(max(stats.writes, 1))))
        guard jobs == reports.value, ingest.successes <= jobs, jobs - ingest.successes <= connections else {
            throw CommandFailure("job count \(jobs) does not match the 2xx answers (server \(reports.value), wrk \(ingest.successes))")
        }
        print("check: jobs == 2xx answers: ok")
        if let db { try await measurePostgres(db, script: script, directory: base) }
        guard breakdown else { return }

        let template = try await queue.inner.enqueue(NewJob(namespace: "bench", pod: "breakdown"))
        print("breakdown: the report route with the enqueue cut short (same wrk load; full enqueue above)")
        for (stage, name) in [(StagedEnqueueQueue.Stage.inMemory, "answered in memory"), (.handOff, "database hand-off, no SQL")] {
            queue.use(stage, answering: template)
            let (run, cpu) = try await measure(Self.reportPath)
            report("  \(name)", run, cpu: cpu)
        }
    }

    /// Starts the server on 127.0.0.1, port chosen by the kernel; returns the port.
    private func start(queue: any JobQueue, readiness: @escaping @Sendable () async throws -> Void,
                       reports: SuccessCounter) async throws -> Int {
        let server = IngestServer(
            queue: queue, configuration: IngestConfiguration(host: "127.0.0.1", port: 0), readiness: readiness)
        let router = server.router()
        router.post(RouterPath(Self.plainPath)) { request, _ -> Response in
            // Reads the body like the report route does, then answers without the database.
            var request = request
            _ = try await request.collectBody(upTo: 64 * 1024)
            return Response(status: .accepted, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"job_id":0,"status":"queued"}"#)))
        }
        var logger = Logger(label: "pipeline-agent-bench.ingest")
        logger.logLevel = .error
        let bound = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            responder: SuccessCountingResponder(inner: router.buildResponder(), path: Self.reportPath, counter: reports),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "pipeline-agent"),
            onServerRunning: { channel in bound.continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let task = Task { try await application.run() }
        var ports = bound.stream.makeAsyncIterator()
        guard let port = await ports.next(), port > 0 else {
            task.cancel()
            throw CommandFailure("the ingest server did not start")
        }
        return port
    }

    /// The report route on PostgreSQL: a second server on the same port range, same wrk load.
    private func measurePostgres(_ url: String, script: URL, directory: URL) async throws {
        let databases = try BenchDatabases(url: url)
        do {
            try await walWarmUp.run(databases)
            let storage = try await databases.storage("ingest", settings: PostgresSettings(
                poolSize: poolSize, enqueueBatchSize: enqueueBatch, enqueueBatchesInFlight: enqueueInFlight))
            let reports = SuccessCounter()
            let port = try await start(queue: storage.queue, readiness: storage.checkSchema, reports: reports)
            let fsync = try await databases.setting("fsync")
            let synchronousCommit = try await databases.setting("synchronous_commit")
            let before = ProcessUsage.cpuTime()
            let run = try await WrkRun.run(wrk: wrk, url: "http://127.0.0.1:\(port)\(Self.reportPath)", script: script.path,
                                           connections: connections, threads: threads, seconds: seconds, directory: directory)
            let after = ProcessUsage.cpuTime()
            report("ingest   POST \(Self.reportPath) on PostgreSQL (pool \(poolSize), fsync=\(fsync), synchronous_commit=\(synchronousCommit), "
                   + "\(ProcessInfo.processInfo.activeProcessorCount) cores shared with the server)",
                   run, cpu: ((after.user - before.user) + (after.system - before.system)) / max(run.requests, 1))
            let jobs = try await settledJobCount(storage.queue, answers: reports)
            if let queue = storage.queue as? PostgresJobQueue {
                let batches = await queue.enqueueStatistics()
                print(String(format: "group commit: %d reports in %d statements, %.1f per statement (largest %d; at most %d per statement, %d in flight)",
                             batches.requests, batches.batches, batches.averageBatch, batches.largestBatch, enqueueBatch, enqueueInFlight))
            }
            await storage.shutdown()
            print("jobs in PostgreSQL: \(jobs); 2xx answers sent by the server: \(reports.value); 2xx received by wrk: \(run.successes)")
            guard jobs == reports.value else {
                throw CommandFailure("PostgreSQL job count \(jobs) does not match the 2xx answers (\(reports.value))")
            }
            print("check: PostgreSQL jobs == 2xx answers: ok")
        } catch {
            await databases.dropAll()
            throw error
        }
        await databases.dropAll()
    }

    /// The jobs in `queue` once the server's answers stopped changing: requests wrk gave up on
    /// at its deadline may still be committed and answered after it exits (a job is committed
    /// before its 2xx is counted), so a count taken at once can be one job ahead.
    private func settledJobCount(_ queue: any JobQueue, answers: SuccessCounter) async throws -> Int {
        var jobs = 0
        for _ in 0..<50 {
            let answered = answers.value
            jobs = try await queue.stats().total
            if jobs == answered, answers.value == answered { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return jobs
    }

    private func report(_ name: String, _ run: WrkRun, cpu: Duration) {
        var line = String(format: "%@: %.0f req/s, p50 %@, p99 %@, %d requests, %d non-2xx, server CPU %.1f µs/request",
                          name, run.requestsPerSecond, run.p50.formattedMilliseconds, run.p99.formattedMilliseconds,
                          run.requests, run.non2xx, cpu.seconds * 1e6)
        if let errors = run.socketErrors { line += ", socket errors: \(errors)" }
        print(line)
    }
}
