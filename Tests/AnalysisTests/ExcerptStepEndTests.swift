import Testing
@testable import Analysis

/// The excerpt's structure-led rules: the failing step's end and epilogue, template cascades,
/// caret-notation escapes, test-runner report shapes, and the reasons `--explain` prints.
@Suite("Excerpt step end and reports")
struct ExcerptStepEndTests {
    private func gha(_ lines: [String]) -> String {
        lines.enumerated().map { "2026-05-07T12:00:\(String(format: "%02d", $0.offset % 60)).0000000Z \($0.element)" }
            .joined(separator: "\n")
    }

    /// A GitHub Actions job whose failing step ends with a cause that has no failure keyword,
    /// followed by post-job steps that print failure words of their own.
    private func jobWithQuietCause() -> String {
        var lines = ["##[group]Run go vet ./..."]
        lines += (1...300).map { "go: downloading example.com/module\($0) v1.\($0).0" }
        lines += ["flag provided but not defined: -x", "usage: tool [flags]", "##[error]Process completed with exit code 2."]
        lines += ["Post job cleanup.", "Failed to save: Unable to reserve cache with key linux-go, another job may be creating this cache."]
        lines += (1...40).map { "[command]/usr/bin/git config --local --unset-all key\($0)" }
        lines.append("Cleaning up orphan processes")
        return gha(lines)
    }

    @Test func theFailingStepEndsAtTheRunnersFailureLine() {
        let scan = LogScan(LogLines(Array(jobWithQuietCause().utf8)))
        #expect(scan.step.end == 303)
        #expect(scan.step.epilogueStart == 304)
    }

    @Test func aLogWithoutMarkersEndsWhereItEnds() {
        let scan = LogScan(LogLines(Array("a\nb\nerror: c\n".utf8)))
        #expect(scan.step == FailingStep(markers: [], lineCount: 3))
        #expect(scan.step.end == 2 && scan.step.epilogueStart == 3)
    }

    @Test func keepsTheEndOfTheFailingStepNotThePostJobSteps() {
        let excerpt = LogExcerpt(log: jobWithQuietCause(), budgetTokens: 150).text
        #expect(excerpt.contains("flag provided but not defined: -x"))
        #expect(excerpt.contains("##[error]Process completed with exit code 2."))
        #expect(!excerpt.contains("Cleaning up orphan processes"))
        #expect(!excerpt.contains("Failed to save"))
    }

    @Test func runnerChromeIsNeverShown() {
        let log = gha(["##[group]Run make", "make: building", "##[endgroup]", "##[group]Run test", "step failed badly", "##[endgroup]",
                       "##[error]Process completed with exit code 2."])
        let excerpt = LogExcerpt(log: log, budgetTokens: 2000).text
        #expect(excerpt.contains("step failed badly"))
        #expect(excerpt.contains("make: building"))
        #expect(!excerpt.contains("##[endgroup]"))
    }

    @Test func aRunOfOneTemplateTakesTwoLinesOfTheStepEnd() {
        let log = ((1...200).map { "go: downloading example.com/module\($0) v1.\($0).0" } + ["build stopped"]).joined(separator: "\n")
        var texts = RedactedLines(lines: LogLines(Array(log.utf8)), redactor: SecretRedactor())
        let lines = LogLines(Array(log.utf8))
        let scan = LogScan(lines)
        var selection = ExcerptSelection(lines: lines, scan: scan, valuation: LineValuation(scan), budgetBytes: 8000)
        _ = selection.render(&texts)
        #expect(selection.reserved == [200, 199, 198])
    }

    @Test func templatesIgnoreNumbersAndQuotedNames() {
        func hash(_ s: String) -> UInt64 { Array(s.utf8).withUnsafeBufferPointer(LineTemplate.hash) }
        #expect(hash("a.py:12: error: Module has no attribute \"max\"") == hash("b.py:97: error: Module has no attribute \"min\""))
        #expect(hash("error: x  y") == hash("error: x y"))
        #expect(hash("a.py:12: error: Module has no attribute \"max\"") != hash("a.py:12: error: Call to untyped function \"max\""))
    }

    @Test func theFirstOfACascadeOutranksItsRepeats() {
        var lines = (1...200).map { "compiling unit \($0)" }
        lines += (1...80).map { "pkg/mod\($0).py:\($0 * 3): error: Module has no attribute \"name\($0)\"  [attr-defined]" }
        lines.append("Found 80 errors in 80 files (checked 900 source files)")
        lines += (1...5).map { "done \($0)" }
        let excerpt = LogExcerpt(log: lines.joined(separator: "\n"), budgetTokens: 250).text
        #expect(excerpt.contains("pkg/mod1.py:3: error"))
        #expect(excerpt.contains("pkg/mod2.py:6: error"))
        #expect(excerpt.contains("Found 80 errors in 80 files"))
        #expect(!excerpt.contains("pkg/mod60.py"))
    }

    @Test func caretNotationEscapesDoNotHideAnError() {
        var lines = (1...300).map { "  Formatting src/file\($0).tsx 8ms (unchanged)" }
        lines.insert("  ^[[96msrc/Nav.tsx^[[0m:^[[93m55^[[0m:^[[93m6^[[0m - ^[[91merror^[[0m^[[90m TS6196: ^[[0m'ColorMode' is declared but never used.", at: 100)
        let log = lines.joined(separator: "\n")
        let scan = LogScan(LogLines(Array(log.utf8)))
        #expect(scan.excerptScore[100] >= LineValuation.anchorScore)
        #expect(scan.score[100] == 0, "the fingerprint's score is unchanged")
        #expect(LogExcerpt(log: log, budgetTokens: 150).text.contains("TS6196"))
    }

    @Test func aJestFailureBlockIsKeptWithoutAnErrorKeyword() {
        var lines = (1...300).map { "  PASS src/module\($0).test.ts" }
        lines += [
            "  ● config get › reads npm options but ignores other settings",
            "",
            "    expect(received).toEqual(expected) // deep equality",
            "",
            "    Expected: \"https://registry.example.com\"",
            "    Received: \"https://registry.example.com/\"",
            "",
            "      41 |   const value = await get('registry')",
        ]
        lines += (1...60).map { "  PASS src/other\($0).test.ts" }
        let excerpt = LogExcerpt(log: lines.joined(separator: "\n"), budgetTokens: 200).text
        #expect(excerpt.contains("● config get › reads npm options"))
        #expect(excerpt.contains("Expected: \"https://registry.example.com\""))
        #expect(excerpt.contains("Received: \"https://registry.example.com/\""))
    }

    @Test func aPytestReportTellsItsFirstFailuresInFull() {
        var lines = (1...200).map { "tests/test_x\($0).py ........................................ [ \($0 % 100)%]" }
        lines.append("=================================== FAILURES ===================================")
        for k in 1...10 {
            lines += [
                "\(String(repeating: "_", count: 10 + k % 3)) test_case_\(k) \(String(repeating: "_", count: 10 + k % 2))",
                "tests/test_mod.py:\(k * 10): in test_case_\(k)",
                "    helper(value)",
                "tests/helpers.py:5: in helper",
                "    raise ValueError(value)",
                "E   ValueError: bad value \(k)",
            ]
        }
        lines.append("========================= 10 failed, 200 passed in 2.00s =========================")
        let log = lines.joined(separator: "\n")
        let scan = LogScan(LogLines(Array(log.utf8)))
        #expect(scan.shape[201].contains(.reportHeader))
        #expect(scan.templateOrdinal[207] == 1, "headers of one kind are one cascade whatever their names and widths")
        let excerpt = LogExcerpt(log: log, budgetTokens: 300).text
        #expect(excerpt.contains("tests/test_mod.py:10: in test_case_1"))
        #expect(excerpt.contains("tests/helpers.py:5: in helper"))
        #expect(!excerpt.contains("tests/test_mod.py:100: in test_case_10"))
    }

    @Test(arguments: [
        ("Found 279 errors in 9 files (checked 1458 source files)", true),
        ("= 1 failed, 41 passed, 2 skipped in 71.85s =", true),
        ("test result: FAILED. 550 passed; 1 failed; 103 ignored", true),
        ("Tests run: 12, Failures: 2, Errors: 0, Skipped: 1", true),
        ("failed=3 ok=10", true),
        ("Tests run: 12, Failures: 0, Errors: 0", false),
        ("0 errors, 0 failures", false),
        ("build 1.2 failed", false),
        ("error[E0308]: mismatched types", false),
        ("10 tests passed", false),
    ])
    func summariesThatCountFailures(line: String, counts: Bool) {
        #expect(Array(line.utf8).withUnsafeBufferPointer(RunnerReport.countsFailures) == counts)
    }

    @Test func runnerShapesDoNotChangeTheFingerprintLines() {
        let log = Array("  ● suite › test\n    Expected: 1\n    Received: 2\nnot ok 3 - adds\n".utf8)
        #expect(FailureLines(log: log).lines.isEmpty)
    }

    @Test func explainedGivesEveryShownLineAReason() {
        let excerpt = LogExcerpt.explained(log: Array(jobWithQuietCause().utf8), budgetTokens: 150)
        let numbers = excerpt.text.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasPrefix("L") else { return nil }
            return Int(line.dropFirst().prefix { $0.isNumber })
        }
        #expect(!numbers.isEmpty)
        for n in numbers { #expect(excerpt.reasons[n] != nil, "L\(n)") }
        #expect(excerpt.reasons[304]?.hasPrefix("end of the failing step") == true)
        #expect(excerpt.text == LogExcerpt(log: jobWithQuietCause(), budgetTokens: 150).text)
    }
}

/// Near-repeats give way at a small budget, and the tool's closing banner takes none of the
/// step's end.
@Suite("Excerpt repeats and closing chatter")
struct ExcerptRepeatsTests {
    @Test func aRepeatedTemplateGivesWayToAnotherKindOfFailure() {
        var lines = (1...100).map { "step \($0) ok" }
        lines += ["src/Main.java:[12,5] cannot find symbol", "  symbol:   class ImportScanner", "  location: package spoon.reflect"]
        lines += (1...40).map { "src/gen/File\($0).java:[\($0),9] error: unreported exception IOException; must be caught" }
        lines += (1...20).map { "done \($0)" }
        let excerpt = LogExcerpt(log: lines.joined(separator: "\n"), budgetTokens: 160).text
        #expect(excerpt.contains("cannot find symbol"))
        #expect(excerpt.contains("symbol:   class ImportScanner"), "the detail of a second kind of failure fits once repeats give way")
        let repeats = excerpt.split(separator: "\n").filter { $0.contains("unreported exception") }.count
        #expect(repeats >= 1 && repeats < 6, "\(repeats) lines of one template")
    }

    @Test func repeatsLoseValueGeometrically() {
        #expect(ExcerptSelection.repeatFactor(0) == 1)
        #expect(ExcerptSelection.repeatFactor(1) == ExcerptSelection.repeatDecay)
        #expect(ExcerptSelection.repeatFactor(3) < ExcerptSelection.repeatFactor(2))
    }

    @Test(arguments: [
        ("[INFO] BUILD FAILURE", true),
        ("[INFO] Total time:  01:02 min", true),
        ("[INFO] ------------------------------------------------------------------------", true),
        ("[ERROR] ", true),
        ("[ERROR] -> [Help 1]", true),
        ("[ERROR] Re-run Maven using the -X switch to enable full debug logging.", true),
        ("* Try:", true),
        ("> Run with --stacktrace option to get the stack trace.", true),
        ("=========", true),
        ("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.8.1:compile", false),
        ("flag provided but not defined: -x", false),
        ("[error] Failed tests:", false),
        ("--", false),
    ])
    func closingChatter(line: String, chatter: Bool) {
        #expect(Array(line.utf8).withUnsafeBufferPointer(FailingStep.isClosingChatter) == chatter)
    }

    @Test func theClosingBannerTakesNoShareOfTheStepEnd() {
        var lines = (1...200).map { "[INFO] Compiling module \($0)" }
        lines += ["Tests in error:", "  FooTest.bar:41 NullPointer", "[INFO] ------------------------------------------------------------------------",
                  "[INFO] BUILD FAILURE", "[INFO] ------------------------------------------------------------------------",
                  "[INFO] Total time:  01:02 min", "[INFO] Finished at: 2026-05-07T12:00:00Z",
                  "[INFO] ------------------------------------------------------------------------", "Finished: FAILURE"]
        let log = lines.joined(separator: "\n")
        let lineLog = LogLines(Array(log.utf8))
        let scan = LogScan(lineLog)
        var texts = RedactedLines(lines: lineLog, redactor: SecretRedactor())
        var selection = ExcerptSelection(lines: lineLog, scan: scan, valuation: LineValuation(scan), budgetBytes: 2000)
        _ = selection.render(&texts)
        #expect(selection.reserved.contains(201), "the cause above the banner is in the step's end")
        #expect(!selection.reserved.contains(203) && !selection.reserved.contains(205))
    }
}

/// A failing step whose last lines hold no failure line gets half the budget for its end.
@Suite("Excerpt quiet step end")
struct ExcerptQuietStepEndTests {
    /// Warnings with failure words early on, then a step that ends in a long usage text
    /// under a flag error that carries no keyword.
    private func log() -> String {
        var lines = (1...20).map { "warning: deprecated call could not be resolved in module\($0)" }
        lines += (1...200).map { "compiling unit \($0)" }
        lines += ["flag provided but not defined: -racy"]
        lines += (1...40).map { "  -flag\($0) value\n    \tsets option number \($0)" }
        lines.append("Done. Your build exited with 2.")
        return lines.joined(separator: "\n")
    }

    @Test func aStepEndWithoutFailureLinesIsQuiet() {
        let lines = LogLines(Array(log().utf8))
        let scan = LogScan(lines)
        let selection = ExcerptSelection(lines: lines, scan: scan, valuation: LineValuation(scan), budgetBytes: 2000)
        #expect(selection.quietStepEnd())
        let loud = LogLines(Array("compiling\nerror: x failed\nDone. Your build exited with 2.".utf8))
        let loudScan = LogScan(loud)
        #expect(!ExcerptSelection(lines: loud, scan: loudScan, valuation: LineValuation(loudScan), budgetBytes: 2000).quietStepEnd())
    }

    @Test func aQuietStepEndGetsHalfTheBudget() {
        let lines = LogLines(Array(log().utf8))
        let scan = LogScan(lines)
        var texts = RedactedLines(lines: lines, redactor: SecretRedactor())
        var selection = ExcerptSelection(lines: lines, scan: scan, valuation: LineValuation(scan), budgetBytes: 2000)
        let text = selection.render(&texts)
        #expect(selection.shareOfStepEnd == ExcerptSelection.quietStepEndShare)
        let reservedBytes = selection.reserved.count * 30
        #expect(reservedBytes > 500, "\(selection.reserved.count) lines of the step's end")
        #expect(text.contains("-flag40 value"))
    }
}
