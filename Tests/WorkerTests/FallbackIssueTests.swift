import Foundation
import JSON
import Queue
import Store
import Testing
import TestSupport
@testable import Worker

/// An author whose model answer was unusable: the worker's fallback issue, from the evidence.
struct FallbackAuthor: IssueAuthor {
    func author(_ context: FailureContext) async throws -> AuthoredIssue {
        AgentIssueAuthor.fallback(context, reason: "the model's answer failed the quality checks: the title is JSON", mayExist: false)
    }
}

@Suite(.serialized) struct FallbackIssueTests {
    let directory = TemporaryDirectory()

    @Test func aFallbackIssueQuotesTheKeyLineAndTheJobSaysSo() async throws {
        let pod = "build-run1x-test-pod"
        let peers = try await WorkerPeers(pods: ["ci/\(pod)": FailureAnalysisTests.failingLog(run: 1)], directory: directory)
        defer { peers.stop() }
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        let id = try await queue.enqueue(NewJob(namespace: "ci", pod: pod, container: "step-test", task: "test")).job.id
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(kubernetes: peers.kubernetesClient), groups: SQLiteFailureGroupStore(database: database),
            tracker: GiteaIssueTracker(client: peers.giteaClient, owner: "team", repo: "app"), author: FallbackAuthor())
        let worker = WorkerService(queue: queue, handler: handler, configuration: WorkerConfiguration(
            concurrency: 1, leaseTTL: .seconds(30), pollInterval: .milliseconds(20), owner: "w"), logger: .quiet)
        let run = Task { try await worker.run() }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, try await queue.job(id: id)?.state != .succeeded {
            try await Task.sleep(for: .milliseconds(100))
        }
        worker.stop()
        try await run.value

        let job = try #require(try await queue.job(id: id))
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        let result = try JSONValue.decode(Data((job.result ?? "").utf8))
        #expect(result["analysis"]?.stringValue == "fallback")
        let posts = try await peers.giteaRequests().filter { $0["method"] == "POST" && $0["path"] == "/api/v1/repos/team/app/issues" }
        #expect(posts.count == 1)
        let title = posts.first?["body"]?["title"]?.stringValue ?? ""
        let body = posts.first?["body"]?["body"]?.stringValue ?? ""
        #expect(title.hasPrefix("test: ") && title.contains("--- FAIL: TestParseConfig"), "\(title)")
        // The key lines, then the whole excerpt folded.
        #expect(body.contains("```\n--- FAIL: TestParseConfig"), "\(body)")
        #expect(body.contains("config_test.go:42: expected port 8080, got 0"), "\(body)")
        #expect(body.contains("automatic analysis unavailable: the model's answer failed the quality checks"))
        for section in ["## Cluster/namespace location", "## Summary", "## Detailed error", "## Possible causes and solutions"] {
            #expect(body.contains(section))
        }
        #expect(body.contains("pod `\(pod)`"))
    }
}
