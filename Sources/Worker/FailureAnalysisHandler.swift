import Agent
import Analysis
import Foundation
import Logging
import Queue

/// The job: evidence → excerpt and fingerprint → one issue per failure. A known failure gets
/// an occurrence comment without a model run; a new one gets an issue written by the author
/// (the agent), created exactly once even across crashes and concurrent jobs.
public struct FailureAnalysisHandler: JobHandler {
    public let evidence: EvidenceCollector
    /// Fenced by the running job's lease inside `run` (`FailureGroupStore.fenced(by:)`).
    public private(set) var groups: any FailureGroupStore
    public let tracker: any IssueTracker
    public let author: any IssueAuthor
    public let excerptBudgetTokens: Int
    /// How long a job waits, holding its lease, for another job that is creating its issue,
    /// looking again every `pendingPollInterval`: the evidence is fetched once and no attempt
    /// row is added per look. Past it, the job goes back to the queue for `pendingRetryAfter`
    /// (a creation that takes this long is a slow model run).
    public let pendingWait: Duration
    public let pendingPollInterval: Duration
    /// How long a job that waited `pendingWait` in vain stays queued before it looks again.
    public let pendingRetryAfter: Duration
    /// Tells whether the creating job is running; a job waits in place only for a running one
    /// (one that is queued, e.g. backing off, may need the slot this job holds). Without it,
    /// a job never waits in place.
    public let queue: (any JobQueue)?
    /// `AGENT_NAMESPACES`, checked again here: a job queued before the setting changed (or by
    /// `agentctl jobs enqueue`) for another namespace fails permanently, its pod never read.
    public let namespaces: NamespaceAllowlist?
    private let redactor = SecretRedactor()

    public init(
        evidence: EvidenceCollector, groups: any FailureGroupStore, tracker: any IssueTracker, author: any IssueAuthor,
        excerptBudgetTokens: Int = LogExcerpt.defaultBudgetTokens, pendingRetryAfter: Duration = .seconds(10),
        pendingWait: Duration = .seconds(30), pendingPollInterval: Duration = .milliseconds(500), queue: (any JobQueue)? = nil,
        namespaces: NamespaceAllowlist? = nil
    ) {
        self.namespaces = namespaces
        self.evidence = evidence
        self.groups = groups
        self.tracker = tracker
        self.author = author
        self.excerptBudgetTokens = excerptBudgetTokens
        self.pendingRetryAfter = pendingRetryAfter
        self.pendingWait = pendingWait
        self.pendingPollInterval = pendingPollInterval
        self.queue = queue
    }

    /// The job's result, stored as JSON.
    struct Outcome: Encodable {
        let issueURL: String
        let issueNumber: Int?
        let fingerprint: String
        let groupID: Int64
        /// True when the failure was known and this job only added an occurrence.
        let occurrence: Bool
        /// Who wrote a new issue: `model`, or `fallback` when the model's answer was unusable.
        var analysis: String? = nil
        /// True for an operator's re-run (`agentctl jobs rerun`).
        var rerun: Bool? = nil

        enum CodingKeys: String, CodingKey {
            case fingerprint, occurrence, analysis, rerun
            case issueURL = "issue_url"
            case issueNumber = "issue_number"
            case groupID = "group_id"
        }
    }

    /// The idempotency marker: an HTML comment (invisible when rendered) that opens the body of
    /// every issue the worker or the model creates, so that an issue created before a crash is
    /// found again even by a listing that cuts bodies to a preview (see `GiteaIssueTracker`).
    public static func marker(_ fingerprint: String) -> String { "<!-- pipeline-agent:fingerprint=\(fingerprint) -->" }

    /// Ends each occurrence comment, so that a retried job can tell whether it already commented.
    public static func occurrenceMarker(jobID: Int64) -> String { "<!-- pipeline-agent:occurrence-job=\(jobID) -->" }

    /// Ends each re-analysis comment, so that a re-run retried after a crash can tell whether it already commented.
    public static func rerunMarker(jobID: Int64, attempt: Int) -> String {
        "<!-- pipeline-agent:rerun=\(FailureRerunEntry.key(jobID: jobID, attempt: attempt)) -->"
    }

    /// What the job keeps of its evidence: the whole log and the pod's YAML are dropped once
    /// the excerpt is made, so they are not held while the model runs.
    struct Findings {
        let container: String?
        let excerpt: String
        /// Not yet redacted: only a new failure's issue uses them (redacted there).
        let events: String?
        let fingerprint: String
        /// Best-effort evidence that could not be had (`Evidence.missing`).
        var missing: [String] = []
        /// The failure lines (cleaned, redacted), strongest first.
        var keyLines: [String] = []
    }

    func examine(_ job: Job) async throws -> Findings {
        let found = try await evidence.collect(namespace: job.namespace, pod: job.pod, container: job.container)
        return Self.findings(job, found, excerptBudgetTokens: excerptBudgetTokens, redactor: redactor)
    }

    /// The excerpt and the fingerprint, from one scan of the log.
    static func findings(_ job: Job, _ found: Evidence, excerptBudgetTokens: Int, redactor: SecretRedactor) -> Findings {
        let analysed = LogExcerpt.excerptsAndFailureLines(
            log: Array(found.log.utf8), budgetsTokens: [excerptBudgetTokens], redactor: redactor)
        let fingerprint = FailureFingerprint(
            failureLines: analysed.failureLines, namespace: job.namespace, pipeline: job.pipelineRun, task: job.task,
            pod: job.pod, container: found.container,
            termination: FailureFingerprint.Termination(reason: found.terminationReason, exitCode: found.exitCode)).value
        return Findings(container: found.container, excerpt: analysed.excerpts[0].text, events: found.events,
                        fingerprint: fingerprint, missing: found.missing,
                        keyLines: Array(analysed.failureLines.lines.prefix(FailureFingerprint.keyLineCount)))
    }

    /// Every failure-group and ledger write of the job names its lease: a worker whose lease
    /// was rescued while it stalled records nothing (another worker runs the job now).
    public func run(_ leased: LeasedJob, logger: Logger) async throws -> String? {
        var fenced = self
        fenced.groups = groups.fenced(by: leased.lease)
        return try await fenced.analyse(leased, logger: logger)
    }

    private func analyse(_ leased: LeasedJob, logger: Logger) async throws -> String? {
        let job = leased.job
        if let namespaces, !namespaces.allows(job.namespace) {
            throw NamespaceNotAllowed(message: namespaces.refusal(job.namespace))
        }
        let found = try await examine(job)
        let fingerprint = found.fingerprint
        var logger = logger
        logger[metadataKey: "fingerprint"] = "\(fingerprint)"
        if !found.missing.isEmpty {
            logger.notice("optional evidence missing", metadata: ["missing": "\(found.missing.joined(separator: "; "))"])
        }

        var claim = try await groups.claim(fingerprint: fingerprint, namespace: job.namespace, jobID: job.id)
        // Another job is creating this failure's issue: wait for it here, with the evidence in
        // hand, rather than going back to the queue and fetching it all again at every look.
        let clock = ContinuousClock()
        let waitUntil = clock.now + pendingWait
        while case .inProgress(let owner) = claim, clock.now + pendingPollInterval <= waitUntil, let queue {
            let ownerRunning = try await queue.job(id: owner)?.state == .running
            if ownerRunning { try await Task.sleep(for: pendingPollInterval) }
            // A creator that stopped running may have just finished: one more look either way.
            claim = try await groups.claim(fingerprint: fingerprint, namespace: job.namespace, jobID: job.id)
            if !ownerRunning { break }
        }
        // A closed issue means the failure was fixed and is back; a deleted one cannot take
        // comments. Either way it gets a new issue (which points to the old one).
        var replaced: String?
        if let rerun = job.rerunAttempt, let group = claim.knownGroup, let number = group.issueNumber {
            // An operator's re-run of a known failure: not an occurrence. The model writes again
            // and its analysis goes to the open issue as a comment, once (ledgered, like an
            // occurrence); with the issue closed or gone, a new one is filed as usual.
            let entry = try await groups.beginRerun(jobID: job.id, attempt: rerun, issueURL: group.issueURL)
            if entry.state == .recorded || entry.issueURL != group.issueURL {
                // Done by an earlier attempt of this re-run: the comment, or the new issue it filed.
                if entry.state != .recorded { try await groups.finishRerun(jobID: job.id, attempt: rerun) }
                return try encode(Outcome(issueURL: group.issueURL ?? "", issueNumber: number, fingerprint: fingerprint,
                                          groupID: group.id, occurrence: false, rerun: true))
            }
            if try await tracker.isOpen(issue: number) == true {
                return try await reanalyse(leased, found: found, group: group, issue: number, rerun: rerun,
                                           interrupted: entry.state == .interrupted, logger: logger)
            }
            logger.info("re-run: the failure's issue is closed or gone; writing a new one", metadata: ["issue": "\(group.issueURL ?? "")"])
            replaced = group.issueURL
            claim = try await groups.replaceIssue(of: group, jobID: job.id)
        } else if case .existingIssue(let group) = claim, let number = group.issueNumber,
           try await !groups.occurrenceRecorded(jobID: job.id), try await tracker.isOpen(issue: number) != true {
            logger.info("the failure's issue is closed or gone; writing a new one", metadata: ["issue": "\(group.issueURL ?? "")"])
            replaced = group.issueURL
            claim = try await groups.replaceIssue(of: group, jobID: job.id)
        }
        switch claim {
        case .existingIssue(let group):
            // Ledgered so that a retry after a crash neither comments twice nor counts twice.
            let occurrence = try await groups.beginOccurrence(jobID: job.id)
            if let number = group.issueNumber, occurrence != .recorded {
                let marker = Self.occurrenceMarker(jobID: job.id)
                let posted = occurrence == .interrupted ? try await tracker.hasComment(onIssue: number, containing: marker) : false
                if !posted {
                    try await tracker.comment(onIssue: number, body: occurrenceComment(job, container: found.container) + "\n\n" + marker)
                }
            }
            let updated = try await groups.recordOccurrence(groupID: group.id, jobID: job.id)
            logger.info("known failure; occurrence recorded", metadata: ["issue": "\(group.issueURL ?? "")", "occurrences": "\(updated.occurrences)"])
            return try encode(Outcome(issueURL: group.issueURL ?? "", issueNumber: group.issueNumber, fingerprint: fingerprint,
                                      groupID: group.id, occurrence: true))

        case .createdByThisJob(let group):
            logger.info("this job's issue was recorded before an interruption", metadata: ["issue": "\(group.issueURL ?? "")"])
            return try encode(Outcome(issueURL: group.issueURL ?? "", issueNumber: group.issueNumber, fingerprint: fingerprint,
                                      groupID: group.id, occurrence: false))

        case .inProgress(let owner):
            throw IssuePending(ownerJobID: owner, retryAfter: pendingRetryAfter)

        case .createIssue(let group, let interrupted):
            let marker = Self.marker(fingerprint)
            if interrupted, let existing = try await tracker.findOpenIssue(containing: marker) {
                logger.info("adopting the issue an interrupted attempt created", metadata: ["issue": "\(existing.url)"])
                return try await record(existing, group: group, fingerprint: fingerprint)
            }
            let context = FailureContext(
                job: job, attempt: leased.lease.attempt, container: found.container,
                excerpt: found.excerpt, events: found.events.map(redactor.redact), fingerprint: fingerprint, marker: marker,
                missing: found.missing.map(redactor.redact), keyLines: found.keyLines)
            let issue: FiledIssue
            var analysis = IssueAnalysis.model
            switch try await author.author(context) {
            case .filed(let filed):
                issue = filed
            case .draft(let title, let body, let mayExist, let by):
                analysis = by
                guard !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                      body.trimmingCharacters(in: .whitespacesAndNewlines).count >= 20 else {
                    throw NoIssueWritten(detail: "the model ended without an issue and without usable text")
                }
                // The model's own create may have gone through although it answered with an
                // error or without the issue's address; the marker finds that issue.
                if mayExist, let existing = try await tracker.findOpenIssue(containing: marker) {
                    logger.info("adopting the issue the model's failed create made", metadata: ["issue": "\(existing.url)"])
                    issue = existing
                } else {
                    issue = try await tracker.createIssue(title: title, body: ToolPolicy.marked(body, with: marker))
                }
            }
            if case .fallback(let reason) = analysis {
                WorkerMetrics.issueFiled(analysis: "fallback")
                logger.warning("filed the fallback issue: the model's analysis was unusable", metadata: [
                    "issue": "\(issue.url)", "analysis": "fallback", "fallback_reason": "\(reason.prefix(500))"])
            } else {
                WorkerMetrics.issueFiled(analysis: "model")
                logger.info("issue created", metadata: ["issue": "\(issue.url)", "analysis": "model"])
            }
            let outcome = try await record(issue, group: group, fingerprint: fingerprint, analysis: analysis.name, rerun: job.rerun)
            if let rerun = job.rerunAttempt { try await groups.finishRerun(jobID: job.id, attempt: rerun) }
            if let replaced, let number = issue.number {
                // For the people reading it; the issue itself is recorded, so a failure here
                // is only logged.
                do {
                    try await tracker.comment(onIssue: number, body: "This failure was reported before in \(replaced), which is closed or gone; it is back.")
                } catch {
                    logger.warning("could not point the new issue to the old one", metadata: ["error": "\(redactor.redact("\(error)"))"])
                }
            }
            return outcome
        }
    }

    private func record(_ issue: FiledIssue, group: FailureGroup, fingerprint: String, analysis: String? = nil,
                        rerun: Bool = false) async throws -> String? {
        let recorded = try await groups.recordIssue(groupID: group.id, fingerprint: fingerprint, url: issue.url,
                                                    number: issue.number, title: issue.title)
        return try encode(Outcome(issueURL: issue.url, issueNumber: issue.number, fingerprint: fingerprint,
                                  groupID: recorded.id, occurrence: false, analysis: analysis, rerun: rerun ? true : nil))
    }

    /// The re-analysis of a re-run: the author runs again (it may read but not write) and its
    /// title and body become a comment on the group's open issue, posted once.
    private func reanalyse(_ leased: LeasedJob, found: Findings, group: FailureGroup, issue number: Int, rerun: Int,
                           interrupted: Bool, logger: Logger) async throws -> String? {
        let job = leased.job
        let marker = Self.rerunMarker(jobID: job.id, attempt: rerun)
        var analysis: String?
        // An earlier attempt of this re-run may have posted the comment before it died.
        let posted = interrupted ? try await tracker.hasComment(onIssue: number, containing: marker) : false
        if !posted {
            let fingerprintMarker = Self.marker(found.fingerprint)
            var context = FailureContext(
                job: job, attempt: leased.lease.attempt, container: found.container,
                excerpt: found.excerpt, events: found.events.map(redactor.redact), fingerprint: found.fingerprint,
                marker: fingerprintMarker, missing: found.missing.map(redactor.redact), keyLines: found.keyLines)
            context.reanalysis = true
            let text: String
            switch try await author.author(context) {
            case .filed(let filed):
                // An author that created an issue although told not to: point to it.
                text = "Re-analysis requested by an operator: the new analysis was filed as \(filed.url)."
                analysis = IssueAnalysis.model.name
            case .draft(let title, let body, _, let by):
                let body = body.replacingOccurrences(of: fingerprintMarker, with: "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, body.count >= 20 else {
                    throw NoIssueWritten(detail: "the model's re-analysis ended without usable text")
                }
                text = "Re-analysis requested by an operator: **\(title)**\n\n\(body)"
                analysis = by.name
            }
            try await tracker.comment(onIssue: number, body: text + "\n\n" + marker)
            logger.info("re-run: new analysis posted on the failure's issue", metadata: [
                "issue": "\(group.issueURL ?? "")", "analysis": "\(analysis ?? "")"])
        }
        try await groups.finishRerun(jobID: job.id, attempt: rerun)
        return try encode(Outcome(issueURL: group.issueURL ?? "", issueNumber: number, fingerprint: found.fingerprint,
                                  groupID: group.id, occurrence: false, analysis: analysis, rerun: true))
    }

    private func occurrenceComment(_ job: Job, container: String?) -> String {
        let place = [job.namespace, job.pod, container].compactMap { $0 }.joined(separator: "/")
        var lines = ["Seen again: `\(place)` at \(Date().formatted(.iso8601))."]
        if let run = job.pipelineRun { lines.append("PipelineRun: `\(run)`" + (job.task.map { ", task `\($0)`" } ?? "")) }
        lines.append("Reports of this pod: \(job.reportCount).")
        return lines.joined(separator: "\n")
    }

    private func encode(_ outcome: Outcome) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(outcome), as: UTF8.self)
    }
}

extension FailureGroupClaim {
    /// The group, when it has an issue (whoever created it).
    var knownGroup: FailureGroup? {
        switch self {
        case .existingIssue(let group), .createdByThisJob(let group): group
        case .createIssue, .inProgress: nil
        }
    }
}

/// Another job is creating this failure's issue; look again shortly, without using an attempt.
struct IssuePending: JobDeferral, CustomStringConvertible {
    let ownerJobID: Int64
    let retryAfter: Duration

    var delay: Duration { retryAfter }
    var description: String { "the issue for this failure is being created by job \(ownerJobID)" }
}

/// The model produced nothing that can become an issue.
struct NoIssueWritten: JobFailureConvertible, CustomStringConvertible {
    let detail: String
    var description: String { detail }
    var jobFailure: JobFailure { JobFailure(message: detail, errorClass: "invalid_model_output", retryable: false) }
}
