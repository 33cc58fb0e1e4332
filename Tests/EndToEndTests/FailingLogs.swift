import Foundation

/// Tekton step logs for fixture pods.
enum FailingLogs {
    static let container = "step-test"
    static let namespace = "ci"

    /// A Go test failure; `run` varies the timestamps, durations and request ids but not the
    /// failure, so every run has the same fingerprint. `test` names the failing test (a
    /// different test is a different failure).
    static func goTestFailure(run: Int, test: String = "TestParseConfig") -> String {
        let minute = 10 + run % 50
        let lines = (0..<30).map { "2026-11-26T08:\(minute):\(String(format: "%02d", $0))Z INFO compiling module \($0)" }
        return (lines + [
            "2026-11-26T08:\(minute):59Z --- FAIL: \(test) (0.0\(run % 10)s)",
            "2026-11-26T08:\(minute):59Z     config_test.go:42: \(test) expected port 8080, got 0 (request \(UUID().uuidString))",
            "FAIL\texample.com/app/config\t0.0\(run % 10)9s",
            "exit status 1",
        ]).joined(separator: "\n") + "\n"
    }
}

/// An issue as a model would write it, with the sections the prompt asks for.
enum IssueDraft {
    static let title = "Unit tests fail: TestParseConfig expects port 8080"

    static func body(place: String) -> String {
        """
        ## Cluster/namespace location
        \(place)

        ## Summary
        TestParseConfig fails because the configuration has no port.

        ## Detailed error
        config_test.go:42: expected port 8080, got 0
        FAIL	example.com/app/config

        ## Possible causes and solutions
        - The default port was removed from the config loader: restore it.
        """
    }

    static let sections = ["## Cluster/namespace location", "## Summary", "## Detailed error", "## Possible causes and solutions"]
}
