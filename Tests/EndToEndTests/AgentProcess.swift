import Foundation
import HTTPClient
import JSON
import MCPClient
import TestSupport

/// The real `pipeline-agent` binary as a child process (`serve`, `ingest` or `worker`), with
/// the environment of one test. Killed with SIGKILL when released.
final class AgentProcess: Sendable {
    let child: ChildProcess
    /// The webhook's base URL (`serve` and `ingest`).
    let baseURL: String?

    private init(child: ChildProcess, baseURL: String?) {
        self.child = child
        self.baseURL = baseURL
    }

    /// Starts `pipeline-agent serve` or `ingest` on a free port and waits until it answers `/healthz`.
    static func webhook(_ command: String, environment: [String: String]) async throws -> AgentProcess {
        let port = try TestPeer.freePort()
        var environment = environment
        environment["PORT"] = String(port)
        let child = try ChildProcess(try BuildProducts.executable("pipeline-agent"), [command], environment: environment)
        let process = AgentProcess(child: child, baseURL: "http://127.0.0.1:\(port)")
        _ = try await eventually("pipeline-agent \(command) to answer /healthz", timeout: .seconds(60), every: .milliseconds(50)) {
            guard child.process.isRunning else {
                throw TestSupportError("pipeline-agent \(command) exited (\(child.process.terminationStatus)): \(child.stderr)")
            }
            let response = try? await HTTPClient().send(HTTPRequest(url: process.baseURL! + "/healthz", timeout: .seconds(2)))
            return response?.status == 200 ? true : nil
        }
        return process
    }

    /// Starts `pipeline-agent worker`.
    static func worker(environment: [String: String]) throws -> AgentProcess {
        AgentProcess(child: try ChildProcess(try BuildProducts.executable("pipeline-agent"), ["worker"], environment: environment),
                     baseURL: nil)
    }

    func kill() { child.kill() }

    var stderr: String { child.stderr }

    /// `POST /report-failure` (with `?wait=` when given); returns the status, body and `Location`.
    func report(namespace: String, pod: String, container: String?, wait: Int? = nil, token: String? = nil) async throws
        -> (status: Int, body: JSONValue, location: String?) {
        var object: [String: JSONValue] = ["namespace": .string(namespace), "pod_name": .string(pod)]
        if let container { object["container_name"] = .string(container) }
        let url = baseURL! + "/report-failure" + (wait.map { "?wait=\($0)" } ?? "")
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let token { headers.add("Authorization", "Bearer \(token)") }
        let response = try await HTTPClient().send(HTTPRequest(
            method: "POST", url: url, headers: headers,
            body: try JSONValue.object(object).encoded(), timeout: .seconds(Int64((wait ?? 0) + 60))))
        return (response.status, try JSONValue.decode(response.body), response.headers["Location"])
    }

    /// `GET /jobs/{id}`.
    func job(_ id: Int64) async throws -> JSONValue {
        let response = try await HTTPClient().send(HTTPRequest(url: baseURL! + "/jobs/\(id)"))
        guard response.status == 200 else { throw TestSupportError("GET /jobs/\(id) answered \(response.status): \(response.text)") }
        return try JSONValue.decode(response.body)
    }
}
