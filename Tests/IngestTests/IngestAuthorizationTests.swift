import Foundation
import HTTPClient
import Queue
import Testing
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
