import Foundation
import LLMClient
import Store

/// Transcripts in SQLite's `transcript_entries`.
public struct SQLiteTranscriptStore: TranscriptStore {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func record(_ entry: TranscriptEntry, jobID: Int64, attempt: Int) async throws {
        let bindings: [any SQLBindable] = [
            jobID, attempt, entry.seq, entry.role.rawValue, entry.content, entry.toolName, entry.toolCallID,
            entry.toolArguments, entry.toolResult, TranscriptToolCalls.encode(entry.toolCalls), entry.model,
            entry.tokensIn, entry.tokensOut, entry.latencyMilliseconds, entry.createdAt.epochMilliseconds,
        ]
        let values = bindings.map(\.sqlValue)
        let restarts = entry.seq == 0
        try await database.write { connection in
            // A released job may run the same attempt number again: its transcript starts over.
            if restarts {
                try connection.execute("DELETE FROM transcript_entries WHERE job_id = ? AND attempt = ?", [jobID, attempt])
            }
            try connection.execute("""
                INSERT INTO transcript_entries (job_id, attempt, seq, role, content, tool_name, tool_call_id,
                    tool_arguments, tool_result, tool_calls, model, tokens_in, tokens_out, latency_ms, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, values)
        }
    }

    public func entries(jobID: Int64, attempt: Int) async throws -> [TranscriptEntry] {
        try await database.read { connection in
            try connection.query("""
                SELECT seq, role, content, tool_name, tool_call_id, tool_arguments, tool_result, tool_calls, model,
                       tokens_in, tokens_out, latency_ms, created_at
                FROM transcript_entries WHERE job_id = ? AND attempt = ? ORDER BY seq
                """, [jobID, attempt]) { row in
                TranscriptEntry(
                    seq: row.int(0),
                    role: ChatMessage.Role(rawValue: row.string(1)) ?? .assistant,
                    content: row.optionalString(2),
                    toolName: row.optionalString(3),
                    toolCallID: row.optionalString(4),
                    toolArguments: row.optionalString(5),
                    toolResult: row.optionalString(6),
                    toolCalls: TranscriptToolCalls.decode(row.optionalString(7)),
                    model: row.optionalString(8),
                    tokensIn: row.optionalInt64(9).map(Int.init),
                    tokensOut: row.optionalInt64(10).map(Int.init),
                    latencyMilliseconds: row.optionalInt64(11).map(Int.init),
                    createdAt: Date(epochMilliseconds: row.int64(12)))
            }
        }
    }

    public func attempts(jobID: Int64) async throws -> [Int] {
        try await database.read { connection in
            try connection.query(
                "SELECT DISTINCT attempt FROM transcript_entries WHERE job_id = ? ORDER BY attempt", [jobID]) { $0.int(0) }
        }
    }

    public func summaries(jobID: Int64) async throws -> [TranscriptSummary] {
        try await database.read { connection in
            try connection.query("""
                SELECT attempt, COUNT(*), COALESCE(SUM(tokens_in), 0), COALESCE(SUM(tokens_out), 0), COALESCE(SUM(latency_ms), 0)
                FROM transcript_entries WHERE job_id = ? GROUP BY attempt ORDER BY attempt
                """, [jobID]) {
                TranscriptSummary(
                    attempt: $0.int(0), steps: $0.int(1), tokensIn: $0.int(2), tokensOut: $0.int(3), latencyMilliseconds: $0.int(4))
            }
        }
    }
}
