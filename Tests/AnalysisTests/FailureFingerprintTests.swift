import Testing
@testable import Analysis

@Suite struct FailureFingerprintTests {
    @Test func moreThanFiveEquallyStrongLinesInAnyOrderGiveOneFingerprint() {
        // Seven tests fail in parallel and print in another order each run.
        let failures = (1...7).map { "--- FAIL: TestCase\(["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta"][$0 - 1]) (0.0\($0)s)" }
        var generator = SystemRandomNumberGenerator()
        let values = Set((0..<10).map { _ in
            let log = (["=== RUN all"] + failures.shuffled(using: &generator) + ["FAIL", "exit status 1"]).joined(separator: "\n")
            return FailureFingerprint(log: Array(log.utf8), namespace: "ci", pipeline: nil, task: "test").value
        })
        #expect(values.count == 1)
    }

    func log(time: String, pod: String, id: String, error: String = "ERROR: connection refused to database at 10.0.3.7:5432") -> [UInt8] {
        var lines = (1...200).map { "\(time) INFO step \($0) done in \($0 * 3)ms" }
        lines.append("\(time) INFO pod \(pod) started, request \(id)")
        lines.append("\(time) \(error)")
        lines.append("\(time) FAILED: exit code 1 (tmp dir /tmp/build-\(id))")
        return Array(lines.joined(separator: "\n").utf8)
    }

    @Test func theSameFailureInAnotherRunHasTheSameFingerprint() {
        let a = FailureFingerprint(
            log: log(time: "2026-11-26T08:00:01.123Z", pod: "build-7x9k2-test-pod", id: "3f2a9c1e-8d4b-4c2a-9f1e-2b3c4d5e6f70"),
            namespace: "ci", pipeline: "build-7x9k2", task: "test")
        let b = FailureFingerprint(
            log: log(time: "2026-11-27T19:44:59.987Z", pod: "build-q2m4t-test-pod", id: "9a8b7c6d-1e2f-4a3b-8c9d-0e1f2a3b4c5d"),
            namespace: "ci", pipeline: "build-q2m4t", task: "test")
        #expect(a == b)
        #expect(a.value.count == 16)
        #expect(a.keyLines.contains { $0.contains("connection refused") })
    }

    @Test func aDifferentErrorOrPlaceIsADifferentFailure() {
        let base = FailureFingerprint(log: log(time: "t", pod: "p", id: "1"), namespace: "ci", pipeline: nil, task: "test")
        let otherError = FailureFingerprint(
            log: log(time: "t", pod: "p", id: "1", error: "ERROR: permission denied writing /workspace/out"),
            namespace: "ci", pipeline: nil, task: "test")
        let otherNamespace = FailureFingerprint(log: log(time: "t", pod: "p", id: "1"), namespace: "prod", pipeline: nil, task: "test")
        let otherTask = FailureFingerprint(log: log(time: "t", pod: "p", id: "1"), namespace: "ci", pipeline: nil, task: "lint")
        #expect(Set([base, otherError, otherNamespace, otherTask].map(\.value)).count == 4)
    }

    @Test func normalisationRemovesRunSpecificParts() {
        #expect(FailureFingerprint.normalize("2026-11-26T08:00:01Z pod build-7x9k2-unit-pod failed after 35s")
            == "<time> pod build-<id>-unit-pod failed after <duration>")
        #expect(FailureFingerprint.normalize("commit 3f2a9c1 uuid 3f2a9c1e-8d4b-4c2a-9f1e-2b3c4d5e6f70 in /tmp/x/y.log")
            == "commit <hex> uuid <uuid> in <tmp>")
        #expect(FailureFingerprint.normalize("deployment-5d8f7b9c6d-x7k2p") == "deployment-<id>-<id>")
        // Generated suffixes without a digit (`generateName` draws from 27 characters, 7 of them digits).
        #expect(FailureFingerprint.normalize("pod build-run-qwrtz-test-pod, deployment-bcdfghjkl-qwrtz")
            == "pod build-run-<id>-test-pod, deployment-<id>-<id>")
        #expect(FailureFingerprint.normalize("--- FAIL: TestParse (0.35s)") == "--- FAIL: TestParse (<duration>)")
        for duration in ["8s", "1m 12s", "1m12s", "2h3m", "350ms", "12.5s", "3 minutes", "1.2 seconds"] {
            #expect(FailureFingerprint.normalize("BUILD FAILED in \(duration)") == "BUILD FAILED in <duration>", "\(duration)")
        }
        // Numbers that are no durations stay numbers; words that begin with a unit stay words.
        #expect(FailureFingerprint.normalize("exit code 137 after 3 hosts, 2 secrets, 5 mismatches")
            == "exit code <n> after <n> hosts, <n> secrets, <n> mismatches")
        // Ordinary words survive.
        #expect(FailureFingerprint.normalize("cannot find symbol: class Decoded") == "cannot find symbol: class Decoded")
    }
}

/// The same failure must get the same fingerprint however much output surrounds it and
/// however the run was named; different failures must not.
@Suite struct FailureFingerprintStabilityTests {
    /// A Go build that fails to compile after downloading `downloads` modules.
    static func goBuild(downloads: Int, symbol: String = "auth.NewVerifier") -> [UInt8] {
        var lines = ["+ go build -o /workspace/bin/server ./cmd/server"]
        lines += (0..<downloads).map { "go: downloading github.com/example/module\($0) v1.\($0 % 7).\($0 % 3)" }
        lines += [
            "# example.com/app/server",
            "server/handler.go:42:17: undefined: \(symbol)",
            "server/handler.go:57:9: cannot use cfg (variable of type *Config) as Options value in argument to start",
            "make: *** [Makefile:12: build] Error 1",
        ]
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// A Gradle compile failure after `noise` lines of task output, ending with its duration.
    static func gradleBuild(noise: Int, duration: String) -> [UInt8] {
        var lines = (0..<noise).map { "> Task :lib\($0 % 9):processResources UP-TO-DATE" }
        lines += [
            "> Task :app:compileJava FAILED",
            "/workspace/app/src/main/java/com/example/Api.java:27: error: cannot find symbol",
            "        return Decoder.decode(body);",
            "               ^",
            "  symbol:   variable Decoder",
            "1 error",
            "",
            "FAILURE: Build failed with an exception.",
            "* What went wrong:",
            "Execution failed for task ':app:compileJava'.",
            "> Compilation failed; see the compiler error output for details.",
            "BUILD FAILED in \(duration)",
        ]
        return Array(lines.joined(separator: "\n").utf8)
    }

    @Test func aGeneratedRunSuffixWithOrWithoutADigitIsTheSameScope() {
        let log = Self.goBuild(downloads: 3)
        let withDigit = FailureFingerprint(log: log, namespace: "ci", pipeline: "build-run-x7k2p", task: "compile")
        let withoutDigit = FailureFingerprint(log: log, namespace: "ci", pipeline: "build-run-qwrtz", task: "compile")
        let otherPipeline = FailureFingerprint(log: log, namespace: "ci", pipeline: "release-run-qwrtz", task: "compile")
        #expect(withDigit == withoutDigit)
        #expect(withDigit != otherPipeline)
    }

    @Test func moreNoiseLinesDoNotChangeTheFingerprint() {
        let fingerprints = [0, 3, 118].map {
            FailureFingerprint(log: Self.goBuild(downloads: $0), namespace: "ci", pipeline: nil, task: "compile")
        }
        #expect(Set(fingerprints.map(\.value)).count == 1, "\(fingerprints.map(\.keyLines))")
        #expect(fingerprints[0].keyLines.contains("server/handler.go:<n>:<n>: undefined: auth.NewVerifier"))
    }

    @Test func lineNumbersDoNotChangeTheFingerprint() {
        let values = Set([0, 7, 95, 998, 20_000].map {
            FailureFingerprint(log: Self.gradleBuild(noise: $0, duration: "8s"), namespace: "ci", pipeline: nil, task: "build").value
        })
        #expect(values.count == 1)
    }

    @Test func durationsDoNotChangeTheFingerprint() {
        let values = Set(["8s", "1m 12s", "2h3m", "350ms", "12.5s"].map {
            FailureFingerprint(log: Self.gradleBuild(noise: 20, duration: $0), namespace: "ci", pipeline: nil, task: "build").value
        })
        #expect(values.count == 1)
    }

    @Test func aDifferentErrorLineIsADifferentFailure() {
        let a = FailureFingerprint(log: Self.goBuild(downloads: 3), namespace: "ci", pipeline: nil, task: "compile")
        let b = FailureFingerprint(log: Self.goBuild(downloads: 3, symbol: "auth.NewSigner"), namespace: "ci", pipeline: nil, task: "compile")
        #expect(a != b)
    }

    /// Five distinct errors of equal weight: the old 96-token excerpt had room for only some of
    /// them, so a difference in the second one went unseen.
    @Test func everyOneOfFiveErrorsCounts() {
        func log(second: String) -> [UInt8] {
            let errors = ["users", second, "invoices", "payments", "customers"].map {
                "ERROR: migration of table \($0) failed: relation \"\($0)_archive\" does not exist in schema public"
            }
            return Array((["starting migrations"] + errors + ["done"]).joined(separator: "\n").utf8)
        }
        let a = FailureFingerprint(log: log(second: "orders"), namespace: "ci", pipeline: nil, task: "migrate")
        let b = FailureFingerprint(log: log(second: "accounts"), namespace: "ci", pipeline: nil, task: "migrate")
        #expect(a != b)
        #expect(a.keyLines.count == 5)
    }

    @Test func secretsInKeyLinesAreRedacted() {
        let log = Array("""
            logging in to registry.example.com
            ERROR: docker login failed for user ci with password=Sup3rS3cretValue-99 (unauthorized)
            exit status 1
            """.utf8)
        let fingerprint = FailureFingerprint(log: log, namespace: "ci", pipeline: nil, task: "push")
        #expect(fingerprint.keyLines.contains { $0.contains("[REDACTED:") })
        #expect(!fingerprint.keyLines.contains { $0.contains("Sup3rS3cret") })
    }

    @Test func theJobsOwnPodAndRunNamesInLogLinesArePlaceholders() {
        #expect(FailureFingerprint.keyLine(
            "ERROR: pod api-nightly-integration-pod (TaskRun api-nightly-integration) of api-nightly failed",
            pod: "api-nightly-integration-pod", pipelineRun: "api-nightly")
            == "ERROR: pod <pod> (TaskRun <run>-integration) of <run> failed")
        // Only whole names: `app` is no part of `application`.
        #expect(FailureFingerprint.keyLine("ERROR: application app failed", pod: "app", pipelineRun: nil) == "ERROR: application <pod> failed")

        // Pods of one task whose names no generated-suffix rule recognises.
        func log(pod: String) -> [UInt8] {
            Array("""
                starting \(pod)
                ERROR: readiness probe of \(pod) failed: connection refused on port 8443
                """.utf8)
        }
        let a = FailureFingerprint(log: log(pod: "smoke-alpha-pod"), namespace: "ci", pipeline: "smoke", task: "probe", pod: "smoke-alpha-pod")
        let b = FailureFingerprint(log: log(pod: "smoke-omega-pod"), namespace: "ci", pipeline: "smoke", task: "probe", pod: "smoke-omega-pod")
        #expect(a == b)
        #expect(a.keyLines == ["ERROR: readiness probe of <pod> failed: connection refused on port <n>"])
    }

    @Test func silentFailuresAreToldApartByContainerAndTermination() {
        func fingerprint(_ log: String, container: String?, _ termination: FailureFingerprint.Termination? = nil) -> String {
            FailureFingerprint(log: Array(log.utf8), namespace: "ci", pipeline: "build-run-qwrtz", task: "build",
                               pod: "build-run-qwrtz-build-pod", container: container, termination: termination).value
        }
        let build = fingerprint("", container: "step-build")
        let test = fingerprint("", container: "step-test")
        let oomKilled = fingerprint("", container: "step-build", .init(reason: "OOMKilled", exitCode: 137))
        let error = fingerprint("", container: "step-build", .init(reason: "Error", exitCode: 1))
        let otherExit = fingerprint("", container: "step-build", .init(reason: "Error", exitCode: 2))
        #expect(Set([build, test, oomKilled, error, otherExit]).count == 5)
        // Only boilerplate is as silent as nothing; the same silent failure again is the same.
        #expect(fingerprint("make: *** [Makefile:12: build] Error 1\n", container: "step-build", .init(reason: "Error", exitCode: 1)) == error)
        #expect(fingerprint("", container: "step-build", .init(reason: "Error", exitCode: 1)) == error)
    }
}

@Suite struct FailureLinesTests {
    @Test func strongestFirstEachDigitFreeFormOnceNoBoilerplateNoKeys() {
        let log = """
            [INFO] Building app 1.0
            ERROR: cache miss for layer 1
            ERROR: cache miss for layer 2
            -----BEGIN RSA PRIVATE KEY-----
            FATAL ERROR: key material failed to load
            -----END RSA PRIVATE KEY-----
            --- FAIL: TestLogin (0.01s)
            [ERROR] -> [Help 1]
            ERROR: cache miss for layer 3
            """
        let lines = FailureLines(log: Array(log.utf8)).lines
        #expect(lines.first == "--- FAIL: TestLogin (0.01s)")
        // Repeats of one digit-free form keep their latest line.
        #expect(lines.filter { $0.hasPrefix("ERROR: cache miss") } == ["ERROR: cache miss for layer 3"])
        #expect(!lines.contains { $0.contains("key material") || $0.contains("Help 1") })
    }

    @Test func theWorkersOneScanGivesTheSameLines() {
        let log = Array(FailureFingerprintStabilityTests.gradleBuild(noise: 300, duration: "8s"))
        let analysed = LogExcerpt.excerptsAndFailureLines(log: log, budgetsTokens: [2000])
        #expect(analysed.failureLines == FailureLines(log: log))
        #expect(analysed.excerpts.map(\.text) == LogExcerpt.excerpts(log: log, budgetsTokens: [2000]).map(\.text))
        #expect(LogExcerpt.excerptsAndFailureLines(log: [], budgetsTokens: [2000]).failureLines.lines.isEmpty)
    }

    @Test func longLinesAreCutAfterRedaction() throws {
        // Longer than a kept line, short enough to stay a failure line (beyond 2000 bytes its score halves).
        let line = "ERROR: upload failed, token=ghp_16C7e42F292c6912E7710c838347Ae178B4a " + String(repeating: "x", count: 1500)
        let lines = FailureLines(log: Array(line.utf8)).lines
        try #require(lines.count == 1)
        #expect(lines[0].utf8.count == FailureLines.maxLineBytes)
        #expect(lines[0].contains("[REDACTED:") && !lines[0].contains("ghp_16C7"))
        let key = FailureFingerprint(log: Array(line.utf8), namespace: "ci", pipeline: nil, task: nil).keyLines
        try #require(key.count == 1)
        #expect(key[0].count == FailureFingerprint.maxKeyLineLength && key[0].contains("[REDACTED:"))
    }
}
