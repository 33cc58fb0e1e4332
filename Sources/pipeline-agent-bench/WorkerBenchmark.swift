import Agent
import ArgumentParser
import CLI
import Foundation
import LLMClient
import Logging
import MCPClient
import HTTPClient
import Queue
import Store
import Worker

/// `pipeline-agent-bench worker`: the real worker in-process (WorkerService running the
/// FailureAnalysisHandler with the agent as author, wired as `pipeline-agent worker` wires it)
/// against Python peers: N failed pods with distinct failures, a scripted model answering each
/// conversation after a fixed delay, gitea-mcp over the fake Gitea. Prints throughput, peak RSS
/// and the per-job overhead once model and MCP latency are taken out.
struct WorkerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Measure the worker: N distinct failures, scripted model with a fixed delay, all jobs in flight at once."
    )

    static let modelName = "pipeline-bench"

    @Option(help: "Jobs (failed pods, each with its own failure).")
    var jobs = 200

    @Option(help: "Worker concurrency: jobs in flight at once.")
    var concurrency = 200

    @Option(help: "Seconds the scripted model waits before each answer.")
    var modelDelay = 1.0

    @Option(help: "Log lines per pod before its failure lines.")
    var logLines = 200

    @Option(help: "Seconds allowed for all jobs to finish.")
    var timeout = 90

    @Option(help: "Directory of the Python peers (scripted_model.py, kube_mcp_server.py, …).")
    var peersDir = "Tests/peers"

    @Option(help: "Worker log level (error keeps the output to the figures).")
    var logLevel = "error"

    @Flag(help: "Keep the temporary directory (database, fixture, peer logs) and print its path.")
    var keep = false

    func validate() throws {
        guard (1...10_000).contains(jobs) else { throw ValidationError("--jobs is 1...10000") }
        guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency is 1...1000") }
        guard modelDelay >= 0, modelDelay <= 30 else { throw ValidationError("--model-delay is 0...30 seconds") }
        guard (1...600).contains(timeout) else { throw ValidationError("--timeout is 1...600 seconds") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level is trace, debug, info, notice, warning, error or critical") }
    }

    func run() async throws {
        #if DEBUG
        print("warning: debug build; measure with `swift build -c release --product pipeline-agent-bench`")
        #endif
        let peersDirectory = URL(fileURLWithPath: peersDir).standardizedFileURL
        guard FileManager.default.fileExists(atPath: peersDirectory.appending(path: "scripted_model.py").path) else {
            throw CommandFailure("no scripted_model.py in \(peersDirectory.path): run from the repository root or pass --peers-dir")
        }
        let base = FileManager.default.temporaryDirectory.appending(path: "pipeline-agent-bench-worker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer {
            if keep { print("kept: \(base.path)") } else { try? FileManager.default.removeItem(at: base) }
        }

        let fixture = FailureFixture(count: jobs, logLines: logLines)
        let fixturePath = base.appending(path: "pods.json").path
        try fixture.json().write(to: URL(fileURLWithPath: fixturePath))
        let peers = try await WorkerBenchPeers.start(peersDirectory: peersDirectory, fixturesPath: fixturePath, logDirectory: base)
        defer { peers.killAll() }
        try await peers.scriptModel(Self.modelName, answers: jobs, delay: .milliseconds(Int(modelDelay * 1000)))

        let database = try Database.open(path: base.appending(path: "agent.sqlite").path)
        let queue = SQLiteJobQueue(database: database)
        for index in 0..<jobs {
            _ = try await queue.enqueue(NewJob(namespace: FailureFixture.namespace, pod: fixture.pod(index),
                                               container: FailureFixture.container, task: "unit-tests"))
        }
        print("worker benchmark: \(jobs) jobs, concurrency \(concurrency), scripted model answers after \(modelDelay) s "
              + "with a final text (the worker files the issue), scripted_model.py as the endpoint (no LiteLLM), "
              + "Kubernetes MCP over SSE, gitea-mcp over streamable HTTP, \(logLines + 4) log lines per pod")

        let timing = Timing()
        let worker = makeWorker(queue: queue, database: database, peers: peers, timing: timing)

        let baselineRSS = ProcessUsage.statusKilobytes("VmRSS") ?? 0
        let peakReset = ProcessUsage.resetPeakResidentSize()
        let cpuBefore = ProcessUsage.cpuTime()
        let peersBefore = peers.cpuTimes()
        let start = ContinuousClock.now
        let running = Task { try await worker.run() }
        var peakThreads = 0
        let finished = try await waitUntilFinished(queue, deadline: start + .seconds(timeout), peakThreads: &peakThreads)
        let wall = ContinuousClock.now - start
        let cpuAfter = ProcessUsage.cpuTime()
        let peersAfter = peers.cpuTimes()
        let peakRSS = ProcessUsage.statusKilobytes("VmHWM") ?? 0
        let rssAtEnd = ProcessUsage.statusKilobytes("VmRSS") ?? 0
        let anonAtEnd = ProcessUsage.statusKilobytes("RssAnon") ?? 0
        let fileAtEnd = ProcessUsage.statusKilobytes("RssFile") ?? 0
        let counts = try await queue.stats().counts
        worker.stop()
        try await withTimeout(.seconds(10), "the worker did not stop") { try await running.value }

        let succeeded = counts[.succeeded] ?? 0
        print("jobs: \(succeeded) succeeded" + counts.filter { $0.key != .succeeded }.map { ", \($0.value) \($0.key.rawValue)" }.joined()
              + (finished ? "" : " (timed out after \(timeout) s)"))
        print(String(format: "wall time: %.3f s (worker start to last job finished, readiness check included)", wall.seconds))
        print(String(format: "throughput: %.1f jobs/s", Double(succeeded) / max(wall.seconds, 1e-9)))
        print(String(format: "memory: RSS before the run %.1f MB; peak RSS during the run (VmHWM%@) %.1f MB; difference %.1f MB; RSS at the end %.1f MB",
                     mb(baselineRSS), peakReset ? ", reset before the run" : " since process start, reset refused",
                     mb(peakRSS), mb(peakRSS - baselineRSS), mb(rssAtEnd)))
        print(String(format: "memory at the end: %.1f MB anonymous (heap, stacks), %.1f MB file-backed (binary and shared libraries)",
                     mb(anonAtEnd), mb(fileAtEnd)))
        print("threads: \(peakThreads) at most (sampled every 20 ms)")

        let n = Double(max(jobs, 1))
        let user = cpuAfter.user - cpuBefore.user
        let system = cpuAfter.system - cpuBefore.system
        print(String(format: "CPU per job: %.2f ms (user %.2f + sys %.2f ms; process total %.2f s over %d jobs, all threads)",
                     (user + system).seconds * 1000 / n, user.seconds * 1000 / n, system.seconds * 1000 / n,
                     (user + system).seconds, jobs))
        let handlerMean = timing.handler.mean
        let modelPerJob = timing.model.total / max(jobs, 1)
        let mcpPerJob = timing.mcp.total / max(jobs, 1)
        print(String(format: "model: %d calls (%d failed), mean %.1f ms, %.1f ms per job",
                     timing.model.count, timing.model.failures, ms(timing.model.mean), ms(modelPerJob)))
        print(String(format: "MCP: %d requests (%d failed), mean %.1f ms, %.1f ms per job",
                     timing.mcp.count, timing.mcp.failures, ms(timing.mcp.mean), ms(mcpPerJob)))
        print(String(format: "handler wall time per job: %.1f ms mean; minus model and MCP: %.1f ms per job "
                     + "(wall-based overhead at concurrency %d on this machine: includes waiting for a core)",
                     ms(handlerMean), ms(handlerMean - modelPerJob - mcpPerJob), concurrency))
        let peerCPU = zip(peersBefore, peersAfter).map { before, after in
            String(format: "%@ %.2f s", before.0, (after.1 - before.1).seconds)
        }
        print(String(format: "machine: %d cores; peers' CPU during the run: ", ProcessInfo.processInfo.activeProcessorCount)
              + peerCPU.joined(separator: ", "))
        print("peers: scripted model received \(try await peers.modelRequests()) chat requests; fake Gitea holds \(try await peers.issues()) issues")
        guard finished, succeeded == jobs else {
            throw CommandFailure("not every job succeeded; rerun with --log-level warning --keep to see why")
        }
    }

    /// The three clocks the figures need: handler runs, model calls, MCP requests.
    struct Timing: Sendable {
        let handler = LatencyTotal()
        let model = LatencyTotal()
        let mcp = LatencyTotal()
    }

    /// WorkerAssembly's wiring, with timed model and MCP transports and a timed handler.
    private func makeWorker(queue: SQLiteJobQueue, database: Database, peers: WorkerBenchPeers, timing: Timing) -> WorkerService {
        var logger = Logger(label: "pipeline-agent-bench.worker")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .error
        let timeouts = MCPTimeouts(connect: .seconds(5), request: .seconds(30))
        let kubernetes = timedClient(peers.kubernetesConfiguration(timeouts: timeouts), timing.mcp)
        let gitea = timedClient(peers.giteaConfiguration(timeouts: timeouts), timing.mcp)
        let repository = IssueRepository(owner: WorkerBenchPeers.owner, repo: WorkerBenchPeers.repo)
        let llm = LLMConfiguration(baseURL: peers.model.baseURL + "/v1", model: Self.modelName,
                                   connectTimeout: .seconds(5), requestTimeout: .seconds(30))
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(kubernetes: kubernetes, tailLines: 5000),
            groups: SQLiteFailureGroupStore(database: database),
            tracker: GiteaIssueTracker(client: gitea, owner: repository.owner, repo: repository.repo),
            author: AgentIssueAuthor(
                model: TimedChatModel(inner: OpenAIChatClient(configuration: llm), latency: timing.model),
                servers: [kubernetes, gitea],
                configuration: AgentConfiguration(policy: ToolPolicy(repository: repository), toolTimeout: .seconds(30)),
                transcripts: SQLiteTranscriptStore(database: database), logger: logger),
            excerptBudgetTokens: 2000, queue: queue)
        return WorkerService(
            queue: queue, handler: TimedJobHandler(inner: handler, latency: timing.handler),
            configuration: WorkerConfiguration(concurrency: concurrency, leaseTTL: .seconds(60), shutdownGrace: .seconds(5), owner: "bench"),
            logger: logger,
            readiness: {
                _ = try await kubernetes.listTools()
                _ = try await gitea.listTools()
            })
    }

    /// An MCP client as `MCPClient(configuration:)` builds it, with its transport timed.
    private func timedClient(_ configuration: MCPServerConfiguration, _ latency: LatencyTotal) -> MCPClient {
        var http = HTTPClientConfiguration()
        http.connectTimeout = configuration.timeouts.connect
        http.timeout = configuration.timeouts.request
        http.maxResponseBytes = configuration.maxMessageBytes
        let client = HTTPClient(configuration: http)
        let transport: any MCPTransport = switch configuration.transport {
        case .sse: SSETransport(configuration: configuration, http: client)
        case .streamableHTTP: StreamableHTTPTransport(configuration: configuration, http: client)
        }
        return MCPClient(configuration: configuration, transport: TimedMCPTransport(inner: transport, latency: latency))
    }

    /// True once no job is queued or running; false at the deadline. Samples the process's
    /// thread count meanwhile (each HTTPClient drives its transfers from one thread).
    private func waitUntilFinished(_ queue: SQLiteJobQueue, deadline: ContinuousClock.Instant,
                                   peakThreads: inout Int) async throws -> Bool {
        while ContinuousClock.now < deadline {
            peakThreads = max(peakThreads, ProcessUsage.statusNumber("Threads") ?? 0)
            let counts = try await queue.stats().counts
            if (counts[.queued] ?? 0) + (counts[.running] ?? 0) == 0 { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    private func withTimeout(_ limit: Duration, _ message: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await body(); return true }
            group.addTask { try await Task.sleep(for: limit); return false }
            let done = try await group.next() ?? false
            group.cancelAll()
            if !done { throw CommandFailure(message) }
        }
    }

    private func mb(_ kilobytes: Int) -> Double { Double(kilobytes) / 1024 }
    private func ms(_ duration: Duration) -> Double { duration.seconds * 1000 }
}
