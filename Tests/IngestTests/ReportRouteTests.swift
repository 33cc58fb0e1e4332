import Foundation
import HTTPClient
import Queue
import Store
import Testing
@testable import Ingest

@Suite struct ReportRouteTests {
    let report = #"{"namespace": "ci", "pod_name": "build-42-pod", "container_name": "step-test", "extra": [1, 2]}"#

    @Test func aNewReportIsQueuedAndADuplicateJoinsIt() async throws {
        let ingest = try await IngestFixture()
        let first = try await ingest.post("/report-failure", json: report)
        #expect(first.status == 202)
        let body = try first.json()
        #expect(body["status"] as? String == "queued" && body["duplicate"] == nil)
        let id = try #require(body["job_id"] as? Int)
        #expect(first.headers["location"] == "/jobs/\(id)")

        let second = try await ingest.post("/report-failure", json: report)
        #expect(second.status == 200)
        #expect(try second.json()["duplicate"] as? Bool == true)
        #expect(try second.json()["job_id"] as? Int == id)
        #expect(try await ingest.queue.job(id: Int64(id))?.reportCount == 2)
    }

    @Test func fiftyParallelIdenticalReportsMakeOneJob() async throws {
        let ingest = try await IngestFixture()
        let statuses = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for _ in 0..<50 {
                group.addTask {
                    let response = try await ingest.post("/report-failure", json: report)
                    return (response.status, try response.json()["job_id"] as? Int ?? -1)
                }
            }
            return try await group.reduce(into: [(Int, Int)]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0.0 == 202 }.count == 1)
        #expect(statuses.filter { $0.0 == 200 }.count == 49)
        #expect(Set(statuses.map(\.1)).count == 1)
        let stats = try await ingest.queue.stats()
        #expect(stats.total == 1 && stats.totalReports == 50)
    }

    @Test(arguments: [
        (#"{"namespace": "ci"}"#, "pod_name: is required"),
        (#"{"pod_name": "p"}"#, "namespace: is required"),
        (#"{"namespace": 7, "pod_name": "p"}"#, "namespace: must be a string"),
        (#"{"namespace": "ci", "pod_name": ["p"]}"#, "pod_name: must be a string"),
        (#"{"namespace": "CI", "pod_name": "p"}"#, "namespace: must consist of lower case"),
        (#"{"namespace": "ci/prod", "pod_name": "p"}"#, "namespace: must consist of lower case"),
        (#"{"namespace": "ci", "pod_name": "../etc"}"#, "pod_name: must not contain empty"),
        (#"{"namespace": "ci", "pod_name": "etc/passwd"}"#, "pod_name: must consist of lower case"),
        (#"{"namespace": "ci", "pod_name": "a..b"}"#, "pod_name: must not contain empty"),
        (#"{"namespace": "ci", "pod_name": "p", "container_name": "Step_A"}"#, "container_name: must consist"),
        (#"{"namespace": "ci", "pod_name": "p", "task": "bad task"}"#, "task: must consist"),
    ])
    func invalidFieldsAreNamed(body: String, message: String) async throws {
        let ingest = try await IngestFixture()
        let response = try await ingest.post("/report-failure", json: body)
        #expect(response.status == 400)
        #expect(response.errorCode == "invalid_field")
        #expect(response.errorMessage.hasPrefix(message), "\(response.errorMessage)")
        #expect(try await ingest.queue.stats().total == 0)
    }

    @Test func malformedBodies() async throws {
        let ingest = try await IngestFixture()
        for body in ["{not json", "", "[1,2]", "\"text\"", "null"] {
            let response = try await ingest.post("/report-failure", json: body)
            #expect(response.status == 400, "\(body)")
            #expect(response.errorCode == "malformed_json", "\(body): \(response.text)")
        }
    }

    @Test func wrongContentTypeAndMethod() async throws {
        let ingest = try await IngestFixture()
        let text = try await ingest.post("/report-failure", json: report, headers: ["Content-Type": "text/plain"])
        #expect(text.status == 415 && text.errorCode == "unsupported_media_type")
        let none = try await ingest.post("/report-failure", json: report, headers: [:])
        #expect(none.status == 415)
        let charset = try await ingest.post("/report-failure", json: report, headers: ["Content-Type": "application/json; charset=utf-8"])
        #expect(charset.status == 202)
        let get = try await ingest.get("/report-failure")
        #expect(get.status == 405 && get.headers["allow"] == "POST" && get.errorCode == "method_not_allowed")
    }

    @Test func hugeBodiesAreRefused() async throws {
        let ingest = try await IngestFixture()
        let padding = String(repeating: "x", count: 10 * 1024 * 1024)
        let huge = try await ingest.post("/report-failure", json: #"{"namespace": "ci", "pod_name": "p", "pad": "\#(padding)"}"#)
        #expect(huge.status == 413 && huge.errorCode == "body_too_large")
        // Just under the limit is fine.
        let fits = String(repeating: "x", count: 60 * 1024)
        let ok = try await ingest.post("/report-failure", json: #"{"namespace": "ci", "pod_name": "p", "pad": "\#(fits)"}"#)
        #expect(ok.status == 202)
    }

    @Test func bearerTokenWhenConfigured() async throws {
        let ingest = try await IngestFixture(configuration: IngestConfiguration(token: "s3cret-token"))
        let missing = try await ingest.post("/report-failure", json: report)
        #expect(missing.status == 401 && missing.errorCode == "unauthorized" && missing.headers["www-authenticate"] == "Bearer")
        let wrong = try await ingest.post("/report-failure", json: report,
                                          headers: ["Content-Type": "application/json", "Authorization": "Bearer s3cret-tokem"])
        #expect(wrong.status == 401)
        let right = try await ingest.post("/report-failure", json: report,
                                          headers: ["Content-Type": "application/json", "Authorization": "Bearer s3cret-token"])
        #expect(right.status == 202)
        #expect(try await ingest.get("/jobs/1").status == 401)
        // Probes and metrics stay open.
        #expect(try await ingest.get("/healthz").status == 200)
        #expect(try await ingest.get("/metrics").status == 200)
    }

    @Test func waitHoldsTheAnswerUntilTheJobEnds() async throws {
        let ingest = try await IngestFixture()
        async let answer = ingest.post("/report-failure?wait=25", json: report)
        // A worker finishes the job while the request waits.
        var leased: [LeasedJob] = []
        while leased.isEmpty {
            leased = try await ingest.queue.lease(batch: 1, ttl: .seconds(30), owner: "test-worker")
            if leased.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        }
        try await ingest.queue.complete(leased[0].lease, result: #"{"issue_url": "https://gitea.example/team/app/issues/7"}"#)
        let response = try await answer
        #expect(response.status == 200)
        #expect(try response.json()["status"] as? String == "success")
        #expect(try response.json()["result"] as? String == "Issue created: https://gitea.example/team/app/issues/7")
    }

    @Test func waitReportsAFailedJobAndTimesOutWithTheJobID() async throws {
        let ingest = try await IngestFixture()
        let timedOut = try await ingest.post("/report-failure?wait=0.2", json: report)
        #expect(timedOut.status == 202)
        #expect(try timedOut.json()["job_id"] as? Int == 1)

        async let answer = ingest.post("/report-failure?wait=25", json: report)
        // The waiting report must have joined job 1 before it fails: a failed job takes no new report.
        while try await ingest.queue.job(id: 1)?.reportCount != 2 { try await Task.sleep(for: .milliseconds(10)) }
        let leased = try await ingest.queue.lease(batch: 1, ttl: .seconds(30), owner: "w")
        try await ingest.queue.fail(leased[0].lease, failure: JobFailure(message: "pod not found", errorClass: "unknown_pod", retryable: false))
        let response = try await answer
        #expect(response.status == 200)
        #expect(try response.json()["status"] as? String == "error")
        #expect(try response.json()["result"] as? String == "pod not found")

        let bad = try await ingest.post("/report-failure?wait=301", json: report)
        #expect(bad.status == 400 && bad.errorMessage.hasPrefix("wait:"))
    }
}
