import Agent
import Foundation
import LLMClient
import HTTPClient
import Ingest
import Logging
import Queue
import PostgresStore
import Storage
import Testing
import TestSupport
import Worker
@testable import WebUI

/// The databases the page tests run on: the UI reads through the storage seams only.
enum UIDriver: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }
}

/// A database filled through the production drivers, and the UI over it — rendered in process,
/// or served by a real ingest server on 127.0.0.1.
final class UIFixture: Sendable {
    let directory = TemporaryDirectory()
    let storage: AgentStorage

    static let queueConfiguration = QueueConfiguration(retryPolicy: RetryPolicy(base: .zero, cap: .zero, jitter: 0, maxAttempts: 2))

    /// A fresh SQLite file.
    init() throws {
        storage = try AgentStorage.sqlite(path: directory.path("agent.sqlite"), queueConfiguration: Self.queueConfiguration)
    }

    private init(storage: AgentStorage) {
        self.storage = storage
    }

    /// Runs `body` on a fresh database of `driver` (a new database on the test process's
    /// PostgreSQL cluster), closed afterwards.
    static func with(_ driver: UIDriver, _ body: (UIFixture) async throws -> Void) async throws {
        let fixture: UIFixture
        switch driver {
        case .sqlite:
            fixture = try UIFixture()
        case .postgres:
            var logger = Logger(label: "web-ui-tests")
            logger.logLevel = .error
            fixture = UIFixture(storage: try await AgentStorage.postgres(
                PostgresLocation(url: try await PostgresCluster.shared.createDatabase()), settings: PostgresSettings(poolSize: 4),
                queueConfiguration: queueConfiguration, logger: logger))
        }
        do {
            try await body(fixture)
            await fixture.storage.shutdown()
        } catch {
            await fixture.storage.shutdown()
            throw error
        }
    }

    func ui(access: WebUIAccess = .open) -> WebUI {
        WebUI(queue: storage.queue, groups: storage.groups, transcripts: storage.transcripts, access: access)
    }

    /// The texts a test looks for.
    static let hostileLogLine = "<script>alert(1)</script></textarea>"
    static let issueURL = "https://gitea.example/team/app/issues/7"

    /// One job of each kind: one that succeeded with a transcript and an issue, one that failed
    /// twice (dead), one still queued. Returns their ids.
    @discardableResult
    func fill() async throws -> (succeeded: Int64, dead: Int64, queued: Int64) {
        let queue = storage.queue
        let succeeded = try await queue.enqueue(NewJob(namespace: "ci", pod: "build-app-run-k2x9p-pod", container: "step-test",
                                                       pipelineRun: "build-app-run-k2x9p", task: "unit-tests")).job.id
        let dead = try await queue.enqueue(NewJob(namespace: "web", pod: "lint-run-abc12-pod", container: "step-lint")).job.id

        let leases = try await queue.lease(batch: 2, ttl: .seconds(60), owner: "worker-1")
        let first = try requireLease(leases, succeeded)
        let claim = try await storage.groups.claim(fingerprint: "fp-config-port", namespace: "ci", jobID: succeeded)
        guard case .createIssue(let group, _) = claim else { throw TestSupportError("unexpected claim \(claim)") }
        try await transcript(jobID: succeeded, attempt: 1)
        _ = try await storage.groups.recordIssue(groupID: group.id, fingerprint: "fp-config-port", url: Self.issueURL, number: 7,
                                                 title: "Unit tests fail: TestParseConfig expects port 8080")
        try await queue.complete(first, result: #"{"issue_url":"\#(Self.issueURL)","issue_number":7,"fingerprint":"fp-config-port","group_id":\#(group.id),"occurrence":false}"#)

        var lease = try requireLease(leases, dead)
        try await queue.fail(lease, failure: JobFailure(message: "model answered 503 <b>busy</b>", errorClass: "http_503", retryable: true))
        lease = try requireLease(try await queue.lease(batch: 1, ttl: .seconds(60), owner: "worker-2"), dead)
        try await storage.transcripts.record(TranscriptEntry(seq: 0, role: .system, content: "You analyse failures."), jobID: dead, attempt: 2)
        try await queue.fail(lease, failure: JobFailure(message: "model answered 503 again", errorClass: "http_503", retryable: true))
        // Last, so that the leases above do not take it.
        let queued = try await queue.enqueue(NewJob(namespace: "ci", pod: "deploy-run-zz9-pod")).job.id
        return (succeeded, dead, queued)
    }

    /// A transcript like the agent writes: prompts with the excerpt, a tool call, its result,
    /// the issue call, the closing words.
    func transcript(jobID: Int64, attempt: Int) async throws {
        let log = (1...40).map { "2026-11-26T08:10:\($0)Z INFO compiling module \($0)" }.joined(separator: "\n")
        let entries = [
            TranscriptEntry(seq: 0, role: .system, content: "You turn a failed Tekton pod into one Gitea issue."),
            TranscriptEntry(seq: 1, role: .user, content: """
                A Tekton pipeline pod failed.
                Evidence (log excerpt, secrets redacted; lines start with their line number `L123: `):
                ```
                L41: --- FAIL: TestParseConfig (0.01s)
                L42: config_test.go:42: expected port 8080, got 0 token=[REDACTED:github-token]
                L43 x3: \(Self.hostileLogLine)
                ```
                """),
            TranscriptEntry(seq: 2, role: .assistant, content: nil,
                            toolCalls: [ToolCall(id: "call_log", name: "pods_log", arguments: #"{"namespace":"ci","name":"build-app-run-k2x9p-pod"}"#)],
                            model: "scripted", tokensIn: 1200, tokensOut: 40, latencyMilliseconds: 850),
            TranscriptEntry(seq: 3, role: .tool, content: log + "\n" + Self.hostileLogLine, toolName: "pods_log", toolCallID: "call_log",
                            toolArguments: #"{"namespace":"ci","name":"build-app-run-k2x9p-pod","container":"step-test"}"#,
                            toolResult: log + "\n" + Self.hostileLogLine + "\nexit status 1"),
            TranscriptEntry(seq: 4, role: .assistant, content: "Filed the issue.", model: "scripted", tokensIn: 2100, tokensOut: 300,
                            latencyMilliseconds: 1400),
        ]
        for entry in entries { try await storage.transcripts.record(entry, jobID: jobID, attempt: attempt) }
    }
}

/// The lease of job `id` among `leases`.
func requireLease(_ leases: [LeasedJob], _ id: Int64) throws -> Lease {
    guard let leased = leases.first(where: { $0.job.id == id }) else { throw TestSupportError("job \(id) was not leased") }
    return leased.lease
}
