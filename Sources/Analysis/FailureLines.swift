/// The lines of a log that say what failed, chosen by their content alone, for the failure
/// fingerprint: the anchor lines (score at least `LineValuation.anchorScore`, not tool
/// boilerplate, not inside a private key block), strongest first — ties in an order given by
/// their text, so the same lines printed in another order (parallel tests) are chosen alike —
/// cleaned (`LineCleaner`) and redacted, each digit-free form once.
///
/// Unlike an excerpt, nothing here depends on line numbers, on how long other lines are or on
/// how much output surrounds the failure: the same failure gives the same lines.
public struct FailureLines: Sendable, Equatable {
    /// At most `limit` lines, strongest first.
    public let lines: [String]
    /// Each line's score (`LogScan`), in the order of `lines`.
    public let scores: [Float]

    /// Lines kept: enough for the fingerprint's few key lines after its normalisation merges
    /// some of them.
    public static let limit = 32
    /// Bytes kept of a line (cut on a character boundary, after redaction).
    public static let maxLineBytes = 1024
    /// Anchors looked at, at most: a log that repeats one error a million times is not read a
    /// second time for it.
    static let maxTried = 10_000

    /// Lines of equal strength unless `scores` says otherwise.
    public init(lines: [String], scores: [Float]? = nil) {
        self.lines = lines
        self.scores = scores ?? lines.map { _ in LineValuation.anchorScore }
    }

    /// Scans `log` by itself; the worker gets these with its excerpt from one scan instead
    /// (`LogExcerpt.excerptsAndFailureLines`).
    public init(log: [UInt8], redactor: SecretRedactor = SecretRedactor()) {
        let lines = LogLines(log)
        guard lines.count > 0 else {
            self.init(lines: [])
            return
        }
        var texts = RedactedLines(lines: lines, redactor: redactor)
        texts.keepsNewLines = false
        self.init(lines: lines, scan: LogScan(lines), texts: &texts)
    }

    init(lines: LogLines, scan: LogScan, texts: inout RedactedLines) {
        var scratch: [UInt8] = []
        // (line, digit-free form): the form orders ties by content and merges repeats.
        var anchors: [(index: Int, form: UInt64)] = []
        for i in 0..<lines.count where scan.score[i] >= LineValuation.anchorScore
            && !scan.shape[i].contains(.boilerplate) && !scan.shape[i].contains(.privateKey) {
            let form = lines.bytes.withUnsafeBufferPointer { all in
                LineCleaner.withCleaned(UnsafeBufferPointer(rebasing: all[lines.starts[i]..<lines.ends[i]]), scratch: &scratch) {
                    LogScan.digitFreeHash($0)
                }
            }
            anchors.append((i, form))
        }
        // Repeats of one form keep their latest line.
        anchors.sort { a, b in
            if scan.score[a.index] != scan.score[b.index] { return scan.score[a.index] > scan.score[b.index] }
            return a.form != b.form ? a.form < b.form : a.index > b.index
        }

        var chosen: [String] = []
        var scores: [Float] = []
        var seen = Set<UInt64>()
        // A secret that straddles the cut is still recognised whole (as in the excerpt).
        let margin = 512
        for anchor in anchors.prefix(Self.maxTried) {
            guard seen.insert(anchor.form).inserted else { continue }
            let (text, _) = texts.text(anchor.index, maxBytes: Self.maxLineBytes + margin)
            chosen.append(Self.prefix(text, bytes: Self.maxLineBytes))
            scores.append(scan.score[anchor.index])
            if chosen.count == Self.limit { break }
        }
        self.lines = chosen
        self.scores = scores
    }

    /// `s` cut to at most `bytes` UTF-8 bytes on a character boundary.
    static func prefix(_ s: String, bytes: Int) -> String {
        let utf8 = s.utf8
        guard utf8.count > bytes else { return s }
        var end = utf8.index(utf8.startIndex, offsetBy: bytes)
        while end > utf8.startIndex, String.Index(end, within: s) == nil { end = utf8.index(before: end) }
        return String(s[..<end])
    }
}
