import Foundation
import HTTPClient
import JSON
import Logging
import PostgresStore
import Queue
import Storage
import Testing
import TestSupport
import Worker

/// Several hosts, for real: network namespaces joined by a bridge (`NetworkLab`), PostgreSQL
/// on one, two ingest replicas and three workers on others, the peers (LiteLLM with the
/// scripted model, the Kubernetes MCP stand-in, gitea-mcp with the fake Gitea) on the test's
/// side of the bridge, reached from each worker host through a forwarder. 2,000 reports go to
/// both ingests, some of them duplicates; meanwhile one worker host dies (SIGKILL) mid-job and
/// another is cut off (`ip link set … down`) past its lease TTL, then comes back.
///
/// Root only and slow (minutes): runs when `AGENT_MULTIHOST_TEST=1` (scripts/test sets it).
@Suite(.serialized) struct MultiHostTests {
    static let enabled = ProcessInfo.processInfo.environment["AGENT_MULTIHOST_TEST"] == "1" && NetworkLab.isAvailable

    /// Failures that differ in more than numbers: one fingerprint (one issue) each.
    static let failures = [
        "TestParseConfig", "TestLoadCache", "TestDialDatabase", "TestRenderTemplate",
        "TestRetryBackoff", "TestSignToken", "TestMergeOptions", "TestWatchFiles",
    ]
    static let reports = 2000
    static let duplicates = 300
    static let leaseTTL = 8

    @Test(.enabled(if: MultiHostTests.enabled), .timeLimit(.minutes(20)))
    func replicasOnSeveralHostsSurviveAKilledWorkerAndACutLink() async throws {
        let started = ContinuousClock.now
        let workers = ["w1", "w2", "w3"]
        let lab = try await NetworkLab(hosts: ["db", "in1", "in2"] + workers)
        var children: [ChildProcess] = []
        do {
            try await run(lab, workers: workers, children: &children)
        } catch {
            children.forEach { $0.kill() }
            await lab.tearDown()
            throw error
        }
        children.forEach { $0.kill() }
        await lab.tearDown()
        print("multi-host test took \(ContinuousClock.now - started)")
    }

    private func run(_ lab: NetworkLab, workers: [String], children: inout [ChildProcess]) async throws {
        let server = try await PostgresCluster.start(in: lab, host: "db")
        try await PostgresCluster.psql(server, "CREATE DATABASE agent")
        let url = server.url("agent")

        let pods = (0..<(Self.reports - Self.duplicates)).map { "build-app-run\($0)-h\(UUID().uuidString.prefix(4).lowercased())-unit-tests-pod" }
        var fixtures: [String: String] = [:]
        for (index, pod) in pods.enumerated() {
            fixtures["ci/\(pod)"] = FailingLogs.goTestFailure(run: index, test: Self.failures[index % Self.failures.count])
        }
        let scenario = try await Scenario(pods: fixtures, database: url)
        // One model run per failure, and as many again for runs a dead or cut-off worker began.
        let run: [[String: Any]] = [
            ScriptedModel.toolCall("create_issue", ["title": IssueDraft.title, "body": IssueDraft.body(place: "ci")]),
            ScriptedModel.text("Filed the issue."),
        ]
        try await scenario.model.script(Array(repeating: run, count: Self.failures.count * 2).flatMap { $0 })

        // The peers listen on the test host's 127.0.0.1; forwarders carry them over the bridge
        // to each worker host's own 127.0.0.1 (same URLs, same Host headers).
        let ports = [scenario.peers.llm.proxy.port, scenario.peers.kubernetes.port, scenario.peers.giteaMCPPort].map(String.init)
        let forward = TestPeer.peersDirectory.appendingPathComponent("tcp_forward.py").path
        let gatewayForwarder = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", forward, "--listen", lab.gateway, "--connect", "127.0.0.1", "--ports"] + ports)
        children.append(gatewayForwarder)
        try await gatewayForwarder.waitForOutput("forwarding")
        for worker in workers {
            let forwarder = try lab.start(on: worker, ["/usr/bin/env", "python3", forward, "--listen", "127.0.0.1",
                                                         "--connect", lab.gateway, "--ports"] + ports)
            children.append(forwarder)
            try await forwarder.waitForOutput("forwarding")
        }

        let agent = try BuildProducts.executable("pipeline-agent").path
        let common = scenario.environment([
            "AGENT_DB": url, "AGENT_WORKER_CONCURRENCY": "8", "AGENT_LEASE_TTL_SECONDS": String(Self.leaseTTL),
            "AGENT_LEADER_TTL_SECONDS": "3", "AGENT_DB_POOL_SIZE": "10", "LOG_LEVEL": "notice",
        ])
        var ingests: [String] = []
        var ingestProcesses: [String: ChildProcess] = [:]
        for host in ["in1", "in2"] {
            var environment = common
            environment["AGENT_INGEST_HOST"] = lab.address(host)
            environment["PORT"] = "8000"
            let process = try lab.start(on: host, [agent, "ingest"], environment: environment)
            ingestProcesses[host] = process
            children.append(process)
            ingests.append("http://\(lab.address(host)):8000")
        }
        var workerProcesses: [String: ChildProcess] = [:]
        for worker in workers {
            var environment = common
            environment["AGENT_WORKER_ID"] = worker
            let process = try lab.start(on: worker, [agent, "worker"], environment: environment)
            workerProcesses[worker] = process
            children.append(process)
        }
        for ingest in ingests {
            _ = try await eventually("\(ingest) to answer /healthz", timeout: .seconds(90), every: .milliseconds(200)) {
                let response = try? await HTTPClient().send(HTTPRequest(url: ingest + "/healthz", timeout: .seconds(2)))
                return response?.status == 200 ? true : nil
            }
        }

        var logger = Logger(label: "multihost")
        logger.logLevel = .error
        let storage = try await AgentStorage.open(url, postgresSettings: PostgresSettings(poolSize: 2), logger: logger)
        defer { Task { await storage.shutdown() } }

        // Every pod once, the first `duplicates` twice; a pod's second report goes to the other
        // ingest. Shuffled, so duplicates meet both running and finished jobs.
        var sends: [(pod: String, ingest: Int)] = pods.enumerated().map { ($1, $0 % 2) }
        sends += pods.prefix(Self.duplicates).enumerated().map { ($1, 1 - $0 % 2) }
        sends.shuffle()

        async let chaos = disturb(lab, storage: storage)
        let answers = try await send(sends, to: ingests)
        let (killed, cut) = try await chaos

        let counts = try await eventually("every job to finish", timeout: .seconds(900), every: .seconds(1)) {
            let counts = try await storage.queue.stats().counts
            return (counts[.queued] ?? 0) + (counts[.running] ?? 0) == 0 ? counts : nil
        }
        let logs = workerProcesses.map { "\($0.key): \($0.value.stderr.suffix(1500))" }.joined(separator: "\n")

        // Every report ends in exactly one job, and every job succeeds.
        let refused = answers.filter { $0.refused > 0 }
        let ingestLogs = ingestProcesses.map { "\($0.key): \($0.value.stderr.suffix(3000))" }.joined(separator: "\n")
        if !refused.isEmpty {
            let errors = ingestProcesses.values.flatMap { $0.stderr.split(separator: "\n").filter { $0.contains("database error") } }
            print("multi-host test: \(refused.count) reports were refused (503) and sent again:\n\(errors.prefix(5).joined(separator: "\n"))")
        }
        #expect(answers.allSatisfy { $0.status == 202 || $0.status == 200 }, "\(answers.filter { $0.status >= 300 }.prefix(3))\n\(ingestLogs)")
        var jobsOfPod: [String: Set<Int64>] = [:]
        for answer in answers { jobsOfPod[answer.pod, default: []].insert(answer.job) }
        #expect(jobsOfPod.count == pods.count && jobsOfPod.values.allSatisfy { $0.count == 1 })
        #expect(Set(jobsOfPod.values.flatMap { $0 }).count == pods.count)
        #expect(counts == [.succeeded: pods.count], "\(counts)\n\(logs)")
        #expect(try await storage.queue.stats().totalReports == Self.reports)

        // The disturbances hit running jobs: theirs ended with an expired lease, then ran again.
        #expect(!killed.isEmpty && !cut.isEmpty)
        for id in killed + cut {
            let outcomes = try await storage.queue.attempts(jobID: id).map(\.outcome)
            #expect(outcomes.contains("lease_expired") && outcomes.last == "succeeded", "job \(id): \(outcomes)")
        }

        // Each fingerprint has one issue; every other job commented once.
        let issues = try await scenario.peers.issues(repo: scenario.repository)
        let groups = try await storage.groups.list(limit: 100)
        #expect(groups.count == Self.failures.count && issues.count == Self.failures.count)
        for group in groups {
            #expect(issues.filter { $0["body"]?.stringValue?.contains(Scenario.marker(group.fingerprint)) == true }.count == 1)
        }
        #expect(groups.map(\.occurrences).reduce(0, +) == pods.count)
        let base = "/api/v1/repos/\(EndToEndPeers.owner)/\(scenario.repository)/issues"
        let posts = try await scenario.peers.giteaRequests().filter { $0["method"] == "POST" }
        #expect(posts.filter { $0["path"]?.stringValue == base }.count == Self.failures.count)
        let comments = posts.filter { $0["path"]?.stringValue?.hasSuffix("/comments") == true }
            .compactMap { $0["body"]?["body"]?.stringValue }
        let markers = comments.compactMap { $0.firstMatch(of: /occurrence-job=(\d+)/).map { String($0.1) } }
        #expect(markers.count == comments.count)
        #expect(Set(markers).count == markers.count, "a comment was posted twice")
        // Every job without a comment recorded its fingerprint's issue (one per fingerprint);
        // any other is named with its attempts. (Two jobs once adopted their failure's issue
        // instead of commenting: a claim raced the creator's record; PostgresClaimRaceTests.)
        var uncommented: [String] = []
        for id in Set(jobsOfPod.values.flatMap { $0 }).subtracting(markers.compactMap { Int64($0) }).sorted() {
            let job = try await storage.queue.job(id: id)
            let attempts = try await storage.queue.attempts(jobID: id).map { "\($0.worker) \($0.outcome ?? "-") \($0.errorClass ?? "")" }
            uncommented.append("job \(id) (killed: \(killed.contains(id)), cut: \(cut.contains(id))): \(job?.result ?? "-") \(attempts)")
        }
        #expect(uncommented.count == Self.failures.count, "jobs without a comment:\n\(uncommented.joined(separator: "\n"))")
        #expect(comments.count == pods.count - Self.failures.count)
    }

    struct Answer: Sendable {
        let pod: String
        let status: Int
        let job: Int64
        /// 503 answers before this one.
        var refused = 0
    }

    /// Sends the reports, 16 at a time.
    private func send(_ sends: [(pod: String, ingest: Int)], to ingests: [String]) async throws -> [Answer] {
        try await withThrowingTaskGroup(of: Answer.self) { group in
            var answers: [Answer] = []
            var next = 0
            func add() {
                guard next < sends.count else { return }
                let (pod, ingest) = sends[next]
                next += 1
                group.addTask { try await Self.report(pod: pod, to: ingests[ingest]) }
            }
            for _ in 0..<16 { add() }
            while let answer = try await group.next() {
                answers.append(answer)
                add()
            }
            return answers
        }
    }

    /// One report, as the Tekton task sends it (`curl --retry 5`): a 503 (the database busy or
    /// out of reach; nothing stored) is sent again after its Retry-After, at most five times.
    private static func report(pod: String, to ingest: String) async throws -> Answer {
        let body = try JSONValue.object([
            "namespace": "ci", "pod_name": .string(pod), "container_name": .string(FailingLogs.container),
        ]).encoded()
        var refused = 0
        while true {
            let response = try await HTTPClient().send(HTTPRequest(
                method: "POST", url: ingest + "/report-failure", headers: ["Content-Type": "application/json"], body: body,
                timeout: .seconds(60)))
            if response.status == 503, refused < 5 {
                refused += 1
                try await Task.sleep(for: .seconds(min(Int(response.headers["Retry-After"] ?? "") ?? 1, 2)))
                continue
            }
            let id = (try? Scenario.jobID(response.headers["Location"])) ?? -1
            return Answer(pod: pod, status: response.status, job: id, refused: refused)
        }
    }

    /// Kills w1's host mid-job, then cuts w2's link until its jobs were taken back (past the
    /// lease TTL), then restores it. Returns the jobs each held.
    private func disturb(_ lab: NetworkLab, storage: AgentStorage) async throws -> (killed: [Int64], cut: [Int64]) {
        // The victims are the jobs still running under the worker once it is gone: it can
        // write nothing more about them.
        _ = try await runningJobs(of: "w1", storage: storage)
        try await lab.killProcesses(on: "w1")
        let killed = try await held(by: "w1", storage: storage)
        _ = try await runningJobs(of: "w2", storage: storage)
        try await lab.setLink("w2", up: false)
        let cutAt = ContinuousClock.now
        let cut = try await held(by: "w2", storage: storage)
        _ = try await eventually("w2's jobs to be taken back", timeout: .seconds(120), every: .milliseconds(500)) {
            let held = try await held(by: "w2", storage: storage)
            return held.isEmpty && ContinuousClock.now - cutAt > .seconds(Self.leaseTTL) ? true : nil
        }
        try await lab.setLink("w2", up: true)
        return (killed, cut)
    }

    /// Waits until `worker` runs jobs; returns them.
    private func runningJobs(of worker: String, storage: AgentStorage) async throws -> [Int64] {
        try await eventually("\(worker) to run jobs", timeout: .seconds(300), every: .milliseconds(100)) {
            let held = try await held(by: worker, storage: storage)
            return held.isEmpty ? nil : held
        }
    }

    private func held(by worker: String, storage: AgentStorage) async throws -> [Int64] {
        try await storage.queue.list(JobFilter(state: .running, limit: 1000)).jobs.filter { $0.leaseOwner == worker }.map(\.id)
    }
}
