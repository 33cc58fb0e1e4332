import Foundation

/// Scores a cleaned line for failure signals with one pass over its bytes: keyword hits
/// (word-aware, case-insensitive) plus the line shapes that test and build tools use.
struct FailureSignal: Sendable {
    private let keywords = FailureKeyword.all
    /// Keyword slots sorted by (lowercase) first byte: slots `first[b]..<first[b+1]` start with `b`.
    private let order: [Int]
    private let first: [Int]
    /// The sorted keywords' bytes, flat, so the hot loop touches no per-keyword arrays.
    private let flat: [UInt8]
    private let flatStart: [Int]
    private let flatLength: [Int]
    /// Lowercase byte pairs that start some keyword; most positions fail this one lookup.
    private let startsKeyword: [Bool]

    init() {
        let kws = FailureKeyword.all
        let sorted = kws.indices.sorted { kws[$0].text[0] < kws[$1].text[0] }
        var first = [Int](repeating: sorted.count, count: 257)
        for (pos, k) in sorted.enumerated().reversed() {
            first[Int(kws[k].text[0])] = pos
        }
        // Empty groups point at the next group's start.
        for b in stride(from: 255, through: 0, by: -1) where first[b] == sorted.count || first[b] > first[b + 1] {
            first[b] = first[b + 1]
        }
        var flat: [UInt8] = []
        var flatStart: [Int] = []
        var flatLength: [Int] = []
        for k in sorted {
            flatStart.append(flat.count)
            flatLength.append(kws[k].text.count)
            flat += kws[k].text
        }
        var pairs = [Bool](repeating: false, count: 65536)
        for k in kws { pairs[Int(k.text[0]) << 8 | Int(k.text[1])] = true }
        self.startsKeyword = pairs
        self.order = sorted
        self.first = first
        self.flat = flat
        self.flatStart = flatStart
        self.flatLength = flatLength
    }

    func signal(_ s: UnsafeBufferPointer<UInt8>) -> LineSignal {
        var result = LineSignal()
        let n = s.count
        var start = 0
        while start < n, s[start] == 0x20 || s[start] == 0x09 { start += 1 }
        if start == n { return result }

        var best: Float = 0
        var hits = 0
        // Maven tags every line of an error dump `[ERROR]`; the tag alone is no keyword hit.
        let levelTag = ByteClass.hasPrefix(UnsafeBufferPointer(rebasing: s[start...]), "[ERROR]") ? 7 : 0
        let scanFrom = start + levelTag
        startsKeyword.withUnsafeBufferPointer { pairs in
        first.withUnsafeBufferPointer { first in
            flat.withUnsafeBufferPointer { flat in
                flatStart.withUnsafeBufferPointer { flatStart in
                    flatLength.withUnsafeBufferPointer { flatLength in
                        var i = scanFrom
                        var next = i < n ? Int(ByteClass.lower(s[i])) : 0
                        while i < n {
                            let c = next
                            next = i + 1 < n ? Int(ByteClass.lower(s[i + 1])) : 0
                            if !pairs[c << 8 | next] {
                                i += 1
                                continue
                            }
                            var slot = first[c]
                            let hi = first[c + 1]
                            while slot < hi {
                                let len = flatLength[slot], off = flatStart[slot]
                                if i + len <= n {
                                    var j = 1
                                    while j < len, ByteClass.lower(s[i + j]) == flat[off + j] { j += 1 }
                                    if j == len, let w = boundaryWeight(order[slot], in: s, at: i) {
                                        hits += 1
                                        if w > best { best = w }
                                    }
                                }
                                slot += 1
                            }
                            i += 1
                        }
                    }
                }
            }
        }
        }
        var score = best > 0 ? best + min(2, Float(hits - 1) * 0.5) : 0
        // Compiler diagnostics name a source position: `File.java:[27,122]`, `main.go:12:5:`.
        if score > 0, Self.hasSourcePosition(UnsafeBufferPointer(rebasing: s[scanFrom...])) { score += 1.5 }
        score = applyShape(score, s, from: start, result: &result)
        if n - start > 2000 { score *= 0.5 }
        result.score = score
        return result
    }

    /// Weight of keyword `index` whose text matched at `i`, if word boundaries and counts allow.
    private func boundaryWeight(_ index: Int, in s: UnsafeBufferPointer<UInt8>, at i: Int) -> Float? {
        let kw = keywords[index]
        let t = kw.text
        let n = s.count
        var className = false
        if kw.wordStart, i > 0, ByteClass.isWordByte(s[i - 1]) {
            // `AssertionError`, `IOException`: a class name ending in Error/Exception counts.
            guard kw.endsClassName, s[i] == UInt8(ascii: "E") else { return nil }
            className = true
        }
        var end = i + t.count
        // `-file-line-error`, `perl-error`, `fail-fast`: part of a hyphenated name.
        if i >= 2, s[i - 1] == UInt8(ascii: "-"), ByteClass.isWordByte(s[i - 2]) { return nil }
        if end + 1 < n, s[end] == UInt8(ascii: "-"), ByteClass.isLetter(s[end + 1]) { return nil }
        if let suffixes = kw.suffixes {
            var runEnd = end
            while runEnd < n, ByteClass.isWordByte(s[runEnd]) { runEnd += 1 }
            let run = runEnd - end
            let ok = suffixes.contains { sfx in
                sfx.count == run && (0..<run).allSatisfy { ByteClass.lower(s[end + $0]) == sfx[$0] }
            }
            guard ok else { return nil }
            end = runEnd
        }
        if kw.countable, countsZero(s, wordStart: i, wordEnd: end) { return nil }
        let next = end < n ? s[end] : 0
        // `IllegalInstantException.html`, `MyError.java`: a file or member name, not a thrown error.
        if className, next == UInt8(ascii: "."), end + 1 < n, ByteClass.isLetter(s[end + 1]) { return nil }
        // `timeout=10`, `failOnError=true`: an option name, not an event.
        if next == UInt8(ascii: "="), !kw.countable { return nil }
        // `java.lang.IllegalStateException: …`, `error: …`: the message follows.
        if next == UInt8(ascii: ":"), kw.endsClassName { return className ? kw.weight + 2 : kw.weight + 1 }
        return kw.weight
    }

    /// "0 errors", "Errors: 0", "failures=0": a count of zero is a success report.
    private func countsZero(_ s: UnsafeBufferPointer<UInt8>, wordStart: Int, wordEnd: Int) -> Bool {
        if wordStart >= 2, s[wordStart - 1] == 0x20, s[wordStart - 2] == UInt8(ascii: "0"),
           wordStart < 3 || !ByteClass.isDigit(s[wordStart - 3]) {
            return true
        }
        // "Number of failures in tests: 0": the line ends in a zero count.
        var e = s.count
        while e > 0, s[e - 1] == 0x20 { e -= 1 }
        if e >= 3, e - wordEnd < 40, s[e - 1] == UInt8(ascii: "0"),
           s[e - 2] == 0x20 || s[e - 2] == UInt8(ascii: ":") || s[e - 2] == UInt8(ascii: "=") {
            return true
        }
        var j = wordEnd
        while j < s.count, s[j] == 0x20 || s[j] == UInt8(ascii: ":") || s[j] == UInt8(ascii: "=") { j += 1 }
        guard j > wordEnd, j < s.count, s[j] == UInt8(ascii: "0") else { return false }
        return j + 1 == s.count || !ByteClass.isDigit(s[j + 1])
    }

    /// `name.ext:12:`, `name.ext:12:5`, `name.ext:[12,5]` somewhere in the line.
    static func hasSourcePosition(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = s.count
        var i = 1
        while i + 1 < n {
            if s[i] == UInt8(ascii: ":") {
                let next = s[i + 1]
                let numbered = ByteClass.isDigit(next)
                    || (next == UInt8(ascii: "[") && i + 2 < n && ByteClass.isDigit(s[i + 2]))
                if numbered {
                    // Walk back over the extension: letters, then a dot.
                    var j = i - 1
                    var letters = 0
                    while j >= 0, ByteClass.isLetter(s[j]), letters < 6 { j -= 1; letters += 1 }
                    if letters > 0, j > 0, s[j] == UInt8(ascii: ".") { return true }
                }
            }
            i += 1
        }
        return false
    }

    private func startsWithBoilerplate(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        // Skip `[ERROR]`, `##[error]`, `npm ERR!`-style level prefixes and blanks.
        if t.count > 1, t[0] == UInt8(ascii: "#") || t[0] == UInt8(ascii: "["), let close = t.firstIndex(of: UInt8(ascii: "]")), close < 12 {
            i = close + 1
        }
        while i < t.count, t[i] == 0x20 || t[i] == 0x09 { i += 1 }
        let body = UnsafeBufferPointer(rebasing: t[i...])
        return FailureKeyword.boilerplate.contains { ByteClass.hasLowercasedPrefix(body, $0) }
    }

    /// Line shapes of specific tools; also spots log levels that lower the score.
    private func applyShape(_ base: Float, _ s: UnsafeBufferPointer<UInt8>, from start: Int, result: inout LineSignal) -> Float {
        var score = base
        let rest = UnsafeBufferPointer(rebasing: s[start...])
        if ByteClass.hasPrefix(rest, "[INFO]") || ByteClass.hasPrefix(rest, "[DEBUG]") || ByteClass.hasPrefix(rest, "DEBUG") {
            score *= 0.3
        } else if ByteClass.hasPrefix(rest, "[WARNING]") || ByteClass.hasPrefix(rest, "[WARN]") || ByteClass.hasPrefix(rest, "WARN") {
            score *= 0.6
        } else if ByteClass.hasPrefix(rest, "[ERROR]") || ByteClass.hasPrefix(rest, "ERROR") || ByteClass.hasPrefix(rest, "[error]") {
            let bodyStart = rest.firstIndex(of: UInt8(ascii: "]")).map { $0 + 1 } ?? 5
            let hasBody = rest[bodyStart...].contains { $0 != 0x20 && $0 != 0x09 }
            score = hasBody ? max(score, 2.5) : 0.5
        } else if ByteClass.hasPrefix(rest, "--- FAIL") || ByteClass.hasPrefix(rest, "FAIL:") {
            score = max(score, 7)
        } else if ByteClass.hasPrefix(rest, "FAIL") || ByteClass.hasPrefix(rest, "FAILED") {
            score = max(score, 6)
        } else if ByteClass.hasPrefix(rest, "E ") || ByteClass.hasPrefix(rest, "E\t") || ByteClass.hasPrefix(rest, "npm ERR!") {
            score = max(score, 5)
        }
        if score > 0, startsWithBoilerplate(rest) {
            result.boilerplate = true
            score = min(score, 1.5)
        }
        if ByteClass.hasDashRun(rest, 5), ByteClass.containsLowercased(rest, Array("private key-----".utf8)) {
            if ByteClass.containsLowercased(rest, Array("-----begin".utf8)) { result.opensPrivateKey = true }
            if ByteClass.containsLowercased(rest, Array("-----end".utf8)) { result.closesPrivateKey = true }
        }
        return score
    }
}
