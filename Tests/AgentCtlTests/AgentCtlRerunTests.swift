import Foundation
import Queue
import Store
import Testing
import TestSupport
import Worker

/// `agentctl jobs rerun` and `agentctl groups reset`: outputs, JSON and refusals.
@Suite struct AgentCtlRerunTests {
    let directory = TemporaryDirectory()

    func agentctl(_ arguments: String...) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(try BuildProducts.executable("agentctl"), arguments + ["--db", directory.path("agent.sqlite")])
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func rerunsASucceededJobAndResetsItsGroup() async throws {
        let database = try Database.open(path: directory.path("agent.sqlite"))
        let queue = SQLiteJobQueue(database: database)
        let groups = SQLiteFailureGroupStore(database: database)
        let job = try await queue.enqueue(NewJob(namespace: "ci", pod: "p1")).job
        let other = try await queue.enqueue(NewJob(namespace: "ci", pod: "p2")).job

        // Only a succeeded job is re-run; a cancelled one is pointed to `jobs retry`.
        let queued = try await agentctl("jobs", "rerun", "\(job.id)")
        #expect(queued.status == 1 && queued.stderr.contains("job \(job.id) is queued; only a succeeded job can be re-run"))
        #expect(try await agentctl("jobs", "cancel", "\(other.id)").status == 0)
        let cancelled = try await agentctl("jobs", "rerun", "\(other.id)")
        #expect(cancelled.status == 1 && cancelled.stderr.contains("agentctl jobs retry \(other.id)"))
        let missing = try await agentctl("jobs", "rerun", "999")
        #expect(missing.status == 1 && missing.stderr.contains("job 999 not found"))

        let leased = try #require(try await queue.lease(batch: 1, ttl: .seconds(30), owner: "w").first)
        guard case .createIssue(let group, _) = try await groups.claim(fingerprint: "0123456789abcdef", namespace: "ci", jobID: job.id) else {
            Issue.record("expected a new group"); return
        }
        _ = try await groups.recordIssue(groupID: group.id, fingerprint: "0123456789abcdef", url: "https://gitea/t/a/issues/4",
                                         number: 4, title: "Build fails")
        try await queue.complete(leased.lease, result: "{}")

        let rerun = try await agentctl("jobs", "rerun", "\(job.id)", "--json")
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let rerunJob = try json(rerun.stdout)
        #expect(rerunJob["state"] as? String == "queued" && rerunJob["rerun"] as? Bool == true && rerunJob["rerun_attempt"] as? Int == 2)
        let show = try await agentctl("jobs", "show", "\(job.id)")
        #expect(show.stdout.contains("re-run        yes, from attempt 2"), "\(show.stdout)")
        let again = try await agentctl("jobs", "rerun", "\(job.id)")
        #expect(again.status == 1 && again.stderr.contains("is queued"))

        // The re-run job is active for the group's fingerprint: the reset waits, unless forced.
        let refused = try await agentctl("groups", "reset", "\(group.id)")
        #expect(refused.status == 1 && refused.stderr.contains("active jobs (\(job.id))") && refused.stderr.contains("--force"))
        #expect(try await groups.group(id: group.id)?.issueURL == "https://gitea/t/a/issues/4")
        let forced = try await agentctl("groups", "reset", "\(group.id)", "--force")
        #expect(forced.status == 0 && forced.stdout.contains("issue forgotten (was https://gitea/t/a/issues/4)"), "\(forced.stderr)")
        let after = try json(try await agentctl("groups", "show", "\(group.id)", "--json").stdout)
        #expect(after["issue_url"] is NSNull && after["occurrences"] as? Int == 1)
        let unknown = try await agentctl("groups", "reset", "999")
        #expect(unknown.status == 1 && unknown.stderr.contains("failure group 999 not found"))
    }
}
