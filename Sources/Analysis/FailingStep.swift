/// Where the failing step of a CI job ends, and where the runner's own epilogue (post-job
/// steps, cleanup) begins. A GitHub Actions job goes on after its failed step: `Post job
/// cleanup.`, cache uploads, `git config --unset …`; Travis prints `Done. Your build exited
/// with 1.`; Jenkins `Finished: FAILURE`; GitLab `ERROR: Job failed`. What comes after the
/// failing step is boilerplate that a plain tail would show instead of the cause.
///
/// A Tekton step log has none of these markers: its step ends where the log ends.
struct FailingStep: Sendable, Equatable {
    /// Last line (0-based) of the failing step: the runner's failure line if there is one,
    /// else the last line before the epilogue.
    var end: Int
    /// First line of the epilogue; `lineCount` when there is none.
    var epilogueStart: Int

    /// What a line says about the job's structure.
    enum Marker: UInt8, Sendable {
        case none
        /// The runner reports the step (or job) as failed.
        case failureEnd
        /// The runner's post-job work begins.
        case epilogue
    }

    /// Marker of a cleaned line `t` (leading blanks removed).
    static func marker(_ t: UnsafeBufferPointer<UInt8>) -> Marker {
        if ByteClass.hasPrefix(t, "##[error]") || ByteClass.hasPrefix(t, "Done. Your build exited with")
            || ByteClass.hasPrefix(t, "Finished: FAILURE") || ByteClass.hasPrefix(t, "ERROR: Job failed") {
            return .failureEnd
        }
        if ByteClass.hasPrefix(t, "Post job cleanup.") { return .epilogue }
        return .none
    }

    /// The step from the markers of the lines that have one (line, marker), in log order.
    init(markers: [(line: Int, marker: Marker)], lineCount n: Int) {
        let post = markers.first { $0.marker == .epilogue }?.line ?? n
        if let failure = markers.last(where: { $0.marker == .failureEnd && $0.line < post }) {
            end = failure.line
            epilogueStart = failure.line + 1
        } else {
            end = max(0, post - 1)
            epilogueStart = post
        }
    }
}
