import Foundation
import HTTPClient
import Queue
import Store
import Testing
import TestSupport

/// `pipeline-agent ingest` as a process: durability across SIGKILL, graceful SIGTERM.
@Suite struct IngestProcessTests {
    let directory = TemporaryDirectory()
    let client = HTTPClient()

    private func start(_ db: String) async throws -> (ChildProcess, Int) {
        let ingest = try await IngestProcess(db: db, client: client)
        return (ingest.process, ingest.port)
    }

    private func report(_ port: Int, pod: String) async throws -> HTTPResponse {
        try await client.send(HTTPRequest(
            method: "POST", url: "http://127.0.0.1:\(port)/report-failure", headers: ["Content-Type": "application/json"],
            body: Data(#"{"namespace": "ci", "pod_name": "\#(pod)"}"#.utf8)))
    }

    @Test func anAcceptedReportSurvivesSIGKILL() async throws {
        let db = directory.path("agent.sqlite")
        let (process, port) = try await start(db)
        var ids: [Int64] = []
        for index in 0..<20 {
            let response = try await report(port, pod: "pod-\(index)")
            #expect(response.status == 202)
            ids.append(Int64(try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])["job_id"] as? Int ?? 0))
        }
        process.kill()
        try await process.wait()
        let queue = SQLiteJobQueue(database: try Database.open(path: db))
        for id in ids { #expect(try await queue.job(id: id)?.state == .queued) }
    }

    @Test func sigtermStopsGracefully() async throws {
        let (process, port) = try await start(directory.path("agent.sqlite"))
        #expect(try await report(port, pod: "p").status == 202)
        kill(process.process.processIdentifier, SIGTERM)
        #expect(try await process.wait(timeout: .seconds(15)) == 0, "\(process.stderr)")
    }
}
