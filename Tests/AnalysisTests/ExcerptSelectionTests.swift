import Testing
@testable import Analysis

/// The selection's byte-level shortcuts must agree with the string operations they replace.
@Suite("ExcerptSelection")
struct ExcerptSelectionTests {
    @Test func prefixLengthsMatchThePrefixes() {
        for line in [1, 9, 10, 99, 100, 999, 1000, 123_456, 9_999_999, 10_000_000] {
            for count in [1, 2, 9, 10, 11, 99, 100, 5000] {
                #expect(ExcerptSelection.prefixLength(line: line, count: count) == ExcerptSelection.prefix(line: line, count: count).utf8.count)
            }
        }
    }

    @Test(arguments: [
        "[ERROR]   symbol: x", "  symbol: x", "[ERROR]", "[ERROR] ", "[]x", "[", "]", "", " \t ", "[INFO]\tdone",
        "[TOOLONGLEVEL] x", "[ABCDEFGHI] x", "[ABCDEFGHIJ] x", "[Error] x", "[E1] x", "[ERR OR] x", "[ERROR]]x",
        "x [ERROR] y", "\t\tat Foo.bar(Foo.java:1)", "[ERROR]\u{301} x", " \u{301}x", "[ÉRROR] x", "[ERROR] é",
        "a\r\nb", "[ERROR]\r\n x", "[ERROR] \u{0B}x",
    ])
    func repeatKeyMatchesTheCharacterBasedOne(line: String) {
        #expect(ExcerptSelection.repeatKey(line) == Self.characterRepeatKey(line))
    }

    /// `ExcerptSelection.repeatKey` as it was before its byte-level path.
    private static func characterRepeatKey(_ s: String) -> Substring {
        var rest = Substring(s)
        if rest.first == "[", let close = rest.firstIndex(of: "]"), rest.distance(from: rest.startIndex, to: close) <= 10,
           rest[rest.index(after: rest.startIndex)..<close].allSatisfy({ $0.isUppercase }) {
            rest = rest[rest.index(after: close)...]
        }
        return rest.drop { $0 == " " || $0 == "\t" }
    }
}
