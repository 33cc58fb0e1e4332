/// Where transcripts are kept: every attempt's entries, in order. A storage seam:
/// `SQLiteTranscriptStore` for one file, a PostgreSQL driver for replicas on several hosts;
/// both pass one contract suite.
public protocol TranscriptStore: Sendable {
    /// Stores one entry of a job's attempt. An entry with `seq` 0 starts the attempt's
    /// transcript over (a released job may run the same attempt number again).
    func record(_ entry: TranscriptEntry, jobID: Int64, attempt: Int) async throws
    /// Entries of one attempt in order.
    func entries(jobID: Int64, attempt: Int) async throws -> [TranscriptEntry]
    /// Attempts of a job that have a transcript, ascending.
    func attempts(jobID: Int64) async throws -> [Int]
    /// Per attempt with a transcript, ascending: its steps, tokens and model latency summed
    /// (the web UI's job page, without reading every entry).
    func summaries(jobID: Int64) async throws -> [TranscriptSummary]
}

/// One attempt's transcript in numbers.
public struct TranscriptSummary: Sendable, Equatable {
    public var attempt: Int
    public var steps: Int
    public var tokensIn: Int
    public var tokensOut: Int
    /// Time spent waiting for the model, summed over its answers.
    public var latencyMilliseconds: Int

    public init(attempt: Int, steps: Int, tokensIn: Int, tokensOut: Int, latencyMilliseconds: Int) {
        self.attempt = attempt
        self.steps = steps
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.latencyMilliseconds = latencyMilliseconds
    }
}

extension TranscriptStore {
    /// The recorder an analysis writes one attempt's transcript through.
    public func recorder(jobID: Int64, attempt: Int) -> AttemptTranscript {
        AttemptTranscript(store: self, jobID: jobID, attempt: attempt)
    }
}

/// One attempt's transcript in a `TranscriptStore`.
public struct AttemptTranscript: TranscriptRecorder {
    public let store: any TranscriptStore
    public let jobID: Int64
    public let attempt: Int

    public func record(_ entry: TranscriptEntry) async throws {
        try await store.record(entry, jobID: jobID, attempt: attempt)
    }
}
