/// The lines of a log that say what failed, chosen by their content alone, for the failure
/// fingerprint: the anchor lines (score at least `LineValuation.anchorScore`, not tool
/// boilerplate, not inside a private key block), strongest first — by score, ties the later
/// line first — cleaned (`LineCleaner`) and redacted, each digit-free form once.
///
/// Unlike an excerpt, nothing here depends on line numbers, on how long other lines are or on
/// how much output surrounds the failure: the same failure gives the same lines.
public struct FailureLines: Sendable, Equatable {
    /// At most `limit` lines, strongest first.
    public let lines: [String]

    /// Lines kept: enough for the fingerprint's few key lines after its normalisation merges
    /// some of them.
    public static let limit = 32
    /// Bytes kept of a line (cut on a character boundary, after redaction).
    public static let maxLineBytes = 1024
    /// Anchors looked at, at most: a log that repeats one error a million times is not read a
    /// second time for it.
    static let maxTried = 10_000

    public init(lines: [String]) { self.lines = lines }

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
        var anchors: [Int] = []
        for i in 0..<lines.count where scan.score[i] >= LineValuation.anchorScore
            && !scan.shape[i].contains(.boilerplate) && !scan.shape[i].contains(.privateKey) {
            anchors.append(i)
        }
        anchors.sort { scan.score[$0] != scan.score[$1] ? scan.score[$0] > scan.score[$1] : $0 > $1 }

        var chosen: [String] = []
        var seen = Set<UInt64>()
        var scratch: [UInt8] = []
        // A secret that straddles the cut is still recognised whole (as in the excerpt).
        let margin = 512
        for i in anchors.prefix(Self.maxTried) {
            let form = lines.bytes.withUnsafeBufferPointer { all in
                LineCleaner.withCleaned(UnsafeBufferPointer(rebasing: all[lines.starts[i]..<lines.ends[i]]), scratch: &scratch) {
                    LogScan.digitFreeHash($0)
                }
            }
            guard seen.insert(form).inserted else { continue }
            let (text, _) = texts.text(i, maxBytes: Self.maxLineBytes + margin)
            chosen.append(Self.prefix(text, bytes: Self.maxLineBytes))
            if chosen.count == Self.limit { break }
        }
        self.lines = chosen
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
