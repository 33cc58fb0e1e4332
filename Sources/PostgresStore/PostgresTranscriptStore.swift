import Agent
import Foundation
import LLMClient
import PostgresNIO

/// Transcripts in PostgreSQL's `transcript_entries`.
public struct PostgresTranscriptStore: TranscriptStore {
    public let backend: PostgresBackend

    public init(backend: PostgresBackend) {
        self.backend = backend
    }

    public func record(_ entry: TranscriptEntry, jobID: Int64, attempt: Int) async throws {
        let insert: PostgresQuery = """
            INSERT INTO transcript_entries (job_id, attempt, seq, role, content, tool_name, tool_call_id, tool_arguments,
                tool_result, tool_calls, model, tokens_in, tokens_out, latency_ms, created_at)
            VALUES (\(jobID), \(attempt), \(entry.seq), \(entry.role.rawValue), \(entry.content), \(entry.toolName),
                    \(entry.toolCallID), \(entry.toolArguments), \(entry.toolResult), \(TranscriptToolCalls.encode(entry.toolCalls)),
                    \(entry.model), \(entry.tokensIn), \(entry.tokensOut), \(entry.latencyMilliseconds), \(entry.createdAt))
            """
        guard entry.seq == 0 else {
            try await backend.execute(insert)
            return
        }
        // A released job may run the same attempt number again: its transcript starts over.
        try await backend.transaction { tx in
            try await tx.execute("DELETE FROM transcript_entries WHERE job_id = \(jobID) AND attempt = \(attempt)")
            try await tx.execute(insert)
        }
    }

    public func entries(jobID: Int64, attempt: Int) async throws -> [TranscriptEntry] {
        try await backend.rows("""
            SELECT seq, role, content, tool_name, tool_call_id, tool_arguments, tool_result, tool_calls, model,
                   tokens_in, tokens_out, latency_ms, created_at
            FROM transcript_entries WHERE job_id = \(jobID) AND attempt = \(attempt) ORDER BY seq
            """) { row in
            TranscriptEntry(
                seq: try row.value(0),
                role: ChatMessage.Role(rawValue: try row.value(1, as: String.self)) ?? .assistant,
                content: try row.value(2), toolName: try row.value(3), toolCallID: try row.value(4),
                toolArguments: try row.value(5), toolResult: try row.value(6),
                toolCalls: TranscriptToolCalls.decode(try row.value(7, as: String?.self)),
                model: try row.value(8), tokensIn: try row.value(9), tokensOut: try row.value(10),
                latencyMilliseconds: try row.value(11), createdAt: try row.value(12))
        }
    }

    public func attempts(jobID: Int64) async throws -> [Int] {
        try await backend.rows(
            "SELECT DISTINCT attempt FROM transcript_entries WHERE job_id = \(jobID) ORDER BY attempt") { row in
            try row.value(0, as: Int.self)
        }
    }

    public func summaries(jobID: Int64) async throws -> [TranscriptSummary] {
        try await backend.rows("""
            SELECT attempt, COUNT(*)::bigint, COALESCE(SUM(tokens_in), 0)::bigint, COALESCE(SUM(tokens_out), 0)::bigint,
                   COALESCE(SUM(latency_ms), 0)::bigint
            FROM transcript_entries WHERE job_id = \(jobID) GROUP BY attempt ORDER BY attempt
            """) { row in
            TranscriptSummary(
                attempt: try row.value(0), steps: try row.value(1), tokensIn: try row.value(2), tokensOut: try row.value(3),
                latencyMilliseconds: try row.value(4))
        }
    }
}
