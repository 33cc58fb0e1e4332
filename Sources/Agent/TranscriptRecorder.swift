/// Where an analysis writes its transcript: the database in the worker, memory in tests and
/// in `agentctl analyze`.
public protocol TranscriptRecorder: Sendable {
    func record(_ entry: TranscriptEntry) async throws
}
