import Foundation
import Logging
import MCPClient
import Queue
import Store
import Testing
import TestSupport
@testable import Worker

/// The worker checks `AGENT_NAMESPACES` again: a job for another namespace (queued before the
/// setting changed, or by `agentctl jobs enqueue`) fails permanently, its pod never read.
@Suite struct NamespaceAllowlistWorkerTests {
    @Test func aJobOutsideTheAllowlistFailsPermanentlyWithoutReadingItsPod() async throws {
        let directory = TemporaryDirectory()
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        _ = try await queue.enqueue(NewJob(namespace: "kube-system", pod: "etcd-0", container: "etcd"))
        // Nothing listens here: reading the pod would fail with a retryable transport error.
        let nowhere = MCPClient(configuration: MCPServerConfiguration(
            url: "http://127.0.0.1:9/sse", transport: .sse, timeouts: MCPTimeouts(connect: .seconds(1), request: .seconds(1))))
        let author = CountingAuthor()
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(kubernetes: nowhere), groups: SQLiteFailureGroupStore(database: database),
            tracker: GiteaIssueTracker(client: nowhere, owner: "team", repo: "app"), author: author,
            namespaces: NamespaceAllowlist("ci-*"))
        let leased = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first)
        await #expect {
            _ = try await handler.run(leased, logger: Logger(label: "test"))
        } throws: { error in
            let failure = FailureClassifier.classify(error)
            return !failure.retryable && failure.errorClass == "namespace_not_allowed"
                && failure.message.contains("kube-system") && failure.message.contains("ci-*")
        }
        #expect(author.count == 0)
    }
}
