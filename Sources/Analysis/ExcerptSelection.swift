/// Picks lines by value until the byte budget is spent, then renders them in log order.
/// Identical lines are shown once with a count; a `…` line marks skipped lines.
struct ExcerptSelection {
    let lines: LogLines
    let scan: LogScan
    let value: [Float]
    let budgetBytes: Int

    private var covered: [Bool]
    /// Representative line for each shown text, and how many lines it stands for.
    private var representative: [Substring: Int] = [:]
    private var count: [Int: Int] = [:]
    private var text: [Int: String] = [:]
    private var used = 0
    /// Runs of shown lines; each run after the first costs one `…` marker line.
    private var blocks = 0

    static let gapMarker = "…"

    init(lines: LogLines, scan: LogScan, value: [Float], budgetBytes: Int) {
        self.lines = lines
        self.scan = scan
        self.value = value
        self.budgetBytes = budgetBytes
        self.covered = [Bool](repeating: false, count: lines.count)
    }

    /// `texts` holds the lines' redacted text; it is shared by the selections of one log.
    mutating func render(_ texts: inout RedactedLines) -> String {
        let candidates = value.indices.filter { value[$0] > 0 }
            .sorted { value[$0] != value[$1] ? value[$0] > value[$1] : $0 > $1 }
        var misses = 0
        for i in candidates {
            if !add(i, &texts) {
                misses += 1
                // Keep trying smaller lines for a while; stop once the budget is clearly full.
                if misses > 200 || budgetBytes - used < 16 { break }
            }
        }
        return output()
    }

    /// Adds line `i` if its cost fits; returns false if it did not.
    private mutating func add(_ i: Int, _ texts: inout RedactedLines) -> Bool {
        let content = shownText(i, &texts)
        let key = Self.repeatKey(content)
        let blockDelta = blockChange(adding: i)
        let markerCost = blockDelta * (Self.gapMarker.utf8.count + 1)
        if let rep = representative[key], let shown = text[rep] {
            let old = count[rep] ?? 1
            // Keep the fuller form (`[ERROR]   symbol: x` over `  symbol: x`): it contains the other.
            let longer = content.utf8.count > shown.utf8.count ? content : shown
            let cost = Self.countLabelLength(old + 1) - Self.countLabelLength(old)
                + longer.utf8.count - shown.utf8.count + markerCost
            guard used + cost <= budgetBytes else { return false }
            // Show the text at its first occurrence; a smaller line number is never longer.
            let first = min(i, rep)
            text.removeValue(forKey: rep)
            count.removeValue(forKey: rep)
            text[first] = longer
            count[first] = old + 1
            representative[key] = first
            commit(i, cost: cost, blockDelta: blockDelta)
            return true
        }
        let cost = Self.prefixLength(line: i + 1, count: 1) + content.utf8.count + 1 + markerCost
        guard used + cost <= budgetBytes else { return false }
        representative[key] = i
        text[i] = content
        commit(i, cost: cost, blockDelta: blockDelta)
        return true
    }

    /// Lines that differ only in a leading `[LEVEL]` tag or indentation count as repeats
    /// (Maven prints each compiler error once plain and once tagged `[ERROR]`).
    static func repeatKey(_ s: String) -> Substring {
        if let key = asciiRepeatKey(s) { return key }
        var rest = Substring(s)
        if rest.first == "[", let close = rest.firstIndex(of: "]"), rest.distance(from: rest.startIndex, to: close) <= 10,
           rest[rest.index(after: rest.startIndex)..<close].allSatisfy({ $0.isUppercase }) {
            rest = rest[rest.index(after: close)...]
        }
        return rest.drop { $0 == " " || $0 == "\t" }
    }

    /// `repeatKey` on bytes, for text in which every byte is a character (ASCII without CR:
    /// no combining marks, no CRLF cluster), which log lines nearly always are.
    private static func asciiRepeatKey(_ s: String) -> Substring? {
        guard let found = s.utf8.withContiguousStorageIfAvailable(asciiRepeatKeyStart), let start = found else { return nil }
        return s[s.utf8.index(s.utf8.startIndex, offsetBy: start)...]
    }

    /// Offset where the repeat key of ASCII text `b` starts; nil if `b` is not such text.
    private static func asciiRepeatKeyStart(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard b.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
        var start = 0
        if b.count > 1, b[0] == UInt8(ascii: "[") {
            var close = 1
            while close < b.count, close <= 10, b[close] != UInt8(ascii: "]") { close += 1 }
            if close < b.count, close <= 10, b[close] == UInt8(ascii: "]"),
               b[1..<close].allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
                start = close + 1
            }
        }
        while start < b.count, b[start] == 0x20 || b[start] == 0x09 { start += 1 }
        return start
    }

    private mutating func commit(_ i: Int, cost: Int, blockDelta: Int) {
        covered[i] = true
        used += cost
        blocks = blocks == 0 ? 1 : blocks + blockDelta
    }

    /// Change in the number of `…` markers: +1 if the line starts a new block, -1 if it
    /// joins two, 0 if it extends one. The first block needs no marker.
    private func blockChange(adding i: Int) -> Int {
        if blocks == 0 { return 0 }
        let joinsBefore = neighbour(of: i, step: -1).map { covered[$0] } ?? false
        let joinsAfter = neighbour(of: i, step: 1).map { covered[$0] } ?? false
        switch (joinsBefore, joinsAfter) {
        case (true, true): return -1
        case (false, false): return 1
        default: return 0
        }
    }

    /// The nearest non-blank line above or below.
    private func neighbour(of i: Int, step: Int) -> Int? {
        var j = i + step
        while j >= 0, j < lines.count {
            if !scan.shape[j].contains(.blank) { return j }
            j += step
        }
        return nil
    }

    private func shownText(_ i: Int, _ texts: inout RedactedLines) -> String {
        if scan.shape[i].contains(.privateKey) { return SecretRedactor.marker("private_key") }
        let limit = maxLineBytes(i)
        // Huge lines are cut before redacting; the margin lets a secret that straddles the
        // final cut still be recognised whole.
        let margin = 512
        let (redacted, cutBytes) = texts.text(i, maxBytes: limit + margin)
        return Self.truncated(redacted, maxBytes: limit, alreadyCut: cutBytes)
    }

    /// A line with a failure signal may take half the budget (its message is the point); a context line
    /// a fifth, so one huge line cannot crowd out the rest.
    private func maxLineBytes(_ i: Int) -> Int {
        scan.score[i] > 0
            ? min(4000, max(256, budgetBytes / 2))
            : min(1000, max(200, budgetBytes / 5))
    }

    /// `s` cut to at most `maxBytes` on a character boundary, with a marker saying how much
    /// was dropped (`alreadyCut` bytes were removed before `s` was made).
    static func truncated(_ s: String, maxBytes: Int, alreadyCut: Int = 0) -> String {
        let utf8 = s.utf8
        guard utf8.count > maxBytes || alreadyCut > 0 else { return s }
        var end = utf8.index(utf8.startIndex, offsetBy: min(maxBytes, utf8.count))
        while end > utf8.startIndex, String.Index(end, within: s) == nil { end = utf8.index(before: end) }
        let kept = String(s[..<end])
        return kept + " …[+\(utf8.count - kept.utf8.count + alreadyCut) bytes]"
    }

    static func countLabel(_ n: Int) -> String { n > 1 ? " x\(n)" : "" }

    static func prefix(line: Int, count: Int) -> String { "L\(line)\(countLabel(count)): " }

    /// `countLabel(n).utf8.count` without making the string (costs are summed for every try).
    static func countLabelLength(_ n: Int) -> Int { n > 1 ? 2 + decimalDigits(n) : 0 }

    /// `prefix(line:count:).utf8.count` without making the string.
    static func prefixLength(line: Int, count: Int) -> Int { 3 + decimalDigits(line) + countLabelLength(count) }

    /// Digits of a positive `n` in decimal.
    private static func decimalDigits(_ n: Int) -> Int {
        var digits = 1
        var rest = n
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return digits
    }

    /// Shown lines in log order; a `…` goes between two shown lines when a non-blank line
    /// between them is neither shown nor counted as a repeat.
    private func output() -> String {
        var out = ""
        out.reserveCapacity(budgetBytes + 64)
        var previous: Int?
        for i in 0..<lines.count where covered[i] {
            guard let shown = text[i] else { continue }   // a repeat, shown by its representative
            if let p = previous, hasGap(from: p, to: i) {
                out += Self.gapMarker
                out += "\n"
            }
            previous = i
            out += Self.prefix(line: i + 1, count: count[i] ?? 1)
            out += shown
            out += "\n"
        }
        return out.withExactCapacity
    }

    private func hasGap(from a: Int, to b: Int) -> Bool {
        guard b > a + 1 else { return false }
        for j in (a + 1)..<b where !covered[j] && !scan.shape[j].contains(.blank) { return true }
        return false
    }
}
