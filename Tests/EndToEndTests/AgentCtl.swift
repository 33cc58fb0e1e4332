import Foundation
import JSON
import MCPClient
import TestSupport

/// The real `agentctl` binary against a test's database.
enum AgentCtl {
    static func run(_ arguments: [String], database: String) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(try BuildProducts.executable("agentctl"), arguments + ["--db", database],
                                   environment: ["AGENT_DB": database], timeout: .seconds(60))
    }

    /// `agentctl transcript JOB --json`: the stored conversation as OpenAI messages.
    static func transcript(job: Int64, database: String) async throws -> JSONValue {
        let result = try await run(["transcript", String(job), "--json"], database: database)
        guard result.status == 0 else { throw TestSupportError("agentctl transcript \(job) failed: \(result.stderr)") }
        return try JSONValue.decode(Data(result.stdout.utf8))
    }
}
