import Foundation
import JSON
import Testing
import TestSupport

extension EndToEndTests {
    /// The web UI in a real browser (Tests/browser/ui_test.py: chromium, selenium, axe-core)
    /// over a database filled by a real run: one report makes an issue (its log carries a
    /// hostile line and a secret), a second pod with the same failure adds an occurrence, a report of a pod
    /// that does not exist fails. Screenshots go to .ci/artifacts/ui/ in the checkout.
    @Test func theWebUIShowsARealRunInABrowser() async throws {
        let hostile = "<script>alert(1)</script></textarea>"
        let secret = "PlantedDbPassw0rd"
        let pods = ["build-app-run-ui1-unit-tests-pod", "build-app-run-ui2-unit-tests-pod"]
        var fixtures: [String: String] = [:]
        for (index, pod) in pods.enumerated() {
            fixtures["ci/\(pod)"] = FailingLogs.goTestFailure(run: index + 1) + "    config_test.go:43: got \(hostile)\n"
                + "    config_test.go:44: DB_PASSWORD=\(secret)\n"
        }
        let scenario = try await Scenario(pods: fixtures)
        try await scenario.model.script([
            ScriptedModel.toolCall("pods_log", ["namespace": "ci", "name": pods[0], "container": FailingLogs.container], id: "call_log"),
            ScriptedModel.toolCall("create_issue", ["title": IssueDraft.title, "body": IssueDraft.body(place: "ci/\(pods[0])")],
                                   id: "call_issue"),
            ScriptedModel.text("Filed the issue."),
        ])
        let token = "ui-test-\(UUID().uuidString.prefix(8))"
        let agent = try await AgentProcess.webhook(
            "serve", environment: scenario.environment(["AGENT_UI": "on", "AGENT_INGEST_TOKEN": token]))
        defer { agent.kill() }

        var ids: [Int64] = []
        for pod in pods + ["ghost-run-ui3-pod"] {
            let answer = try await agent.report(namespace: "ci", pod: pod, container: FailingLogs.container, wait: 120, token: token)
            #expect([200, 202].contains(answer.status), "\(answer.body.jsonText)")
            ids.append(try Scenario.jobID(answer.location))
        }
        let queue = try scenario.openQueue()
        let issueURL = "\(scenario.peers.gitea.baseURL)/\(EndToEndPeers.owner)/\(scenario.repository)/issues/1"
        let states = try await eventually("the three jobs to finish", timeout: .seconds(120), every: .milliseconds(200)) {
            var states: [String] = []
            for id in ids { states.append(try await queue.job(id: id)?.state.rawValue ?? "missing") }
            return states.contains("queued") || states.contains("running") ? nil : states
        }
        #expect(states == ["succeeded", "succeeded", "failed"], "\(agent.stderr.suffix(3000))")

        let expect: [String: Any] = [
            "jobs": zip(ids, pods + ["ghost-run-ui3-pod"]).map { ["id": $0, "pod": $1] },
            "counts": ["succeeded": 2, "failed": 1, "queued": 0],
            "search": "GHOST", "search_hits": 1,
            "issue_job": ids[0], "issue_url": issueURL, "issue_attempt": 1,
            "failed_job": ids[2], "failed_error": "not found",
            "roles": ["system", "user", "assistant", "tool", "assistant", "tool", "assistant"],
            "tool_calls": ["pods_log", "create_issue"],
            "hostile": hostile, "secret": secret,
            "occurrences": 2,
        ]
        let screenshots = Self.checkout.appendingPathComponent(".ci/artifacts/ui").path
        let run = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Self.checkout.appendingPathComponent("Tests/browser/ui_test.py").path,
             "--base-url", agent.baseURL!, "--token", token, "--screenshots", screenshots,
             "--expect", String(decoding: try JSONSerialization.data(withJSONObject: expect), as: UTF8.self)],
            timeout: .seconds(300))
        #expect(run.status == 0, "browser checks failed:\n\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("all browser checks passed"))
        // The checks' lines, for CI logs (the screenshots are beside them).
        print(run.stdout)
        for name in ["jobs", "job", "transcript", "transcript-dark", "groups", "health-dark"] {
            #expect(FileManager.default.fileExists(atPath: "\(screenshots)/\(name).png"), "no screenshot \(name)")
        }
    }

    /// The repository checkout (screenshots stay inside it, where CI keeps artifacts).
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
