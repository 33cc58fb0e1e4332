import Foundation

/// N failed pods for the Kubernetes MCP stand-in, each failing with its own error lines
/// (names spelt in letters: the fingerprint normalises digits away), so every job has a new
/// fingerprint and runs the model.
struct FailureFixture {
    static let namespace = "ci"
    static let container = "step-unit-tests"
    let count: Int
    /// Log lines per pod before the failure.
    let logLines: Int

    func pod(_ index: Int) -> String { "bench-run-\(index)-unit-tests-pod" }

    /// `index` spelt with letters: 0 → "aaa", 1 → "aab", … (17,576 distinct).
    static func word(_ index: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return String([letters[(index / 676) % 26], letters[(index / 26) % 26], letters[index % 26]])
    }

    func log(_ index: Int) -> String {
        let word = Self.word(index)
        var lines = (0..<logLines).map { line in
            "2026-11-26T08:\(10 + line % 50):\(10 + line % 50)Z INFO compiling package example.com/shop/module\(line) (\(line * 7 % 100) files)"
        }
        lines += [
            "2026-11-26T08:59:58Z --- FAIL: TestCheckout\(word.capitalized) (0.02s)",
            "2026-11-26T08:59:58Z     checkout_test.go:88: \(word) service answered status 503: upstream \(word)-backend unavailable",
            "FAIL\texample.com/shop/\(word)\t0.118s",
            "error: step unit-tests exited with status 1",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The stand-in's `--fixtures` file: pods, their one container's log, one event each.
    func json() throws -> Data {
        var pods: [String: Any] = [:]
        var events: [String] = []
        for index in 0..<count {
            pods["\(Self.namespace)/\(pod(index))"] = ["phase": "Failed", "containers": [Self.container: ["log": log(index)]]]
            events.append("Warning  Failed  pod/\(pod(index))  Error: container \(Self.container) exited with 1")
        }
        return try JSONSerialization.data(withJSONObject: ["pods": pods, "events": [Self.namespace: events]])
    }
}
