import Foundation
import JSON
import Queue
import Store
import Testing
import TestSupport

extension EndToEndTests {
    /// The secret scanner as the judge of everything that leaves the process or is stored.
    /// Two pods fail the same way with logs full of planted secrets of every kind the corpus
    /// knows (Tests/peers/secret_corpus.py, other seeds than the oracle's); the model reads the
    /// whole log and quotes it back in its issue. detect-secrets 1.5.0 must then find nothing in:
    /// every request the scripted model received, the transcript (`agentctl transcript` and the
    /// table), every issue and comment body sent to Gitea, the jobs' results and errors, and the
    /// agent's own log lines — while it finds the planted secrets in the logs themselves.
    @Test func detectSecretsFindsNothingThatLeftTheProcess() async throws {
        let directory = TemporaryDirectory()
        let pods = ["deploy-run-s7c4n-apply-pod", "deploy-run-q2w8e-apply-pod"]
        var logs: [String: String] = [:]
        for (index, pod) in pods.enumerated() {
            let corpus = try await Self.secretCorpus(seed: 303 + index, in: directory)
            logs["ci/\(pod)"] = FailingLogs.goTestFailure(run: 11 + index).split(separator: "\n").prefix(20).joined(separator: "\n")
                + "\n" + corpus + "--- FAIL: TestDeploy (0.02s)\n    deploy_test.go:31: apply failed\nFAIL\nexit status 1\n"
        }
        let planted = try await Self.detectSecrets(["planted.log": logs.values.joined(separator: "\n")], in: directory.path("planted"))
        #expect(planted.count >= 50, "the scanner should find the planted secrets in the raw logs (found \(planted.count))")

        let scenario = try await Scenario(pods: logs)
        let first = pods[0]
        try await scenario.model.script([
            ScriptedModel.toolCall("pods_log", ["namespace": "ci", "name": first, "container": FailingLogs.container, "tailLines": 5000]),
            // A careless model: it quotes the log it read, secrets and all, in the issue it
            // writes (not the lines that name other namespaces: the quality gate refuses an issue
            // that points elsewhere, and the fallback issue would quote nothing of the model's).
            ScriptedModel.text(IssueDraft.body(place: "ci/\(first)").replacingOccurrences(
                of: "## Possible causes", with: "--- FAIL: TestDeploy (0.02s)\n\n## Possible causes")
                + "\n\nThe log shows:\n"
                + (logs["ci/\(first)"] ?? "").split(separator: "\n").filter { !$0.contains("namespace") }.joined(separator: "\n")),
        ])
        let agent = try await AgentProcess.webhook("serve", environment: scenario.environment(["LOG_LEVEL": "debug"]))
        defer { agent.kill() }
        var ids: [Int64] = []
        for pod in pods {
            let answer = try await agent.report(namespace: "ci", pod: pod, container: FailingLogs.container, wait: 120)
            #expect(answer.body["status"] == "success", "\(answer.body.jsonText)\n\(agent.stderr.suffix(3000))")
            ids.append(try Scenario.jobID(answer.location))
        }

        let queue = try scenario.openQueue()
        var places: [String: String] = [
            "model-requests.txt": Self.strings(in: try await scenario.model.requests()),
            "gitea-bodies.txt": try await scenario.peers.postedBodies().joined(separator: "\n\n"),
            "agent-log.txt": agent.stderr,
        ]
        // The second job only comments on the first one's issue: no model run, no transcript.
        places["transcript.txt"] = Self.strings(in: try await AgentCtl.transcript(job: ids[0], database: scenario.databasePath))
        places["stored.txt"] = try await queue.database.read { db in
            try db.query("""
                SELECT coalesce(content, '') || char(10) || coalesce(tool_arguments, '') || char(10) || coalesce(tool_result, '')
                       || char(10) || coalesce(tool_calls, '') FROM transcript_entries
                UNION ALL SELECT coalesce(result, '') || char(10) || coalesce(last_error, '') FROM jobs
                UNION ALL SELECT coalesce(error, '') FROM attempts
                """) { $0.string(0) }
        }.joined(separator: "\n")
        #expect(places["model-requests.txt"]?.contains("[REDACTED:") == true, "the log reached the model, redacted")
        #expect(places["gitea-bodies.txt"]?.contains("deploy_test.go:31") == true, "the model's quote reached the issue")
        #expect(places["stored.txt"]?.contains(#""analysis":"fallback""#) == false,
                "the model's issue was refused: \(agent.stderr.split(separator: "\n").filter { $0.contains("fallback") || $0.contains("gate") || $0.contains("repair") })")
        #expect(try await scenario.peers.postedBodies().count == 2, "one issue and one occurrence comment")

        // The failure fingerprint (a hash of the failure lines, in job results) is ours, not a secret.
        let fingerprints = try await queue.database.read { db in
            try db.query("SELECT DISTINCT fingerprint FROM jobs WHERE fingerprint IS NOT NULL") { $0.string(0) }
        }
        #expect(!fingerprints.isEmpty)
        var ours: Set<String> = []
        for fingerprint in fingerprints { ours.insert(try await SecretScanner.hashedSecret(fingerprint)) }
        let found = try await Self.detectSecrets(places, in: directory.path("out")).filter { !ours.contains($0.hash) }
        let flaggedLines = found.prefix(20).map { finding in
            "\(finding): " + ((places[finding.file]?.components(separatedBy: "\n").dropFirst(finding.line - 1).first ?? "").prefix(200))
        }
        #expect(found.isEmpty, "detect-secrets flags what left the process: \(flaggedLines)")
    }

    /// The corpus generator's log for `seed`.
    static func secretCorpus(seed: Int, in directory: TemporaryDirectory) async throws -> String {
        let log = directory.path("corpus-\(seed).log")
        try await SecretScanner.run(["python3", SecretScanner.root.appendingPathComponent("Tests/peers/secret_corpus.py").path,
                               log, directory.path("corpus-\(seed).json"), "--seed", "\(seed)", "--copies", "1"])
        return try String(contentsOfFile: log, encoding: .utf8)
    }

    /// What detect-secrets flags in `files` (name → text).
    static func detectSecrets(_ files: [String: String], in folder: String) async throws -> [SecretScanner.Finding] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name)) }
        return try await SecretScanner.scan(folder: URL(fileURLWithPath: folder))
    }
}
