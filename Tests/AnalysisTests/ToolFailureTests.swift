import Testing
@testable import Analysis

/// The failure lines of common tools must survive a small budget amid ordinary output.
@Suite("Tool failures")
struct ToolFailureTests {
    private func excerpt(failure: [String], budgetTokens: Int = 250) -> String {
        var log = (1...400).map { "progress: processed item \($0) of 400 in \($0 % 13) ms" }
        log += failure
        log += (1...40).map { "cleanup: removed temporary directory /tmp/work-\($0)" }
        return LogExcerpt(log: log.joined(separator: "\n"), budgetTokens: budgetTokens).text
    }

    @Test(arguments: [
        (["tests/test_api.py::test_login FAILED", "E       assert 401 == 200"], "E       assert 401 == 200"),
        (["--- FAIL: TestParse (0.00s)", "    parse_test.go:42: unexpected token \"}\""], "--- FAIL: TestParse (0.00s)"),
        (["error[E0425]: cannot find value `cfg` in this scope", "  --> src/main.rs:10:5"], "error[E0425]: cannot find value `cfg` in this scope"),
        (["FAILURE: Build failed with an exception.", "* What went wrong:", "Execution failed for task ':app:compileJava'."], "Execution failed for task ':app:compileJava'."),
        (["npm ERR! code ENOENT", "npm ERR! syscall open", "npm ERR! path /app/package.json"], "npm ERR! code ENOENT"),
        (["Warning  BackOff  pod/api-7d9f  Back-off restarting failed container", "Last State: Terminated  Reason: OOMKilled  Exit Code: 137"], "Reason: OOMKilled"),
        (["Traceback (most recent call last):", "  File \"app.py\", line 3, in <module>", "KeyError: 'DATABASE_URL'"], "KeyError: 'DATABASE_URL'"),
        (["[ERROR] Tests run: 4, Failures: 1, Errors: 0, Skipped: 0", "[ERROR]   UserTest.create:31 expected:<201> but was:<500>"], "expected:<201> but was:<500>"),
    ])
    func keepsTheFailureLine(failure: [String], key: String) {
        #expect(excerpt(failure: failure).contains(key))
    }
}
