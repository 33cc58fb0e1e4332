import Foundation
import Testing
import TestSupport
import Queue
import Store
import Worker

/// `agentctl` as an operator runs it: output, JSON fields and exit codes.
@Suite struct AgentCtlTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("agent.sqlite") }

    func agentctl(_ arguments: String..., environment: [String: String] = [:], in cwd: URL? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(try BuildProducts.executable("agentctl"), arguments, environment: environment, directory: cwd)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func enqueueListShowAndStats() async throws {
        let first = try await agentctl("jobs", "enqueue", "--db", db, "--namespace", "ci", "--pod", "build-1-pod",
                                       "--container", "step-test", "--pipeline-run", "build-1", "--json")
        #expect(first.status == 0, "\(first.stderr)")
        let created = try json(first.stdout)
        #expect(created["duplicate"] as? Bool == false)
        let job = try #require(created["job"] as? [String: Any])
        #expect(job["state"] as? String == "queued" && job["pipeline_run"] as? String == "build-1" && job["source"] as? String == "cli")

        let again = try await agentctl("jobs", "enqueue", "--db", db, "--namespace", "ci", "--pod", "build-1-pod", "--container", "step-test")
        #expect(again.status == 0 && again.stdout.contains("already queued (2 reports)"))

        let list = try json(try await agentctl("jobs", "list", "--db", db, "--json").stdout)
        let jobs = try #require(list["jobs"] as? [[String: Any]])
        #expect(jobs.count == 1 && jobs[0]["report_count"] as? Int == 2)
        #expect(list.keys.contains("next_cursor"))

        let show = try await agentctl("jobs", "show", "1", "--db", db)
        #expect(show.status == 0 && show.stdout.contains("ci/build-1-pod/step-test") && show.stdout.contains("reports       2"))

        let stats = try json(try await agentctl("stats", "--db", db, "--json").stdout)
        #expect((stats["counts"] as? [String: Int])?["queued"] == 1)
        #expect(stats["total_reports"] as? Int == 2)
    }

    @Test func pruneKeepsRecentAndActiveJobs() async throws {
        _ = try await agentctl("jobs", "enqueue", "--db", db, "--namespace", "ci", "--pod", "p1")
        _ = try await agentctl("jobs", "enqueue", "--db", db, "--namespace", "ci", "--pod", "p2")
        #expect(try await agentctl("jobs", "cancel", "1", "--db", db).status == 0)
        // A job cancelled just now is within any window; with --days 0 it is past it.
        let kept = try json(try await agentctl("prune", "--db", db, "--json").stdout)
        #expect(kept["jobs"] as? Int == 0)
        let counted = try json(try await agentctl("prune", "--db", db, "--days", "0", "--dry-run", "--json").stdout)
        #expect(counted["jobs"] as? Int == 1 && counted["dry_run"] as? Bool == true)
        let pruned = try await agentctl("prune", "--db", db, "--days", "0", "--vacuum")
        #expect(pruned.status == 0 && pruned.stdout.contains("deleted 1 jobs"), "\(pruned.stderr)")
        let list = try json(try await agentctl("jobs", "list", "--db", db, "--json").stdout)
        #expect((list["jobs"] as? [[String: Any]])?.map { $0["id"] as? Int } == [2])
    }

    @Test func humanListFitsEightyColumns() async throws {
        let longPod = String(repeating: "very-long-pipeline-run-name-", count: 5) + "pod"
        for index in 0..<3 {
            _ = try await agentctl("jobs", "enqueue", "--db", db, "--namespace", "team-a", "--pod", "\(longPod)-\(index)", "--container", "step-build")
        }
        let list = try await agentctl("jobs", "list", "--db", db)
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines)")
        #expect(lines[1].contains("queued") && lines[1].contains("just now") && lines[1].hasSuffix("…"))
    }

    @Test func cancelAndRetry() async throws {
        _ = try await agentctl("jobs", "enqueue", "--db", db, "--namespace", "ci", "--pod", "p")
        let cancel = try await agentctl("jobs", "cancel", "1", "--db", db)
        #expect(cancel.status == 0 && cancel.stdout.contains("job 1: cancelled"))
        let again = try await agentctl("jobs", "cancel", "1", "--db", db)
        #expect(again.status == 1 && again.stderr.contains("job 1 is cancelled; cannot cancel it"))
        let retry = try await agentctl("jobs", "retry", "1", "--db", db, "--json")
        #expect(retry.status == 0)
        #expect(try json(retry.stdout)["retried"] as? [Int] == [1])
        let noDead = try await agentctl("jobs", "retry", "--all-dead", "--db", db)
        #expect(noDead.status == 0 && noDead.stdout.contains("no dead jobs"))
    }

    @Test func notFoundAndInvalidInputExitOne() async throws {
        let show = try await agentctl("jobs", "show", "42", "--db", db)
        #expect(show.status == 1 && show.stderr.contains("job 42 not found"))
        let retry = try await agentctl("jobs", "retry", "42", "43", "--db", db)
        #expect(retry.status == 1 && retry.stderr.contains("job 42 not found") && retry.stderr.contains("job 43 not found"))
        let badName = try await agentctl("jobs", "enqueue", "--db", db, "--namespace", "Not_Valid", "--pod", "p")
        #expect(badName.status == 1 && badName.stderr.contains("namespace"))
        let badEnv = try await agentctl("stats", "--db", db, environment: ["AGENT_MAX_ATTEMPTS": "lots"])
        #expect(badEnv.status == 1 && badEnv.stderr.contains("AGENT_MAX_ATTEMPTS"))
    }

    @Test func usageErrorsExitTwo() async throws {
        let unknown = try await agentctl("jobs", "list", "--bogus", "--db", db)
        #expect(unknown.status == 2 && unknown.stderr.contains("--bogus"))
        let missing = try await agentctl("jobs", "enqueue", "--db", db, "--pod", "p")
        #expect(missing.status == 2 && missing.stderr.contains("--namespace"))
        let both = try await agentctl("jobs", "retry", "1", "--all-dead", "--db", db)
        #expect(both.status == 2)
        let notANumber = try await agentctl("jobs", "show", "abc", "--db", db)
        #expect(notANumber.status == 2)
        let help = try await agentctl("--help")
        #expect(help.status == 0 && help.stdout.contains("jobs"))
    }

    @Test func badDatabaseFilesAreClearErrors() async throws {
        let garbage = directory.path("garbage.sqlite")
        try Data(repeating: 7, count: 8192).write(to: URL(fileURLWithPath: garbage))
        let corrupt = try await agentctl("jobs", "list", "--db", garbage)
        #expect(corrupt.status == 1 && corrupt.stderr.contains("not a database") && corrupt.stderr.contains(garbage))

        let unwritable = try await agentctl("jobs", "list", "--db", garbage + "/below-a-file/agent.sqlite")
        #expect(unwritable.status == 1 && unwritable.stderr.contains("below-a-file"))
        #expect(!unwritable.stderr.contains("Fatal error"))
    }

    @Test func databasePathFromEnvironmentOrDefault() async throws {
        let fromEnv = directory.path("env/agent.sqlite")
        _ = try await agentctl("migrate", environment: ["AGENT_DB": fromEnv])
        #expect(FileManager.default.fileExists(atPath: fromEnv))

        let migrate = try await agentctl("migrate", environment: ["AGENT_DB": ""], in: directory.url)
        #expect(migrate.status == 0 && migrate.stdout.contains("applied 0001_init"))
        #expect(FileManager.default.fileExists(atPath: directory.path("var/agent.sqlite")))
        let again = try await agentctl("migrate", "--json", environment: ["AGENT_DB": ""], in: directory.url)
        #expect(try json(again.stdout)["applied"] as? [String] == [])
    }
}

@Suite struct AgentCtlExcerptTests {
    let directory = TemporaryDirectory()

    @Test func printsTheFailureWithinTheBudget() async throws {
        var lines = (1...3000).map { "INFO step \($0) ok" }
        lines[1200] = "ERROR: compilation failed: cannot find symbol FooBar"
        let log = directory.path("build.log")
        try lines.joined(separator: "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let result = try await ChildProcess.run(try BuildProducts.executable("agentctl"), ["excerpt", "--budget-tokens", "200", log])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("cannot find symbol FooBar"))
        #expect(result.stdout.utf8.count <= 800)
    }

    @Test func explainSaysWhyEachLineWasChosen() async throws {
        var lines = (1...400).map { "INFO step \($0) ok" }
        lines[100] = "ERROR: compilation failed: cannot find symbol FooBar"
        let log = directory.path("explain.log")
        try lines.joined(separator: "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let result = try await ChildProcess.run(try BuildProducts.executable("agentctl"), ["excerpt", "--budget-tokens", "200", "--explain", log])
        #expect(result.status == 0, "\(result.stderr)")
        let shown = result.stdout.split(separator: "\n")
        guard let error = shown.firstIndex(where: { $0.hasPrefix("L101: ERROR: compilation failed") }) else {
            Issue.record("no error line in \(result.stdout)"); return
        }
        #expect(shown[error + 1].hasPrefix("    ^ failure line, score"))
        #expect(shown.contains { $0.hasPrefix("    ^ end of the failing step") })
        // Every excerpt line is followed by its reason.
        for (k, line) in shown.enumerated() where line.hasPrefix("L") {
            #expect(k + 1 < shown.count && shown[k + 1].hasPrefix("    ^ "), "\(line)")
        }
    }

    @Test func aMissingFileExitsOne() async throws {
        let result = try await ChildProcess.run(try BuildProducts.executable("agentctl"), ["excerpt", directory.path("missing.log")])
        #expect(result.status == 1 && result.stderr.contains("missing.log"))
    }
}

@Suite struct AgentCtlGroupsTests {
    let directory = TemporaryDirectory()

    @Test func listsAndShowsGroups() async throws {
        let path = directory.path("agent.sqlite")
        let database = try Database.open(path: path)
        let job = try await SQLiteJobQueue(database: database).enqueue(NewJob(namespace: "ci", pod: "p")).job
        let groups = SQLiteFailureGroupStore(database: database)
        guard case .createIssue(let group, _) = try await groups.claim(fingerprint: "0123456789abcdef", namespace: "ci", jobID: job.id) else {
            Issue.record("expected a new group"); return
        }
        _ = try await groups.recordIssue(groupID: group.id, fingerprint: "0123456789abcdef", url: "https://gitea/t/a/issues/4", number: 4, title: "Build fails")
        let agentctl = try BuildProducts.executable("agentctl")
        let list = try await ChildProcess.run(agentctl, ["groups", "--db", path])
        #expect(list.status == 0 && list.stdout.contains("0123456789abcdef") && list.stdout.contains("https://gitea/t/a/issues/4"))
        let json = try await ChildProcess.run(agentctl, ["groups", "list", "--db", path, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: [[String: Any]]]
        #expect(object?["groups"]?.first?["occurrences"] as? Int == 1)
        let show = try await ChildProcess.run(agentctl, ["groups", "show", "\(group.id)", "--db", path])
        #expect(show.status == 0 && show.stdout.contains("Build fails"))
        let missing = try await ChildProcess.run(agentctl, ["groups", "show", "999", "--db", path])
        #expect(missing.status == 1 && missing.stderr.contains("not found"))
    }
}
