import Agent
import Foundation
import LLMClient
import Queue
import Store
import Testing
@testable import WebUI

/// Server time of the heaviest pages, in process (reading the database and rendering; no
/// network): a jobs page over 10,000 jobs under 100 ms, a 200-step transcript under 200 ms.
/// The best of several runs is compared, so that a stall of this loaded machine is not taken
/// for the page's cost; the best and the median are printed for the report. In the full suite,
/// CPU-bound suites can hold both cooperative threads for seconds, and every `await` of a run
/// then waits for one (seen: 7 runs in a row over 300 ms for a page that takes 2 ms alone), so
/// while the best is not under `limit` the runs go on for up to 90 s: a page that is slow
/// itself still fails, a stall of the machine has to last the whole window to fail it.
@Suite struct UISpeedTests {
    static func best(_ what: String, under limit: Duration, runs: Int = 7, _ body: () async throws -> Void) async throws -> Duration {
        var times: [Duration] = []
        let window = ContinuousClock.now + .seconds(90)
        while times.count < runs || (times.min()! >= limit && ContinuousClock.now < window) {
            let start = ContinuousClock.now
            try await body()
            times.append(ContinuousClock.now - start)
        }
        times.sort()
        print("web UI speed: \(what): best \(milliseconds(times[0])) ms, median \(milliseconds(times[times.count / 2])) ms of \(times.count) runs")
        return times[0]
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    @Test func aJobsPageOverTenThousandJobsRendersInUnder100Milliseconds() async throws {
        let fixture = try UIFixture()
        let database = try #require(fixture.storage.sqlite)
        // Inserted in one transaction with the queue's own schema (10,000 enqueue transactions
        // would take most of the test's time); a tenth have failed with an error to search.
        try await database.write { db in
            for index in 0..<10_000 {
                let state = index % 10 == 0 ? "dead" : "succeeded"
                try db.execute("""
                    INSERT INTO jobs (namespace, pod, container, state, attempts, max_attempts, run_after, last_error,
                                      created_at, updated_at, finished_at)
                    VALUES (?, ?, 'step-test', ?, 1, 1, ?, ?, ?, ?, ?)
                    """, ["ns-\(index % 7)", "build-\(index)-pod", state, Int64(index), state == "dead" ? "model timed out after 30 s" : nil,
                          Int64(index), Int64(index), Int64(index)])
            }
        }
        let ui = fixture.ui()
        let size = try await ui.jobs(UIQuery()).count
        let plain = try await Self.best("jobs page over 10000 jobs (\(size) bytes of HTML)", under: .milliseconds(100)) { _ = try await ui.jobs(UIQuery()) }
        let filtered = try await Self.best("jobs page filtered by state, namespace and text", under: .milliseconds(100)) {
            _ = try await ui.jobs(UIQuery(["state": "dead", "namespace": "ns-3", "q": "timed out"]))
        }
        let older = try await Self.best("the jobs page before job 120", under: .milliseconds(100)) { _ = try await ui.jobs(UIQuery(["before": "120"])) }
        #expect(size > 10_000)
        #expect(plain < .milliseconds(100))
        #expect(filtered < .milliseconds(100))
        #expect(older < .milliseconds(100))
    }

    @Test func aTranscriptOf200StepsRendersInUnder200Milliseconds() async throws {
        let fixture = try UIFixture()
        let job = try await fixture.storage.queue.enqueue(NewJob(namespace: "ci", pod: "long-run-pod")).job.id
        let logLines = (1...60).map { "L\($0): 2026-11-26T08:10:00Z ERROR step \($0) failed <tag> & token=[REDACTED:api-key]" }
        let log = logLines.joined(separator: "\n")
        let recorder = fixture.storage.transcripts.recorder(jobID: job, attempt: 1)
        try await recorder.record(TranscriptEntry(seq: 0, role: .system, content: String(repeating: "Rules of the analysis.\n", count: 80)))
        for seq in 1..<200 {
            if seq % 2 == 1 {
                try await recorder.record(TranscriptEntry(
                    seq: seq, role: .assistant, content: "Reading more of the log.",
                    toolCalls: [ToolCall(id: "call_\(seq)", name: "pods_log", arguments: #"{"namespace":"ci","name":"long-run-pod","tail":500}"#)],
                    model: "m", tokensIn: 4000 + seq, tokensOut: 50, latencyMilliseconds: 900))
            } else {
                try await recorder.record(TranscriptEntry(
                    seq: seq, role: .tool, content: log, toolName: "pods_log", toolCallID: "call_\(seq - 1)",
                    toolArguments: #"{"namespace":"ci","name":"long-run-pod","tail":500}"#, toolResult: log + "\n" + log))
            }
        }
        let ui = fixture.ui()
        let size = try await ui.transcript(jobID: job, attempt: 1).count
        let elapsed = try await Self.best("transcript of 200 steps (\(size) bytes of HTML)", under: .milliseconds(200)) {
            _ = try await ui.transcript(jobID: job, attempt: 1)
        }
        #expect(size > 1_000_000)
        #expect(elapsed < .milliseconds(200))
    }
}
