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
                || ByteClass.hasPrefix(t, "\u{2718} ") || ByteClass.hasPrefix(t, "\u{00D7} ") {
                return 5
            }
            return 0
        }
        if isBlockHeader(t) { return 5 }
        if ByteClass.hasPrefix(t, "not ok ") || ByteClass.hasPrefix(t, "Bail out!") { return 6 }
        if ByteClass.hasPrefix(t, "[-] ") { return 5 }
        let body = withoutSbtTag(t)
        for prefix in assertionPrefixes where ByteClass.hasLowercasedPrefix(body, prefix) { return 4 }
        if isPesterExpectation(body) { return 4 }
        for (prefix, score) in quietCausePrefixes where ByteClass.hasLowercasedPrefix(body, prefix) { return score }
        // One pass finds whether a phrase can be there at all; most lines have neither.
        var hasNot = false
        var hasStars = false
        var k = 0
        while k + 4 < body.count {
            let b = body[k]
            // ` not ` is in every phrase.
            if b == 0x20, body[k + 4] == 0x20, ByteClass.lower(body[k + 1]) == UInt8(ascii: "n"),
               ByteClass.lower(body[k + 2]) == UInt8(ascii: "o"), ByteClass.lower(body[k + 3]) == UInt8(ascii: "t") {
                hasNot = true
            } else if b == UInt8(ascii: "*"), body[k + 1] == UInt8(ascii: "*"), body[k + 2] == UInt8(ascii: "*") {
                hasStars = true
            }
            k += 1
        }
        if hasNot {
            for phrase in assertionPhrases where ByteClass.containsLowercased(body, phrase) { return 4 }
        }
        if hasStars, ByteClass.containsLowercased(body, starsFailed) { return 6 }
        return 0
    }

    private static let starsFailed = Array("*** failed ***".utf8)

    /// `t` without sbt's lowercase level tag (`[info] `, `[error] `) and the blanks after it:
    /// ScalaTest reports through sbt's logger, so its lines all start with one.
    static func withoutSbtTag(_ t: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard t.count > 2, t[0] == UInt8(ascii: "["), t[1] >= UInt8(ascii: "a"), t[1] <= UInt8(ascii: "z") else { return t }
        for tag in sbtTags where t.count >= tag.count && tag.indices.allSatisfy({ t[$0] == tag[$0] }) {
            var i = tag.count
            while i < t.count, t[i] == 0x20 || t[i] == 0x09 { i += 1 }
            return UnsafeBufferPointer(rebasing: t[i...])
        }
        return t
    }

    /// Columns of indentation after an sbt tag (`[info]   1 did not equal 2` → 2), nil if `t`
    /// has no such tag: the detail of a ScalaTest failure is indented behind the tag.
    static func sbtIndent(_ t: UnsafeBufferPointer<UInt8>) -> Int? {
        guard t.count > 2, t[0] == UInt8(ascii: "["), t[1] >= UInt8(ascii: "a"), t[1] <= UInt8(ascii: "z") else { return nil }
        for tag in sbtTags where t.count >= tag.count && tag.indices.allSatisfy({ t[$0] == tag[$0] }) {
            var i = tag.count
            while i < t.count, t[i] == 0x20 || t[i] == 0x09 { i += 1 }
            return i - tag.count
        }
        return nil
    }

    private static let sbtTags: [[UInt8]] = ["[info] ", "[error] ", "[warn] "].map { Array($0.utf8) }

    /// A numbered failure header (`  1) Calculator adds two numbers`): RSpec, hspec and Mocha
    /// list each failed test so under `Failures:` or `N failing`; its block runs to the next.
    /// Only valid inside such a section (`opensFailureSection`), since numbered lists are common.
    static func isNumberedHeader(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < t.count, i < 4, ByteClass.isDigit(t[i]) { i += 1 }
        guard i > 0, i + 2 < t.count, t[i] == UInt8(ascii: ")"), t[i + 1] == 0x20 else { return false }
        return ByteClass.isLetter(t[i + 2]) || t[i + 2] >= 0x80 || t[i + 2] == UInt8(ascii: "[")
    }

    /// The line that opens a list of failed tests: `Failures:` (RSpec, hspec), `N failing`
    /// (Mocha), `Failing tests:` (xcodebuild), `The following tests FAILED:` (ctest),
    /// `[error] Failed tests:` (sbt).
    static func opensFailureSection(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = t.first, ByteClass.isDigit(first) || sectionStarts.contains(ByteClass.lower(first)) else { return false }
        let body = withoutSbtTag(t)
        for header in sectionHeaders where ByteClass.hasLowercasedPrefix(body, header) {
            // The header is the whole line, bar trailing blanks.
            return body[header.count...].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        }
        var i = 0
        while i < body.count, ByteClass.isDigit(body[i]) { i += 1 }
        return i > 0 && ByteClass.hasPrefix(UnsafeBufferPointer(rebasing: body[i...]), " failing")
    }

    private static let sectionStarts: [UInt8] = Array("ft[".utf8)

    private static let sectionHeaders: [[UInt8]] = [
        "failures:", "failing tests:", "the following tests failed:", "failed tests:", "failed examples:",
    ].map { Array($0.utf8) }

    /// A header that opens a block of report running to the next header: pytest frames each
    /// failed test and collection error in underscores (`_____ test_x _____`), Jest starts
    /// each failed test with `●`.
    static func isBlockHeader(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        if ByteClass.hasPrefix(t, "\u{25CF} ") { return true }
        guard t.count >= 8, ByteClass.hasPrefix(t, "___"), t[t.count - 1] == UInt8(ascii: "_"),
              t[t.count - 2] == UInt8(ascii: "_"), t[t.count - 3] == UInt8(ascii: "_") else { return false }
        return t.contains { ByteClass.isLetter($0) }
    }

    /// Lowercase starts of an assertion's expected and actual values (Jest, JUnit, hspec,
    /// RSpec `got:`, Mocha `+ expected - actual`; Pester's `Expected 9, but got 8.` is
    /// `isPesterExpectation`).
    static let assertionPrefixes: [[UInt8]] = [
        "expected:", "received:", "actual:", "but got:", "but was:", "expected value:", "actual value:",
        "- expected", "+ received", "+ expected - actual", "got:",
    ].map { Array($0.utf8) }

    /// Pester's assertion message: `Expected 9, but got 8.`, `Expected strings to be the same,
    /// but they were different.` A bare `expected ` start is not enough: test code reads
    /// `expected = Series(...)` in every pytest traceback.
    static func isPesterExpectation(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        ByteClass.hasPrefix(t, "Expected ") && ByteClass.containsLowercased(t, pesterBut)
    }

    private static let pesterBut = Array(", but ".utf8)

    /// ScalaTest's and Hamcrest's wording of a failed comparison (`1 did not equal 2`).
    static let assertionPhrases: [[UInt8]] = [
        " did not equal ", " was not equal to ", " did not contain ", " was not greater than ", " was not less than ",
        " did not match ", " was not empty", " was not defined",
    ].map { Array($0.utf8) }

    /// Causes that carry no error keyword: a Go flag error, formatters that list what they
    /// would change (black and ruff `would reformat`, rustfmt `Diff in`, Prettier's closing
    /// `[warn] Code style issues found` (its tag stripped like sbt's), gofmt's `-l` list is the step's end).
    static let quietCausePrefixes: [([UInt8], Float)] = [
        ("flag provided but not defined", 6), ("would reformat", 5), ("diff in ", 4),
        ("code style issues found", 6), ("oh no!", 4),
    ].map { (Array($0.0.utf8), $0.1) }

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
            // `N word`, `N tests word` (ctest `2 tests failed out of 3`, sbt `1 TEST FAILED`)
            if i + 1 < n, t[i] == 0x20, countWord(t, at: i + 1) { return true }
            if i + 1 < n, t[i] == 0x20, let after = wordAfterTests(t, at: i + 1), countWord(t, at: after) { return true }
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

    private static let countWords: [[UInt8]] = ["errors", "error", "failed", "failures", "failure", "failing", "fail"].map { Array($0.utf8) }

    /// Start of the word after `test`/`tests` at `at` (case-insensitive), nil if none.
    private static func wordAfterTests(_ t: UnsafeBufferPointer<UInt8>, at: Int) -> Int? {
        var stop = at
        while stop < t.count, ByteClass.isLetter(t[stop]) { stop += 1 }
        let word = (at..<stop).map { ByteClass.lower(t[$0]) }
        guard word == Array("tests".utf8) || word == Array("test".utf8), stop + 1 < t.count, t[stop] == 0x20 else { return nil }
        return stop + 1
    }

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
