import Agent
import Foundation
import Queue
import Testing
@testable import WebUI

/// Each page over a database filled through the production drivers: what it shows, and that
/// stored text stays text.
@Suite struct UIPagesTests {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test(arguments: UIDriver.allCases) func theJobsPageListsFiltersCountsAndPages(driver: UIDriver) async throws {
        try await UIFixture.with(driver) { fixture in
            let ids = try await fixture.fill()
            let ui = fixture.ui()
            let all = text(try await ui.jobs(UIQuery()))
            for id in [ids.succeeded, ids.dead, ids.queued] { #expect(all.contains("href=\"/ui/jobs/\(id)\"")) }
            #expect(all.contains("all <strong>3</strong>"))
            #expect(all.contains(#"<span class="badge state-dead">dead</span> <strong>1</strong>"#))
            // The last error is escaped text.
            #expect(all.contains("model answered 503 again"))

            let dead = text(try await ui.jobs(UIQuery(["state": "dead"])))
            #expect(dead.contains("href=\"/ui/jobs/\(ids.dead)\"") && !dead.contains("href=\"/ui/jobs/\(ids.succeeded)\""))
            let namespace = text(try await ui.jobs(UIQuery(["namespace": "ci", "q": "DEPLOY"])))
            #expect(namespace.contains("href=\"/ui/jobs/\(ids.queued)\"") && !namespace.contains("href=\"/ui/jobs/\(ids.succeeded)\""))
            // The filter survives in the form and the state links, escaped.
            let hostile = text(try await ui.jobs(UIQuery(["q": #""><script>x</script>"#])))
            #expect(hostile.contains("value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""))
            #expect(hostile.contains("No jobs match."))
            #expect(!hostile.contains("<script>x"))
            #expect(hostile.contains("href=\"/ui/jobs?state=queued&amp;q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E\""))

            await #expect(throws: UIError.badRequest("state must be one of queued, running, succeeded, failed, dead, cancelled")) {
                _ = try await ui.jobs(UIQuery(["state": "bogus"]))
            }
            await #expect(throws: UIError.self) { _ = try await ui.jobs(UIQuery(["before": "-3"])) }
        }
    }

    @Test(arguments: UIDriver.allCases) func theJobsPagePagesByCursor(driver: UIDriver) async throws {
        try await UIFixture.with(driver) { fixture in
            for index in 0..<(JobsPage.pageSize + 3) { _ = try await fixture.storage.queue.enqueue(NewJob(namespace: "ci", pod: "pod-\(index)")) }
            let ui = fixture.ui()
            let first = text(try await ui.jobs(UIQuery()))
            #expect(first.contains("pod-\(JobsPage.pageSize + 2)") && !first.contains("pod-2<"))
            let cursor = try #require(first.firstMatch(of: /rel="next" href="\/ui\/jobs\?before=(\d+)"/)?.1)
            let second = text(try await ui.jobs(UIQuery(["before": String(cursor)])))
            #expect(second.contains("pod-0<") && second.contains("pod-2<") && !second.contains("rel=\"next\""))
            #expect(second.contains("← Newest"))
        }
    }

    @Test(arguments: UIDriver.allCases) func theJobPageShowsAttemptsIssueErrorAndResult(driver: UIDriver) async throws {
        try await UIFixture.with(driver) { fixture in
            let ids = try await fixture.fill()
            let ui = fixture.ui()
            let page = text(try await ui.job(id: ids.succeeded))
            #expect(page.contains(#"<a href="https://gitea.example/team/app/issues/7" rel="noopener noreferrer">"#))
            #expect(page.contains("href=\"/ui/jobs/\(ids.succeeded)/attempts/1\""))
            #expect(page.contains("3300 / 340"))  // tokens of the transcript, in and out
            #expect(page.contains("build-app-run-k2x9p") && page.contains("unit-tests") && page.contains("fp-config-port"))
            #expect(page.contains("href=\"/ui/groups/"))

            let dead = text(try await ui.job(id: ids.dead))
            #expect(dead.contains("http_503") && dead.contains("<h2>Last error</h2>"))
            #expect(dead.contains("model answered 503 &lt;b&gt;busy&lt;/b&gt;"))  // attempt 1's error, escaped
            #expect(dead.contains("Attempt 1<") && dead.contains("href=\"/ui/jobs/\(ids.dead)/attempts/2\""))
            #expect(dead.contains("worker-1") && dead.contains("worker-2"))

            await #expect(throws: UIError.notFound("There is no job 999.")) { _ = try await ui.job(id: 999) }
        }
    }

    @Test(arguments: UIDriver.allCases) func theTranscriptShowsEveryStepWithToolCallsFoldsAndMarkers(driver: UIDriver) async throws {
        try await UIFixture.with(driver) { fixture in
            let ids = try await fixture.fill()
            let page = text(try await fixture.ui().transcript(jobID: ids.succeeded, attempt: 1))
            for role in ["system", "user", "assistant", "tool"] { #expect(page.contains("class=\"step role-\(role)\"")) }
            #expect(page.contains("Calls <code>pods_log</code>"))
            #expect(page.contains("&quot;namespace&quot; : &quot;ci&quot;"))  // arguments, pretty-printed and escaped
            #expect(page.contains("1200 tokens in, 40 out") && page.contains("850 ms"))
            #expect(page.contains(#"<details class="fold"><summary>Result as the model saw it (41 lines)"#))
            #expect(page.contains("<summary>Full result (42 lines)"))
            #expect(page.contains(#"<mark class="redacted""#) && page.contains("[REDACTED:github-token]</mark>"))
            #expect(page.contains(#"<span class="ln">L42</span>config_test.go:42"#))
            #expect(page.contains(#"<span class="ln">L43 x3</span>&lt;script&gt;alert(1)&lt;/script&gt;&lt;/textarea&gt;"#))
            #expect(!page.contains(UIFixture.hostileLogLine))
            // One script on the page: the UI's own file.
            #expect(page.components(separatedBy: "<script").count == 2)

            await #expect(throws: UIError.self) { _ = try await fixture.ui().transcript(jobID: ids.succeeded, attempt: 5) }
            await #expect(throws: UIError.self) { _ = try await fixture.ui().transcript(jobID: ids.queued, attempt: 1) }
        }
    }

    @Test(arguments: UIDriver.allCases) func groupsAndHealthPages(driver: UIDriver) async throws {
        try await UIFixture.with(driver) { fixture in
            let ids = try await fixture.fill()
            let ui = fixture.ui()
            let groups = text(try await ui.groupList())
            #expect(groups.contains("Unit tests fail: TestParseConfig expects port 8080") && groups.contains(">#7</a>"))
            let groupID = try #require(try await fixture.storage.queue.job(id: ids.succeeded)?.groupID)
            let group = text(try await ui.group(id: groupID))
            #expect(group.contains("fp-config-port") && group.contains("href=\"/ui/jobs/\(ids.succeeded)\""))
            #expect(group.contains("<meter min=\"0\" max=\"1\" value=\"1\""))
            await #expect(throws: UIError.self) { _ = try await ui.group(id: groupID + 100) }

            let health = text(try await ui.health())
            #expect(health.contains("<dt>Queue depth</dt><dd>1 queued</dd>"))
            #expect(health.contains("old (since "))
            #expect(health.contains(#"<tr><th scope="row">Last 5 minutes</th><td class="num">3</td>"#))
        }
    }

    @Test(arguments: UIDriver.allCases) func emptyDatabase(driver: UIDriver) async throws {
        try await UIFixture.with(driver) { fixture in
            let ui = fixture.ui()
            let jobs = text(try await ui.jobs(UIQuery()))
            let groups = text(try await ui.groupList())
            let health = text(try await ui.health())
            #expect(jobs.contains("No jobs match."))
            #expect(groups.contains("No failure groups yet."))
            #expect(health.contains("nothing queued"))
        }
    }
}
