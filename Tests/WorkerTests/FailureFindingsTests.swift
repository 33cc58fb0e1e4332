import Analysis
import Foundation
@testable import Queue
import Testing
@testable import Worker

/// The fingerprint the worker computes from a job and its evidence (no peers: the evidence is given).
@Suite struct FailureFindingsTests {
    static func job(pod: String, pipelineRun: String?, task: String? = "test", container: String? = "step-test") -> Job {
        let now = Date()
        return Job(id: 1, namespace: "ci", pod: pod, container: container, pipelineRun: pipelineRun, task: task, source: .cloudevent,
                   state: .running, attempts: 1, maxAttempts: 5, runAfter: now, leaseOwner: "w", leaseExpiresAt: nil,
                   lastError: nil, result: nil, fingerprint: nil, groupID: nil, reportCount: 1, createdAt: now, updatedAt: now,
                   finishedAt: nil)
    }

    static func findings(_ job: Job, _ evidence: Evidence) -> FailureAnalysisHandler.Findings {
        FailureAnalysisHandler.findings(job, evidence, excerptBudgetTokens: 2000, redactor: SecretRedactor())
    }

    static func log(pod: String, downloads: Int) -> String {
        (["+ go test ./..."] + (0..<downloads).map { "go: downloading github.com/example/m\($0) v0.\($0).1" } + [
            "pod \(pod): running tests",
            "--- FAIL: TestParseConfig (0.0\(downloads % 10)s)",
            "    config_test.go:42: expected port 8080, got 0 in \(pod)",
            "FAIL\texample.com/app/config\t1.\(downloads)s",
        ]).joined(separator: "\n")
    }

    @Test func theSameFailureInRunsNamedWithAndWithoutADigitIsOneFingerprint() {
        let a = Self.findings(Self.job(pod: "app-ci-x7k2p-test-pod", pipelineRun: "app-ci-x7k2p"),
                              Evidence(container: "step-test", log: Self.log(pod: "app-ci-x7k2p-test-pod", downloads: 3)))
        let b = Self.findings(Self.job(pod: "app-ci-qwrtz-test-pod", pipelineRun: "app-ci-qwrtz"),
                              Evidence(container: "step-test", log: Self.log(pod: "app-ci-qwrtz-test-pod", downloads: 140)))
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.excerpt.contains("--- FAIL: TestParseConfig"))
        let other = Self.findings(Self.job(pod: "app-ci-qwrtz-test-pod", pipelineRun: "app-ci-qwrtz"),
                                  Evidence(container: "step-test", log: Self.log(pod: "x", downloads: 3)
                                      .replacingOccurrences(of: "TestParseConfig", with: "TestLoadConfig")))
        #expect(other.fingerprint != a.fingerprint)
    }

    @Test func silentContainersAreToldApartByNameAndTermination() {
        let job = Self.job(pod: "app-ci-qwrtz-build-pod", pipelineRun: "app-ci-qwrtz", task: "build", container: nil)
        let build = Self.findings(job, Evidence(container: "step-build", log: "", terminationReason: "Error", exitCode: 1))
        let push = Self.findings(job, Evidence(container: "step-push", log: "", terminationReason: "Error", exitCode: 1))
        let oomKilled = Self.findings(job, Evidence(container: "step-build", log: "", terminationReason: "OOMKilled", exitCode: 137))
        #expect(Set([build, push, oomKilled].map(\.fingerprint)).count == 3)
        let again = Self.findings(Self.job(pod: "app-ci-mnbvc-build-pod", pipelineRun: "app-ci-mnbvc", task: "build", container: nil),
                                  Evidence(container: "step-build", log: "", terminationReason: "Error", exitCode: 1))
        #expect(again.fingerprint == build.fingerprint)
    }

    /// What `FailureAnalysisTests` (which needs peers) relies on: its fifty fixture pods are one
    /// failure, and the convenience initialiser gives the handler's fingerprint for its log.
    @Test func thePeerSuitesFixturesKeepTheirFingerprints() {
        let fingerprints = Set((0..<50).map { index in
            Self.findings(Self.job(pod: "build-run\(index)x-test-pod", pipelineRun: nil),
                          Evidence(container: "step-test", log: FailureAnalysisTests.failingLog(run: index), exitCode: 1)).fingerprint
        })
        #expect(fingerprints.count == 1)
        let log = FailureAnalysisTests.failingLog(run: 1)
        let handler = Self.findings(Self.job(pod: "p1-test-pod", pipelineRun: nil, task: nil),
                                    Evidence(container: "step-test", log: log, exitCode: 1)).fingerprint
        #expect(handler == FailureFingerprint(log: Array(log.utf8), namespace: "ci", pipeline: nil, task: nil).value)
    }
}
