import Analysis
import Foundation
import HTTPClient
import JSON
import Logging
import MCPClient
import Queue
import Store
import Synchronization
import Testing
import TestSupport
@testable import Worker

/// A stand-in for the agent: writes a fixed draft and counts its runs.
final class CountingAuthor: IssueAuthor, Sendable {
    private let runs = Mutex(0)
    var count: Int { runs.withLock { $0 } }
    private let missingNotes = Mutex<[String]>([])
    /// What the last context said was missing.
    var missing: [String] { missingNotes.withLock { $0 } }
    let delay: Duration

    init(delay: Duration = .milliseconds(200)) { self.delay = delay }

    func author(_ context: FailureContext) async throws -> AuthoredIssue {
        runs.withLock { $0 += 1 }
        missingNotes.withLock { $0 = context.missing }
        try await Task.sleep(for: delay)
        return .draft(title: "Unit tests fail in \(context.job.namespace)", body: """
            ## Cluster/namespace location
            \(context.job.namespace)/\(context.job.pod)
            ## Detailed error
            \(context.excerpt)
            """)
    }
}

/// A stand-in for an agent whose create call went through although it answered with an error:
/// the issue (with the marker) exists, and the author returns only its text as a draft.
struct CreateThenDraftAuthor: IssueAuthor {
    let tracker: any IssueTracker

    func author(_ context: FailureContext) async throws -> AuthoredIssue {
        _ = try await tracker.createIssue(title: "Unit tests fail", body: "body\n\n" + context.marker)
        return .draft(title: "Unit tests fail", body: "## Summary\nThe unit tests fail in \(context.job.namespace).", mayExist: true)
    }
}

/// The peers a worker talks to: the Kubernetes MCP stand-in with fixture pods, a Gitea MCP
/// server of the given kind in front of the fake Gitea.
struct WorkerPeers {
    let kubernetes: TestPeer
    let gitea: TestPeer
    let giteaMCP: TestPeer
    let directory: TemporaryDirectory

    init(pods: [String: String], directory: TemporaryDirectory, gitea kind: GiteaMCPServerKind = .pypi,
         kubernetesFixture: [String: Any] = [:]) async throws {
        var fixture: [String: Any] = kubernetesFixture
        fixture["pods"] = pods.mapValues { log in ["phase": "Failed", "containers": ["step-test": ["log": log]]] }
        let path = directory.path("pods.json")
        try JSONSerialization.data(withJSONObject: fixture).write(to: URL(fileURLWithPath: path))
        kubernetes = try await TestPeer(script: "kube_mcp_server.py", arguments: ["--transport", "sse", "--fixtures", path])
        gitea = try await TestPeer(script: "fake_gitea.py")
        giteaMCP = try await kind.start(giteaURL: gitea.baseURL)
        self.directory = directory
    }

    func stop() {
        kubernetes.stop()
        giteaMCP.stop()
        gitea.stop()
    }

    var kubernetesClient: MCPClient {
        MCPClient(configuration: MCPServerConfiguration(
            url: kubernetes.baseURL + "/sse", transport: .sse, timeouts: MCPTimeouts(connect: .seconds(5), request: .seconds(20))))
    }

    var giteaClient: MCPClient {
        MCPClient(configuration: MCPServerConfiguration(
            url: giteaMCP.baseURL + "/mcp", transport: .streamableHTTP, timeouts: MCPTimeouts(connect: .seconds(5), request: .seconds(20))))
    }

    /// Every request the fake Gitea received.
    func giteaRequests() async throws -> [JSONValue] {
        try JSONValue.decode(try await HTTPClient().send(HTTPRequest(url: gitea.baseURL + "/_test/requests")).body).arrayValue ?? []
    }
}

@Suite(.serialized) struct FailureAnalysisTests {
    let directory = TemporaryDirectory()

    static func failingLog(run: Int) -> String {
        (0..<40).map { "2026-11-26T08:\(10 + run % 50):0\($0 % 10)Z INFO compiling module \($0)" }.joined(separator: "\n") + """

            2026-11-26T08:\(10 + run % 50):59Z --- FAIL: TestParseConfig (0.0\(run % 10)s)
            2026-11-26T08:\(10 + run % 50):59Z     config_test.go:42: expected port 8080, got 0 (request \(UUID().uuidString))
            FAIL\texample.com/app/config\t0.0\(run % 10)9s
            exit status 1
            """
    }

    @Test(arguments: GiteaMCPServerKind.allCases) func fiftyPodsWithTheSameFailureMakeOneIssueAndFortyNineComments(gitea: GiteaMCPServerKind) async throws {
        var pods: [String: String] = [:]
        for index in 0..<50 { pods["ci/build-run\(index)x-test-pod"] = Self.failingLog(run: index) }
        let peers = try await WorkerPeers(pods: pods, directory: directory, gitea: gitea)
        defer { peers.stop() }

        let database = try Database.open(path: directory.path("agent.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        for index in 0..<50 {
            _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "build-run\(index)x-test-pod", container: "step-test", task: "test"))
        }
        let author = CountingAuthor()
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(kubernetes: peers.kubernetesClient),
            groups: SQLiteFailureGroupStore(database: database),
            tracker: GiteaIssueTracker(client: peers.giteaClient, owner: "team", repo: "app"),
            author: author, pendingRetryAfter: .milliseconds(100), pendingPollInterval: .milliseconds(50), queue: queue)
        let worker = WorkerService(queue: queue, handler: handler, configuration: WorkerConfiguration(
            concurrency: 8, leaseTTL: .seconds(30), pollInterval: .milliseconds(20), owner: "w"), logger: .quiet)
        let run = Task { try await worker.run() }
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            let counts = try await queue.stats().counts
            if (counts[.queued] ?? 0) + (counts[.running] ?? 0) == 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        worker.stop()
        try await run.value

        #expect(try await queue.stats().counts == [.succeeded: 50])
        // The jobs that waited for the first one's issue waited in place: one attempt each, no
        // row (and no evidence fetched again) per look.
        let attempts = try await database.read { try $0.queryFirst("SELECT count(*) FROM attempts", []) { $0.int(0) } }
        let outcomes = try await database.read { db in
            try db.query("SELECT outcome || ':' || coalesce(error, '') FROM attempts WHERE outcome != 'succeeded'", []) { $0.string(0) }
        }
        #expect(attempts == 50, "\(outcomes)")
        #expect(author.count <= 2 && author.count >= 1)
        let posts = try await peers.giteaRequests().filter { $0["method"] == "POST" }
        let issues = posts.filter { $0["path"] == "/api/v1/repos/team/app/issues" }
        let comments = posts.filter { $0["path"]?.stringValue?.hasSuffix("/comments") == true }
        #expect(issues.count == 1)
        #expect(comments.count == 49)
        let body = issues.first?["body"]?["body"]?.stringValue ?? ""
        #expect(body.contains("<!-- pipeline-agent:fingerprint="))
        #expect(body.contains("config_test.go:42"))
        let groups = try await SQLiteFailureGroupStore(database: database).list()
        #expect(groups.count == 1 && groups[0].occurrences == 50)
    }

    /// Events are best-effort: an events_list that fails, or answers more than the client
    /// takes, leaves a note for the model and the job still gets its issue.
    @Test(arguments: EventsTrouble.allCases)
    func aJobWhoseEventsFailStillGetsItsIssue(trouble: EventsTrouble) async throws {
        let peers = try await WorkerPeers(pods: ["ci/p1-test-pod": Self.failingLog(run: 1)], directory: directory,
                                          kubernetesFixture: trouble.fixture)
        defer { peers.stop() }
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "p1-test-pod", container: "step-test"))
        let author = CountingAuthor(delay: .zero)
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(kubernetes: peers.kubernetesClient), groups: SQLiteFailureGroupStore(database: database),
            tracker: GiteaIssueTracker(client: peers.giteaClient, owner: "team", repo: "app"), author: author)
        let leased = try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
        let result = try #require(try await handler.run(leased, logger: .quiet))
        #expect(result.contains("/team/app/issues/1"))
        #expect(author.missing.count == 1 && author.missing[0].hasPrefix("events (events_list):"), "\(author.missing)")
    }

    /// A listing may cut bodies to a preview or leave them out: an issue whose marker sits past
    /// the preview (as issues filed before the marker moved to the start have it) is found by
    /// reading the listed issues in full; other failures' issues are not taken for it.
    @Test(arguments: GiteaMCPServerKind.allCases) func aMarkerPastThePreviewIsFoundByAFullRead(gitea: GiteaMCPServerKind) async throws {
        let peers = try await WorkerPeers(pods: [:], directory: directory, gitea: gitea)
        defer { peers.stop() }
        let tracker = GiteaIssueTracker(client: peers.giteaClient, owner: "team", repo: "app")
        let long = String(repeating: "A person's long description of a flaky test. ", count: 12)
        let marker = FailureAnalysisHandler.marker("0123456789abcdef")
        _ = try await tracker.createIssue(title: "Flaky login", body: long)
        let old = try await tracker.createIssue(title: "Unit tests fail", body: long + "\n\n" + marker)
        _ = try await tracker.createIssue(title: "Other failure", body: FailureAnalysisHandler.marker("fedcba9876543210") + "\n\n" + long)
        _ = try await tracker.createIssue(title: "Short", body: "no marker here")
        #expect(try await tracker.findOpenIssue(containing: marker) == old)
        #expect(try await tracker.findOpenIssue(containing: FailureAnalysisHandler.marker("absent00absent00")) == nil)
    }

    /// The marker first in the body: the listing's preview shows it, on whatever page.
    @Test(arguments: [GiteaMCPServerKind.pypi, .go]) func aMarkerAtTheStartIsFoundOnALaterPage(gitea: GiteaMCPServerKind) async throws {
        let peers = try await WorkerPeers(pods: [:], directory: directory, gitea: gitea)
        defer { peers.stop() }
        let tracker = GiteaIssueTracker(client: peers.giteaClient, owner: "team", repo: "app")
        let marker = FailureAnalysisHandler.marker("0123456789abcdef")
        let target = try await tracker.createIssue(
            title: "Unit tests fail", body: marker + "\n\n" + String(repeating: "Detailed error. ", count: 40))
        for index in 0..<55 { _ = try await tracker.createIssue(title: "Issue \(index)", body: "short \(index)") }
        #expect(try await tracker.findOpenIssue(containing: marker) == target)
        // Found in the listing: no other issue is read (a compact row has no URL, so the issue
        // itself may be read for it).
        let reads = try await peers.giteaRequests().filter {
            $0["method"] == "GET" && $0["path"]?.stringValue?.contains("/issues/") == true && $0["path"] != "/api/v1/repos/team/app/issues/1"
        }
        #expect(reads.isEmpty, "\(reads.map { $0["path"]?.stringValue ?? "" })")
    }

    @Test(arguments: GiteaMCPServerKind.allCases) func anInterruptedCreationIsAdoptedNotRepeated(gitea: GiteaMCPServerKind) async throws {
        let peers = try await WorkerPeers(pods: ["ci/p1-test-pod": Self.failingLog(run: 1)], directory: directory, gitea: gitea)
        defer { peers.stop() }
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        let job = try await queue.enqueue(NewJob(namespace: "ci", pod: "p1-test-pod", container: "step-test")).job
        let tracker = GiteaIssueTracker(client: peers.giteaClient, owner: "team", repo: "app")
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(kubernetes: peers.kubernetesClient), groups: SQLiteFailureGroupStore(database: database),
            tracker: tracker, author: CountingAuthor(delay: .zero))

        // A first attempt claimed the group and created the issue, then crashed before recording it.
        let first = try await queue.lease(batch: 1, ttl: .seconds(30), owner: "crashed")[0]
        let evidence = try await EvidenceCollector(kubernetes: peers.kubernetesClient).collect(namespace: "ci", pod: job.pod, container: "step-test")
        let fingerprint = FailureFingerprint(log: Array(evidence.log.utf8), namespace: "ci", pipeline: nil, task: nil).value
        _ = try await SQLiteFailureGroupStore(database: database).claim(fingerprint: fingerprint, namespace: "ci", jobID: job.id)
        let created = try await tracker.createIssue(title: "Created before the crash", body: "body\n" + FailureAnalysisHandler.marker(fingerprint))
        try await queue.release(first.lease)

        let second = try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
        let result = try #require(try await handler.run(second, logger: .quiet))
        #expect(result.contains(created.url))
        let issues = try await peers.giteaRequests().filter { $0["method"] == "POST" && $0["path"] == "/api/v1/repos/team/app/issues" }
        #expect(issues.count == 1)
    }

    @Test(arguments: GiteaMCPServerKind.allCases) func aDraftAfterACreateThatAnsweredAnErrorAdoptsTheIssue(gitea: GiteaMCPServerKind) async throws {
        let peers = try await WorkerPeers(pods: ["ci/p1-test-pod": Self.failingLog(run: 1)], directory: directory, gitea: gitea)
        defer { peers.stop() }
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "p1-test-pod", container: "step-test"))
        let tracker = GiteaIssueTracker(client: peers.giteaClient, owner: "team", repo: "app")
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(kubernetes: peers.kubernetesClient), groups: SQLiteFailureGroupStore(database: database),
            tracker: tracker, author: CreateThenDraftAuthor(tracker: tracker))
        let leased = try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
        let result = try #require(try await handler.run(leased, logger: .quiet))
        #expect(result.contains("/team/app/issues/1"))
        let issues = try await peers.giteaRequests().filter { $0["method"] == "POST" && $0["path"] == "/api/v1/repos/team/app/issues" }
        #expect(issues.count == 1)
    }

    @Test(arguments: GiteaMCPServerKind.allCases) func aClosedOrDeletedIssueGetsANewOneInsteadOfComments(gitea: GiteaMCPServerKind) async throws {
        let pods = (1...3).reduce(into: [String: String]()) { $0["ci/p\($1)-test-pod"] = Self.failingLog(run: $1) }
        let peers = try await WorkerPeers(pods: pods, directory: directory, gitea: gitea)
        defer { peers.stop() }
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        let groups = SQLiteFailureGroupStore(database: database)
        let author = CountingAuthor(delay: .zero)
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(kubernetes: peers.kubernetesClient), groups: groups,
            tracker: GiteaIssueTracker(client: peers.giteaClient, owner: "team", repo: "app"), author: author)
        func analyse(_ pod: String) async throws -> String {
            _ = try await queue.enqueue(NewJob(namespace: "ci", pod: pod, container: "step-test"))
            let leased = try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
            let result = try #require(try await handler.run(leased, logger: .quiet))
            try await queue.complete(leased.lease, result: result)
            return result
        }
        #expect(try await analyse("p1-test-pod").contains("/team/app/issues/1"))
        // The team fixed it and closed the issue; the failure comes back.
        let patch = try await HTTPClient().send(HTTPRequest(
            method: "PATCH", url: peers.gitea.baseURL + "/api/v1/repos/team/app/issues/1",
            headers: ["Content-Type": "application/json"], body: Data(#"{"state":"closed"}"#.utf8)))
        #expect(patch.status == 201)
        #expect(try await analyse("p2-test-pod").contains("/team/app/issues/2"))
        // The issue was deleted (the group points to a number Gitea no longer has).
        let group = try #require(try await groups.list().first)
        try await database.write { try $0.execute("UPDATE failure_groups SET issue_number = 99 WHERE id = ?", [group.id]) }
        #expect(try await analyse("p3-test-pod").contains("/team/app/issues/3"))

        #expect(author.count == 3)
        let posts = try await peers.giteaRequests().filter { $0["method"] == "POST" }
        let comments = posts.filter { $0["path"]?.stringValue?.hasSuffix("/comments") == true }
        // No "seen again" on the closed or the missing issue; each new issue points to the old one.
        #expect(comments.map { $0["path"]?.stringValue ?? "" } == [
            "/api/v1/repos/team/app/issues/2/comments", "/api/v1/repos/team/app/issues/3/comments",
        ])
        #expect(comments.first?["body"]?["body"]?.stringValue?.contains("/team/app/issues/1") == true)
        #expect(try await groups.list().count == 1)
    }

    @Test(arguments: GiteaMCPServerKind.allCases) func anOccurrenceCountedBeforeItsIssueWasClosedStaysWithIt(gitea: GiteaMCPServerKind) async throws {
        let pods = (1...2).reduce(into: [String: String]()) { $0["ci/p\($1)-test-pod"] = Self.failingLog(run: $1) }
        let peers = try await WorkerPeers(pods: pods, directory: directory, gitea: gitea)
        defer { peers.stop() }
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        let author = CountingAuthor(delay: .zero)
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(kubernetes: peers.kubernetesClient), groups: SQLiteFailureGroupStore(database: database),
            tracker: GiteaIssueTracker(client: peers.giteaClient, owner: "team", repo: "app"), author: author)
        _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "p1-test-pod", container: "step-test"))
        let first = try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
        try await queue.complete(first.lease, result: try await handler.run(first, logger: .quiet))
        // The second pod's occurrence is commented and counted, then its worker dies before
        // completing the job; meanwhile the team closes the issue.
        _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "p2-test-pod", container: "step-test"))
        let second = try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
        _ = try await handler.run(second, logger: .quiet)
        try await queue.release(second.lease)
        _ = try await HTTPClient().send(HTTPRequest(
            method: "PATCH", url: peers.gitea.baseURL + "/api/v1/repos/team/app/issues/1",
            headers: ["Content-Type": "application/json"], body: Data(#"{"state":"closed"}"#.utf8)))
        let retried = try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w")[0]
        let result = try #require(try await handler.run(retried, logger: .quiet))
        #expect(result.contains("/team/app/issues/1") && author.count == 1)
        let issues = try await peers.giteaRequests().filter { $0["method"] == "POST" && $0["path"] == "/api/v1/repos/team/app/issues" }
        #expect(issues.count == 1)
    }

    @Test(arguments: GiteaMCPServerKind.allCases) func aRetriedOccurrenceDoesNotCommentTwice(gitea: GiteaMCPServerKind) async throws {
        let peers = try await WorkerPeers(
            pods: ["ci/first-test-pod": Self.failingLog(run: 1), "ci/second-test-pod": Self.failingLog(run: 2)], directory: directory, gitea: gitea)
        defer { peers.stop() }
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        let tracker = GiteaIssueTracker(client: peers.giteaClient, owner: "team", repo: "app")
        let groups = SQLiteFailureGroupStore(database: database)
        let handler = FailureAnalysisHandler(
            evidence: EvidenceCollector(kubernetes: peers.kubernetesClient), groups: groups,
            tracker: tracker, author: CountingAuthor(delay: .zero))
        _ = try await queue.enqueue(NewJob(namespace: "ci", pod: "first-test-pod", container: "step-test"))
        let second = try await queue.enqueue(NewJob(namespace: "ci", pod: "second-test-pod", container: "step-test")).job
        let leased = try await queue.lease(batch: 2, ttl: .seconds(30), owner: "w")
        _ = try await handler.run(leased.first { $0.job.id != second.id }!, logger: .quiet)

        // The second job's first attempt posted its comment and died before recording it.
        #expect(try await groups.beginOccurrence(jobID: second.id) == .new)
        try await tracker.comment(onIssue: 1, body: "Seen again\n\n" + FailureAnalysisHandler.occurrenceMarker(jobID: second.id))

        let result = try #require(try await handler.run(leased.first { $0.job.id == second.id }!, logger: .quiet))
        #expect(result.contains("\"occurrence\":true"))
        let comments = try await peers.giteaRequests().filter {
            $0["method"] == "POST" && $0["path"]?.stringValue?.hasSuffix("/comments") == true
        }
        #expect(comments.count == 1)
        #expect(try await groups.list().first?.occurrences == 2)
    }
}
