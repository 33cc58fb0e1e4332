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

extension FailingStep {
    /// True if cleaned line `t` (leading blanks removed) is the build tool's or runner's own
    /// chatter at the end of a failing step, which says nothing about this failure: a bare or
    /// rule-only line behind a `[LEVEL]` tag (`[ERROR] `, `[INFO] ------`), an `[INFO]` or
    /// `[DEBUG]` line (`[INFO] BUILD FAILURE`, `Total time:`), or a known help banner
    /// (`* Try:`, `> Run with --stacktrace`, `Get more help at`). The step's end share skips
    /// them, so a tool that always ends with the same banner does not crowd out its cause.
    static func isClosingChatter(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        var tag: UnsafeBufferPointer<UInt8>?
        if t.count > 2, t[0] == UInt8(ascii: "["), let close = t.firstIndex(of: UInt8(ascii: "]")), close <= 12,
           t[1..<close].allSatisfy({ ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || $0 == UInt8(ascii: "-") }) {
            tag = UnsafeBufferPointer(rebasing: t[1..<close])
            i = close + 1
        }
        while i < t.count, t[i] == 0x20 || t[i] == 0x09 { i += 1 }
        let body = UnsafeBufferPointer(rebasing: t[i...])
        if body.allSatisfy({ ruleBytes.contains($0) }) { return tag != nil || body.count >= 3 }
        if let tag, ByteClass.hasPrefix(tag, "INFO") || ByteClass.hasPrefix(tag, "DEBUG") { return true }
        return closingBanners.contains { ByteClass.hasLowercasedPrefix(body, $0) }
    }

    private static let ruleBytes: [UInt8] = Array("-=_*~#".utf8)

    /// How help banners that close a failed build begin (lowercase).
    private static let closingBanners: [[UInt8]] = [
        "* try:", "> run with --", "> get more help", "run with --", "get more help at", "* get more help",
        "to see the full stack trace", "re-run maven", "for more information about the errors", "-> [help",
        "[help", "after correcting the problems", "npm err! a complete log", "a complete log of this run",
        "cleaning up project directory", "cleaning up file based variables", "uploading artifacts",
    ].map { Array($0.utf8) }
}
