import Foundation
import HTTPClient
import TestSupport

/// `pipeline-agent ingest` started on a free loopback port, ready once `/healthz` answers.
struct IngestProcess {
    let process: ChildProcess
    let port: Int

    init(db: String, client: HTTPClient, logLevel: String = "warning", environment: [String: String] = [:]) async throws {
        port = try TestPeer.freePort()
        process = try ChildProcess(
            try BuildProducts.executable("pipeline-agent"),
            ["ingest", "--db", db, "--host", "127.0.0.1", "--port", String(port)],
            environment: environment.merging(["LOG_LEVEL": logLevel]) { $1 })
        let deadline = ContinuousClock.now + .seconds(60)
        while (try? await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/healthz", timeout: .seconds(1))))?.status != 200 {
            guard ContinuousClock.now < deadline, process.process.isRunning else {
                throw TestSupportError("ingest did not start: \(process.stderr)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
