import Testing
@testable import Analysis

/// Test runners' own report formats, written from each runner's documented output: the
/// failed test's header, its assertion lines and its summary must reach a small excerpt even
/// when no line carries an error keyword, behind hundreds of lines of passing output.
@Suite("Excerpt runner formats")
struct RunnerFormatTests {
    private func excerpt(_ before: [String], _ report: [String], _ after: [String] = [], budget: Int = 220) -> String {
        LogExcerpt(log: (before + report + after).joined(separator: "\n"), budgetTokens: budget).text
    }

    private func passing(_ n: Int, _ make: (Int) -> String) -> [String] { (1...n).map(make) }

    @Test func rspecNumberedFailureBlock() {
        let text = excerpt(passing(300) { "  Calculator#op\($0) returns a number" }, [
            "Failures:",
            "",
            "  1) Calculator adds two numbers",
            "     Failure/Error: expect(calc.add(1, 1)).to eq(3)",
            "",
            "       expected: 3",
            "            got: 2",
            "",
            "       (compared using ==)",
            "     # ./spec/calculator_spec.rb:5:in `block (2 levels) in <top (required)>'",
            "",
            "Finished in 0.01 seconds (files took 0.1 seconds to load)",
            "301 examples, 1 failure",
        ])
        #expect(text.contains("1) Calculator adds two numbers"))
        #expect(text.contains("expected: 3"))
        #expect(text.contains("got: 2"))
        #expect(text.contains("301 examples, 1 failure"))
    }

    @Test func hspecFailureWithoutAKeyword() {
        let text = excerpt(passing(300) { "  returns element \($0) [✔]" }, [
            "",
            "Failures:",
            "",
            "  test/ListSpec.hs:12:5: ",
            "  1) Data.List.head returns the first element",
            "       expected: 1",
            "        but got: 2",
            "",
            "  To rerun use: --match \"/Data.List/head/returns the first element/\"",
            "",
            "Randomized with seed 1234",
            "",
            "Finished in 0.0012 seconds",
            "301 examples, 1 failure",
        ])
        #expect(text.contains("1) Data.List.head returns the first element"))
        #expect(text.contains("expected: 1"))
        #expect(text.contains("but got: 2"))
    }

    @Test func mochaFailingListAfterTheCount() {
        let text = excerpt(passing(300) { "    ✓ handles case \($0)" }, [
            "",
            "  300 passing (2s)",
            "  1 failing",
            "",
            "  1) Array",
            "       #indexOf()",
            "         should return -1 when the value is not present:",
            "",
            "      AssertionError [ERR_ASSERTION]: 4 == -1",
            "      + expected - actual",
            "",
            "      -4",
            "      +-1",
            "",
            "      at Context.<anonymous> (test/array.spec.ts:12:14)",
        ])
        #expect(text.contains("1) Array"))
        #expect(text.contains("should return -1 when the value is not present:"))
        #expect(text.contains("+ expected - actual"))
    }

    @Test func numberedListsOutsideAFailureSectionAreNoHeaders() {
        let log = Array("Steps:\n  1) install\n  2) build\n".utf8)
        let scan = LogScan(LogLines(log))
        #expect(!scan.shape[1].contains(.reportHeader))
        #expect(scan.excerptScore[1] == 0)
    }

    @Test func scalaTestFailureBehindSbtTags() {
        let text = excerpt(passing(300) { "[info] - should handle case \($0)" }, [
            "[info] - should pop values in last-in-first-out order *** FAILED ***",
            "[info]   List(2, 1) did not equal List(1, 2) (StackSpec.scala:15)",
            "[info] Run completed in 1 second, 234 milliseconds.",
            "[info] Total number of tests run: 301",
            "[info] Tests: succeeded 300, failed 1, canceled 0, ignored 0, pending 0",
            "[info] *** 1 TEST FAILED ***",
            "[error] Failed tests:",
            "[error] \tcom.example.StackSpec",
            "[error] (Test / test) sbt.TestsFailedException: Tests unsuccessful",
        ])
        #expect(text.contains("should pop values in last-in-first-out order *** FAILED ***"))
        #expect(text.contains("List(2, 1) did not equal List(1, 2)"))
    }

    @Test func sbtIndentIsCountedBehindTheTag() {
        let scan = LogScan(LogLines(Array("[info] - a *** FAILED ***\n[info]   1 did not equal 2 (A.scala:3)\n".utf8)))
        #expect(scan.indent[1] > scan.indent[0])
        #expect(scan.excerptScore[1] >= LineValuation.anchorScore)
    }

    @Test func pesterFailureAndItsExpectation() {
        let text = excerpt(passing(300) { "  [+] lists planet \($0) 3ms (2ms|1ms)" }, [
            "  [-] Given no parameters, it lists all 8 planets 37ms (35ms|2ms)",
            "   Expected 9, but got 8.",
            "   at (Get-Planet).Count | Should -Be 9, C:\\src\\Get-Planet.Tests.ps1:13",
            "Tests completed in 1.13s",
            "Tests Passed: 300, Failed: 1, Skipped: 0 NotRun: 0",
        ])
        #expect(text.contains("[-] Given no parameters, it lists all 8 planets"))
        #expect(text.contains("Expected 9, but got 8."))
        #expect(text.contains("Tests Passed: 300, Failed: 1"))
    }

    @Test func xctestAndSwiftTestingFailures() {
        let text = excerpt(passing(300) { "Test Case 'MathTests.testCase\($0)' passed (0.001 seconds)" }, [
            "Test Case 'MathTests.testSum' started at 2026-05-07 12:00:00.000",
            "/src/Tests/MathTests/MathTests.swift:8: error: MathTests.testSum : XCTAssertEqual failed: (\"3\") is not equal to (\"4\") - ",
            "Test Case 'MathTests.testSum' failed (0.002 seconds)",
            "Test Suite 'MathTests' failed at 2026-05-07 12:00:00.100",
            "\t Executed 301 tests, with 1 failure (0 unexpected) in 0.301 (0.301) seconds",
            "✘ Test sumOfTwo() recorded an issue at MathTests.swift:20:5: Expectation failed: (sum → 3) == 4",
        ])
        #expect(text.contains("XCTAssertEqual failed: (\"3\") is not equal to (\"4\")"))
        #expect(text.contains("✘ Test sumOfTwo() recorded an issue"))
        #expect(text.contains("Executed 301 tests, with 1 failure"))
    }

    @Test func ctestFailuresAndSummary() {
        let text = excerpt(passing(300) { "\($0)/301 Test #\($0): unit_\($0) ......................   Passed    0.01 sec" }, [
            "301/301 Test #301: parser_roundtrip ...............***Failed    0.02 sec",
            "",
            "99% tests passed, 1 tests failed out of 301",
            "",
            "Total Test time (real) =   3.10 sec",
            "",
            "The following tests FAILED:",
            "\t301 - parser_roundtrip (Failed)",
            "Errors while running CTest",
        ])
        #expect(text.contains("parser_roundtrip ...............***Failed"))
        #expect(text.contains("1 tests failed out of 301"))
        #expect(text.contains("301 - parser_roundtrip (Failed)"))
    }

    @Test func tapNotOkWithItsDiagnostics() {
        let text = excerpt(passing(300) { "ok \($0) - parses input \($0)" }, [
            "not ok 301 - serialises dates",
            "  ---",
            "  operator: deepEqual",
            "  expected: '2026-05-07'",
            "  actual:   '2026-05-06'",
            "  at: Test.<anonymous> (test/dates.js:9:5)",
            "  ...",
            "1..301",
            "# tests 301",
            "# pass  300",
            "# fail  1",
        ])
        #expect(text.contains("not ok 301 - serialises dates"))
        #expect(text.contains("expected: '2026-05-07'"))
        #expect(text.contains("actual:   '2026-05-06'"))
        #expect(text.contains("# fail  1"))
    }

    @Test func jestInATypeScriptProject() {
        let text = excerpt(passing(300) { "PASS src/module\($0).test.ts" }, [
            "FAIL src/date.test.ts",
            "  ● formatDate › pads single-digit months",
            "",
            "    expect(received).toBe(expected) // Object.is equality",
            "",
            "    Expected: \"2026-05-07\"",
            "    Received: \"2026-5-7\"",
            "",
            "Tests:       1 failed, 300 passed, 301 total",
        ])
        #expect(text.contains("● formatDate › pads single-digit months"))
        #expect(text.contains("Expected: \"2026-05-07\""))
        #expect(text.contains("Received: \"2026-5-7\""))
    }

    @Test func quietCausesWithoutAnErrorKeyword() {
        let go = excerpt(passing(300) { "go: downloading example.com/m\($0) v1.0.\($0)" }, [
            "flag provided but not defined: -race2",
            "Usage of /tmp/go-build/b001/tool.test:",
            "  -test.v",
            "    \tverbose: print additional output",
        ], passing(40) { "  -test.flag\($0) value" })
        #expect(go.contains("flag provided but not defined: -race2"))
        let black = excerpt(passing(300) { "checking src/mod\($0).py" }, [
            "would reformat src/app/models.py",
            "would reformat src/app/views.py",
            "Oh no! 💥 💔 💥",
            "2 files would be reformatted, 298 files would be left unchanged.",
        ])
        #expect(black.contains("would reformat src/app/models.py"))
        #expect(black.contains("would reformat src/app/views.py"))
    }

    @Test(arguments: [
        ("99% tests passed, 1 tests failed out of 301", true),
        ("[info] *** 1 TEST FAILED ***", true),
        ("# fail  1", true),
        ("# fail  0", false),
        ("100% tests passed, 0 tests failed out of 12", false),
    ])
    func runnerSummariesThatCountFailures(line: String, counts: Bool) {
        #expect(Array(line.utf8).withUnsafeBufferPointer(RunnerReport.countsFailures) == counts)
    }

    @Test(arguments: [
        ("[info] - should pop values *** FAILED ***", true),
        ("[info]   List(2, 1) did not equal List(1, 2) (StackSpec.scala:15)", true),
        ("\"abc\" was not equal to \"abd\"", true),
        ("Expected 9, but got 8.", true),
        ("got: 2", true),
        ("+ expected - actual", true),
        ("✘ Test sumOfTwo() recorded an issue", true),
        ("Bail out! database unreachable", true),
        ("flag provided but not defined: -x", true),
        ("would reformat src/app/models.py", true),
        ("[warn] Code style issues found in 2 files. Run Prettier with --write to fix.", true),
        ("[info] Compiling 12 Scala sources", false),
        ("  1) install the toolchain", false),
        ("the file was not modified", false),
        ("expected = pd.DataFrame(", false),
        ("Expected behaviour: the cache is warm", false),
    ])
    func keywordlessReportLinesScore(line: String, anchors: Bool) {
        let score = Array(line.utf8).withUnsafeBufferPointer(RunnerReport.score)
        #expect((score >= LineValuation.anchorScore) == anchors, "\(line): \(score)")
    }

    @Test func numberedHeadersOpenBlocksOnlyInsideAFailureSection() {
        let log = "  1) before any section\nFailures:\n\n  1) Calculator adds\n     expected: 3\n  2) Calculator subtracts\n"
        let scan = LogScan(LogLines(Array(log.utf8)))
        #expect(!scan.shape[0].contains(.reportHeader))
        #expect(scan.shape[3].contains(.reportHeader))
        #expect(scan.shape[5].contains(.reportHeader))
        #expect(scan.templateOrdinal[5] == 1, "numbered headers of one list are one cascade")
    }

    @Test(arguments: ["Failures:", "  3 failing", "Failing tests:", "The following tests FAILED:", "[error] Failed tests:"])
    func failureSectionHeaders(line: String) {
        let body = Array(line.drop { $0 == " " }.utf8)
        #expect(body.withUnsafeBufferPointer(RunnerReport.opensFailureSection))
    }
}
