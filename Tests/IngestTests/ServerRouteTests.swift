import Foundation
import HTTPClient
import Queue
import Store
import Testing
@testable import Ingest

@Suite struct ServerRouteTests {
    @Test func jobsAreReadable() async throws {
        let ingest = try await IngestFixture()
        _ = try await ingest.post("/report-failure", json: #"{"namespace": "ci", "pod_name": "p", "pipeline_run": "run-1"}"#)
        let job = try await ingest.get("/jobs/1")
        #expect(job.status == 200)
        let body = try job.json()
        #expect(body["state"] as? String == "queued" && body["pipeline_run"] as? String == "run-1")
        #expect(body.keys.contains("issue_url") && body.keys.contains("last_error") && body.keys.contains("attempts"))
        #expect(try await ingest.get("/jobs/99").status == 404)
        #expect(try await ingest.get("/jobs/abc").status == 400)
        #expect(try await ingest.get("/nowhere").errorCode == "not_found")
    }

    @Test func healthReadinessAndMetrics() async throws {
        let ingest = try await IngestFixture()
        #expect(try await ingest.get("/health").json()["status"] as? String == "healthy")
        #expect(try await ingest.get("/healthz").status == 200)
        #expect(try await ingest.get("/readyz").status == 200)
        _ = try await ingest.post("/report-failure", json: #"{"namespace": "ci", "pod_name": "p"}"#)
        _ = try await ingest.post("/report-failure", json: #"{"namespace": "ci"}"#)
        let metrics = try await ingest.get("/metrics")
        #expect(metrics.status == 200 && metrics.headers["content-type"]?.hasPrefix("text/plain") == true)
        let text = metrics.text
        #expect(text.contains(#"pipeline_agent_http_requests_total{route="/report-failure",method="POST",status="202"} 1"#))
        #expect(text.contains(#"pipeline_agent_http_requests_total{route="/report-failure",method="POST",status="400"} 1"#))
        #expect(text.contains(#"pipeline_agent_jobs{state="queued"} 1"#))
        #expect(text.contains("pipeline_agent_queue_depth 1"))
        #expect(text.contains("pipeline_agent_oldest_queued_age_seconds"))
        #expect(text.contains("pipeline_agent_http_request_duration_seconds_bucket"))
    }

    @Test func readinessFailsWhenTheDatabaseIsNotCurrent() async throws {
        struct Stale: Error {}
        let ingest = try await IngestFixture(readiness: { throw Stale() })
        let ready = try await ingest.get("/readyz")
        #expect(ready.status == 503)
        #expect(try await ingest.get("/healthz").status == 200)
    }

    /// Either driver's database error: the report was not stored, and the reporter's retry
    /// keeps it (a 500 once came from PostgreSQL under load).
    @Test(arguments: [SQLiteError(code: 5, message: "database is locked"), UnreachableServer()] as [any DatabaseFailure])
    func aBusyOrUnreachableDatabaseIsA503WithRetryAfter(error: any DatabaseFailure) async throws {
        let ingest = try await IngestFixture(queue: UnavailableQueue(error: error))
        let response = try await ingest.post("/report-failure", json: #"{"namespace": "ci", "pod_name": "p"}"#)
        #expect(response.status == 503)
        #expect(response.headers["retry-after"] == "2")
        #expect(response.errorCode == "unavailable")
        #expect(!response.text.contains("SQLite") && !response.text.contains("PostgreSQL"), "internals must not leak: \(response.text)")
        #expect(try await ingest.get("/metrics").status == 503)
    }

    @Test func cloudEventsInBothModesQueueOneJobPerFailedStep() async throws {
        let ingest = try await IngestFixture()
        let data = try CloudEventTests.fixture("taskrun-failed-continue.json")
        var binary = CloudEventTests.binaryHeaders(type: TektonEventInterpreter.taskRunFailed)
        binary["Content-Type"] = "application/json"
        let first = try await ingest.client.send(HTTPRequest(
            method: "POST", url: ingest.url("/cloudevents"), headers: HTTPHeaders(binary.map { ($0.key, $0.value) }), body: data))
        #expect(first.status == 202, "\(first.text)")
        let jobs = try #require(try first.json()["jobs"] as? [[String: Any]])
        #expect(jobs.count == 2)

        let event: [String: Any] = [
            "specversion": "1.0", "type": TektonEventInterpreter.taskRunFailed, "source": "/tekton", "id": "e-2",
            "datacontenttype": "application/json", "data": try JSONSerialization.jsonObject(with: data),
        ]
        let structured = try await ingest.client.send(HTTPRequest(
            method: "POST", url: ingest.url("/cloudevents"), headers: ["Content-Type": "application/cloudevents+json"],
            body: try JSONSerialization.data(withJSONObject: event)))
        #expect(structured.status == 202)
        let again = try #require(try structured.json()["jobs"] as? [[String: Any]])
        #expect(again.allSatisfy { $0["duplicate"] as? Bool == true })

        let page = try await ingest.queue.list(JobFilter())
        #expect(page.jobs.count == 2)
        #expect(page.jobs.allSatisfy { $0.source == .cloudevent && $0.container?.hasPrefix("step-") == true && $0.reportCount == 2 })
    }

    @Test func aBigTaskRunEventFitsButNotAnyBody() async throws {
        // A real TaskRun carries its task's spec, step scripts included: hundreds of KiB for a
        // big task, over the 64 KiB of a report.
        let ingest = try await IngestFixture()
        var taskRun = try #require(try JSONSerialization.jsonObject(with: CloudEventTests.fixture("taskrun-failed-continue.json")) as? [String: Any])
        taskRun["padding"] = String(repeating: "#!/bin/sh\necho building module\n", count: 10_000)
        let data = try JSONSerialization.data(withJSONObject: taskRun)
        #expect(data.count > 256 * 1024)
        var headers = CloudEventTests.binaryHeaders(type: TektonEventInterpreter.taskRunFailed)
        headers["Content-Type"] = "application/json"
        let big = try await ingest.client.send(HTTPRequest(
            method: "POST", url: ingest.url("/cloudevents"), headers: HTTPHeaders(headers.map { ($0.key, $0.value) }), body: data))
        #expect(big.status == 202, "\(big.text)")

        taskRun["padding"] = String(repeating: "x", count: 1024 * 1024)
        let tooBig = try await ingest.client.send(HTTPRequest(
            method: "POST", url: ingest.url("/cloudevents"), headers: HTTPHeaders(headers.map { ($0.key, $0.value) }),
            body: try JSONSerialization.data(withJSONObject: taskRun)))
        #expect(tooBig.status == 413 && tooBig.errorCode == "body_too_large")
    }

    @Test func otherCloudEventsAreAcknowledgedAndCounted() async throws {
        let ingest = try await IngestFixture()
        let data = try CloudEventTests.fixture("pipelinerun-failed.json")
        var headers = CloudEventTests.binaryHeaders(type: TektonEventInterpreter.pipelineRunFailed)
        headers["Content-Type"] = "application/json"
        let response = try await ingest.client.send(HTTPRequest(
            method: "POST", url: ingest.url("/cloudevents"), headers: HTTPHeaders(headers.map { ($0.key, $0.value) }), body: data))
        #expect(response.status == 202)
        #expect(try response.json()["ignored"] as? Bool == true)
        #expect(try await ingest.queue.stats().total == 0)
        #expect(try await ingest.get("/metrics").text.contains(
            #"pipeline_agent_cloudevents_ignored_total{type="dev.tekton.event.pipelinerun.failed.v1"} 1"#))

        let broken = try await ingest.post("/cloudevents", json: "{", headers: ["Content-Type": "application/cloudevents+json"])
        #expect(broken.status == 400 && broken.errorCode == "malformed_json")
    }
}

/// A queue whose database is locked: every call fails as SQLite does after busy_timeout.
/// A remote database's error as the PostgreSQL driver reports a lost connection.
struct UnreachableServer: DatabaseFailure {
    var isTransient: Bool { true }
    var description: String { "PostgreSQL 08006: connection failure" }
}

struct UnavailableQueue: JobQueue {
    var error: any DatabaseFailure = SQLiteError(code: 5, message: "database is locked")
    func enqueue(_ job: NewJob) async throws -> EnqueueResult { throw error }
    func lease(batch: Int, ttl: Duration, owner: String) async throws -> [LeasedJob] { throw error }
    func heartbeat(_ lease: Lease, ttl: Duration) async throws { throw error }
    func complete(_ lease: Lease, result: String?) async throws { throw error }
    func fail(_ lease: Lease, failure: JobFailure) async throws -> JobState { throw error }
    func release(_ lease: Lease, delay: Duration) async throws { throw error }
    func rescueExpiredLeases() async throws -> [Int64] { throw error }
    func reclaimLeases(owner: String) async throws -> [Int64] { throw error }
    func cancel(id: Int64) async throws -> Job { throw error }
    func retry(id: Int64) async throws -> Job { throw error }
    func rerun(id: Int64) async throws -> Job { throw error }
    func retryAllDead() async throws -> [Int64] { throw error }
    func job(id: Int64) async throws -> Job? { throw error }
    func attempts(jobID: Int64) async throws -> [AttemptRecord] { throw error }
    func list(_ filter: JobFilter) async throws -> JobPage { throw error }
    func stats() async throws -> QueueStats { throw error }
    func activity(since: Date) async throws -> QueueActivity { throw error }
}
