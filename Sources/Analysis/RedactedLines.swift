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

    /// `line` (line `i`) redacted. Some secrets are a value whose key is on a line above:
    /// the line right above (`- name: DB_PASSWORD⏎  value: x`, `- --password⏎- x`,
    /// `"password":⏎  "x"`) or the less indented line that opens the block the line is in
    /// (`password: |⏎  x`, a Secret's `data:⏎  tls.key: …`). Such a line is redacted after
    /// that line, then on its own (so it loses nothing a lone redaction would find).
    private mutating func redacted(_ line: String, at i: Int) -> String {
        var text = line
        var joined = false
        if i > 0, Self.mayBeAValueOfTheLineAbove(line), let after = redacted(text, after: i - 1) {
            text = after
            joined = true
        }
        if let header = blockHeader(of: line, at: i), header != i - 1 || !joined, let after = redacted(text, after: header) {
            text = after
            joined = true
        }
        return joined ? redactor.redact(text) : redactedAlone(line)
    }

    /// `line` redacted as the line after line `above`; nil if a match spanned the joint.
    private mutating func redacted(_ line: String, after above: Int) -> String? {
        let (aboveText, _) = cleaned(above, maxBytes: 1024)
        guard !aboveText.isEmpty else { return nil }
        let both = redactor.redact(aboveText + "\n" + line)
        // Markers hold no line break: if the joint is gone, a match spanned it.
        guard let joint = both.utf8.firstIndex(of: 0x0A) else { return nil }
        return String(both[both.utf8.index(after: joint)...])
    }

    /// How far up a block's opening line is looked for.
    static let blockHeaderReach = 32

    /// The line that opens the YAML block an indented `line` (line `i`) belongs to: the nearest
    /// less indented line above, if it ends in `:` or a block scalar indicator (`: |`, `: >-`).
    private mutating func blockHeader(of line: String, at i: Int) -> Int? {
        let indent = Self.indentation(line)
        guard indent > 0, indent < line.utf8.count else { return nil }
        var j = i - 1
        while j >= 0, j >= i - Self.blockHeaderReach {
            let (above, _) = cleaned(j, maxBytes: 1024)
            let aboveIndent = Self.indentation(above)
            if aboveIndent < above.utf8.count, aboveIndent < indent {
                return Self.opensBlock(above) ? j : nil
            }
            j -= 1
        }
        return nil
    }

    /// Leading blanks.
    static func indentation(_ line: String) -> Int {
        line.utf8.prefix { $0 == 0x20 || $0 == 0x09 }.count
    }

    /// Ends in `:` (a map's key) or in `:` and a block scalar indicator (`|`, `>-`, `|2+`).
    static func opensBlock(_ line: String) -> Bool {
        var rest = line.utf8.reversed().drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        guard let last = rest.first else { return false }
        if last == UInt8(ascii: ":") { return true }
        rest = rest.drop { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") || ByteClass.isDigit($0) }
        guard let indicator = rest.first, indicator == UInt8(ascii: "|") || indicator == UInt8(ascii: ">") else { return false }
        return rest.dropFirst().drop { $0 == 0x20 || $0 == 0x09 }.first == UInt8(ascii: ":")
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
