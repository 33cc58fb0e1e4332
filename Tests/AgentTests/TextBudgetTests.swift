@testable import Agent
import Testing

@Suite struct TextBudgetTests {
    @Test func shortTextIsUntouched() {
        #expect(TextBudget.cap("abc", maxBytes: 10) == ("abc", false))
    }

    @Test func longTextKeepsHeadAndTailAndSaysWhatWasOmitted() {
        let text = (1...100).map { "line \($0)" }.joined(separator: "\n")
        let (capped, truncated) = TextBudget.cap(text, maxBytes: 100)
        #expect(truncated)
        #expect(capped.hasPrefix("line 1\n"))
        #expect(capped.hasSuffix("line 100"))
        #expect(capped.contains("bytes omitted"))
        #expect(capped.contains("of \(text.utf8.count) bytes"))
    }

    @Test func multiByteCharactersAreNeverSplit() {
        let text = String(repeating: "é€😀", count: 50)
        let (capped, _) = TextBudget.cap(text, maxBytes: 41)
        #expect(capped.unicodeScalars.allSatisfy { $0 != "\u{FFFD}" })
        let parts = capped.components(separatedBy: "\n")
        #expect(parts.first!.utf8.count <= 10 && parts.last!.utf8.count <= 31)
    }
}
