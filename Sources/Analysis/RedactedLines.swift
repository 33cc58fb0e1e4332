/// The cleaned, redacted text of a log's lines, made when a selection first asks for a line
/// and kept for the log's other budgets: the worker excerpts every log twice (key lines and
/// evidence) and both selections try mostly the same lines.
struct RedactedLines {
    let lines: LogLines
    let redactor: SecretRedactor

    private struct Entry {
        /// The whole cleaned line, redacted.
        let text: String
        /// Bytes of the cleaned line before redaction.
        let cleanedCount: Int
    }

    private var entries: [Int: Entry] = [:]
    /// A selection tries a few hundred lines per budget. The cap keeps a log that repeats one
    /// line a million times (every repeat is tried: it costs no budget) from keeping a million strings.
    static let capacity = 4096
    /// False for a log's last selection: nobody would ask for its new lines again.
    var keepsNewLines = true
    private var scratch: [UInt8] = []

    init(lines: LogLines, redactor: SecretRedactor) {
        self.lines = lines
        self.redactor = redactor
    }

    /// Line `i` cleaned (`LineCleaner`) and redacted. A cleaned line longer than `maxBytes` is
    /// cut to `maxBytes` before redacting (regexes over megabytes are slow); `cutBytes` says
    /// how many bytes that dropped. Only uncut lines are kept: a cut depends on the budget.
    mutating func text(_ i: Int, maxBytes: Int) -> (text: String, cutBytes: Int) {
        if let entry = entries[i], entry.cleanedCount <= maxBytes { return (entry.text, 0) }
        let redactor = self.redactor
        let (text, cleanedCount) = lines.bytes.withUnsafeBufferPointer { all in
            let raw = UnsafeBufferPointer(rebasing: all[lines.starts[i]..<lines.ends[i]])
            return LineCleaner.withCleaned(raw, scratch: &scratch) { cleaned in
                // Decoding the kept prefix equals cutting the bytes, then decoding them.
                let kept = UnsafeBufferPointer(rebasing: cleaned.prefix(maxBytes))
                return (redactor.redact(String(decoding: kept, as: UTF8.self)), cleaned.count)
            }
        }
        guard cleanedCount > maxBytes else {
            if keepsNewLines, entries.count < Self.capacity { entries[i] = Entry(text: text, cleanedCount: cleanedCount) }
            return (text, 0)
        }
        return (text, cleanedCount - maxBytes)
    }
}
