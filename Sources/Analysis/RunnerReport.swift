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
}
