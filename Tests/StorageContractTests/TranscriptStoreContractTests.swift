import Agent
import Foundation
import LLMClient
import Queue
import Storage
import Testing

/// The contract of `TranscriptStore`, run against every driver.
@Suite struct TranscriptStoreContractTests {
    @Test(arguments: StorageDriver.allCases) func roundTripsEveryFieldPerAttempt(driver: StorageDriver) async throws {
        try await driver.with { storage in
            let jobID = try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "p")).job.id
            let store = storage.transcripts
            // Whole milliseconds: what both databases keep exactly.
            let created = Date(timeIntervalSince1970: 1_800_000_000.125)
            let call = ToolCall(id: "c1", name: "pods_log", arguments: #"{"name":"p"}"#)
            let entries = [
                TranscriptEntry(seq: 0, role: .system, content: "sys", createdAt: created),
                TranscriptEntry(seq: 1, role: .assistant, content: nil, toolCalls: [call], model: "m", tokensIn: 10, tokensOut: 2,
                                latencyMilliseconds: 345, createdAt: created),
                TranscriptEntry(seq: 2, role: .tool, content: "log", toolName: "pods_log", toolCallID: "c1",
                                toolArguments: #"{"name":"p"}"#, toolResult: "full log", createdAt: created),
            ]
            let first = store.recorder(jobID: jobID, attempt: 1)
            for entry in entries { try await first.record(entry) }
            try await store.recorder(jobID: jobID, attempt: 2).record(entries[0])

            let read = try await store.entries(jobID: jobID, attempt: 1)
            #expect(read == entries)
            #expect(read[1].message.toolCalls == [call])
            #expect(try await store.attempts(jobID: jobID) == [1, 2])
            #expect(try await store.entries(jobID: jobID, attempt: 3).isEmpty)
        }
    }

    @Test(arguments: StorageDriver.allCases) func rerunningAnAttemptStartsItsTranscriptOver(driver: StorageDriver) async throws {
        try await driver.with { storage in
            let jobID = try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "p")).job.id
            let store = storage.transcripts.recorder(jobID: jobID, attempt: 1)
            for seq in 0..<3 { try await store.record(TranscriptEntry(seq: seq, role: .user, content: "first run \(seq)")) }
            try await store.record(TranscriptEntry(seq: 0, role: .user, content: "second run"))
            let read = try await storage.transcripts.entries(jobID: jobID, attempt: 1)
            #expect(read.map(\.content) == ["second run"])
        }
    }

    @Test(arguments: StorageDriver.allCases) func anEntryOfAnUnknownJobIsRefused(driver: StorageDriver) async throws {
        try await driver.with { storage in
            await #expect(throws: (any Error).self) {
                try await storage.transcripts.record(TranscriptEntry(seq: 0, role: .user, content: "x"), jobID: 999_999, attempt: 1)
            }
        }
    }

    @Test(arguments: StorageDriver.allCases) func summariesSumStepsTokensAndLatencyPerAttempt(driver: StorageDriver) async throws {
        try await driver.with { storage in
            let jobID = try await storage.queue.enqueue(NewJob(namespace: "ci", pod: "p")).job.id
            let store = storage.transcripts
            #expect(try await store.summaries(jobID: jobID).isEmpty)
            let first = store.recorder(jobID: jobID, attempt: 1)
            try await first.record(TranscriptEntry(seq: 0, role: .system, content: "sys"))
            try await first.record(TranscriptEntry(seq: 1, role: .assistant, content: "a", tokensIn: 100, tokensOut: 7, latencyMilliseconds: 40))
            try await first.record(TranscriptEntry(seq: 2, role: .tool, content: "r", toolName: "pods_log"))
            try await first.record(TranscriptEntry(seq: 3, role: .assistant, content: "b", tokensIn: 150, tokensOut: 9, latencyMilliseconds: 60))
            try await store.recorder(jobID: jobID, attempt: 3).record(TranscriptEntry(seq: 0, role: .system, content: "sys"))
            #expect(try await store.summaries(jobID: jobID) == [
                TranscriptSummary(attempt: 1, steps: 4, tokensIn: 250, tokensOut: 16, latencyMilliseconds: 100),
                TranscriptSummary(attempt: 3, steps: 1, tokensIn: 0, tokensOut: 0, latencyMilliseconds: 0),
            ])
        }
    }
}
