import Testing
@testable import Analysis

@Suite struct FailureFingerprintTests {
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
            == "<time> pod build-<id>-unit-pod failed after <n>s")
        #expect(FailureFingerprint.normalize("commit 3f2a9c1 uuid 3f2a9c1e-8d4b-4c2a-9f1e-2b3c4d5e6f70 in /tmp/x/y.log")
            == "commit <hex> uuid <uuid> in <tmp>")
        #expect(FailureFingerprint.normalize("deployment-5d8f7b9c6d-x7k2p") == "deployment-<id>-<id>")
        // Ordinary words survive.
        #expect(FailureFingerprint.normalize("cannot find symbol: class Decoded") == "cannot find symbol: class Decoded")
    }
}
