import Agent
import Foundation
import Queue
import Worker

/// The read-only web UI over the storage seams: jobs, attempts, transcripts, failure groups
/// and queue health. It reads through the same protocols as `agentctl`, so it shows SQLite
/// and PostgreSQL alike, and it never writes. Each method here reads what one page needs and
/// renders it; `WebUI+Routes` puts them on HTTP paths.
public struct WebUI: Sendable {
    public let queue: any JobQueue
    public let groups: any FailureGroupStore
    public let transcripts: any TranscriptStore
    public let access: WebUIAccess
    let now: @Sendable () -> Date

    public init(queue: any JobQueue, groups: any FailureGroupStore, transcripts: any TranscriptStore, access: WebUIAccess,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.queue = queue
        self.groups = groups
        self.transcripts = transcripts
        self.access = access
        self.now = now
    }

    var layout: PageLayout {
        if case .token = access { PageLayout(signedIn: true) } else { PageLayout(signedIn: false) }
    }

    func jobs(_ query: UIQuery) async throws -> [UInt8] {
        let filter = try JobsPage.Filter(query)
        async let page = queue.list(JobFilter(
            state: filter.state, namespace: filter.namespace, limit: JobsPage.pageSize, before: filter.before, text: filter.text))
        async let stats = queue.stats()
        return JobsPage(layout: layout).render(filter: filter, page: try await page, stats: try await stats)
    }

    func job(id: Int64) async throws -> [UInt8] {
        guard let job = try await queue.job(id: id) else { throw UIError.notFound("There is no job \(id).") }
        async let attempts = queue.attempts(jobID: id)
        async let summaries = transcripts.summaries(jobID: id)
        return JobDetailPage(layout: layout).render(job: job, attempts: try await attempts, transcripts: try await summaries)
    }

    func transcript(jobID: Int64, attempt: Int) async throws -> [UInt8] {
        guard let job = try await queue.job(id: jobID) else { throw UIError.notFound("There is no job \(jobID).") }
        async let entries = transcripts.entries(jobID: jobID, attempt: attempt)
        async let numbers = transcripts.attempts(jobID: jobID)
        async let records = queue.attempts(jobID: jobID)
        let steps = try await entries
        guard !steps.isEmpty else { throw UIError.notFound("Job \(jobID) has no transcript for attempt \(attempt).") }
        return TranscriptPage(layout: layout).render(
            job: job, attempt: attempt, record: try await records.first { $0.attempt == attempt }, entries: steps,
            attempts: try await numbers)
    }

    func groupList() async throws -> [UInt8] {
        GroupsPage(layout: layout).render(groups: try await groups.list(limit: GroupsPage.limit))
    }

    func group(id: Int64) async throws -> [UInt8] {
        guard let group = try await groups.group(id: id) else { throw UIError.notFound("There is no failure group \(id).") }
        let jobs = try await queue.list(JobFilter(limit: GroupPage.jobLimit, groupID: id))
        return GroupPage(layout: layout).render(group: group, jobs: jobs)
    }

    func health() async throws -> [UInt8] {
        let now = now()
        async let stats = queue.stats()
        var activity: [QueueActivity] = []
        for window in HealthPage.windows {
            activity.append(try await queue.activity(since: now.addingTimeInterval(-Double(window.seconds))))
        }
        return HealthPage(layout: layout).render(stats: try await stats, activity: activity, now: now)
    }
}
