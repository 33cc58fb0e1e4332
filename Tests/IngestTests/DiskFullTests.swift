import Foundation
import HTTPClient
import Queue
import Store
import Testing
import TestSupport

/// `pipeline-agent ingest` on a full disk: never a 2xx without the row, 503 with Retry-After
/// instead, and back to normal by itself when space returns. Needs root to mount a tmpfs.
@Suite(.enabled(if: SmallFilesystem.isAvailable, "mounting a tmpfs needs root"))
struct DiskFullTests {
    let client = HTTPClient()

    private func report(_ port: Int, pod: String) async throws -> HTTPResponse {
        try await client.send(HTTPRequest(
            method: "POST", url: "http://127.0.0.1:\(port)/report-failure", headers: ["Content-Type": "application/json"],
            body: Data(#"{"namespace": "ci", "pod_name": "\#(pod)", "pipeline_run": "\#(String(repeating: "r", count: 200))"}"#.utf8),
            timeout: .seconds(30)))
    }

    @Test func aFullDiskAnswers503AndLosesNothingAcknowledged() async throws {
        let disk = try SmallFilesystem(megabytes: 4)
        let db = disk.path("agent.sqlite")
        let started = try await IngestProcess(db: db, client: client, logLevel: "critical")
        let (ingest, port) = (started.process, started.port)
        defer { ingest.kill() }

        var acknowledged: [Int64] = []
        func send(_ pod: String) async throws -> Int {
            let response = try await report(port, pod: pod)
            if response.status == 202 {
                let object = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
                acknowledged.append(Int64(try #require(object["job_id"] as? Int)))
            } else {
                #expect(response.status == 503, "\(response.status): \(response.text)")
                #expect(Int(response.headers["Retry-After"] ?? "") ?? 0 >= 1)
                #expect(response.text.contains("unavailable"))
            }
            return response.status
        }

        #expect(try await send("before-full") == 202)
        try disk.fill()
        var refused = 0
        for index in 0..<300 where try await send("while-full-\(index)") == 503 { refused += 1 }
        #expect(refused > 0, "the filled disk took every report")
        #expect(ingest.process.isRunning)

        try disk.free()
        for index in 0..<20 { #expect(try await send("after-free-\(index)") == 202) }

        // Every acknowledged report is a committed row, also after a crash.
        ingest.kill()
        try await ingest.wait()
        let queue = SQLiteJobQueue(database: try Database.open(path: db))
        for id in acknowledged { #expect(try await queue.job(id: id)?.state == .queued, "job \(id)") }
    }
}
