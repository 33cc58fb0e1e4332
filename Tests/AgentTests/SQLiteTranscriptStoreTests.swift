import Agent
import Foundation
import LLMClient
import Store
import Testing
import TestSupport

@Suite struct SQLiteTranscriptStoreTests {
    func database(_ directory: TemporaryDirectory) async throws -> (Database, Int64) {
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let jobID = try await database.write { connection in
            try connection.execute("INSERT INTO jobs (namespace, pod, run_after, created_at, updated_at) VALUES ('ci', 'p', 0, 0, 0)")
            return connection.lastInsertRowID
        }
        return (database, jobID)
    }

    @Test func roundTripsEveryFieldPerAttempt() async throws {
        let directory = TemporaryDirectory()
        let (database, jobID) = try await database(directory)
        let created = Date(timeIntervalSince1970: 1_800_000_000.123)
        let call = ToolCall(id: "c1", name: "pods_log", arguments: #"{"name":"p"}"#)
        let entries = [
            TranscriptEntry(seq: 0, role: .system, content: "sys", createdAt: created),
            TranscriptEntry(seq: 1, role: .assistant, content: nil, toolCalls: [call], model: "m", tokensIn: 10, tokensOut: 2,
                            latencyMilliseconds: 345, createdAt: created),
            TranscriptEntry(seq: 2, role: .tool, content: "log", toolName: "pods_log", toolCallID: "c1",
                            toolArguments: #"{"name":"p"}"#, toolResult: "full log", createdAt: created),
        ]
        let store = SQLiteTranscriptStore(database: database)
        let first = store.recorder(jobID: jobID, attempt: 1)
        for entry in entries { try await first.record(entry) }
        try await store.recorder(jobID: jobID, attempt: 2).record(entries[0])

        let read = try await store.entries(jobID: jobID, attempt: 1)
        #expect(read == entries)
        #expect(read[1].message.toolCalls == [call])
        #expect(try await store.attempts(jobID: jobID) == [1, 2])
    }

    @Test func rerunningAnAttemptStartsItsTranscriptOver() async throws {
        let directory = TemporaryDirectory()
        let (database, jobID) = try await database(directory)
        let store = SQLiteTranscriptStore(database: database).recorder(jobID: jobID, attempt: 1)
        for seq in 0..<3 { try await store.record(TranscriptEntry(seq: seq, role: .user, content: "first run \(seq)")) }
        try await store.record(TranscriptEntry(seq: 0, role: .user, content: "second run"))
        let read = try await SQLiteTranscriptStore(database: database).entries(jobID: jobID, attempt: 1)
        #expect(read.map(\.content) == ["second run"])
    }
}
