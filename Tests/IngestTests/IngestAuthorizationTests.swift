import Foundation
import HTTPClient
import Queue
import Testing
import TestSupport
@testable import Ingest

/// Who may report what: `AGENT_NAMESPACES` at ingest, the CloudEvents credential.
@Suite struct IngestAuthorizationTests {
    static func report(_ namespace: String) -> String {
        #"{"namespace": "\#(namespace)", "pod_name": "build-42-pod", "container_name": "step-test"}"#
    }

    @Test func globsMatchWholeNames() throws {
        let list = try #require(NamespaceAllowlist("ci-*, team-a,,q?a"))
        #expect(list.patterns == ["ci-*", "team-a", "q?a"])
        for allowed in ["ci-web", "ci-", "team-a", "qxa"] { #expect(list.allows(allowed), "\(allowed)") }
        for refused in ["kube-system", "team-ab", "xci-web", "qa", "team"] { #expect(!list.allows(refused), "\(refused)") }
        #expect(NamespaceAllowlist(" , ") == nil)
    }

    @Test func aReportOutsideTheAllowlistGets403AndNoJob() async throws {
        let ingest = try await IngestFixture(configuration: IngestConfiguration(namespaces: NamespaceAllowlist("ci-*")))
        let refused = try await ingest.post("/report-failure", json: Self.report("kube-system"))
        #expect(refused.status == 403)
        let error = try #require(try refused.json()["error"] as? [String: Any])
        #expect(error["code"] as? String == "namespace_not_allowed")
        #expect((error["message"] as? String)?.contains("kube-system") == true)
        #expect(try await ingest.queue.list(JobFilter()).jobs.isEmpty)
        let accepted = try await ingest.post("/report-failure", json: Self.report("ci-web"))
        #expect(accepted.status == 202)
        #expect(try await ingest.queue.list(JobFilter()).jobs.map(\.namespace) == ["ci-web"])
    }

    @Test func aCloudEventOutsideTheAllowlistGets403() async throws {
        let ingest = try await IngestFixture(configuration: IngestConfiguration(namespaces: NamespaceAllowlist("ci-*")))
        let data = String(decoding: try CloudEventTests.fixture("taskrun-failed-legacy.json"), as: UTF8.self)
        let response = try await ingest.post("/cloudevents", json: data, headers: Self.headers())
        #expect(response.status == 403, "\(response.text)")
        #expect(try await ingest.queue.list(JobFilter()).jobs.isEmpty)
    }

    @Test func cloudEventsNeedTheirOwnCredential() async throws {
        let ingest = try await IngestFixture(configuration: IngestConfiguration(token: "bearer-secret", cloudEventsToken: "sink-secret"))
        let data = String(decoding: try CloudEventTests.fixture("taskrun-failed-legacy.json"), as: UTF8.self)
        let plain = try await ingest.post("/cloudevents", json: data, headers: Self.headers())
        #expect(plain.status == 401)
        let wrong = try await ingest.post("/cloudevents/not-it", json: data, headers: Self.headers())
        #expect(wrong.status == 401)
        #expect(try await ingest.queue.list(JobFilter()).jobs.isEmpty)
        let right = try await ingest.post("/cloudevents/sink-secret", json: data, headers: Self.headers())
        #expect(right.status == 202, "\(right.text)")
        #expect(try await ingest.queue.list(JobFilter()).jobs.count == 1)
        // The bearer token still guards reports; the sink credential does not open them.
        let report = try await ingest.post("/report-failure", json: Self.report("ci"))
        #expect(report.status == 401)
    }

    static func headers() -> HTTPHeaders {
        HTTPHeaders(CloudEventTests.binaryHeaders(type: "dev.tekton.event.taskrun.failed.v1").map { ($0.key, $0.value) })
    }
}

/// `AGENT_MAX_WAITERS` bounds the requests held by `?wait=`.
@Suite struct WaiterLimitTests {
    static func report(_ pod: String) -> String {
        #"{"namespace": "ci", "pod_name": "\#(pod)", "container_name": "step-test"}"#
    }

    @Test func waitersBeyondTheLimitGet503AndMakeNoJob() async throws {
        let ingest = try await IngestFixture(configuration: IngestConfiguration(maxWaiters: 1))
        // No worker runs: the first request holds its slot until the test ends its job (a wait
        // that ran out by itself could free the slot early on a loaded machine).
        let holder = Task { try await ingest.post("/report-failure?wait=25", json: Self.report("first-pod")) }
        _ = try await eventually("the held report's job", every: .milliseconds(20)) {
            try await ingest.queue.list(JobFilter()).jobs.isEmpty ? nil : true
        }
        let refused = try await ingest.post("/report-failure?wait=3", json: Self.report("second-pod"))
        #expect(refused.status == 503)
        #expect(refused.headers["retry-after"] != nil)
        #expect(try (refused.json()["error"] as? [String: Any])?["message"] as? String ?? "" != "")
        #expect(try await ingest.queue.list(JobFilter()).jobs.map(\.pod) == ["first-pod"])
        // Without ?wait nothing is held.
        let plain = try await ingest.post("/report-failure", json: Self.report("third-pod"))
        #expect(plain.status == 202)
        let first = try #require(try await ingest.queue.lease(batch: 1, ttl: .seconds(60), owner: "test-worker").first)
        #expect(first.job.pod == "first-pod")
        try await ingest.queue.complete(first.lease, result: #"{"issue_url": "https://gitea.example/o/r/issues/1"}"#)
        #expect(try await holder.value.status == 200)
        // The slot is free again.
        let again = try await ingest.post("/report-failure?wait=0", json: Self.report("fourth-pod"))
        #expect(again.status == 202)
    }
}
