import Foundation

/// Picks lines until the byte budget is spent, then renders them in log order: first the last
/// lines of the failing step up to a share of the budget (what a plain tail shows, without the
/// runner's epilogue: it keeps causes that no signal marks), then lines by value.
/// Identical lines are shown once with a count; a `…` line marks skipped lines.
struct ExcerptSelection {
    let lines: LogLines
    let scan: LogScan
    let valuation: LineValuation
    let budgetBytes: Int

    /// Share of the budget kept for the end of the failing step (0.1 tuned on CiDiff: 0.2 and
    /// 0.3 lost cases there; on LogDx 0.1 and 0.3 tied). Swept again once closing chatter was
    /// skipped and repeats lowered: CiDiff at 500 tokens 0.686 / 0.671 / 0.614 for 0.1 / 0.2 /
    /// 0.3, LogDx 0.722 / 0.722 / 0.667.
    static let stepEndShare = 0.1

    private var value: [Float] { valuation.value }
    /// Lines taken as the end of the failing step, before any line by value.
    private(set) var reserved = Set<Int>()
    /// The share of the budget the step's end got (`stepEndShare`, or `quietStepEndShare`).
    private(set) var shareOfStepEnd = stepEndShare

    private var covered: [Bool]
    /// Representative line for each shown text, and how many lines it stands for.
    private var representative: [Substring: Int] = [:]
    private var count: [Int: Int] = [:]
    private var text: [Int: String] = [:]
    private var used = 0
    /// Chosen failure lines per template (`LogScan.template`).
    private var shownOfTemplate: [Int32: Int] = [:]
    /// Runs of shown lines; each run after the first costs one `…` marker line.
    private var blocks = 0

    static let gapMarker = "…"

    init(lines: LogLines, scan: LogScan, valuation: LineValuation, budgetBytes: Int) {
        self.lines = lines
        self.scan = scan
        self.valuation = valuation
        self.budgetBytes = budgetBytes
        self.covered = [Bool](repeating: false, count: lines.count)
    }

    /// `texts` holds the lines' redacted text; it is shared by the selections of one log.
    mutating func render(_ texts: inout RedactedLines) -> String {
        reserveStepEnd(&texts)
        let value = self.value
        let order = value.indices.filter { value[$0] > 0 }
            .sorted { value[$0] != value[$1] ? value[$0] > value[$1] : $0 > $1 }
        // Lines of one failure template form a chain in value order; only the chain's next
        // line waits in the heap, at its lowered value, so a log of a million lines of one
        // template costs one heap entry, not a million.
        var chainNext = [Int32](repeating: -1, count: order.count)
        var isChainHead = [Bool](repeating: false, count: order.count)
        var lastOfTemplate: [Int32: Int32] = [:]
        for p in order.indices.reversed() {
            let t = failureTemplate(order[p])
            guard t != 0 else { continue }
            if let later = lastOfTemplate[t] { chainNext[p] = later }
            lastOfTemplate[t] = Int32(p)
        }
        for p in lastOfTemplate.values { isChainHead[Int(p)] = true }
        var waiting = CandidateHeap([])
        var p = 0
        var misses = 0
        while true {
            // The next line: the stream's (chain heads and lines of no template) or the heap's.
            while p < order.count, failureTemplate(order[p]) != 0, !isChainHead[p] { p += 1 }
            let streamValue = p < order.count ? value[order[p]] : -1
            var position: Int
            if let top = waiting.topValue, top >= streamValue {
                position = waiting.pop()!.line
            } else if p < order.count {
                position = p
                p += 1
                let t = failureTemplate(order[position])
                // A chain head whose template the step's end already showed waits lowered.
                if t != 0, let shown = shownOfTemplate[t], shown > 0 {
                    waiting.push(value[order[position]] * Self.repeatFactor(shown), position)
                    continue
                }
            } else {
                break
            }
            let i = order[position]
            let fits = add(i, &texts)
            let next = chainNext[position]
            if next >= 0 {
                let shown = shownOfTemplate[failureTemplate(i)] ?? 0
                waiting.push(value[order[Int(next)]] * Self.repeatFactor(shown), Int(next))
            }
            if !fits {
                misses += 1
                // Keep trying smaller lines for a while; stop once the budget is clearly full.
                if misses > 200 || budgetBytes - used < 16 { break }
            }
        }
        return output()
    }

    /// Value kept by a failure line when `shown` lines of its template are already chosen:
    /// the second `error: Module has no attribute` tells less than a line not yet seen, so the
    /// lines of a small budget spread over the failure's kinds (collapsing near-repeats).
    static func repeatFactor(_ shown: Int) -> Float {
        Float(pow(Double(repeatDecay), Double(shown)))
    }

    /// 0.7: swept 0.5–0.9 on each labelled set; LogDx ties 0.6–0.8 at both budgets, CiDiff
    /// is best at 0.7 at 500 tokens (README, "Excerpt hit rate").
    static let repeatDecay: Float = 0.7

    /// The template of line `i` if it is chosen for its own failure signal, else 0. A report
    /// header names one failed test each, so headers never count as repeats.
    private func failureTemplate(_ i: Int) -> Int32 {
        guard case .signal = valuation.origin(i), !scan.shape[i].contains(.reportHeader) else { return 0 }
        return scan.template[i]
    }

    /// The failing step's last lines, upwards from its end, within `stepEndShare` of the budget.
    /// Of a run of lines with one template (`go: downloading …`, progress) only the last
    /// `runLines` are taken: a run says the same thing many times.
    private mutating func reserveStepEnd(_ texts: inout RedactedLines) {
        guard lines.count > 0 else { return }
        let quiet = quietStepEnd()
        shareOfStepEnd = quiet ? Self.quietStepEndShare : Self.stepEndShare
        let share = Int(Double(budgetBytes) * shareOfStepEnd)
        guard share > 0 else { return }
        var i = min(scan.step.end, lines.count - 1)
        var runTemplate: UInt64 = 0
        var runLength = 0
        var walked = 0
        var scratch: [UInt8] = []
        while i >= 0, walked < Self.maxStepEndWalk {
            defer { i -= 1 }
            guard !scan.shape[i].contains(.blank), !scan.shape[i].contains(.chrome) else { continue }
            walked += 1
            let (template, chatter) = lines.bytes.withUnsafeBufferPointer { all in
                LineCleaner.withCleaned(UnsafeBufferPointer(rebasing: all[lines.starts[i]..<lines.ends[i]]), scratch: &scratch) { s in
                    var lead = 0
                    while lead < s.count, s[lead] == 0x20 || s[lead] == 0x09 { lead += 1 }
                    return (LineTemplate.hash(s), FailingStep.isClosingChatter(UnsafeBufferPointer(rebasing: s[lead...])))
                }
            }
            // The tool's closing banner takes none of the share (a failure line in it still
            // competes by its value).
            if chatter || scan.shape[i].contains(.boilerplate), i != scan.step.end { continue }
            // A quiet end reaches up to the first failure line, which competes by its value.
            if quiet, i != scan.step.end, scan.excerptScore[i] >= LineValuation.anchorScore { break }
            if template == runTemplate {
                runLength += 1
            } else {
                runTemplate = template
                runLength = 1
            }
            guard runLength <= Self.runLines else { continue }
            let before = used
            guard add(i, &texts, limit: share) else { break }
            if used > before { reserved.insert(i) }
        }
    }

    /// True if the last `quietLines` lines of the failing step (bar its final marker, blanks,
    /// chrome and boilerplate) hold no failure line: the cause there carries no keyword
    /// (`flag provided but not defined`, a formatter's file list, an assertion's values), and
    /// the failure lines elsewhere in the log are likelier earlier noise than the cause.
    func quietStepEnd() -> Bool {
        var i = min(scan.step.end, lines.count - 1)
        var seen = 0
        while i >= 0, seen < Self.quietLines {
            defer { i -= 1 }
            if i == scan.step.end || scan.shape[i].contains(.blank) || scan.shape[i].contains(.chrome) || scan.shape[i].contains(.boilerplate) { continue }
            if scan.excerptScore[i] >= LineValuation.anchorScore { return false }
            seen += 1
        }
        return true
    }

    /// Lines looked at for `quietStepEnd`.
    static let quietLines = 10
    /// Share of the budget for a quiet step's end: half, what a plain tail would show there
    /// (set a priori: no labelled log has a quiet end, so the sets cannot tune it; 0.3 and 0.5
    /// with 5, 10 or 20 lines change no case on either set).
    static let quietStepEndShare = 0.5

    /// Why each shown line (0-based, its representative for repeats) was chosen: the rule
    /// or the value that picked it, for `agentctl excerpt --explain`.
    func reasons() -> [Int: String] {
        var out: [Int: String] = [:]
        for (i, _) in text {
            out[i] = reason(i)
        }
        return out
    }

    private func reason(_ i: Int) -> String {
        if reserved.contains(i) {
            let quiet = shareOfStepEnd == Self.quietStepEndShare && shareOfStepEnd != Self.stepEndShare ? ", no failure line near it" : ""
            return "end of the failing step (\(Int(shareOfStepEnd * 100))% of the budget kept for it\(quiet))"
        }
        let v = String(format: "%.2f", value[i])
        var why: String
        switch valuation.origin(i) {
        case .signal:
            why = "failure line, score \(String(format: "%.1f", scan.excerptScore[i])), value \(v)"
            let o = scan.templateOrdinal[i]
            if o > 0 { why += ", #\(o + 1) of its template" }
        case .detail(let a): why = "detail of L\(a + 1), value \(v)"
        case .lead(let a): why = "lead-in of L\(a + 1), value \(v)"
        case .stepEnd: why = "near the end of the failing step, value \(v)"
        case .none: why = "value \(v)"
        }
        if i >= scan.step.epilogueStart { why += ", in the runner's epilogue" }
        if let c = count[i], c > 1 { why += ", shown once for \(c) lines" }
        return why
    }

    /// Lines of one template run taken into the step's end.
    static let runLines = 2
    /// Non-blank lines looked at for the step's end, at most.
    static let maxStepEndWalk = 2000

    /// Adds line `i` if its cost fits; returns false if it did not.
    private mutating func add(_ i: Int, _ texts: inout RedactedLines, limit: Int? = nil) -> Bool {
        let budgetBytes = limit ?? self.budgetBytes
        if covered[i] { return true }
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
        let template = failureTemplate(i)
        if template != 0 { shownOfTemplate[template, default: 0] += 1 }
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
        scan.excerptScore[i] > 0
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
