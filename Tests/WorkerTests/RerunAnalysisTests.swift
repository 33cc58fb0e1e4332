import Foundation
import HTTPClient
import JSON
import Logging
import Queue
import Store
import Testing
import TestSupport
@testable import Worker

/// `agentctl jobs rerun`: a succeeded job analysed again is not an occurrence. The author runs
/// again and its analysis is posted once on the group's open issue; with the issue closed, a
/// new one is filed as usual.
@Suite(.serialized) struct RerunAnalysisTests {
    let directory = TemporaryDirectory()

    @Test(arguments: GiteaMCPServerKind.allCases) func aRerunCommentsTheNewAnalysisOnTheOpenIssueOnce(gitea: GiteaMCPServerKind) async throws {
        let peers = try await WorkerPeers(
            pods: ["ci/p1-test-pod": FailureAnalysisTests.failingLog(run: 1)], directory: directory, gitea: gitea)
        defer { peers.stop() }
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        let groups = SQLiteFailureGroupStore(database: database)
        let tracker = GiteaIssueTracker(client: peers.giteaClient, owner: "team", repo: "app")
        let author = CountingAuthor(delay: .zero)
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(kubernetes: peers.kubernetesClient), groups: groups, tracker: tracker, author: author)
        func runNext() async throws -> String {
            let leased = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first)
            let result = try #require(try await handler.run(leased, logger: .quiet))
            try await queue.complete(leased.lease, result: result)
            return result
        }
        func comments() async throws -> [JSONValue] {
            try await peers.giteaRequests().filter { $0["method"] == "POST" && $0["path"]?.stringValue?.hasSuffix("/comments") == true }
        }

        let job = try await queue.enqueue(NewJob(namespace: "ci", pod: "p1-test-pod", container: "step-test")).job
        #expect(try await runNext().contains("/team/app/issues/1"))
        #expect(author.count == 1)

        // The operator asks for another analysis: the model runs again, its text goes to issue 1.
        let rerun = try await queue.rerun(id: job.id)
        #expect(rerun.rerun && rerun.state == .queued && rerun.rerunAttempt == 2)
        let result = try await runNext()
        #expect(result.contains("\"rerun\":true") && result.contains("\"occurrence\":false") && result.contains("/team/app/issues/1"))
        #expect(author.count == 2)
        let posted = try await comments()
        #expect(posted.map { $0["path"]?.stringValue ?? "" } == ["/api/v1/repos/team/app/issues/1/comments"])
        let body = posted.first?["body"]?["body"]?.stringValue ?? ""
        #expect(body.hasPrefix("Re-analysis requested by an operator: **Unit tests fail in ci**"))
        #expect(body.contains("## Detailed error") && body.contains(FailureAnalysisHandler.rerunMarker(jobID: job.id, attempt: 2)))
        // Not an occurrence, and no new issue.
        #expect(try await groups.list().first?.occurrences == 1)
        #expect(try await peers.giteaRequests().filter { $0["method"] == "POST" && $0["path"] == "/api/v1/repos/team/app/issues" }.count == 1)

        // A second re-run whose first attempt posted its comment and died before recording it.
        let again = try #require(try await queue.rerun(id: job.id).rerunAttempt)
        let leased = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first)
        #expect(try await groups.beginRerun(jobID: job.id, attempt: again, issueURL: try await groups.list().first?.issueURL).state == .new)
        try await tracker.comment(onIssue: 1, body: "Re-analysis\n\n" + FailureAnalysisHandler.rerunMarker(jobID: job.id, attempt: again))
        try await queue.release(leased.lease)
        #expect(try await runNext().contains("\"rerun\":true"))
        #expect(author.count == 2)
        #expect(try await comments().count == 2)

        // With the issue closed, a re-run files a new one as usual.
        _ = try await HTTPClient().send(HTTPRequest(
            method: "PATCH", url: peers.gitea.baseURL + "/api/v1/repos/team/app/issues/1",
            headers: ["Content-Type": "application/json"], body: Data(#"{"state":"closed"}"#.utf8)))
        _ = try await queue.rerun(id: job.id)
        #expect(try await runNext().contains("/team/app/issues/2"))
        #expect(author.count == 3)
        #expect(try await groups.list().first?.issueURL?.hasSuffix("/team/app/issues/2") == true)
    }

    @Test func onlyASucceededJobWithoutAnActiveJobOfItsPodIsRerun() async throws {
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        let job = try await queue.enqueue(NewJob(namespace: "ci", pod: "p")).job
        await #expect(throws: QueueError.invalidTransition(jobID: job.id, from: .queued, action: "rerun")) { try await queue.rerun(id: job.id) }
        await #expect(throws: QueueError.notFound(jobID: 999)) { try await queue.rerun(id: 999) }
        let leased = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first)
        try await queue.complete(leased.lease, result: "{}")
        #expect(try await queue.job(id: job.id)?.rerun == false)
        let rerun = try await queue.rerun(id: job.id)
        #expect(rerun.rerun && rerun.maxAttempts == 1 + QueueConfiguration().retryPolicy.maxAttempts && rerun.finishedAt == nil)
        // Queued again: a second rerun is refused.
        await #expect(throws: QueueError.invalidTransition(jobID: job.id, from: .queued, action: "rerun")) { try await queue.rerun(id: job.id) }
    }
}
