/// Line shapes of test runners' failure reports that carry no error keyword: the header of a
/// failed test (Jest/Vitest `●`, pytest `____ test_name ____`, Mocha/Vitest `✕ ✗ ✖ ×`, TAP
/// `not ok`, Pester `[-]`) and the
/// expected/actual lines of an assertion (`Expected:`, `Received:`, hspec `but got:`). The lines
/// after a header (its block) are pulled in as its context by `LineValuation`.
enum RunnerReport {
    /// Score of line `t` (leading blanks removed) as part of a failure report; 0 if none.
    static func score(_ t: UnsafeBufferPointer<UInt8>) -> Float {
        guard let first = t.first else { return 0 }
        if first >= 0x80 {
            // ● U+25CF, ✕ U+2715, ✖ U+2716, ✗ U+2717, × U+00D7, each followed by a blank.
            if ByteClass.hasPrefix(t, "\u{25CF} ") { return 6 }
            if ByteClass.hasPrefix(t, "\u{2715} ") || ByteClass.hasPrefix(t, "\u{2716} ") || ByteClass.hasPrefix(t, "\u{2717} ")
                || ByteClass.hasPrefix(t, "\u{00D7} ") {
                return 5
            }
            return 0
        }
        if isBlockHeader(t) { return 5 }
        if ByteClass.hasPrefix(t, "not ok ") { return 6 }
        if ByteClass.hasPrefix(t, "[-] ") { return 5 }
        for prefix in assertionPrefixes where ByteClass.hasLowercasedPrefix(t, prefix) { return 4 }
        return 0
    }

    /// A header that opens a block of report running to the next header: pytest frames each
    /// failed test and collection error in underscores (`_____ test_x _____`), Jest starts
    /// each failed test with `●`.
    static func isBlockHeader(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        if ByteClass.hasPrefix(t, "\u{25CF} ") { return true }
        guard t.count >= 8, ByteClass.hasPrefix(t, "___"), t[t.count - 1] == UInt8(ascii: "_"),
              t[t.count - 2] == UInt8(ascii: "_"), t[t.count - 3] == UInt8(ascii: "_") else { return false }
        return t.contains { ByteClass.isLetter($0) }
    }

    /// Lowercase starts of an assertion's expected and actual values.
    static let assertionPrefixes: [[UInt8]] = [
        "expected:", "received:", "actual:", "but got:", "but was:", "expected value:", "actual value:",
        "- expected", "+ received",
    ].map { Array($0.utf8) }

    /// Score of a run's summary that counts failures (`Found 279 errors in 9 files`, `1 failed,
    /// 41 passed`, `Failures: 2`, `test result: FAILED. 550 passed; 1 failed`): it says how the
    /// step ended and how much failed.
    static let summaryScore: Float = 8

    /// True if `t` holds a non-zero count next to a failure count word: `N error(s)`,
    /// `N failed`, `N failure(s)`, `N failing`, or `Failures: N`, `Errors: N`, `failed=N`.
    static func countsFailures(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = t.count
        var i = 0
        while i < n {
            guard ByteClass.isDigit(t[i]) else { i += 1; continue }
            let start = i
            var nonZero = false
            while i < n, ByteClass.isDigit(t[i]) {
                if t[i] != UInt8(ascii: "0") { nonZero = true }
                i += 1
            }
            guard nonZero, start == 0 || !ByteClass.isWordByte(t[start - 1]) && t[start - 1] != UInt8(ascii: ".") else { continue }
            // `N word`
            if i + 1 < n, t[i] == 0x20, countWord(t, at: i + 1) { return true }
            // `word: N`, `word=N`, `word N`
            var k = start - 1
            while k >= 0, t[k] == 0x20 || t[k] == UInt8(ascii: ":") || t[k] == UInt8(ascii: "=") { k -= 1 }
            if k < start - 1 {
                var w = k
                while w >= 0, ByteClass.isLetter(t[w]) { w -= 1 }
                if w < k, countWord(t, at: w + 1, end: k + 1) { return true }
            }
        }
        return false
    }

    private static let countWords: [[UInt8]] = ["errors", "error", "failed", "failures", "failure", "failing"].map { Array($0.utf8) }

    /// A count word starts at `at` (and ends at `end`, or at a non-letter).
    private static func countWord(_ t: UnsafeBufferPointer<UInt8>, at: Int, end: Int? = nil) -> Bool {
        var stop = at
        while stop < t.count, ByteClass.isLetter(t[stop]) { stop += 1 }
        if let end, end != stop { return false }
        let length = stop - at
        return countWords.contains { w in
            w.count == length && (0..<length).allSatisfy { ByteClass.lower(t[at + $0]) == w[$0] }
        }
    }
}
