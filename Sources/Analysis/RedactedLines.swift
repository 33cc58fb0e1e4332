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
    /// Redactions by line text: every repeat of a line is tried (see `capacity`), and a
    /// repeated line with a secret would otherwise meet the regexes a million times.
    private var byText: [String: String] = [:]
    static let byTextCapacity = 1024
    static let byTextMaxBytes = 512

    init(lines: LogLines, redactor: SecretRedactor) {
        self.lines = lines
        self.redactor = redactor
    }

    /// Line `i` cleaned (`LineCleaner`) and redacted. A cleaned line longer than `maxBytes` is
    /// cut to `maxBytes` before redacting (regexes over megabytes are slow); `cutBytes` says
    /// how many bytes that dropped. Only uncut lines are kept: a cut depends on the budget.
    mutating func text(_ i: Int, maxBytes: Int) -> (text: String, cutBytes: Int) {
        if let entry = entries[i], entry.cleanedCount <= maxBytes { return (entry.text, 0) }
        let (line, cleanedCount) = cleaned(i, maxBytes: maxBytes)
        let text = redacted(line, at: i)
        guard cleanedCount > maxBytes else {
            if keepsNewLines, entries.count < Self.capacity { entries[i] = Entry(text: text, cleanedCount: cleanedCount) }
            return (text, 0)
        }
        return (text, cleanedCount - maxBytes)
    }

    /// Line `i` cleaned and cut to `maxBytes`, and the cleaned line's whole length.
    private mutating func cleaned(_ i: Int, maxBytes: Int) -> (String, Int) {
        lines.bytes.withUnsafeBufferPointer { all in
            let raw = UnsafeBufferPointer(rebasing: all[lines.starts[i]..<lines.ends[i]])
            return LineCleaner.withCleaned(raw, scratch: &scratch) { cleaned in
                // Decoding the kept prefix equals cutting the bytes, then decoding them.
                let kept = UnsafeBufferPointer(rebasing: cleaned.prefix(maxBytes))
                return (String(decoding: kept, as: UTF8.self), cleaned.count)
            }
        }
    }

    /// `line` (line `i`) redacted. Some secrets are a value whose key is on the line above
    /// (`- name: DB_PASSWORD⏎  value: x`, `- --password⏎- x`): a line shaped like such a value
    /// is redacted after the line above it, then on its own (so it loses nothing a lone
    /// redaction would find).
    private mutating func redacted(_ line: String, at i: Int) -> String {
        guard i > 0, Self.mayBeAValueOfTheLineAbove(line) else { return redactedAlone(line) }
        let (above, _) = cleaned(i - 1, maxBytes: 1024)
        guard !above.isEmpty else { return redactedAlone(line) }
        let both = redactor.redact(above + "\n" + line)
        // Markers hold no line break: if the joint is gone, a match spanned it; fall back.
        guard let joint = both.utf8.firstIndex(of: 0x0A) else { return redactedAlone(line) }
        return redactor.redact(String(both[both.utf8.index(after: joint)...]))
    }

    /// `line` redacted by itself, which depends on its text only.
    private mutating func redactedAlone(_ line: String) -> String {
        if let known = byText[line] { return known }
        let text = redactor.redact(line)
        if byText.count < Self.byTextCapacity, line.utf8.count <= Self.byTextMaxBytes { byText[line] = text }
        return text
    }

    /// `value: …`, a YAML list item `- …` or a quoted JSON string (`"value": …`, `"x"` in a
    /// pretty-printed list; optionally escaped).
    static func mayBeAValueOfTheLineAbove(_ line: String) -> Bool {
        var rest = line.utf8.drop { $0 == 0x20 || $0 == 0x09 }
        guard let first = rest.first else { return false }
        if first == UInt8(ascii: "-") {
            let next = rest.dropFirst().first
            return next == 0x20 || next == 0x09
        }
        if first == UInt8(ascii: "\\") { rest = rest.dropFirst() }
        if rest.first == UInt8(ascii: "\"") { return true }
        return rest.prefix(5).map(ByteClass.lower).elementsEqual("value".utf8)
    }
}
