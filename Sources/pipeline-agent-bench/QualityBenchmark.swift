import Agent
import Analysis
import ArgumentParser
import CLI
import Foundation
import HTTPClient
import JSON
import LLMClient
import Logging
import MCPClient
import Queue
import Store
import Worker

/// `pipeline-agent-bench quality --cases DIR`: the worker (evidence, excerpt, agent, gates,
/// fallback) over failed-pod fixtures with labeled key lines, against the Kubernetes stand-in
/// and gitea-mcp, and scores every issue it files. The model is `LITELLM_URL` (with
/// `LITELLM_MODEL`, `LITELLM_API_KEY`, `LITELLM_CONTEXT_TOKENS`) when `--endpoint env`, else
/// the scripted model in one of its modes (what CI runs).
///
/// A case is `NAME.log` (the step's log) and `NAME.json`: `{"task", "key_lines": [...],
/// "title_tokens": [...]}`. Scores: the issue is in the configured repository; its title names
/// the failure (holds a title token, case-insensitive); its body quotes a key line; it has the
/// four sections; nothing of the prompt's template or of the former example leaked into it.
struct QualityBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality", abstract: "Score the issues the agent files for failed-pod fixtures with labeled key lines.")

    @Option(help: "Directory of cases: NAME.log and NAME.json.")
    var cases: String

    @Option(help: "Model: 'env' (LITELLM_URL, LITELLM_MODEL, LITELLM_API_KEY), or a scripted-model mode: quote, copy, bogus, fence.")
    var endpoint = "quote"

    @Option(help: "Directory of the Python peers.")
    var peersDir = "Tests/peers"

    @Option(help: "Seconds allowed per case.")
    var timeout = 300

    /// Words the former prompt example held, and the template's placeholders: none may reach an issue.
    static let leaks = ["package-lock.json", "release-pipeline-run-q4m8z", "left-pad", "Title:"] + AgentPrompt.placeholders

    struct Case {
        let name: String
        let log: String
        let task: String
        let keyLines: [String]
        let titleTokens: [String]
        var pod: String { "\(name)-run-q1x2z-\(task)-pod" }
    }

    func loadCases() throws -> [Case] {
        let directory = URL(fileURLWithPath: cases)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
        guard !names.isEmpty else { throw CommandFailure("no NAME.json cases in \(cases)") }
        return try names.map { name in
            let label = try JSONValue.decode(try Data(contentsOf: directory.appending(path: name + ".json")))
            let log = try String(contentsOf: directory.appending(path: name + ".log"), encoding: .utf8)
            return Case(name: name, log: log, task: label["task"]?.stringValue ?? "build",
                        keyLines: label["key_lines"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                        titleTokens: label["title_tokens"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }

    func run() async throws {
        let all = try loadCases()
        let peersDirectory = URL(fileURLWithPath: peersDir).standardizedFileURL
        let base = FileManager.default.temporaryDirectory.appending(path: "pipeline-agent-bench-quality-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        var pods: [String: Any] = [:]
        for item in all {
            pods["ci/\(item.pod)"] = ["phase": "Failed", "containers": ["step-\(item.task)": ["log": item.log]]]
        }
        let fixturePath = base.appending(path: "pods.json").path
        try JSONSerialization.data(withJSONObject: ["pods": pods, "events": [:]]).write(to: URL(fileURLWithPath: fixturePath))
        let peers = try await WorkerBenchPeers.start(peersDirectory: peersDirectory, fixturesPath: fixturePath, logDirectory: base)
        defer { peers.killAll() }

        let environment = ProcessInfo.processInfo.environment
        let llm: LLMConfiguration
        var contextTokens = environment["LITELLM_CONTEXT_TOKENS"].flatMap(Int.init)
        if endpoint == "env" {
            llm = try LLMConfiguration.fromEnvironment(environment)
        } else {
            let steps: [String: JSONValue] = [
                "quote": ["quote_evidence": true], "copy": ["copy_example": true], "bogus": ["bogus_call": true],
                "fence": ["copy_example": true, "fence": "markdown"],
            ]
            guard let step = steps[endpoint] else { throw ValidationError("--endpoint is env, quote, copy, bogus or fence") }
            llm = LLMConfiguration(baseURL: peers.model.baseURL + "/v1", model: "quality-\(endpoint)", requestTimeout: .seconds(30))
            try await peers.script(.object(["model": .string(llm.model), "steps": [step], "repeat": true]))
            contextTokens = contextTokens ?? 4096
        }
        var logger = Logger(label: "pipeline-agent-bench.quality")
        logger.logLevel = .error
        let timeouts = MCPTimeouts(connect: .seconds(5), request: .seconds(60))
        let kubernetes = MCPClient(configuration: peers.kubernetesConfiguration(timeouts: timeouts))
        let gitea = MCPClient(configuration: peers.giteaConfiguration(timeouts: timeouts))
        let database = try Database.open(path: base.appending(path: "agent.sqlite").path)
        let queue = SQLiteJobQueue(database: database)
        let repository = IssueRepository(owner: WorkerBenchPeers.owner, repo: WorkerBenchPeers.repo)
        let chat = OpenAIChatClient(configuration: llm)
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(kubernetes: kubernetes),
            groups: SQLiteFailureGroupStore(database: database),
            tracker: GiteaIssueTracker(client: gitea, owner: repository.owner, repo: repository.repo),
            author: AgentIssueAuthor(
                model: chat, servers: [kubernetes, gitea],
                configuration: AgentConfiguration(policy: ToolPolicy(repository: repository)),
                transcripts: SQLiteTranscriptStore(database: database), logger: logger,
                contextWindow: ContextWindow(fixed: contextTokens, lookup: { await chat.reportedContextTokens() })))

        print("quality benchmark: \(all.count) cases from \(cases), model \(endpoint == "env" ? "\(llm.model) at \(llm.baseURL)" : "scripted (\(endpoint))")")
        var table = TextTable(headers: ["case", "analysis", "repo", "title", "key line", "sections", "no leak", "tokens", "seconds"])
        var passed = 0
        for item in all {
            let job = try await queue.enqueue(NewJob(namespace: "ci", pod: item.pod, container: "step-\(item.task)", task: item.task)).job
            let started = ContinuousClock.now
            let worker = WorkerService(queue: queue, handler: handler, configuration: WorkerConfiguration(
                concurrency: 1, leaseTTL: .seconds(120), pollInterval: .milliseconds(50), owner: "quality"), logger: logger)
            let running = Task { try await worker.run() }
            var done = try await queue.job(id: job.id)
            while ContinuousClock.now - started < .seconds(timeout), done?.state == .queued || done?.state == .running {
                try await Task.sleep(for: .milliseconds(100))
                done = try await queue.job(id: job.id)
            }
            worker.stop()
            try await running.value
            let seconds = (ContinuousClock.now - started).seconds
            let tokens = try await database.read { db in
                try db.query("SELECT coalesce(sum(tokens_in), 0) + coalesce(sum(tokens_out), 0) FROM transcript_entries WHERE job_id = ?",
                             [job.id]) { $0.int(0) }
            }.first ?? 0
            let result = (try? JSONValue.decode(Data((done?.result ?? "").utf8))) ?? .null
            guard let number = result["issue_number"]?.intValue, let issue = try await peers.issue(number) else {
                table.append([item.name, done?.state.rawValue ?? "?", "-", "-", "-", "-", "-", "\(tokens)", String(format: "%.1f", seconds)])
                continue
            }
            let title = issue["title"]?.stringValue ?? ""
            let body = issue["body"]?.stringValue ?? ""
            let scores = [
                result["issue_url"]?.stringValue?.contains("/\(repository.owner)/\(repository.repo)/issues/") == true,
                item.titleTokens.contains { title.localizedCaseInsensitiveContains($0) },
                item.keyLines.contains { body.contains($0) },
                AgentPrompt.sections.allSatisfy { body.contains("## \($0)") },
                !Self.leaks.contains { title.contains($0) || body.contains($0) },
            ]
            if scores.allSatisfy({ $0 }) { passed += 1 }
            table.append([item.name, result["analysis"]?.stringValue ?? "?"] + scores.map { $0 ? "yes" : "NO" }
                         + ["\(tokens)", String(format: "%.1f", seconds)])
        }
        print(table.render(width: 120))
        print("\(passed) of \(all.count) issues pass every check")
    }
}
