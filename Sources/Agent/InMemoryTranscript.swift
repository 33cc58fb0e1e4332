/// Keeps entries in memory.
public actor InMemoryTranscript: TranscriptRecorder {
    public private(set) var entries: [TranscriptEntry] = []

    public init() {}

    public func record(_ entry: TranscriptEntry) {
        entries.append(entry)
    }
}
