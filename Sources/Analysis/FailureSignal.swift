import Foundation

/// Scores a cleaned line for failure signals with one pass over its bytes: keyword hits
/// (word-aware, case-insensitive) plus the line shapes that test and build tools use.
struct FailureSignal: Sendable {
    private let keywords = KeywordMatcher()

    func signal(_ s: UnsafeBufferPointer<UInt8>) -> LineSignal {
        var result = LineSignal()
        let n = s.count
        var start = 0
        while start < n, s[start] == 0x20 || s[start] == 0x09 { start += 1 }
        if start == n { return result }

        // Maven tags every line of an error dump `[ERROR]`; the tag alone is no keyword hit.
        let levelTag = ByteClass.hasPrefix(UnsafeBufferPointer(rebasing: s[start...]), "[ERROR]") ? 7 : 0
        let scanFrom = start + levelTag
        let (best, hits) = keywords.scan(s, from: scanFrom)
        var score = best > 0 ? best + min(2, Float(hits - 1) * 0.5) : 0
        // Compiler diagnostics name a source position: `File.java:[27,122]`, `main.go:12:5:`.
        if score > 0, Self.hasSourcePosition(UnsafeBufferPointer(rebasing: s[scanFrom...])) { score += 1.5 }
        score = applyShape(score, s, from: start, result: &result)
        if n - start > 2000 { score *= 0.5 }
        result.score = score
        return result
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
            let bodyStart = rest[0] == UInt8(ascii: "[") ? (rest.firstIndex(of: UInt8(ascii: "]")) ?? 0) + 1 : 5
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
        // PEM (`PRIVATE KEY-----`) and PGP (`PRIVATE KEY BLOCK-----`) armour.
        if ByteClass.hasDashRun(rest, 5),
           ByteClass.containsLowercased(rest, Array("private key-----".utf8)) || ByteClass.containsLowercased(rest, Array("private key block-----".utf8)) {
            if ByteClass.containsLowercased(rest, Array("-----begin".utf8)) { result.opensPrivateKey = true }
            if ByteClass.containsLowercased(rest, Array("-----end".utf8)) { result.closesPrivateKey = true }
        }
        return score
    }
}
